//! Session extractors: `AnySession`, `Admin`, `Juror`, `GroupMember`, `MaybeSession`. Each reads the session cookie
//! or an `Authorization: Bearer` header and checks it against the database.

use clipjury_domain::error_code::ErrorCode;
use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use clipjury_service::auth::{IssuedSession, Session, authenticate};
use clipjury_service::{ServiceError, Services};
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
    let services = req.app_data::<web::Data<Services>>().ok_or_else(|| {
        ApiError::from(ServiceError::Unexpected(anyhow::anyhow!(
            "Services missing from app data"
        )))
    })?;
    Ok(Some(authenticate(services, &token).await?))
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

macro_rules! extractor {
    ($(#[$doc:meta])* $name:ident, $body:expr) => {
        $(#[$doc])*
        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move {
                    let session = session_of(req).await?;
                    #[allow(clippy::redundant_closure_call)]
                    ($body)(session)
                })
            }
        }
    };
}

/// Any signed-in session.
#[derive(Debug, Clone, Copy)]
pub struct AnySession(pub Session);
extractor!(AnySession, |s: Option<Session>| s
    .map(AnySession)
    .ok_or_else(sign_in_required));

/// A session, or nobody.
#[derive(Debug, Clone, Copy)]
pub struct MaybeSession(pub Option<Session>);
extractor!(MaybeSession, |s: Option<Session>| Ok(MaybeSession(s)));

/// An admin session.
#[derive(Debug, Clone, Copy)]
pub struct Admin(pub Session);
extractor!(Admin, |s: Option<Session>| match s {
    Some(s @ Session::Admin { .. }) => Ok(Admin(s)),
    Some(_) => Err(wrong_role("admins")),
    None => Err(sign_in_required()),
});

/// A juror session, with its contest.
#[derive(Debug, Clone, Copy)]
pub struct Juror {
    pub session: Session,
    pub participant_id: Uuid,
    pub contest_id: Uuid,
}
extractor!(Juror, |s: Option<Session>| match s {
    Some(
        session @ Session::Juror {
            participant_id,
            contest_id,
        },
    ) => Ok(Juror {
        session,
        participant_id,
        contest_id
    }),
    Some(_) => Err(wrong_role("jurors")),
    None => Err(sign_in_required()),
});

/// A group session, with its contest.
#[derive(Debug, Clone, Copy)]
pub struct GroupMember {
    pub session: Session,
    pub participant_id: Uuid,
    pub contest_id: Uuid,
}
extractor!(GroupMember, |s: Option<Session>| match s {
    Some(
        session @ Session::Group {
            participant_id,
            contest_id,
        },
    ) => Ok(GroupMember {
        session,
        participant_id,
        contest_id
    }),
    Some(_) => Err(wrong_role("groups")),
    None => Err(sign_in_required()),
});

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
