//! Time already taken in a branch, laid out for quick questions: each staff member's busy
//! stretches (work phases and buffers of their appointments and holds, merged) and each
//! resource's use over time.

use super::plan::Plan;
use crate::domain::{Branch, ServiceId, StaffId};
use crate::store::BusyInterval;
use std::collections::HashMap;

/// Stretches `(start, end)` in Unix seconds, sorted by start, not overlapping.
pub(super) type Stretches = Vec<(i64, i64)>;

/// How many appointments use one resource from each instant (Unix seconds) on, until the next step.
#[derive(Debug, Default)]
struct Usage {
    steps: Vec<(i64, u32)>,
}

impl Usage {
    /// Builds the step function of a resource's uses.
    fn of(mut uses: Vec<(i64, i64)>) -> Self {
        let mut edges: Vec<(i64, i64)> = Vec::with_capacity(uses.len() * 2);
        for (start, end) in uses.drain(..) {
            edges.push((start, 1));
            edges.push((end, -1));
        }
        // ends before starts at the same instant: back-to-back uses do not overlap
        edges.sort_unstable();
        let mut steps: Vec<(i64, u32)> = Vec::with_capacity(edges.len());
        let mut count: i64 = 0;
        for (at, delta) in edges {
            count += delta;
            let level = u32::try_from(count.max(0)).unwrap_or(u32::MAX);
            match steps.last_mut() {
                Some(last) if last.0 == at => last.1 = level,
                _ => steps.push((at, level)),
            }
        }
        Self { steps }
    }

    /// The most uses at once anywhere in `[start, end)`.
    fn peak(&self, start: i64, end: i64) -> u32 {
        // the step in force at `start` (none: nothing was in use), then every step before `end`
        let first = self.steps.partition_point(|(at, _)| *at <= start).saturating_sub(1);
        self.steps[first..].iter().take_while(|(at, _)| *at < end).map(|(_, level)| *level).max().unwrap_or(0)
    }
}

/// A branch's taken time, ready for the slot engine.
#[derive(Debug, Default)]
pub struct Occupancy {
    busy: HashMap<Option<StaffId>, Stretches>,
    usage: Vec<Usage>,
}

impl Occupancy {
    /// Lays out `taken` (appointments and holds) by what their services occupy in `branch`.
    pub fn of(branch: &Branch, taken: &[BusyInterval]) -> Self {
        let mut busy: HashMap<Option<StaffId>, Stretches> = HashMap::new();
        let mut uses: Vec<Vec<(i64, i64)>> = vec![Vec::new(); branch.resources.len()];
        // one plan per service, not one per appointment
        let mut plans: HashMap<i64, Plan> = HashMap::new();
        let mut solid;
        for interval in taken {
            let length = interval.ends_at - interval.starts_at;
            let plan = match branch.service(ServiceId(interval.service_id)) {
                Some(service) if service.duration() == length => {
                    &*plans.entry(service.id.0).or_insert_with(|| Plan::of(service, branch))
                }
                _ => {
                    solid = Plan::solid(length);
                    &solid
                }
            };
            let at = interval.starts_at.timestamp();
            let stretches = busy.entry(interval.staff_id.map(StaffId)).or_default();
            stretches.extend(plan.secs.work.iter().map(|(a, b)| (at + a, at + b)));
            for (resource, from, to) in &plan.secs.holds {
                if let Some(list) = uses.get_mut(*resource) {
                    list.push((at + from, at + to));
                }
            }
        }
        for stretches in busy.values_mut() {
            merge(stretches);
        }
        Self { busy, usage: uses.into_iter().map(Usage::of).collect() }
    }

    /// The busy stretches of `who` (or, for `None`, of the branch itself), sorted and merged.
    pub(super) fn of_staff(&self, who: Option<StaffId>) -> &[(i64, i64)] {
        self.busy.get(&who).map(Vec::as_slice).unwrap_or_default()
    }

    /// Whether `resource` has room for one more use in `[start, end)` (Unix seconds).
    pub(super) fn room(&self, resource: usize, capacity: u32, start: i64, end: i64) -> bool {
        self.usage.get(resource).is_none_or(|usage| usage.peak(start, end) < capacity)
    }
}

/// Whether none of `work` (offsets from `at`) overlaps any of `stretches` (sorted, merged).
pub(super) fn clear_of(stretches: &[(i64, i64)], at: i64, work: &[(i64, i64)]) -> bool {
    work.iter().all(|(from, to)| {
        let (start, end) = (at + from, at + to);
        // the first stretch that ends after `start` is the only one that can overlap first
        let i = stretches.partition_point(|(_, e)| *e <= start);
        stretches.get(i).is_none_or(|(s, _)| *s >= end)
    })
}

/// Sorts stretches and merges those that overlap or touch.
fn merge(stretches: &mut Stretches) {
    stretches.sort_unstable();
    let mut out: Stretches = Vec::with_capacity(stretches.len());
    for &(start, end) in stretches.iter() {
        match out.last_mut() {
            Some(last) if last.1 >= start => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    *stretches = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    fn at(minute: i64) -> i64 {
        1_796_000_000 + minute * 60
    }

    #[test]
    fn usage_counts_overlaps_not_neighbours() {
        let usage = Usage::of(vec![(at(0), at(60)), (at(30), at(90)), (at(90), at(120))]);
        assert_eq!(usage.peak(at(0), at(30)), 1);
        assert_eq!(usage.peak(at(0), at(31)), 2);
        assert_eq!(usage.peak(at(60), at(90)), 1);
        assert_eq!(usage.peak(at(120), at(150)), 0);
        assert_eq!(usage.peak(at(-30), at(0)), 0);
        assert_eq!(usage.peak(at(100), at(110)), 1);
    }
}
