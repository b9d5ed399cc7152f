//! A wall-clock time of a tenant's zone as an instant.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant a local wall-clock time stands for: the earlier one when it happens twice (the
/// clock falls back), the first after the gap when it does not exist (the clock springs forward).
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => local_instant(tz, local + chrono::Duration::hours(1)),
    }
}

/// Midnight of `day` in `zone`, as UTC (the first instant of the day across DST gaps).
pub fn start_of(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    local_instant(zone, day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}
