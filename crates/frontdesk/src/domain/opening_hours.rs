use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One opening interval of a day, `open < close`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// First minute of the interval.
    pub open: NaiveTime,
    /// End of the interval (exclusive).
    pub close: NaiveTime,
}

impl TimeRange {
    /// Parses `"09:00-18:00"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (open, close) =
            text.split_once('-').ok_or_else(|| format!("{text:?} is not a time range like \"09:00-18:00\""))?;
        let open = parse_clock(open.trim())?;
        let close = if close.trim() == "24:00" {
            NaiveTime::from_hms_opt(23, 59, 59).expect("valid time")
        } else {
            parse_clock(close.trim())?
        };
        if open >= close {
            return Err(format!("{text:?}: opening must be before closing"));
        }
        Ok(Self { open, close })
    }

    /// Whether `time` lies within `[open, close)`.
    pub fn contains(&self, time: NaiveTime) -> bool {
        self.open <= time && time < self.close
    }

    fn render(&self) -> String {
        format!("{}-{}", self.open.format("%H:%M"), self.close.format("%H:%M"))
    }
}

fn parse_clock(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| format!("{text:?} is not a time like \"09:00\""))
}

/// The weekly opening hours of a branch: sorted, non-overlapping intervals per weekday.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpeningHours {
    days: [Vec<TimeRange>; 7],
}

const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl OpeningHours {
    /// Parses a map like `{ mon = ["09:00-18:00"], wed = ["09:00-13:00", "14:00-18:00"] }`.
    pub fn parse(map: &BTreeMap<String, Vec<String>>) -> Result<Self, String> {
        let mut days: [Vec<TimeRange>; 7] = Default::default();
        for (key, ranges) in map {
            let index = DAY_KEYS
                .iter()
                .position(|day| day.eq_ignore_ascii_case(key))
                .ok_or_else(|| format!("unknown weekday {key:?} (use mon, tue, …, sun)"))?;
            let mut parsed = ranges.iter().map(|r| TimeRange::parse(r)).collect::<Result<Vec<_>, _>>()?;
            parsed.sort_by_key(|r| r.open);
            if parsed.windows(2).any(|pair| pair[0].close > pair[1].open) {
                return Err(format!("{key}: opening intervals overlap"));
            }
            days[index] = parsed;
        }
        Ok(Self { days })
    }

    /// The intervals of one weekday (empty when closed).
    pub fn on(&self, weekday: Weekday) -> &[TimeRange] {
        &self.days[weekday.num_days_from_monday() as usize]
    }

    /// The map form used in files and the database.
    pub fn to_map(&self) -> BTreeMap<String, Vec<String>> {
        DAY_KEYS
            .iter()
            .zip(&self.days)
            .filter(|(_, ranges)| !ranges.is_empty())
            .map(|(key, ranges)| (key.to_string(), ranges.iter().map(TimeRange::render).collect()))
            .collect()
    }

    /// Whether the branch is open at `time` on `weekday`.
    pub fn is_open(&self, weekday: Weekday, time: NaiveTime) -> bool {
        self.on(weekday).iter().any(|r| r.contains(time))
    }
}

impl Serialize for OpeningHours {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for OpeningHours {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, Vec<String>>::deserialize(deserializer)?;
        Self::parse(&map).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_renders_round_trip() {
        let map: BTreeMap<String, Vec<String>> = [
            ("mon".to_string(), vec!["09:00-18:00".to_string()]),
            ("wed".to_string(), vec!["14:00-18:00".to_string(), "09:00-13:00".to_string()]),
        ]
        .into();
        let hours = OpeningHours::parse(&map).unwrap();
        assert_eq!(hours.on(Weekday::Wed).len(), 2);
        assert!(hours.on(Weekday::Tue).is_empty());
        assert_eq!(hours.to_map()["wed"], vec!["09:00-13:00", "14:00-18:00"]);
    }

    #[test]
    fn rejects_bad_input() {
        for (day, range) in [("mon", "18:00-09:00"), ("xyz", "09:00-10:00"), ("mon", "9-10")] {
            let map: BTreeMap<String, Vec<String>> = [(day.to_string(), vec![range.to_string()])].into();
            assert!(OpeningHours::parse(&map).is_err(), "{day} {range}");
        }
    }
}
