//! Booking exactly once: an idempotency key per (call, service, start), a slot lock, a re-check
//! against the window, the appointment row as the last guard, then the calendar of record.

pub mod calcom_events;
mod holds;
mod linked;
mod locks;
mod reconcile;
mod replace;

pub use holds::{Hold, HOLD_FOR};
pub use locks::{RedisLocks, SlotGuard, SlotLocks};
pub use reconcile::{Reconciled, RECONCILE_EVERY};

use crate::domain::{AppointmentId, BranchContext, CompanyId, CustomerId, Service, StaffId};
use crate::availability::Availability;
use crate::calendar::{free_slots, CalendarError, CalendarProvider, NewEntry, Plan, SlotQuestion};
use crate::store::{Actor, Appointment, AppointmentSource, AppointmentStatus, MovedTo, NewAppointment, Store};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// Who asks whether another call claims some time: what is their own does not count.
#[derive(Debug, Clone, Copy)]
enum Asking<'a> {
    /// A call: its hold and its bookings still on their way are its own.
    Call(&'a str),
    /// A move of this appointment: its own (perhaps just booked) time is its own.
    Move(AppointmentId),
    /// Anybody else (the console restoring an appointment).
    Other,
}

/// Longest a booking waits for another booking of the same slot.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// What is to be booked.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    /// Tenant and branch.
    pub tenant: Arc<BranchContext>,
    /// Retell call id (part of the idempotency key).
    pub call_id: String,
    /// The call's row.
    pub call_row_id: Option<i64>,
    /// Service (by id in the tenant's branch).
    pub service: crate::domain::ServiceId,
    /// Services after it, back to back, booked as linked appointments (empty for one).
    pub more: Vec<crate::domain::ServiceId>,
    /// A staff member the caller asked for.
    pub staff: Option<StaffId>,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// The customer's row.
    pub customer_id: Option<CustomerId>,
    /// Name for the calendar.
    pub name: String,
    /// Number for the calendar.
    pub phone: Option<String>,
    /// E-mail for the calendar.
    pub email: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Who books: a caller through the agent (company limits apply) or a console login (they
    /// do not).
    pub by: Actor,
}

impl BookingRequest {
    /// Where the appointment is made, by who makes it.
    pub fn source(&self) -> AppointmentSource {
        self.by.source()
    }
}

/// How a booking attempt ended.
#[derive(Debug, Clone)]
pub enum BookingOutcome {
    /// Booked (now, or by an earlier attempt of the same call).
    Booked {
        /// The appointment (the first, of several services).
        appointment: Appointment,
        /// Whether an earlier, identical request had already booked it.
        repeated: bool,
        /// The appointments of the services after it, linked to it.
        linked: Vec<Appointment>,
    },
    /// Somebody else has the slot.
    Taken,
    /// The calendar did not answer in time; the row waits for reconciliation.
    Unconfirmed(Appointment),
    /// The calendar could not be reached or refused.
    Failed(CalendarError),
    /// A company limit stops it (nothing was written).
    Refused(Limit),
}

/// A company limit that stopped a write (DESIGN §5; counted in `frontdesk_limit_refusals_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// This call has made `max_bookings_per_call` bookings already.
    BookingsPerCall(u32),
    /// This caller's number holds `max_upcoming_per_caller` upcoming appointments already.
    UpcomingPerCaller(u32),
    /// The start lies beyond `booking_horizon_days`.
    Horizon(u32),
}

impl Limit {
    /// Metric label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BookingsPerCall(_) => "bookings_per_call",
            Self::UpcomingPerCaller(_) => "upcoming_per_caller",
            Self::Horizon(_) => "booking_horizon",
        }
    }

    /// Counts the refusal in `frontdesk_limit_refusals_total{limit}` and hands the limit on.
    pub fn counted(self) -> Self {
        metrics::counter!(crate::telemetry::LIMIT_REFUSALS, "limit" => self.as_str()).increment(1);
        self
    }
}

/// Where a move takes an appointment.
#[derive(Debug, Clone, Copy)]
pub struct MoveTo {
    /// New start (UTC).
    pub start: DateTime<Utc>,
    /// Another staff member (the console); `None`: theirs when free, else whoever is.
    pub staff: Option<StaffId>,
    /// Another service (the console); `None`: the same.
    pub service: Option<crate::domain::ServiceId>,
}

