//! Booking exactly once: an idempotency key per (call, service, start), a slot lock, a re-check
//! against the window, the appointment row as the last guard, then the calendar of record.

pub mod calcom_events;
mod locks;
mod reconcile;

pub use locks::{RedisLocks, SlotGuard, SlotLocks};
pub use reconcile::{Reconciled, RECONCILE_EVERY};

use crate::availability::Availability;
use crate::calendar::{free_slots_on_grid, CalendarError, CalendarProvider, HeldSlot, NewEntry};
use crate::domain::{BranchContext, Service, StaffId};
use crate::store::{AppointmentSource, AppointmentStatus, NewAppointment, Store, StoredAppointment};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

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
    /// A staff member the caller asked for.
    pub staff: Option<StaffId>,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// The customer's row.
    pub customer_id: Option<i64>,
    /// Name for the calendar.
    pub name: String,
    /// Number for the calendar.
    pub phone: Option<String>,
    /// E-mail for the calendar.
    pub email: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Who books: a caller (company limits apply) or staff in the console (they do not).
    pub source: AppointmentSource,
}

/// How a booking attempt ended.
#[derive(Debug, Clone)]
pub enum BookingOutcome {
    /// Booked (now, or by an earlier attempt of the same call).
    Booked {
        /// The appointment.
        appointment: StoredAppointment,
        /// Whether an earlier, identical request had already booked it.
        repeated: bool,
    },
    /// Somebody else has the slot.
    Taken,
    /// The calendar did not answer in time; the row waits for reconciliation.
    Unconfirmed(StoredAppointment),
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

/// Who can take a wished slot.
enum FreeStaff {
    /// This person (`None`: the service is not tied to people, or the calendar assigns them).
    Found(Option<StaffId>),
    /// Nobody: the slot is gone.
    Taken,
    /// Availability could not be read.
    Unreadable(CalendarError),
}

/// Books appointments in the tenant's calendar of record.
#[derive(Debug, Clone)]
pub struct Booker {
    store: Store,
    availability: Availability,
    locks: Arc<SlotLocks>,
}

/// How long a hold keeps a slot for a caller.
pub const HOLD_FOR: Duration = Duration::minutes(5);

/// A slot held for one call while the caller confirms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// Service.
    pub service: crate::domain::ServiceId,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Staff member kept free (embedded calendar).
    pub staff: Option<StaffId>,
    /// Cal.com reservation uid.
    pub reservation_uid: Option<String>,
    /// When it lapses.
    pub until: DateTime<Utc>,
}

impl Hold {
    /// The database row of this hold for a call of a tenant.
    fn row(&self, tenant: &BranchContext, call_id: &str) -> crate::store::HoldRow {
        crate::store::HoldRow {
            company_id: tenant.company.id,
            call_id: call_id.to_string(),
            branch_id: tenant.branch.id,
            service_id: self.service.0,
            staff_id: self.staff.map(|s| s.0),
            starts_at: self.start,
            ends_at: self.end,
            reservation_uid: self.reservation_uid.clone(),
            held_until: self.until,
        }
    }
}

impl From<crate::store::HoldRow> for Hold {
    fn from(row: crate::store::HoldRow) -> Self {
        Self {
            service: crate::domain::ServiceId(row.service_id),
            start: row.starts_at,
            end: row.ends_at,
            staff: row.staff_id.map(StaffId),
            reservation_uid: row.reservation_uid,
            until: row.held_until,
        }
    }
}

/// The idempotency key of a booking: a retried function call maps to the same one.
/// Bound to the company, like every write.
pub fn idempotency_key(
    company_id: i64,
    call_id: &str,
    service: crate::domain::ServiceId,
    start: DateTime<Utc>,
) -> String {
    format!("{}{}:{}", call_key_prefix(company_id, call_id), service.0, start.timestamp())
}

