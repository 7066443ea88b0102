//! A submission's videos: each upload becomes one, processed into renditions.

use serde::{Deserialize, Serialize};

/// Where a video is in processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter)
)]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::None)",
        rename_all = "snake_case"
    )
)]
pub enum VideoStatus {
    /// Uploaded; the media worker has not finished with it.
    Processing,
    /// Playable.
    Ready,
    /// The media worker gave up on it (the failure code says why).
    Failed,
}

impl VideoStatus {
    /// The stored and wire name, e.g. `processing`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Ready => "ready",
            Self::Failed => "failed",
        }
    }
}
