//! Several services back to back in one booking ("Schnitt und Bart", DESIGN §13): one
//! idempotency key for the whole booking, one staff member for all where one can do them, the
//! rows written together as linked appointments, and an outside calendar's parts undone when a
//! later part fails — never half a booking.

use super::{idempotency_key, Booker, BookingOutcome, BookingRequest, FreeStaff, LOCK_WAIT};
use crate::calendar::{free_slots, CalendarError, CalendarProvider, NewEntry, Plan, SlotQuestion};
use crate::domain::{BranchContext, Service, StaffId};
use crate::store::{AppointmentStatus, BusyInterval, NewAppointment, StoreError};
use chrono::{DateTime, Duration, Utc};

/// One service of a booking or hold: what, when, with whom.
#[derive(Debug, Clone)]
pub(super) struct Part {
    /// The service.
    pub service: Service,
    /// Its start.
    pub start: DateTime<Utc>,
    /// Who does it (`None`: the calendar's shared one).
    pub staff: Option<StaffId>,
}

impl Booker {
    /// Books the request's service and the services after it back to back.
    pub(super) async fn book_linked(&self, request: &BookingRequest) -> Result<BookingOutcome, StoreError> {
        let tenant = &request.tenant;
        let services: Vec<Service> = std::iter::once(request.service)
            .chain(request.more.iter().copied())
            .map(|id| tenant.branch.service(id).cloned().expect("the services belong to the branch"))
            .collect();
        let more: Vec<String> = request.more.iter().map(|s| s.0.to_string()).collect();
        let group = format!("{}+{}", idempotency_key(tenant.company.id, &request.call_id, request.service, request.start), more.join("+"));
        let key = |i: usize| format!("{group}#{i}");
        if let Some(done) = self.store.appointment_by_key(&key(0)).await? {
            return self.linked_outcome(done, true).await;
        }
        let call_lock = format!("call:{}:{}", tenant.company.id, request.call_id);
        let Some(_call_guard) = self.locks.lock(&call_lock, LOCK_WAIT).await else { return Ok(BookingOutcome::Taken) };
        if request.source() == crate::store::AppointmentSource::Phone {
            if let Some(limit) = self.limit_reached(request).await? {
                return Ok(BookingOutcome::Refused(limit.counted()));
            }
        }
        let calendar = match self.calendar(tenant) {
            Ok(calendar) => calendar,
            Err(error) => return Ok(BookingOutcome::Failed(error)),
        };
        // The call's own hold of this very sequence keeps it for the call, as with one service:
        // on an outside calendar it waits on no lock and is not asked again.
        let own = self.own_sequence(tenant, &request.call_id, &services, request.start).await?;
        let _guard = match (&own, calendar.external()) {
            (Some(_), true) => None,
            _ => {
                let lock_key = calendar.lock_scope(tenant, &services[0], request.staff, request.start);
                let Some(guard) = self.locks.lock(&lock_key, LOCK_WAIT).await else { return Ok(BookingOutcome::Taken) };
                if let Some(done) = self.store.appointment_by_key(&key(0)).await? {
                    return self.linked_outcome(done, true).await;
                }
                Some(guard)
            }
        };
        let earliest = self.earliest(tenant, &services[0], request.source());
        let (start, staff) = (request.start, request.staff);
        let parts = match (&own, calendar.external()) {
            (Some(held), true) => Some(
                held.iter().zip(&services).map(|(h, s)| Part { service: s.clone(), start: h.start, staff: h.staff }).collect(),
            ),
            (Some(_), false) => {
                // the hold goes from the database now, so the engine sees everything else; it
                // was far enough ahead when it was made, so the notice is not asked again
                self.store.take_hold(tenant.company.id, &request.call_id).await?;
                self.parts_here(tenant, &services, start, staff, earliest.min(start)).await?
            }
            (None, true) => self.parts_outside(&*calendar, tenant, &services, start, staff, earliest).await?,
            (None, false) => self.parts_here(tenant, &services, start, staff, earliest).await?,
        };
        let Some(parts) = parts else { return Ok(BookingOutcome::Taken) };
        let rows = self.linked_rows(request, &parts, calendar.external(), &key);
        let ids = match self.store.insert_appointments(&rows, Some(&group)).await {
            Ok(ids) => ids,
            Err(error) => {
                return match self.store.appointment_by_key(&key(0)).await? {
                    Some(done) => self.linked_outcome(done, true).await,
                    None if error.is_unique_violation() => Ok(BookingOutcome::Taken),
                    None => Err(error),
                }
            }
        };
        if calendar.external() {
            if let Err(outcome) = self.claim_outside(&*calendar, request, own.is_some(), &parts, &ids).await? {
                return Ok(outcome);
            }
        }
        for part in &parts {
            let window = self.availability.key(tenant, &part.service, part.staff);
            self.availability.taken(&window, part.start, part.start + part.service.duration(), part.staff);
        }
        let first = self.store.appointment_by_key(&key(0)).await?.expect("just written");
        self.linked_outcome(first, false).await
    }

