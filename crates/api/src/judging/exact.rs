//! The schema of an exact number ([`clipjury_domain::judging::Exact`]) in the OpenAPI document: defined in the
//! service, whose views carry exact numbers to the API as they are.

pub use clipjury_service::judging::ExactNumber;
