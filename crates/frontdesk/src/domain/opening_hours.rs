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
    /// Parses a range as people write it: `"09:00-18:00"`, `"9-16"`, `"9.00–16.00"`,
    /// `"9 bis 16 Uhr"`, `"9 to 4:30"` is not (no am/pm guessing: 24-hour clock only).
    pub fn parse(text: &str) -> Result<Self, String> {
        let normal = normalize_range(text);
        let (open, close) =
            normal.split_once('-').ok_or_else(|| format!("{text:?} is not a time range like \"09:00-18:00\""))?;
        let open = parse_clock(open.trim())?;
        let close = match close.trim() {
            "24:00" | "24" | "24.00" => NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"),
            close => parse_clock(close)?,
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

/// "9 bis 16 Uhr", "9.00–16.00", "9 to 16 h" → "9-16", "9:00-16:00": one hyphen between two
/// clock times, "Uhr"/"h" dropped, the dot of "9.00" a colon.
fn normalize_range(text: &str) -> String {
    let lower = text.trim().to_lowercase().replace(['–', '—'], "-");
    let joined = [" bis ", " to ", " until "].iter().fold(lower, |t, word| t.replace(word, "-"));
    let dropped = joined.replace("uhr", " ");
    dropped.split('-').map(|part| part.trim().trim_end_matches('h').trim().replace('.', ":")).collect::<Vec<_>>().join("-")
}

fn parse_clock(text: &str) -> Result<NaiveTime, String> {
    let refused = || format!("{text:?} is not a time like \"09:00\"");
    let (hours, minutes) = text.split_once(':').unwrap_or((text, "00"));
    // "9:5" is no time anybody writes; chrono would read it as 9:05
    if minutes.len() != 2 {
        return Err(refused());
    }
    NaiveTime::parse_from_str(&format!("{hours}:{minutes}"), "%H:%M").map_err(|_| refused())
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

    /// Whether no day has any hours.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
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
    fn reads_ranges_as_people_write_them() {
        let range = |open: (u32, u32), close: (u32, u32)| TimeRange {
            open: NaiveTime::from_hms_opt(open.0, open.1, 0).unwrap(),
            close: NaiveTime::from_hms_opt(close.0, close.1, 0).unwrap(),
        };
        for typed in ["09:00-16:00", "9-16", "9.00–16.00", "9 bis 16 Uhr", "9:00 - 16:00", "09.00-16.00 Uhr", "9 to 16", "9h-16h"] {
            assert_eq!(TimeRange::parse(typed), Ok(range((9, 0), (16, 0))), "{typed}");
        }
        assert_eq!(TimeRange::parse("14:30-18"), Ok(range((14, 30), (18, 0))));
        assert_eq!(TimeRange::parse("9-24").unwrap().close, NaiveTime::from_hms_opt(23, 59, 59).unwrap());
        for wrong in ["9", "16-9", "9-25", "neun bis fünf", "9.5-16", ""] {
            assert!(TimeRange::parse(wrong).is_err(), "{wrong}");
        }
    }

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
        for (day, range) in [("mon", "18:00-09:00"), ("xyz", "09:00-10:00"), ("mon", "9"), ("mon", "9-25")] {
            let map: BTreeMap<String, Vec<String>> = [(day.to_string(), vec![range.to_string()])].into();
            assert!(OpeningHours::parse(&map).is_err(), "{day} {range}");
        }
    }
}
