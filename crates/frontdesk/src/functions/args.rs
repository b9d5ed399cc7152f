//! Typed function arguments. Agents send strings, numbers or booleans for the same field and
//! German or English names; this is the one place that tolerates that.

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// A text argument: a string, number or boolean, trimmed, control characters turned into
/// spaces and cut at [`MAX_TEXT_CHARS`]; empty counts as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(Option<String>);

/// The longest text argument kept (stored or read): names, notes, reasons and dates are short;
/// anything longer is cut before it is stored or understood.
pub const MAX_TEXT_CHARS: usize = 300;

impl Text {
    /// The text, when given.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Loose {
            Text(String),
            Int(i64),
            Float(f64),
            Bool(bool),
            Null(()),
        }
        let text = match Loose::deserialize(deserializer)? {
            Loose::Text(s) => s,
            Loose::Int(n) => n.to_string(),
            Loose::Float(n) => n.to_string(),
            Loose::Bool(b) => b.to_string(),
            Loose::Null(()) => String::new(),
        };
        let bounded: String = text.chars().take(MAX_TEXT_CHARS).map(|c| if c.is_control() { ' ' } else { c }).collect();
        let trimmed = bounded.trim();
        // Agents sometimes fill unknown slots with placeholders.
        let absent = trimmed.is_empty()
            || matches!(trimmed.to_ascii_lowercase().as_str(), "null" | "none" | "undefined" | "n/a");
        Ok(Self((!absent).then(|| trimmed.to_string())))
    }
}

/// A list of text arguments: an array of strings, or one string (several names in it are split
/// where the service is resolved); at most [`MAX_LIST_ITEMS`] kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextList(Vec<String>);

/// The most items a list argument keeps (a booking of more services is not made by phone).
pub const MAX_LIST_ITEMS: usize = 5;

impl TextList {
    /// The items given, in order.
    pub fn items(&self) -> &[String] {
        &self.0
    }
}

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Loose {
            Many(Vec<Text>),
            One(Text),
        }
        let items: Vec<Text> = match Loose::deserialize(deserializer)? {
            Loose::Many(items) => items,
            Loose::One(item) => vec![item],
        };
        Ok(Self(items.into_iter().filter_map(|t| t.get().map(str::to_string)).take(MAX_LIST_ITEMS).collect()))
    }
}

/// Why arguments could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArgsError {
    /// `args` was an array, number, … rather than an object.
    #[error("args must be a JSON object")]
    NotAnObject,
    /// A field had an unusable type.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// Parses `args` into a function's argument struct. Absent or null args are an empty object;
/// args sent as a JSON string holding an object are unwrapped.
pub fn parse<T: for<'de> Deserialize<'de>>(raw: Option<&RawValue>) -> Result<T, ArgsError> {
    let text = raw.map(RawValue::get).unwrap_or("{}").trim();
    let unwrapped;
    let object = if text.starts_with('"') {
        unwrapped = serde_json::from_str::<String>(text)?;
        let inner = unwrapped.trim();
        if inner.is_empty() {
            "{}"
        } else {
            inner
        }
    } else if text == "null" {
        "{}"
    } else {
        text
    };
    if !object.starts_with('{') {
        return Err(ArgsError::NotAnObject);
    }
    Ok(serde_json::from_str(object)?)
}

/// The wish arguments every availability and booking function shares: a service, the day and
/// time as said (or a window by its bounds or a part of the day), and a staff member — under their
/// English and German names.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WishArgs {
    /// The service (or several: "Schnitt und Bart").
    #[serde(alias = "dienstleistung", alias = "service_name", alias = "leistung", alias = "behandlung")]
    pub service: Text,
    /// Several services booked back to back, as a list.
    #[serde(alias = "dienstleistungen", alias = "leistungen", alias = "service_names")]
    pub services: TextList,
    /// The day (or the whole wish: "Dienstag zwischen 10 und 12").
    #[serde(alias = "datum", alias = "tag", alias = "day", alias = "wunschdatum", alias = "appointment_date")]
    pub date: Text,
    /// The time, or a window ("nachmittags", "ab 14 Uhr").
    #[serde(alias = "uhrzeit", alias = "zeit", alias = "wunschzeit", alias = "appointment_time")]
    pub time: Text,
    /// A staff member the caller wants.
    #[serde(
        alias = "mitarbeiter",
        alias = "mitarbeiterin",
        alias = "staff_name",
        alias = "employee",
        alias = "friseur"
    )]
    pub staff: Text,
    /// The earliest time of a window, as its own argument.
    #[serde(
        alias = "ab_uhrzeit",
        alias = "time_from",
        alias = "from_time",
        alias = "earliest_time",
        alias = "after_time"
    )]
    pub time_from: Text,
    /// The latest time of a window, as its own argument.
    #[serde(alias = "bis_uhrzeit", alias = "time_to", alias = "to_time", alias = "latest_time", alias = "before_time")]
    pub time_until: Text,
    /// A part of the day, as its own argument ("nachmittags").
    #[serde(alias = "tageszeit", alias = "part_of_day", alias = "daytime")]
    pub part_of_day: Text,
}

