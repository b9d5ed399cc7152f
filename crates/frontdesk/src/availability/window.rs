//! A window: the free slots of one (calendar account, event type) for the next 14 days.

use crate::calendar::Slot;
use crate::domain::{CalendarKind, StaffId};
use chrono::{DateTime, Duration, Utc};

/// How far a window reaches (DESIGN §8).
pub const WINDOW_DAYS: i64 = 14;

/// What a window belongs to: a Cal.com account and event type, or an embedded-calendar branch
/// and service.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WindowKey {
    /// Which calendar.
    pub calendar: CalendarKind,
    /// Cal.com account label (a hash of the key) or the branch id.
    pub account: String,
    /// Cal.com event type id or the service id.
    pub event: i64,
    /// 0 for the rolling window of the next 14 days; otherwise the fixed 14-day block of days
    /// further ahead (see [`block_of`]) that a far question was about.
    pub block: i64,
}

impl WindowKey {
    /// The rolling window of an account's event type (or a branch's service).
    pub fn near(calendar: CalendarKind, account: String, event: i64) -> Self {
        Self { calendar, account, event, block: 0 }
    }

    /// The far block `block` of the same event type.
    pub fn far(&self, block: i64) -> Self {
        Self { block, ..self.clone() }
    }

    /// The range this key's window covers when fetched at `now`.
    pub fn range(&self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        match self.block {
            0 => Window::range_from(now),
            block => block_range(block),
        }
    }
}

/// The fixed 14-day block (counted from the Unix epoch, UTC days) an instant falls in; never 0
/// for instants after 1970-01-14, so it cannot be mistaken for the rolling window.
pub fn block_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(86_400 * WINDOW_DAYS)
}

/// The instants a far block covers.
pub fn block_range(block: i64) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = DateTime::<Utc>::UNIX_EPOCH + Duration::days(block * WINDOW_DAYS);
    (start, start + Duration::days(WINDOW_DAYS))
}

/// Free slots fetched in one request, and when.
#[derive(Debug, Clone)]
pub struct Window {
    /// Sorted free slots.
    pub slots: Vec<Slot>,
    /// Covered range start.
    pub from: DateTime<Utc>,
    /// Covered range end.
    pub to: DateTime<Utc>,
    /// When it was fetched.
    pub fetched_at: DateTime<Utc>,
}

impl Window {
    /// Whether `[from, to)` lies inside the window (allowing for the window's age at its far end).
    pub fn covers(&self, from: DateTime<Utc>, to: DateTime<Utc>, slack: Duration) -> bool {
        from >= self.from - slack && to <= self.to + slack
    }

    /// The window with `[start, end)` taken for `staff` (or for everyone when `None`): slots that
    /// overlap lose that person, and disappear when nobody is left.
    pub fn without(&self, start: DateTime<Utc>, end: DateTime<Utc>, staff: Option<StaffId>) -> Self {
        let slots = self
            .slots
            .iter()
            .filter_map(|slot| {
                if slot.start >= end || slot.end <= start {
                    return Some(slot.clone());
                }
                match staff {
                    Some(person) if slot.staff.len() > 1 || (slot.staff.len() == 1 && slot.staff[0] != person) => {
                        let staff: Vec<StaffId> = slot.staff.iter().copied().filter(|s| *s != person).collect();
                        Some(Slot { staff, ..slot.clone() })
                    }
                    _ => None,
                }
            })
            .collect();
        Self { slots, ..self.clone() }
    }

    /// Age at `now`.
    pub fn age(&self, now: DateTime<Utc>) -> Duration {
        now - self.fetched_at
    }

    /// A window reaching `WINDOW_DAYS` from `now`.
    pub fn range_from(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        (now, now + Duration::days(WINDOW_DAYS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn slot(h: u32, staff: &[i64]) -> Slot {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap();
        Slot { start, end: start + Duration::minutes(30), staff: staff.iter().map(|s| StaffId(*s)).collect() }
    }

    #[test]
    fn taking_time_removes_people_then_slots() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let window = Window {
            slots: vec![slot(9, &[1, 2]), slot(10, &[1]), slot(11, &[])],
            from: now,
            to: now + Duration::days(14),
            fetched_at: now,
        };
        let at = |h| Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap();
        let after = window.without(at(9), at(11), Some(StaffId(1)));
        assert_eq!(after.slots.len(), 2);
        assert_eq!(after.slots[0].staff, vec![StaffId(2)]);
        assert_eq!(after.slots[1].start, at(11));
        let everyone = window.without(at(11), at(12), None);
        assert_eq!(everyone.slots.len(), 2);
    }
}
