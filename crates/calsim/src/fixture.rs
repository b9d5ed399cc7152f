//! Event types and API keys: from a fixture file (contract format) or the built-in default.

use chrono::NaiveTime;
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One bookable event type with its weekly schedule.
#[derive(Debug, Clone)]
pub struct EventType {
    /// Cal.com id.
    pub id: i64,
    /// URL slug.
    pub slug: String,
    /// Length of a booking.
    pub length_minutes: i64,
    /// Distance between possible starts.
    pub slot_interval_minutes: i64,
    /// Zone the schedule is written in.
    pub time_zone: Tz,
    /// Bookings must start at least this far in the future.
    pub minimum_notice_minutes: i64,
    /// Opening intervals per weekday, Monday first.
    pub schedule: [Vec<(NaiveTime, NaiveTime)>; 7],
}

/// Everything calsim simulates.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Event types by id.
    pub event_types: BTreeMap<i64, EventType>,
    /// Accepted keys; `None` accepts any `cal_`-prefixed key.
    pub api_keys: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFixture {
    event_types: Vec<RawEventType>,
    #[serde(default)]
    api_keys: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEventType {
    id: i64,
    slug: String,
    length_minutes: i64,
    #[serde(default)]
    slot_interval_minutes: Option<i64>,
    time_zone: String,
    #[serde(default)]
    minimum_notice_minutes: i64,
    schedule: BTreeMap<String, Vec<String>>,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn parse_range(text: &str) -> Result<(NaiveTime, NaiveTime), String> {
    let (open, close) = text.split_once('-').ok_or_else(|| format!("{text:?} is not HH:MM-HH:MM"))?;
    let parse = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| format!("{t:?} is not HH:MM"));
    let (open, close) = (parse(open)?, parse(close)?);
    if open >= close {
        return Err(format!("{text:?}: start must be before end"));
    }
    Ok((open, close))
}

impl Fixture {
    /// Parses the contract JSON format.
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: RawFixture = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut event_types = BTreeMap::new();
        for raw in raw.event_types {
            let mut schedule: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
            for (day, ranges) in &raw.schedule {
                let index = DAYS.iter().position(|d| d == day).ok_or_else(|| format!("unknown day {day:?}"))?;
                schedule[index] = ranges.iter().map(|r| parse_range(r)).collect::<Result<_, _>>()?;
            }
            if raw.length_minutes <= 0 {
                return Err(format!("event type {}: length_minutes must be positive", raw.id));
            }
            let event_type = EventType {
                id: raw.id,
                slot_interval_minutes: raw.slot_interval_minutes.unwrap_or(raw.length_minutes).max(1),
                time_zone: raw.time_zone.parse().map_err(|_| format!("unknown time zone {:?}", raw.time_zone))?,
                slug: raw.slug,
                length_minutes: raw.length_minutes,
                minimum_notice_minutes: raw.minimum_notice_minutes,
                schedule,
            };
            event_types.insert(event_type.id, event_type);
        }
        Ok(Self { event_types, api_keys: raw.api_keys })
    }

    /// Event types 1001–1010 and 2001–2010, Mon–Fri 09:00–18:00 and Sat 10:00–14:00 in Berlin,
    /// 30 minutes long on a 15-minute grid; any `cal_` key.
    pub fn default_fixture() -> Self {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("valid time");
        let weekday = vec![(t(9), t(18))];
        let schedule =
            [weekday.clone(), weekday.clone(), weekday.clone(), weekday.clone(), weekday, vec![(t(10), t(14))], vec![]];
        let event_types = (1001..=1010)
            .chain(2001..=2010)
            .map(|id| {
                let event_type = EventType {
                    id,
                    slug: format!("event-{id}"),
                    length_minutes: 30,
                    slot_interval_minutes: 15,
                    time_zone: chrono_tz::Europe::Berlin,
                    minimum_notice_minutes: 0,
                    schedule: schedule.clone(),
                };
                (id, event_type)
            })
            .collect();
        Self { event_types, api_keys: None }
    }

    /// Whether a bearer key is accepted.
    pub fn accepts_key(&self, key: &str) -> bool {
        match &self.api_keys {
            Some(keys) => keys.iter().any(|k| k == key),
            None => key.starts_with("cal_") && key.len() > 4,
        }
    }
}
