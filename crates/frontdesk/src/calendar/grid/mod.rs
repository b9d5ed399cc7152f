//! The slot engine (DESIGN §13): free starts from the branch's opening hours, each staff
//! member's working hours, breaks and absences, closures and public holidays, what services
//! occupy (work and wait phases, buffers, resources) and the time already taken. Pure and
//! DST-correct: local times are turned into instants in the tenant's zone, so a day with a
//! skipped or repeated hour has exactly its real length.

mod occupancy;
mod plan;
#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod properties;

pub use occupancy::Occupancy;
pub use plan::Plan;
use plan::PlanSecs;

use super::Slot;
use crate::domain::{BranchContext, Staff, StaffId, TimeRange};
use crate::store::BusyInterval;
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Minutes between two possible starts when a service sets no interval.
pub const GRID_MINUTES: i64 = crate::domain::DEFAULT_SLOT_INTERVAL_MINUTES as i64;

/// What is asked of the engine: starts in `[from, to)` of a plan performed by one of `staff`.
#[derive(Debug, Clone, Copy)]
pub struct SlotQuestion<'a> {
    /// Branch and company (zone, hours, staff schedules, resources, closures, region).
    pub tenant: &'a BranchContext,
    /// What the booking occupies.
    pub plan: &'a Plan,
    /// Who may perform it; empty when it is not tied to people (the branch itself is booked).
    pub staff: &'a [StaffId],
    /// First start asked about.
    pub from: DateTime<Utc>,
    /// Starts before this.
    pub to: DateTime<Utc>,
    /// No start before this (the notice period).
    pub earliest: DateTime<Utc>,
    /// Starts every this long from each opening.
    pub interval: Duration,
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

/// A local range of `day` as instants (`24:00` is the next midnight), as the engine counts it:
/// the console's day view and the Cal.com presence filter use the same reading.
pub fn instants(tz: Tz, day: NaiveDate, range: &TimeRange) -> (DateTime<Utc>, DateTime<Utc>) {
    let open = instant(tz, day.and_time(range.open), false);
    let close = if range.close == NaiveTime::from_hms_opt(23, 59, 59).expect("valid") {
        instant(tz, (day + Duration::days(1)).and_time(NaiveTime::MIN), false)
    } else {
        instant(tz, day.and_time(range.close), true)
    };
    (open, close)
}

/// A local range of `day` as Unix seconds.
fn seconds(tz: Tz, day: NaiveDate, range: &TimeRange) -> (i64, i64) {
    let (open, close) = instants(tz, day, range);
    (open.timestamp(), close.timestamp())
}

/// One staff member's day, in Unix seconds: where they work (`None`: the branch's hours), their
/// breaks and absences touching it, and their busy stretches.
struct StaffDay<'a> {
    id: StaffId,
    working: Option<Vec<(i64, i64)>>,
    away: Vec<(i64, i64)>,
    busy: &'a [(i64, i64)],
}

impl<'a> StaffDay<'a> {
    fn of(person: &Staff, tz: Tz, day: NaiveDate, taken: &'a Occupancy) -> Self {
        let weekday = day.weekday();
        let working = person.working_hours.as_ref().map(|h| h.on(weekday).iter().map(|r| seconds(tz, day, r)).collect());
        let mut away: Vec<(i64, i64)> = person.breaks.on(weekday).iter().map(|r| seconds(tz, day, r)).collect();
        // absences near this day (a plan's buffers reach at most a few hours beyond it)
        let midnight = instant(tz, day.and_time(NaiveTime::MIN), false);
        let (from, to) = (midnight - Duration::days(1), midnight + Duration::days(2));
        away.extend(
            person.absences.iter().filter(|a| a.overlaps(from, to)).map(|a| (a.starts_at.timestamp(), a.ends_at.timestamp())),
        );
        Self { id: person.id, working, away, busy: taken.of_staff(Some(person.id)) }
    }