/// A calendar entry booking `appointment`'s customer again — restored, or moved to another
/// service — for `service` with `staff` at `start`.
fn entry_again<'a>(
    appointment: &'a Appointment,
    (tenant, service, staff, start): (&'a BranchContext, &'a Service, Option<StaffId>, DateTime<Utc>),
    call_id: &'a str,
    name: &'a str,
) -> NewEntry<'a> {
    NewEntry {
        tenant,
        service,
        staff,
        start,
        appointment_id: appointment.id,
        call_id,
        name,
        phone: appointment.phone.as_deref(),
        email: appointment.email.as_deref(),
    }
}

/// The reason a calendar is given for a move.
fn moved_by(by: &Actor) -> &'static str {
    match by {
        Actor::Console(_) => "moved in the console",
        _ => "moved by phone",
    }
}

/// Who can take a wished slot.
enum FreeStaff {
    /// This person (`None`: the service is not tied to people, or the calendar assigns them).
    Found(Option<StaffId>),
    /// Nobody: the slot is gone (or lies inside the notice, or everyone able is away).
    Taken,
}

/// Books appointments in the tenant's calendar of record.
#[derive(Debug, Clone)]
pub struct Booker {
    store: Store,
    availability: Availability,
    locks: Arc<SlotLocks>,
}

/// The idempotency key of a booking: a retried function call maps to the same one.
/// Bound to the company, like every write.
pub fn idempotency_key(
    company_id: CompanyId,
    call_id: &str,
    service: crate::domain::ServiceId,
    start: DateTime<Utc>,
) -> String {
    format!("{}{}:{}", call_key_prefix(company_id, call_id), service.0, start.timestamp())
}

/// What every idempotency key of one call starts with.
fn call_key_prefix(company_id: CompanyId, call_id: &str) -> String {
    format!("{company_id}:{call_id}:")
}

impl Booker {
    /// A booker over the store, the availability engine (whose calendars it writes to) and, for
    /// several instances, Redis locks.
    pub fn new(store: Store, availability: Availability, redis: Option<RedisLocks>) -> Self {
        Self { store, availability, locks: Arc::new(SlotLocks::with_redis(redis)) }
    }

    /// The calendar of record of a tenant.
    fn calendar(&self, tenant: &BranchContext) -> Result<Arc<dyn CalendarProvider>, CalendarError> {
        self.availability.calendars().for_company(&tenant.company).cloned()
    }

    /// Books once: repeated requests of the same call return the first result.
    pub async fn book(&self, request: &BookingRequest) -> Result<BookingOutcome, crate::store::StoreError> {
        if !request.more.is_empty() {
            return self.book_linked(request).await;
        }
        let tenant = &request.tenant;
        let service = tenant.branch.service(request.service).expect("the service belongs to the branch").clone();
        let key = idempotency_key(tenant.company.id, &request.call_id, service.id, request.start);
        if let Some(done) = self.store.appointment_by_key(&key).await? {
            return Ok(self.outcome_of(done, true));
        }
        // One call's bookings one after another, so its limit holds under concurrent requests.
        let call_lock = format!("call:{}:{}", tenant.company.id, request.call_id);
        let Some(_call_guard) = self.locks.lock(&call_lock, LOCK_WAIT).await else { return Ok(BookingOutcome::Taken) };
        // The company's limits stop prank callers, not its own staff.
        let limited = request.source() == AppointmentSource::Phone;
        if let Some(limit) = if limited { self.limit_reached(request).await? } else { None } {
            return Ok(BookingOutcome::Refused(limit.counted()));
        }
        let calendar = match self.calendar(tenant) {
            Ok(calendar) => calendar,
            Err(error) => return Ok(BookingOutcome::Failed(error)),
        };
        // A call holding this very slot of an outside calendar has it to itself: every other
        // claim steps back from a live hold. So it neither waits on the slot's lock (behind
        // somebody's slow calendar read) nor asks again, and the hold goes only once our pending
        // row claims the time instead — never is the time unclaimed in between.
        let own_hold = match calendar.external() {
            true => self.own_hold(tenant, &request.call_id, service.id, request.start).await?,
            false => None,
        };
        let _guard = match own_hold {
            Some(_) => None,
            None => {
                let lock_key = calendar.lock_scope(tenant, &service, request.staff, request.start);
                let Some(guard) = self.locks.lock(&lock_key, LOCK_WAIT).await else { return Ok(BookingOutcome::Taken) };
                if let Some(done) = self.store.appointment_by_key(&key).await? {
                    return Ok(self.outcome_of(done, true));
                }
                Some(guard)
            }
        };
        let end = request.start + service.duration();
        let staff = match &own_hold {
            Some(hold) => hold.staff,
            None => match self.choose_staff(&*calendar, request, &service).await? {
                Ok(staff) => staff,
                Err(outcome) => return Ok(outcome),
            },
        };
        let id = match self.record(request, &service, &key, staff, end, calendar.external()).await? {
            Ok(id) => id,
            Err(outcome) => return Ok(outcome),
        };
        let mut reservation = None;
        if own_hold.is_some() {
            let taken = self.take_hold(tenant, &request.call_id, service.id, request.start).await?;
            reservation = taken.and_then(|hold| hold.reservation_uid);
        } else {
            // Asked after our pending row is written, so two calls racing for overlapping times
            // see at least each other (both step back at worst): neither books over the other.
            let call = Asking::Call(request.call_id.as_str());
            if self.held_by_another_call(&*calendar, tenant, call, &service, staff, request.start).await? {
                self.store.delete_appointment(id).await?;
                return Ok(BookingOutcome::Taken);
            }
        }
        let outcome = self.write_to_calendar(&*calendar, request, &service, &key, (id, staff), end).await;
        // The booking stands (or failed) on its own now: the reservation behind the hold goes.
        if let Some(uid) = reservation {
            self.release_reservation_behind(tenant, uid);
        }
        outcome
    }

