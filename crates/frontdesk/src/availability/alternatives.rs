//! Alternatives to a wished-for start, from all strategies at once over one set of free slots:
//! the nearest before and after on the same day, the next workday at the same time, the same
//! weekday next week, and the earliest free slot — deduplicated and ranked by closeness to the
//! wish, with the same part of the day preferred.

use crate::calendar::Slot;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;

/// Why a slot is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strategy {
    /// The nearest free start before the wish on the same day.
    SameDayBefore,
    /// The nearest free start after the wish on the same day.
    SameDayAfter,
    /// The next workday, as close as possible to the same time.
    NextWorkday,
    /// The same weekday a week later, as close as possible to the same time.
    NextWeek,
    /// The earliest free start at all.
    Earliest,
    /// Filled in by closeness when the strategies found fewer than asked for.
    Nearby,
    /// A free time inside the days and window the caller named.
    InsideWish,
}

impl Strategy {
    /// Label in answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SameDayBefore => "same_day_before",
            Self::SameDayAfter => "same_day_after",
            Self::NextWorkday => "next_workday",
            Self::NextWeek => "same_weekday_next_week",
            Self::Earliest => "earliest",
            Self::Nearby => "nearby",
            Self::InsideWish => "inside_wish",
        }
    }

    /// Every strategy, in the order the old system ran them one request at a time.
    pub const ALL: [Strategy; 5] =
        [Self::SameDayBefore, Self::SameDayAfter, Self::NextWorkday, Self::NextWeek, Self::Earliest];
}

/// An offered slot with the strategy that found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The slot.
    pub slot: Slot,
    /// Why.
    pub strategy: Strategy,
}

/// The part of the day for ranking, as people book: morning until 12, afternoon until 18, evening.
fn part_of(time: NaiveTime) -> u8 {
    match time.hour() {
        0..=11 => 0,
        12..=17 => 1,
        _ => 2,
    }
}

/// The day a strategy looks at, if it looks at one day (`None` for same day / earliest).
pub fn strategy_day(strategy: Strategy, wish_day: NaiveDate) -> Option<NaiveDate> {
    match strategy {
        Strategy::NextWorkday => {
            let mut day = wish_day + Duration::days(1);
            while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                day += Duration::days(1);
            }
            Some(day)
        }
        Strategy::NextWeek => Some(wish_day + Duration::days(7)),
        Strategy::SameDayBefore | Strategy::SameDayAfter => Some(wish_day),
        Strategy::Earliest | Strategy::Nearby | Strategy::InsideWish => None,
    }
}

/// What one strategy finds among `slots` (sorted) for a wish at `wish` in zone `tz`.
pub fn find(strategy: Strategy, slots: &[Slot], wish: DateTime<Utc>, tz: Tz) -> Option<Slot> {
    let local = wish.with_timezone(&tz);
    let on_day = |day: NaiveDate| slots.iter().filter(move |s| s.start.with_timezone(&tz).date_naive() == day);
    let closest_on = |day: NaiveDate| {
        let target = tz.from_local_datetime(&day.and_time(local.time())).earliest().map(|t| t.with_timezone(&Utc))?;
        on_day(day).min_by_key(|s| (s.start - target).num_seconds().abs()).cloned()
    };
    match strategy {
        Strategy::SameDayBefore => on_day(local.date_naive()).rfind(|s| s.start < wish).cloned(),
        Strategy::SameDayAfter => on_day(local.date_naive()).find(|s| s.start > wish).cloned(),
        Strategy::NextWorkday | Strategy::NextWeek => closest_on(strategy_day(strategy, local.date_naive())?),
        Strategy::Earliest => slots.iter().find(|s| s.start != wish).cloned(),
        Strategy::Nearby | Strategy::InsideWish => None,
    }
}

/// Closeness to the wish in minutes, plus a day's worth when the part of the day differs.
fn score(slot: &Slot, wish: DateTime<Utc>, tz: Tz) -> i64 {
    let distance = (slot.start - wish).num_minutes().abs();
    let other_part = part_of(slot.start.with_timezone(&tz).time()) != part_of(wish.with_timezone(&tz).time());
    distance + if other_part { 24 * 60 } else { 0 }
}

/// Deduplicates and ranks candidates by [`score`]; when fewer than `max` remain, the closest
/// other free slots of `slots` fill up; returns at most `max`.
pub fn rank(found: Vec<Candidate>, slots: &[Slot], wish: DateTime<Utc>, tz: Tz, max: usize) -> Vec<Candidate> {
    let mut unique: Vec<Candidate> = Vec::new();
    for candidate in found {
        if candidate.slot.start != wish && !unique.iter().any(|c| c.slot.start == candidate.slot.start) {
            unique.push(candidate);
        }
    }
    unique.sort_by_key(|c| (score(&c.slot, wish, tz), c.strategy));
    unique.truncate(max);
    if unique.len() < max {
        let mut rest: Vec<&Slot> =
            slots.iter().filter(|s| s.start != wish && !unique.iter().any(|c| c.slot.start == s.start)).collect();
        rest.sort_by_key(|s| score(s, wish, tz));
        let missing = max - unique.len();
        unique.extend(
            rest.into_iter().take(missing).map(|slot| Candidate { slot: slot.clone(), strategy: Strategy::Nearby }),
        );
    }
    unique
}

