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
    /// Human name, Cal.com's `title` (the slug's words when the fixture gives none).
    pub title: String,
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
    /// The API key whose user owns it; `None`: shared, every key's user sees it.
    pub owner_key: Option<String>,
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
    #[serde(default)]
    title: Option<String>,
    /// The owning key (`None`: shared).
    #[serde(default)]
    api_key: Option<String>,
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

/// Mon–Fri 09:00–18:00 and Sat 10:00–14:00 in Berlin, 30 minutes on a 15-minute grid.
fn standard_event_type(id: i64, slug: String, title: String, owner_key: Option<String>) -> EventType {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    let weekday = vec![(t(9), t(18))];
    let schedule =
        [weekday.clone(), weekday.clone(), weekday.clone(), weekday.clone(), weekday, vec![(t(10), t(14))], vec![]];
    EventType {
        id,
        slug,
        title,
        length_minutes: 30,
        slot_interval_minutes: 15,
        time_zone: chrono_tz::Europe::Berlin,
        minimum_notice_minutes: 0,
        schedule,
        owner_key,
    }
}

/// A slug as Cal.com makes one from a title: lowercase, accents dropped ("Färben" → "farben"),
/// anything else between words a single dash.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.to_lowercase().chars() {
        let plain = match c {
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' => "a",
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' => "o",
            'ü' | 'ù' | 'ú' | 'û' => "u",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ç' => "c",
            'ñ' => "n",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                slug.push(c);
                continue;
            }
            _ => "-",
        };
        if plain != "-" || !slug.is_empty() && !slug.ends_with('-') {
            slug.push_str(plain);
        }
    }
    slug.trim_end_matches('-').to_string()
}

impl Fixture {
    /// Parses the contract JSON format.
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: RawFixture = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut fixture = Self { event_types: BTreeMap::new(), api_keys: raw.api_keys };
        for raw in raw.event_types {
            let mut schedule: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
            for (day, ranges) in &raw.schedule {
                let index = DAYS.iter().position(|d| d == day).ok_or_else(|| format!("unknown day {day:?}"))?;
                schedule[index] = ranges.iter().map(|r| parse_range(r)).collect::<Result<_, _>>()?;
            }
            if raw.length_minutes <= 0 {
                return Err(format!("event type {}: length_minutes must be positive", raw.id));
            }
            if let Some(key) = raw.api_key.as_deref().filter(|key| !fixture.accepts_key(key)) {
                return Err(format!("event type {}: api_key {key:?} is not an accepted key", raw.id));
            }
            let event_type = EventType {
                id: raw.id,
                slot_interval_minutes: raw.slot_interval_minutes.unwrap_or(raw.length_minutes).max(1),
                time_zone: raw.time_zone.parse().map_err(|_| format!("unknown time zone {:?}", raw.time_zone))?,
                title: raw.title.unwrap_or_else(|| raw.slug.replace('-', " ")),
                slug: raw.slug,
                length_minutes: raw.length_minutes,
                minimum_notice_minutes: raw.minimum_notice_minutes,
                schedule,
                owner_key: raw.api_key,
            };
            fixture.event_types.insert(event_type.id, event_type);
        }
        Ok(fixture)
    }

    /// Event types 1001–1010 and 2001–2010, Mon–Fri 09:00–18:00 and Sat 10:00–14:00 in Berlin,
    /// 30 minutes long on a 15-minute grid; any `cal_` key.
    pub fn default_fixture() -> Self {
        let event_types = (1001..=1010)
            .chain(2001..=2010)
            .map(|id| (id, standard_event_type(id, format!("event-{id}"), format!("event {id}"), None)))
            .collect();
        Self { event_types, api_keys: None }
    }

    /// No event types, and no key accepted until [`Fixture::with_event_types`] adds one.
    pub fn empty() -> Self {
        Self { event_types: BTreeMap::new(), api_keys: Some(Vec::new()) }
    }

    /// Adds one event type per title, owned by `key` (accepted from now on), numbered after the
    /// highest id so far, on the default fixture's week: a business's own Cal.com account.
    pub fn with_event_types(mut self, key: &str, titles: &[&str]) -> Self {
        let first = self.event_types.keys().next_back().map_or(1, |last| last + 1);
        for (id, title) in (first..).zip(titles) {
            let event_type = standard_event_type(id, slugify(title), title.to_string(), Some(key.to_string()));
            self.event_types.insert(id, event_type);
        }
        if let Some(keys) = self.api_keys.as_mut().filter(|keys| !keys.iter().any(|k| k == key)) {
            keys.push(key.to_string());
        }
        self
    }

    /// The event types the user of `key` sees: its own and the shared ones, by id.
    pub fn event_types_of<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a EventType> + 'a {
        self.event_types.values().filter(move |e| e.owner_key.as_deref().is_none_or(|owner| owner == key))
    }

    /// The id of the user behind `key`: its place among the listed keys, else a stable number
    /// made from the key (any `cal_` key is its own user).
    pub fn user_id(&self, key: &str) -> i64 {
        if let Some(place) = self.api_keys.iter().flatten().position(|k| k == key) {
            return place as i64 + 1;
        }
        // FNV-1a: stable across runs and platforms, unlike the std hasher.
        let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        1000 + (hash % 1_000_000) as i64
    }

    /// Whether a bearer key is accepted.
    pub fn accepts_key(&self, key: &str) -> bool {
        match &self.api_keys {
            Some(keys) => keys.iter().any(|k| k == key),
            None => key.starts_with("cal_") && key.len() > 4,
        }
    }
}
