//! Integration tests: each boots the real app on port 0 with a fresh database.
//! Run on SQLite by default and on PostgreSQL when `CLIPJURY_TEST_DATABASE_URL=postgres://…` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod abuse;
mod auth;
mod authorization;
mod backup;
mod contests;
mod delivery;
mod errors;
mod health;
mod helpers;
mod invites;
mod judging;
mod judging_blind;
mod judging_csv;
mod judging_follow_up;
mod judging_helpers;
mod judging_results;
mod judging_workflow;
mod late_video;
mod media;
mod media_hostile;
mod media_playable;
mod metrics;
mod public_page;
mod retention;
mod room;
mod security;
mod upload_helpers;
mod upload_recovery;
mod upload_rules;
mod uploads;
mod web_assets;
