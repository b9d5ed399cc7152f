//! Weekly hours (opening hours, working hours, breaks) as the database stores them: JSON text.

use super::StoreError;
use crate::domain::OpeningHours;
use std::collections::BTreeMap;

/// Weekly hours as stored: `{"mon": ["09:00-18:00"]}`.
pub(super) fn hours_json(hours: &OpeningHours) -> String {
    serde_json::to_string(&hours.to_map()).expect("map of strings serializes")
}

/// Weekly hours as stored, parsed (and checked again: the database is not trusted blindly).
pub(super) fn parse_hours(text: &str) -> Result<OpeningHours, StoreError> {
    let map: BTreeMap<String, Vec<String>> = serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    OpeningHours::parse(&map).map_err(StoreError::Corrupt)
}
