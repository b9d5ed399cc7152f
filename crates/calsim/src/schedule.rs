//! Slot math: starts on each event type's grid inside its weekly schedule, in its own time zone
//! (so DST days have their real length), minus minimum notice, bookings and live reservations.

use crate::fixture::EventType;
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDateTime, TimeZone, Utc};

/// A time already taken.
#[derive(Debug, Clone, Copy)]
pub struct Busy {
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
}

fn to_utc(event_type: &EventType, local: NaiveDateTime, later: bool) -> DateTime<Utc> {
    match event_type.time_zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => if later { b } else { a }.with_timezone(&Utc),
        // In a spring-forward gap the interval starts when the clock resumes.
        LocalResult::None => to_utc(event_type, local + Duration::hours(1), later),
    }
}

/// Free starts in `[from, to)` for bookings of `length` minutes.
pub fn free_starts(
    event_type: &EventType,
    length: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    busy: &[Busy],
) -> Vec<DateTime<Utc>> {
    let earliest = from.max(now + Duration::minutes(event_type.minimum_notice_minutes));
    let tz = event_type.time_zone;
    let mut day = from.with_timezone(&tz).date_naive() - Duration::days(1);
    let last = to.with_timezone(&tz).date_naive();
    let mut starts = Vec::new();
    while day <= last {
        for (open, close) in &event_type.schedule[day.weekday().num_days_from_monday() as usize] {
            let open = to_utc(event_type, day.and_time(*open), false);
            let close = to_utc(event_type, day.and_time(*close), true);
            let mut start = open;
            while start + Duration::minutes(length) <= close {
                let end = start + Duration::minutes(length);
                if start >= earliest && start < to && !busy.iter().any(|b| b.start < end && b.end > start) {
                    starts.push(start);
                }
                start += Duration::minutes(event_type.slot_interval_minutes);
            }
        }
        day += Duration::days(1);
    }
    starts
}

/// Whether `[start, start + length)` lies inside one schedule interval of the event type.
pub fn within_schedule(event_type: &EventType, start: DateTime<Utc>, length: i64) -> bool {
    let day = start.with_timezone(&event_type.time_zone).date_naive();
    let end = start + Duration::minutes(length);
    [day - Duration::days(1), day].iter().any(|day| {
        event_type.schedule[day.weekday().num_days_from_monday() as usize].iter().any(|(open, close)| {
            to_utc(event_type, day.and_time(*open), false) <= start
                && end <= to_utc(event_type, day.and_time(*close), true)
        })
    })
}
