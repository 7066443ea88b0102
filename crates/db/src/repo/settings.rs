use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::DbError;
use crate::entities::setting::{self, Entity as Settings};

/// The value stored under `key`.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbError> {
    Ok(Settings::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|s| s.value))
}

/// Stores `value` under `key` unless a value is there already, and returns whichever value is stored now.
/// Safe when several nodes race to initialise the same key: all of them end up with the winner's value.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn get_or_insert(
    db: &impl ConnectionTrait,
    key: &str,
    value: &str,
) -> Result<String, DbError> {
    let row = setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    };
    Settings::insert(row)
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    get(db, key)
        .await?
        .ok_or_else(|| DbError::Corrupt(format!("setting {key} vanished after insert")))
}

/// Stores or replaces `value` under `key`.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn put(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<(), DbError> {
    let row = setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    };
    Settings::insert(row)
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Removes `key`; returns whether it existed.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn delete(db: &impl ConnectionTrait, key: &str) -> Result<bool, DbError> {
    Ok(Settings::delete_by_id(key.to_owned())
        .exec(db)
        .await?
        .rows_affected
        > 0)
}