    /// Who takes the appointment: on our own calendar the call's hold when it still stands, else
    /// whoever is free (or why nobody is), checked against the window and, for our own calendar,
    /// the database. (An outside calendar's own hold was taken up by [`Booker::book`] already.)
    async fn choose_staff(
        &self,
        calendar: &dyn CalendarProvider,
        request: &BookingRequest,
        service: &Service,
    ) -> Result<Result<Option<StaffId>, BookingOutcome>, crate::store::StoreError> {
        let tenant = &request.tenant;
        // This call's own hold keeps the slot for it: the window shows it as taken by design.
        let held = match calendar.external() {
            true => None,
            false => self.take_hold(tenant, &request.call_id, service.id, request.start).await?,
        };
        let earliest = self.earliest(tenant, service, request.source());
        let start = request.start;
        let found = match held {
            // the hold is gone from the database now: the engine sees everything else, an
            // absence entered since included
            // held while far enough ahead: the notice is not asked again
            Some(hold) => match self.free_staff_here(tenant, service, hold.staff, start, earliest.min(start), None).await? {
                FreeStaff::Found(staff) => FreeStaff::Found(staff),
                _ => self.free_staff(calendar, tenant, service, request.staff, start, earliest).await?,
            },
            // (another call's hold or booking in flight is asked once our row is written)
            None => self.free_staff(calendar, tenant, service, request.staff, start, earliest).await?,
        };
        Ok(match found {
            FreeStaff::Found(staff) => Ok(staff),
            FreeStaff::Taken => Err(BookingOutcome::Taken),
        })
    }

    /// The earliest start a booking may have: callers keep the service's notice; staff booking in
    /// the console do not, and may record a walk-in that began up to the service's length ago.
    fn earliest(&self, tenant: &BranchContext, service: &Service, source: AppointmentSource) -> DateTime<Utc> {
        let now = self.availability.now();
        match source {
            AppointmentSource::Phone => service.earliest(&tenant.company, now),
            // a walk-in already in the chair is recorded from when it began (the console
            // refuses one that is over)
            AppointmentSource::Console => now - service.duration(),
            _ => now,
        }
    }

