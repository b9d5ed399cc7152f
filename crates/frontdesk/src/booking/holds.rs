//! Holding slots while the caller confirms: a hold lives in the database so every instance sees
//! it, keeps its time from every other call's hold and booking, and gets a Cal.com reservation
//! behind it once it has stood a moment. A call holds one slot — or one sequence of services
//! back to back — at a time.

use super::linked::Part;
use super::{call_key_prefix, Asking, Booker, FreeStaff, LOCK_WAIT};
use crate::calendar::{CalendarError, CalendarProvider, HeldSlot};
use crate::domain::{BranchContext, Service, StaffId};
use crate::store::HoldRow;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// How long a hold keeps a slot for a caller.
pub const HOLD_FOR: Duration = Duration::minutes(5);

/// How long a hold stands before its Cal.com reservation is placed (see
/// `Booker::reserve_in_background`): longer than an agent takes from reserve_slot to
/// book_appointment back to back, far shorter than a caller takes to say yes.
const RESERVE_AFTER: std::time::Duration = std::time::Duration::from_millis(1000);

/// How long a confirmed booking still counts as another call's claim: longer than any calendar
/// read may be under way (a Cal.com request's deadline is 3 s), so a hold or booking standing on
/// a read that began before that booking cannot take its time — the caller would hear "held" and
/// then "taken". Without the availability cache nothing else covers this gap.
const RECENTLY_BOOKED: Duration = Duration::seconds(15);

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
    fn row(&self, tenant: &BranchContext, call_id: &str, part: i32) -> HoldRow {
        HoldRow {
            company_id: tenant.company.id,
            call_id: call_id.to_string(),
            part,
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

impl From<HoldRow> for Hold {
    fn from(row: HoldRow) -> Self {
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

impl Booker {
    /// Whether another call holds (or is booking) time this booking needs where an outside
    /// calendar cannot see it yet: a hold's reservation or a booking may still be on its way (or
    /// the calendar ignores reservations when booking), so the booker must ask frontdesk's own
    /// records — every overlapping one, not only the same start: Cal.com refuses a reservation
    /// that overlaps another, and the caller who was told "held" would lose the slot. The
    /// embedded calendar counts holds and bookings as busy time already.
    pub(super) async fn held_by_another_call(
        &self,
        calendar: &dyn CalendarProvider,
        tenant: &BranchContext,
        asking: Asking<'_>,
        service: &Service,
        staff: Option<StaffId>,
        start: DateTime<Utc>,
    ) -> Result<bool, crate::store::StoreError> {
        if !calendar.external() {
            return Ok(false);
        }
        let call_id = match asking {
            Asking::Call(call) => Some(call),
            Asking::Move(_) | Asking::Other => None,
        };
        let own_keys = call_id.map(|call| call_key_prefix(tenant.company.id, call));
        let probe = crate::store::HoldProbe {
            company_id: tenant.company.id,
            call_id,
            own_booking_keys: own_keys.as_deref(),
            branch_id: tenant.branch.id,
            service_id: service.id.0,
            staff_id: staff.map(|s| s.0),
            starts_at: start,
            ends_at: start + service.duration(),
            now: self.availability.now(),
            booked_since: Utc::now() - RECENTLY_BOOKED,
            moving: match asking {
                Asking::Move(id) => Some(id.0),
                Asking::Call(_) | Asking::Other => None,
            },
        };
        self.store.is_claimed_by_another_call(&probe).await
    }

    /// This call's live hold of exactly this slot (a single service, or one part of a sequence
    /// it holds), left in place.
    pub(super) async fn own_hold(
        &self,
        tenant: &BranchContext,
        call_id: &str,
        service: crate::domain::ServiceId,
        start: DateTime<Utc>,
    ) -> Result<Option<Hold>, crate::store::StoreError> {
        let now = self.availability.now();
        let rows = self.store.holds(tenant.company.id, call_id).await?;
        Ok(rows
            .into_iter()
            .find(|row| row.service_id == service.0 && row.starts_at == start && row.held_until > now)
            .map(Hold::from))
    }

    /// This call's live hold of exactly these services back to back from `start`, every part,
    /// left in place; `None` unless the call holds just that sequence.
    pub(super) async fn own_sequence(
        &self,
        tenant: &BranchContext,
        call_id: &str,
        services: &[Service],
        start: DateTime<Utc>,
    ) -> Result<Option<Vec<Hold>>, crate::store::StoreError> {
        let now = self.availability.now();
        let rows = self.store.holds(tenant.company.id, call_id).await?;
        let starts = services.iter().scan(start, |at, s| {
            let this = *at;
            *at += s.duration();
            Some((s.id, this))
        });
        let matches = rows.len() == services.len()
            && rows.iter().zip(starts).all(|(row, (service, at))| {
                row.service_id == service.0 && row.starts_at == at && row.held_until > now
            });
        Ok(matches.then(|| rows.into_iter().map(Hold::from).collect()))
    }

    /// This call's live hold on exactly this slot, consumed (it may have been made on another
    /// instance: holds live in the database). Holds are keyed by company and call: call ids come
    /// from payloads, and another company's agent could name the same one.
    pub(super) async fn take_hold(
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
        self.hold_for(tenant, call_id, (service, staff, start), HOLD_FOR).await
    }

    /// Holds a slot for `holder` (a call, or a waitlist offer's slot) for `lasting`; as [`Booker::hold`].
    pub async fn hold_for(
        &self,
        tenant: &Arc<BranchContext>,
        call_id: &str,
        (service, staff, start): (&Service, Option<StaffId>, DateTime<Utc>),
        lasting: Duration,
    ) -> Result<Option<Hold>, CalendarError> {
        self.release(tenant, call_id).await;
        // The same lock as a booking: two callers asking to hold one slot at once must not both
        // pass the window check — the second waits and then sees the first's hold.
        let calendar = self.calendar(tenant)?;
        let Some(_guard) = self.locks.lock(&calendar.lock_scope(tenant, service, staff, start), LOCK_WAIT).await else {
            return Ok(None);
        };
        let earliest = self.earliest(tenant, service, crate::store::AppointmentSource::Phone);
        let staff = match self
            .free_staff(&*calendar, tenant, service, staff, start, earliest)
            .await
            .map_err(|e| CalendarError::Unavailable(e.to_string()))?
        {
            FreeStaff::Found(staff) => staff,
            FreeStaff::Taken => return Ok(None),
        };
        let part = Part { service: service.clone(), start, staff };
        Ok(self.keep(calendar, tenant, call_id, &[part], lasting).await?.and_then(|mut held| held.pop()))
    }

    /// Holds several services back to back from `start` for a call, as [`Booker::hold`] holds
    /// one: with one staff member for all where one can do them (the one asked for, if any).
    /// Its parts in order; `Ok(None)` when the sequence is not free.
    pub async fn hold_linked(
        &self,
        tenant: &Arc<BranchContext>,
        call_id: &str,
        services: &[Service],
        staff: Option<StaffId>,
        start: DateTime<Utc>,
    ) -> Result<Option<Vec<Hold>>, CalendarError> {
        let Some(first) = services.first() else { return Ok(None) };
        self.release(tenant, call_id).await;
        let calendar = self.calendar(tenant)?;
        let Some(_guard) = self.locks.lock(&calendar.lock_scope(tenant, first, staff, start), LOCK_WAIT).await else {
            return Ok(None);
        };
        let earliest = self.earliest(tenant, first, crate::store::AppointmentSource::Phone);
        let parts = match calendar.external() {
            true => self.parts_outside(&*calendar, tenant, services, start, staff, earliest).await,
            false => self.parts_here(tenant, services, start, staff, earliest).await,
        };
        let Some(parts) = parts.map_err(|e| CalendarError::Unavailable(e.to_string()))? else { return Ok(None) };
        self.keep(calendar, tenant, call_id, &parts, HOLD_FOR).await
    }

    /// Writes the call's hold of these parts, unless another call claims overlapping time; then
    /// takes their time from the windows, places the reservations behind and lets the whole hold
    /// lapse after `lasting`.
    async fn keep(
        &self,
        calendar: Arc<dyn CalendarProvider>,
        tenant: &Arc<BranchContext>,
        call_id: &str,
        parts: &[Part],
        lasting: Duration,
    ) -> Result<Option<Vec<Hold>>, CalendarError> {
        let until = self.availability.now() + lasting;
        let holds: Vec<Hold> = parts
            .iter()
            .map(|p| Hold { service: p.service.id, start: p.start, end: p.start + p.service.duration(), staff: p.staff, reservation_uid: None, until })
            .collect();
        let rows: Vec<HoldRow> = holds.iter().enumerate().map(|(i, h)| h.row(tenant, call_id, i as i32)).collect();
        let unavailable = |e: crate::store::StoreError| CalendarError::Unavailable(e.to_string());
        self.store.put_holds(&rows).await.map_err(unavailable)?;
        // Another call's hold or booking of overlapping time, made on any instance before the
        // calendar knows: asked once ours is written, so two racing calls see at least each other.
        for part in parts {
            let claimed = self.held_by_another_call(&*calendar, tenant, Asking::Call(call_id), &part.service, part.staff, part.start);
            if claimed.await.map_err(unavailable)? {
                self.store.take_hold(tenant.company.id, call_id).await.map_err(unavailable)?;
                return Ok(None);
            }
        }
        for hold in &holds {
            if let Some(service) = tenant.branch.service(hold.service) {
                self.availability.taken(&self.availability.key(tenant, service, hold.staff), hold.start, hold.end, hold.staff);
            }
        }
        if calendar.external() {
            for (part, row) in parts.iter().zip(&rows) {
                self.reserve_in_background(calendar.clone(), tenant.clone(), part.service.clone(), (row.clone(), lasting));
            }
        }
        // A hold nobody books or releases gives its time back by itself (the rows are ignored
        // once lapsed in any case; this also frees the windows and the Cal.com reservations).
        let (booker, tenant, first) = (self.clone(), tenant.clone(), rows[0].clone());
        tokio::spawn(async move {
            tokio::time::sleep(lasting.to_std().unwrap_or_default()).await;
            if booker.still_held(&first).await {
                booker.release(&tenant, &first.call_id).await;
            }
        });
        Ok(Some(holds))
    }

    /// Whether this part of the call's hold, live or lapsed, is still there (not booked,
    /// released or replaced meanwhile).
    async fn still_held(&self, row: &HoldRow) -> bool {
        let rows = self.store.holds(row.company_id, &row.call_id).await.unwrap_or_default();
        rows.iter().any(|current| current.part == row.part && current.starts_at == row.starts_at && current.held_until == row.held_until)
    }

    /// Places a hold's reservation in an outside calendar without keeping the caller waiting:
    /// the shared hold is the guarantee and the caller hears it at once. A refused reservation
    /// removes the call's whole hold (a sequence with a hole is no sequence), and the booking
    /// then answers honestly (the calendar refuses a taken slot).
    ///
    /// It is placed only once the hold has stood for [`RESERVE_AFTER`]: a booking that follows
    /// at once (agents that reserve and book back to back) needs none, and a reservation placed
    /// and released again would spend two of the key's requests a minute for nothing — requests
    /// the next caller's booking may then have to wait for.
    fn reserve_in_background(&self, calendar: Arc<dyn CalendarProvider>, tenant: Arc<BranchContext>, service: Service, (row, lasting): (HoldRow, Duration)) {
        let booker = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(RESERVE_AFTER).await;
            if !booker.still_held(&row).await {
                return;
            }
            let (staff, start, call_id) = (row.staff_id.map(StaffId), row.starts_at, row.call_id.as_str());
            let minutes = lasting.num_minutes() as u32;
            let slot = HeldSlot { tenant: &tenant, service: &service, staff, start, minutes };
            match calendar.reserve(slot).await {
                Ok(None) => {}
                Ok(Some(uid)) => {
                    let kept = booker.store.set_hold_reservation(tenant.company.id, call_id, start, &uid).await;
                    // booked or released meanwhile: the reservation is not needed
                    if !matches!(kept, Ok(true)) {
                        let _ = calendar.release(&tenant, &uid).await;
                    }
                }
                Err(CalendarError::SlotTaken) => {
                    if booker.still_held(&row).await {
                        let parts = booker.store.take_hold(tenant.company.id, call_id).await.unwrap_or_default();
                        for part in parts {
                            if let Some(uid) = part.reservation_uid {
                                booker.release_reservation_behind(&tenant, uid);
                            }
                            if let Some(service) = tenant.branch.service(crate::domain::ServiceId(part.service_id)) {
                                booker.availability.apply(&booker.availability.key(&tenant, service, part.staff_id.map(StaffId)), None);
                            }
                        }
                    }
                    tracing::info!("the calendar refused the reservation behind a hold; the hold is gone");
                }
                Err(error) => {
                    tracing::warn!(%error, "calendar reservation failed; the shared hold still keeps the slot")
                }
            }
        });
    }

    /// Lets a call's hold go, every part (and, behind, their Cal.com reservations); whether
    /// there was one.
    pub async fn release(&self, tenant: &Arc<BranchContext>, call_id: &str) -> bool {
        let parts = match self.store.take_hold(tenant.company.id, call_id).await {
            Ok(parts) => parts,
            Err(error) => {
                tracing::error!(%error, "hold could not be released; it lapses by itself");
                return false;
            }
        };
        for hold in parts.iter().cloned().map(Hold::from) {
            if let Some(uid) = hold.reservation_uid.clone() {
                self.release_reservation_behind(tenant, uid);
            }
            if let Some(service) = tenant.branch.service(hold.service) {
                self.availability.freed(&self.availability.key(tenant, service, hold.staff), hold.start, hold.end);
            }
        }
        !parts.is_empty()
    }

    /// Releases a Cal.com reservation without keeping anybody waiting: nobody needs its answer
    /// (the hold is gone from the database already), and one that is not released lapses.
    pub(super) fn release_reservation_behind(&self, tenant: &Arc<BranchContext>, uid: String) {
        let (booker, tenant) = (self.clone(), tenant.clone());
        tokio::spawn(async move {
            let released = match booker.calendar(&tenant) {
                Ok(calendar) => calendar.release(&tenant, &uid).await,
                Err(error) => Err(error),
            };
            if let Err(error) = released {
                tracing::warn!(%error, "calendar reservation could not be released; it lapses by itself");
            }
        });
    }
}
