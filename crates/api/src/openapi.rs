//! The OpenAPI 3.1 document (`/api/openapi.json`) and its browsable page (`/api/docs`).

use actix_web::{HttpResponse, get, web};
use utoipa::OpenApi;
use utoipa_scalar::{Scalar, Servable as _};

use crate::{
    auth, contests, health, invites, judging, participants, room, submissions, uploads, videos,
};

/// Every endpoint of the API.
#[derive(OpenApi)]
#[openapi(
    info(title = "clipjury API", description = "Short-video contests: uploads, judging, ranking, publishing."),
    paths(
        health::healthz,
        health::readyz,
        auth::login::login,
        auth::logout::logout,
        auth::me::me,
        auth::setup::setup,
        contests::list::list_contests,
        contests::create::create_contest,
        contests::get::get_contest,
        contests::update::update_contest,
        contests::transition::transition_contest,
        contests::audit::audit_log,
        contests::follow_up::create_follow_up,
        participants::list::list_participants,
        participants::create::add_participant,
        participants::rename::rename_participant,
        participants::delete::remove_participant,
        participants::invite::regenerate_invite,
        participants::invite::revoke_invite,
        participants::qr::invite_qr_svg,
        participants::qr::invite_qr_png,
        participants::reset_uploads::reset_uploads,
        invites::inspect::inspect_invite,
        invites::redeem::redeem_invite,
        room::room_status,
        submissions::get::get_submission,
        submissions::save::save_submission,
        submissions::video::upload_video,
        submissions::list::list_submissions,
        submissions::accept_video::accept_video,
        submissions::original::download_original,
        submissions::consent::upload_consent_photo,
        submissions::consent::own_consent_photo,
        submissions::consent::submission_consent_photo,
        uploads::options::options,
        uploads::create::create,
        uploads::head::head,
        uploads::patch::patch,
        uploads::delete::delete,
        videos::file::video_file,
        judging::rubric::set_rubric,
        judging::tie_rule::set_tie_rule,
        judging::entries::list_entries,
        judging::entry::get_entry,
        judging::save_score::save_score,
        judging::submit_score::submit_score,
        judging::recuse::recuse,
        judging::reopen::reopen,
        judging::progress::judging_progress,
        judging::results::results,
        judging::ties::decide_tie,
        judging::confirm::confirm_results,
        judging::public_results::public_results,
        judging::feedback::group_feedback,
        judging::export_scores::export_scores,
        judging::export_results::export_results,
        judging::import_scores::import_scores,
        judging::score_cards::score_cards,
    ),
    tags(
        (name = "auth", description = "Admin login and sessions"),
        (name = "contests", description = "Contests and their lifecycle"),
        (name = "participants", description = "Groups, jurors and their invites"),
        (name = "invites", description = "Joining a contest by invite"),
        (name = "room", description = "The address phones use (room mode)"),
        (name = "submissions", description = "A group's entry and its videos"),
        (name = "judging", description = "Rubric, juror scoring, ranking, ties and results"),
        (name = "uploads", description = "Resumable uploads (tus 1.0.0)"),
        (name = "videos", description = "Renditions and posters, with range requests"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

/// The OpenAPI document as JSON.
#[get("/api/openapi.json")]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// Registers the spec and the docs page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(openapi_json)
        .service(Scalar::with_url("/api/docs", ApiDoc::openapi()));
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::{Value, json};
    use utoipa::OpenApi as _;

    use super::ApiDoc;

    /// Schemas that may hold any JSON: the audit log's snapshots, whose shape depends on the action and on the
    /// version of clipjury that wrote them (the web app prints them, it does not read their fields).
    const ANY_JSON_ALLOWED: [&str; 2] = [
        "/components/schemas/AuditEntryDto/properties/before",
        "/components/schemas/AuditEntryDto/properties/after",
    ];

    /// JSON pointers of the schemas in `doc` that say nothing of their fields: `type: object` with no properties
    /// (or with free-form additional properties), and schemas without any type (any JSON).
    fn shapeless(doc: &Value) -> Vec<String> {
        let mut found = Vec::new();
        walk(doc, "", false, &mut found);
        found
    }

    fn walk(v: &Value, at: &str, is_schema: bool, found: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if is_schema && shapeless_schema(map) {
                    found.push(at.to_owned());
                }
                for (k, child) in map {
                    // Schemas sit under these keywords (in arrays for the compositions), and are the values of
                    // `properties` and of `components/schemas`.
                    let child_is_schema = matches!(
                        k.as_str(),
                        "schema"
                            | "items"
                            | "additionalProperties"
                            | "not"
                            | "oneOf"
                            | "anyOf"
                            | "allOf"
                    ) || at.ends_with("/properties")
                        || at == "/components/schemas";
                    let key = k.replace('~', "~0").replace('/', "~1");
                    walk(child, &format!("{at}/{key}"), child_is_schema, found);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{at}/{i}"), is_schema, found);
                }
            }
            _ => {}
        }
    }

    fn shapeless_schema(map: &serde_json::Map<String, Value>) -> bool {
        let typed = |t: &str| match map.get("type") {
            Some(Value::String(s)) => s == t,
            Some(Value::Array(ts)) => ts.iter().any(|x| x == t),
            _ => false,
        };
        let composed = ["$ref", "oneOf", "anyOf", "allOf", "enum", "const"]
            .iter()
            .any(|k| map.contains_key(*k));
        if composed {
            return false;
        }
        if !map.contains_key("type") {
            return true;
        }
        let has_properties = map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        let typed_values = map
            .get("additionalProperties")
            .and_then(Value::as_object)
            .is_some_and(|s| !s.is_empty());
        typed("object") && !has_properties && !typed_values
    }

    #[test]
    fn every_schema_in_the_document_has_a_shape() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let found: Vec<String> = shapeless(&doc)
            .into_iter()
            .filter(|at| !ANY_JSON_ALLOWED.contains(&at.as_str()))
            .collect();
        assert!(
            found.is_empty(),
            "schemas without a shape (the web app's types would be written by hand): {found:#?}"
        );
        for at in ANY_JSON_ALLOWED {
            assert!(
                doc.pointer(at).is_some(),
                "{at} is allowed but no longer exists"
            );
        }
    }

    #[test]
    fn bare_objects_and_untyped_schemas_are_found() {
        let doc = json!({"components": {"schemas": {
            "Bare": {"type": "object", "description": "free-form"},
            "Map": {"type": "object", "additionalProperties": {"type": "number"}},
            "FreeMap": {"type": "object", "additionalProperties": true},
            "Dto": {"type": "object", "properties": {
                "a": {"type": ["object", "null"]},
                "b": {"$ref": "#/components/schemas/Map"},
                "c": {"type": "array", "items": {"type": "object"}},
                "d": {"description": "anything"},
                "e": {"oneOf": [{"type": "number"}, {"type": "string"}]}
            }}
        }}, "paths": {"/x": {"put": {"requestBody": {"content": {"application/json": {
            "schema": {"type": "object"}
        }}}}}}});
        let mut found = shapeless(&doc);
        found.sort();
        assert_eq!(
            found,
            [
                "/components/schemas/Bare",
                "/components/schemas/Dto/properties/a",
                "/components/schemas/Dto/properties/c/items",
                "/components/schemas/Dto/properties/d",
                "/components/schemas/FreeMap",
                "/paths/~1x/put/requestBody/content/application~1json/schema",
            ]
        );
    }

    /// JSON pointers of the `$ref`s in `doc` that name nothing in `doc`, with what they name.
    fn dangling(doc: &Value) -> Vec<(String, String)> {
        fn walk(doc: &Value, v: &Value, at: &str, found: &mut Vec<(String, String)>) {
            match v {
                Value::Object(map) => {
                    if let Some(Value::String(r)) = map.get("$ref")
                        && r.strip_prefix('#')
                            .is_none_or(|pointer| doc.pointer(pointer).is_none())
                    {
                        found.push((at.to_owned(), r.clone()));
                    }
                    for (k, child) in map {
                        let key = k.replace('~', "~0").replace('/', "~1");
                        walk(doc, child, &format!("{at}/{key}"), found);
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        walk(doc, child, &format!("{at}/{i}"), found);
                    }
                }
                _ => {}
            }
        }
        let mut found = Vec::new();
        walk(doc, doc, "", &mut found);
        found
    }

    #[test]
    fn every_reference_names_a_schema_of_the_document() {
        // The service's contest views name `ContestStatusDto` and `RubricDto` by string (`clipjury-service`'s
        // `api_schema`): renaming either here must not leave them dangling.
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let found = dangling(&doc);
        assert!(found.is_empty(), "references to no schema: {found:#?}");
        for (field, name) in [("status", "ContestStatusDto"), ("rubric", "RubricDto")] {
            let pointer = format!("/components/schemas/ContestDto/properties/{field}/$ref");
            assert_eq!(
                doc.pointer(&pointer),
                Some(&json!(format!("#/components/schemas/{name}"))),
                "{pointer}"
            );
        }
    }

    #[test]
    fn references_to_missing_schemas_are_found() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {
                "b": {"$ref": "#/components/schemas/B"},
                "c": {"items": {"$ref": "#/components/schemas/C"}, "type": "array"},
                "x": {"$ref": "https://example.org/x.json"}
            }},
            "B": {"type": "string"}
        }}});
        let mut found = dangling(&doc);
        found.sort();
        assert_eq!(
            found,
            [
                (
                    "/components/schemas/A/properties/c/items".to_owned(),
                    "#/components/schemas/C".to_owned()
                ),
                (
                    "/components/schemas/A/properties/x".to_owned(),
                    "https://example.org/x.json".to_owned()
                ),
            ]
        );
    }
}
