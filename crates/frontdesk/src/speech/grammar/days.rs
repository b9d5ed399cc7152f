//! Rules for days: ISO and numeric dates, spoken dates, named days, relative days, weeks, months,
//! weekdays, days of the month — and "so früh wie möglich".

use super::{numeric_parts, Clock, Fact, Field, Grammar, Impossible, MonthRef, NamedDay, Section, Side, WeekdayMode};
use crate::domain::Language;
use crate::speech::lexicon::{month, part_of_day, weekday};
use crate::speech::numbers::english_tens;
use crate::speech::phrase_table::{phrase_table, phrases};
use crate::speech::wish::PartOfDay;
use chrono::{DateTime, NaiveDate, NaiveTime, Timelike};

impl Grammar<'_> {
    /// "so früh wie möglich", "jetzt", "asap", "next available".
    pub(super) fn earliest(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
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
        // "irgendwann nächste Woche", "anytime between Tuesday and Thursday": any of those days —
        // the times offered are spread over them, not the first ones crowded on the first day.
        if self.is(i, &["irgendwann", "anytime", "whenever"]) && (self.day_follows(i + n) || self.is(i + n, &["zwischen", "between"])) {
            return Some((n, vec![]));
        }
        let today = matches!(self.word(i), "heute");
        let facts = if today { vec![Fact::Relative(0), Fact::Earliest] } else { vec![Fact::Earliest] };
        Some((n, facts))
    }

    /// "2026-12-03", "2026-12-03T14:00", "2026-12-03T13:00:00Z", "2026-12-3".
    pub(super) fn iso(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
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
    pub(super) fn numeric_date(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
        let word = self.word(i);
        if !word.starts_with(|c: char| c.is_ascii_digit()) {
            return Ok(None);
        }
        let next_is_clock_unit = self.is(i + 1, &["uhr", "h", "oclock", "am", "pm"]);
        let year = |y: u32| if y < 100 { 2000 + y as i32 } else { y as i32 };
        // "2-15" written in an American date: February 15 (a range of hours written so needs the
        // time field, "am"/"pm" or "o'clock").
        if self.month_first && self.field == Field::Date && self.tokens.get(i + 1).is_some_and(|t| t.joined) {
            let (a, b) = (self.tokens[i].number, self.tokens.get(i + 2).and_then(|t| t.number));
            if let (Some(month @ 1..=12), Some(day @ 1..=31)) = (a, b) {
                if !self.is(i + 3, &["uhr", "h", "oclock", "am", "pm"]) {
                    return Ok(Some((3, vec![Fact::Calendar { day, month, year: None }])));
                }
            }
        }
        if word.contains('.') && !word.contains(':') {
            let parts = numeric_parts(word, '.');
            let Some(parts) = parts else { return Ok(None) };
            let is_date = match parts.len() {
                3 => true,
                2 => {
                    // "um 10.10", "gegen 9.45": a time after a word that introduces one
                    let after_time_word = self.is(i.wrapping_sub(1), super::TIME_WORDS);
                    word.ends_with('.')
                        || (!next_is_clock_unit
                            && !after_time_word
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
    pub(super) fn spoken_date(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
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
        // "bis 15", "to the 15th", "-15": the last day of a span in one month, and the tokens used
        let span_end = |k: usize| -> Option<(u32, usize)> {
            let word = if self.is(k, &["bis", "to", "through", "thru", "till", "until"]) { 1 } else { return None };
            let article = usize::from(self.is(k + word, &["the", "zum"]));
            day_at(k + word + article).map(|(day, used)| (day, word + article + used))
        };
        // day first: "3. Dezember", "3rd of December", "dritten Dezember"
        if let Some((day, used)) = day_at(i) {
            let mut k = i + used;
            // "13 to 15 of July", "13-15 July": both days of that month
            if let Some((last, more)) = span_end(k).filter(|(last, _)| *last > day) {
                let at = k + more + usize::from(self.is(k + more, &["of"]));
                if let Some(m) = month(self.word(at)) {
                    let year = year_at(at + 1);
                    let n = at + 1 - i + usize::from(year.is_some());
                    let (first, last) = (Fact::Calendar { day, month: m, year }, Fact::Calendar { day: last, month: m, year });
                    return Some((n, vec![first, Fact::Through, last]));
                }
            }
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
                    // "July 13-15", "Juli 13 bis 15": a span of days, not a day and an hour
                    let end = span_end(k + used).filter(|(last, more)| {
                        *last > day && !self.is(k + used + more, &["uhr", "h", "oclock", "am", "pm"])
                    });
                    if let Some((last, more)) = end {
                        let year = year_at(k + used + more);
                        let n = k + used + more - i + usize::from(year.is_some());
                        let (first, last) = (Fact::Calendar { day, month: m, year }, Fact::Calendar { day: last, month: m, year });
                        return Some((n, vec![first, Fact::Through, last]));
                    }
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
    pub(super) fn named_day(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
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
    pub(super) fn relative(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
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
        // The next working day (Monday to Friday; the branch's own closures are the calendar's to
        // know, and a closed day is said when it is offered).
        if let Some(n) = self.any_phrase(
            i,
            phrases![
                "naechster werktag", "naechsten werktag", "naechste werktag", "am naechsten werktag",
                "naechster arbeitstag", "naechsten arbeitstag", "am naechsten arbeitstag",
                "next weekday", "the next weekday", "next working day", "the next working day",
                "next business day", "the next business day"
            ],
        ) {
            return Some((n, vec![Fact::NextWeekday]));
        }
        if let Some(n) = self.any_phrase(i, phrases!["the day after tomorrow", "day after tomorrow"]) {
            return Some((n, vec![Fact::Relative(2)]));
        }
        if let Some(n) = self.any_phrase(i, phrases!["a week from today", "a week today", "one week from today"]) {
            return Some((n, vec![Fact::Relative(7)]));
        }
        if let Some(reading) = self.offset_in_words(i) {
            return Some(reading);
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
        // "zwei Tage später" in a call follows a day spoken about: read by `after_earlier`
        // ("eine Stunde später" stays an hour from now)
        if days_per_unit(unit).is_some() && self.is(unit_at + 1, &["spaeter"]) {
            return None;
        }
        let fact = match unit {
            "tag" | "tagen" | "tage" | "day" | "days" => {
                // German "in acht Tagen" is a week, "in vierzehn Tagen" two
                let days = if count == 8 && self.language == Language::De { 7 } else { i64::from(count) };
                Fact::Relative(days)
            }
            "woche" | "wochen" | "week" | "weeks" => Fact::WeeksLater(i64::from(count)),
            "fortnight" | "fortnights" => Fact::WeeksLater(2 * i64::from(count)),
            "stunde" | "stunden" | "hour" | "hours" => Fact::InMinutes(60 * i64::from(count)),
            "minute" | "minuten" | "minutes" | "mins" => Fact::InMinutes(i64::from(count)),
            "monat" | "monaten" | "month" | "months" => Fact::MonthsLater(count),
            _ => return None,
        };
        Some((lead + count_len + 1 + trailing, vec![fact]))
    }

    /// Parts of an hour and vague counts, in everyday words ("in einer Dreiviertelstunde", "in a
    /// couple of days"): minutes from now, or for a vague count of days or weeks a span, read back
    /// as such.
    fn offset_in_words(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let table = phrase_table![(i64, i64, bool);
            ("in einer halben stunde", (30, 30, false)), ("in einer halbestunde", (30, 30, false)), ("in halbestunde", (30, 30, false)),
            ("in half an hour", (30, 30, false)), ("in a half hour", (30, 30, false)), ("in half hour", (30, 30, false)),
            ("in einer viertelstunde", (15, 15, false)), ("in einer viertel stunde", (15, 15, false)), ("in viertelstunde", (15, 15, false)),
            ("in a quarter of an hour", (15, 15, false)), ("in a quarter hour", (15, 15, false)), ("in quarter of an hour", (15, 15, false)),
            ("in einer dreiviertelstunde", (45, 45, false)), ("in einer dreiviertel stunde", (45, 45, false)), ("in dreiviertelstunde", (45, 45, false)),
            ("in three quarters of an hour", (45, 45, false)), ("in three quarter of an hour", (45, 45, false)),
            ("in anderthalb stunden", (90, 90, false)), ("in eineinhalb stunden", (90, 90, false)), ("in einer stunde und einer halben", (90, 90, false)),
            ("in an hour and a half", (90, 90, false)), ("in one and a half hours", (90, 90, false)), ("in one hour and a half", (90, 90, false)),
            ("in ein paar tagen", (2, 4, true)), ("in einigen tagen", (3, 5, true)), ("in wenigen tagen", (2, 4, true)),
            ("in a couple of days", (2, 3, true)), ("in a couple days", (2, 3, true)), ("in a few days", (3, 5, true)),
            ("in ein paar wochen", (14, 28, true)), ("in einigen wochen", (14, 35, true)), ("in wenigen wochen", (14, 28, true)),
            ("in a couple of weeks", (14, 21, true)), ("in a couple weeks", (14, 21, true)), ("in a few weeks", (14, 35, true)),
        ];
        let (n, (a, b, days)) = self.table(i, table)?;
        Some((n, vec![if days { Fact::RelativeSpan(a, b) } else { Fact::InMinutes(a) }]))
    }

    /// "zwei Tage nach", "eine Woche vor", "2 days after", "a week before": the day that follows,
    /// shifted.
    fn shift(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let (days, used) = self.counted_days(i)?;
        let sign = match self.word(i + used) {
            "nach" | "after" => 1,
            "vor" | "before" => -1,
            _ => return None,
        };
        self.day_follows(i + used + 1).then_some((used + 1, vec![Fact::Shift(sign * days)]))
    }

    /// "zwei Tage", "eine Woche", "2 days": the days counted, and the tokens used.
    fn counted_days(&self, i: usize) -> Option<(i64, usize)> {
        let (count, used) = self.count(i)?;
        let per_unit = days_per_unit(self.word(i + used))?;
        Some((per_unit * i64::from(count), used + 1))
    }

    /// "am Tag danach", "tags darauf", "zwei Tage später", "the next day", "a week later": days after
    /// the day spoken about before in the call. Before a day it is that day's: "the day after
    /// Christmas" (read like "one day after").
    fn after_earlier(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let day_after = phrases![
            "am tag danach", "der tag danach", "den tag danach", "tag danach", "am tag darauf", "tags darauf",
            "am naechsten tag", "den naechsten tag", "der naechste tag", "am folgenden tag", "am darauffolgenden tag",
            "the day after", "the day after that", "the next day", "next day", "the following day", "the day following"
        ];
        if let Some(n) = self.any_phrase(i, day_after) {
            if self.day_follows(i + n) {
                return self.is(i + n - 1, &["after"]).then_some((n, vec![Fact::Shift(1)]));
            }
            return Some((n, vec![Fact::AfterEarlier(1)]));
        }
        // "zwei Tage danach", "einen Tag später", "a day later", "two weeks after that"
        let (days, used) = self.counted_days(i)?;
        let n = self.any_phrase(i + used, phrases!["danach", "spaeter", "darauf", "later", "after that"])?;
        Some((used + n, vec![Fact::AfterEarlier(days)]))
    }

    /// Words that make two days one span: "bis", "to", "through", a dash; "und" or "and" after
    /// "zwischen" or "between"; and "zwischen", "von", "from" before the first day. Read only when
    /// a day follows, so "bis 11 Uhr" stays a bound and "von Jonas" a staff member.
    pub(super) fn span_word(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        if let Some(reading) = self.shift(i).or_else(|| self.after_earlier(i)) {
            return Some(reading);
        }
        if let Some(n) = self.any_phrase(i, phrases!["zwischen", "between", "von", "vom", "from", "irgendwann zwischen", "sometime between"]) {
            return self.day_follows(i + n).then_some((n, vec![]));
        }
        let opened = || self.tokens[..i].iter().any(|t| matches!(t.word.as_str(), "zwischen" | "between"));
        let n = if self.is(i, &["und", "and"]) {
            opened().then_some(1)?
        } else {
            self.any_phrase(
                i,
                phrases!["bis", "bis zum", "bis zur", "bis einschliesslich", "bis und mit", "to", "until", "till", "til", "through", "thru", "up to", "up until"],
            )?
        };
        self.day_follows(i + n).then_some((n, vec![Fact::Through]))
    }

    /// Whether a day is named from `k` on (fillers such as "dem", "the" skipped).
    pub(super) fn day_follows(&self, k: usize) -> bool {
        let mut k = k;
        while k < self.tokens.len() && super::is_filler_in(self.word(k), self.language) && !self.is(k, &["in"]) {
            k += 1;
        }
        let names_day = |reading: Option<(usize, Vec<Fact>)>| reading.is_some_and(|(_, facts)| facts.iter().any(Fact::is_day));
        names_day(self.weekday(k))
            || names_day(self.day_of_month(k))
            || names_day(self.spoken_date(k))
            || names_day(self.named_day(k))
            || names_day(self.relative(k))
            || names_day(self.week_or_month(k))
            || names_day(self.numeric_date(k).ok().flatten())
    }

    /// A count: a number, "einer", "a", "an", "one", "twenty five".
    pub(super) fn count(&self, i: usize) -> Option<(u32, usize)> {
        let token = self.tokens.get(i)?;
        match token.word.as_str() {
            "einer" | "einem" | "a" | "an" | "eine" | "one" => return Some((1, 1)),
            "ein" if self.is(i + 1, &["paar"]) => return None,
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
    pub(super) fn week_or_month(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
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
        // "die Woche nach Weihnachten", "the week before Easter": a week counted from the day that
        // follows
        let week_beside = phrase_table![Side;
            ("die woche nach", Side::After), ("der woche nach", Side::After), ("woche nach", Side::After),
            ("the week after", Side::After), ("week after", Side::After),
            ("die woche vor", Side::Before), ("der woche vor", Side::Before), ("woche vor", Side::Before),
            ("the week before", Side::Before), ("week before", Side::Before),
        ];
        if let Some((n, side)) = self.table(i, week_beside).filter(|(n, _)| self.day_follows(i + n)) {
            return Some((n, vec![Fact::WeekBeside(side)]));
        }
        // the date that follows names the week
        let week_of = phrases!["the week of", "week of", "die woche vom", "der woche vom", "woche vom"];
        if let Some(n) = self.any_phrase(i, week_of).filter(|n| self.day_follows(i + n)) {
            return Some((n, vec![Fact::WeekOf]));
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
                // "Woche" needs "diese"/"nächste"/… or "Anfang/Ende": "in der Woche" is colloquially
                // "on weekdays", and "in einer Woche" is read by `relative`.
                let named = k > i
                    && self.period_offset(k - 1).1 == 1
                    && !self.is(k - 1, &["der", "des", "dem", "the", "of", "in", "im", "am"]);
                if !named && section == Section::Whole {
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
            // "übernächsten März": the March after next has no reading here — not understood,
            // never the next March
            if offset > 1 {
                return None;
            }
            let introduced = section != Section::Whole || self.is(i.wrapping_sub(1), &["im", "in"]) || used > 0;
            let followed_by_day = self.tokens.get(k + 1).is_some_and(|t| t.number.is_some() || t.ordinal.is_some());
            if introduced && !followed_by_day {
                return Some((n(k), vec![Fact::Month(MonthRef::Named(m), section)]));
            }
        }
        None
    }

    /// Whether a week or month word follows (perhaps after an article and an offset).
    pub(super) fn is_period_ahead(&self, k: usize) -> bool {
        (k..k + 4).any(|j| {
            matches!(self.word(j), "woche" | "week" | "monats" | "monat" | "month" | "wochenende" | "weekend")
                || month(self.word(j)).is_some()
        })
    }

    /// "nächste(n)", "kommende", "übernächste", "diese", "next", "this", "the week after next", with
    /// articles: the offset and the tokens used.
    pub(super) fn period_offset(&self, k: usize) -> (i64, usize) {
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

    pub(super) fn is_period_word(&self, k: usize) -> bool {
        matches!(self.word(k), "woche" | "week" | "monat" | "monats" | "month" | "wochenende" | "weekend")
            || month(self.word(k)).is_some()
    }

    /// "der erste Montag im Dezember", "am letzten Freitag des Monats", "the second Wednesday of
    /// next month", "der letzte Tag im Oktober": a counted weekday (or day) of a month. Without a
    /// month it is not this rule's ("letzten Freitag" is past, "am ersten" a day of the month).
    pub(super) fn nth_of_month(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let token = self.tokens.get(i)?;
        let nth = match token.word.as_str() {
            "letzte" | "letzten" | "letzter" | "letztem" | "last" => -1,
            _ => i8::try_from(token.ordinal.filter(|n| (1..=5).contains(n))?).ok()?,
        };
        let next = self.tokens.get(i + 1)?;
        let weekday = match next.word.as_str() {
            "tag" | "day" => None,
            word => Some(weekday(word, next.dotted, self.language)?),
        };
        let fact = |month| vec![Fact::NthOfMonth { nth, weekday, month }];
        if let Some((month, n)) = self.relative_month(i + 2) {
            return Some((2 + n, fact(month)));
        }
        // "im Dezember", "of December"
        let k = (i + 2..).find(|&j| !self.is(j, &["im", "in", "of", "des", "the"]))?;
        let named = month(self.word(k))?;
        Some((k + 1 - i, fact(MonthRef::Named(named))))
    }

    /// Weekdays with their qualifiers: "nächsten Dienstag", "übernächsten Freitag", "this Friday",
    /// "Montag in einer Woche", "Monday week", "a week on Monday".
    pub(super) fn weekday(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
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
            "naechsten" | "naechster" | "naechste" | "naechstem" | "kommenden" | "kommender" | "kommende"
            | "kommendem" | "next" | "coming" => (WeekdayMode::Next, 1),
            "diesen" | "dieser" | "diese" | "diesem" | "this" => (WeekdayMode::This, 1),
            "uebernaechsten" | "uebernaechster" | "uebernaechste" | "uebernaechstem" => (WeekdayMode::AfterNext, 1),
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
        // "the Friday after next" — but "Monday after next week" is the Monday after next week
        let mut mode = mode;
        let mut used = lead + 1;
        if let Some(n) = self.phrase(i + used, "after next").filter(|n| !self.is_period_word(i + used + n)) {
            mode = WeekdayMode::AfterNext;
            used += n;
        }
        // "der Montag nach Ostern", "the Friday before the 14th": counted from the day that follows
        if mode == WeekdayMode::Plain && lead == 0 {
            let side = match self.word(i + used) {
                "nach" | "after" => Some(Side::After),
                "vor" | "before" => Some(Side::Before),
                _ => None,
            };
            if let Some(side) = side.filter(|_| self.day_follows(i + used + 1)) {
                return Some((used + 1, vec![Fact::WeekdayBeside(day, side)]));
            }
        }
        // "Monday week" (British: a week after next Monday)
        if self.is(i + used, &["week"]) && !self.is(i + used + 1, &["after"]) && self.language == Language::En {
            facts.push(Fact::WeeksLater(1));
            used += 1;
        }
        facts.insert(0, Fact::Weekday(day, mode));
        Some((used, facts))
    }

    /// "am dritten", "the 15th", "15ten", "am 3." — a day of this or next month.
    pub(super) fn day_of_month(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
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
        match self.relative_month(i + first_used) {
            Some((month, n)) => Some((first_used + n, vec![Fact::DayOfMonth(day, Some(month))])),
            None => Some((first_used, vec![Fact::DayOfMonth(day, None)])),
        }
    }

    /// A month named by its distance from this one after a day said of it: "nächsten Monats",
    /// "des nächsten Monats", "of next month", "dieses Monats", "des Monats", "of the month" — the
    /// month and the tokens used. A bare "Monat(s)"/"month" counts only after an article.
    fn relative_month(&self, k: usize) -> Option<(MonthRef, usize)> {
        let articles = (k..).take_while(|&j| self.is(j, &["im", "in", "of", "des", "the"])).count();
        let at = k + articles;
        let next = phrases!["naechsten monats", "naechsten monat", "kommenden monats", "kommenden monat", "next month"];
        if let Some(n) = self.any_phrase(at, next) {
            return Some((MonthRef::Relative(1), articles + n));
        }
        let this = phrases!["dieses monats", "diesen monats", "diesem monat", "this month"];
        if let Some(n) = self.any_phrase(at, this) {
            return Some((MonthRef::Relative(0), articles + n));
        }
        let bare = self.any_phrase(at, phrases!["monats", "month"]).filter(|_| articles > 0)?;
        Some((MonthRef::Relative(0), articles + bare))
    }
}

/// Days in one of a unit counted from a day: "Tag" 1, "Woche" 7.
fn days_per_unit(word: &str) -> Option<i64> {
    match word {
        "tag" | "tage" | "tagen" | "day" | "days" => Some(1),
        "woche" | "wochen" | "week" | "weeks" => Some(7),
        _ => None,
    }
}
