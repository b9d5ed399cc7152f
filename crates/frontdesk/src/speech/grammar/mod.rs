//! Rules over tokens: each rule reads a few tokens at a position and yields [`Fact`]s — a date, a
//! weekday, a span of days, a clock time, a bound, a part of the day, a staff member. The longest
//! reading at a position wins because rules are tried from the most specific to the least.
//! Resolving facts into a wish (years, weeks, 12-hour clocks) happens in `understand`. The day rules
//! live in `days`, the time rules in `times`.

mod days;
mod times;

use super::lexicon::is_filler_in;
use super::phrase_table::Phrases;
use super::text::{fold, similar};
use super::tokens::Token;
use super::wish::PartOfDay;
use crate::domain::{Language, Staff};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Weekday};

/// Which argument the words came from: a bare number means a clock time only in the time field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `date` / `datum`.
    Date,
    /// `time` / `uhrzeit`.
    Time,
}

/// "am" or "pm".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meridiem {
    /// Before noon.
    Am,
    /// After noon.
    Pm,
}

/// A clock time as said: maybe a 12-hour reading to be resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// 0..=24 as said.
    pub hour: u32,
    /// 0..=59.
    pub minute: u32,
    /// Cannot be a 12-hour reading ("14:00", "08:30", "0 Uhr").
    pub explicit: bool,
    /// "pm", "abends", … said right with it.
    pub meridiem: Option<Meridiem>,
}

impl Clock {
    fn new(hour: u32, minute: u32, explicit: bool) -> Self {
        Self { hour, minute, explicit: explicit || hour == 0 || hour > 12, meridiem: None }
    }
}

/// How a weekday was qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekdayMode {
    /// "Dienstag": the next one after today.
    Plain,
    /// "diesen Dienstag": the next one, today included.
    This,
    /// "nächsten Dienstag": the one in next calendar week.
    Next,
    /// "übernächsten Dienstag": the one in the week after next.
    AfterNext,
}

/// Which side of a day another is counted from: "der Montag nach …", "the Friday before …".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Before the day named.
    Before,
    /// After the day named.
    After,
}

/// A part of a week or month: "Anfang", "Mitte", "Ende".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// All of it.
    Whole,
    /// The first days.
    Start,
    /// The middle.
    Middle,
    /// The last days.
    End,
}

/// Which month a span refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthRef {
    /// This month plus an offset (0 = this one).
    Relative(i32),
    /// A named month (the next one that has not passed).
    Named(u32),
}

/// A named day that matters to a business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedDay {
    /// A fixed day of the year.
    Fixed(u32, u32),
    /// Easter Sunday plus days.
    Easter(i64),
}

/// A time zone said with a clock time ("16 Uhr MEZ", "9:30 GMT", "4pm ET", "10:00 +01:00").
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ZoneRef {
    /// A fixed offset from UTC, in minutes.
    Offset(i32),
    /// A zone with its own summer time ("ET" is New York's, whichever half of the year).
    Named(chrono_tz::Tz),
}

/// What one rule understood.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// A calendar date, the year maybe missing.
    Calendar { day: u32, month: u32, year: Option<i32> },
    /// A day of some month ("am dritten", "the 15th"), of a given month reference if said.
    DayOfMonth(u32, Option<MonthRef>),
    /// Days from today.
    Relative(i64),
    /// The next day from Monday to Friday after today.
    NextWeekday,
    /// Some days from today, as a span ("in ein paar Tagen": 2 to 4 days).
    RelativeSpan(i64, i64),
    /// "zwei Tage nach …", "a week after …": the day named after it, this many days later.
    Shift(i64),
    /// "am Tag danach", "zwei Tage später", "the next day": days after the day the call spoke
    /// about before (the words alone do not say which).
    AfterEarlier(i64),
    /// "der Montag nach Ostern", "the Friday before the 14th": the nearest such weekday after (or
    /// before) the day named after it.
    WeekdayBeside(Weekday, Side),
    /// "die Woche nach Weihnachten", "the week after the 14th": the calendar week after the week of
    /// the day named after it, Monday to Sunday; "die Woche vor Weihnachten": the calendar week
    /// before it, or that week's days before the day — asked when both can be meant.
    WeekBeside(Side),
    /// "bis", "to", "und" after "zwischen": the days before it and after it form one span.
    Through,
    /// "in einer Woche" after a weekday: weeks added to it.
    WeeksLater(i64),
    /// "in einem Monat": the same day that many months later.
    MonthsLater(u32),
    /// A date already past ("gestern").
    Past,
    /// A date with a year (ISO).
    Exact(NaiveDate),
    /// An exact instant with an offset (ISO with Z or +hh:mm).
    Instant(DateTime<FixedOffset>),
    /// A named day, its next occurrence.
    Named(NamedDay),
    /// "der erste Montag im Dezember", "the last Friday of the month", "der letzte Tag im Oktober":
    /// the `nth` weekday of a month (or its `nth` day, with no weekday), from its end when negative.
    NthOfMonth { nth: i8, weekday: Option<Weekday>, month: MonthRef },
    /// A weekday.
    Weekday(Weekday, WeekdayMode),
    /// A calendar week relative to this one, or a part of it.
    Week(i64, Section),
    /// "die Woche vom 14. Dezember", "the week of December 14th": the whole week of the date said.
    WeekOf,
    /// A weekend relative to this one.
    Weekend(i64),
    /// A month, or a part of it.
    Month(MonthRef, Section),
    /// A clock time.
    Clock(Clock),
    /// Said approximately ("gegen", "around").
    Around,
    /// "ab 14 Uhr".
    From(Clock),
    /// "bis 11 Uhr".
    Until(Clock),
    /// "zwischen 10 und 12".
    Between(Clock, Clock),
    /// "kurz nach zehn" (+30 min) or "kurz vor zehn" (−30 min).
    Near(Clock, bool),
    /// A part of the day.
    Part(PartOfDay),
    /// A window by clock times that are never 12-hour readings (after work, late afternoon).
    Window(NaiveTime, NaiveTime),
    /// "pm" / "abends" standing after a clock time.
    Meridiem(Meridiem),
    /// Minutes from now ("in zwei Stunden").
    InMinutes(i64),
    /// "so früh wie möglich", "jetzt".
    Earliest,
    /// A staff member of the branch.
    Staff(String),
    /// The zone the clock times were said in.
    Zone(ZoneRef),
}

