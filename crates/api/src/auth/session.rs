//! Session extractors: `AnySession`, `Admin`, `Juror`, `GroupMember`, `ContestGroup`, `MaybeSession`. The role
//! extractors hand the handler the role's own session type, which the use cases take. Each reads the session cookie
//! or an `Authorization: Bearer` header and checks it against the database.

use clipjury_domain::error_code::ErrorCode;
use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use clipjury_domain::participant::Role;
use clipjury_service::auth::{
    AdminSession, GroupSession, IssuedSession, JurorSession, Session, authenticate,
};
use clipjury_service::{ServiceError, Services, contests};
use uuid::Uuid;

use crate::error::ApiError;

/// Name of the HttpOnly session cookie.
pub const SESSION_COOKIE: &str = "clipjury_session";

/// Whether cookies get the `Secure` flag (set when served over HTTPS).
#[derive(Debug, Clone, Copy)]
pub struct CookieSecure(pub bool);

fn token_from(req: &HttpRequest) -> Option<String> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    match bearer {
        Some(token) => Some(token.trim().to_owned()),
        None => req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()),
    }
}

async fn session_of(req: HttpRequest) -> Result<Option<Session>, ApiError> {
    let Some(token) = token_from(&req) else {
        return Ok(None);
    };
    let services = services_of(&req)?;
    Ok(Some(authenticate(&services, &token).await?))
}

fn services_of(req: &HttpRequest) -> Result<web::Data<Services>, ApiError> {
    req.app_data::<web::Data<Services>>()
        .cloned()
        .ok_or_else(|| {
            ApiError::from(ServiceError::Unexpected(anyhow::anyhow!(
                "Services missing from app data"
            )))
        })
}

fn sign_in_required() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::SignInRequired,
        "please sign in or open your invite link",
    )
}

fn wrong_role(what: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        ErrorCode::ForbiddenRole,
        format!("only {what} may do this"),
    )
}

/// `FromRequest` for `$name` from `$extract`, an async closure of the request.
macro_rules! extractor {
    ($name:ident, $extract:expr) => {
        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                #[allow(clippy::redundant_closure_call)]
                Box::pin(($extract)(req.clone()))
            }
        }
    };
}

/// Any signed-in session.
#[derive(Debug, Clone, Copy)]
pub struct AnySession(pub Session);
extractor!(AnySession, async |req| session_of(req)
    .await?
    .map(AnySession)
    .ok_or_else(sign_in_required));

/// A session, or nobody.
#[derive(Debug, Clone, Copy)]
pub struct MaybeSession(pub Option<Session>);
extractor!(MaybeSession, async |req| Ok(MaybeSession(
    session_of(req).await?
)));

/// An admin session; anyone else gets `forbidden-role`.
#[derive(Debug, Clone, Copy)]
pub struct Admin(pub AdminSession);
extractor!(Admin, async |req| match session_of(req).await? {
    Some(Session::Admin(admin)) => Ok(Admin(admin)),
    Some(_) => Err(wrong_role("admins")),
    None => Err(sign_in_required()),
});

/// A group session, of any contest (the use case answers `contest-not-found` for another contest than its own);
/// anyone else gets `forbidden-role`.
#[derive(Debug, Clone, Copy)]
pub struct GroupMember(pub GroupSession);
extractor!(GroupMember, async |req| match session_of(req).await? {
    Some(Session::Group(group)) => Ok(GroupMember(group)),
    Some(_) => Err(wrong_role("groups")),
    None => Err(sign_in_required()),
});

/// A role session of the contest in the path, as `$name($typed)`.
macro_rules! path_contest_extractor {
    ($(#[$doc:meta])* $name:ident($typed:ty), $variant:path, $role:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name(pub $typed);
        extractor!($name, async |req| in_path_contest(req, $role, |s| match s {
            $variant(own) => Some(($name(own), own.contest_id())),
            _ => None,
        })
        .await);
    };
}

path_contest_extractor!(
    /// A juror of the contest in the path (`{contest_id}`). Anyone else is refused as [`contests::refuse_role`]
    /// says: `forbidden-role` (403) when they can see the contest, `contest-not-found` (404) when they cannot.
    Juror(JurorSession),
    Session::Juror,
    Role::Juror
);

path_contest_extractor!(
    /// A group of the contest in the path (`{contest_id}`), refused as [`Juror`] refuses. (The submission
    /// endpoints take [`GroupMember`] instead, which answers every other role `forbidden-role`.)
    ContestGroup(GroupSession),
    Session::Group,
    Role::Group
);

/// What `own` takes from the session, when it is a `role` of the contest in the path; the refusal otherwise. A
/// path whose contest is not a UUID is `not-found`, as a bad path parameter is everywhere.
async fn in_path_contest<T>(
    req: HttpRequest,
    role: Role,
    own: impl FnOnce(Session) -> Option<(T, Uuid)>,
) -> Result<T, ApiError> {
    if token_from(&req).is_none() {
        return Err(sign_in_required());
    }
    let contest_id = req
        .match_info()
        .get("contest_id")
        .and_then(|c| Uuid::parse_str(c).ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                "no such resource",
            )
        })?;
    let services = services_of(&req)?;
    let session = session_of(req).await?.ok_or_else(sign_in_required)?;
    match own(session) {
        Some((typed, own_contest)) if own_contest == contest_id => Ok(typed),
        _ => Err(contests::refuse_role(&services, &session, contest_id, role)
            .await
            .into()),
    }
}

/// The cookie that carries a freshly issued session.
pub fn session_cookie(issued: &IssuedSession, secure: CookieSecure) -> Cookie<'static> {
    let max_age = (issued.expires_at - chrono::Utc::now())
        .num_seconds()
        .max(0);
    Cookie::build(SESSION_COOKIE, issued.token.clone())
        .path("/")
        .http_only(true)
        .secure(secure.0)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::seconds(max_age))
        .finish()
}

/// A cookie that deletes the session cookie.
pub fn cleared_cookie(secure: CookieSecure) -> Cookie<'static> {
    let mut c = Cookie::build(SESSION_COOKIE, "")
        .path("/")
        .http_only(true)
        .secure(secure.0)
        .same_site(SameSite::Lax)
        .finish();
    c.make_removal();
    c
}