    /// Writes the appointment's row (pending for an outside calendar, booked for ours); the
    /// outcome instead when a concurrent retry or the database's slot guard got there first.
    async fn record(
        &self,
        request: &BookingRequest,
        service: &Service,
        key: &str,
        staff: Option<StaffId>,
        end: DateTime<Utc>,
        external: bool,
    ) -> Result<Result<AppointmentId, BookingOutcome>, crate::store::StoreError> {
        let tenant = &request.tenant;
        // An outside calendar's booking is not made until it answers; ours is the row itself.
        let status = if external { AppointmentStatus::Pending } else { AppointmentStatus::Booked };
        let new = NewAppointment {
            idempotency_key: key.to_string(),
            company_id: tenant.company.id,
            branch_id: tenant.branch.id,
            customer_id: request.customer_id,
            service_id: service.id.0,
            staff_id: staff.map(|s| s.0),
            call_id: request.call_row_id,
            starts_at: request.start,
            ends_at: end,
            status,
            notes: request.notes.clone(),
            source: request.source(),
            created_at: self.availability.now(),
            by: request.by.clone(),
        };
        match self.store.insert_appointment(&new).await {
            Ok(id) => Ok(Ok(id)),
            Err(error) => match self.store.appointment_by_key(key).await? {
                // A concurrent retry of the same call won the race: its row is the answer.
                Some(done) => Ok(Err(self.outcome_of(done, true))),
                // The database's slot guard fired: somebody else has this time.
                None if error.is_unique_violation() => Ok(Err(BookingOutcome::Taken)),
                None => Err(error),
            },
        }
    }

    /// Books the recorded appointment in the calendar and settles its row by the answer: booked,
    /// taken (the row goes), unknown (kept to reconcile, never confirmed) or failed.
    async fn write_to_calendar(
        &self,
        calendar: &dyn CalendarProvider,
        request: &BookingRequest,
        service: &Service,
        key: &str,
        (id, staff): (AppointmentId, Option<StaffId>),
        end: DateTime<Utc>,
    ) -> Result<BookingOutcome, crate::store::StoreError> {
        let tenant = &request.tenant;
        let window = self.availability.key(tenant, service, staff);
        let entry = NewEntry {
            tenant,
            service,
            staff,
            start: request.start,
            appointment_id: id,
            call_id: &request.call_id,
            name: &request.name,
            phone: request.phone.as_deref(),
            email: request.email.as_deref(),
        };
        match calendar.create(entry).await {
            Ok(None) => {}
            Ok(Some(uid)) => self.store.set_appointment_status(id, AppointmentStatus::Booked, Some(&uid), &request.by).await?,
            Err(CalendarError::SlotTaken) => {
                self.store.delete_appointment(id).await?;
                self.availability.taken(&window, request.start, end, None);
                return Ok(BookingOutcome::Taken);
            }
            Err(CalendarError::Unavailable(reason)) => {
                // The calendar may or may not have booked it: keep the row to reconcile, never confirm it.
                tracing::warn!(appointment = id.0, %reason, "booking outcome unknown");
                self.store.set_appointment_status(id, AppointmentStatus::PendingUnknown, None, &request.by).await?;
                self.availability.taken(&window, request.start, end, None);
                let row = self.store.appointment_by_key(key).await?.expect("just written");
                return Ok(BookingOutcome::Unconfirmed(row));
            }
            Err(error) => {
                self.store.delete_appointment(id).await?;
                return Ok(BookingOutcome::Failed(error));
            }
        }
        self.availability.taken(&window, request.start, end, staff);
        let row = self.store.appointment_by_key(key).await?.expect("just written");
        Ok(BookingOutcome::Booked { appointment: row, repeated: false, linked: Vec::new() })
    }

    /// Cancels an appointment — with the appointments linked to it (several services booked
    /// together) — in the calendar of record, then locally; gives their time back.
    pub async fn cancel(
        &self,
        tenant: &BranchContext,
        appointment: &crate::store::Appointment,
        reason: &str,
        by: &Actor,
    ) -> Result<(), CalendarError> {
        let linked = self.store.linked_appointments(appointment).await.map_err(|e| CalendarError::Unavailable(e.to_string()))?;
        for part in linked.iter().filter(|a| a.id != appointment.id) {
            self.cancel_one(tenant, part, reason, by).await?;
        }
        self.cancel_one(tenant, appointment, reason, by).await
    }

