//! Rules for times of day: clock times in every spoken form, bounds and windows, parts of the day.

use super::{before, hm, numeric_parts, Clock, Fact, Field, Grammar, Impossible, Meridiem, ZoneRef, TIME_WORDS};
use crate::domain::Language;
use crate::speech::lexicon::part_of_day;
use crate::speech::numbers::english_tens;
use crate::speech::phrase_table::{phrase_table, phrases};
use crate::speech::wish::{PartOfDay, END_OF_DAY};

/// What a rule read at a position: how many tokens, and the facts they say (`None`: nothing).
type Matched = Option<(usize, Vec<Fact>)>;

impl Grammar<'_> {
    /// Bounds and windows: "ab 14 Uhr", "bis 11", "zwischen 10 und 12", "von 9 bis 11",
    /// "after 5", "before noon", "nach der Arbeit", "am späten Nachmittag".
    pub(super) fn bounds(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
        if let Some(found) = self.named_window(i) {
            return Ok(Some(found));
        }
        // "from 13 to 15 of July": days of a month, not hours
        let first = i + usize::from(self.is(i, &["from", "von", "vom", "zwischen", "between", "ab"]));
        if self.spoken_date(first).is_some_and(|(_, facts)| facts.contains(&Fact::Through)) {
            return Ok(None);
        }
        if let Some(decided) = self.between(i)? {
            return Ok(decided);
        }
        self.open_ended(i)
    }

    /// A window named by words: "nach der Arbeit", "am späten Nachmittag", "before noon".
    fn named_window(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
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
        let (n, (fh, fm, th, tm)) = self.table(i, windows)?;
        Some((n, vec![Fact::Window(hm(fh, fm), hm(th, tm))]))
    }

    /// "zwischen X und Y", "between X and Y", "von X bis Y", "X bis Y": `Some(None)` when
    /// "zwischen"/"between" opened no range, so nothing else may read these words.
    fn between(&self, i: usize) -> Result<Option<Matched>, Impossible> {
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
                    return Ok(Some(Some((end - i, vec![Fact::Between(a, b)]))));
                }
            }
            if between && !self.is(i, &["von", "from"]) {
                return Ok(Some(None));
            }
        }
        Ok(None)
    }

    /// "ab X", "after X", "nach X", "frühestens um X"; "bis X", "before X", "vor X", "spätestens
    /// um X"; "ab mittags", "bis mittags".
    fn open_ended(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
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
                let fact = if is_from { Fact::Window(edge, END_OF_DAY) } else { Fact::Window(hm(0, 0), edge) };
                return Ok(Some((k + 1 - i, vec![fact])));
            }
        }
        Ok(None)
    }

    /// A clock time with its introducer ("um", "gegen", "at", "around") and meridiem.
    pub(super) fn clock_rule(&self, i: usize) -> Result<Option<(usize, Vec<Fact>)>, Impossible> {
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
        // A bare number is a clock when a part of the day follows it: "6 in the afternoon", "11 tonight".
        let hour_then_part = self.tokens.get(k).and_then(|t| t.number).is_some_and(|h| (1..=12).contains(&h))
            && (self.meridiem_at(k + 1).is_some() || self.is(k + 1, &["tonight"]));
        let bare_allowed = introduced || self.field == Field::Time || hour_then_part;
        let Some((mut clock, used)) = self.clock_expr(k, bare_allowed)? else {
            return Ok(None);
        };
        let mut end = k + used;
        if self.is(end, &["uhr", "oclock"]) {
            end += 1;
        }
        if let Some((m, n)) = self.meridiem_at(end) {
            // "1 at night", "um 2 Uhr nachts": the small hours, not the afternoon
            let night = self.any_phrase(end, phrases!["at night", "in der nacht", "nachts", "in the night"]).is_some();
            clock.meridiem = Some(if night && (1..=5).contains(&clock.hour) { Meridiem::Am } else { m });
            end += n;
        }
        if self.is(end, &["uhr", "oclock"]) {
            end += 1;
        }
        facts.push(Fact::Clock(clock));
        Ok(Some((end - i, facts)))
    }

    /// A time zone right after a clock time: "MEZ", "CET", "GMT", "UTC", "PST", "ET", "+01:00",
    /// "UTC+2". Short names are read only there, so "et" or "ct" elsewhere stay words.
    pub(super) fn zone(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
        let prev = i.checked_sub(1).and_then(|j| self.tokens.get(j))?;
        let after_clock = prev.number.is_some() || prev.word.contains(':') || matches!(prev.word.as_str(), "uhr" | "am" | "pm" | "oclock");
        if !after_clock {
            return None;
        }
        let word = self.word(i);
        let hours = |h: i32| Some(ZoneRef::Offset(h * 60));
        let zone = match word {
            "utc" | "gmt" | "z" | "wet" => hours(0),
            "cet" | "mez" | "bst" | "west" => hours(1),
            "cest" | "mesz" | "eet" => hours(2),
            "eest" => hours(3),
            "est" => hours(-5),
            "edt" => hours(-4),
            "cst" => hours(-6),
            "cdt" => hours(-5),
            "mst" => hours(-7),
            "mdt" => hours(-6),
            "pst" => hours(-8),
            "pdt" => hours(-7),
            "et" => Some(ZoneRef::Named(chrono_tz::America::New_York)),
            "ct" => Some(ZoneRef::Named(chrono_tz::America::Chicago)),
            "mt" => Some(ZoneRef::Named(chrono_tz::America::Denver)),
            "pt" => Some(ZoneRef::Named(chrono_tz::America::Los_Angeles)),
            other => offset_minutes(other).map(ZoneRef::Offset),
        }?;
        Some((1, vec![Fact::Zone(zone)]))
    }

    /// "pm", "am" (English only), "abends", "in the evening", "morgens" after a clock, and the
    /// tokens it takes.
    pub(super) fn meridiem_at(&self, k: usize) -> Option<(Meridiem, usize)> {
        if let Some(n) = self.any_phrase(
            k,
            phrases!["in the afternoon", "in the evening", "at night", "in the night", "am abend", "am nachmittag", "in der nacht"],
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
    pub(super) fn clock_expr(&self, k: usize, bare_allowed: bool) -> Result<Option<(Clock, usize)>, Impossible> {
        let Some(token) = self.tokens.get(k) else { return Ok(None) };
        let word = token.word.trim_end_matches('.');
        let next = self.word(k + 1);
        let (after, before_word, hour_at) = (is_after, is_before, |j: usize| self.hour_at(j));
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
        if let Some(digital) = self.digital_clock(k, word) {
            return digital;
        }
        self.numeral_clock(k, bare_allowed)
    }

    /// A clock written with digits and a separator — "14:30", "08:00", "14.30 Uhr", "2:30" —
    /// or `None` when the word is none.
    fn digital_clock(&self, k: usize, word: &str) -> Option<Result<Option<(Clock, usize)>, Impossible>> {
        let separator = if word.contains(':') {
            ':'
        } else if word.contains('.')
            && !word.ends_with('.')
            && (self.is(k + 1, &["uhr", "h"]) || self.field == Field::Time || self.is(k.wrapping_sub(1), TIME_WORDS))
        {
            '.'
        } else {
            return None;
        };
        let Some(parts) = numeric_parts(word, separator).filter(|p| p.len() == 2 || (p.len() == 3 && separator == ':'))
        else {
            return Some(Ok(None));
        };
        let (hour, minute) = (parts[0], parts[1]);
        if hour > 24 || minute > 59 || (hour == 24 && minute > 0) {
            return Some(Err(Impossible));
        }
        let explicit = hour == 0 || hour > 12 || word.starts_with('0');
        Some(Ok(Some((Clock::new(hour % 24, minute, explicit), 1))))
    }

    /// A clock said in numbers or numerals: "zehn nach drei", "twenty past two", "14 Uhr 30",
    /// "2 pm", "ten thirty", a bare "14" in the time field.
    fn numeral_clock(&self, k: usize, bare_allowed: bool) -> Result<Option<(Clock, usize)>, Impossible> {
        let Some(token) = self.tokens.get(k) else { return Ok(None) };
        let word = token.word.trim_end_matches('.');
        let (after, before_word, hour_at) = (is_after, is_before, |j: usize| self.hour_at(j));
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

    /// The hour (1–24) said at token `j`, if a number stands there.
    fn hour_at(&self, j: usize) -> Option<u32> {
        self.tokens.get(j).and_then(|t| t.number).filter(|h| (1..=24).contains(h))
    }

    /// Minutes after an hour: "30", "dreißig", "forty five", "oh five".
    pub(super) fn minutes_at(&self, k: usize) -> (Option<u32>, usize) {
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

    /// Parts of the day and "pm" alone: "nachmittags", "in the evening", "morgen früh".
    pub(super) fn parts(&self, i: usize) -> Option<(usize, Vec<Fact>)> {
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
}

/// "nach", "past", "after": minutes after the hour.
fn is_after(word: &str) -> bool {
    matches!(word, "nach" | "past" | "after")
}

/// "vor", "to", "before", "til": minutes before the hour.
fn is_before(word: &str) -> bool {
    matches!(word, "vor" | "to" | "before" | "til")
}

/// "utc+01:00", "utc-5", "gmt+2", "utc+0530": an offset from UTC in minutes (at most 14 hours).
fn offset_minutes(word: &str) -> Option<i32> {
    let rest = word.strip_prefix("utc").or_else(|| word.strip_prefix("gmt"))?;
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}
