//! The waitlist (DESIGN §15): callers whose wish was fully booked wait for a time to become
//! free. Every round (each instance; the database keeps it once) looks for a free time in each
//! waiting wish — however it became free: a cancellation or move here, in the console or in
//! Cal.com — holds it for [`OFFER_HOLD`], and offers it by SMS to the oldest matching entries
//! (or, for entries that cannot get SMS, to the owner as a callback). The first JA books it from the hold; later
//! ones hear it is gone and stay on the list. Entries end on their last day, when the customer
//! is booked for the service, or on STOP.

use crate::booking::{BookingOutcome, BookingRequest};
use crate::clock::Clock;
use crate::domain::{BranchContext, PhoneNumber, ServiceId, StaffId};
use crate::functions::Backends;
use crate::speech::{word, MessageWord};
use crate::store::{Actor, NewOffer, NoticeData, OpenOffer, StoreError, WaitlistEntry};
use crate::tenants::LiveTenants;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;
use std::sync::Arc;

/// How long a freed time is held for the customers it is offered to.
pub const OFFER_HOLD: Duration = Duration::minutes(15);
/// How many waiting customers one freed time is offered to at once (oldest first).
pub const OFFER_FANOUT: usize = 3;

/// Runs the rounds every `tick` until the process ends (domain time from `clock`).
pub fn spawn(backends: Backends, tenants: LiveTenants, clock: Arc<dyn Clock>, tick: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = round(&backends, &tenants, clock.now()).await {
                tracing::warn!(%error, "waitlist round failed");
            }
            tokio::time::sleep(tick).await;
        }
    })
}

/// The time a freed slot is (branch, service, staff member, start): the prefix of its offers' keys.
fn slot_of(tenant: &BranchContext, service: ServiceId, staff: Option<StaffId>, start: DateTime<Utc>) -> String {
    format!("waitlist:{}:{}:{}:{}:", tenant.branch.id.0, service.0, staff.map_or(0, |s| s.0), start.timestamp())
}

/// Whether a waiting entry would take `start` (local day and time inside its wish, its staff member).
fn admits(entry: &WaitlistEntry, tenant: &BranchContext, start: DateTime<Utc>, staff: &[StaffId]) -> bool {
    let local = start.with_timezone(&tenant.company.timezone).naive_local();
    let (Some((first, last)), Some((from, until))) = (entry.days(), entry.times()) else { return false };
    let person = entry.staff_id.is_none_or(|wanted| staff.is_empty() || staff.contains(&StaffId(wanted)));
    local.date() >= first && local.date() <= last && local.time() >= from && local.time() < until && person
}

/// One round: lapsed offers expire, finished entries end, free times are offered; how many
/// offers were made.
pub async fn round(backends: &Backends, tenants: &LiveTenants, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let store = &backends.store;
    store.expire_offers(now).await?;
    store.end_entries_booked_elsewhere(now).await?;
    let entries = store.waiting_entries(None).await?;
    let directory = tenants.directory();
    let mut offered: HashSet<i64> = entries.iter().filter(|e| e.offered).map(|e| e.id).collect();
    let mut made = 0;
    for entry in &entries {
        let Some(tenant) = directory.branch(entry.branch_id).cloned() else { continue };
        let today = now.with_timezone(&tenant.company.timezone).date_naive();
        if entry.days().is_none_or(|(_, last)| last < today) {
            store.end_waitlist_entry(entry.company_id, entry.id, "expired", now).await?;
            continue;
        }
        if offered.contains(&entry.id) {
            continue;
        }
        if let Some(group) = offer_to(backends, &tenant, entry, &entries, &offered, now).await? {
            made += group.len();
            offered.extend(group);
        }
    }
    Ok(made)
}

