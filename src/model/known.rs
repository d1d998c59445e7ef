//! A value that may not be known until the infrastructure is applied.
//!
//! In the inventory document a known value is written as itself and an unknown one as
//! `{"unknown": true}`, so a reader can never mistake "unknown" for "absent".

use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// A value known at plan time, or unknown until apply.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Known<T> {
    /// The value.
    Known(T),
    /// Not known until the infrastructure is applied.
    Unknown,
}

impl<T> Known<T> {
    /// A `Known` of a reference to the value.
    pub fn as_ref(&self) -> Known<&T> {
        match self {
            Known::Known(v) => Known::Known(v),
            Known::Unknown => Known::Unknown,
        }
    }

    /// The value if it is known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Known::Known(v) => Some(v),
            Known::Unknown => None,
        }
    }

    /// Whether the value is unknown.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Known::Unknown)
    }

    /// Applies `f` to a known value; unknown stays unknown.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Known<U> {
        match self {
            Known::Known(v) => Known::Known(f(v)),
            Known::Unknown => Known::Unknown,
        }
    }
}

impl<T> From<Option<T>> for Known<T> {
    /// `None` means unknown.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Known::Known(v),
            None => Known::Unknown,
        }
    }
}

impl<T: Serialize> Serialize for Known<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Known::Known(v) => v.serialize(serializer),
            Known::Unknown => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("unknown", &true)?;
                map.end()
            }
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Known<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        if let serde_json::Value::Object(map) = &value
            && map.len() == 1
            && map.get("unknown") == Some(&serde_json::Value::Bool(true))
        {
            return Ok(Known::Unknown);
        }
        T::deserialize(value)
            .map(Known::Known)
            .map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_round_trips_as_marker_object() {
        let v: Known<String> = Known::Unknown;
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(text, r#"{"unknown":true}"#);
        assert_eq!(serde_json::from_str::<Known<String>>(&text).unwrap(), v);
    }

    #[test]
    fn known_value_is_written_as_itself() {
        let v = Known::Known(vec!["DE".to_owned()]);
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"["DE"]"#);
        let back: Known<Vec<String>> = serde_json::from_str(r#"["DE"]"#).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn known_null_is_not_unknown() {
        let back: Known<Option<String>> = serde_json::from_str("null").unwrap();
        assert_eq!(back, Known::Known(None));
    }
}