impl WishArgs {
    /// The time words, with window bounds given as their own arguments joined in ("ab 14 bis 16").
    pub fn time_words(&self) -> Option<String> {
        let mut words: Vec<String> = self.time.get().map(str::to_string).into_iter().collect();
        if let Some(from) = self.time_from.get() {
            words.push(format!("ab {from}"));
        }
        if let Some(until) = self.time_until.get() {
            words.push(format!("bis {until}"));
        }
        words.extend(self.part_of_day.get().map(str::to_string));
        (!words.is_empty()).then(|| words.join(" "))
    }
}

/// Arguments naming only a service.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ServiceArgs {
    /// The service.
    #[serde(alias = "dienstleistung", alias = "service_name", alias = "leistung", alias = "behandlung")]
    pub service: Text,
}

/// Arguments of `find_next_available`: a wish, whose day may also be named as a bound ("after").
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextAvailableArgs {
    /// Service, staff, the earliest day and the time or window, under `check_availability`'s names.
    #[serde(flatten)]
    pub wish: WishArgs,
    /// Earliest day, named as a bound ("ab Dienstag").
    #[serde(alias = "after_date", alias = "ab", alias = "ab_datum", alias = "from_date")]
    pub after: Text,
}

impl NextAvailableArgs {
    /// The earliest day, however it was named.
    pub fn date(&self) -> Option<&str> {
        self.after.get().or(self.wish.date.get())
    }
}

/// Arguments of `book_appointment`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BookArgs {
    /// Service, date, time and staff, under the same names and aliases as `check_availability`.
    #[serde(flatten)]
    pub wish: WishArgs,
    /// The customer's name.
    #[serde(alias = "kundenname", alias = "customer_name", alias = "vorname_nachname")]
    pub name: Text,
    /// Phone number (defaults to the caller's).
    #[serde(alias = "telefon", alias = "telefonnummer", alias = "phone_number", alias = "rufnummer")]
    pub phone: Text,
    /// E-mail.
    #[serde(alias = "e_mail", alias = "mail", alias = "email_address")]
    pub email: Text,
    /// Notes for the business.
    #[serde(alias = "notizen", alias = "bemerkung", alias = "anmerkung", alias = "hinweis")]
    pub notes: Text,
    /// The caller agreed to confirmations and reminders by SMS (the agent asked).
    #[serde(alias = "sms", alias = "sms_erlaubt", alias = "sms_einverstanden", alias = "sms_consent")]
    pub sms_ok: Text,
}

/// Whether a yes/no argument says yes ("true", "ja", "yes", …).
fn says_yes(text: &Text) -> bool {
    text.get().is_some_and(|c| matches!(crate::speech::fold(c).as_str(), "true" | "1" | "ja" | "yes" | "jawohl" | "korrekt" | "richtig"))
}

impl BookArgs {
    /// Whether the caller agreed to SMS.
    pub fn sms_agreed(&self) -> bool {
        says_yes(&self.sms_ok)
    }
}

/// Arguments of `join_waitlist`: the wish under `check_availability`'s names, and the name.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WaitlistArgs {
    /// Service, date or days, time or window, staff.
    #[serde(flatten)]
    pub wish: WishArgs,
    /// The caller's name.
    #[serde(alias = "kundenname", alias = "customer_name", alias = "vorname_nachname")]
    pub name: Text,
}

/// Arguments of `cancel_appointment`: which appointment (by day, optionally time) and why.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CancelArgs {
    /// The appointment's day; optional when there is only one.
    #[serde(alias = "datum", alias = "tag", alias = "day", alias = "termin_datum", alias = "appointment_date")]
    pub date: Text,
    /// The appointment's time, when several are on that day.
    #[serde(alias = "uhrzeit", alias = "zeit", alias = "appointment_time")]
    pub time: Text,
    /// Why.
    #[serde(alias = "grund", alias = "reason_text", alias = "stornogrund")]
    pub reason: Text,
}

