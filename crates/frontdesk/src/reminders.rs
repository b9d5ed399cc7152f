//! Reminders (DESIGN §15): each company's `reminder_hours` before every live appointment, never
//! in the quiet hours 21:00–08:00 local (sent at 08:00 instead, or not at all when that is less
//! than an hour before the start), never for one booked after its reminder was due (its
//! confirmation is fresh). Planned every tick by every instance; the outbox key makes each
//! written once.

use crate::clock::Clock;
use crate::domain::local_instant;
use crate::store::{ReminderCandidate, Store, StoreError};
use chrono::{DateTime, Duration, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;

/// The quiet hours begin (local).
const QUIET_FROM: u32 = 21;
/// ... and end.
const QUIET_UNTIL: u32 = 8;
/// A reminder later than this before the start is not sent.
const TOO_LATE: Duration = Duration::hours(1);
/// The longest plan entry (`reminder_hours` is 1..=168) plus the night a quiet shift may add.
const LOOK_AHEAD: Duration = Duration::hours(168 + 12);

/// When the reminder `hours` before `start` goes out in `zone`, or `None` when it goes out not at all.
pub fn due_at(start: DateTime<Utc>, hours: u32, zone: Tz) -> Option<DateTime<Utc>> {
    let due = start - Duration::hours(i64::from(hours));
    let local = due.with_timezone(&zone);
    let morning = NaiveTime::from_hms_opt(QUIET_UNTIL, 0, 0).expect("a time");
    let shifted = match local.hour() {
        h if h >= QUIET_FROM => local_instant(zone, (local.date_naive() + Duration::days(1)).and_time(morning)),
        h if h < QUIET_UNTIL => local_instant(zone, local.date_naive().and_time(morning)),
        _ => due,
    };
    (shifted <= start - TOO_LATE).then_some(shifted)
}

/// The entries of one appointment due at `now` (and not booked after they were due); none in
/// the quiet hours, whenever they fell due (a move at 22:30 to tomorrow morning, a restart).
fn due_entries(candidate: &ReminderCandidate, now: DateTime<Utc>) -> Vec<u32> {
    let zone: Tz = candidate.timezone.parse().unwrap_or(chrono_tz::Europe::Berlin);
    let hour = now.with_timezone(&zone).hour();
    if !(QUIET_UNTIL..QUIET_FROM).contains(&hour) {
        return Vec::new();
    }
    candidate
        .hours()
        .into_iter()
        .filter(|hours| due_at(candidate.starts_at, *hours, zone).is_some_and(|due| due <= now && candidate.created_at < due))
        .collect()
}

/// Writes every reminder due now; how many were written by this call.
pub async fn round(store: &Store, clock: &dyn Clock) -> Result<usize, StoreError> {
    let now = clock.now();
    let mut written = 0;
    for candidate in store.reminder_candidates(now, now + LOOK_AHEAD).await? {
        for hours in due_entries(&candidate, now) {
            if store.write_reminder(candidate.id, hours, candidate.starts_at, now).await? {
                written += 1;
            }
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Berlin.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_day_before_outside_the_quiet_hours() {
        let zone = chrono_tz::Europe::Berlin;
        assert_eq!(due_at(berlin(2026, 12, 1, 10, 0), 24, zone), Some(berlin(2026, 11, 30, 10, 0)));
        // due at 07:00: sent at 08:00; due at 22:30: sent the next morning at 08:00
        assert_eq!(due_at(berlin(2026, 12, 1, 9, 0), 2, zone), Some(berlin(2026, 12, 1, 8, 0)));
        assert_eq!(due_at(berlin(2026, 12, 2, 10, 30), 36, zone), Some(berlin(2026, 12, 1, 8, 0)));
        // 08:30 with a two-hour reminder: 08:00 is too late, nothing is sent
        assert_eq!(due_at(berlin(2026, 12, 1, 8, 30), 2, zone), None);
        // across the change to summer time (29 March 2026, 02:00): 24 hours, not a calendar day
        assert_eq!(due_at(berlin(2026, 3, 29, 12, 0), 24, zone), Some(berlin(2026, 3, 28, 11, 0)));
        // and a reminder due in the night before the change goes out at 08:00 summer time
        assert_eq!(due_at(berlin(2026, 3, 29, 12, 0), 8, zone), Some(berlin(2026, 3, 29, 8, 0)));
    }

    #[test]
    fn nothing_for_an_appointment_booked_after_its_reminder_was_due() {
        let candidate = ReminderCandidate {
            id: crate::domain::AppointmentId(1),
            starts_at: berlin(2026, 12, 1, 10, 0),
            created_at: berlin(2026, 11, 30, 17, 0),
            timezone: "Europe/Berlin".into(),
            reminder_hours: "48,24,2".into(),
            reminder_channel: None,
        };
        assert_eq!(due_entries(&candidate, berlin(2026, 11, 30, 18, 0)), Vec::<u32>::new());
        // a reminder that fell due before a night is not written in it
        let moved = ReminderCandidate { created_at: berlin(2026, 11, 20, 9, 0), ..candidate.clone() };
        assert_eq!(due_entries(&moved, berlin(2026, 11, 30, 22, 30)), Vec::<u32>::new());
        assert_eq!(due_entries(&moved, berlin(2026, 12, 1, 8, 0)), vec![48, 24, 2]);
        assert_eq!(due_entries(&candidate, berlin(2026, 12, 1, 8, 0)), vec![2]);
    }
}
