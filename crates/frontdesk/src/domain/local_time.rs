//! A wall-clock time of a tenant's zone as an instant.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant a local wall-clock time stands for: the earlier one when it happens twice (the
/// clock falls back), the first after the gap when it does not exist (the clock springs forward).
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => local_instant(tz, local + chrono::Duration::hours(1)),
    }
}