/// Arguments of `reschedule_appointment`: which appointment, and where to.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RescheduleArgs {
    /// The current appointment's day (optional when there is only one) and time.
    #[serde(flatten)]
    pub which: CancelArgs,
    /// The new day.
    #[serde(alias = "neues_datum", alias = "neuer_tag", alias = "new_day", alias = "neuer_termin")]
    pub new_date: Text,
    /// The new time.
    #[serde(alias = "neue_uhrzeit", alias = "neue_zeit")]
    pub new_time: Text,
}

/// Arguments of `collect_appointment_info`: everything the agent gathered, and whether the caller confirmed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CollectArgs {
    /// What to book, under `book_appointment`'s names.
    #[serde(flatten)]
    pub booking: BookArgs,
    /// `true` once the caller said yes to the summary.
    #[serde(alias = "bestaetigung", alias = "bestätigung", alias = "confirmed", alias = "bestaetigt")]
    pub confirm: Text,
}

impl CollectArgs {
    /// Whether the caller confirmed ("true", "ja", "yes", …).
    pub fn confirmed(&self) -> bool {
        says_yes(&self.confirm)
    }
}

/// Arguments of `query_appointment_by_name`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ByNameArgs {
    /// The name the appointment was booked under.
    #[serde(alias = "kundenname", alias = "customer_name")]
    pub name: Text,
    /// The appointment's day.
    #[serde(alias = "datum", alias = "tag", alias = "day", alias = "termin_datum")]
    pub date: Text,
}

/// Arguments of `request_callback`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CallbackArgs {
    /// The caller's name.
    #[serde(alias = "kundenname", alias = "customer_name")]
    pub name: Text,
    /// Number to call back (defaults to the caller's).
    #[serde(alias = "telefon", alias = "telefonnummer", alias = "phone_number", alias = "rufnummer")]
    pub phone: Text,
    /// When the caller would like to be called.
    #[serde(
        alias = "wunschzeit",
        alias = "rueckrufzeit",
        alias = "callback_time",
        alias = "zeit",
        alias = "preferred_time_text"
    )]
    pub preferred_time: Text,
    /// What it is about.
    #[serde(alias = "grund", alias = "anliegen", alias = "betreff")]
    pub reason: Text,
    /// `high` (or "dringend") for urgent cases.
    #[serde(alias = "prioritaet", alias = "dringlichkeit", alias = "urgency")]
    pub priority: Text,
}

/// Arguments of `get_alternatives`: a wish like `check_availability`'s, and how many to offer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AlternativesArgs {
    /// Service, date, time and staff, under the same names and aliases.
    #[serde(flatten)]
    pub wish: WishArgs,
    /// How many to offer (1–5, default 3).
    #[serde(alias = "anzahl", alias = "max_alternatives", alias = "limit")]
    pub max: Text,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    #[test]
    fn reads_german_names_and_loose_types() {
        let args: WishArgs = parse(Some(&raw(r#"{"dienstleistung":"Färben","datum":"morgen","uhrzeit":14}"#))).unwrap();
        assert_eq!(args.service.get(), Some("Färben"));
        assert_eq!(args.time.get(), Some("14"));
        let args: WishArgs = parse(Some(&raw(r#""{\"service\":\" Bart \",\"date\":\"null\"}""#))).unwrap();
        assert_eq!(args.service.get(), Some("Bart"));
        assert_eq!(args.date.get(), None);
        let args: WishArgs = parse(None).unwrap();
        assert_eq!(args.service.get(), None);
    }

    #[test]
    fn alternatives_take_the_same_names_plus_a_count() {
        let args: AlternativesArgs =
            parse(Some(&raw(r#"{"dienstleistung":"Färben","uhrzeit":"10","anzahl":4}"#))).unwrap();
        assert_eq!(args.wish.service.get(), Some("Färben"));
        assert_eq!(args.wish.time.get(), Some("10"));
        assert_eq!(args.max.get(), Some("4"));
    }

    #[test]
    fn refuses_shapes_that_are_not_arguments() {
        assert!(parse::<WishArgs>(Some(&raw("[1,2]"))).is_err());
        assert!(parse::<WishArgs>(Some(&raw(r#"{"service":{"a":1}}"#))).is_err());
    }
}
