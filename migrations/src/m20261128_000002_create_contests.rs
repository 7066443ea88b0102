//! Contests, their groups and jurors (participants), invite tokens and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000001_create_accounts::Admins;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Contests::Table)
                    .if_not_exists()
                    .col(uuid(Contests::Id).primary_key())
                    .col(string_uniq(Contests::Slug))
                    .col(uuid(Contests::OwnerId))
                    .col(string(Contests::Title))
                    .col(text(Contests::Brief))
                    .col(text(Contests::Rules))
                    .col(json(Contests::KeyMessages))
                    .col(integer(Contests::MaxDurationSeconds))
                    .col(integer(Contests::DurationToleranceSeconds))
                    .col(big_integer(Contests::MaxUploadBytes))
                    .col(timestamp_with_time_zone_null(Contests::UploadDeadline))
                    .col(timestamp_with_time_zone_null(Contests::JudgingDeadline))
                    .col(string(Contests::RankingMethod))
                    .col(boolean(Contests::Anonymised))
                    .col(string(Contests::DefaultLocale))
                    .col(string(Contests::Status))
                    .col(timestamp_with_time_zone(Contests::CreatedAt))
                    .col(timestamp_with_time_zone(Contests::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contests::Table, Contests::OwnerId)
                            .to(Admins::Table, Admins::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_contests_owner")
                    .table(Contests::Table)
                    .col(Contests::OwnerId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Participants::Table)
                    .if_not_exists()
                    .col(uuid(Participants::Id).primary_key())
                    .col(uuid(Participants::ContestId))
                    .col(string(Participants::Role))
                    .col(string(Participants::Name))
                    .col(integer(Participants::SessionVersion))
                    .col(timestamp_with_time_zone(Participants::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Participants::Table, Participants::ContestId)
                            .to(Contests::Table, Contests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_participants_contest_role_name")
                    .table(Participants::Table)
                    .col(Participants::ContestId)
                    .col(Participants::Role)
                    .col(Participants::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invites::Table)
                    .if_not_exists()
                    .col(uuid(Invites::Id).primary_key())
                    .col(uuid(Invites::ParticipantId))
                    .col(string_uniq(Invites::Token))
                    .col(timestamp_with_time_zone(Invites::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invites::RevokedAt))
                    .col(timestamp_with_time_zone_null(Invites::LastRedeemedAt))
                    .col(timestamp_with_time_zone(Invites::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invites::Table, Invites::ParticipantId)
                            .to(Participants::Table, Participants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_invites_participant")
                    .table(Invites::Table)
                    .col(Invites::ParticipantId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(uuid(AuditLog::Id).primary_key())
                    .col(uuid_null(AuditLog::ContestId))
                    .col(string(AuditLog::ActorRole))
                    .col(uuid_null(AuditLog::ActorId))
                    .col(string(AuditLog::Action))
                    .col(json_null(AuditLog::Before))
                    .col(json_null(AuditLog::After))
                    .col(text_null(AuditLog::Reason))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_contest_created")
                    .table(AuditLog::Table)
                    .col(AuditLog::ContestId)
                    .col(AuditLog::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Invites::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Participants::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Contests::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Contests {
    Table,
    Id,
    Slug,
    OwnerId,
    Title,
    Brief,
    Rules,
    KeyMessages,
    MaxDurationSeconds,
    DurationToleranceSeconds,
    MaxUploadBytes,
    UploadDeadline,
    JudgingDeadline,
    RankingMethod,
    Anonymised,
    DefaultLocale,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub(crate) enum Participants {
    Table,
    Id,
    ContestId,
    Role,
    Name,
    SessionVersion,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Invites {
    Table,
    Id,
    ParticipantId,
    Token,
    ExpiresAt,
    RevokedAt,
    LastRedeemedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ContestId,
    ActorRole,
    ActorId,
    Action,
    Before,
    After,
    Reason,
    CreatedAt,
}