    /// The rows of a linked booking, one per part, under the group's keys (`key(i)`): pending on
    /// an outside calendar until it confirms them.
    fn linked_rows(
        &self,
        request: &BookingRequest,
        parts: &[Part],
        external: bool,
        key: &dyn Fn(usize) -> String,
    ) -> Vec<NewAppointment> {
        let status = if external { AppointmentStatus::Pending } else { AppointmentStatus::Booked };
        parts
            .iter()
            .enumerate()
            .map(|(i, part)| NewAppointment {
                idempotency_key: key(i),
                company_id: request.tenant.company.id,
                branch_id: request.tenant.branch.id,
                customer_id: request.customer_id,
                service_id: part.service.id.0,
                staff_id: part.staff.map(|s| s.0),
                call_id: request.call_row_id,
                starts_at: part.start,
                ends_at: part.start + part.service.duration(),
                status,
                notes: request.notes.clone(),
                source: request.source(),
                created_at: self.availability.now(),
                by: request.by.clone(),
            })
            .collect()
    }

    /// On an outside calendar, once our rows claim the time: the call's own hold goes (or, with
    /// none, another call's overlapping claim wins and our rows go), then every part is written
    /// there. `Err` carries the answer when the sequence cannot stand.
    async fn claim_outside(
        &self,
        calendar: &dyn CalendarProvider,
        request: &BookingRequest,
        held: bool,
        parts: &[Part],
        ids: &[crate::domain::AppointmentId],
    ) -> Result<Result<(), BookingOutcome>, StoreError> {
        let tenant = &request.tenant;
        let mut reservations = Vec::new();
        if held {
            // our rows claim the time now: the hold can go (its reservations after the write)
            let held = self.store.take_hold(tenant.company.id, &request.call_id).await?;
            reservations.extend(held.into_iter().filter_map(|h| h.reservation_uid));
        } else {
            // asked after our rows are written, as for one service: racing calls see each other
            for part in parts {
                let call = super::Asking::Call(request.call_id.as_str());
                if self.held_by_another_call(calendar, tenant, call, &part.service, part.staff, part.start).await? {
                    for id in ids {
                        self.store.delete_appointment(*id).await?;
                    }
                    return Ok(Err(BookingOutcome::Taken));
                }
            }
        }
        let written = self.write_parts(calendar, request, parts, ids).await?;
        for uid in reservations {
            self.release_reservation_behind(tenant, uid);
        }
        Ok(written)
    }

    /// The booked outcome of a linked booking from its first row.
    async fn linked_outcome(&self, first: crate::store::Appointment, repeated: bool) -> Result<BookingOutcome, StoreError> {
        let all = self.store.linked_appointments(&first).await?;
        let linked = all.into_iter().filter(|a| a.id != first.id).collect();
        Ok(match first.status {
            AppointmentStatus::Booked => BookingOutcome::Booked { appointment: first, repeated, linked },
            _ => BookingOutcome::Unconfirmed(first),
        })
    }