    /// Cancels one appointment in the calendar of record, then locally.
    async fn cancel_one(
        &self,
        tenant: &BranchContext,
        appointment: &crate::store::Appointment,
        reason: &str,
        by: &Actor,
    ) -> Result<(), CalendarError> {
        self.calendar(tenant)?.cancel(tenant, appointment.external_uid.as_deref(), reason).await?;
        let window =
            self.availability.appointment_window(tenant, appointment.service_id, appointment.calcom_event_type_id);
        self.store
            .set_appointment_status(appointment.id, AppointmentStatus::Cancelled, None, by)
            .await
            .map_err(|e| CalendarError::Unavailable(e.to_string()))?;
        self.availability.freed(&window, appointment.starts_at, appointment.ends_at);
        Ok(())
    }

    /// Moves an appointment in the calendar of record, then locally: to another time, and in
    /// the console to another staff member or service; the old time is given back, the new one
    /// taken. `Ok(false)` when the new time is not free.
    ///
    /// Without a staff member in `to`, theirs keeps it when free, else whoever is; `by` says who
    /// moves it (callers keep the notice). Linked appointments move together, at their services.
    pub async fn reschedule(
        &self,
        tenant: &Arc<BranchContext>,
        appointment: &crate::store::Appointment,
        to: &MoveTo,
        by: &Actor,
    ) -> Result<bool, CalendarError> {
        let start = to.start;
        let linked = self.store.linked_appointments(appointment).await.map_err(|e| CalendarError::Unavailable(e.to_string()))?;
        let service_id = to.service.unwrap_or(crate::domain::ServiceId(appointment.service_id));
        let calendar = self.calendar(tenant)?;
        let new_service = service_id.0 != appointment.service_id;
        if new_service && linked.len() > 1 {
            // services booked back to back move together; one of them alone cannot turn into another
            return Err(CalendarError::Invalid("the service of a linked appointment cannot be changed by a move".into()));
        }
        if linked.len() > 1 {
            return self.reschedule_linked(tenant, appointment, &linked, start, by).await;
        }
        let service = tenant
            .branch
            .service(service_id)
            .ok_or_else(|| CalendarError::Invalid("the appointment belongs to another branch".into()))?
            .clone();
        // whoever takes it must perform the service it will be
        if to.staff.is_some_and(|s| !tenant.branch.staff_member(s).is_some_and(|p| p.services.contains(&service.id))) {
            return Err(CalendarError::Invalid("that staff member does not perform this service".into()));
        }
        let own = appointment.staff_id.map(StaffId);
        let Some(_guard) = self.locks.lock(&calendar.lock_scope(tenant, &service, own, start), LOCK_WAIT).await else {
            return Ok(false);
        };
        let end = start + service.duration();
        let earliest = self.earliest(tenant, &service, by.source());
        // "Half an hour later": the new time may overlap the appointment being moved, which the
        // window counts as taken. Such a move is judged with the appointment's own time free.
        // (Cal.com books another service as a new booking beside the old one: no such overlap.)
        let within_itself = start < appointment.ends_at && end > appointment.starts_at && !new_service;
        let free = match (calendar.external(), within_itself) {
            // Cal.com frees the old booking before it books the new time, so it decides.
            (true, true) if start >= earliest => Ok(FreeStaff::Found(self.availability.calendar_staff(tenant, &service, own))),
            (true, _) => self.free_staff(&*calendar, tenant, &service, None, start, earliest).await,
            (false, _) => self.free_staff_here(tenant, &service, to.staff, start, earliest, Some(appointment)).await,
        };
        let staff = match free.map_err(|e| CalendarError::Unavailable(e.to_string()))? {
            FreeStaff::Found(staff) => staff,
            FreeStaff::Taken => return Ok(false),
        };
        let held = self.held_by_another_call(&*calendar, tenant, Asking::Move(appointment.id), &service, staff, start).await;
        if held.map_err(|e| CalendarError::Unavailable(e.to_string()))? {
            return Ok(false);
        }
        if new_service && calendar.external() {
            // Cal.com keeps a booking's event type when it moves: another service is a new booking
            let new = replace::Replacement { service: &service, staff, start };
            if !self.replace_booking(&*calendar, tenant, appointment, new, by).await? {
                return Ok(false);
            }
            self.moved_in_window(tenant, appointment, &service, staff, start);
            return Ok(true);
        }
        let uid = appointment.external_uid.as_deref();
        let new_uid = match calendar.reschedule(tenant, uid, start, moved_by(by)).await {
            Ok(new_uid) => new_uid,
            Err(CalendarError::SlotTaken) => return Ok(false),
            Err(error) => return Err(error),
        };
        let moved = MovedTo { starts_at: start, ends_at: end, staff_id: staff.map(|s| s.0), service_id: service.id.0, external_uid: new_uid.as_deref() };
        self.store.move_appointment(appointment.id, &moved, appointment, by).await.map_err(|e| CalendarError::Unavailable(e.to_string()))?;
        self.moved_in_window(tenant, appointment, &service, staff, start);
        Ok(true)
    }

