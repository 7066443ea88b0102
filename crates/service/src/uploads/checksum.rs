use base64::Engine as _;
use clipjury_domain::error_code::ErrorCode;
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

use crate::ServiceError;

/// A checksum algorithm of the tus checksum extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecksumAlgorithm {
    /// Required by the tus specification.
    Sha1,
    /// Stronger; what the web app sends.
    Sha256,
}

/// An expected checksum of one request's body (`Upload-Checksum: sha256 <base64>`).
#[derive(Debug, Clone)]
pub struct Checksum {
    pub algorithm: ChecksumAlgorithm,
    pub expected: Vec<u8>,
}

impl Checksum {
    /// Algorithms the server supports, for `Tus-Checksum-Algorithm`.
    pub const SUPPORTED: &'static str = "sha1,sha256";

    /// Parses an `Upload-Checksum` header value.
    ///
    /// # Errors
    /// `checksum-algorithm-unsupported` or `checksum-invalid` (400).
    pub fn parse(header: &str) -> Result<Self, ServiceError> {
        let invalid = || {
            ServiceError::Validation(clipjury_domain::validation::ValidationError::new(
                ErrorCode::ChecksumInvalid,
                "Upload-Checksum must be '<algorithm> <base64>'",
            ))
        };
        let (alg, value) = header.trim().split_once(' ').ok_or_else(invalid)?;
        let algorithm = match alg {
            "sha1" => ChecksumAlgorithm::Sha1,
            "sha256" => ChecksumAlgorithm::Sha256,
            _ => {
                return Err(ServiceError::Validation(
                    clipjury_domain::validation::ValidationError::new(
                        ErrorCode::ChecksumAlgorithmUnsupported,
                        format!("checksum algorithm '{alg}' is not supported (use sha1 or sha256)"),
                    ),
                ));
            }
        };
        let expected = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .map_err(|_| invalid())?;
        Ok(Self {
            algorithm,
            expected,
        })
    }

    pub(crate) fn hasher(&self) -> Hasher {
        match self.algorithm {
            ChecksumAlgorithm::Sha1 => Hasher::Sha1(Sha1::new()),
            ChecksumAlgorithm::Sha256 => Hasher::Sha256(Sha256::new()),
        }
    }
}

/// A running hash over a request body.
pub(crate) enum Hasher {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl Hasher {
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Sha1(h) => h.update(bytes),
            Self::Sha256(h) => h.update(bytes),
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            Self::Sha1(h) => h.finalize().to_vec(),
            Self::Sha256(h) => h.finalize().to_vec(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_algorithms_and_refuses_others() {
        let c = Checksum::parse("sha256 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=").unwrap();
        let mut h = c.hasher();
        h.update(b"");
        assert_eq!(h.finish(), c.expected);
        assert!(Checksum::parse("sha1 2jmj7l5rSw0yVb/vlWAYkK/YBwk=").is_ok());
        assert!(Checksum::parse("md5 1B2M2Y8AsgTpgAmY7PhCfg==").is_err());
        assert!(Checksum::parse("sha256").is_err());
    }

    proptest::proptest! {
        /// Whatever a client sends as Upload-Checksum: no panic; a well-formed header always parses back.
        #[test]
        fn any_checksum_header_is_parsed_or_refused(raw in "[ -~]{0,80}", digest in proptest::collection::vec(0u8.., 1..40)) {
            let _ = Checksum::parse(&raw);
            use base64::Engine as _;
            let header = format!("sha256 {}", base64::engine::general_purpose::STANDARD.encode(&digest));
            let c = Checksum::parse(&header).unwrap();
            proptest::prop_assert_eq!(c.expected, digest);
        }
    }
}
