//! clipjury's persistence: sea-orm entities, repository functions and connection set-up.
//!
//! Repository functions take `&impl ConnectionTrait` so they run on the pool or inside a transaction.

pub mod entities;
pub mod repo;

mod connect;
mod error;
pub mod snapshot;
mod sqlite_plans;

pub use connect::{ConnectSettings, Database, begin_write, connect, migrate, migrations_pending};
pub use error::DbError;
pub use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