    /// The parts in the embedded calendar, checked with the slot engine over the database: one
    /// staff member for all when one (the one asked for, else anyone able) is free for the
    /// whole sequence; else each service with whoever is free for it, later parts seeing the
    /// earlier ones as taken. `None` when the sequence cannot be had.
    pub(super) async fn parts_here(
        &self,
        tenant: &BranchContext,
        services: &[Service],
        start: DateTime<Utc>,
        staff: Option<StaffId>,
        earliest: DateTime<Utc>,
    ) -> Result<Option<Vec<Part>>, StoreError> {
        let refs: Vec<&Service> = services.iter().collect();
        let chain = Plan::chain(&refs, &tenant.branch);
        let (from, to) = chain.span(start);
        let now = self.availability.now();
        let mut busy = self.store.busy_intervals(tenant.branch.id, from - Duration::days(1), to + Duration::days(1), now).await?;
        let starts: Vec<DateTime<Utc>> = services
            .iter()
            .scan(start, |at, s| {
                let start = *at;
                *at += s.duration();
                Some(start)
            })
            .collect();
        let able: Vec<StaffId> = match staff {
            Some(person) => vec![person],
            None => tenant.branch.staff.iter().filter(|p| services.iter().all(|s| p.services.contains(&s.id))).map(|p| p.id).collect(),
        };
        let ask = |plan: &Plan, staff: &[StaffId], start: DateTime<Utc>, busy: &[BusyInterval], interval: Duration| {
            let question = SlotQuestion { tenant, plan, staff, from: start, to: start + Duration::minutes(1), earliest, interval };
            free_slots(&question, busy).into_iter().find(|s| s.start == start)
        };
        // one person for everything (the chain's grid is its first service's)
        if !able.is_empty() {
            if let Some(slot) = ask(&chain, &able, start, &busy, services[0].interval()) {
                let person = slot.staff.first().copied();
                let parts = services.iter().zip(&starts).map(|(s, at)| Part { service: s.clone(), start: *at, staff: person });
                return Ok(Some(parts.collect()));
            }
        }
        if staff.is_some() {
            return Ok(None);
        }
        // each service with whoever is free for it, at its place in the sequence
        let mut parts = Vec::with_capacity(services.len());
        for (service, at) in services.iter().zip(&starts) {
            let plan = Plan::of(service, &tenant.branch);
            let staff: Vec<StaffId> = tenant.branch.staff_for(service.id).map(|p| p.id).collect();
            let Some(slot) = ask(&plan, &staff, *at, &busy, Duration::minutes(1)) else { return Ok(None) };
            let person = slot.staff.first().copied();
            busy.push(BusyInterval { staff_id: person.map(|p| p.0), service_id: service.id.0, starts_at: *at, ends_at: *at + service.duration() });
            parts.push(Part { service: service.clone(), start: *at, staff: person });
        }
        Ok(Some(parts))
    }

    /// The parts in an outside calendar: each service free at its place by the windows (the
    /// calendar refuses a taken slot itself when it books).
    pub(super) async fn parts_outside(
        &self,
        calendar: &dyn CalendarProvider,
        tenant: &std::sync::Arc<BranchContext>,
        services: &[Service],
        start: DateTime<Utc>,
        staff: Option<StaffId>,
        earliest: DateTime<Utc>,
    ) -> Result<Option<Vec<Part>>, StoreError> {
        let mut parts = Vec::with_capacity(services.len());
        let mut at = start;
        for service in services {
            match self.free_staff(calendar, tenant, service, staff, at, earliest).await? {
                FreeStaff::Found(staff) => parts.push(Part { service: service.clone(), start: at, staff }),
                FreeStaff::Taken => return Ok(None),
            }
            at += service.duration();
        }
        Ok(Some(parts))
    }

    /// Writes the parts into the outside calendar one after another. When one is refused, the
    /// parts already written are cancelled there and every row goes: the caller hears "taken"
    /// (or the calendar's failure), never half a booking.
    async fn write_parts(
        &self,
        calendar: &dyn CalendarProvider,
        request: &BookingRequest,
        parts: &[Part],
        ids: &[crate::domain::AppointmentId],
    ) -> Result<Result<(), BookingOutcome>, StoreError> {
        let tenant = &request.tenant;
        let mut written: Vec<Option<String>> = Vec::with_capacity(parts.len());
        for (part, id) in parts.iter().zip(ids) {
            let entry = NewEntry {
                tenant,
                service: &part.service,
                staff: part.staff,
                start: part.start,
                appointment_id: *id,
                call_id: &request.call_id,
                name: &request.name,
                phone: request.phone.as_deref(),
                email: request.email.as_deref(),
            };
            match calendar.create(entry).await {
                Ok(uid) => {
                    self.store.set_appointment_status(*id, AppointmentStatus::Booked, uid.as_deref(), &request.by).await?;
                    written.push(uid);
                }
                Err(error) => {
                    for uid in &written {
                        if let Err(undo) = calendar.cancel(tenant, uid.as_deref(), "part of a booking that could not be completed").await {
                            tracing::error!(%undo, "a part of a linked booking could not be cancelled; it stays in the calendar");
                        }
                    }
                    for id in ids {
                        self.store.delete_appointment(*id).await?;
                    }
                    return Ok(Err(match error {
                        CalendarError::SlotTaken => BookingOutcome::Taken,
                        other => BookingOutcome::Failed(other),
                    }));
                }
            }
        }
        Ok(Ok(()))
    }

