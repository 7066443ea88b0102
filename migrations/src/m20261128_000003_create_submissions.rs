//! Submissions (one per group and contest), their videos, resumable uploads with their stored parts, and the
//! durable job queue the media workers consume.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000002_create_contests::{Contests, Participants};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Submissions::Table)
                    .if_not_exists()
                    .col(uuid(Submissions::Id).primary_key())
                    .col(uuid(Submissions::ContestId))
                    .col(uuid(Submissions::GroupId))
                    .col(string(Submissions::Title))
                    .col(text(Submissions::Description))
                    .col(string(Submissions::KeyMessage))
                    .col(text(Submissions::Purpose))
                    .col(text(Submissions::Audience))
                    .col(boolean(Submissions::ConsentConfirmed))
                    .col(string_null(Submissions::ConsentPhotoKey))
                    .col(uuid_null(Submissions::CurrentVideoId))
                    .col(uuid_null(Submissions::LatestVideoId))
                    .col(timestamp_with_time_zone(Submissions::CreatedAt))
                    .col(timestamp_with_time_zone(Submissions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Submissions::Table, Submissions::ContestId)
                            .to(Contests::Table, Contests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Submissions::Table, Submissions::GroupId)
                            .to(Participants::Table, Participants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_submissions_contest_group")
                    .table(Submissions::Table)
                    .col(Submissions::ContestId)
                    .col(Submissions::GroupId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Uploads::Table)
                    .if_not_exists()
                    .col(string(Uploads::Id).primary_key())
                    .col(uuid(Uploads::ContestId))
                    .col(uuid(Uploads::GroupId))
                    .col(uuid(Uploads::SubmissionId))
                    .col(big_integer(Uploads::Length))
                    .col(big_integer(Uploads::UploadOffset))
                    .col(big_integer(Uploads::BytesReceived))
                    .col(json(Uploads::Metadata))
                    .col(string_null(Uploads::Filename))
                    .col(string_null(Uploads::ContentType))
                    .col(string_null(Uploads::LockId))
                    .col(timestamp_with_time_zone_null(Uploads::LockedUntil))
                    .col(timestamp_with_time_zone(Uploads::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Uploads::CompletedAt))
                    .col(uuid_null(Uploads::VideoId))
                    .col(timestamp_with_time_zone(Uploads::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Uploads::Table, Uploads::SubmissionId)
                            .to(Submissions::Table, Submissions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_uploads_group")
                    .table(Uploads::Table)
                    .col(Uploads::GroupId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_uploads_expires")
                    .table(Uploads::Table)
                    .col(Uploads::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UploadParts::Table)
                    .if_not_exists()
                    .col(string(UploadParts::UploadId))
                    .col(big_integer(UploadParts::StartOffset))
                    .col(big_integer(UploadParts::Length))
                    .col(string(UploadParts::StorageKey))
                    .col(timestamp_with_time_zone(UploadParts::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(UploadParts::UploadId)
                            .col(UploadParts::StartOffset),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UploadParts::Table, UploadParts::UploadId)
                            .to(Uploads::Table, Uploads::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Videos::Table)
                    .if_not_exists()
                    .col(uuid(Videos::Id).primary_key())
                    .col(uuid(Videos::SubmissionId))
                    .col(string(Videos::UploadId))
                    .col(big_integer(Videos::SourceBytes))
                    .col(string_null(Videos::OriginalFilename))
                    .col(string(Videos::Status))
                    .col(string_null(Videos::FailureCode))
                    .col(text_null(Videos::FailureMessage))
                    .col(float(Videos::Progress))
                    .col(json_null(Videos::Media))
                    .col(timestamp_with_time_zone(Videos::CreatedAt))
                    .col(timestamp_with_time_zone(Videos::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Videos::Table, Videos::SubmissionId)
                            .to(Submissions::Table, Submissions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .if_not_exists()
                    .col(uuid(Jobs::Id).primary_key())
                    .col(string(Jobs::Kind))
                    .col(json(Jobs::Payload))
                    .col(string(Jobs::Status))
                    .col(integer(Jobs::Attempts))
                    .col(integer(Jobs::MaxAttempts))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(string_null(Jobs::LeasedBy))
                    .col(timestamp_with_time_zone_null(Jobs::LeaseUntil))
                    .col(timestamp_with_time_zone_null(Jobs::HeartbeatAt))
                    .col(text_null(Jobs::LastError))
                    .col(string_uniq(Jobs::UniqueKey))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_status_run_at")
                    .table(Jobs::Table)
                    .col(Jobs::Status)
                    .col(Jobs::RunAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Jobs::Table.into_iden(),
            Videos::Table.into_iden(),
            UploadParts::Table.into_iden(),
            Uploads::Table.into_iden(),
            Submissions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Submissions {
    Table,
    Id,
    ContestId,
    GroupId,
    Title,
    Description,
    KeyMessage,
    Purpose,
    Audience,
    ConsentConfirmed,
    ConsentPhotoKey,
    CurrentVideoId,
    LatestVideoId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Id,
    ContestId,
    GroupId,
    SubmissionId,
    Length,
    UploadOffset,
    BytesReceived,
    Metadata,
    Filename,
    ContentType,
    LockId,
    LockedUntil,
    ExpiresAt,
    CompletedAt,
    VideoId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UploadParts {
    Table,
    UploadId,
    StartOffset,
    Length,
    StorageKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Videos {
    Table,
    Id,
    SubmissionId,
    UploadId,
    SourceBytes,
    OriginalFilename,
    Status,
    FailureCode,
    FailureMessage,
    Progress,
    Media,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    Status,
    Attempts,
    MaxAttempts,
    RunAt,
    LeasedBy,
    LeaseUntil,
    HeartbeatAt,
    LastError,
    UniqueKey,
    CreatedAt,
    UpdatedAt,
}
