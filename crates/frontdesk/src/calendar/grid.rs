//! Free slots on a fixed grid from opening hours, a service's duration, the staff who perform
//! it and the time already taken. Pure and DST-correct: local times are turned into instants in
//! the tenant's zone, so a day with a skipped or repeated hour has exactly its real length.

use super::Slot;
use crate::domain::{OpeningHours, StaffId};
use crate::store::BusyInterval;
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Minutes between two possible starts.
pub const GRID_MINUTES: i64 = 15;

/// Which resources can perform the service: named staff, or the branch itself when none is named.
fn resources(staff: &[StaffId]) -> Vec<Option<StaffId>> {
    if staff.is_empty() {
        vec![None]
    } else {
        staff.iter().copied().map(Some).collect()
    }
}

/// The instant a local wall-clock time stands for. In a gap (spring forward) the first instant
/// after it; in a repeated hour (fall back) the earlier or later one as asked.
fn instant(tz: Tz, local: NaiveDateTime, later: bool) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(early, late) => if later { late } else { early }.with_timezone(&Utc),
        LocalResult::None => instant(tz, local + Duration::minutes(GRID_MINUTES), later),
    }
}

/// Free starts in `[from, to)` for a service of `duration` performed by one of `staff`.
#[allow(clippy::too_many_arguments)]
pub fn free_slots_on_grid(
    hours: &OpeningHours,
    tz: Tz,
    duration: Duration,
    staff: &[StaffId],
    busy: &[BusyInterval],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Slot> {
    let mut slots = Vec::new();
    let first_day = from.with_timezone(&tz).date_naive();
    let last_day = to.with_timezone(&tz).date_naive();
    let resources = resources(staff);
    let mut day: NaiveDate = first_day;
    while day <= last_day {
        for range in hours.on(chrono::Datelike::weekday(&day)) {
            let open = instant(tz, day.and_time(range.open), false);
            let close = if range.close == NaiveTime::from_hms_opt(23, 59, 59).expect("valid") {
                instant(tz, (day + Duration::days(1)).and_time(NaiveTime::MIN), false)
            } else {
                instant(tz, day.and_time(range.close), true)
            };
            let mut start = open;
            while start + duration <= close {
                let end = start + duration;
                if start >= from && start < to {
                    let free: Vec<Option<StaffId>> = resources
                        .iter()
                        .copied()
                        .filter(|who| {
                            !busy
                                .iter()
                                .any(|b| b.staff_id == who.map(|s| s.0) && b.starts_at < end && b.ends_at > start)
                        })
                        .collect();
                    if !free.is_empty() {
                        slots.push(Slot { start, end, staff: free.into_iter().flatten().collect() });
                    }
                }
                start += Duration::minutes(GRID_MINUTES);
            }
        }
        day += Duration::days(1);
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;
    use std::collections::BTreeMap;

    fn hours(day: &str, range: &str) -> OpeningHours {
        let map: BTreeMap<String, Vec<String>> = [(day.to_string(), vec![range.to_string()])].into();
        OpeningHours::parse(&map).unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn a_plain_day_has_its_grid() {
        // Monday 30 Nov 2026, 09:00-12:00 Berlin (UTC+1), 30-minute service: 09:00 … 11:30.
        let slots = free_slots_on_grid(
            &hours("mon", "09:00-12:00"),
            Berlin,
            Duration::minutes(30),
            &[],
            &[],
            utc(2026, 11, 30, 0, 0),
            utc(2026, 12, 1, 0, 0),
        );
        assert_eq!(slots.len(), 11);
        assert_eq!(slots[0].start, utc(2026, 11, 30, 8, 0));
        assert_eq!(slots.last().unwrap().end, utc(2026, 11, 30, 11, 0));
    }

    #[test]
    fn spring_forward_sunday_is_an_hour_shorter() {
        // Sunday 29 March 2026: 02:00 local does not exist. 00:00-06:00 local is 5 real hours.
        let slots = free_slots_on_grid(
            &hours("sun", "00:00-06:00"),
            Berlin,
            Duration::minutes(15),
            &[],
            &[],
            utc(2026, 3, 28, 0, 0),
            utc(2026, 3, 30, 0, 0),
        );
        assert_eq!(slots.len(), 20);
        assert_eq!(slots[0].start, utc(2026, 3, 28, 23, 0));
        assert_eq!(slots.last().unwrap().end, utc(2026, 3, 29, 4, 0));
        let locals: Vec<String> =
            slots.iter().map(|s| s.start.with_timezone(&Berlin).format("%H:%M").to_string()).collect();
        assert!(!locals.iter().any(|t| t.starts_with("02:")), "{locals:?}");
        assert!(slots.windows(2).all(|w| w[1].start - w[0].start == Duration::minutes(15)));
    }

    #[test]
    fn fall_back_sunday_is_an_hour_longer() {
        // Sunday 25 October 2026: 02:00-03:00 local happens twice. 00:00-06:00 local is 7 real hours.
        let slots = free_slots_on_grid(
            &hours("sun", "00:00-06:00"),
            Berlin,
            Duration::minutes(15),
            &[],
            &[],
            utc(2026, 10, 24, 0, 0),
            utc(2026, 10, 26, 0, 0),
        );
        assert_eq!(slots.len(), 28);
        assert_eq!(slots[0].start, utc(2026, 10, 24, 22, 0));
        assert_eq!(slots.last().unwrap().end, utc(2026, 10, 25, 5, 0));
        let twice =
            slots.iter().filter(|s| s.start.with_timezone(&Berlin).format("%H:%M").to_string() == "02:30").count();
        assert_eq!(twice, 2);
    }

    #[test]
    fn normal_business_hours_across_dst_keep_local_times() {
        // The Saturdays before and the Mondays after both changes open at 09:00 local.
        for (y, m, d) in [(2026, 3, 30), (2026, 10, 26)] {
            let slots = free_slots_on_grid(
                &hours("mon", "09:00-10:00"),
                Berlin,
                Duration::minutes(30),
                &[],
                &[],
                utc(y, m, d, 0, 0),
                utc(y, m, d, 23, 0),
            );
            assert_eq!(slots[0].start.with_timezone(&Berlin).format("%H:%M").to_string(), "09:00");
            assert_eq!(slots.len(), 3);
        }
    }

    #[test]
    fn busy_staff_leave_the_others_free() {
        let (maria, jonas) = (StaffId(1), StaffId(2));
        let busy =
            [BusyInterval { staff_id: Some(1), starts_at: utc(2026, 11, 30, 8, 0), ends_at: utc(2026, 11, 30, 9, 0) }];
        let slots = free_slots_on_grid(
            &hours("mon", "09:00-12:00"),
            Berlin,
            Duration::minutes(30),
            &[maria, jonas],
            &busy,
            utc(2026, 11, 30, 0, 0),
            utc(2026, 12, 1, 0, 0),
        );
        assert_eq!(slots[0].staff, vec![jonas]);
        let at_ten = slots.iter().find(|s| s.start == utc(2026, 11, 30, 9, 0)).unwrap();
        assert_eq!(at_ten.staff, vec![maria, jonas]);
        // With only Maria able to do it, 09:00-09:30 and 09:30-10:00 are gone.
        let only_maria = free_slots_on_grid(
            &hours("mon", "09:00-12:00"),
            Berlin,
            Duration::minutes(30),
            &[maria],
            &busy,
            utc(2026, 11, 30, 0, 0),
            utc(2026, 12, 1, 0, 0),
        );
        assert_eq!(only_maria[0].start, utc(2026, 11, 30, 9, 0));
    }
}
