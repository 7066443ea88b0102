//! The error every parser in this crate returns for bad input.

use crate::error_code::ErrorCode;

/// Input that does not satisfy a domain rule. `code` is stable and kebab-case; the web app translates it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    /// Stable, kebab-case code, e.g. `contest-title-empty`.
    pub code: ErrorCode,
    /// Plain-language explanation in English.
    pub message: String,
}

impl ValidationError {
    /// Builds an error from a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// Trims `raw` and checks it is non-empty and at most `max` characters long.
///
/// # Errors
/// `{what}-empty` or `{what}-too-long` codes supplied by the caller.
pub(crate) fn bounded_text(
    raw: &str,
    max: usize,
    empty: ErrorCode,
    too_long: ErrorCode,
    label: &str,
) -> Result<String, ValidationError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::new(
            empty,
            format!("{label} must not be empty"),
        ));
    }
    if trimmed.chars().count() > max {
        return Err(ValidationError::new(
            too_long,
            format!("{label} must be at most {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}
