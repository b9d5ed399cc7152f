//! The answer convention (DESIGN §6): `{"success", "message", "error"?, …data}`, and the
//! spoken failure answers every function shares.

use crate::domain::{Language, Service};
use crate::speech::{join_choices, spoken_date, spoken_month, spoken_weekday, DateProblem, Understood};
use chrono::{Datelike, NaiveDate};
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

/// A handled outcome of a function call.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Whether the caller got what they asked for.
    pub success: bool,
    /// The sentence the agent says.
    pub message: String,
    /// Machine-readable failure code.
    pub error: Option<&'static str>,
    /// Function-specific fields.
    pub data: Map<String, Value>,
    /// Availability cache use.
    pub cache: CacheUse,
}

impl Reply {
    /// A success with function-specific data (a struct serializing to an object).
    pub fn ok(message: impl Into<String>, data: impl Serialize) -> Self {
        let data = match serde_json::to_value(data) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        Self { success: true, message: message.into(), error: None, data, cache: CacheUse::None }
    }

    /// A handled failure with its code.
    pub fn failure(error: &'static str, message: impl Into<String>) -> Self {
        Self { success: false, message: message.into(), error: Some(error), data: Map::new(), cache: CacheUse::None }
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

    /// The JSON body.
    pub fn to_json(&self) -> Value {
        let mut body = Map::with_capacity(self.data.len() + 3);
        body.insert("success".into(), Value::Bool(self.success));
        body.insert("message".into(), Value::String(self.message.clone()));
        if let Some(error) = self.error {
            body.insert("error".into(), Value::String(error.into()));
        }
        for (key, value) in &self.data {
            body.entry(key.clone()).or_insert_with(|| value.clone());
        }
        Value::Object(body)
    }

    /// Arguments that could not be read at all (wrong JSON types).
    pub fn invalid_arguments(language: Language) -> Self {
        Self::failure(
            "invalid_arguments",
            language.pick(
                "Das habe ich leider nicht richtig verstanden. Können Sie das bitte noch einmal sagen?",
                "Sorry, I didn't quite catch that. Could you say it again, please?",
            ),
        )
    }

    /// A required argument is missing.
    pub fn missing(language: Language, what_de: &str, what_en: &str) -> Self {
        Self::failure(
            "missing_argument",
            match language {
                Language::De => format!("Dafür brauche ich noch {what_de}."),
                Language::En => format!("For that I still need {what_en}."),
            },
        )
    }

    /// No service of the branch matches what was said; lists what is offered.
    pub fn unknown_service(language: Language, said: &str, offered: &[Service]) -> Self {
        let names: Vec<String> = offered.iter().map(|s| s.name.clone()).collect();
        let list = join_choices(&names, language, true);
        let said = crate::speech::echo(said);
        Self::failure(
            "unknown_service",
            match language {
                Language::De => format!("„{said}“ bieten wir leider nicht an. Wir bieten {list} an."),
                Language::En => format!("I'm afraid we don't offer \"{said}\". We offer {list}."),
            },
        )
        .with("services", names)
    }

    /// Several services match; asks which one.
    pub fn ambiguous_service(language: Language, candidates: &[&Service]) -> Self {
        let names: Vec<String> = candidates.iter().map(|s| s.name.clone()).collect();
        let list = join_choices(&names, language, false);
        Self::failure(
            "ambiguous_service",
            match language {
                Language::De => format!("Meinen Sie {list}?"),
                Language::En => format!("Do you mean {list}?"),
            },
        )
        .with("candidates", names)
    }

    /// A day beyond the company's booking horizon: says how far ahead appointments are given.
    pub fn beyond_horizon(language: Language, today: NaiveDate, days: u32) -> Self {
        let last = spoken_date(today + chrono::Duration::days(i64::from(days)), today, language);
        let message = match language {
            Language::De => format!(
                "So weit im Voraus vergeben wir leider noch keine Termine, nur bis {last}. Passt Ihnen ein früherer Tag?"
            ),
            Language::En => {
                format!("I'm afraid we don't give appointments that far ahead, only up to {last}. Would an earlier day suit you?")
            }
        };
        Self::failure("beyond_horizon", message).with("horizon_days", days)
    }

    /// A date or time that cannot be used, with a sentence that says what was (not) understood.
    pub fn invalid_date(language: Language, today: NaiveDate, problem: &DateProblem) -> Self {
        let quoted = |words: &[String]| match language {
            Language::De => format!("„{}“", words.join(" ")),
            Language::En => format!("\"{}\"", words.join(" ")),
        };
        let message = match (problem, language) {
            (DateProblem::Missing, Language::De) => "Für welchen Tag und welche Uhrzeit hätten Sie gern einen Termin?".to_string(),
            (DateProblem::Missing, Language::En) => "Which day and time would you like?".to_string(),
            (DateProblem::Unrecognised(words), Language::De) if !words.is_empty() => format!(
                "{} habe ich leider nicht als Tag oder Uhrzeit verstanden. Können Sie das bitte noch einmal sagen, zum Beispiel „morgen um 14 Uhr“?",
                quoted(words)
            ),
            (DateProblem::Unrecognised(words), Language::En) if !words.is_empty() => format!(
                "Sorry, I didn't understand {} as a day or time. Could you say it again, for example \"tomorrow at 2 pm\"?",
                quoted(words)
            ),
            (DateProblem::Unrecognised(_), Language::De) => {
                "Das Datum habe ich leider nicht verstanden. Können Sie es bitte noch einmal sagen, zum Beispiel „morgen um 14 Uhr“?".to_string()
            }
            (DateProblem::Unrecognised(_), Language::En) => {
                "Sorry, I didn't understand the date. Could you say it again, for example \"tomorrow at 2 pm\"?".to_string()
            }
            (DateProblem::Partly(Understood::Day(day), _), Language::De) => format!(
                "Den Tag habe ich verstanden, {}, die Uhrzeit nicht. Um wie viel Uhr hätten Sie gern den Termin?",
                spoken_date(*day, today, language)
            ),
            (DateProblem::Partly(Understood::Day(day), _), Language::En) => format!(
                "I got the day, {}, but not the time. What time would you like?",
                spoken_date(*day, today, language)
            ),
            (DateProblem::Partly(Understood::Time, _), Language::De) => {
                "Die Uhrzeit habe ich verstanden, den Tag nicht. An welchem Tag möchten Sie kommen?".to_string()
            }
            (DateProblem::Partly(Understood::Time, _), Language::En) => {
                "I got the time but not the day. Which day would you like to come?".to_string()
            }
            (DateProblem::Impossible, Language::De) => "Dieses Datum gibt es leider nicht. Welchen Tag meinen Sie?".to_string(),
            (DateProblem::Impossible, Language::En) => "That date doesn't exist. Which day do you mean?".to_string(),
            (DateProblem::Past, Language::De) => "Dieser Zeitpunkt liegt leider in der Vergangenheit. Welchen Tag meinen Sie?".to_string(),
            (DateProblem::Past, Language::En) => "That time is already in the past. Which day do you mean?".to_string(),
            (DateProblem::WeekdayMismatch { date, said }, language) => {
                let actual = spoken_weekday(date.weekday(), language);
                let said = spoken_weekday(*said, language);
                match language {
                    Language::De => format!(
                        "Der {}. {} ist ein {actual}, kein {said}. Welchen Tag meinen Sie?",
                        date.day(),
                        spoken_month(date.month(), language)
                    ),
                    Language::En => format!(
                        "{} {} is a {actual}, not a {said}. Which day do you mean?",
                        spoken_month(date.month(), language),
                        date.day()
                    ),
                }
            }
            (DateProblem::Conflicting, Language::De) => {
                "Da habe ich zwei verschiedene Zeitpunkte gehört. Welcher soll es sein?".to_string()
            }
            (DateProblem::Conflicting, Language::En) => {
                "I heard two different times there. Which one would you like?".to_string()
            }
        };
        let reply = Self::failure("invalid_date", message);
        match problem {
            DateProblem::Partly(Understood::Day(day), _) => reply.with("understood_date", day.to_string()),
            _ => reply,
        }
    }

    /// The calendar cannot be read: offers a callback.
    pub fn calendar_unavailable(language: Language) -> Self {
        Self::failure(
            "calendar_unavailable",
            language.pick(
                "Ich komme gerade leider nicht an unseren Kalender. Darf ich Sie zurückrufen lassen, sobald es wieder geht?",
                "I can't reach our calendar right now. May we call you back as soon as it works again?",
            ),
        )
        .with("offer_callback", true)
    }

    /// Something unexpected happened inside frontdesk: the spoken fallback that offers a callback.
    pub fn internal(language: Language) -> Self {
        Self::failure(
            "internal",
            language.pick(
                "Entschuldigung, da ist bei mir gerade etwas schiefgelaufen. Darf ich Sie zurückrufen lassen?",
                "Sorry, something went wrong on my side. May we call you back?",
            ),
        )
        .with("offer_callback", true)
    }
}
