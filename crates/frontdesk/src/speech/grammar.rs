//! Rules over tokens: each rule reads a few tokens at a position and yields [`Fact`]s — a date, a
//! weekday, a span of days, a clock time, a bound, a part of the day, a staff member. The longest
//! reading at a position wins because rules are tried from the most specific to the least.
//! Resolving facts into a wish (years, weeks, 12-hour clocks) happens in `resolve`.

use super::lexicon::{is_filler, month, part_of_day, weekday};
use super::numbers::english_tens;
use super::phrases::{phrase_table, phrases, Phrases};
use super::text::{fold, similar};
use super::tokens::Token;
use super::wish::PartOfDay;
use crate::domain::{Language, Staff};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Timelike, Weekday};

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

/// What one rule understood.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// A calendar date, the year maybe missing.
    Calendar { day: u32, month: u32, year: Option<i32> },
    /// A day of some month ("am dritten", "the 15th"), of a given month reference if said.
    DayOfMonth(u32, Option<MonthRef>),
    /// Days from today.
    Relative(i64),
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
    /// A weekday.
    Weekday(Weekday, WeekdayMode),
    /// A calendar week relative to this one, or a part of it.
    Week(i64, Section),
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
    /// A word with no date in it.
    Filler,
}

impl Fact {
    /// Whether this fact names a day (for "the day was understood").
    pub fn is_day(&self) -> bool {
        matches!(
            self,
            Self::Calendar { .. }
                | Self::DayOfMonth(..)
                | Self::Relative(_)
                | Self::WeeksLater(_)
                | Self::MonthsLater(_)
                | Self::Past
                | Self::Exact(_)
                | Self::Instant(_)
                | Self::Named(_)
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
}

impl<'a> Grammar<'a> {
    /// A grammar over the tokens of one field, for a tenant's language and date order, knowing the
    /// branch's staff.
    pub fn new(tokens: &'a [Token], field: Field, language: Language, month_first: bool, staff: &'a [Staff]) -> Self {
        Self { tokens, field, language, month_first, staff }
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
                    scan.facts.extend(facts.into_iter().filter(|f| *f != Fact::Filler));
                    i += used.max(1);
                }
                Ok(None) => {
                    let word = self.word(i);
                    if !is_filler(word) {
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
    fn rule(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
        if let Some(found) = self.earliest(i) {
            return Ok(Some(found));
        }
        if let Some(found) = self.iso(i)? {
            return Ok(Some(found));
        }
        if let Some(found) = self.numeric_date(i)? {
            return Ok(Some(found));
        }
        if let Some(found) = self.spoken_date(i) {
            return Ok(Some(found));
        }
        if let Some(found) = self.named_day(i) {
            return Ok(Some(found));
        }
        if let Some(found) = self.relative(i) {
            return Ok(Some(found));
        }
        if let Some(found) = self.week_or_month(i) {
            return Ok(Some(found));
        }
        if let Some(found) = self.weekday(i) {
            return Ok(Some(found));
        }
        if let Some(found) = self.bounds(i)? {
            return Ok(Some(found));
        }
        if let Some(found) = self.clock_rule(i)? {
            return Ok(Some(found));
        }
        if let Some(found) = self.day_of_month(i) {
            return Ok(Some(found));
        }
        if let Some(found) = self.parts(i) {
            return Ok(Some(found));
        }
        Ok(self.staff_member(i))
    }

    /// "so früh wie möglich", "jetzt", "asap", "next available".
    fn earliest(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let n = self.any_phrase(
            i,
            phrases![
                "so frueh wie moeglich",
                "so bald wie moeglich",
                "so schnell wie moeglich",
                "moeglichst bald",
                "moeglichst frueh",
                "moeglichst schnell",
                "schnellstmoeglich",
                "baldmoeglichst",
                "fruehestmoeglich",
                "fruehestmoeglichen",
                "naechstmoeglich",
                "naechstmoeglichen",
                "naechsten freien",
                "naechste freie",
                "ersten freien",
                "erste freie",
                "jetzt gleich",
                "jetzt",
                "sofort",
                "gleich",
                "heute noch",
                "as soon as possible",
                "as early as possible",
                "earliest possible",
                "the earliest",
                "earliest available",
                "first available",
                "next available",
                "right now",
                "right away",
                "now",
                "asap",
                "anytime",
                "any time",
                "egal wann",
                "wann immer",
                "irgendwann",
                "whenever",
            ],
        )?;
        let today = matches!(self.word(i), "heute");
        let facts = if today { vec![Fact::Relative(0), Fact::Earliest] } else { vec![Fact::Earliest] };
        Some((n, facts))
    }

    /// "2026-12-03", "2026-12-03T14:00", "2026-12-03T13:00:00Z", "2026-12-3".
    fn iso(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
        let word = self.word(i);
        let bytes = word.as_bytes();
        if word.len() < 8 || bytes[4] != b'-' || !word[..4].bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        let (date_part, rest) = match word.find('t') {
            Some(at) => (&word[..at], &word[at + 1..]),
            None => (word, ""),
        };
        let parts: Vec<u32> =
            date_part.split('-').map(|p| p.parse().map_err(|_| Impossible)).collect::<Result<_, _>>()?;
        let [year, month, day] = parts[..] else { return Err(Impossible) };
        let date = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(Impossible)?;
        if rest.is_empty() {
            return Ok(Some((1, vec![Fact::Exact(date)])));
        }
        let (clock, offset) = match rest.find(['z', '+', '-']) {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        let time = NaiveTime::parse_from_str(clock, "%H:%M:%S%.f")
            .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
            .map_err(|_| Impossible)?;
        if offset.is_empty() {
            let clock = Clock { hour: time.hour(), minute: time.minute(), explicit: true, meridiem: None };
            return Ok(Some((1, vec![Fact::Exact(date), Fact::Clock(clock)])));
        }
        let offset = if offset == "z" { "+00:00".to_string() } else { offset.to_string() };
        let text = format!("{}T{}{}", date, time.format("%H:%M:%S"), offset);
        let instant = DateTime::parse_from_rfc3339(&text).map_err(|_| Impossible)?;
        Ok(Some((1, vec![Fact::Instant(instant)])))
    }

    /// "7.12.2026", "7.12.", "7.12" (not before "Uhr"), "12/3" (the tenant's order), "12/3/2026".
    fn numeric_date(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
        let word = self.word(i);
        if !word.starts_with(|c: char| c.is_ascii_digit()) {
            return Ok(None);
        }
        let next_is_clock_unit = self.is(i + 1, &["uhr", "h", "oclock", "am", "pm"]);
        let year = |y: u32| if y < 100 { 2000 + y as i32 } else { y as i32 };
        if word.contains('.') && !word.contains(':') {
            let parts = numeric_parts(word, '.');
            let Some(parts) = parts else { return Ok(None) };
            let is_date = match parts.len() {
                3 => true,
                2 => {
                    word.ends_with('.')
                        || (!next_is_clock_unit
                            && self.field == Field::Date
                            && (1..=31).contains(&parts[0])
                            && (1..=12).contains(&parts[1]))
                }
                _ => false,
            };
            if !is_date {
                return Ok(None);
            }
            let fact = Fact::Calendar { day: parts[0], month: parts[1], year: parts.get(2).map(|y| year(*y)) };
            return Ok(Some((1, vec![fact])));
        }
        if word.contains('/') {
            let Some(parts) = numeric_parts(word, '/').filter(|p| (2..=3).contains(&p.len())) else { return Ok(None) };
            // "12/3": the tenant's order decides; a reading that cannot be a date yields to the other.
            let (a, b) = (parts[0], parts[1]);
            let (day, month) = match (self.month_first, a <= 12, b <= 12) {
                (true, true, _) | (false, _, false) => (b, a),
                _ => (a, b),
            };
            let y = parts.get(2).map(|y| year(*y));
            return Ok(Some((1, vec![Fact::Calendar { day, month, year: y }])));
        }
        Ok(None)
    }

    /// "3. Dezember [2026]", "dritter Dezember", "3rd of December", "December 3rd [2026]", "Dec 3".
    fn spoken_date(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let day_at = |k: usize| -> Option<(u32, usize)> {
            let token = self.tokens.get(k)?;
            // "twenty third", "twenty-first"
            if let (Some(tens), Some(unit)) =
                (english_tens(&token.word), self.tokens.get(k + 1).and_then(|t| t.ordinal))
            {
                if unit < 10 {
                    return Some((tens + unit, 2));
                }
            }
            // "December three", "twenty six November": number words too, next to a month name
            if let (Some(tens), Some(unit)) = (english_tens(&token.word), self.tokens.get(k + 1).and_then(|t| t.number))
            {
                if (1..10).contains(&unit) {
                    return Some((tens + unit, 2));
                }
            }
            let plain = token.number.filter(|n| (1..=31).contains(n) && !token.word.contains(['.', ':']));
            token.ordinal.or(plain).map(|d| (d, 1))
        };
        let year_at = |k: usize| -> Option<i32> {
            let word = self.word(k);
            (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit())).then(|| word.parse().ok()).flatten()
        };
        // day first: "3. Dezember", "3rd of December", "dritten Dezember"
        if let Some((day, used)) = day_at(i) {
            let mut k = i + used;
            if self.is(k, &["of"]) {
                k += 1;
            }
            if let Some(m) = month(self.word(k)) {
                let year = year_at(k + 1);
                let n = k + 1 - i + usize::from(year.is_some());
                return Some((n, vec![Fact::Calendar { day, month: m, year }]));
            }
        }
        // month first: "December 3rd", "Dec 3", "Dezember der dritte"
        if let Some(m) = month(self.word(i)) {
            let mut k = i + 1;
            if self.is(k, &["der", "the"]) {
                k += 1;
            }
            if let Some((day, used)) = day_at(k) {
                // "Mai 3 Uhr" is not a date
                if !self.is(k + used, &["uhr", "oclock", "am", "pm"]) {
                    let year = year_at(k + used);
                    let n = k + used - i + usize::from(year.is_some());
                    return Some((n, vec![Fact::Calendar { day, month: m, year }]));
                }
            }
            // "im Dezember", "in December", "Anfang Dezember" come through week_or_month
        }
        None
    }

    /// Heiligabend, Silvester, Ostern, Pfingsten, Christmas, New Year's Eve, Easter …
    fn named_day(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let named = phrase_table![NamedDay;
            ("heiligabend", NamedDay::Fixed(12, 24)),
            ("heiligen abend", NamedDay::Fixed(12, 24)),
            ("heilig abend", NamedDay::Fixed(12, 24)),
            ("christmas eve", NamedDay::Fixed(12, 24)),
            ("erster weihnachtsfeiertag", NamedDay::Fixed(12, 25)),
            ("ersten weihnachtsfeiertag", NamedDay::Fixed(12, 25)),
            ("zweiter weihnachtsfeiertag", NamedDay::Fixed(12, 26)),
            ("zweiten weihnachtsfeiertag", NamedDay::Fixed(12, 26)),
            ("weihnachten", NamedDay::Fixed(12, 25)),
            ("christmas day", NamedDay::Fixed(12, 25)),
            ("christmas", NamedDay::Fixed(12, 25)),
            ("boxing day", NamedDay::Fixed(12, 26)),
            ("stephanstag", NamedDay::Fixed(12, 26)),
            ("silvester", NamedDay::Fixed(12, 31)),
            ("new years eve", NamedDay::Fixed(12, 31)),
            ("neujahr", NamedDay::Fixed(1, 1)),
            ("new years day", NamedDay::Fixed(1, 1)),
            ("new year", NamedDay::Fixed(1, 1)),
            ("valentinstag", NamedDay::Fixed(2, 14)),
            ("valentines day", NamedDay::Fixed(2, 14)),
            ("nikolaus", NamedDay::Fixed(12, 6)),
            ("nikolaustag", NamedDay::Fixed(12, 6)),
            ("tag der deutschen einheit", NamedDay::Fixed(10, 3)),
            ("tag der arbeit", NamedDay::Fixed(5, 1)),
            ("reformationstag", NamedDay::Fixed(10, 31)),
            ("allerheiligen", NamedDay::Fixed(11, 1)),
            ("halloween", NamedDay::Fixed(10, 31)),
            ("karfreitag", NamedDay::Easter(-2)),
            ("good friday", NamedDay::Easter(-2)),
            ("karsamstag", NamedDay::Easter(-1)),
            ("ostersamstag", NamedDay::Easter(-1)),
            ("ostersonntag", NamedDay::Easter(0)),
            ("easter sunday", NamedDay::Easter(0)),
            ("ostermontag", NamedDay::Easter(1)),
            ("easter monday", NamedDay::Easter(1)),
            ("ostern", NamedDay::Easter(0)),
            ("easter", NamedDay::Easter(0)),
            ("christi himmelfahrt", NamedDay::Easter(39)),
            ("himmelfahrt", NamedDay::Easter(39)),
            ("ascension day", NamedDay::Easter(39)),
            ("pfingstsonntag", NamedDay::Easter(49)),
            ("pfingstmontag", NamedDay::Easter(50)),
            ("whit monday", NamedDay::Easter(50)),
            ("pfingsten", NamedDay::Easter(49)),
            ("whitsun", NamedDay::Easter(49)),
            ("fronleichnam", NamedDay::Easter(60)),
            ("corpus christi", NamedDay::Easter(60)),
        ];
        self.table(i, named).map(|(n, day)| (n, vec![Fact::Named(day)]))
    }

    /// heute, morgen, übermorgen, gestern; "in 3 Tagen", "in zwei Wochen", "in 2 Stunden".
    fn relative(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let word = self.word(i);
        let prev = i.checked_sub(1).map(|j| self.word(j)).unwrap_or("");
        let one = |fact| Some((1, vec![fact]));
        match word {
            "heute" | "today" => {
                if let Some(n) = self.any_phrase(i + 1, phrases!["in einer woche", "in acht tagen"]) {
                    return Some((1 + n, vec![Fact::Relative(7)]));
                }
                return one(Fact::Relative(0));
            }
            "tonight" => return Some((1, vec![Fact::Relative(0), Fact::Part(PartOfDay::Evening)])),
            // "heute morgen", "Dienstag morgen", "am Morgen": the morning; otherwise tomorrow.
            "morgen"
                if matches!(prev, "heute" | "am" | "morgen" | "uebermorgen")
                    || weekday(prev, false, self.language).is_some() =>
            {
                return one(Fact::Part(PartOfDay::Morning))
            }
            "morgen" | "tomorrow" | "tmrw" => return one(Fact::Relative(1)),
            "uebermorgen" => return one(Fact::Relative(2)),
            "gestern" | "vorgestern" | "yesterday" => return one(Fact::Past),
            _ => {}
        }
        if self.is(i, &["this"]) {
            if let Some(part) = part_of_day(self.word(i + 1)) {
                return Some((2, vec![Fact::Relative(0), Fact::Part(part)]));
            }
        }
        if let Some(n) = self.any_phrase(i, phrases!["the day after tomorrow", "day after tomorrow"]) {
            return Some((n, vec![Fact::Relative(2)]));
        }
        if let Some(n) = self.any_phrase(i, phrases!["a week from today", "a week today", "one week from today"]) {
            return Some((n, vec![Fact::Relative(7)]));
        }
        if let Some(n) = self.any_phrase(i, phrases!["in einer halben stunde", "in half an hour", "in a half hour"]) {
            return Some((n, vec![Fact::InMinutes(30)]));
        }
        // "in N <unit>", "N <unit> from now", "in an hour"
        let (count_at, lead) = if self.is(i, &["in"]) { (i + 1, 1) } else { (i, 0) };
        let (count, count_len) = self.count(count_at)?;
        let unit_at = count_at + count_len;
        let unit = self.word(unit_at);
        let trailing = if lead == 0 {
            // without "in", "from now"/"später" must follow
            self.any_phrase(unit_at + 1, phrases!["from now", "from today", "spaeter"])?
        } else {
            0
        };
        let fact = match unit {
            "tag" | "tagen" | "tage" | "day" | "days" => {
                // German "in acht Tagen" is a week, "in vierzehn Tagen" two
                let days = if count == 8 && self.language == Language::De { 7 } else { i64::from(count) };
                Fact::Relative(days)
            }
            "woche" | "wochen" | "week" | "weeks" => Fact::WeeksLater(i64::from(count)),
            "stunde" | "stunden" | "hour" | "hours" => Fact::InMinutes(60 * i64::from(count)),
            "minute" | "minuten" | "minutes" | "mins" => Fact::InMinutes(i64::from(count)),
            "monat" | "monaten" | "month" | "months" => Fact::MonthsLater(count),
            _ => return None,
        };
        Some((lead + count_len + 1 + trailing, vec![fact]))
    }

    /// A count: a number, "einer", "a", "an", "one", "twenty five".
    fn count(&self, i: usize) -> Option<(u32, usize)> {
        let token = self.tokens.get(i)?;
        match token.word.as_str() {
            "einer" | "einem" | "a" | "an" | "eine" | "one" => return Some((1, 1)),
            "ein" if self.is(i + 1, &["paar"]) => return None,
            "couple" => return None,
            _ => {}
        }
        let n = token.number?;
        if let (Some(_), Some(unit)) = (english_tens(&token.word), self.tokens.get(i + 1).and_then(|t| t.number)) {
            if (1..10).contains(&unit) {
                return Some((n + unit, 2));
            }
        }
        Some((n, 1))
    }

    /// Weeks and months: "nächste Woche", "Ende der Woche", "am Wochenende", "im Dezember",
    /// "Anfang nächsten Monats", "end of the month", "early next week".
    fn week_or_month(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let mut k = i;
        let section = match self.word(k) {
            "anfang" | "beginning" | "start" | "early" | "frueh" if self.is_period_ahead(k + 1) => Section::Start,
            "mitte" | "middle" | "mid" if self.is_period_ahead(k + 1) => Section::Middle,
            "ende" | "end" | "late" | "later" if self.is_period_ahead(k + 1) => Section::End,
            _ => Section::Whole,
        };
        if let Some(n) = self.any_phrase(i, phrases!["the week after next", "week after next"]) {
            return Some((n, vec![Fact::Week(2, Section::Whole)]));
        }
        if section != Section::Whole {
            k += 1;
        }
        // offset words and articles before the period: "der nächsten", "of the", "this"
        let (offset, used) = self.period_offset(k);
        k += used;
        let word = self.word(k);
        let n = |k: usize| k + 1 - i;
        match word {
            "woche" | "week" => {
                // a bare "Woche" says nothing ("in einer Woche" is read by `relative`)
                if used == 0 && section == Section::Whole {
                    return None;
                }
                return Some((n(k), vec![Fact::Week(offset, section)]));
            }
            "wochenende" | "weekend" => return Some((n(k), vec![Fact::Weekend(offset)])),
            "monat" | "monats" | "month" => {
                if used == 0 && section == Section::Whole {
                    return None;
                }
                return Some((n(k), vec![Fact::Month(MonthRef::Relative(offset as i32), section)]));
            }
            _ => {}
        }
        // "im Dezember", "Anfang Dezember", "end of December", "Mitte Januar"
        if let Some(m) = month(word) {
            let introduced = section != Section::Whole || self.is(i.wrapping_sub(1), &["im", "in"]) || used > 0;
            let followed_by_day = self.tokens.get(k + 1).is_some_and(|t| t.number.is_some() || t.ordinal.is_some());
            if introduced && !followed_by_day {
                return Some((n(k), vec![Fact::Month(MonthRef::Named(m), section)]));
            }
        }
        None
    }

    /// Whether a week or month word follows (perhaps after an article and an offset).
    fn is_period_ahead(&self, k: usize) -> bool {
        (k..k + 4).any(|j| {
            matches!(self.word(j), "woche" | "week" | "monats" | "monat" | "month" | "wochenende" | "weekend")
                || month(self.word(j)).is_some()
        })
    }

    /// "nächste(n)", "kommende", "übernächste", "diese", "next", "this", "the week after next", with
    /// articles: the offset and the tokens used.
    fn period_offset(&self, k: usize) -> (i64, usize) {
        let mut used = 0;
        while self.is(k + used, &["der", "des", "dem", "the", "of", "in", "im", "am"]) {
            used += 1;
        }
        let offset = match self.word(k + used) {
            "diese" | "dieser" | "diesen" | "diesem" | "dieses" | "this" | "current" => 0,
            "naechste" | "naechsten" | "naechster" | "naechstes" | "kommende" | "kommenden" | "kommender"
            | "kommendes" | "next" | "coming" | "following" => 1,
            "uebernaechste" | "uebernaechsten" | "uebernaechster" | "uebernaechstes" => 2,
            _ => return (0, used * usize::from(used > 0 && self.is_period_word(k + used))),
        };
        used += 1;
        if self.phrase(k + used, "week after next").is_some() {
            return (2, used);
        }
        (offset, used)
    }

    fn is_period_word(&self, k: usize) -> bool {
        matches!(self.word(k), "woche" | "week" | "monat" | "monats" | "month" | "wochenende" | "weekend")
            || month(self.word(k)).is_some()
    }

    /// Weekdays with their qualifiers: "nächsten Dienstag", "übernächsten Freitag", "this Friday",
    /// "Montag in einer Woche", "Monday week", "a week on Monday".
    fn weekday(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let past =
            matches!(self.word(i), "letzten" | "letzter" | "letzte" | "vergangenen" | "vergangener" | "last" | "past");
        if past && weekday(self.word(i + 1), false, self.language).is_some() {
            return Some((2, vec![Fact::Past]));
        }
        if let Some(n) = self.any_phrase(i, phrases!["this coming", "this next"]) {
            let token = self.tokens.get(i + n)?;
            let day = weekday(&token.word, token.dotted, self.language)?;
            return Some((n + 1, vec![Fact::Weekday(day, WeekdayMode::This)]));
        }
        let (mode, lead) = match self.word(i) {
            "naechsten" | "naechster" | "naechste" | "kommenden" | "kommender" | "kommende" | "next" | "coming" => {
                (WeekdayMode::Next, 1)
            }
            "diesen" | "dieser" | "diese" | "this" => (WeekdayMode::This, 1),
            "uebernaechsten" | "uebernaechster" | "uebernaechste" => (WeekdayMode::AfterNext, 1),
            _ => (WeekdayMode::Plain, 0),
        };
        let mut facts = vec![];
        let mut lead = lead;
        if lead == 0 {
            if let Some(n) = self.any_phrase(i, phrases!["a week on", "one week on"]) {
                lead = n;
                facts.push(Fact::WeeksLater(1));
            }
        }
        let token = self.tokens.get(i + lead)?;
        let day = weekday(&token.word, token.dotted, self.language)?;
        // "the Friday after next"
        let mut mode = mode;
        let mut used = lead + 1;
        if let Some(n) = self.phrase(i + used, "after next") {
            mode = WeekdayMode::AfterNext;
            used += n;
        }
        // "Monday week" (British: a week after next Monday)
        if self.is(i + used, &["week"]) && !self.is(i + used + 1, &["after"]) && self.language == Language::En {
            facts.push(Fact::WeeksLater(1));
            used += 1;
        }
        facts.insert(0, Fact::Weekday(day, mode));
        Some((used, facts))
    }

    /// Bounds and windows: "ab 14 Uhr", "bis 11", "zwischen 10 und 12", "von 9 bis 11",
    /// "after 5", "before noon", "nach der Arbeit", "am späten Nachmittag".
    fn bounds(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
        // Windows named by words: "nach der Arbeit", "am späten Nachmittag", "before noon".
        let windows = phrase_table![(u32, u32, u32, u32);
            ("nach der arbeit", (17, 0, 23, 59)),
            ("nach feierabend", (17, 0, 23, 59)),
            ("after work", (17, 0, 23, 59)),
            ("after lunch", (13, 0, 23, 59)),
            ("nach dem mittagessen", (13, 0, 23, 59)),
            ("nach der mittagspause", (14, 0, 23, 59)),
            ("nach mittag", (12, 0, 23, 59)),
            ("nach dem mittag", (12, 0, 23, 59)),
            ("am spaeten nachmittag", (15, 0, 18, 0)),
            ("spaeten nachmittag", (15, 0, 18, 0)),
            ("spaet nachmittags", (15, 0, 18, 0)),
            ("late afternoon", (15, 0, 18, 0)),
            ("later in the afternoon", (15, 0, 18, 0)),
            ("frueh morgens", (0, 0, 10, 0)),
            ("frueh am morgen", (0, 0, 10, 0)),
            ("am fruehen morgen", (0, 0, 10, 0)),
            ("early morning", (0, 0, 10, 0)),
            ("early in the morning", (0, 0, 10, 0)),
            ("first thing in the morning", (0, 0, 10, 0)),
            ("am fruehen nachmittag", (12, 0, 15, 0)),
            ("fruehen nachmittag", (12, 0, 15, 0)),
            ("early afternoon", (12, 0, 15, 0)),
            ("am spaeten vormittag", (10, 0, 12, 0)),
            ("late morning", (10, 0, 12, 0)),
            ("vor dem mittag", (0, 0, 12, 0)),
            ("vor mittag", (0, 0, 12, 0)),
            ("before noon", (0, 0, 12, 0)),
            ("before lunch", (0, 0, 12, 0)),
            ("in der mittagspause", (11, 30, 14, 0)),
            ("over lunch", (11, 30, 14, 0)),
        ];
        if let Some((n, (fh, fm, th, tm))) = self.table(i, windows) {
            return Ok(Some((n, vec![Fact::Window(hm(fh, fm), hm(th, tm))])));
        }
        // "zwischen X und Y", "between X and Y", "von X bis Y", "from X to Y", "X bis Y"
        let opener = self
            .any_phrase(i, phrases!["zwischen", "between", "von", "from", "irgendwann zwischen", "sometime between"]);
        let (first_at, between) = match opener {
            Some(n) => (i + n, true),
            None => (i, false),
        };
        if let Some((mut a, used_a)) = self.clock_expr(first_at, true)? {
            let mut k = first_at + used_a;
            if self.is(k, &["uhr", "oclock"]) {
                k += 1;
            }
            if let Some((m, n)) = self.meridiem_at(k) {
                a.meridiem = Some(m);
                k += n;
            }
            if self.is(k, &["und", "and", "bis", "to", "till", "until", "and", "-"]) {
                if let Some((b, used_b)) = self.clock_expr(k + 1, true)? {
                    let mut end = k + 1 + used_b;
                    let mut b = b;
                    if let Some((m, n)) = self.meridiem_at(end) {
                        b.meridiem = Some(m);
                        end += n;
                    }
                    if self.is(end, &["uhr", "oclock"]) {
                        end += 1;
                    }
                    if a.meridiem.is_none() && !a.explicit {
                        a.meridiem = b.meridiem.filter(|_| a.hour <= b.hour);
                    }
                    return Ok(Some((end - i, vec![Fact::Between(a, b)])));
                }
            }
            if between && !self.is(i, &["von", "from"]) {
                return Ok(None);
            }
        }
        // "ab X", "after X", "nach X", "frühestens um X"; "bis X", "before X", "vor X", "spätestens um X"
        let from = self.any_phrase(
            i,
            phrases![
                "ab",
                "after",
                "nach",
                "fruehestens um",
                "fruehestens",
                "not before",
                "from",
                "later than",
                "no earlier than",
                "erst ab",
                "erst nach",
            ],
        );
        let until = self.any_phrase(
            i,
            phrases![
                "bis",
                "before",
                "vor",
                "spaetestens um",
                "spaetestens",
                "until",
                "till",
                "by",
                "no later than",
                "earlier than",
                "not after",
            ],
        );
        for (opener, is_from) in [(from, true), (until, false)] {
            let Some(n) = opener else { continue };
            let mut k = i + n;
            if self.is(k, &["um", "at"]) {
                k += 1;
            }
            if let Some((mut clock, used)) = self.clock_expr(k, true)? {
                let mut end = k + used;
                if let Some((m, n)) = self.meridiem_at(end) {
                    clock.meridiem = Some(m);
                    end += n;
                }
                if self.is(end, &["uhr", "oclock"]) {
                    end += 1;
                }
                let fact = if is_from { Fact::From(clock) } else { Fact::Until(clock) };
                return Ok(Some((end - i, vec![fact])));
            }
            // "ab mittags", "bis mittags", "after noon": the part's start (noon for "mittags")
            if let Some(part) = part_of_day(self.word(k)) {
                let edge = if part == PartOfDay::Midday { hm(12, 0) } else { part.range().0 };
                let fact =
                    if is_from { Fact::Window(edge, super::wish::END_OF_DAY) } else { Fact::Window(hm(0, 0), edge) };
                return Ok(Some((k + 1 - i, vec![fact])));
            }
        }
        Ok(None)
    }

    /// A clock time with its introducer ("um", "gegen", "at", "around") and meridiem.
    fn clock_rule(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
        let mut facts = Vec::new();
        let mut k = i;
        // "so gegen", "ungefähr um", "at around"
        while let Some(n) = self.any_phrase(
            k,
            phrases![
                "gegen",
                "around",
                "about",
                "approximately",
                "ungefaehr",
                "etwa",
                "ca",
                "circa",
                "so um",
                "so gegen",
                "roughly",
                "ish",
            ],
        ) {
            facts.push(Fact::Around);
            k += n;
        }
        let introduced = k > i || self.is(k, &["um", "at", "punkt"]);
        if self.is(k, &["um", "at", "punkt"]) {
            k += 1;
            while let Some(n) = self.any_phrase(k, phrases!["around", "about", "ungefaehr", "etwa", "ca", "circa"]) {
                facts.push(Fact::Around);
                k += n;
            }
        }
        // "kurz nach zehn", "kurz vor drei"
        if let Some(n) = self.any_phrase(k, phrases!["kurz nach", "shortly after", "just after"]) {
            if let Some((clock, used)) = self.clock_expr(k + n, true)? {
                facts.push(Fact::Near(clock, true));
                return Ok(Some((k + n + used - i, facts)));
            }
        }
        if let Some(n) = self.any_phrase(k, phrases!["kurz vor", "shortly before", "just before"]) {
            if let Some((clock, used)) = self.clock_expr(k + n, true)? {
                facts.push(Fact::Near(clock, false));
                return Ok(Some((k + n + used - i, facts)));
            }
        }
        let bare_allowed = introduced || self.field == Field::Time;
        let Some((mut clock, used)) = self.clock_expr(k, bare_allowed)? else {
            return Ok(None);
        };
        let mut end = k + used;
        if self.is(end, &["uhr", "oclock"]) {
            end += 1;
        }
        if let Some((m, n)) = self.meridiem_at(end) {
            clock.meridiem = Some(m);
            end += n;
        }
        if self.is(end, &["uhr", "oclock"]) {
            end += 1;
        }
        facts.push(Fact::Clock(clock));
        Ok(Some((end - i, facts)))
    }

    /// "pm", "am" (English only), "abends", "in the evening", "morgens" after a clock, and the
    /// tokens it takes.
    fn meridiem_at(&self, k: usize) -> Option<(Meridiem, usize)> {
        if let Some(n) = self.any_phrase(
            k,
            phrases!["in the afternoon", "in the evening", "at night", "am abend", "am nachmittag", "in der nacht"],
        ) {
            return Some((Meridiem::Pm, n));
        }
        if let Some(n) = self.any_phrase(k, phrases!["in the morning", "am morgen", "am vormittag"]) {
            return Some((Meridiem::Am, n));
        }
        match self.word(k) {
            "pm" => Some((Meridiem::Pm, 1)),
            "am" if self.language == Language::En => Some((Meridiem::Am, 1)),
            "abends" | "nachmittags" | "nachts" => Some((Meridiem::Pm, 1)),
            "morgens" | "vormittags" | "frueh" => Some((Meridiem::Am, 1)),
            _ => None,
        }
    }

    /// The clock expression at `k` and the tokens it takes.
    fn clock_expr(&self, k: usize, bare_allowed: bool) -> Result<Option<(Clock, usize)>, Impossible> {
        let Some(token) = self.tokens.get(k) else { return Ok(None) };
        let word = token.word.trim_end_matches('.');
        let next = self.word(k + 1);
        let after = |w: &str| matches!(w, "nach" | "past" | "after");
        let before_word = |w: &str| matches!(w, "vor" | "to" | "before" | "til");
        let hour_at = |j: usize| self.tokens.get(j).and_then(|t| t.number).filter(|h| (1..=24).contains(h));
        match word {
            "halb" => return Ok(hour_at(k + 1).map(|h| (Clock::new(before(h), 30, false), 2))),
            "half" if after(next) => return Ok(hour_at(k + 2).map(|h| (Clock::new(h, 30, false), 3))),
            // British "half ten" = 10:30
            "half" => return Ok(hour_at(k + 1).map(|h| (Clock::new(h, 30, false), 2))),
            "viertel" | "quarter" if after(next) => return Ok(hour_at(k + 2).map(|h| (Clock::new(h, 15, false), 3))),
            "viertel" | "quarter" if before_word(next) => {
                return Ok(hour_at(k + 2).map(|h| (Clock::new(before(h), 45, false), 3)))
            }
            "a" if self.is(k + 1, &["quarter"]) => {
                return Ok(self.clock_expr(k + 1, true)?.map(|(clock, used)| (clock, used + 1)))
            }
            "viertel" => return Ok(hour_at(k + 1).map(|h| (Clock::new(before(h), 15, false), 2))),
            "dreiviertel" => return Ok(hour_at(k + 1).map(|h| (Clock::new(before(h), 45, false), 2))),
            "drei" if next == "viertel" && !after(self.word(k + 2)) && !before_word(self.word(k + 2)) => {
                return Ok(hour_at(k + 2).map(|h| (Clock::new(before(h), 45, false), 3)))
            }
            "mittag" | "mittags" if self.is(k.wrapping_sub(1), &["um", "gegen", "at"]) => {
                return Ok(Some((Clock { hour: 12, minute: 0, explicit: true, meridiem: None }, 1)))
            }
            "noon" if bare_allowed => {
                return Ok(Some((Clock { hour: 12, minute: 0, explicit: true, meridiem: None }, 1)))
            }
            "midnight" | "mitternacht" if bare_allowed => {
                return Ok(Some((Clock { hour: 0, minute: 0, explicit: true, meridiem: None }, 1)))
            }
            _ => {}
        }
        // "14:30", "08:00", "14.30 Uhr", "2:30"
        let separator = if word.contains(':') {
            Some(':')
        } else if word.contains('.') && (self.is(k + 1, &["uhr", "h"]) || self.field == Field::Time) {
            Some('.')
        } else {
            None
        };
        if let Some(separator) = separator {
            let Some(parts) =
                numeric_parts(word, separator).filter(|p| p.len() == 2 || (p.len() == 3 && separator == ':'))
            else {
                return Ok(None);
            };
            let (hour, minute) = (parts[0], parts[1]);
            if hour > 24 || minute > 59 || (hour == 24 && minute > 0) {
                return Err(Impossible);
            }
            let explicit = hour == 0 || hour > 12 || word.starts_with('0');
            return Ok(Some((Clock::new(hour % 24, minute, explicit), 1)));
        }
        let Some(n) = token.number.filter(|_| !word.contains('.')) else { return Ok(None) };
        // "zehn nach drei", "fünf vor halb drei", "twenty past two", "ten minutes to five"
        let (minutes, minutes_len) = match (english_tens(word), self.tokens.get(k + 1).and_then(|t| t.number)) {
            (Some(_), Some(unit)) if (1..10).contains(&unit) => (n + unit, 2),
            _ => (n, 1),
        };
        let mut rel = k + minutes_len;
        if self.is(rel, &["minuten", "minutes", "min"]) {
            rel += 1;
        }
        let rel_word = self.word(rel);
        // "from 9 to 11", "between 2 and 4": a range, not "nine to eleven" (10:51)
        let range_opened = self.is(k.wrapping_sub(1), &["from", "between", "von", "zwischen"]);
        if (after(rel_word) || before_word(rel_word)) && minutes <= 30 && minutes > 0 && !range_opened {
            let half = self.is(rel + 1, &["halb"]);
            let hour_idx = if half { rel + 2 } else { rel + 1 };
            if let Some(h) = hour_at(hour_idx) {
                let base = if half { before(h) * 60 + 30 } else { (h % 24) * 60 };
                let total = if after(rel_word) { base + minutes } else { base + 24 * 60 - minutes } % (24 * 60);
                return Ok(Some((Clock::new(total / 60, total % 60, false), hour_idx - k + 1)));
            }
        }
        let explicit_zero = word.starts_with('0') && word.len() > 1;
        // "twenty one hundred" is rare; "at twenty five" is no time of day
        if minutes_len == 2
            && !self.is(k + 2, &["uhr", "h", "past", "to", "after", "before", "nach", "vor", "minutes", "minuten"])
            && n >= 20
        {
            return if bare_allowed { Err(Impossible) } else { Ok(None) };
        }
        // "14 Uhr", "14 Uhr 30", "vierzehn Uhr dreißig", "19 h 30"
        if self.is(k + 1, &["uhr", "h"]) {
            if n > 24 {
                return Err(Impossible);
            }
            let (minute, minute_len) = self.minutes_at(k + 2);
            if minute.is_some_and(|m| m > 59) {
                return Err(Impossible);
            }
            let clock = Clock::new(n % 24, minute.unwrap_or(0), n > 12 || explicit_zero);
            return Ok(Some((clock, 2 + minute_len)));
        }
        // "2 pm", "ten thirty", "at 2", "3 o'clock", or a bare "14" in the time field
        let meridiem_next = self.meridiem_at(k + 1).is_some() && matches!(self.word(k + 1), "am" | "pm");
        let english_pair = self.language == Language::En || self.field == Field::Time || bare_allowed;
        if meridiem_next || bare_allowed || self.is(k + 1, &["oclock"]) {
            if n > 24 {
                return if bare_allowed && !self.tokens[k].word.contains('.') { Err(Impossible) } else { Ok(None) };
            }
            // "ten thirty", "two fifteen", "14 30", "nine forty five", "ten oh five"
            let (minute, minute_len) = if english_pair && !meridiem_next { self.minutes_at(k + 1) } else { (None, 0) };
            if minute.is_some_and(|m| m > 59) {
                return Err(Impossible);
            }
            let clock = Clock::new(n % 24, minute.unwrap_or(0), n > 12 || explicit_zero);
            return Ok(Some((clock, 1 + minute_len)));
        }
        Ok(None)
    }

    /// Minutes after an hour: "30", "dreißig", "forty five", "oh five".
    fn minutes_at(&self, k: usize) -> (Option<u32>, usize) {
        let Some(token) = self.tokens.get(k) else { return (None, 0) };
        if token.word == "oh" {
            return match self.tokens.get(k + 1).and_then(|t| t.number).filter(|n| (1..10).contains(n)) {
                Some(n) => (Some(n), 2),
                None => (None, 0),
            };
        }
        let Some(n) = token.number.filter(|_| !token.word.contains(['.', ':'])) else { return (None, 0) };
        // a following "Uhr" makes it the next clock time ("14 Uhr 15 Uhr" is not 14:15)
        if self.is(k + 1, &["uhr"]) || n < 1 && token.word != "00" {
            return (None, 0);
        }
        if let (Some(_), Some(unit)) = (english_tens(&token.word), self.tokens.get(k + 1).and_then(|t| t.number)) {
            if (1..10).contains(&unit) {
                return (Some(n + unit), 2);
            }
        }
        if n < 10 && !token.word.starts_with('0') {
            // "ten five" is not a time; "zehn uhr fünf" is read by the caller of this with "uhr"
            return if self.is(k.wrapping_sub(1), &["uhr", "h"]) { (Some(n), 1) } else { (None, 0) };
        }
        (Some(n), 1)
    }

    /// "am dritten", "the 15th", "15ten", "am 3." — a day of this or next month.
    fn day_of_month(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let token = self.tokens.get(i)?;
        let after_article = i > 0 && self.is(i - 1, &["am", "den", "the", "on"]) && self.field == Field::Date;
        let plain_day = token.number.filter(|_| after_article && token.word.bytes().all(|b| b.is_ascii_digit()));
        // "the twenty third"
        let compound = english_tens(&token.word)
            .zip(self.tokens.get(i + 1).and_then(|t| t.ordinal).filter(|u| *u < 10))
            .map(|(tens, unit)| tens + unit);
        let day = compound.or(token.ordinal).or(plain_day)?;
        let first_used = if compound.is_some() { 2 } else { 1 };
        let bare_digits_with_dot =
            token.word.ends_with('.') && token.word[..token.word.len() - 1].bytes().all(|b| b.is_ascii_digit());
        let introduced = i > 0 && self.is(i - 1, &["am", "den", "the", "on", "zum", "vom", "ab", "bis"]);
        if bare_digits_with_dot && !introduced && self.field == Field::Time {
            return None;
        }
        if !(1..=31).contains(&day) {
            return None;
        }
        // "am 15. nächsten Monats", "the 3rd of next month"
        let mut used = first_used;
        let mut month_ref = None;
        if let Some(n) = self.any_phrase(
            i + used,
            phrases!["naechsten monats", "des naechsten monats", "kommenden monats", "of next month", "next month"],
        ) {
            month_ref = Some(MonthRef::Relative(1));
            used += n;
        } else if let Some(n) = self.any_phrase(
            i + used,
            phrases!["dieses monats", "des monats", "of this month", "this month", "of the month"],
        ) {
            month_ref = Some(MonthRef::Relative(0));
            used += n;
        }
        Some((used, vec![Fact::DayOfMonth(day, month_ref)]))
    }

    /// Parts of the day and "pm" alone: "nachmittags", "in the evening", "morgen früh".
    fn parts(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        if let Some(n) = self.any_phrase(
            i,
            phrases![
                "in the morning",
                "in the afternoon",
                "in the evening",
                "at night",
                "at lunchtime",
                "at lunch",
                "at midday",
                "am morgen",
                "am vormittag",
                "am nachmittag",
                "am abend",
                "am mittag",
                "zur mittagszeit",
                "um die mittagszeit",
            ],
        ) {
            let last = self.word(i + n - 1);
            let part = part_of_day(last).or(match last {
                "night" => Some(PartOfDay::Evening),
                "morgen" => Some(PartOfDay::Morning),
                _ => None,
            })?;
            return Some((n, vec![Fact::Part(part)]));
        }
        let word = self.word(i);
        if let Some(part) = part_of_day(word) {
            return Some((1, vec![Fact::Part(part)]));
        }
        match word {
            "pm" => Some((1, vec![Fact::Meridiem(Meridiem::Pm)])),
            "am" if self.language == Language::En && i > 0 => Some((1, vec![Fact::Meridiem(Meridiem::Am)])),
            "nachts" | "nacht" | "night" => Some((1, vec![Fact::Part(PartOfDay::Evening)])),
            _ => None,
        }
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
        let person = self.staff.iter().find(|person| {
            let folded = fold(&person.name);
            folded.split_whitespace().any(|part| part == word || (lead == 1 && part.len() > 4 && similar(part, word)))
        })?;
        // a name alone is only read as staff after "bei"/"with", or as the whole field
        if lead == 0 && self.tokens.len() > 1 && k == i {
            return None;
        }
        Some((k + 1 - i, vec![Fact::Staff(person.name.clone())]))
    }
}

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
