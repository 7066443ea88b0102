//! The schema of an exact number ([`clipjury_domain::judging::Exact`]) in the OpenAPI document.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

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
