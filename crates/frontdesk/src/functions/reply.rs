//! The answer convention (DESIGN §6): `{"success", "message", "error"?, …data}`, and the
//! spoken failure answers every function shares.

use crate::domain::Service;
use crate::speech::{DateProblem, FailureSentence, Needed, Phrasebook, Sentence, Understood};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

/// Whether an answer came from cached availability (for metrics and the audit trail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// No availability was read.
    None,
    /// Read from a warm window.
    Hit,
    /// The calendar was asked.
    Miss,
    /// Served from a window past its freshness.
    Stale,
    /// Joined a fetch another caller had started.
    Coalesced,
    /// Cache off (baseline mode) or a range beyond the window: the calendar was asked directly.
    Direct,
}

impl From<Option<crate::availability::Freshness>> for CacheUse {
    fn from(freshness: Option<crate::availability::Freshness>) -> Self {
        use crate::availability::Freshness;
        match freshness {
            None => Self::Direct,
            Some(Freshness::Hit) => Self::Hit,
            Some(Freshness::Miss) => Self::Miss,
            Some(Freshness::Coalesced) => Self::Coalesced,
            Some(Freshness::Stale) => Self::Stale,
        }
    }
}

impl CacheUse {
    /// Label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Stale => "stale",
            Self::Coalesced => "coalesced",
            Self::Direct => "direct",
        }
    }
}

/// The JSON body of a reply, serialized straight from the reply: `success`, `message`, `error`,
/// then the data fields (none of which may replace those).
#[derive(Debug)]
pub struct ReplyBody<'a> {
    reply: &'a Reply,
    message: String,
}

impl Serialize for ReplyBody<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut body = serializer.serialize_map(Some(self.reply.data.len() + 3))?;
        body.serialize_entry("success", &self.reply.success)?;
        body.serialize_entry("message", &self.message)?;
        if let Some(error) = self.reply.error {
            body.serialize_entry("error", error)?;
        }
        let own = |key: &str| key == "success" || key == "message" || (key == "error" && self.reply.error.is_some());
        for (key, value) in self.reply.data.iter().filter(|(key, _)| !own(key)) {
            body.serialize_entry(key, value)?;
        }
        body.end()
    }
}

/// A handled outcome of a function call: whether it succeeded, its code, what the caller hears
/// (as a [`Sentence`], worded at the edge by the tenant's phrasebook) and the typed data, kept as
/// the JSON fields it serializes to — written here, read only by [`Reply::to_json`].
#[derive(Debug, Clone)]
pub struct Reply {
    /// Whether the caller got what they asked for.
    pub success: bool,
    /// What the agent says.
    pub message: Box<Sentence>,
    /// Machine-readable failure code.
    pub error: Option<&'static str>,
    /// Function-specific fields.
    data: Map<String, Value>,
    /// Availability cache use.
    pub cache: CacheUse,
}

impl Reply {
    /// A success with function-specific data (a struct serializing to an object).
    pub fn ok(message: impl Into<Sentence>, data: impl Serialize) -> Self {
        let data = match serde_json::to_value(data) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        Self { success: true, message: Box::new(message.into()), error: None, data, cache: CacheUse::None }
    }

    /// A handled failure with its code.
    pub fn failure(error: &'static str, message: impl Into<Sentence>) -> Self {
        Self { success: false, message: Box::new(message.into()), error: Some(error), data: Map::new(), cache: CacheUse::None }
    }

    /// Adds a field to the answer.
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        if let Ok(value) = serde_json::to_value(value) {
            self.data.insert(key.to_string(), value);
        }
        self
    }

    /// Marks how availability was read.
    pub fn cached(mut self, cache: CacheUse) -> Self {
        self.cache = cache;
        self
    }

    /// The outcome label for metrics and the audit trail.
    pub fn outcome(&self) -> &'static str {
        self.error.unwrap_or("success")
    }

    /// The JSON body, its message worded by `book` (relative to the tenant's `today`).
    pub fn to_json(&self, book: &dyn Phrasebook, today: NaiveDate) -> ReplyBody<'_> {
        self.to_json_saying(book.say(&self.message, today))
    }

    /// The JSON body with the message already worded.
    pub fn to_json_saying(&self, message: String) -> ReplyBody<'_> {
        ReplyBody { reply: self, message }
    }

    /// Arguments that could not be read at all (wrong JSON types).
    pub fn invalid_arguments() -> Self {
        Self::failure("invalid_arguments", FailureSentence::NotUnderstood)
    }

    /// A required argument is missing.
    pub fn missing(what: Needed) -> Self {
        Self::failure("missing_argument", FailureSentence::Missing(vec![what]))
    }

    /// No service of the branch matches what was said; lists what is offered.
    pub fn unknown_service(said: &str, offered: &[Service]) -> Self {
        let names: Vec<String> = offered.iter().map(|s| s.name.clone()).collect();
        let said = crate::speech::echo(said);
        Self::failure("unknown_service", FailureSentence::UnknownService { said, offered: names.clone() }).with("services", names)
    }

    /// What the caller asked for that the branch does not offer, as echoed back to them.
    pub fn not_offered(&self) -> Option<&str> {
        match &*self.message {
            Sentence::Failure(FailureSentence::UnknownService { said, .. }) => Some(said),
            _ => None,
        }
    }

    /// Several services match; asks which one.
    pub fn ambiguous_service(candidates: &[&Service]) -> Self {
        let names: Vec<String> = candidates.iter().map(|s| s.name.clone()).collect();
        Self::failure("ambiguous_service", FailureSentence::AmbiguousService { candidates: names.clone() })
            .with("candidates", names)
    }

    /// A day beyond the company's booking horizon: says how far ahead appointments are given.
    pub fn beyond_horizon(today: NaiveDate, days: u32) -> Self {
        let last_day = today + chrono::Duration::days(i64::from(days));
        Self::failure("beyond_horizon", FailureSentence::BeyondHorizon { last_day }).with("horizon_days", days)
    }

    /// A date or time that cannot be used, with a sentence that says what was (not) understood.
    pub fn invalid_date(problem: &DateProblem) -> Self {
        let reply = Self::failure("invalid_date", FailureSentence::DateProblem(problem.clone()));
        match problem {
            DateProblem::Partly(Understood::Day(day), _) => reply.with("understood_date", day.to_string()),
            _ => reply,
        }
    }

    /// The calendar cannot be read: offers a callback.
    pub fn calendar_unavailable() -> Self {
        Self::failure("calendar_unavailable", FailureSentence::CalendarUnavailable).with("offer_callback", true)
    }

    /// Something unexpected happened inside frontdesk: the spoken fallback that offers a callback.
    pub fn internal() -> Self {
        Self::failure("internal", FailureSentence::Internal).with("offer_callback", true)
    }
}
