//! A minimum the rules may waive: `"any"` or a number, and its schema.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type};

/// A minimum the rules may waive: the string `"any"` (no minimum) or a number.
///
/// JSON: `"any"` or the number itself, e.g. `"min_sales_share_bp": 3000` or
/// `"min_sales_share_bp": "any"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold<T> {
    /// No minimum: see each criterion for what it then checks.
    Any,
    /// At least this value.
    AtLeast(T),
}

impl<T: Serialize> Serialize for Threshold<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Threshold::Any => s.serialize_str("any"),
            Threshold::AtLeast(value) => value.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Threshold<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Keyword {
            Any,
        }
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "the string \"any\" or a number")]
        enum Repr<T> {
            Keyword(Keyword),
            Value(T),
        }
        Ok(match Repr::<T>::deserialize(d)? {
            Repr::Keyword(Keyword::Any) => Threshold::Any,
            Repr::Value(value) => Threshold::AtLeast(value),
        })
    }
}

/// `oneOf` the string `"any"` and the bounded number `number`.
fn threshold_schema(description: &str, number: ObjectBuilder) -> Schema {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["any"]))
                .description(Some("No minimum.")),
        )
        .item(number)
        .description(Some(description))
        .into()
}

pub(super) fn fte_threshold_schema() -> Schema {
    threshold_schema(
        "Minimum salaried staff in full-time equivalents (0 to 100 000), or \"any\": any declared \
         staff passes, 0 included.",
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
            .minimum(Some(0))
            .maximum(Some(100_000))
            .examples([serde_json::json!(1.0)]),
    )
}

fn bp_threshold_schema(description: &str, example: u32) -> Schema {
    threshold_schema(
        description,
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(0))
            .maximum(Some(10_000))
            .examples([serde_json::json!(example)]),
    )
}

pub(super) fn sales_share_schema() -> Schema {
    bp_threshold_schema(
        "Minimum sales revenue as a share of operating revenue, in basis points (0 to 10000), or \
         \"any\": the declaration of a market activity suffices, whatever the share.",
        3000,
    )
}

pub(super) fn own_revenue_share_schema() -> Schema {
    bp_threshold_schema(
        "Minimum operating revenue as a share of operating costs, in basis points (0 to 10000), \
         or \"any\": passes whatever the ratio, even without accounts.",
        5000,
    )
}
