//! The phrase tables (`tests/data/phrases.{de,en}.tsv`): every phrase understood exactly as
//! expected, or refused — none answered with a different day or time.
//!
//! Reference: Thursday 26 November 2026, 09:30 in the tenant's zone, a branch open Mon–Fri 9–18
//! (Thu until 20) and Sat 10–14, with staff Maria and Jonas.
//!
//! A line is `date<TAB>time<TAB>expected` (`-` for an argument not given). Expected is
//! `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`, then optionally `HH:MM` or `HH:MM-HH:MM` (a window;
//! `HH:MM<HH:MM` when the appointment must end by then), then optional words `around`,
//! `earliest`, `staff=Name` — or `refused` / `refused:<kind>`. `# locale: en-US` switches to
//! month-first dates for the lines after it.

use super::*;
use crate::domain::{Language, OpeningHours, ServiceId, Staff, StaffId};
use chrono::{NaiveDate, NaiveTime, TimeZone};
use std::collections::BTreeMap;

pub(super) fn hours() -> OpeningHours {
    let day = |r: &str| vec![r.to_string()];
    let map: BTreeMap<String, Vec<String>> = [
        ("mon", day("09:00-18:00")),
        ("tue", day("09:00-18:00")),
        ("wed", day("09:00-18:00")),
        ("thu", day("09:00-20:00")),
        ("fri", day("09:00-18:00")),
        ("sat", day("10:00-14:00")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    OpeningHours::parse(&map).unwrap()
}

pub(super) fn staff() -> Vec<Staff> {
    vec![
        Staff::plain(StaffId(1), "Maria", vec![ServiceId(1)]),
        Staff::plain(StaffId(2), "Jonas", vec![ServiceId(1)]),
    ]
}

/// What a table line expects.
#[derive(Debug, PartialEq, Eq)]
enum Expected {
    Wish { first: NaiveDate, last: NaiveDate, time: TimeWish, flexibility: Flexibility, staff: Option<String> },
    Refused(Option<String>),
}

fn parse_expected(text: &str) -> Expected {
    let mut words = text.split_whitespace();
    let head = words.next().expect("expected column");
    if let Some(kind) = head.strip_prefix("refused") {
        return Expected::Refused(kind.strip_prefix(':').map(str::to_string));
    }
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| panic!("bad day {s:?}"));
    let (first, last) = match head.split_once("..") {
        Some((a, b)) => (day(a), day(b)),
        None => (day(head), day(head)),
    };
    let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap_or_else(|_| panic!("bad time {s:?}"));
    let mut time = TimeWish::Any;
    let mut flexibility = Flexibility::Exact;
    let mut staff = None;
    for word in words {
        if let Some((a, b)) = word.split_once('-') {
            time = TimeWish::Window(TimeWindow { from: t(a), to: t(b), finish_by: false, label: WindowLabel::Between });
        } else if let Some((a, b)) = word.split_once('<') {
            time = TimeWish::Window(TimeWindow { from: t(a), to: t(b), finish_by: true, label: WindowLabel::Between });
        } else if word == "around" {
            flexibility = Flexibility::Around;
        } else if word == "earliest" {
            flexibility = Flexibility::Earliest;
        } else if let Some(name) = word.strip_prefix("staff=") {
            staff = Some(name.to_string());
        } else {
            time = TimeWish::At(t(word));
        }
    }
    Expected::Wish { first, last, time, flexibility, staff }
}

fn kind(problem: &DateProblem) -> &'static str {
    match problem {
        DateProblem::Missing => "missing",
        DateProblem::Unrecognised(_) => "unrecognised",
        DateProblem::Partly(Understood::Day(_), _) => "partly-day",
        DateProblem::Partly(Understood::Time, _) => "partly-time",
        DateProblem::Impossible => "impossible",
        DateProblem::Past => "past",
        DateProblem::WeekdayMismatch { .. } => "mismatch",
        DateProblem::Conflicting => "conflict",
        DateProblem::NoEarlierDay => "no-earlier-day",
        DateProblem::WhichWeekBefore { .. } => "which-week",
    }
}

