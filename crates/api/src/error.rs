//! The one error shape of the API: `{"code": "kebab-case", "message": "..."}` with a real status code.

use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, error as actix_error, web};
use clipjury_domain::error_code::ErrorCode;
use clipjury_service::ServiceError;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// Body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable kebab-case code, e.g. `contest-not-found`; the web app translates it.
    #[schema(value_type = ErrorCodeSchema)]
    pub code: ErrorCode,
    /// English explanation for people reading logs or scripts.
    pub message: String,
}

/// The OpenAPI schema of [`ErrorCode`]: a string, one of every code clipjury answers with (the domain crate stays
/// free of the OpenAPI library, so the schema is written here from `ErrorCode::ALL`).
pub struct ErrorCodeSchema;

impl utoipa::PartialSchema for ErrorCodeSchema {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A stable kebab-case error code; the web app translates every one.",
            ))
            .enum_values(Some(ErrorCode::ALL.iter().map(|c| c.as_str())))
            .into()
    }
}

impl ToSchema for ErrorCodeSchema {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ErrorCode")
    }
}

/// An error on its way to the client.
#[derive(Debug, thiserror::Error)]
#[error("{status}: {code}: {message}")]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// The stable code.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        self.code
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        let (status, code, message) = match err {
            ServiceError::Validation(v) => (StatusCode::BAD_REQUEST, v.code, v.message),
            ServiceError::Unauthenticated { code, message } => {
                (StatusCode::UNAUTHORIZED, code, message)
            }
            ServiceError::Forbidden { code, message } => (StatusCode::FORBIDDEN, code, message),
            ServiceError::NotFound { code, message } => (StatusCode::NOT_FOUND, code, message),
            ServiceError::Conflict { code, message } => (StatusCode::CONFLICT, code, message),
            ServiceError::Gone { code, message } => (StatusCode::GONE, code, message),
            ServiceError::TooLarge { code, message } => {
                (StatusCode::PAYLOAD_TOO_LARGE, code, message)
            }
            // 460 is the tus checksum extension's "Checksum Mismatch".
            ServiceError::ChecksumMismatch { code, message } => (
                StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
                code,
                message,
            ),
            ServiceError::RateLimited { retry_after_secs } => {
                let mut e = Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::RateLimited,
                    format!("too many attempts; try again in {retry_after_secs} s"),
                );
                e.retry_after = Some(retry_after_secs);
                return e;
            }
            ServiceError::Unexpected(cause) => {
                tracing::error!(error = ?cause, "request failed unexpectedly");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::InternalError,
                    "something went wrong on our side; please try again".into(),
                )
            }
        };
        Self::new(status, code, message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, HeaderValue::from(secs)));
        }
        res.insert_header((header::CACHE_CONTROL, "no-store"));
        res.json(ErrorBody {
            code: self.code,
            message: self.message.clone(),
        })
    }
}

/// JSON bodies: malformed or unknown fields → 400 `invalid-body`, too big → 413, wrong type → 415.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(64 * 1024)
        .error_handler(|err, _req: &HttpRequest| {
            let api = match &err {
                actix_error::JsonPayloadError::OverflowKnownLength { .. }
                | actix_error::JsonPayloadError::Overflow { .. } => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::BodyTooLarge,
                    "the request body is larger than 64 KiB",
                ),
                actix_error::JsonPayloadError::ContentType => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ErrorCode::UnsupportedMediaType,
                    "send the body as application/json",
                ),
                actix_error::JsonPayloadError::Deserialize(e) => ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::InvalidBody,
                    format!("the JSON body is not valid: {e}"),
                ),
                other => ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::InvalidBody,
                    format!("the body could not be read: {other}"),
                ),
            };
            actix_error::InternalError::from_response(err, api.error_response()).into()
        })
}

/// Query strings that do not parse → 400 `invalid-query`.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let api = ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidQuery,
            format!("the query string is not valid: {err}"),
        );
        actix_error::InternalError::from_response(err, api.error_response()).into()
    })
}

/// Path segments that do not parse (a malformed id) → 404, as for any id that does not exist.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        let api = ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no such resource",
        );
        actix_error::InternalError::from_response(err, api.error_response()).into()
    })
}

/// Any `/api` route that does not exist.
pub async fn route_not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::RouteNotFound,
        "no such API route",
    ))
}
