//! What a booking occupies, relative to its start: the staff member's work (phases and
//! buffers), the customer's waits, and the resources held.

use crate::domain::{Branch, Phase, Service};
use chrono::{DateTime, Duration, Utc};

/// One stretch of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Offset of its start from the booking's start (negative for a buffer before).
    pub from: Duration,
    /// Offset of its end.
    pub to: Duration,
    /// Whether the staff member is busy in it (work and buffers; not a wait).
    pub works: bool,
    /// Indexes into the branch's resources that it holds.
    pub resources: Vec<usize>,
}

/// The shape of a booking: its parts and the customer's time `[0, length)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Parts in time order, without gaps from the first to the last.
    pub parts: Vec<Part>,
    /// The customer's time: the appointment as the caller experiences it.
    pub length: Duration,
    /// The staff member's busy stretches as offsets, merged (computed once: the engine asks for
    /// them at every start of every staff member).
    work: Vec<(Duration, Duration)>,
    /// The same in seconds, and the span's reach before and after the start in seconds: the
    /// engine's inner loop counts in whole seconds.
    pub(super) secs: PlanSecs,
}

/// A plan's offsets in seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PlanSecs {
    /// Busy stretches, merged.
    pub work: Vec<(i64, i64)>,
    /// Resources held: index, from, to.
    pub holds: Vec<(usize, i64, i64)>,
    /// The customer's time.
    pub length: i64,
    /// How far the span reaches before the start.
    pub lead: i64,
    /// How far the span reaches after the start (length and buffer after).
    pub reach: i64,
}

impl Plan {
    /// The plan of one service in a branch: its buffer before, its phases (each holding the
    /// service's resources), its buffer after.
    pub fn of(service: &Service, branch: &Branch) -> Self {
        Self::placed(service, branch, Duration::zero(), true, true)
    }

    /// Services one after another by the same staff member (DESIGN §13, "Schnitt und Bart"):
    /// the first one's buffer before and the last one's buffer after frame them; between them
    /// the staff member goes straight on.
    pub fn chain(services: &[&Service], branch: &Branch) -> Self {
        let mut parts = Vec::new();
        let mut at = Duration::zero();
        for (i, service) in services.iter().enumerate() {
            let placed = Self::placed(service, branch, at, i == 0, i + 1 == services.len());
            parts.extend(placed.parts);
            at += service.duration();
        }
        Self::new(parts, at)
    }

    /// A plan of these parts, with its merged work stretches.
    fn new(parts: Vec<Part>, length: Duration) -> Self {
        let mut work: Vec<(Duration, Duration)> = Vec::with_capacity(parts.len());
        for part in parts.iter().filter(|p| p.works) {
            match work.last_mut() {
                Some(last) if last.1 >= part.from => last.1 = last.1.max(part.to),
                _ => work.push((part.from, part.to)),
            }
        }
        let secs = PlanSecs {
            work: work.iter().map(|(a, b)| (a.num_seconds(), b.num_seconds())).collect(),
            holds: parts
                .iter()
                .flat_map(|p| p.resources.iter().map(move |r| (*r, p.from.num_seconds(), p.to.num_seconds())))
                .collect(),
            length: length.num_seconds(),
            lead: parts.first().map_or(0, |p| (-p.from.num_seconds()).max(0)),
            reach: parts.last().map_or(length.num_seconds(), |p| p.to.num_seconds().max(length.num_seconds())),
        };
        Self { parts, length, work, secs }
    }

    /// A service's parts shifted by `at`, with its buffers where asked.
    fn placed(service: &Service, branch: &Branch, at: Duration, before: bool, after: bool) -> Self {
        let resources: Vec<usize> = service
            .resources
            .iter()
            .filter_map(|name| branch.resources.iter().position(|r| &r.name == name))
            .collect();
        let mut parts = Vec::new();
        let minutes = |m: u32| Duration::minutes(i64::from(m));
        if before && service.buffer_before_minutes > 0 {
            let from = at - minutes(service.buffer_before_minutes);
            parts.push(Part { from, to: at, works: true, resources: Vec::new() });
        }
        let mut offset = at;
        for phase in service.phases().iter() {
            let to = offset + minutes(phase.minutes());
            parts.push(Part { from: offset, to, works: matches!(phase, Phase::Work(_)), resources: resources.clone() });
            offset = to;
        }
        if after && service.buffer_after_minutes > 0 {
            let to = offset + minutes(service.buffer_after_minutes);
            parts.push(Part { from: offset, to, works: true, resources: Vec::new() });
        }
        Self::new(parts, offset - at)
    }

