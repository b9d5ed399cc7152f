//! Understanding what a caller said about *when*: "übermorgen um halb drei", "next Monday at
//! 2pm", "07.11.2025", "2025-11-07T14:00". All in the tenant's time zone; ambiguous hours
//! ("halb drei") resolve into the branch's opening hours.

use super::numbers::{cardinal, ordinal};
use super::text::fold;
use crate::domain::OpeningHours;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;

/// What the understanding needs to know about the caller's situation.
#[derive(Debug, Clone, Copy)]
pub struct SpeechContext<'a> {
    /// Now, in the tenant's time zone.
    pub now: DateTime<Tz>,
    /// The branch's hours, to resolve "halb drei" to 14:30 rather than 02:30.
    pub hours: &'a OpeningHours,
}

/// A coarse time of day callers name instead of a clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartOfDay {
    /// Before noon.
    Morning,
    /// Around noon (11:30–14:00).
    Midday,
    /// 12:00–17:00.
    Afternoon,
    /// From 17:00.
    Evening,
}

impl PartOfDay {
    /// The interval `[from, to)` this part of the day stands for.
    pub fn range(self) -> (NaiveTime, NaiveTime) {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("valid time");
        match self {
            Self::Morning => (t(0, 0), t(12, 0)),
            Self::Midday => (t(11, 30), t(14, 0)),
            Self::Afternoon => (t(12, 0), t(17, 0)),
            Self::Evening => (t(17, 0), t(23, 59)),
        }
    }

    /// Whether a clock time falls into this part of the day.
    pub fn contains(self, time: NaiveTime) -> bool {
        let (from, to) = self.range();
        from <= time && time < to
    }
}

/// A understood date, with a clock time or a part of the day when the caller gave one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The day, in the tenant's calendar.
    pub date: NaiveDate,
    /// The clock time, in the tenant's zone.
    pub time: Option<NaiveTime>,
    /// "vormittags", "in the afternoon", … when no clock time was given.
    pub part_of_day: Option<PartOfDay>,
}

/// Why a date could not be understood; each maps to the `invalid_date` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Nothing was said.
    Missing,
    /// Words we could not read as a date or time.
    Unrecognised,
    /// A date or time that does not exist ("30.02.", "25 Uhr").
    Impossible,
    /// A moment already past.
    Past,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WeekdayMode {
    /// "Dienstag": the next one after today.
    Plain,
    /// "diesen Dienstag": the next one, today included.
    This,
    /// "nächsten Dienstag": the one in next calendar week.
    Next,
}

#[derive(Debug, Clone, Copy)]
enum DateSpec {
    Calendar { day: u32, month: u32, year: Option<i32> },
    Relative(i64),
    Exact(NaiveDate),
    Past,
}

#[derive(Debug, Clone, Copy)]
struct Clock {
    hour: u32,
    minute: u32,
    /// Written so that it cannot be a 12-hour reading ("14:00", "08:30", "0 Uhr").
    explicit: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

#[derive(Debug, Default)]
struct Found {
    date: Option<DateSpec>,
    weekday: Option<(Weekday, WeekdayMode)>,
    week_offset: Option<i64>,
    clock: Option<Clock>,
    meridiem: Option<Meridiem>,
    part: Option<PartOfDay>,
    instant: Option<DateTime<FixedOffset>>,
    unrecognised: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Date,
    Time,
}

/// Understands the date and time arguments of a function call.
///
/// Either may carry both ("morgen um 14 Uhr" in the date). A time without a date means today.
pub fn understand(date: Option<&str>, time: Option<&str>, ctx: &SpeechContext) -> Result<Moment, DateProblem> {
    let mut found = Found::default();
    let mut said_anything = false;
    for (text, field) in [(date, Field::Date), (time, Field::Time)] {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            said_anything = true;
            scan(&tokens(text), field, &mut found)?;
        }
    }
    if !said_anything {
        return Err(DateProblem::Missing);
    }
    if found.unrecognised
        && found.date.is_none()
        && found.weekday.is_none()
        && found.week_offset.is_none()
        && found.clock.is_none()
        && found.part.is_none()
    {
        return Err(DateProblem::Unrecognised);
    }
    let today = ctx.now.date_naive();
    let (date, time) = match found.instant {
        Some(instant) => {
            let local = instant.with_timezone(&ctx.now.timezone());
            (local.date_naive(), Some(local.time()))
        }
        None => {
            let date = resolve_date(&found, today)?;
            let time = match found.clock {
                Some(clock) => Some(resolve_clock(clock, found.meridiem, found.part, date, ctx.hours)?),
                None => None,
            };
            (date, time)
        }
    };
    if date < today {
        return Err(DateProblem::Past);
    }
    if let Some(time) = time {
        let now = ctx.now.time().with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(ctx.now.time());
        if date == today && time < now {
            return Err(DateProblem::Past);
        }
    }
    Ok(Moment { date, time, part_of_day: if time.is_some() { None } else { found.part } })
}

