//! Measures the grammar against held-out corpora (Duckling's and chrono-node's time expressions,
//! turned into `reference<TAB>phrase<TAB>expected` by `tools/heldout/extract.py`). Nothing of them
//! is in the phrase tables: this is a measurement, run by hand, not a test —
//! `FRONTDESK_HELDOUT=DIR cargo test -p frontdesk --lib held_out -- --ignored --nocapture`.
//! What matters most is the count of phrases read as another day or time: each is a wrong
//! appointment waiting to happen.

use super::tests::{hours, staff};
use super::*;
use crate::domain::Language;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// How one phrase came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// The days and, where the corpus gives one, the time.
    Exact,
    /// Refused with a reason.
    Refused,
    /// The right days; the time said less precisely than the corpus (a part of the day for its
    /// hour) or more precisely (a time where the corpus has a day only).
    OtherPrecision,
    /// Another day or another time: a wrong reading.
    Wrong,
}

/// What the corpus expects: days, and a start time or a window.
struct Expected {
    first: NaiveDate,
    last: NaiveDate,
    at: Option<NaiveTime>,
    window: Option<(NaiveTime, Option<NaiveTime>)>,
}

fn parse_expected(text: &str) -> Option<Expected> {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let (days, time) = text.split_once(' ').map_or((text, None), |(d, t)| (d, Some(t)));
    let (first, last) = match days.split_once("..") {
        Some((a, b)) => (day(a)?, day(b)?),
        None => (day(days)?, day(days)?),
    };
    let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").ok();
    let (at, window) = match time {
        None => (None, None),
        Some(time) => match time.split_once('-') {
            Some((a, b)) => (None, Some((t(a)?, t(b)))),
            None => (Some(t(time)?), None),
        },
    };
    Some(Expected { first, last, at, window })
}

/// `YYYY-MM-DDTHH:MM`, with an offset when the corpus fixes one (`-02:00`: the zone Etc/GMT+2).
fn parse_reference(text: &str) -> Option<(NaiveDateTime, chrono_tz::Tz)> {
    let (local, offset) = text.split_at(text.len().min(16));
    let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").ok()?;
    let zone = match offset.split_once(':') {
        None => chrono_tz::UTC,
        Some((hours, _)) => format!("Etc/GMT{:+}", -hours.parse::<i32>().ok()?).parse().ok()?,
    };
    Some((local, zone))
}

fn outcome(got: &Result<Wish, DateProblem>, want: &Expected) -> Outcome {
    let Ok(wish) = got else { return Outcome::Refused };
    if (wish.first_day, wish.last_day) != (want.first, want.last) {
        return Outcome::Wrong;
    }
    match (wish.time, want.at, want.window) {
        (TimeWish::Any, None, None) => Outcome::Exact,
        (TimeWish::At(got), Some(want), _) => if got == want { Outcome::Exact } else { Outcome::Wrong },
        (TimeWish::Window(w), _, Some((from, to))) if w.from == from && to.is_none_or(|to| w.to == to) => Outcome::Exact,
        (TimeWish::Window(w), Some(at), _) if w.from <= at && at < w.to => Outcome::OtherPrecision,
        (TimeWish::At(got), None, Some((from, to))) if got >= from && to.is_none_or(|to| got < to) => Outcome::OtherPrecision,
        // windows that overlap ("abends" for the corpus's 18–24 h): another precision
        (TimeWish::Window(w), None, Some((from, to))) if to.is_none_or(|to| w.from < to) && w.to > from => {
            Outcome::OtherPrecision
        }
        (_, None, None) | (TimeWish::Any, _, _) => Outcome::OtherPrecision,
        _ => Outcome::Wrong,
    }
}

#[test]
#[ignore = "a measurement against corpora outside the repository; see the module doc"]
fn held_out() {
    let Ok(dir) = std::env::var("FRONTDESK_HELDOUT") else {
        panic!("FRONTDESK_HELDOUT names the folder tools/heldout/extract.py wrote");
    };
    let (hours, staff) = (hours(), staff());
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("FRONTDESK_HELDOUT").flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "tsv")) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let language = if name.contains(".de.") { Language::De } else { Language::En };
        let mut counts = std::collections::BTreeMap::<Outcome, usize>::new();
        let mut wrong = Vec::new();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let columns: Vec<&str> = line.split('\t').collect();
            let [reference, phrase, expected] = columns[..] else { continue };
            let (Some((reference, zone)), Some(want)) = (parse_reference(reference), parse_expected(expected)) else {
                continue;
            };
            let Some(now) = zone.from_local_datetime(&reference).single() else { continue };
            // both corpora write dates the American way ("2/15")
            let ctx = SpeechContext { now, hours: &hours, language, month_first: language == Language::En, staff: &staff, earlier_day: None };
            let got = understand(Some(phrase), None, &ctx);
            let result = outcome(&got, &want);
            *counts.entry(result).or_default() += 1;
            // FRONTDESK_HELDOUT_REFUSED=1 lists the refused ones too (what to understand next)
            if result == Outcome::Refused && std::env::var_os("FRONTDESK_HELDOUT_REFUSED").is_some() {
                wrong.push(format!("  refused {phrase:?}: want {expected}"));
            }
            if result == Outcome::Wrong {
                let got = got.map(|w| format!("{}..{} {:?}", w.first_day, w.last_day, w.time)).unwrap_or_default();
                wrong.push(format!("  {phrase:?} at {reference}: want {expected}, got {got}"));
            }
        }
        let total: usize = counts.values().sum();
        println!("{name}: {total} phrases; {counts:?}");
        println!("{}", wrong.join("\n"));
    }
}
