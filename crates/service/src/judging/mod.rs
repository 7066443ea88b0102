//! Judging: rubric and tie rule, the blind juror workflow, the admin's results, tie decisions, confirmation and the
//! public results. Ranking itself is `clipjury_domain::judging`; this module only gathers the numbers and guards them.

mod access;
mod csv_export;
mod csv_import;
mod entries;
mod progress;
mod public;
mod results;
mod scoring;
mod settings;

pub use crate::api_schema::ExactNumber;
pub use crate::media_files::{MediaUrls, media_urls};
pub use access::Entry;
pub use csv_export::{export_results, export_scores};
pub use csv_import::{ImportSummary, import_scores};
pub use entries::{
    EntryDetail, EntryProgress, JurorEntries, JurorEntry, OwnCard, entry_detail, list_entries,
};
pub use progress::{
    AdminCard, EntryInfo, JurorInfo, ProgressCell, ProgressView, judging_progress, score_cards,
};
pub use public::{
    GroupFeedback, PublicPreview, PublicResults, Size, group_feedback, public_preview,
    public_results,
};
pub use results::{
    ConfirmedPlace, ConfirmedResult, ResultsView, check_publishable, confirm_results, decide_tie,
    results,
};
pub use scoring::{ScoreInput, recuse, reopen, save_score, submit_score};
pub use settings::{rubric_invalid, set_rubric, set_tie_rule};

pub(crate) use results::{confirmed_result, withdraw_confirmation};
