use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

// The service's views and inputs are the wire types: they derive their schemas under these names (their domain
// fields point at `ContestStatusDto` and `judging::rubric_dto::RubricDto`, defined here).
pub use clipjury_service::contests::{
    AuditEntryView as AuditEntryDto, ContestBrief as ContestBriefDto,
    ContestPatch as UpdateContestRequest, ContestView as ContestDto,
    ContestViewFor as ContestResponse, NewContest as CreateContestRequest,
};

/// Lifecycle status of a contest.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ContestStatusDto {
    Draft,
    Open,
    Judging,
    Closed,
    Published,
}

impl From<clipjury_domain::contest::ContestStatus> for ContestStatusDto {
    fn from(s: clipjury_domain::contest::ContestStatus) -> Self {
        use clipjury_domain::contest::ContestStatus as S;
        match s {
            S::Draft => Self::Draft,
            S::Open => Self::Open,
            S::Judging => Self::Judging,
            S::Closed => Self::Closed,
            S::Published => Self::Published,
        }
    }
}

impl From<ContestStatusDto> for clipjury_domain::contest::ContestStatus {
    fn from(s: ContestStatusDto) -> Self {
        match s {
            ContestStatusDto::Draft => Self::Draft,
            ContestStatusDto::Open => Self::Open,
            ContestStatusDto::Judging => Self::Judging,
            ContestStatusDto::Closed => Self::Closed,
            ContestStatusDto::Published => Self::Published,
        }
    }
}

/// Move a contest to another status. Moving back needs a reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub to: ContestStatusDto,
    pub reason: Option<String>,
}

/// Start a follow-up round with some of the groups.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRequest {
    /// Groups of this contest to invite (e.g. the top 3); they keep their names.
    pub group_ids: Vec<Uuid>,
    /// Defaults to "<title> (follow-up)".
    pub title: Option<String>,
}

/// The new draft contest with its jurors and groups and their fresh invites.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpResponse {
    pub contest: ContestDto,
    pub participants: Vec<crate::participants::ParticipantDto>,
}

impl From<clipjury_service::contests::FollowUp> for FollowUpResponse {
    fn from(f: clipjury_service::contests::FollowUp) -> Self {
        Self {
            contest: f.contest,
            participants: f.participants.into_iter().map(Into::into).collect(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use clipjury_domain::contest::ContestStatus;
    use clipjury_domain::judging::{Criterion, CriterionKey, Rubric, Scale};

    use super::ContestStatusDto;
    use crate::judging::rubric_dto::RubricDto;

    /// The contest views send the domain's status and rubric as the domain serializes them, under schemas that
    /// name `ContestStatusDto` and `RubricDto`: both forms must be the same JSON.
    #[test]
    fn domain_status_and_rubric_serialize_as_the_schemas_they_name() {
        use ContestStatus as S;
        for s in [S::Draft, S::Open, S::Judging, S::Closed, S::Published] {
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::to_value(ContestStatusDto::from(s)).unwrap()
            );
        }
        let odd = Criterion::new(
            CriterionKey::parse("reach").unwrap(),
            "Reach",
            "Who it would reach",
            "22/3".parse().unwrap(),
            Scale::new(
                "0".parse().unwrap(),
                "2.5".parse().unwrap(),
                "0.5".parse().unwrap(),
            )
            .unwrap(),
        )
        .unwrap();
        let mut criteria = Rubric::default_for_new_contest().criteria().to_vec();
        criteria.push(odd);
        let rubric = Rubric::new(criteria).unwrap();
        let domain = serde_json::to_value(&rubric).unwrap();
        assert_eq!(
            domain,
            serde_json::to_value(RubricDto::from(&rubric)).unwrap()
        );
        assert_eq!(domain["criteria"][5]["weight"], "22/3");
        assert_eq!(domain["criteria"][5]["scale"]["max"], 2.5);
    }
}
