//! Judging: each contest's rubric and tie rule (existing contests get the defaults), jurors' score cards, and the
//! admin's tie decisions and confirmed result.

use sea_orm_migration::{prelude::*, schema::*};

/// `Rubric::default_for_new_contest()` as stored JSON, frozen here so the migration does not change when the default
/// does (a unit test checks they agree today).
pub const DEFAULT_RUBRIC_JSON: &str = r#"{"criteria":[{"key":"message","name":"Message","description":"The key message is clear and right.","weight":1,"scale":{"min":1,"max":10,"step":1}},{"key":"creativity","name":"Creativity","description":"An original idea, told in a fresh way.","weight":1,"scale":{"min":1,"max":10,"step":1}},{"key":"technical_quality","name":"Technical quality","description":"Image, sound, editing.","weight":1,"scale":{"min":1,"max":10,"step":1}},{"key":"impact","name":"Impact on the audience","description":"It reaches and moves the intended audience.","weight":1,"scale":{"min":1,"max":10,"step":1}},{"key":"respect_consent","name":"Respect and consent","description":"People portrayed fairly, consent shown.","weight":1,"scale":{"min":1,"max":10,"step":1}}]}"#;

/// The default tie rule: median, then count of first places.
pub const DEFAULT_TIE_RULE_JSON: &str = r#"["median","first_places"]"#;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time. The defaults backfill existing contests.
        manager
            .alter_table(
                Table::alter()
                    .table(Contests::Table)
                    .add_column(json(Contests::Rubric).default(DEFAULT_RUBRIC_JSON))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Contests::Table)
                    .add_column(json(Contests::TieRule).default(DEFAULT_TIE_RULE_JSON))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Scores::Table)
                    .if_not_exists()
                    .col(uuid(Scores::Id).primary_key())
                    .col(uuid(Scores::ContestId))
                    .col(uuid(Scores::SubmissionId))
                    .col(uuid(Scores::JurorId))
                    .col(string(Scores::Status))
                    .col(json(Scores::Scores))
                    .col(text(Scores::PrivateComment))
                    .col(text(Scores::Feedback))
                    .col(text_null(Scores::RecusalReason))
                    .col(integer(Scores::Version))
                    .col(timestamp_with_time_zone_null(Scores::SubmittedAt))
                    .col(timestamp_with_time_zone(Scores::CreatedAt))
                    .col(timestamp_with_time_zone(Scores::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Scores::Table, Scores::ContestId)
                            .to(Contests::Table, Contests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Scores::Table, Scores::SubmissionId)
                            .to(Submissions::Table, Submissions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Scores::Table, Scores::JurorId)
                            .to(Participants::Table, Participants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_scores_submission_juror")
                    .table(Scores::Table)
                    .col(Scores::SubmissionId)
                    .col(Scores::JurorId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_scores_contest")
                    .table(Scores::Table)
                    .col(Scores::ContestId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Results::Table)
                    .if_not_exists()
                    .col(uuid(Results::ContestId).primary_key())
                    .col(json(Results::TieDecisions))
                    .col(json_null(Results::Confirmed))
                    .col(timestamp_with_time_zone_null(Results::ConfirmedAt))
                    .col(uuid_null(Results::ConfirmedBy))
                    .col(timestamp_with_time_zone(Results::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Results::Table, Results::ContestId)
                            .to(Contests::Table, Contests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Results::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Scores::Table).to_owned())
            .await?;
        for col in [Contests::TieRule, Contests::Rubric] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Contests::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Contests {
    Table,
    Id,
    Rubric,
    TieRule,
}

#[derive(DeriveIden)]
enum Submissions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Participants {
    Table,
    Id,
}

// The `scores` column holds a card's per-criterion scores; the table is named after its rows.
#[allow(clippy::enum_variant_names)]
#[derive(DeriveIden)]
enum Scores {
    Table,
    Id,
    ContestId,
    SubmissionId,
    JurorId,
    /// `draft`, `final` or `recused`.
    Status,
    /// Criterion key → score (exact numbers as the domain writes them).
    Scores,
    PrivateComment,
    Feedback,
    RecusalReason,
    /// Bumped on every write; a write naming an older version is refused.
    Version,
    SubmittedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Results {
    Table,
    ContestId,
    /// Admin decisions for ties the tie rule left, as `[{"order": [entry ids], "reason"}]`.
    TieDecisions,
    /// The frozen result once confirmed: places 1–3 and honourable mentions.
    Confirmed,
    ConfirmedAt,
    ConfirmedBy,
    UpdatedAt,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use clipjury_domain::judging::{Rubric, TieRule};

    #[test]
    fn frozen_defaults_equal_the_domain_defaults() {
        let rubric: Rubric = serde_json::from_str(super::DEFAULT_RUBRIC_JSON).unwrap();
        assert_eq!(rubric, Rubric::default_for_new_contest());
        let rule: TieRule = serde_json::from_str(super::DEFAULT_TIE_RULE_JSON).unwrap();
        assert_eq!(rule, TieRule::default());
    }
}
