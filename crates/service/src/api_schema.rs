//! OpenAPI schemas that the api crate defines and that service views the API sends as they are refer to.
//!
//! A view whose fields are domain types (`ContestStatus`, `Rubric`) serializes them with the domain's serde
//! form, which is the JSON the api's `ContestStatusDto` and `RubricDto` describe; the view's schema points at
//! those by name. The api's OpenAPI test checks that every `$ref` in the document resolves.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, RefBuilder, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// A reference to the api's schema named `name` (a field's `///` is not read where `schema_with` builds the
/// schema, so a description goes here).
fn named(name: &str, description: Option<&str>) -> RefOr<Schema> {
    RefOr::Ref(
        RefBuilder::new()
            .ref_location_from_schema_name(name)
            .description(description)
            .build(),
    )
}

/// A contest's lifecycle status (the api's `ContestStatusDto`: `draft`, `open`, `judging`, `closed`, `published`).
pub(crate) fn contest_status() -> RefOr<Schema> {
    named("ContestStatusDto", None)
}

/// A rubric (the api's `RubricDto`, the domain `Rubric`'s JSON).
pub(crate) fn rubric() -> RefOr<Schema> {
    named("RubricDto", None)
}

/// A rubric, as a contest's brief gives it to its groups and jurors.
pub(crate) fn jurors_rubric() -> RefOr<Schema> {
    named("RubricDto", Some("The rubric jurors score with."))
}

/// The schema of an exact number ([`clipjury_domain::judging::Exact`]) in the OpenAPI document.
///
/// Names the schema of a field of type `Exact` (`#[schema(value_type = ExactNumber)]`): a JSON number when the value
/// has a short decimal form (`7.5`), otherwise a string holding a fraction (`"22/3"`) or a long decimal. Requests may
/// send either form.
pub struct ExactNumber;

impl PartialSchema for ExactNumber {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("A fraction such as \"22/3\", or a decimal.")),
            )
            .description(Some(
                "An exact number: a JSON number when it has a short decimal form (7.5), otherwise a string holding \
                 a fraction (\"22/3\") or a long decimal.",
            ))
            .into()
    }
}

impl ToSchema for ExactNumber {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Exact")
    }
}
