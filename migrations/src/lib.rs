//! clipjury's schema, one migration a file, applied in name order.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_accounts;
mod m20261128_000002_create_contests;
mod m20261128_000003_create_submissions;
mod m20261128_000004_create_judging;
mod m20261203_000001_harden_sessions;
mod m20261214_120000_add_job_priority;

/// All migrations of clipjury.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_accounts::Migration),
            Box::new(m20261128_000002_create_contests::Migration),
            Box::new(m20261128_000003_create_submissions::Migration),
            Box::new(m20261128_000004_create_judging::Migration),
            Box::new(m20261203_000001_harden_sessions::Migration),
            Box::new(m20261214_120000_add_job_priority::Migration),
        ]
    }
}
