//! Several services back to back ("Schnitt und Bart", DESIGN §13), composed from the windows of
//! each service: a start is free when every service is free at its place in the sequence. Staff
//! free for all of them are preferred (one person does everything); otherwise each service has
//! someone free of its own, and the booking chooses per service.

use super::{Availability, Freshness, SlotsRead};
use crate::calendar::{CalendarError, Slot};
use crate::domain::{BranchContext, Service, StaffId};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

impl Availability {
    /// Free starts in `[from, to)` of `services` one after another (with `staff` for all, when
    /// asked). A slot's staff are those free for every service; empty when different people would
    /// do them (or the calendar assigns hosts).
    pub async fn chain_slots(
        &self,
        tenant: &Arc<BranchContext>,
        services: &[&Service],
        staff: Option<StaffId>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<SlotsRead, CalendarError> {
        let total: Duration = services.iter().map(|s| s.duration()).fold(Duration::zero(), |a, b| a + b);
        let mut reads = Vec::with_capacity(services.len());
        let mut freshness = Some(Freshness::Hit);
        for service in services {
            let read = self.slots(tenant, service, staff, from, to + total).await?;
            if freshness == Some(Freshness::Hit) {
                freshness = read.freshness;
            }
            reads.push(read.slots);
        }
        let Some((first, rest)) = reads.split_first() else { return Ok(SlotsRead { slots: Vec::new(), freshness }) };
        let offsets: Vec<Duration> = services
            .iter()
            .scan(Duration::zero(), |at, s| {
                let offset = *at;
                *at += s.duration();
                Some(offset)
            })
            .skip(1)
            .collect();
        let slots = first
            .iter()
            .filter(|s| s.start < to)
            .filter_map(|head| {
                let mut common = head.staff.clone();
                for (slots, offset) in rest.iter().zip(&offsets) {
                    let at = head.start + *offset;
                    let i = slots.partition_point(|s| s.start < at);
                    let part = slots.get(i).filter(|s| s.start == at)?;
                    common.retain(|p| part.staff.contains(p));
                }
                Some(Slot { start: head.start, end: head.start + total, staff: common })
            })
            .collect();
        Ok(SlotsRead { slots, freshness })
    }
}