/// Words after which "10.10" is a time, not a date: "um 10.10", "gegen 9.45".
pub(super) const TIME_WORDS: &[&str] = &["um", "gegen", "at", "around", "ca", "circa"];

impl Fact {
    /// Whether this fact names a period of days: a week, a weekend, a month.
    pub fn is_period(&self) -> bool {
        matches!(self, Self::Week(..) | Self::Weekend(_) | Self::Month(..))
    }

    /// Whether this fact names a day (for "the day was understood").
    pub fn is_day(&self) -> bool {
        matches!(
            self,
            Self::Calendar { .. }
                | Self::DayOfMonth(..)
                | Self::Relative(_)
                | Self::NextWeekday
                | Self::RelativeSpan(..)
                | Self::WeeksLater(_)
                | Self::MonthsLater(_)
                | Self::Past
                | Self::Exact(_)
                | Self::AfterEarlier(_)
                | Self::WeekdayBeside(..)
                | Self::WeekBeside(_)
                | Self::Instant(_)
                | Self::Named(_)
                | Self::NthOfMonth { .. }
                | Self::Weekday(..)
                | Self::Week(..)
                | Self::Weekend(_)
                | Self::Month(..)
                | Self::Earliest
        )
    }

    /// Whether this fact names a time of day.
    pub fn is_time(&self) -> bool {
        matches!(
            self,
            Self::Clock(_)
                | Self::From(_)
                | Self::Until(_)
                | Self::Between(..)
                | Self::Near(..)
                | Self::Part(_)
                | Self::Window(..)
                | Self::InMinutes(_)
                | Self::Instant(_)
                | Self::Earliest
        )
    }
}

/// What a scan of one argument found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Facts in the order said.
    pub facts: Vec<Fact>,
    /// Words no rule read and that are not fillers.
    pub unknown: Vec<String>,
    /// A date or time that cannot exist was said.
    pub impossible: bool,
}

/// The grammar's view of one argument.
pub struct Grammar<'a> {
    tokens: &'a [Token],
    field: Field,
    language: Language,
    month_first: bool,
    staff: &'a [Staff],
    /// The staff's names folded once, not once per word tried.
    staff_names: Vec<String>,
}

impl<'a> Grammar<'a> {
    /// A grammar over the tokens of one field, for a tenant's language and date order, knowing the
    /// branch's staff.
    pub fn new(tokens: &'a [Token], field: Field, language: Language, month_first: bool, staff: &'a [Staff]) -> Self {
        let staff_names = staff.iter().map(|person| fold(&person.name)).collect();
        Self { tokens, field, language, month_first, staff, staff_names }
    }

    fn word(&self, i: usize) -> &str {
        self.tokens.get(i).map(|t| t.word.as_str()).unwrap_or("")
    }

    fn is(&self, i: usize, words: &[&str]) -> bool {
        words.contains(&self.word(i))
    }

