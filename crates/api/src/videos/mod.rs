//! `/api/videos/{video_id}/{file}`: renditions and posters, with HTTP range requests for seeking video players.

pub(crate) mod file;
mod range;

/// Registers the video file routes.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(
        actix_web::web::resource("/api/videos/{video_id}/{file}")
            .route(actix_web::web::get().to(file::video_file))
            .route(actix_web::web::head().to(file::video_file)),
    );
}
