use chrono::Utc;
use clipjury_domain::participant::Role;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::participant::{self, Entity as Participants};

pub use participant::Model as ParticipantRow;

/// Adds a group or juror to a contest.
///
/// # Errors
/// [`DbError::UniqueViolation`] when the contest already has one of that role with that name.
pub async fn insert(
    db: &impl ConnectionTrait,
    id: Uuid,
    contest_id: Uuid,
    role: Role,
    name: &str,
) -> Result<ParticipantRow, DbError> {
    let row = participant::ActiveModel {
        id: Set(id),
        contest_id: Set(contest_id),
        role: Set(role),
        name: Set(name.to_owned()),
        session_version: Set(1),
        created_at: Set(Utc::now()),
    };
    Ok(row.insert(db).await?)
}

/// The participant with that id.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ParticipantRow>, DbError> {
    Ok(Participants::find_by_id(id).one(db).await?)
}

/// Participants of a contest, optionally of one role, in the order they were added.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn list(
    db: &impl ConnectionTrait,
    contest_id: Uuid,
    role: Option<Role>,
) -> Result<Vec<ParticipantRow>, DbError> {
    let mut query = Participants::find().filter(participant::Column::ContestId.eq(contest_id));
    if let Some(role) = role {
        query = query.filter(participant::Column::Role.eq(role));
    }
    Ok(query
        .order_by_asc(participant::Column::CreatedAt)
        .order_by_asc(participant::Column::Id)
        .all(db)
        .await?)
}

/// Ends every session issued to this participant so far.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn bump_session_version(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbError> {
    Participants::update_many()
        .col_expr(
            participant::Column::SessionVersion,
            Expr::col(participant::Column::SessionVersion).add(1),
        )
        .filter(participant::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Renames a participant.
///
/// # Errors
/// [`DbError::UniqueViolation`] when the name is taken in that contest and role.
pub async fn rename(
    db: &impl ConnectionTrait,
    id: Uuid,
    name: &str,
) -> Result<ParticipantRow, DbError> {
    Ok(participant::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        ..Default::default()
    }
    .update(db)
    .await?)
}

/// Removes a participant and (by cascade) its invites.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbError> {
    Participants::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// How many groups and jurors the contests of one admin have (room mode warns when they cannot open their links).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn count_for_owner(db: &impl ConnectionTrait, owner: Uuid) -> Result<u64, DbError> {
    use sea_orm::PaginatorTrait as _;
    use sea_orm::sea_query::Query;

    use crate::entities::contest;
    let owned = Query::select()
        .column(contest::Column::Id)
        .from(contest::Entity)
        .and_where(contest::Column::OwnerId.eq(owner))
        .to_owned();
    Ok(Participants::find()
        .filter(participant::Column::ContestId.in_subquery(owned))
        .count(db)
        .await?)
}