/// Windows compare by their bounds and whether the end binds, not by how they were said.
fn comparable(result: &Result<Wish, DateProblem>) -> Expected {
    match result {
        Ok(wish) => Expected::Wish {
            first: wish.first_day,
            last: wish.last_day,
            time: match wish.time {
                TimeWish::Window(w) => TimeWish::Window(TimeWindow { label: WindowLabel::Between, ..w }),
                other => other,
            },
            flexibility: wish.flexibility,
            staff: wish.staff.clone(),
        },
        Err(problem) => Expected::Refused(Some(kind(problem).to_string())),
    }
}

fn run_table(table: &str, language: Language, zone: chrono_tz::Tz) -> (usize, Vec<String>) {
    let hours = hours();
    let staff = staff();
    let now = zone.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap();
    let mut month_first = false;
    let mut failures = Vec::new();
    let mut count = 0;
    for (number, line) in table.lines().enumerate() {
        if let Some(locale) = line.strip_prefix("# locale: ") {
            month_first = locale.trim().ends_with("US");
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        assert_eq!(columns.len(), 3, "line {}: {line:?} needs three tab-separated columns", number + 1);
        let arg = |s: &'static str| (s != "-").then_some(s);
        let _ = arg;
        let (date, time) = (columns[0], columns[1]);
        let date = (date != "-").then_some(date);
        let time = (time != "-").then_some(time);
        let ctx = SpeechContext { now, hours: &hours, language, month_first, staff: &staff, earlier_day: None };
        let got = understand(date, time, &ctx);
        let want = parse_expected(columns[2]);
        let ok = match (&want, comparable(&got)) {
            (Expected::Refused(None), Expected::Refused(_)) => true,
            (want, got) => *want == got,
        };
        count += 1;
        if !ok {
            failures.push(format!("line {}: {date:?} / {time:?}: want {}, got {got:?}", number + 1, columns[2]));
        }
    }
    (count, failures)
}

#[test]
fn german_phrases() {
    let (count, failures) =
        run_table(include_str!("../../tests/data/phrases.de.tsv"), Language::De, chrono_tz::Europe::Berlin);
    assert!(count >= 400, "the German table has {count} phrases");
    assert!(failures.is_empty(), "{} of {count} German phrases wrong:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn english_phrases() {
    let (count, failures) =
        run_table(include_str!("../../tests/data/phrases.en.tsv"), Language::En, chrono_tz::Europe::London);
    assert!(count >= 400, "the English table has {count} phrases");
    assert!(failures.is_empty(), "{} of {count} English phrases wrong:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn words_not_understood_next_to_a_day_do_not_claim_the_day() {
    // "in der Woche rund um Weihnachten": the day words were not all understood, so no day is claimed.
    let hours = hours();
    let staff = staff();
    let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap();
    let ctx = SpeechContext { now, hours: &hours, language: Language::De, month_first: false, staff: &staff, earlier_day: None };
    match understand(Some("in der Woche rund um Weihnachten"), None, &ctx) {
        Err(DateProblem::Unrecognised(words)) => assert_eq!(words, ["woche", "rund"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_day_counted_after_a_holiday_just_past_is_counted_from_that_one() {
    // 27 December 2026 (a Sunday): Christmas was two days ago, and what is counted after it is ahead.
    let hours = hours();
    let staff = staff();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let at = |y, m, d| chrono_tz::Europe::Berlin.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap();
    for (now, language, phrase, first, last) in [
        (at(2026, 12, 27), Language::De, "die Woche nach Weihnachten", "2026-12-28", "2027-01-03"),
        (at(2026, 12, 27), Language::De, "der Montag nach Weihnachten", "2026-12-28", "2026-12-28"),
        (at(2026, 12, 27), Language::De, "zwei Tage nach Weihnachten", "2026-12-27", "2026-12-27"),
        (at(2026, 12, 27), Language::En, "the week after Christmas", "2026-12-28", "2027-01-03"),
        // on Easter Monday, "the Monday after Easter" is today
        (at(2027, 3, 29), Language::De, "der Montag nach Ostern", "2027-03-29", "2027-03-29"),
        // a day counted after Christmas that has passed too: the next Christmas
        (at(2026, 12, 30), Language::De, "der Montag nach Weihnachten", "2027-12-27", "2027-12-27"),
        // a day counted before one that is near, and past: the next one's
        (at(2026, 11, 26), Language::En, "the Friday before the 27th", "2026-12-25", "2026-12-25"),
    ] {
        let ctx = SpeechContext { now, hours: &hours, language, month_first: false, staff: &staff, earlier_day: None };
        let wish = understand(Some(phrase), None, &ctx).unwrap_or_else(|e| panic!("{phrase} on {now}: {e:?}"));
        assert_eq!((wish.first_day, wish.last_day), (day(first), day(last)), "{phrase} on {now}");
    }
}

#[test]
fn a_day_after_counts_from_the_day_spoken_about_before() {
    let hours = hours();
    let staff = staff();
    let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap();
    let earlier = NaiveDate::from_ymd_opt(2026, 12, 1);
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    for (language, phrase, want) in [
        (Language::De, "am Tag danach", "2026-12-02"),
        (Language::De, "und der Tag danach", "2026-12-02"),
        (Language::De, "tags darauf", "2026-12-02"),
        (Language::De, "am nächsten Tag", "2026-12-02"),
        (Language::De, "zwei Tage später", "2026-12-03"),
        (Language::De, "eine Woche danach", "2026-12-08"),
        (Language::De, "übermorgen", "2026-11-28"),
        (Language::En, "the day after", "2026-12-02"),
        (Language::En, "and the next day", "2026-12-02"),
        (Language::En, "a day later", "2026-12-02"),
        (Language::En, "two weeks after that", "2026-12-15"),
        (Language::En, "the day after tomorrow", "2026-11-28"),
        (Language::En, "the day after Christmas", "2026-12-26"),
    ] {
        let ctx = SpeechContext { now, hours: &hours, language, month_first: false, staff: &staff, earlier_day: earlier };
        let wish = understand(Some(phrase), None, &ctx).unwrap_or_else(|e| panic!("{phrase}: {e:?}"));
        assert_eq!((wish.first_day, wish.last_day), (day(want), day(want)), "{phrase}");
        // without a day before, the same words are asked about, never guessed
        let alone = SpeechContext { earlier_day: None, ..ctx };
        let independent = matches!(phrase, "übermorgen" | "the day after tomorrow" | "the day after Christmas");
        match understand(Some(phrase), None, &alone) {
            Err(DateProblem::NoEarlierDay) => assert!(!independent, "{phrase}"),
            Ok(wish) => assert!(independent && wish.first_day == day(want), "{phrase}: {wish:?}"),
            Err(other) => panic!("{phrase}: {other:?}"),
        }
    }
}

#[test]
fn refusals_name_the_words_not_understood_and_bound_them() {
    let hours = hours();
    let staff = staff();
    let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap();
    let ctx = SpeechContext { now, hours: &hours, language: Language::De, month_first: false, staff: &staff, earlier_day: None };
    let long = "x".repeat(500);
    match understand(Some("Montag"), Some(&format!("{long} blub bla foo")), &ctx) {
        Err(DateProblem::Partly(Understood::Day(day), words)) => {
            assert_eq!(day.to_string(), "2026-11-30");
            assert!(words.len() <= 3 && words.iter().all(|w| w.chars().count() <= 24), "{words:?}");
        }
        other => panic!("{other:?}"),
    }
}

mod spans {
    //! Any span said, at any moment: refused, or a span that starts no earlier than today, ends
    //! no earlier than it starts, lasts at most 92 days, and starts and ends on the weekdays said.
    use super::*;
    use chrono::{Datelike, Duration, Weekday};
    use proptest::prelude::*;

    const DAYS: [(&str, &str, Weekday); 7] = [
        ("Montag", "Monday", Weekday::Mon),
        ("Dienstag", "Tuesday", Weekday::Tue),
        ("Mittwoch", "Wednesday", Weekday::Wed),
        ("Donnerstag", "Thursday", Weekday::Thu),
        ("Freitag", "Friday", Weekday::Fri),
        ("Samstag", "Saturday", Weekday::Sat),
        ("Sonntag", "Sunday", Weekday::Sun),
    ];

    /// A day as said: a weekday (`Some`) or a day of the month / relative day (`None`).
    fn day(german: bool) -> impl Strategy<Value = (String, Option<Weekday>)> {
        prop_oneof![
            (0..7usize).prop_map(move |i| ((if german { DAYS[i].0 } else { DAYS[i].1 }).to_string(), Some(DAYS[i].2))),
            (1..=31u32).prop_map(move |d| (if german { format!("{d}.") } else { format!("the {d}th") }, None)),
            Just(((if german { "morgen" } else { "tomorrow" }).to_string(), None)),
            ((1..=28u32), (1..=12u32)).prop_map(move |(d, m)| (if german { format!("{d}.{m}.") } else { format!("{d}/{m}") }, None)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

        #[test]
        fn any_span_is_within_its_bounds(
            german in any::<bool>(),
            (left, left_day) in day(true),
            (right, right_day) in day(true),
            (left_en, left_en_day) in day(false),
            (right_en, right_en_day) in day(false),
            joiner in 0..4usize,
            part in proptest::option::of(0..3usize),
            ahead in 0..500i64,
            hour in 0..24u32,
        ) {
            let (left, right, left_day, right_day) =
                if german { (left, right, left_day, right_day) } else { (left_en, right_en, left_en_day, right_en_day) };
            let phrase = match (german, joiner) {
                (true, 0) => format!("{left} bis {right}"),
                (true, 1) => format!("zwischen {left} und {right}"),
                (true, 2) => format!("vom {left} bis zum {right}"),
                (true, _) => format!("{left} - {right}"),
                (false, 0) => format!("{left} to {right}"),
                (false, 1) => format!("between {left} and {right}"),
                (false, 2) => format!("from {left} through {right}"),
                (false, _) => format!("{left} until {right}"),
            };
            let phrase = match (part, german) {
                (Some(0), true) => format!("{phrase} vormittags"),
                (Some(1), true) => format!("{phrase} nachmittags"),
                (Some(_), true) => format!("{phrase} abends"),
                (Some(0), false) => format!("{phrase} in the morning"),
                (Some(1), false) => format!("{phrase} in the afternoon"),
                (Some(_), false) => format!("{phrase} in the evening"),
                (None, _) => phrase,
            };
            let hours = hours();
            let staff = staff();
            let zone = chrono_tz::Europe::Berlin;
            let start = zone.with_ymd_and_hms(2026, 1, 1, hour, 0, 0).unwrap() + Duration::days(ahead);
            let language = if german { Language::De } else { Language::En };
            let ctx = SpeechContext { now: start, hours: &hours, language, month_first: false, staff: &staff, earlier_day: None };
            if let Ok(wish) = understand(Some(&phrase), None, &ctx) {
                let today = start.date_naive();
                prop_assert!(wish.first_day >= today, "{phrase}: {wish:?} starts before {today}");
                prop_assert!(wish.last_day >= wish.first_day, "{phrase}: {wish:?}");
                prop_assert!((wish.last_day - wish.first_day).num_days() < 92, "{phrase}: {wish:?}");
                if let Some(day) = right_day {
                    prop_assert_eq!(wish.last_day.weekday(), day, "{}: {:?}", phrase, wish);
                }
                // a span that had to skip a past part may start later than said, never on another weekday
                if let (Some(day), true) = (left_day, wish.first_day > today) {
                    prop_assert_eq!(wish.first_day.weekday(), day, "{}: {:?}", phrase, wish);
                }
            }
        }
    }
}

#[test]
fn the_week_before_a_day_is_asked_with_both_readings() {
    let hours = hours();
    let staff = staff();
    let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap();
    let today = now.date_naive();
    for (language, phrase, question) in [
        (
            Language::De,
            "die Woche vor Weihnachten",
            "Meinen Sie die ganze Woche davor, zwischen Montag, dem 14., und Sonntag, dem 20. Dezember, oder die Tage kurz davor, zwischen Montag, dem 21., und Donnerstag, dem 24. Dezember?",
        ),
        // 1 December is a Tuesday: of the week before only today to Sunday is left, and one day before it
        (
            Language::De,
            "die Woche vor dem 1. Dezember",
            "Meinen Sie die Woche davor, zwischen heute und Sonntag, dem 29. November, oder den Tag kurz davor, am Montag, den 30. November?",
        ),
        (
            Language::En,
            "the week before December 1st",
            "Do you mean the week before it, between today and Sunday, November 29, or the day just before it, on Monday, November 30?",
        ),
    ] {
        let ctx = SpeechContext { now, hours: &hours, language, month_first: false, staff: &staff, earlier_day: None };
        let problem = understand(Some(phrase), None, &ctx).expect_err(phrase);
        let said = phrasebook(language).say(&Sentence::from(FailureSentence::DateProblem(problem)), today);
        assert_eq!(said, question, "{phrase}");
    }
}
