//! A closure as an owner types it in the console: "24.12.–1.1. Betriebsferien", "24.12.2026",
//! "morgen Inventur", "heute und morgen", or the tenants file's own "2026-12-24..2027-01-01
//! Betriebsferien". The days come first and are read with the absence line's grammar (so
//! everything a caller may say of a day works); the words after them are the reason.

use super::absence::understand_absence;
use super::text::fold;
use super::understand::{understand, SpeechContext};
use super::wish::DateProblem;
use crate::domain::DayRange;

/// Words inside the days that the date grammar reads only together with the next word.
const JOINERS: [&str; 22] = [
    "bis", "und", "vom", "von", "ab", "am", "den", "dem", "nächste", "nächsten", "nächster", "kommende", "kommenden",
    "diese", "diesen", "to", "and", "from", "the", "until", "next", "this",
];

/// Whether a word starts the reason: a word of letters that is no day and no joiner.
fn starts_reason(word: &str, ctx: &SpeechContext) -> bool {
    let folded = fold(word.trim_matches(|c: char| c == ',' || c == ':'));
    !folded.is_empty()
        && folded.chars().all(char::is_alphabetic)
        && !JOINERS.iter().any(|j| fold(j) == folded)
        && understand(Some(&folded), None, ctx).is_err()
}

/// Understands one closure line, or says which words were not understood.
pub fn understand_closure(text: &str, ctx: &SpeechContext) -> Result<DayRange, DateProblem> {
    let text = text.trim();
    if let Ok(range) = DayRange::parse(text) {
        return Ok(range);
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words.iter().position(|w| starts_reason(w, ctx)).unwrap_or(words.len());
    let (days, reason) = (words[..at].join(" "), words[at..].join(" "));
    if days.is_empty() {
        return Err(DateProblem::Missing);
    }
    // the days alone: nobody is named and no reason word taken out
    let days_only = SpeechContext { staff: &[], ..*ctx };
    let absence = understand_absence(&days, &days_only)?;
    if absence.from_time.is_some() || absence.until_time.is_some() || !absence.reason.is_empty() {
        return Err(DateProblem::Unrecognised(vec![days]));
    }
    DayRange::new(absence.first, absence.last, &reason).map_err(|_| DateProblem::Unrecognised(vec![reason]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Language, OpeningHours};
    use chrono::{NaiveDate, TimeZone};

    #[test]
    fn reads_the_days_then_the_reason() {
        let hours = OpeningHours::default();
        let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
        let ctx = SpeechContext { now, hours: &hours, language: Language::De, month_first: false, staff: &[], earlier_day: None };
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for (line, first, last, reason) in [
            ("24.12.–1.1. Betriebsferien", day(2026, 12, 24), day(2027, 1, 1), Some("Betriebsferien")),
            ("24.12.2026", day(2026, 12, 24), day(2026, 12, 24), None),
            ("morgen Inventur", day(2026, 12, 1), day(2026, 12, 1), Some("Inventur")),
            ("heute und morgen Umbau der Räume", day(2026, 11, 30), day(2026, 12, 1), Some("Umbau der Räume")),
            ("2026-12-24..2027-01-01 Betriebsferien", day(2026, 12, 24), day(2027, 1, 1), Some("Betriebsferien")),
            ("14.12.-18.12.", day(2026, 12, 14), day(2026, 12, 18), None),
        ] {
            let range = understand_closure(line, &ctx).unwrap_or_else(|e| panic!("{line}: {e:?}"));
            assert_eq!((range.first, range.last, range.reason.as_deref()), (first, last, reason), "{line}");
        }
        for nonsense in ["Betriebsferien", "irgendwann Urlaub", "morgen 14-16 Uhr"] {
            assert!(understand_closure(nonsense, &ctx).is_err(), "{nonsense}");
        }
    }
}
