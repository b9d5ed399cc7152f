//! The table of things callers say, understood on Thursday 26 November 2026 at 09:30 in Berlin,
//! for a branch open Mon–Fri 9–18 (Thu until 20) and Sat 10–14.

use super::*;
use crate::domain::OpeningHours;
use chrono::{NaiveDate, NaiveTime, TimeZone};
use std::collections::BTreeMap;

fn hours() -> OpeningHours {
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

enum Expect {
    At(&'static str, Option<&'static str>),
    Part(&'static str, PartOfDay),
    Fails(DateProblem),
}
use Expect::*;

#[test]
fn understands_what_callers_say() {
    let hours = hours();
    let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap();
    let ctx = SpeechContext { now, hours: &hours };
    let table: &[(Option<&str>, Option<&str>, Expect)] = &[
        // ISO forms
        (Some("2026-12-03"), None, At("2026-12-03", None)),
        (Some("2026-12-03T14:00"), None, At("2026-12-03", Some("14:00"))),
        (Some("2026-12-03T14:00:00"), None, At("2026-12-03", Some("14:00"))),
        (Some("2026-12-03T13:00:00Z"), None, At("2026-12-03", Some("14:00"))),
        (Some("2026-12-03T15:00:00+02:00"), None, At("2026-12-03", Some("14:00"))),
        // German numeric dates
        (Some("07.12.2026"), None, At("2026-12-07", None)),
        (Some("7.12."), None, At("2026-12-07", None)),
        (Some("7.12"), None, At("2026-12-07", None)),
        (Some("7.1."), None, At("2027-01-07", None)),
        (Some("am 03.12.26"), Some("10:00"), At("2026-12-03", Some("10:00"))),
        (Some("28/11/2026"), None, At("2026-11-28", None)),
        (Some("3. Dezember"), None, At("2026-12-03", None)),
        (Some("am dritten Dezember"), None, At("2026-12-03", None)),
        (Some("3. Dezember 2026"), Some("11 Uhr"), At("2026-12-03", Some("11:00"))),
        (Some("Freitag, den 27.11."), Some("14:00"), At("2026-11-27", Some("14:00"))),
        // relative days
        (Some("heute"), Some("14 Uhr"), At("2026-11-26", Some("14:00"))),
        (Some("Heute"), None, At("2026-11-26", None)),
        (Some("morgen"), None, At("2026-11-27", None)),
        (Some("Übermorgen"), None, At("2026-11-28", None)),
        (Some("uebermorgen"), Some("halb drei"), At("2026-11-28", Some("14:30"))),
        (Some("in drei Tagen"), None, At("2026-11-29", None)),
        (Some("in 2 Wochen"), None, At("2026-12-10", None)),
        (Some("in einer Woche"), None, At("2026-12-03", None)),
        // weekdays
        (Some("Dienstag"), None, At("2026-12-01", None)),
        (Some("am Freitag"), None, At("2026-11-27", None)),
        (Some("Donnerstag"), None, At("2026-12-03", None)),
        (Some("diesen Donnerstag"), Some("15 Uhr"), At("2026-11-26", Some("15:00"))),
        (Some("nächsten Dienstag"), None, At("2026-12-01", None)),
        (Some("nächsten Freitag"), None, At("2026-12-04", None)),
        (Some("kommenden Montag"), None, At("2026-11-30", None)),
        (Some("nächste Woche"), None, At("2026-11-30", None)),
        (Some("nächste Woche Mittwoch"), None, At("2026-12-02", None)),
        (Some("übernächste Woche"), None, At("2026-12-07", None)),
        (Some("am Wochenende"), None, At("2026-11-28", None)),
        // clock times
        (Some("morgen"), Some("14:30"), At("2026-11-27", Some("14:30"))),
        (Some("morgen"), Some("14.30 Uhr"), At("2026-11-27", Some("14:30"))),
        (Some("morgen"), Some("14 Uhr 30"), At("2026-11-27", Some("14:30"))),
        (Some("morgen"), Some("14Uhr"), At("2026-11-27", Some("14:00"))),
        (Some("morgen"), Some("vierzehn Uhr"), At("2026-11-27", Some("14:00"))),
        (Some("morgen"), Some("vierzehn Uhr dreißig"), At("2026-11-27", Some("14:30"))),
        (Some("morgen"), Some("halb drei"), At("2026-11-27", Some("14:30"))),
        (Some("morgen"), Some("halb zehn"), At("2026-11-27", Some("09:30"))),
        (Some("morgen"), Some("viertel nach zehn"), At("2026-11-27", Some("10:15"))),
        (Some("morgen"), Some("viertel vor zehn"), At("2026-11-27", Some("09:45"))),
        (Some("morgen"), Some("dreiviertel elf"), At("2026-11-27", Some("10:45"))),
        (Some("morgen"), Some("zehn nach drei"), At("2026-11-27", Some("15:10"))),
        (Some("morgen"), Some("fünf vor halb drei"), At("2026-11-27", Some("14:25"))),
        (Some("morgen"), Some("um 3"), At("2026-11-27", Some("15:00"))),
        (Some("morgen"), Some("um 10"), At("2026-11-27", Some("10:00"))),
        (Some("morgen"), Some("8 Uhr"), At("2026-11-27", Some("08:00"))),
        (Some("morgen"), Some("08:00"), At("2026-11-27", Some("08:00"))),
        (Some("Donnerstag"), Some("um 7"), At("2026-12-03", Some("19:00"))),
        (Some("morgen"), Some("um 9 Uhr abends"), At("2026-11-27", Some("21:00"))),
        (Some("morgen nachmittag um 3"), None, At("2026-11-27", Some("15:00"))),
        (Some("morgen um 14 Uhr"), None, At("2026-11-27", Some("14:00"))),
        (Some("Samstag"), Some("um 11"), At("2026-11-28", Some("11:00"))),
        (Some("morgen"), Some("14"), At("2026-11-27", Some("14:00"))),
        // parts of the day
        (Some("morgen vormittags"), None, Part("2026-11-27", PartOfDay::Morning)),
        (Some("morgen früh"), None, Part("2026-11-27", PartOfDay::Morning)),
        (Some("morgen"), Some("nachmittags"), Part("2026-11-27", PartOfDay::Afternoon)),
        (Some("Dienstag morgen"), None, Part("2026-12-01", PartOfDay::Morning)),
        (Some("heute Abend"), None, Part("2026-11-26", PartOfDay::Evening)),
        // English
        (Some("today"), Some("at 2pm"), At("2026-11-26", Some("14:00"))),
        (Some("tomorrow"), Some("2:30 pm"), At("2026-11-27", Some("14:30"))),
        (Some("tomorrow"), Some("2:30 p.m."), At("2026-11-27", Some("14:30"))),
        (Some("tomorrow at 10"), None, At("2026-11-27", Some("10:00"))),
        (Some("tomorrow"), Some("10 am"), At("2026-11-27", Some("10:00"))),
        (Some("tomorrow"), Some("noon"), At("2026-11-27", Some("12:00"))),
        (Some("tomorrow"), Some("quarter past ten"), At("2026-11-27", Some("10:15"))),
        (Some("tomorrow"), Some("quarter to ten"), At("2026-11-27", Some("09:45"))),
        (Some("tomorrow"), Some("half past two"), At("2026-11-27", Some("14:30"))),
        (Some("tomorrow"), Some("ten past three"), At("2026-11-27", Some("15:10"))),
        (Some("next Monday"), None, At("2026-11-30", None)),
        (Some("Monday"), Some("3 o'clock"), At("2026-11-30", Some("15:00"))),
        (Some("this Friday"), None, At("2026-11-27", None)),
        (Some("next week"), None, At("2026-11-30", None)),
        (Some("the day after tomorrow"), None, At("2026-11-28", None)),
        (Some("in 3 days"), None, At("2026-11-29", None)),
        (Some("December 3rd"), None, At("2026-12-03", None)),
        (Some("3rd of December"), None, At("2026-12-03", None)),
        (Some("tomorrow afternoon"), None, Part("2026-11-27", PartOfDay::Afternoon)),
        (Some("tomorrow morning"), None, Part("2026-11-27", PartOfDay::Morning)),
        // only a time: today
        (None, Some("14:00"), At("2026-11-26", Some("14:00"))),
        // failures
        (None, None, Fails(DateProblem::Missing)),
        (Some(" "), Some(""), Fails(DateProblem::Missing)),
        (Some("blabla"), None, Fails(DateProblem::Unrecognised)),
        (Some("30.02."), None, Fails(DateProblem::Impossible)),
        (Some("31.11.2026"), None, Fails(DateProblem::Impossible)),
        (Some("2026-02-30"), None, Fails(DateProblem::Impossible)),
        (Some("morgen"), Some("25 Uhr"), Fails(DateProblem::Impossible)),
        (Some("morgen"), Some("14:75"), Fails(DateProblem::Impossible)),
        (Some("gestern"), None, Fails(DateProblem::Past)),
        (Some("yesterday"), None, Fails(DateProblem::Past)),
        (Some("01.01.2020"), None, Fails(DateProblem::Past)),
        (Some("7.11."), None, Fails(DateProblem::Past)),
        (Some("heute"), Some("09:00"), Fails(DateProblem::Past)),
        (Some("2026-11-26T08:00"), None, Fails(DateProblem::Past)),
    ];
    let mut failures = Vec::new();
    for (date, time, expect) in table {
        let got = understand(*date, *time, &ctx);
        let want = match expect {
            At(d, t) => Ok(Moment {
                date: NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(),
                time: t.map(|t| NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
                part_of_day: None,
            }),
            Part(d, p) => Ok(Moment {
                date: NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(),
                time: None,
                part_of_day: Some(*p),
            }),
            Fails(problem) => Err(*problem),
        };
        if got != want {
            failures.push(format!("{date:?} / {time:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases wrong:\n{}", failures.len(), table.len(), failures.join("\n"));
}
