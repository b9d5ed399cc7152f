//! Cal.com as a calendar provider: the API v2 client with its breaker, rate limiter and
//! deadlines, and the `CalendarProvider` that reads a whole availability window in one request.

mod breaker;
mod client;
mod limiter;
pub mod wire;

pub use breaker::Phase as BreakerPhase;
pub use client::{account_label, CalcomClient, CalcomSettings, Deadlines};

use super::{CalendarError, CalendarProvider, Slot, SlotQuery};
use crate::domain::Secret;
use chrono::{Duration, Utc};
use futures_util::future::BoxFuture;
use std::sync::Arc;

/// Availability from Cal.com, for tenants whose calendar is `calcom`.
#[derive(Debug, Clone)]
pub struct CalcomCalendar {
    client: Arc<CalcomClient>,
    default_key: Option<Secret>,
}

impl CalcomCalendar {
    /// A provider over `client`, using `default_key` for tenants without their own.
    pub fn new(client: Arc<CalcomClient>, default_key: Option<Secret>) -> Self {
        Self { client, default_key }
    }

    /// The client (bookings use it directly).
    pub fn client(&self) -> &Arc<CalcomClient> {
        &self.client
    }
}

impl CalendarProvider for CalcomCalendar {
    fn name(&self) -> &'static str {
        "calcom"
    }

    fn free_slots<'a>(&'a self, query: SlotQuery<'a>) -> BoxFuture<'a, Result<Vec<Slot>, CalendarError>> {
        Box::pin(async move {
            let key = query
                .company
                .calcom_api_key
                .as_ref()
                .or(self.default_key.as_ref())
                .ok_or_else(|| CalendarError::Invalid("no Cal.com API key for this tenant".into()))?;
            // A staff member with their own event type is read there; otherwise the service's.
            let own = query.staff.filter(|_| query.branch.calcom_staff_mapped(query.service, query.staff));
            let event_type = query.branch.calcom_event(query.service, own).ok_or_else(|| {
                CalendarError::Invalid(format!("service {:?} has no Cal.com event type", query.service.name))
            })?;
            let days = self.client.slots(key, event_type, query.from, query.to, query.company.timezone).await?;
            let length = Duration::minutes(i64::from(query.service.duration_minutes));
            // On the service's event type Cal.com assigns the host: slots carry no staff of ours.
            let staff: Vec<_> = own.into_iter().collect();
            let mut slots: Vec<Slot> = days
                .into_values()
                .flatten()
                .map(|item| item.start.with_timezone(&Utc))
                .filter(|start| *start >= query.from && *start < query.to)
                .map(|start| Slot { start, end: start + length, staff: staff.clone() })
                .collect();
            slots.sort_by_key(|s| s.start);
            slots.dedup_by_key(|s| s.start);
            Ok(slots)
        })
    }
}