    /// The availability window after a move: the old time given back, the new one taken.
    fn moved_in_window(&self, tenant: &BranchContext, appointment: &Appointment, service: &Service, staff: Option<StaffId>, start: DateTime<Utc>) {
        let before = self.availability.appointment_window(tenant, appointment.service_id, appointment.calcom_event_type_id);
        self.availability.freed(&before, appointment.starts_at, appointment.ends_at);
        self.availability.taken(&self.availability.key(tenant, service, staff), start, start + service.duration(), staff);
    }

    /// Books a cancelled appointment again at its time, with its staff member, when that time
    /// is still free (checked like a booking, under the slot's lock). `Ok(false)` when it is not
    /// (or the appointment is not cancelled).
    pub async fn restore(&self, tenant: &Arc<BranchContext>, appointment: &crate::store::Appointment, by: &Actor) -> Result<bool, CalendarError> {
        let unavailable = |e: crate::store::StoreError| CalendarError::Unavailable(e.to_string());
        if appointment.status != AppointmentStatus::Cancelled {
            return Ok(false);
        }
        let service = tenant
            .branch
            .service(crate::domain::ServiceId(appointment.service_id))
            .ok_or_else(|| CalendarError::Invalid("the appointment belongs to another branch".into()))?
            .clone();
        let calendar = self.calendar(tenant)?;
        let (start, staff) = (appointment.starts_at, appointment.staff_id.map(StaffId));
        let Some(_guard) = self.locks.lock(&calendar.lock_scope(tenant, &service, staff, start), LOCK_WAIT).await else {
            return Ok(false);
        };
        let earliest = self.earliest(tenant, &service, by.source());
        let free = match calendar.external() {
            true => self.free_staff(&*calendar, tenant, &service, staff, start, earliest).await,
            false => self.free_staff_here(tenant, &service, staff, start, earliest, None).await,
        };
        // the same person or nobody: a restored appointment is the one the customer had
        match free.map_err(unavailable)? {
            FreeStaff::Found(found) if staff.is_none() || found == staff => {}
            _ => return Ok(false),
        }
        if self.held_by_another_call(&*calendar, tenant, Asking::Other, &service, staff, start).await.map_err(unavailable)? {
            return Ok(false);
        }
        let name = appointment.customer_name.clone().unwrap_or_default();
        let call_id = format!("restore:{}", appointment.id);
        let entry = entry_again(appointment, (tenant, &service, staff, start), &call_id, &name);
        let uid = match calendar.create(entry).await {
            Ok(uid) => uid,
            Err(CalendarError::SlotTaken) => return Ok(false),
            Err(error) => return Err(error),
        };
        // booked as the service is now (its length may have changed since): what was checked
        let end = start + service.duration();
        let restored = match self.store.restore_appointment(appointment.id, end, uid.as_deref(), by).await {
            Ok(restored) => restored,
            // the database's slot guard: somebody else has the time after all
            Err(error) if error.is_unique_violation() => false,
            Err(error) => return Err(unavailable(error)),
        };
        if restored {
            self.availability.taken(&self.availability.key(tenant, &service, staff), start, end, staff);
        }
        Ok(restored)
    }

