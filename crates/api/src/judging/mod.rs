//! Judging: rubric and tie rule, the jurors' entries and score cards, the admin's progress, results, tie decisions
//! and confirmation, the public results, a group's feedback, and CSV export and import.

pub(crate) mod confirm;
pub(crate) mod dto;
pub(crate) mod entries;
pub(crate) mod entry;
pub(crate) mod exact;
pub(crate) mod export_results;
pub(crate) mod export_scores;
pub(crate) mod feedback;
pub(crate) mod import_scores;
pub(crate) mod progress;
pub(crate) mod public_results;
pub(crate) mod ranking_dto;
#[cfg(test)]
mod ranking_dto_tests;
pub(crate) mod recuse;
pub(crate) mod reopen;
pub(crate) mod results;
pub(crate) mod rubric;
pub(crate) mod rubric_dto;
pub(crate) mod save_score;
pub(crate) mod score_cards;
pub(crate) mod submit_score;
pub(crate) mod tie_rule;
pub(crate) mod ties;

/// Registers the judging routes.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(rubric::set_rubric)
        .service(tie_rule::set_tie_rule)
        .service(entries::list_entries)
        .service(entry::get_entry)
        .service(save_score::save_score)
        .service(submit_score::submit_score)
        .service(recuse::recuse)
        .service(reopen::reopen)
        .service(progress::judging_progress)
        .service(results::results)
        .service(ties::decide_tie)
        .service(confirm::confirm_results)
        .service(public_results::public_results)
        .service(feedback::group_feedback)
        .service(export_scores::export_scores)
        .service(export_results::export_results)
        .service(import_scores::import_scores)
        .service(score_cards::score_cards);
}