/// Splits folded text into tokens: punctuation that separates words becomes space, "2pm" and
/// "14uhr" are split, hyphens between letters ("twenty-five") become spaces.
fn tokens(text: &str) -> Vec<String> {
    let folded = fold(text).replace("a.m.", "am").replace("p.m.", "pm");
    let chars: Vec<char> = folded.chars().collect();
    let mut cleaned = String::with_capacity(folded.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        match c {
            ',' | ';' | '!' | '?' | '(' | ')' | '"' => cleaned.push(' '),
            '-' if prev.is_some_and(|p| p.is_alphabetic()) || next.is_some_and(|n| n.is_alphabetic()) => {
                cleaned.push(' ')
            }
            _ => cleaned.push(c),
        }
    }
    let mut out = Vec::new();
    for raw in cleaned.split_whitespace() {
        let raw = raw.trim_end_matches(':');
        // A trailing dot carries meaning on dates and ordinals ("7.11.", "7."), not on words.
        let word = if raw.starts_with(|c: char| c.is_ascii_digit()) { raw } else { raw.trim_end_matches('.') };
        if word.is_empty() {
            continue;
        }
        let split_at = word.find(|c: char| !c.is_ascii_digit() && c != ':' && c != '.');
        match split_at {
            Some(at) if at > 0 && matches!(&word[at..], "uhr" | "h" | "am" | "pm" | "st" | "nd" | "rd" | "th") => {
                let (number, suffix) = word.split_at(at);
                if matches!(suffix, "st" | "nd" | "rd" | "th") {
                    out.push(word.to_string());
                } else {
                    out.push(number.to_string());
                    out.push(if suffix == "h" { "uhr".to_string() } else { suffix.to_string() });
                }
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

fn scan(tokens: &[String], field: Field, found: &mut Found) -> Result<(), DateProblem> {
    let mut i = 0;
    while i < tokens.len() {
        let mut consumed = match_date(tokens, i, found)?;
        if consumed.is_none() {
            consumed = match_clock_at(tokens, i, field, found)?;
        }
        if consumed.is_none() {
            consumed = match_words(tokens, i, found);
        }
        match consumed {
            Some(n) => i += n,
            None => {
                if !is_filler(&tokens[i]) {
                    found.unrecognised = true;
                }
                i += 1;
            }
        }
    }
    Ok(())
}

fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "am" | "um"
            | "at"
            | "on"
            | "the"
            | "of"
            | "den"
            | "der"
            | "dem"
            | "im"
            | "in"
            | "gegen"
            | "ab"
            | "so"
            | "etwa"
            | "ca"
            | "circa"
            | "around"
            | "about"
            | "bitte"
            | "please"
            | "vielleicht"
            | "maybe"
            | "und"
            | "and"
            | "oder"
            | "or"
            | "uhr"
            | "o'clock"
            | "oclock"
            | "es"
            | "ist"
            | "geht"
            | "auch"
            | "gern"
            | "gerne"
    )
}

const MONTHS: [(&str, u32); 25] = [
    ("januar", 1),
    ("january", 1),
    ("jan", 1),
    ("februar", 2),
    ("february", 2),
    ("feb", 2),
    ("maerz", 3),
    ("march", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("juli", 7),
    ("july", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("oktober", 10),
    ("october", 10),
    ("november", 11),
    ("dezember", 12),
    ("december", 12),
];

fn month(word: &str) -> Option<u32> {
    MONTHS.iter().find(|(w, _)| *w == word).map(|(_, m)| *m)
}

fn weekday(word: &str) -> Option<Weekday> {
    let word = word.strip_suffix('s').filter(|w| w.ends_with("tag") || w.ends_with("woch")).unwrap_or(word);
    Some(match word {
        "montag" | "monday" => Weekday::Mon,
        "dienstag" | "tuesday" => Weekday::Tue,
        "mittwoch" | "wednesday" => Weekday::Wed,
        "donnerstag" | "thursday" => Weekday::Thu,
        "freitag" | "friday" => Weekday::Fri,
        "samstag" | "sonnabend" | "saturday" | "wochenende" | "weekend" => Weekday::Sat,
        "sonntag" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn year_after(tokens: &[String], i: usize) -> Option<i32> {
    let word = tokens.get(i)?;
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit())).then(|| word.parse().ok()).flatten()
}

fn numeric_parts(word: &str, separator: char) -> Option<Vec<u32>> {
    let parts: Vec<&str> = word.split(separator).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() || !parts.iter().all(|p| p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    parts.iter().map(|p| p.parse().ok()).collect()
}

/// Calendar dates: ISO, "7.11.2025", "7.11.", "7/11", "7. November", "November 7th".
fn match_date(tokens: &[String], i: usize, found: &mut Found) -> Result<Option<usize>, DateProblem> {
    let word = tokens[i].as_str();
    let next = tokens.get(i + 1).map(String::as_str);
    if word.len() >= 10 && word.as_bytes()[4] == b'-' && word[..4].bytes().all(|b| b.is_ascii_digit()) {
        return iso(word, found).map(|()| Some(1));
    }
    let dotted = word.contains('.') && word.starts_with(|c: char| c.is_ascii_digit());
    if dotted {
        if let Some(parts) = numeric_parts(word, '.') {
            let is_date = match parts.len() {
                3 => true,
                2 => {
                    word.ends_with('.')
                        || (next != Some("uhr") && (1..=31).contains(&parts[0]) && (1..=12).contains(&parts[1]))
                }
                _ => false,
            };
            if is_date && parts.len() >= 2 {
                let year = parts.get(2).map(|y| if *y < 100 { 2000 + *y as i32 } else { *y as i32 });
                found.date = Some(DateSpec::Calendar { day: parts[0], month: parts[1], year });
                return Ok(Some(1));
            }
        }
    }
    if word.contains('/') {
        if let Some(parts) = numeric_parts(word, '/').filter(|p| p.len() >= 2 && p.len() <= 3) {
            let year = parts.get(2).map(|y| if *y < 100 { 2000 + *y as i32 } else { *y as i32 });
            found.date = Some(DateSpec::Calendar { day: parts[0], month: parts[1], year });
            return Ok(Some(1));
        }
    }
    // "7. November [2025]", "7th of November"
    if let Some(day) = ordinal(word) {
        let (month_at, skip) = if next == Some("of") { (i + 2, 1) } else { (i + 1, 0) };
        if let Some(m) = tokens.get(month_at).and_then(|w| month(w)) {
            let year = year_after(tokens, month_at + 1);
            found.date = Some(DateSpec::Calendar { day, month: m, year });
            return Ok(Some(2 + skip + usize::from(year.is_some())));
        }
    }
    // "November 7th [2025]"
    if let (Some(m), Some(day)) = (month(word), next.and_then(ordinal)) {
        let year = year_after(tokens, i + 2);
        found.date = Some(DateSpec::Calendar { day, month: m, year });
        return Ok(Some(2 + usize::from(year.is_some())));
    }
    Ok(None)
}

fn iso(word: &str, found: &mut Found) -> Result<(), DateProblem> {
    let upper = word.to_ascii_uppercase();
    if !upper.is_char_boundary(10) {
        return Err(DateProblem::Unrecognised);
    }
    let date = NaiveDate::parse_from_str(&upper[..10], "%Y-%m-%d").map_err(|_| DateProblem::Impossible)?;
    found.date = Some(DateSpec::Exact(date));
    let rest = &upper[10..];
    if rest.is_empty() {
        return Ok(());
    }
    let rest = rest.strip_prefix('T').ok_or(DateProblem::Unrecognised)?;
    let (clock, offset) = match rest.find(['Z', '+', '-']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let time = NaiveTime::parse_from_str(clock, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
        .map_err(|_| DateProblem::Impossible)?;
    if offset.is_empty() {
        found.clock = Some(Clock { hour: time.hour(), minute: time.minute(), explicit: true });
    } else {
        // An exact instant: converted to the tenant's zone when resolved.
        let text = format!("{}T{}{}", &upper[..10], clock_with_seconds(clock), offset);
        found.instant = Some(DateTime::parse_from_rfc3339(&text).map_err(|_| DateProblem::Impossible)?);
    }
    Ok(())
}

fn clock_with_seconds(clock: &str) -> String {
    if clock.len() == 5 {
        format!("{clock}:00")
    } else {
        clock.to_string()
    }
}

/// Clock times: "14:30", "14 Uhr 30", "halb drei", "viertel nach zehn", "2:30 pm", "half past two".
fn match_clock_at(tokens: &[String], i: usize, field: Field, found: &mut Found) -> Result<Option<usize>, DateProblem> {
    let word = tokens[i].as_str();
    let introduced = matches!(word, "um" | "at" | "gegen" | "around" | "ab" | "ca" | "circa" | "etwa");
    let start = if introduced { i + 1 } else { i };
    let bare_allowed = introduced || field == Field::Time;
    let Some((clock, used)) = clock_expr(tokens, start, bare_allowed)? else {
        return Ok(None);
    };
    found.clock = Some(clock);
    let mut consumed = start - i + used;
    if let Some(m) = tokens.get(i + consumed).and_then(|w| meridiem(w)) {
        found.meridiem = Some(m);
        consumed += 1;
    }
    Ok(Some(consumed))
}

fn meridiem(word: &str) -> Option<Meridiem> {
    match word {
        "am" => Some(Meridiem::Am),
        "pm" => Some(Meridiem::Pm),
        _ => None,
    }
}

fn hour_word(word: Option<&String>) -> Option<u32> {
    word.and_then(|w| cardinal(w)).filter(|h| (0..=24).contains(h))
}

fn ambiguous(hour: u32, minute: u32) -> Clock {
    Clock { hour, minute, explicit: hour == 0 || hour > 12 }
}

fn before(hour: u32) -> u32 {
    if hour == 0 || hour == 1 {
        12 + hour - 1
    } else {
        hour - 1
    }
}

fn clock_expr(tokens: &[String], i: usize, bare_allowed: bool) -> Result<Option<(Clock, usize)>, DateProblem> {
    let Some(word) = tokens.get(i).map(String::as_str) else { return Ok(None) };
    let next = tokens.get(i + 1).map(String::as_str);
    let is_after = |w: Option<&str>| matches!(w, Some("nach" | "past" | "after"));
    let is_before = |w: Option<&str>| matches!(w, Some("vor" | "to" | "before"));
    match word {
        "halb" => return Ok(hour_word(tokens.get(i + 1)).map(|h| (ambiguous(before(h), 30), 2))),
        "half" if is_after(next) => return Ok(hour_word(tokens.get(i + 2)).map(|h| (ambiguous(h, 30), 3))),
        "viertel" | "quarter" if is_after(next) => {
            return Ok(hour_word(tokens.get(i + 2)).map(|h| (ambiguous(h, 15), 3)))
        }
        "viertel" | "quarter" if is_before(next) => {
            return Ok(hour_word(tokens.get(i + 2)).map(|h| (ambiguous(before(h), 45), 3)))
        }
        "viertel" => return Ok(hour_word(tokens.get(i + 1)).map(|h| (ambiguous(before(h), 15), 2))),
        "dreiviertel" => return Ok(hour_word(tokens.get(i + 1)).map(|h| (ambiguous(before(h), 45), 2))),
        "noon" | "mittag" if bare_allowed => return Ok(Some((Clock { hour: 12, minute: 0, explicit: true }, 1))),
        _ => {}
    }
    // "14:30", "08:00", "14.30 Uhr"
    let separator = if word.contains(':') {
        Some(':')
    } else if word.contains('.') && next == Some("uhr") {
        Some('.')
    } else {
        None
    };
    if let Some(separator) = separator {
        let parts = numeric_parts(word, separator).filter(|p| p.len() == 2).ok_or(DateProblem::Unrecognised)?;
        let (hour, minute) = (parts[0], parts[1]);
        if hour > 24 || minute > 59 {
            return Err(DateProblem::Impossible);
        }
        let explicit = hour == 0 || hour > 12 || word.starts_with('0');
        let used = if next == Some("uhr") { 2 } else { 1 };
        return Ok(Some((Clock { hour: hour % 24, minute, explicit }, used)));
    }
    let Some(n) = cardinal(word) else { return Ok(None) };
    // "zehn nach drei", "fünf vor halb drei", "twenty past two"
    if (is_after(next) || is_before(next)) && n <= 30 {
        let half = tokens.get(i + 2).map(String::as_str) == Some("halb");
        let hour_at = if half { i + 3 } else { i + 2 };
        if let Some(h) = hour_word(tokens.get(hour_at)) {
            let base = if half { before(h) * 60 + 30 } else { h * 60 };
            let minutes = if is_after(next) { base + n } else { base + 24 * 60 - n } % (24 * 60);
            return Ok(Some((ambiguous(minutes / 60, minutes % 60), hour_at - i + 1)));
        }
    }
    // "14 Uhr", "14 Uhr 30", "vierzehn Uhr dreißig"
    if next == Some("uhr") {
        if n > 24 {
            return Err(DateProblem::Impossible);
        }
        let minute = tokens
            .get(i + 2)
            .and_then(|w| cardinal(w))
            .filter(|m| *m <= 59 && tokens.get(i + 3).map(String::as_str) != Some("uhr"));
        let clock =
            Clock { hour: n % 24, minute: minute.unwrap_or(0), explicit: n == 0 || n > 12 || word.starts_with('0') };
        return Ok(Some((clock, if minute.is_some() { 3 } else { 2 })));
    }
    // "2 pm", "at 2", or a bare "14" in the time field
    if meridiem(next.unwrap_or("")).is_some() || bare_allowed {
        if n > 24 {
            return if bare_allowed { Err(DateProblem::Impossible) } else { Ok(None) };
        }
        // "14 30" in the time field
        let minute = tokens.get(i + 1).and_then(|w| cardinal(w)).filter(|m| *m <= 59);
        let clock =
            Clock { hour: n % 24, minute: minute.unwrap_or(0), explicit: n == 0 || n > 12 || word.starts_with('0') };
        return Ok(Some((clock, if minute.is_some() { 2 } else { 1 })));
    }
    Ok(None)
}

/// Relative days, weekdays, weeks and parts of the day.
fn match_words(tokens: &[String], i: usize, found: &mut Found) -> Option<usize> {
    let word = tokens[i].as_str();
    let prev = i.checked_sub(1).map(|j| tokens[j].as_str());
    let next = tokens.get(i + 1).map(String::as_str);
    let mut set_date = |spec: DateSpec| found.date = Some(spec);
    match word {
        "heute" | "today" => set_date(DateSpec::Relative(0)),
        "tonight" => {
            set_date(DateSpec::Relative(0));
            found.part = Some(PartOfDay::Evening);
        }
        // "heute morgen" and "Dienstag morgen" mean the morning; otherwise "morgen" is tomorrow.
        "morgen" if prev.is_some_and(|p| p == "heute" || weekday(p).is_some()) => found.part = Some(PartOfDay::Morning),
        "morgen" | "tomorrow" => set_date(DateSpec::Relative(1)),
        "uebermorgen" => set_date(DateSpec::Relative(2)),
        "day" if next == Some("after") && tokens.get(i + 2).map(String::as_str) == Some("tomorrow") => {
            set_date(DateSpec::Relative(2));
            return Some(3);
        }
        "gestern" | "vorgestern" | "yesterday" => set_date(DateSpec::Past),
        "in" => {
            let count = match next? {
                "einer" | "einem" | "a" | "one" => 1,
                other => cardinal(other)?,
            };
            let days = match tokens.get(i + 2)?.as_str() {
                "tag" | "tagen" | "day" | "days" => 1,
                "woche" | "wochen" | "week" | "weeks" => 7,
                _ => return None,
            };
            set_date(DateSpec::Relative(i64::from(count) * days));
            return Some(3);
        }
        "naechste" | "naechsten" | "kommende" | "kommenden" | "next" | "uebernaechste" | "uebernaechsten" | "diese"
        | "this"
            if matches!(next, Some("woche" | "week")) =>
        {
            found.week_offset = Some(match word {
                "uebernaechste" | "uebernaechsten" => 2,
                "diese" | "this" => 0,
                _ => 1,
            });
            return Some(2);
        }
        "morning" if prev == Some("this") => {
            set_date(DateSpec::Relative(0));
            found.part = Some(PartOfDay::Morning);
        }
        "vormittag" | "vormittags" | "morgens" | "frueh" | "morning" => found.part = Some(PartOfDay::Morning),
        "mittag" | "mittags" | "mittagszeit" | "lunchtime" | "noon" => found.part = Some(PartOfDay::Midday),
        "nachmittag" | "nachmittags" | "afternoon" => found.part = Some(PartOfDay::Afternoon),
        "abend" | "abends" | "evening" => found.part = Some(PartOfDay::Evening),
        "am" | "pm" => found.meridiem = meridiem(word),
        "naechsten" | "naechster" | "naechste" | "kommenden" | "kommender" | "next" | "diesen" | "dieser" | "this"
        | "coming" => {
            // a modifier: read with the weekday that follows
            return next.and_then(weekday).is_some().then_some(1);
        }
        _ => {
            let day = weekday(word)?;
            let mode = match prev {
                Some("naechsten" | "naechster" | "naechste" | "kommenden" | "kommender" | "next") => WeekdayMode::Next,
                Some("diesen" | "dieser" | "this" | "coming") => WeekdayMode::This,
                _ => WeekdayMode::Plain,
            };
            found.weekday = Some((day, mode));
        }
    }
    Some(1)
}

fn resolve_date(found: &Found, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let week_offset = found.week_offset;
    if let Some(spec) = found.date {
        return match spec {
            DateSpec::Exact(date) => Ok(date),
            DateSpec::Relative(days) => Ok(today + Duration::days(days)),
            DateSpec::Past => Err(DateProblem::Past),
            DateSpec::Calendar { day, month, year: Some(year) } => {
                NaiveDate::from_ymd_opt(year, month, day).ok_or(DateProblem::Impossible)
            }
            DateSpec::Calendar { day, month, year: None } => nearest_year(day, month, today),
        };
    }
    match (found.weekday, week_offset) {
        (Some((day, _)), Some(weeks)) => Ok(monday + Duration::days(7 * weeks + i64::from(day.num_days_from_monday()))),
        (Some((day, mode)), None) => {
            let ahead = (i64::from(day.num_days_from_monday()) - i64::from(today.weekday().num_days_from_monday()))
                .rem_euclid(7);
            Ok(match mode {
                WeekdayMode::Plain if ahead == 0 => today + Duration::days(7),
                WeekdayMode::Plain | WeekdayMode::This => today + Duration::days(ahead),
                WeekdayMode::Next => monday + Duration::days(7 + i64::from(day.num_days_from_monday())),
            })
        }
        (None, Some(0)) => Ok(today),
        (None, Some(weeks)) => Ok(monday + Duration::days(7 * weeks)),
        (None, None) => Ok(today),
    }
}

/// A day and month without a year: the occurrence nearest to today (so "7.1." said in December
/// means January, while "7.11." said on 26 November is a date just past).
fn nearest_year(day: u32, month: u32, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    let candidates: Vec<NaiveDate> =
        (-1..=1).filter_map(|delta| NaiveDate::from_ymd_opt(today.year() + delta, month, day)).collect();
    if candidates.is_empty() {
        // 29.02. exists in some year; anything else does not exist at all
        return if NaiveDate::from_ymd_opt(2028, month, day).is_some() {
            Err(DateProblem::Past)
        } else {
            Err(DateProblem::Impossible)
        };
    }
    candidates.into_iter().min_by_key(|date| (*date - today).num_days().abs()).ok_or(DateProblem::Impossible)
}

fn resolve_clock(
    clock: Clock,
    meridiem: Option<Meridiem>,
    part: Option<PartOfDay>,
    date: NaiveDate,
    hours: &OpeningHours,
) -> Result<NaiveTime, DateProblem> {
    let at = |hour: u32| NaiveTime::from_hms_opt(hour, clock.minute, 0);
    let base = at(clock.hour).ok_or(DateProblem::Impossible)?;
    if clock.explicit {
        return Ok(base);
    }
    let later = at(clock.hour + 12);
    let hour = match (meridiem, part) {
        (Some(Meridiem::Pm), _) | (None, Some(PartOfDay::Afternoon | PartOfDay::Evening)) if clock.hour < 12 => {
            clock.hour + 12
        }
        (Some(Meridiem::Am), _) if clock.hour == 12 => 0,
        (Some(_), _) | (None, Some(_)) => clock.hour,
        (None, None) => {
            let weekday = date.weekday();
            let open_then = hours.is_open(weekday, base);
            let open_later = later.is_some_and(|t| hours.is_open(weekday, t));
            if !open_then && (open_later || clock.hour < 7) && clock.hour < 12 {
                clock.hour + 12
            } else {
                clock.hour
            }
        }
    };
    at(hour).ok_or(DateProblem::Impossible)
}