    /// Whether they can take the plan at `start`: the customer's time inside their working
    /// hours, the whole span (buffers included) clear of breaks and absences, their work clear
    /// of their other appointments' work.
    fn can_take(&self, plan: &PlanSecs, start: i64) -> bool {
        let end = start + plan.length;
        if let Some(working) = &self.working {
            if !working.iter().any(|(open, close)| *open <= start && end <= *close) {
                return false;
            }
        }
        let (from, to) = (start - plan.lead, start + plan.reach);
        if self.away.iter().any(|(s, e)| *s < to && *e > from) {
            return false;
        }
        occupancy::clear_of(self.busy, start, &plan.work)
    }
}

/// Whether every resource the plan holds at `start` has room.
fn resources_free(tenant: &BranchContext, plan: &PlanSecs, start: i64, taken: &Occupancy) -> bool {
    let resources = &tenant.branch.resources;
    plan.holds
        .iter()
        .all(|(r, from, to)| resources.get(*r).is_none_or(|res| taken.room(*r, res.capacity, start + from, start + to)))
}

/// Free starts of the question, sorted, each with the staff free for it.
pub fn free_slots(question: &SlotQuestion<'_>, taken: &[BusyInterval]) -> Vec<Slot> {
    let SlotQuestion { tenant, plan, staff, from, to, earliest, interval } = *question;
    let tz = tenant.company.timezone;
    let occupancy = Occupancy::of(&tenant.branch, taken);
    let people: Vec<&Staff> = staff.iter().filter_map(|id| tenant.branch.staff_member(*id)).collect();
    let step = interval.num_seconds().max(60);
    let secs = &plan.secs;
    // starts are whole seconds: the first at or after both `from` and `earliest`
    let first = from.max(earliest).timestamp() + i64::from(from.max(earliest).timestamp_subsec_nanos() > 0);
    let last = to.timestamp() + i64::from(to.timestamp_subsec_nanos() > 0);
    let branch_busy = occupancy.of_staff(None);
    let first_day = from.with_timezone(&tz).date_naive();
    let last_day = to.with_timezone(&tz).date_naive();
    let closed = tenant.closed_days(first_day, last_day);
    let mut slots = Vec::new();
    for day in first_day.iter_days().take_while(|d| *d <= last_day) {
        let ranges = tenant.branch.opening_hours.on(day.weekday());
        if ranges.is_empty() || closed.binary_search(&day).is_ok() {
            continue;
        }
        let days: Vec<StaffDay> = people.iter().map(|p| StaffDay::of(p, tz, day, &occupancy)).collect();
        for range in ranges {
            let (open, close) = seconds(tz, day, range);
            let mut start = open;
            while start + secs.length <= close {
                if start >= first && start < last && resources_free(tenant, secs, start, &occupancy) {
                    let free: Vec<StaffId> = if staff.is_empty() {
                        Vec::new()
                    } else {
                        days.iter().filter(|d| d.can_take(secs, start)).map(|d| d.id).collect()
                    };
                    let unstaffed_free = staff.is_empty() && occupancy::clear_of(branch_busy, start, &secs.work);
                    if !free.is_empty() || unstaffed_free {
                        let at = DateTime::from_timestamp(start, 0).expect("an instant of the calendar");
                        slots.push(Slot { start: at, end: at + plan.length, staff: free });
                    }
                }
                start += step;
            }
        }
    }
    slots.sort_by_key(|s| s.start);
    slots
}

#[cfg(test)]
mod tests {
    use super::fixtures::{free_slots_on_grid, hours, utc};
    use super::*;
    use crate::store::BusyInterval;
    use chrono_tz::Europe::Berlin;

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
            [BusyInterval { staff_id: Some(1), service_id: 99, starts_at: utc(2026, 11, 30, 8, 0), ends_at: utc(2026, 11, 30, 9, 0) }];
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
