//! `/api/contests/{id}/submission` (a group's own) and `/api/contests/{id}/submissions` (the admin's view).

pub(crate) mod accept_video;
pub(crate) mod consent;
pub(crate) mod dto;
pub(crate) mod get;
pub(crate) mod list;
pub(crate) mod original;
pub(crate) mod save;
pub(crate) mod video;

pub use dto::{AcceptVideoRequest, SubmissionDto, SubmissionRequest, VideoDto};

/// Registers the submission routes.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(get::get_submission)
        .service(save::save_submission)
        .service(video::upload_video)
        .service(list::list_submissions)
        .service(accept_video::accept_video)
        .service(original::download_original)
        .service(consent::upload_consent_photo)
        .service(consent::own_consent_photo)
        .service(consent::submission_consent_photo);
}