    /// The company limit a new booking would break, if any: the horizon, this call's bookings,
    /// the caller's upcoming appointments.
    async fn limit_reached(&self, request: &BookingRequest) -> Result<Option<Limit>, crate::store::StoreError> {
        let company = &request.tenant.company;
        let limits = company.limits;
        let now = self.availability.now();
        if request.start > now + Duration::days(i64::from(limits.booking_horizon_days)) {
            return Ok(Some(Limit::Horizon(limits.booking_horizon_days)));
        }
        let call_prefix = call_key_prefix(company.id, &request.call_id);
        if self.store.bookings_of_call(company.id, &call_prefix).await? >= i64::from(limits.max_bookings_per_call) {
            return Ok(Some(Limit::BookingsPerCall(limits.max_bookings_per_call)));
        }
        if let Some(customer) = request.customer_id {
            let max = limits.max_upcoming_per_caller;
            let upcoming = self.store.upcoming_appointments(company.id, customer, now, i64::from(max)).await?;
            if upcoming.len() >= max as usize {
                return Ok(Some(Limit::UpcomingPerCaller(max)));
            }
        }
        Ok(None)
    }

    fn outcome_of(&self, row: Appointment, repeated: bool) -> BookingOutcome {
        match row.status {
            AppointmentStatus::Booked => BookingOutcome::Booked { appointment: row, repeated, linked: Vec::new() },
            _ => BookingOutcome::Unconfirmed(row),
        }
    }

    /// Who takes the appointment: for the embedded calendar the slot engine over the database
    /// right now; for an outside calendar its window (which refuses a taken slot itself).
    async fn free_staff(
        &self,
        calendar: &dyn CalendarProvider,
        tenant: &Arc<BranchContext>,
        service: &Service,
        wanted: Option<StaffId>,
        start: DateTime<Utc>,
        earliest: DateTime<Utc>,
    ) -> Result<FreeStaff, crate::store::StoreError> {
        if !calendar.external() {
            return self.free_staff_here(tenant, service, wanted, start, earliest, None).await;
        }
        if start < earliest {
            return Ok(FreeStaff::Taken);
        }
        let read = self.availability.slots_from(tenant, service, wanted, start, start + Duration::minutes(1)).await;
        match read {
            Ok(read) if !read.slots.iter().any(|s| s.start == start) => Ok(FreeStaff::Taken),
            // The calendar decides hosts, except on a staff member's own event type.
            Ok(_) => Ok(FreeStaff::Found(self.availability.calendar_staff(tenant, service, wanted))),
            // An outside calendar refuses a taken slot itself when it books, so a window it could
            // not read just now (Cal.com's read budget spent on questions) never stops a booking;
            // frontdesk's own knowledge (absences, breaks) still does.
            Err(_) if self.availability.present_for(tenant, service, wanted, start) => {
                Ok(FreeStaff::Found(self.availability.calendar_staff(tenant, service, wanted)))
            }
            Err(_) => Ok(FreeStaff::Taken),
        }
    }

    /// Who takes an appointment in the embedded calendar: the slot engine over the database's
    /// appointments and live holds (every instance's) at this moment, so an absence entered
    /// during the call or a booking made on another instance wins. `moving` leaves that
    /// appointment's own time out, and keeps its staff member when they are free.
    async fn free_staff_here(
        &self,
        tenant: &BranchContext,
        service: &Service,
        wanted: Option<StaffId>,
        start: DateTime<Utc>,
        earliest: DateTime<Utc>,
        moving: Option<&Appointment>,
    ) -> Result<FreeStaff, crate::store::StoreError> {
        let plan = Plan::of(service, &tenant.branch);
        let (from, to) = plan.span(start);
        let now = self.availability.now();
        let day = Duration::days(1);
        let mut busy = self.store.busy_intervals(tenant.branch.id, from - day, to + day, now).await?;
        if let Some(own) = moving {
            busy.retain(|b| {
                !(b.staff_id == own.staff_id && b.starts_at == own.starts_at && b.ends_at == own.ends_at)
            });
        }
        let staff: Vec<StaffId> = match wanted {
            Some(person) => vec![person],
            None => tenant.branch.staff_for(service.id).map(|s| s.id).collect(),
        };
        let question = SlotQuestion {
            tenant,
            plan: &plan,
            staff: &staff,
            from: start,
            to: start + Duration::minutes(1),
            earliest,
            interval: service.interval(),
        };
        let Some(slot) = free_slots(&question, &busy).into_iter().find(|s| s.start == start) else {
            return Ok(FreeStaff::Taken);
        };
        let keep = moving.and_then(|a| a.staff_id.map(StaffId)).filter(|own| slot.staff.contains(own));
        Ok(FreeStaff::Found(keep.or(slot.staff.first().copied())))
    }
}