    /// Moves linked appointments together: the one moved to `start`, the others keeping their
    /// places before and after it. The embedded calendar checks the whole sequence at its new
    /// place with the group's own time left out; an outside calendar moves part after part and
    /// puts the moved ones back when a later one is refused. `Ok(false)` when the new time is not free.
    pub(super) async fn reschedule_linked(
        &self,
        tenant: &std::sync::Arc<BranchContext>,
        moved: &crate::store::Appointment,
        group: &[crate::store::Appointment],
        start: DateTime<Utc>,
        by: &crate::store::Actor,
    ) -> Result<bool, CalendarError> {
        let unavailable = |e: StoreError| CalendarError::Unavailable(e.to_string());
        let delta = start - moved.starts_at;
        let services: Vec<Service> = group
            .iter()
            .map(|a| tenant.branch.service(crate::domain::ServiceId(a.service_id)).cloned())
            .collect::<Option<_>>()
            .ok_or_else(|| CalendarError::Invalid("a linked appointment belongs to another branch".into()))?;
        let calendar = self.calendar(tenant)?;
        let first = group[0].starts_at + delta;
        let Some(_guard) = self.locks.lock(&calendar.lock_scope(tenant, &services[0], None, first), LOCK_WAIT).await else {
            return Ok(false);
        };
        let earliest = self.earliest(tenant, &services[0], by.source());
        if first < earliest {
            return Ok(false);
        }
        if !calendar.external() {
            let refs: Vec<&Service> = services.iter().collect();
            let now = self.availability.now();
            let day = Duration::days(1);
            let mut busy = self.store.busy_intervals(tenant.branch.id, first - day, first + day * 2, now).await.map_err(unavailable)?;
            busy.retain(|b| !group.iter().any(|a| a.staff_id == b.staff_id && a.starts_at == b.starts_at && a.ends_at == b.ends_at));
            // each part keeps its staff member: one person's sequence is checked as a whole,
            // different people's part by part with the earlier parts at their new places
            let one_person = group.iter().all(|a| a.staff_id == group[0].staff_id);
            let plans: Vec<(Plan, &crate::store::Appointment)> = if one_person {
                vec![(Plan::chain(&refs, &tenant.branch), &group[0])]
            } else {
                group.iter().zip(&services).map(|(a, s)| (Plan::of(s, &tenant.branch), a)).collect()
            };
            for (plan, part) in &plans {
                let at = part.starts_at + delta;
                let staff: Vec<StaffId> = part.staff_id.map(StaffId).into_iter().collect();
                let question = SlotQuestion { tenant, plan, staff: &staff, from: at, to: at + Duration::minutes(1), earliest, interval: Duration::minutes(1) };
                if !free_slots(&question, &busy).iter().any(|s| s.start == at) {
                    return Ok(false);
                }
                busy.push(BusyInterval { staff_id: part.staff_id, service_id: part.service_id, starts_at: at, ends_at: part.ends_at + delta });
            }
        }
        let mut done: Vec<(&crate::store::Appointment, Option<String>)> = Vec::new();
        for part in group {
            let at = part.starts_at + delta;
            match calendar.reschedule(tenant, part.external_uid.as_deref(), at, super::moved_by(by)).await {
                Ok(uid) => done.push((part, uid)),
                Err(error) => {
                    for (back, uid) in &done {
                        let uid = uid.as_deref().or(back.external_uid.as_deref());
                        if let Err(undo) = calendar.reschedule(tenant, uid, back.starts_at, "move undone").await {
                            tracing::error!(%undo, "a linked appointment could not be moved back");
                        }
                    }
                    return match error {
                        CalendarError::SlotTaken => Ok(false),
                        other => Err(other),
                    };
                }
            }
        }
        for (part, uid) in &done {
            let (at, end) = (part.starts_at + delta, part.ends_at + delta);
            let moved = crate::store::MovedTo { starts_at: at, ends_at: end, staff_id: part.staff_id, service_id: part.service_id, external_uid: uid.as_deref() };
            self.store.move_appointment(part.id, &moved, part, by).await.map_err(unavailable)?;
            let service = tenant.branch.service(crate::domain::ServiceId(part.service_id)).expect("checked above");
            let window = self.availability.key(tenant, service, part.staff_id.map(StaffId));
            self.availability.freed(&window, part.starts_at, part.ends_at);
            self.availability.taken(&window, at, end, part.staff_id.map(StaffId));
        }
        Ok(true)
    }
}