/// Finds the first free time in `entry`'s wish that it was not offered before, holds it and
/// offers it to it and the next oldest waiting entries it suits; the entries offered to.
async fn offer_to(
    backends: &Backends,
    tenant: &Arc<BranchContext>,
    entry: &WaitlistEntry,
    entries: &[WaitlistEntry],
    offered: &HashSet<i64>,
    now: DateTime<Utc>,
) -> Result<Option<Vec<i64>>, StoreError> {
    let Some(service) = tenant.branch.service(ServiceId(entry.service_id)).cloned() else { return Ok(None) };
    let (Some((first, last)), Some((from, until))) = (entry.days(), entry.times()) else { return Ok(None) };
    let zone = tenant.company.timezone;
    let window_from = crate::domain::local_instant(zone, first.and_time(from)).max(now);
    let window_to = crate::domain::local_instant(zone, last.and_time(until));
    if window_from >= window_to {
        return Ok(None);
    }
    let staff = entry.staff_id.map(StaffId);
    let read = match backends.availability.slots(tenant, &service, staff, window_from, window_to).await {
        Ok(read) => read,
        Err(error) => {
            tracing::warn!(%error, "waitlist: availability could not be read");
            return Ok(None);
        }
    };
    let before: Vec<String> = backends.store.offered_slots(entry.id).await?;
    let free = read.slots.into_iter().find(|slot| {
        let person = staff.or(slot.staff.first().copied());
        let time = slot_of(tenant, service.id, person, slot.start);
        admits(entry, tenant, slot.start, &slot.staff) && !before.iter().any(|key| key.starts_with(&time))
    });
    let Some(slot) = free else { return Ok(None) };
    let person = staff.or(slot.staff.first().copied());
    let time = slot_of(tenant, service.id, person, slot.start);
    // offered to others already: it stays theirs while held (holding it again would free it a moment)
    if backends.store.slot_on_offer(&time, now).await? {
        return Ok(None);
    }
    // each offering of a time is its own (a time filled from the list and freed again is new)
    let key = format!("{time}{}", now.timestamp_millis());
    let held = backends.booker.hold_for(tenant, &key, (&service, person, slot.start), OFFER_HOLD).await;
    let Ok(Some(hold)) = held else { return Ok(None) };
    let group: Vec<&WaitlistEntry> = entries
        .iter()
        .filter(|e| e.branch_id == entry.branch_id && e.service_id == entry.service_id && !offered.contains(&e.id))
        // the held person must be the one each asked for, if any
        .filter(|e| e.id == entry.id || (admits(e, tenant, slot.start, &slot.staff) && e.staff_id.is_none_or(|s| hold.staff == Some(StaffId(s)))))
        .take(OFFER_FANOUT)
        .collect();
    let staff_name = hold.staff.and_then(|s| tenant.branch.staff_member(s)).map(|p| p.name.clone());
    let data = offer_data(tenant, &service, staff_name, (slot.start, slot.end));
    let reason = owner_reason(tenant, &service, slot.start);
    let offer = NewOffer { slot_key: &key, start: slot.start, staff_id: hold.staff.map(|s| s.0), expires_at: hold.until, data: &data, owner_reason: &reason };
    backends.store.offer_slot(&offer, &group, backends.sms, now).await?;
    tracing::info!(branch = tenant.branch.id.0, service = service.id.0, offered = group.len(), "waitlist: a free time is offered");
    Ok(Some(group.iter().map(|e| e.id).collect()))
}

/// What an offer's SMS says: the business, the time, the service and who.
fn offer_data(tenant: &BranchContext, service: &crate::domain::Service, staff: Option<String>, (start, end): (DateTime<Utc>, DateTime<Utc>)) -> NoticeData {
    NoticeData {
        branch: Some(tenant.branch.name.clone()),
        service: Some(service.name.clone()),
        staff,
        start: Some(start),
        end: Some(end),
        ..NoticeData::of_company(&tenant.company)
    }
}

/// What the owner's callback says when a freed time cannot be offered by SMS.
fn owner_reason(tenant: &BranchContext, service: &crate::domain::Service, start: DateTime<Utc>) -> String {
    let l = tenant.company.language;
    let when = start.with_timezone(&tenant.company.timezone).format(word(l, MessageWord::DateTimeFormat));
    format!("{} {} {when}", word(l, MessageWord::WaitlistOfferTitle), service.name)
}

/// What became of a JA.
#[derive(Debug, Clone)]
pub enum Accepted {
    /// Booked: the appointment (confirmed in the answer to the JA).
    Booked(Box<crate::store::Appointment>),
    /// Somebody else was first, or the offer lapsed: they stay on the list.
    Gone {
        /// The company, for the answer.
        company: crate::domain::CompanyId,
    },
    /// No offer to this number.
    NoOffer,
}

/// A JA from `from`: books the newest open offer to it from its hold, exactly once per slot.
pub async fn accept(backends: &Backends, tenants: &LiveTenants, from: &PhoneNumber, companies: &[crate::domain::CompanyId], now: DateTime<Utc>) -> Result<Accepted, StoreError> {
    let store = &backends.store;
    let Some(offer) = store.open_offer_for(from.as_str(), companies, now).await? else {
        return Ok(Accepted::NoOffer);
    };
    let gone = Accepted::Gone { company: offer.company_id };
    if !store.accept_offer(offer.id, now).await? {
        return Ok(gone);
    }
    let Some(tenant) = tenants.directory().branch(offer.branch_id).cloned() else {
        store.offer_failed(offer.id).await?;
        return Ok(gone);
    };
    match book(backends, &tenant, &offer).await {
        Some(appointment) => {
            store.offer_booked(&offer, appointment.id, now).await?;
            Ok(Accepted::Booked(Box::new(appointment)))
        }
        None => {
            store.offer_failed(offer.id).await?;
            Ok(gone)
        }
    }
}

/// Books an accepted offer from its hold; the appointment, or `None` when the time is gone.
async fn book(backends: &Backends, tenant: &Arc<BranchContext>, offer: &OpenOffer) -> Option<crate::store::Appointment> {
    let request = BookingRequest {
        tenant: tenant.clone(),
        call_id: offer.slot_key.clone(),
        call_row_id: None,
        service: ServiceId(offer.service_id),
        more: Vec::new(),
        staff: offer.staff_id.map(StaffId),
        start: offer.starts_at,
        customer_id: offer.customer_id,
        name: offer.name.clone(),
        phone: Some(offer.phone.clone()),
        email: None,
        notes: None,
        by: Actor::Waitlist,
    };
    match backends.booker.book(&request).await {
        Ok(BookingOutcome::Booked { appointment, .. }) => Some(appointment),
        Ok(other) => {
            tracing::info!(outcome = ?std::mem::discriminant(&other), "waitlist: the accepted time could not be booked");
            None
        }
        Err(error) => {
            tracing::warn!(%error, "waitlist: booking an accepted offer failed");
            None
        }
    }
}