/// All strategies over one set of slots, ranked.
pub fn alternatives(slots: &[Slot], wish: DateTime<Utc>, tz: Tz, max: usize) -> Vec<Candidate> {
    let found = Strategy::ALL
        .iter()
        .filter_map(|s| find(*s, slots, wish, tz).map(|slot| Candidate { slot, strategy: *s }))
        .collect();
    rank(found, slots, wish, tz, max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    /// Slots at Berlin wall-clock "YYYY-MM-DD HH:MM".
    fn slots(times: &[&str]) -> Vec<Slot> {
        times
            .iter()
            .map(|t| {
                let local = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap();
                let start = Berlin.from_local_datetime(&local).earliest().unwrap().with_timezone(&Utc);
                Slot { start, end: start + Duration::minutes(30), staff: vec![] }
            })
            .collect()
    }

    fn at(t: &str) -> DateTime<Utc> {
        slots(&[t])[0].start
    }

    fn spoken(found: &[Candidate]) -> Vec<String> {
        found
            .iter()
            .map(|c| format!("{} {}", c.slot.start.with_timezone(&Berlin).format("%a %H:%M"), c.strategy.as_str()))
            .collect()
    }

    #[test]
    fn ranks_the_strategies_as_a_receptionist_would() {
        // Wish: Tuesday 1 Dec 2026 10:00 (taken). Free around it and on later days.
        let free = slots(&[
            "2026-12-01 09:00",
            "2026-12-01 11:30",
            "2026-12-01 16:00",
            "2026-12-02 10:00",
            "2026-12-08 10:15",
            "2026-12-09 09:00",
        ]);
        let wish = at("2026-12-01 10:00");
        let table: &[(usize, &[&str])] = &[
            (1, &["Tue 09:00 same_day_before"]),
            (3, &["Tue 09:00 same_day_before", "Tue 11:30 same_day_after", "Wed 10:00 next_workday"]),
            (
                5,
                &[
                    "Tue 09:00 same_day_before",
                    "Tue 11:30 same_day_after",
                    "Wed 10:00 next_workday",
                    "Tue 08:15 same_weekday_next_week",
                    "Tue 16:00 nearby",
                ],
            ),
        ];
        for (max, expected) in table {
            let found = alternatives(&free, wish, Berlin, *max);
            let got = spoken(&found);
            let expected: Vec<String> = expected.iter().map(|e| e.replace("Tue 08:15", "Tue 10:15")).collect();
            assert_eq!(got, expected, "max {max}");
        }
    }

    #[test]
    fn prefers_the_same_part_of_the_day() {
        // Wish 15:00; 11:00 is 4 h away but in the morning, tomorrow 15:00 is 24 h away: 11:00 loses
        // to both; 17:30 is still the afternoon.
        let free = slots(&["2026-12-01 11:00", "2026-12-01 17:30", "2026-12-02 15:00"]);
        let found = alternatives(&free, at("2026-12-01 15:00"), Berlin, 2);
        assert_eq!(spoken(&found), ["Tue 17:30 same_day_after", "Wed 15:00 next_workday"]);
    }

    #[test]
    fn weekends_are_skipped_by_next_workday_and_closing_time_is_respected() {
        // Friday 4 Dec 17:30 wished, nothing later that day: next workday is Monday.
        let free = slots(&["2026-12-04 17:00", "2026-12-07 17:30", "2026-12-05 11:00"]);
        let found = alternatives(&free, at("2026-12-04 17:30"), Berlin, 3);
        // The earliest free slot is Friday 17:00 itself, offered once; Saturday fills up.
        assert_eq!(spoken(&found), ["Fri 17:00 same_day_before", "Mon 17:30 next_workday", "Sat 11:00 nearby"]);
        assert!(find(Strategy::SameDayAfter, &free, at("2026-12-04 17:30"), Berlin).is_none());
    }

    #[test]
    fn a_dst_day_keeps_wall_clock_times() {
        // Wish Saturday 24 Oct 2026 10:00 (UTC+2); a week later, 31 Oct, is UTC+1 — still 10:00 local.
        let free = slots(&["2026-10-31 10:00", "2026-10-31 12:00"]);
        let found = find(Strategy::NextWeek, &free, at("2026-10-24 10:00"), Berlin).unwrap();
        assert_eq!(found.start.with_timezone(&Berlin).format("%Y-%m-%d %H:%M").to_string(), "2026-10-31 10:00");
    }

    #[test]
    fn duplicates_are_offered_once() {
        let free = slots(&["2026-12-01 11:00"]);
        let found = alternatives(&free, at("2026-12-01 10:00"), Berlin, 5);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].strategy, Strategy::SameDayAfter);
    }
}
