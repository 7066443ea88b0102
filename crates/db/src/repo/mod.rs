//! Repository functions, one module a table. Each takes `&impl ConnectionTrait`.

pub mod admins;
pub mod audit;
pub mod contests;
pub mod invites;
pub mod participants;
pub mod settings;
