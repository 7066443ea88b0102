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
