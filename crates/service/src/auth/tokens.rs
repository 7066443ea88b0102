//! HS256 session tokens (JWT). Only HS256 is accepted: `alg: none` and every other algorithm are refused.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a session token says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Claims {
    /// Admin id or participant id.
    pub sub: Uuid,
    /// `admin`, `juror` or `group`.
    pub role: String,
    /// The contest a juror or group session is scoped to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cid: Option<Uuid>,
    /// The participant's session version when issued; a revoked invite bumps it.
    #[serde(default)]
    pub ver: i32,
    pub iat: i64,
    pub exp: i64,
}

/// Signing and verification keys from the instance secret.
pub(crate) struct SessionKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl SessionKeys {
    pub(crate) fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub(crate) fn sign(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
    }

    /// The claims of a valid, unexpired token signed with our secret.
    pub(crate) fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|d| d.claims)
    }
}

/// Claims valid from now for `hours`.
pub(crate) fn claims(
    sub: Uuid,
    role: &str,
    cid: Option<Uuid>,
    ver: i32,
    hours: u32,
) -> (Claims, DateTime<Utc>) {
    let now = Utc::now();
    let exp = now + chrono::Duration::hours(i64::from(hours));
    (
        Claims {
            sub,
            role: role.to_owned(),
            cid,
            ver,
            iat: now.timestamp(),
            exp: exp.timestamp(),
        },
        exp,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use base64::Engine as _;

    use super::*;

    fn keys() -> SessionKeys {
        SessionKeys::new(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn a_signed_token_round_trips() {
        let (c, _) = claims(Uuid::nil(), "admin", None, 0, 1);
        assert_eq!(keys().verify(&keys().sign(&c).unwrap()).unwrap(), c);
    }

    #[test]
    fn alg_none_and_other_secrets_and_expired_tokens_are_refused() {
        let (c, _) = claims(Uuid::nil(), "admin", None, 0, 1);
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let none = format!(
            "{}.{}.",
            b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
            b64.encode(serde_json::to_vec(&c).unwrap())
        );
        assert!(keys().verify(&none).is_err());
        let other = SessionKeys::new(b"another secret of thirty-two byt")
            .sign(&c)
            .unwrap();
        assert!(keys().verify(&other).is_err());
        let expired = Claims {
            exp: Utc::now().timestamp() - 60,
            ..c
        };
        assert!(keys().verify(&keys().sign(&expired).unwrap()).is_err());
    }
}