    /// One work stretch of `length` holding nothing: an appointment whose recorded time no
    /// longer matches its service (or whose service is gone) counts as busy throughout.
    pub fn solid(length: Duration) -> Self {
        Self::new(vec![Part { from: Duration::zero(), to: length, works: true, resources: Vec::new() }], length)
    }

    /// How far before the start the plan reaches (its buffer before).
    pub fn lead(&self) -> Duration {
        self.parts.first().map_or(Duration::zero(), |p| -p.from.min(Duration::zero()))
    }

    /// How far after the customer's time it reaches (its buffer after).
    pub fn tail(&self) -> Duration {
        self.parts.last().map_or(Duration::zero(), |p| (p.to - self.length).max(Duration::zero()))
    }

    /// Everything it touches when started at `start`: buffers included.
    pub fn span(&self, start: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        (start - self.lead(), start + self.length + self.tail())
    }

    /// The instants in which the staff member is busy when started at `start`, merged.
    pub fn work_at(&self, start: DateTime<Utc>) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        self.work.iter().map(move |(from, to)| (start + *from, start + *to))
    }

    /// The resources it holds, each with the instants, when started at `start`.
    pub fn resources_at(&self, start: DateTime<Utc>) -> impl Iterator<Item = (usize, DateTime<Utc>, DateTime<Utc>)> + '_ {
        self.parts.iter().flat_map(move |p| p.resources.iter().map(move |r| (*r, start + p.from, start + p.to)))
    }

    /// Whether it holds any resource at all.
    pub fn needs_resources(&self) -> bool {
        self.parts.iter().any(|p| !p.resources.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OpeningHours, Resource, ServiceId};

    fn colour() -> Service {
        Service {
            phases: vec![Phase::Work(30), Phase::Wait(35), Phase::Work(25)],
            buffer_after_minutes: 10,
            resources: vec!["Farbplatz".into()],
            ..Service::plain(ServiceId(1), "Färben", 90)
        }
    }

    fn branch() -> Branch {
        Branch {
            id: crate::domain::BranchId(1),
            name: "B".into(),
            phone_numbers: vec![],
            opening_hours: OpeningHours::default(),
            services: vec![],
            staff: vec![],
            closures: vec![],
            retell_agent_ids: vec![],
            resources: vec![Resource { name: "Farbplatz".into(), capacity: 1 }],
        }
    }

    #[test]
    fn a_colour_works_waits_works_and_cleans() {
        let plan = Plan::of(&colour(), &branch());
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let work: Vec<_> = plan.work_at(start).map(|(a, b)| ((a - start).num_minutes(), (b - start).num_minutes())).collect();
        assert_eq!(work, vec![(0, 30), (65, 100)]);
        assert_eq!(plan.length, Duration::minutes(90));
        assert_eq!(plan.tail(), Duration::minutes(10));
        let held: Vec<_> = plan.resources_at(start).map(|(r, a, b)| (r, (b - a).num_minutes())).collect();
        assert_eq!(held, vec![(0, 30), (0, 35), (0, 25)]);
    }

    #[test]
    fn a_chain_goes_straight_on() {
        let cut = Service { buffer_before_minutes: 5, buffer_after_minutes: 5, ..Service::plain(ServiceId(2), "Schnitt", 30) };
        let beard = Service { buffer_after_minutes: 10, ..Service::plain(ServiceId(3), "Bart", 20) };
        let plan = Plan::chain(&[&cut, &beard], &branch());
        assert_eq!(plan.length, Duration::minutes(50));
        assert_eq!((plan.lead(), plan.tail()), (Duration::minutes(5), Duration::minutes(10)));
        let start = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(plan.work_at(start).count(), 1, "one stretch of work from -5 to 60");
    }
}
