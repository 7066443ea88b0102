//! Hardening: an admin's session version (logout ends every session of the account), the moment judging opened
//! (videos uploaded after it wait for the admin), and invite tokens kept sealed instead of in plain text (the
//! `token` column keeps the token's SHA-256 for look-up; the sealed copy lets the admin print the link again).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Admins::Table)
                    .add_column(integer(Admins::SessionVersion).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Contests::Table)
                    .add_column(timestamp_with_time_zone_null(Contests::JudgingStartedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Invites::Table)
                    .add_column(text_null(Invites::TokenSealed))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Invites::Table)
                    .drop_column(Invites::TokenSealed)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Contests::Table)
                    .drop_column(Contests::JudgingStartedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Admins::Table)
                    .drop_column(Admins::SessionVersion)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Admins {
    Table,
    SessionVersion,
}

#[derive(DeriveIden)]
enum Contests {
    Table,
    JudgingStartedAt,
}

#[derive(DeriveIden)]
enum Invites {
    Table,
    TokenSealed,
}