/// What every idempotency key of one call starts with.
fn call_key_prefix(company_id: i64, call_id: &str) -> String {
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
        let limited = request.source == AppointmentSource::Phone;
        if let Some(limit) = if limited { self.limit_reached(request).await? } else { None } {
            return Ok(BookingOutcome::Refused(limit.counted()));
        }
        let calendar = match self.calendar(tenant) {
            Ok(calendar) => calendar,
            Err(error) => return Ok(BookingOutcome::Failed(error)),
        };
        let lock_key = calendar.lock_scope(tenant, &service, request.staff, request.start);
        let Some(_guard) = self.locks.lock(&lock_key, LOCK_WAIT).await else { return Ok(BookingOutcome::Taken) };
        if let Some(done) = self.store.appointment_by_key(&key).await? {
            return Ok(self.outcome_of(done, true));
        }
        let end = request.start + Duration::minutes(i64::from(service.duration_minutes));
        // This call's own hold keeps the slot for it: the window shows it as taken by design.
        let held = self.take_hold(tenant, &request.call_id, service.id, request.start).await?;
        let now = self.availability.now();
        let staff = match held {
            // an outside calendar refuses a taken slot itself
            Some(hold) if calendar.external() => hold.staff,
            Some(hold)
                if !self.store.is_busy(tenant.branch.id, hold.staff.map(|s| s.0), request.start, end, now).await? =>
            {
                hold.staff
            }
            _ => {
                if self.held_by_another_call(&*calendar, tenant, &service, request.start).await? {
                    return Ok(BookingOutcome::Taken);
                }
                match self.free_staff(&*calendar, &request.tenant, &service, request.staff, request.start, end).await? {
                    FreeStaff::Found(staff) => staff,
                    FreeStaff::Taken => return Ok(BookingOutcome::Taken),
                    FreeStaff::Unreadable(error) => return Ok(BookingOutcome::Failed(error)),
                }
            }
        };
        // An outside calendar's booking is not made until it answers; ours is the row itself.
        let status = if calendar.external() { AppointmentStatus::Pending } else { AppointmentStatus::Booked };
        let new = NewAppointment {
            idempotency_key: key.clone(),
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
            source: request.source,
            created_at: self.availability.now(),
        };
        let id = match self.store.insert_appointment(&new).await {
            Ok(id) => id,
            Err(error) => match self.store.appointment_by_key(&key).await? {
                // A concurrent retry of the same call won the race: its row is the answer.
                Some(done) => return Ok(self.outcome_of(done, true)),
                // The database's slot guard fired: somebody else has this time.
                None if error.is_unique_violation() => return Ok(BookingOutcome::Taken),
                None => return Err(error),
            },
        };
        let window = self.availability.key(tenant, &service, staff);
        let entry = NewEntry {
            tenant,
            service: &service,
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
            Ok(Some(uid)) => self.store.set_appointment_status(id, AppointmentStatus::Booked, Some(&uid)).await?,
            Err(CalendarError::SlotTaken) => {
                self.store.delete_appointment(id).await?;
                self.availability.taken(&window, request.start, end, None);
                return Ok(BookingOutcome::Taken);
            }
            Err(CalendarError::Unavailable(reason)) => {
                // The calendar may or may not have booked it: keep the row to reconcile, never confirm it.
                tracing::warn!(appointment = id, %reason, "booking outcome unknown");
                self.store.set_appointment_status(id, AppointmentStatus::PendingUnknown, None).await?;
                self.availability.taken(&window, request.start, end, None);
                let row = self.store.appointment_by_key(&key).await?.expect("just written");
                return Ok(BookingOutcome::Unconfirmed(row));
            }
            Err(error) => {
                self.store.delete_appointment(id).await?;
                return Ok(BookingOutcome::Failed(error));
            }
        }
        self.availability.taken(&window, request.start, end, staff);
        let row = self.store.appointment_by_key(&key).await?.expect("just written");
        Ok(BookingOutcome::Booked { appointment: row, repeated: false })
    }

    /// Cancels an appointment in the calendar of record, then locally; gives its time back.
    pub async fn cancel(
        &self,
        tenant: &BranchContext,
        appointment: &crate::store::Appointment,
        reason: &str,
    ) -> Result<(), CalendarError> {
        self.calendar(tenant)?.cancel(tenant, appointment.external_uid.as_deref(), reason).await?;
        let window =
            self.availability.appointment_window(tenant, appointment.service_id, appointment.calcom_event_type_id);
        self.store
            .set_appointment_status(appointment.id, AppointmentStatus::Cancelled, None)
            .await
            .map_err(|e| CalendarError::Unavailable(e.to_string()))?;
        self.availability.freed(&window, appointment.starts_at, appointment.ends_at);
        Ok(())
    }

    /// Moves an appointment to `start` in the calendar of record, then locally; the old time is
    /// given back, the new one taken. `Ok(false)` when the new time is not free.
    pub async fn reschedule(
        &self,
        tenant: &Arc<BranchContext>,
        appointment: &crate::store::Appointment,
        start: DateTime<Utc>,
    ) -> Result<bool, CalendarError> {
        let service = tenant
            .branch
            .service(crate::domain::ServiceId(appointment.service_id))
            .ok_or_else(|| CalendarError::Invalid("the appointment belongs to another branch".into()))?
            .clone();
        let calendar = self.calendar(tenant)?;
        let own = appointment.staff_id.map(StaffId);
        let Some(_guard) = self.locks.lock(&calendar.lock_scope(tenant, &service, own, start), LOCK_WAIT).await else {
            return Ok(false);
        };
        let end = start + Duration::minutes(i64::from(service.duration_minutes));
        // "Half an hour later": the new time may overlap the appointment being moved, which the
        // window counts as taken. Such a move is judged with the appointment's own time free.
        let within_itself = start < appointment.ends_at && end > appointment.starts_at;
        let free = match within_itself {
            true => self.free_staff_moving(&*calendar, tenant, &service, appointment, start, end).await,
            false => self.free_staff(&*calendar, tenant, &service, None, start, end).await,
        };
        let staff = match free.map_err(|e| CalendarError::Unavailable(e.to_string()))? {
            FreeStaff::Found(staff) => staff,
            FreeStaff::Taken => return Ok(false),
            FreeStaff::Unreadable(error) => return Err(error),
        };
        let window = self.availability.key(tenant, &service, staff);
        let held = self.held_by_another_call(&*calendar, tenant, &service, start).await;
        if held.map_err(|e| CalendarError::Unavailable(e.to_string()))? {
            return Ok(false);
        }
        let uid = appointment.external_uid.as_deref();
        let new_uid = match calendar.reschedule(tenant, uid, start, "moved by phone").await {
            Ok(new_uid) => new_uid,
            Err(CalendarError::SlotTaken) => return Ok(false),
            Err(error) => return Err(error),
        };
        self.store
            .move_appointment(appointment.id, start, end, staff.map(|s| s.0), new_uid.as_deref())
            .await
            .map_err(|e| CalendarError::Unavailable(e.to_string()))?;
        self.availability.freed(&window, appointment.starts_at, appointment.ends_at);
        self.availability.taken(&window, start, end, staff);
        Ok(true)
    }

    /// Whether another call holds this slot where an outside calendar cannot see it: the hold's
    /// reservation may still be on its way (or the calendar ignores reservations when booking),
    /// so the booker must ask frontdesk's own holds. The embedded calendar counts holds as busy
    /// time already.
    async fn held_by_another_call(
        &self,
        calendar: &dyn CalendarProvider,
        tenant: &BranchContext,
        service: &Service,
        start: DateTime<Utc>,
    ) -> Result<bool, crate::store::StoreError> {
        if !calendar.external() {
            return Ok(false);
        }
        self.store.is_held_slot(tenant.branch.id, service.id.0, start, self.availability.now()).await
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

    /// This call's live hold on exactly this slot, consumed (it may have been made on another
    /// instance: holds live in the database). Holds are keyed by company and call: call ids come
    /// from payloads, and another company's agent could name the same one.
    async fn take_hold(
        &self,
        tenant: &BranchContext,
        call_id: &str,
        service: crate::domain::ServiceId,
        start: DateTime<Utc>,
    ) -> Result<Option<Hold>, crate::store::StoreError> {
        let now = self.availability.now();
        let taken = self.store.take_hold_of_slot(tenant.company.id, call_id, service.0, start, now).await?;
        Ok(taken.map(Hold::from))
    }

    /// Holds a slot for a call for [`HOLD_FOR`] (a Cal.com reservation for Cal.com tenants), so
    /// nobody else can take it while the caller confirms. A call holds one slot at a time.
    /// `Ok(None)` when the slot is not free.
    pub async fn hold(
        &self,
        tenant: &Arc<BranchContext>,
        call_id: &str,
        service: &Service,
        staff: Option<StaffId>,
        start: DateTime<Utc>,
    ) -> Result<Option<Hold>, CalendarError> {
        self.release(tenant, call_id).await;
        // The same lock as a booking: two callers asking to hold one slot at once must not both
        // pass the window check — the second waits and then sees the first's hold.
        let calendar = self.calendar(tenant)?;
        let Some(_guard) = self.locks.lock(&calendar.lock_scope(tenant, service, staff, start), LOCK_WAIT).await else {
            return Ok(None);
        };
        let end = start + Duration::minutes(i64::from(service.duration_minutes));
        let staff = match self
            .free_staff(&*calendar, tenant, service, staff, start, end)
            .await
            .map_err(|e| CalendarError::Unavailable(e.to_string()))?
        {
            FreeStaff::Found(staff) => staff,
            FreeStaff::Taken => return Ok(None),
            FreeStaff::Unreadable(error) => return Err(error),
        };
        let now = self.availability.now();
        // Another call's hold of this very slot, made on any instance, before the calendar knows.
        let held = self.held_by_another_call(&*calendar, tenant, service, start).await;
        if held.map_err(|e| CalendarError::Unavailable(e.to_string()))? {
            return Ok(None);
        }
        let hold = Hold { service: service.id, start, end, staff, reservation_uid: None, until: now + HOLD_FOR };
        let row = hold.row(tenant, call_id);
        self.store.put_hold(&row).await.map_err(|e| CalendarError::Unavailable(e.to_string()))?;
        self.availability.taken(&self.availability.key(tenant, service, staff), start, end, staff);
        if calendar.external() {
            self.reserve_in_background(calendar, tenant.clone(), service.clone(), staff, start, call_id.to_string());
        }
        // A hold nobody books or releases gives its slot back by itself (the row is ignored once
        // lapsed in any case; this also frees the windows and the Cal.com reservation).
        let (booker, tenant, call_id) = (self.clone(), tenant.clone(), call_id.to_string());
        tokio::spawn(async move {
            tokio::time::sleep(HOLD_FOR.to_std().unwrap_or_default()).await;
            // the call's hold, live or lapsed: still this one, or booked, released or replaced?
            match booker.store.hold(tenant.company.id, &call_id).await {
                Ok(Some(current)) if current.starts_at == row.starts_at && current.held_until == row.held_until => {
                    booker.release(&tenant, &call_id).await;
                }
                _ => {}
            }
        });
        Ok(Some(hold))
    }

    /// Places a hold's reservation in an outside calendar without keeping the caller waiting:
    /// the shared hold is the guarantee and the caller hears it at once. A refused reservation
    /// removes the hold, and the booking then answers honestly (the calendar refuses a taken slot).
    fn reserve_in_background(
        &self,
        calendar: Arc<dyn CalendarProvider>,
        tenant: Arc<BranchContext>,
        service: Service,
        staff: Option<StaffId>,
        start: DateTime<Utc>,
        call_id: String,
    ) {
        let booker = self.clone();
        tokio::spawn(async move {
            let minutes = HOLD_FOR.num_minutes() as u32;
            let slot = HeldSlot { tenant: &tenant, service: &service, staff, start, minutes };
            match calendar.reserve(slot).await {
                Ok(None) => {}
                Ok(Some(uid)) => {
                    let kept = booker.store.set_hold_reservation(tenant.company.id, &call_id, start, &uid).await;
                    // booked or released meanwhile: the reservation is not needed
                    if !matches!(kept, Ok(true)) {
                        let _ = calendar.release(&tenant, &uid).await;
                    }
                }
                Err(CalendarError::SlotTaken) => {
                    let now = booker.availability.now();
                    let company = tenant.company.id;
                    let _ = booker.store.take_hold_of_slot(company, &call_id, service.id.0, start, now).await;
                    booker.availability.apply(&booker.availability.key(&tenant, &service, staff), None);
                    tracing::info!("the calendar refused the reservation behind a hold; the hold is gone");
                }
                Err(error) => {
                    tracing::warn!(%error, "calendar reservation failed; the shared hold still keeps the slot")
                }
            }
        });
    }

    /// Lets a call's hold go (and its Cal.com reservation); whether there was one.
    pub async fn release(&self, tenant: &BranchContext, call_id: &str) -> bool {
        let hold = match self.store.take_hold(tenant.company.id, call_id).await {
            Ok(Some(row)) => Hold::from(row),
            Ok(None) => return false,
            Err(error) => {
                tracing::error!(%error, "hold could not be released; it lapses by itself");
                return false;
            }
        };
        if let Some(uid) = &hold.reservation_uid {
            let released = match self.calendar(tenant) {
                Ok(calendar) => calendar.release(tenant, uid).await,
                Err(error) => Err(error),
            };
            if let Err(error) = released {
                tracing::warn!(%error, "calendar reservation could not be released; it lapses by itself");
            }
        }
        if let Some(service) = tenant.branch.service(hold.service) {
            self.availability.freed(&self.availability.key(tenant, service, hold.staff), hold.start, hold.end);
        }
        true
    }

    fn outcome_of(&self, row: StoredAppointment, repeated: bool) -> BookingOutcome {
        match row.status.as_str() {
            "booked" => BookingOutcome::Booked { appointment: row, repeated },
            _ => BookingOutcome::Unconfirmed(row),
        }
    }

    /// Who takes the appointment — checked against the window and, for the embedded calendar,
    /// against the database itself.
    async fn free_staff(
        &self,
        calendar: &dyn CalendarProvider,
        tenant: &Arc<BranchContext>,
        service: &Service,
        wanted: Option<StaffId>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<FreeStaff, crate::store::StoreError> {
        let external = calendar.external();
        let read = self.availability.slots(tenant, service, wanted, start, start + Duration::minutes(1)).await;
        let read = match read {
            Ok(read) => read,
            // An outside calendar refuses a taken slot itself when it books, so a window it could not
            // read just now (Cal.com's read budget spent on questions) never stops a booking.
            Err(_) if external => {
                return Ok(FreeStaff::Found(self.availability.calendar_staff(tenant, service, wanted)))
            }
            Err(error) => return Ok(FreeStaff::Unreadable(error)),
        };
        let Some(slot) = read.slots.into_iter().find(|s| s.start == start) else { return Ok(FreeStaff::Taken) };
        if external {
            // The calendar decides hosts, except on a staff member's own event type.
            return Ok(FreeStaff::Found(self.availability.calendar_staff(tenant, service, wanted)));
        }
        let candidates: Vec<Option<StaffId>> = match (wanted, slot.staff.is_empty()) {
            (Some(person), _) => vec![Some(person)],
            (None, true) => vec![None],
            (None, false) => slot.staff.into_iter().map(Some).collect(),
        };
        let now = self.availability.now();
        for candidate in candidates {
            // Booked, or held for another call on any instance (the window may not know yet).
            if !self.store.is_busy(tenant.branch.id, candidate.map(|s| s.0), start, end, now).await? {
                return Ok(FreeStaff::Found(candidate));
            }
        }
        Ok(FreeStaff::Taken)
    }

    /// Who takes an appointment moved to a time that overlaps its own: Cal.com frees the old
    /// booking before it books the new time, so it decides; the embedded calendar recomputes the
    /// slot from the database with the appointment's own time left out, keeping its staff member
    /// when they are free.
    async fn free_staff_moving(
        &self,
        calendar: &dyn CalendarProvider,
        tenant: &Arc<BranchContext>,
        service: &Service,
        appointment: &crate::store::Appointment,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<FreeStaff, crate::store::StoreError> {
        if calendar.external() {
            return Ok(FreeStaff::Found(self.availability.calendar_staff(
                tenant,
                service,
                appointment.staff_id.map(StaffId),
            )));
        }
        let now = self.availability.now();
        let mut busy = self
            .store
            .busy_intervals(tenant.branch.id, start - Duration::days(1), end + Duration::days(1), now)
            .await?;
        if let Some(own) = busy.iter().position(|b| {
            b.staff_id == appointment.staff_id
                && b.starts_at == appointment.starts_at
                && b.ends_at == appointment.ends_at
        }) {
            busy.remove(own);
        }
        let staff: Vec<StaffId> = tenant.branch.staff_for(service.id).map(|s| s.id).collect();
        let duration = Duration::minutes(i64::from(service.duration_minutes));
        let slots = free_slots_on_grid(
            &tenant.branch.opening_hours,
            tenant.company.timezone,
            duration,
            &staff,
            &busy,
            start,
            start + Duration::minutes(1),
        );
        let Some(slot) = slots.into_iter().find(|s| s.start == start) else { return Ok(FreeStaff::Taken) };
        let keep = appointment.staff_id.map(StaffId).filter(|own| slot.staff.contains(own));
        Ok(FreeStaff::Found(keep.or(slot.staff.first().copied())))
    }
}
