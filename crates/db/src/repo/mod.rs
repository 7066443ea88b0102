//! Repository functions, one module a table. Each takes `&impl ConnectionTrait`.

pub mod admins;
pub mod audit;
pub mod contests;
pub mod invites;
pub mod jobs;
pub mod participants;
pub mod results;
pub mod scores;
pub mod settings;
pub mod submissions;
pub mod uploads;
pub mod videos;
