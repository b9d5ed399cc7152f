use super::{free_slots, CalendarError, CalendarProvider, Plan, Slot, SlotQuery, SlotQuestion};
use crate::clock::Clock;
use crate::store::Store;
use crate::telemetry::{CALENDAR_DURATION, CALENDAR_REQUESTS};
use chrono::Duration;
use futures_util::future::BoxFuture;
use std::sync::Arc;

/// The embedded calendar: opening hours and staff from the tenants file, appointments and live
/// slot holds from the database.
#[derive(Debug, Clone)]
pub struct LocalCalendar {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl LocalCalendar {
    /// A calendar over this database; `clock` tells which holds are still live.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }
}

impl CalendarProvider for LocalCalendar {
    fn name(&self) -> &'static str {
        "local"
    }

    fn free_slots<'a>(&'a self, query: SlotQuery<'a>) -> BoxFuture<'a, Result<Vec<Slot>, CalendarError>> {
        Box::pin(async move {
            let started = std::time::Instant::now();
            let (from, to) = (query.from - Duration::days(1), query.to + Duration::days(1));
            // Time held for a call (on any instance) is taken for everyone else.
            let tenant = query.tenant;
            let busy = self.store.busy_intervals(tenant.branch.id, from, to, self.clock.now()).await;
            let status = if busy.is_ok() { "ok" } else { "error" };
            metrics::histogram!(CALENDAR_DURATION, "provider" => "local", "endpoint" => "slots")
                .record(started.elapsed().as_secs_f64());
            metrics::counter!(CALENDAR_REQUESTS, "provider" => "local", "endpoint" => "slots", "status" => status)
                .increment(1);
            let busy = busy.map_err(|e| CalendarError::Unavailable(e.to_string()))?;
            let staff: Vec<_> = match query.staff {
                Some(wanted) => vec![wanted],
                None => tenant.branch.staff_for(query.service.id).map(|s| s.id).collect(),
            };
            let plan = Plan::of(query.service, &tenant.branch);
            // The window holds every start; the notice is applied when it is read (it moves with now).
            let question = SlotQuestion {
                tenant,
                plan: &plan,
                staff: &staff,
                from: query.from,
                to: query.to,
                earliest: query.from,
                interval: query.service.interval(),
            };
            Ok(free_slots(&question, &busy))
        })
    }
}
