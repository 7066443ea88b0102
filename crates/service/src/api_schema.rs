//! OpenAPI schemas that the api crate defines and that service views the API sends as they are refer to.
//!
//! A view whose fields are domain types (`ContestStatus`, `Rubric`) serializes them with the domain's serde
//! form, which is the JSON the api's `ContestStatusDto` and `RubricDto` describe; the view's schema points at
//! those by name. The api's OpenAPI test checks that every `$ref` in the document resolves.

use utoipa::openapi::schema::RefBuilder;
use utoipa::openapi::{RefOr, Schema};

/// A reference to the api's schema named `name` (a field's `///` is not read where `schema_with` builds the
/// schema, so a description goes here).
fn named(name: &str, description: Option<&str>) -> RefOr<Schema> {
    RefOr::Ref(
        RefBuilder::new()
            .ref_location_from_schema_name(name)
            .description(description)
            .build(),
    )
}

/// A contest's lifecycle status (the api's `ContestStatusDto`: `draft`, `open`, `judging`, `closed`, `published`).
pub(crate) fn contest_status() -> RefOr<Schema> {
    named("ContestStatusDto", None)
}

/// A rubric (the api's `RubricDto`, the domain `Rubric`'s JSON).
pub(crate) fn rubric() -> RefOr<Schema> {
    named("RubricDto", None)
}

/// A rubric, as a contest's brief gives it to its groups and jurors.
pub(crate) fn jurors_rubric() -> RefOr<Schema> {
    named("RubricDto", Some("The rubric jurors score with."))
}
