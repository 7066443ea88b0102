use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entities::admin::{self, Entity as Admins};

/// Number of admin accounts.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbError> {
    Ok(Admins::find().count(db).await?)
}

/// Creates an admin.
///
/// # Errors
/// [`DbError::UniqueViolation`] when the e-mail is taken.
pub async fn insert(
    db: &impl ConnectionTrait,
    id: Uuid,
    email: &str,
    password_hash: &str,
) -> Result<admin::Model, DbError> {
    let row = admin::ActiveModel {
        id: Set(id),
        email: Set(email.to_owned()),
        password_hash: Set(password_hash.to_owned()),
        created_at: Set(Utc::now()),
        last_login_at: Set(None),
        session_version: Set(0),
    };
    Ok(row.insert(db).await?)
}

/// The admin with that (lower-cased) e-mail.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<admin::Model>, DbError> {
    Ok(Admins::find()
        .filter(admin::Column::Email.eq(email))
        .one(db)
        .await?)
}

/// The admin with that id.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<admin::Model>, DbError> {
    Ok(Admins::find_by_id(id).one(db).await?)
}

/// Records a successful login and, when given, a re-hashed password (parameters upgraded).
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn record_login(
    db: &impl ConnectionTrait,
    id: Uuid,
    new_hash: Option<String>,
) -> Result<(), DbError> {
    let mut row = admin::ActiveModel {
        id: Set(id),
        last_login_at: Set(Some(Utc::now())),
        ..Default::default()
    };
    if let Some(hash) = new_hash {
        row.password_hash = Set(hash);
    }
    row.update(db).await?;
    Ok(())
}

/// Replaces an admin's password hash.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn set_password(db: &impl ConnectionTrait, id: Uuid, hash: &str) -> Result<(), DbError> {
    admin::ActiveModel {
        id: Set(id),
        password_hash: Set(hash.to_owned()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Ends every session of an admin (logout): tokens carry the version they were signed with.
///
/// # Errors
/// [`DbError`] on database failure.
pub async fn bump_session_version(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbError> {
    Admins::update_many()
        .col_expr(
            admin::Column::SessionVersion,
            Expr::col(admin::Column::SessionVersion).add(1),
        )
        .filter(admin::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
