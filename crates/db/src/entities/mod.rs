//! sea-orm entities, one table a file. Only this crate and its callers in `service` see them.

pub mod admin;
pub mod audit_log;
pub mod contest;
pub mod invite;
pub mod job;
pub mod participant;
pub mod result;
pub mod score;
pub mod setting;
pub mod submission;
pub mod upload;
pub mod upload_part;
pub mod video;

#[cfg(test)]
mod stored_names {
    //! The enums the entities hold must store exactly the strings stored before they were enums.
    use clipjury_domain::contest::{ContestStatus, Locale};
    use clipjury_domain::judging::{Method, ScoreStatus};
    use clipjury_domain::participant::Role;
    use clipjury_domain::video::VideoStatus;
    use sea_orm::{ActiveEnum, Iterable};

    use super::job::JobStatus;

    fn names<E: ActiveEnum<Value = String>>() -> Vec<String> {
        E::iter().map(|e| e.to_value()).collect()
    }

    #[test]
    fn every_enum_stores_its_old_string() {
        assert_eq!(
            names::<ContestStatus>(),
            ["draft", "open", "judging", "closed", "published"]
        );
        assert_eq!(names::<Locale>(), ["en", "km"]);
        assert_eq!(names::<Method>(), ["mean", "median", "zscore", "rank_sum"]);
        assert_eq!(names::<Role>(), ["admin", "juror", "group"]);
        assert_eq!(names::<ScoreStatus>(), ["draft", "final", "recused"]);
        assert_eq!(names::<VideoStatus>(), ["processing", "ready", "failed"]);
        assert_eq!(
            names::<JobStatus>(),
            ["queued", "running", "done", "failed"]
        );
    }

    #[test]
    fn stored_names_match_the_wire_names() {
        for s in ContestStatus::iter() {
            assert_eq!(s.to_value(), s.as_str());
        }
        for m in Method::iter() {
            assert_eq!(m.to_value(), m.as_str());
        }
        for s in ScoreStatus::iter() {
            assert_eq!(s.to_value(), s.as_str());
        }
        for s in VideoStatus::iter() {
            assert_eq!(s.to_value(), s.as_str());
        }
        for s in JobStatus::iter() {
            assert_eq!(s.to_value(), s.as_str());
        }
        assert!(ContestStatus::try_from_value(&"archived".to_owned()).is_err());
    }
}