    /// Whether the words from `i` are exactly `phrase` (space-separated), with its length.
    fn phrase(&self, i: usize, phrase: &str) -> Option<usize> {
        // Cheap first: most phrases fail on their first word (this runs for every rule at every
        // position, so it decides how fast a long phrase is understood).
        let first = self.word(i);
        if first.is_empty() || !phrase.starts_with(first) {
            return None;
        }
        let rest = &phrase[first.len()..];
        if rest.is_empty() {
            return Some(1);
        }
        let rest = rest.strip_prefix(' ')?;
        let mut n = 1;
        for word in rest.split(' ') {
            if self.word(i + n) != word {
                return None;
            }
            n += 1;
        }
        Some(n)
    }

    /// The longest phrase of a table that the words from `i` spell, with its length.
    fn any_phrase(&self, i: usize, phrases: &Phrases<()>) -> Option<usize> {
        self.table(i, phrases).map(|(n, ())| n)
    }

    /// The longest phrase of a valued table at `i`: its length and value.
    fn table<V: Copy>(&self, i: usize, table: &Phrases<V>) -> Option<(usize, V)> {
        table.longest(self.word(i), |k| self.word(i + k))
    }

    /// Reads every token into facts or unknown words.
    pub fn scan(&self) -> Scan {
        let mut scan = Scan::default();
        let mut i = 0;
        while i < self.tokens.len() {
            match self.rule(i) {
                Ok(Some((used, facts))) => {
                    scan.facts.extend(facts);
                    i += used.max(1);
                }
                Ok(None) => {
                    let word = self.word(i);
                    if !is_filler_in(word, self.language) {
                        scan.unknown.push(word.to_string());
                    }
                    i += 1;
                }
                Err(Impossible) => {
                    scan.impossible = true;
                    i += 1;
                }
            }
        }
        scan
    }

    /// The rules, most specific first.
    fn rule(&self, i: usize) -> Result<Option<Reading>, Impossible> {
        // Order matters: "viertel nach vier" must be a clock time before "nach" is a bound, and a
        // weekday after "nächsten" before "nächste Woche" is a week; "letzten Freitag im Dezember" is
        // a Friday of December before "letzten Freitag" is past.
        let rules: [Rule; 16] = [
            |g, i| Ok(g.earliest(i)),
            |g, i| g.iso(i),
            |g, i| g.numeric_date(i),
            |g, i| Ok(g.spoken_date(i)),
            |g, i| Ok(g.named_day(i)),
            |g, i| Ok(g.relative(i)),
            |g, i| Ok(g.week_or_month(i)),
            |g, i| Ok(g.nth_of_month(i)),
            |g, i| Ok(g.weekday(i)),
            |g, i| g.bounds(i),
            |g, i| g.clock_rule(i),
            |g, i| Ok(g.day_of_month(i)),
            |g, i| Ok(g.parts(i)),
            |g, i| Ok(g.staff_member(i)),
            |g, i| Ok(g.span_word(i)),
            |g, i| Ok(g.zone(i)),
        ];
        for rule in rules {
            if let Some(reading) = rule(self, i)? {
                return Ok(Some(reading));
            }
        }
        Ok(None)
    }

    /// "bei Jonas", "with Maria", or a staff member's name alone.
    fn staff_member(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let (lead, k) = if self.is(i, &["bei", "with", "mit", "von", "by"]) { (1, i + 1) } else { (0, i) };
        let mut k = k;
        if self.is(k, &["frau", "herr", "herrn", "mrs", "mr", "ms", "miss", "dr"]) {
            k += 1;
        }
        let word = self.word(k);
        if word.len() < 2 {
            return None;
        }
        // A typo is forgiven only after "bei"/"with"; a bare word must be the name.
        let (person, _) = self.staff.iter().zip(&self.staff_names).find(|(_, folded)| {
            folded.split_whitespace().any(|part| part == word || (lead == 1 && part.len() > 4 && similar(part, word)))
        })?;
        // a name alone is only read as staff after "bei"/"with", or as the whole field
        if lead == 0 && self.tokens.len() > 1 && k == i {
            return None;
        }
        Some((k + 1 - i, vec![Fact::Staff(person.name.clone())]))
    }
}

/// What a rule read: how many tokens, and the facts.
type Reading = (usize, Vec<Fact>);

/// A rule: reads at a position, or not; a date or time that cannot exist is an error.
type Rule = fn(&Grammar<'_>, usize) -> Result<Option<Reading>, Impossible>;

/// A date or time that cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Impossible;

/// The hour before `hour` on a 12-hour clock face ("halb drei" → 2).
fn before(hour: u32) -> u32 {
    match hour {
        0 | 1 => 12 + hour - 1,
        h => h - 1,
    }
}

fn hm(hour: u32, minute: u32) -> NaiveTime {
    super::wish::hm(hour, minute)
}

fn numeric_parts(word: &str, separator: char) -> Option<Vec<u32>> {
    let parts: Vec<&str> = word.split(separator).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() || !parts.iter().all(|p| p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    parts.iter().map(|p| p.parse().ok()).collect()
}
