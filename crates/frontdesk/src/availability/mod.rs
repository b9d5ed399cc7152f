//! The availability engine (DESIGN §8): every read answered from a window in memory, Cal.com
//! touched once per window and refresh; plus the ranking of alternatives.

pub mod alternatives;
mod bus;
mod cache;
mod chain;
mod current;
mod presence;
mod window;

pub use bus::InvalidationBus;
pub use current::BranchLookup;
pub use presence::{away_between, Presence};
pub use cache::{CacheSettings, Fetch, Fetcher, Freshness, Refresh, WindowCache};
pub use window::{block_of, block_range, Window, WindowKey, WINDOW_DAYS};

use crate::calendar::calcom::account_label;
use crate::calendar::{CalendarError, Calendars, Slot, SlotQuery};
use crate::clock::Clock;
use crate::domain::{BranchContext, CalendarKind, Company, Secret, Service, ServiceId, StaffId};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use current::CurrentBranches;
use std::sync::Arc;

/// Slots read for a question, and how they were read.
#[derive(Debug, Clone)]
pub struct SlotsRead {
    /// Free slots in the asked range (staff filter applied), sorted.
    pub slots: Vec<Slot>,
    /// Cache outcome; `None` when the cache is off or the range lies outside the window.
    pub freshness: Option<Freshness>,
}

/// The days in `[from, to)` on which the tenant is closed by a public holiday or a closure: slots
/// on them are never offered, whatever the calendar says.
fn closed_days(tenant: &BranchContext, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<NaiveDate> {
    let tz = tenant.company.timezone;
    tenant.closed_days(from.with_timezone(&tz).date_naive(), to.with_timezone(&tz).date_naive())
}

/// Whether a slot in `[from, to)` lies on a day the tenant is open (not a holiday or closure).
fn open_days(tenant: &BranchContext, from: DateTime<Utc>, to: DateTime<Utc>) -> impl Fn(&Slot) -> bool {
    let closed = closed_days(tenant, from, to);
    let tz = tenant.company.timezone;
    move |slot| closed.is_empty() || !closed.contains(&slot.start.with_timezone(&tz).date_naive())
}

/// The most far blocks a read may span (730 days, the longest booking horizon).
const MAX_FAR_BLOCKS: i64 = 53;

/// The windows a read of `[from, to)` is answered from, each with the part of the range it
/// answers: the rolling window up to 14 days from now, fixed blocks beyond.
fn pieces(
    near: WindowKey,
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(WindowKey, DateTime<Utc>, DateTime<Utc>)>, CalendarError> {
    let near_end = now + Duration::days(WINDOW_DAYS);
    let mut pieces = Vec::new();
    if from < near_end {
        pieces.push((near.clone(), from, to.min(near_end)));
    }
    if to > near_end {
        let far_from = from.max(near_end);
        let (first, last) = (block_of(far_from), block_of(to - Duration::seconds(1)));
        if last - first >= MAX_FAR_BLOCKS {
            return Err(CalendarError::Invalid("the range reaches too far ahead".into()));
        }
        for block in first..=last {
            let (start, end) = block_range(block);
            pieces.push((near.far(block), far_from.max(start), to.min(end)));
        }
    }
    Ok(pieces)
}

/// Reads slots for questions and keeps windows current.
#[derive(Debug, Clone)]
pub struct Availability {
    calendars: Calendars,
    cache: Option<Arc<WindowCache>>,
    bus: Option<InvalidationBus>,
    clock: Arc<dyn Clock>,
    default_calcom_key: Option<Secret>,
    current: CurrentBranches,
}

impl Availability {
    /// An engine over `calendars`; `cache` is `None` in baseline mode.
    pub fn new(
        calendars: Calendars,
        cache: Option<Arc<WindowCache>>,
        bus: Option<InvalidationBus>,
        clock: Arc<dyn Clock>,
        default_calcom_key: Option<Secret>,
    ) -> Self {
        Self { calendars, cache, bus, clock, default_calcom_key, current: CurrentBranches::default() }
    }

    /// Window fetches read the branch's settings through `lookup` when they run (the live
    /// directory's current copy), so a fetch started around a settings change never stores
    /// windows of the old settings.
    pub fn follow_directory(&self, lookup: BranchLookup) {
        self.current.follow(lookup);
    }

    /// The window cache's size now: (bytes as weighed for its bound, windows); `None` without a cache.
    pub fn cache_size(&self) -> Option<(u64, u64)> {
        self.cache.as_ref().map(|cache| cache.size())
    }

    /// Whether reads come from windows (false in baseline mode).
    pub fn cached(&self) -> bool {
        self.cache.is_some()
    }

    /// The Cal.com API key a company's requests use: its own, else the deployment's default.
    pub fn calcom_key<'a>(&'a self, company: &'a Company) -> Option<&'a Secret> {
        company.calcom_api_key.as_ref().or(self.default_calcom_key.as_ref())
    }

    /// The window a tenant's service lives in — on Cal.com, the staff member's own event type's
    /// window when one was asked for and mapped (the embedded calendar keeps all staff in one).
    pub fn key(&self, tenant: &BranchContext, service: &Service, staff: Option<StaffId>) -> WindowKey {
        self.appointment_window(tenant, service.id.0, tenant.branch.calcom_event(service, staff))
    }

    /// The window an appointment's time lives in: on Cal.com, that of the event type it was
    /// booked on (`event_type`), else the branch's window of the service.
    pub fn appointment_window(&self, tenant: &BranchContext, service_id: i64, event_type: Option<i64>) -> WindowKey {
        match self.calendars.kind_for(&tenant.company) {
            CalendarKind::Calcom => WindowKey::near(
                CalendarKind::Calcom,
                self.calcom_key(&tenant.company).map(account_label).unwrap_or_default(),
                event_type.unwrap_or(service_id),
            ),
            CalendarKind::Local => WindowKey::near(CalendarKind::Local, tenant.branch.id.to_string(), service_id),
        }
    }

    /// On Cal.com, the staff member whose own event type a read or booking uses, if one was asked
    /// for and mapped (the embedded calendar keeps all staff in one window: `None`).
    pub fn calendar_staff(&self, tenant: &BranchContext, service: &Service, staff: Option<StaffId>) -> Option<StaffId> {
        let calcom = self.calendars.kind_for(&tenant.company) == CalendarKind::Calcom;
        staff.filter(|_| calcom && tenant.branch.calcom_staff_mapped(service, staff))
    }

    /// A fetcher for the whole window of a tenant's service (on Cal.com, of one staff member's
    /// own event type when `staff` is given): the next 14 days, or the far block the key names.
    fn fetcher(
        &self,
        tenant: &Arc<BranchContext>,
        service: ServiceId,
        staff: Option<StaffId>,
        key: &WindowKey,
    ) -> Fetcher {
        let (seen, calendars, clock) = (tenant.clone(), self.calendars.clone(), self.clock.clone());
        let (key, current) = (key.clone(), self.current.clone());
        Arc::new(move || {
            let (seen, calendars, clock, key) = (seen.clone(), calendars.clone(), clock.clone(), key.clone());
            let current = current.clone();
            Box::pin(async move {
                // the settings as they are now, not as the request that started the fetch saw them
                let tenant = current.of(&seen).ok_or(CalendarError::NotFound)?;
                let service = tenant.branch.service(service).ok_or(CalendarError::NotFound)?;
                let (from, to) = key.range(clock.now());
                let provider = calendars.for_company(&tenant.company)?;
                let query = SlotQuery { tenant: &tenant, service, staff, from, to };
                let slots = provider.free_slots(query).await?;
                Ok(Window { slots, from, to, fetched_at: clock.now() })
            })
        })
    }

    /// The slots a caller may be offered in `[from, to)`: nothing sooner than the service's
    /// notice (DESIGN §13), nobody known to be away.
    pub async fn slots(
        &self,
        tenant: &Arc<BranchContext>,
        service: &Service,
        staff: Option<StaffId>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<SlotsRead, CalendarError> {
        let earliest = service.earliest(&tenant.company, self.clock.now());
        self.slots_from(tenant, service, staff, from.max(earliest), to).await
    }

    /// Whether a staff member (or, for `None`, anyone able) who could do the service is there
    /// at `start`, by frontdesk's own knowledge alone (absences, breaks).
    pub fn present_for(&self, tenant: &BranchContext, service: &Service, staff: Option<StaffId>, start: DateTime<Utc>) -> bool {
        Presence::new(tenant, service, staff, start, start).is_open(start)
    }

    /// Free slots of a service in `[from, to)` without the notice (staff in the console book walk-ins
    /// for now): from the rolling window for the next 14 days and
    /// from fixed 14-day blocks beyond it (each fetched once and cached like the window, so a far
    /// question costs one calendar request per block, not one per question); straight from the
    /// calendar only in baseline mode.
    pub async fn slots_from(
        &self,
        tenant: &Arc<BranchContext>,
        service: &Service,
        staff: Option<StaffId>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<SlotsRead, CalendarError> {
        let now = self.clock.now();
        let from = from.max(now);
        let calendar_knows_staff = self.calendars.kind_for(&tenant.company) == CalendarKind::Local;
        if let Some(cache) = &self.cache {
            let own_event = self.calendar_staff(tenant, service, staff);
            let pieces = pieces(self.key(tenant, service, own_event), now, from, to)?;
            let open = open_days(tenant, from, to);
            // the embedded calendar's engine knows absences and breaks already
            let presence = (!calendar_knows_staff).then(|| Presence::new(tenant, service, staff, from, to));
            let (mut slots, mut freshness) = (Vec::new(), Freshness::Hit);
            for (key, piece_from, piece_to) in pieces {
                let (window, read) = cache.read(&key, || self.fetcher(tenant, service.id, own_event, &key)).await?;
                slots.extend(
                    window
                        .slots
                        .iter()
                        .filter(|s| s.start >= piece_from && s.start < piece_to)
                        .filter(|s| !calendar_knows_staff || staff.is_none_or(|person| s.staff.contains(&person)))
                        .filter(|s| open(s))
                        .filter(|s| presence.as_ref().is_none_or(|p| p.is_open(s.start)))
                        .cloned(),
                );
                // a read is as fresh as its least fresh piece
                if freshness == Freshness::Hit {
                    freshness = read;
                }
            }
            return Ok(SlotsRead { slots, freshness: Some(freshness) });
        }
        let provider = self.calendars.for_company(&tenant.company)?;
        let query = SlotQuery { tenant, service, staff, from, to };
        let open = open_days(tenant, from, to);
        let presence = (!calendar_knows_staff).then(|| Presence::new(tenant, service, staff, from, to));
        let mut slots = provider.free_slots(query).await?;
        slots.retain(|s| open(s) && presence.as_ref().is_none_or(|p| p.is_open(s.start)));
        Ok(SlotsRead { slots, freshness: None })
    }

    /// Warms the windows of every service of a branch (a call is starting).
    pub fn prefetch(&self, tenant: &Arc<BranchContext>) {
        let Some(cache) = &self.cache else { return };
        for service in &tenant.branch.services {
            let key = self.key(tenant, service, None);
            cache.warm(&key, || self.fetcher(tenant, service.id, None, &key));
        }
    }

    /// The rolling window of `key` and those of its far blocks in memory that `[start, end)`
    /// touches (all of them when the change is unknown).
    fn with_far_blocks(&self, key: &WindowKey, span: Option<(DateTime<Utc>, DateTime<Utc>)>) -> Vec<WindowKey> {
        let Some(cache) = &self.cache else { return vec![key.clone()] };
        let blocks = match span {
            Some((start, end)) => block_of(start)..=block_of(end),
            None => {
                let first = block_of(self.clock.now());
                first..=first + MAX_FAR_BLOCKS
            }
        };
        let mut keys = vec![key.clone()];
        keys.extend(blocks.map(|b| key.far(b)).filter(|k| cache.holds(k)));
        keys
    }

    /// Time was taken through frontdesk (a booking, a hold): removed from the window at once, the
    /// window refreshed with its regular refresh-ahead, and the change announced to other instances.
    /// In the embedded calendar every window of the branch is rebuilt instead: a booking there
    /// changes other services' slots too (the same staff member, a shared resource, a wait phase).
    pub fn taken(&self, key: &WindowKey, start: DateTime<Utc>, end: DateTime<Utc>, staff: Option<StaffId>) {
        self.apply(key, Some((start, end, staff)));
        if let Some(bus) = &self.bus {
            bus.publish(key, Some((start, end, staff)));
        }
    }

    /// An appointment was cancelled: its time is given back. The embedded calendar's windows of
    /// the branch are dropped (recomputed from the database on the next read); Cal.com windows
    /// are refreshed.
    pub fn freed(&self, key: &WindowKey, start: DateTime<Utc>, end: DateTime<Utc>) {
        if let Some(cache) = &self.cache {
            for far in self.with_far_blocks(key, Some((start, end))) {
                cache.release_taken(&far, start, end);
                // Cal.com: only the windows the freed time touches are asked again
                if far.calendar == CalendarKind::Calcom {
                    cache.invalidate(&far, None, Refresh::Now);
                }
            }
            if key.calendar == CalendarKind::Local {
                self.apply(key, None);
            }
        }
        if let Some(bus) = &self.bus {
            bus.publish(key, None);
        }
    }

    /// Appointments of a branch changed in ways frontdesk did not see (edited in the database):
    /// its windows are dropped here and on the other instances.
    pub fn forget_branch(&self, tenant: &BranchContext) {
        self.evict_branch(tenant);
        if let Some(bus) = &self.bus {
            for service in &tenant.branch.services {
                bus.publish(&self.key(tenant, service, None), None);
            }
        }
    }

    /// Drops this instance's windows of a branch, without announcing it: after a settings change
    /// every instance reloads its tenants first and then drops the windows itself, so no instance
    /// refetches a window with the old opening hours.
    pub fn evict_branch(&self, tenant: &BranchContext) {
        let Some(cache) = &self.cache else { return };
        for service in &tenant.branch.services {
            // A staff member's own Cal.com event type is a window of its own.
            let staff = tenant.branch.staff.iter().filter(|s| s.services.contains(&service.id)).map(|s| Some(s.id));
            for who in std::iter::once(None).chain(staff) {
                for key in self.with_far_blocks(&self.key(tenant, service, who), None) {
                    cache.evict(&key);
                }
            }
        }
    }

    /// Applies an invalidation without announcing it (ours, or one from another instance): known
    /// time taken is patched in; an unknown change refreshes now. The embedded calendar's windows
    /// of the branch are all dropped: they are recomputed from the database on the next read.
    pub fn apply(&self, key: &WindowKey, taken: Option<(DateTime<Utc>, DateTime<Utc>, Option<StaffId>)>) {
        let Some(cache) = &self.cache else { return };
        if key.calendar == CalendarKind::Local {
            for key in cache.keys_for_account(CalendarKind::Local, &key.account) {
                cache.evict(&key);
            }
            return;
        }
        let refresh = if taken.is_some() { Refresh::AtTtl } else { Refresh::Now };
        for key in self.with_far_blocks(key, taken.map(|(start, end, _)| (start, end))) {
            cache.invalidate(&key, taken, refresh);
        }
    }

    /// Applies an invalidation to every window of a calendar event, without announcing it.
    pub fn apply_event(
        &self,
        calendar: CalendarKind,
        event: i64,
        taken: Option<(DateTime<Utc>, DateTime<Utc>, Option<StaffId>)>,
    ) {
        // Webhooks are news from outside: refetch at once.
        self.invalidate_event(calendar, event, taken, Refresh::Now);
    }

    /// Invalidates every window of a calendar event here (accounts are not named by webhooks).
    fn invalidate_event(
        &self,
        calendar: CalendarKind,
        event: i64,
        taken: Option<(DateTime<Utc>, DateTime<Utc>, Option<StaffId>)>,
        refresh: Refresh,
    ) {
        if let Some(cache) = &self.cache {
            for key in cache.keys_for_event(calendar, event) {
                cache.invalidate(&key, taken, refresh);
            }
        }
    }

    /// A Cal.com event type changed (a webhook): time taken is removed at once, windows are
    /// refreshed, other instances are told. Webhooks name event types, not accounts.
    pub fn calcom_event_changed(&self, event_type_id: i64, taken: Option<(DateTime<Utc>, DateTime<Utc>)>) {
        let taken = taken.map(|(start, end)| (start, end, None));
        self.apply_event(CalendarKind::Calcom, event_type_id, taken);
        if let Some(bus) = &self.bus {
            bus.publish_event(CalendarKind::Calcom, event_type_id, taken);
        }
    }

    /// Cal.com confirms a booking frontdesk made itself (the webhook carries our appointment id):
    /// the windows here and on the other instances already lack that time, so it is patched again
    /// (idempotent; it also covers a booking whose answer was lost) and nothing is refetched.
    pub fn calcom_own_booking_confirmed(&self, event_type_id: i64, start: DateTime<Utc>, end: DateTime<Utc>) {
        self.invalidate_event(CalendarKind::Calcom, event_type_id, Some((start, end, None)), Refresh::AtTtl);
    }

    /// The clock the engine reads "now" from.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The calendars behind the engine.
    pub fn calendars(&self) -> &Calendars {
        &self.calendars
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::fixtures::{hours, tenant, utc};
    use crate::calendar::CalendarProvider;
    use crate::clock::ManualClock;
    use arc_swap::ArcSwap;
    use futures_util::future::BoxFuture;

    /// A calendar whose one free slot starts as many minutes after the window's start as the
    /// service lasts: the window shows which settings it was fetched with.
    #[derive(Debug)]
    struct TellsSettings;

    impl CalendarProvider for TellsSettings {
        fn name(&self) -> &'static str {
            "tells"
        }

        fn free_slots<'a>(&'a self, query: SlotQuery<'a>) -> BoxFuture<'a, Result<Vec<Slot>, CalendarError>> {
            let start = query.from + Duration::minutes(query.service.duration_minutes.into());
            Box::pin(async move { Ok(vec![Slot { start, end: start + Duration::minutes(5), staff: vec![] }]) })
        }
    }

    /// An engine with windows over [`TellsSettings`], its clock standing at a Monday morning.
    fn engine() -> (DateTime<Utc>, Availability) {
        let now = utc(2026, 12, 7, 8, 0);
        let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now));
        let settings = CacheSettings {
            ttl: Duration::minutes(5),
            read_wait: std::time::Duration::from_secs(1),
            max_bytes: 1 << 20,
        };
        let cache = WindowCache::new(settings, clock.clone());
        (now, Availability::new(Calendars::single(Arc::new(TellsSettings)), Some(cache), None, clock, None))
    }

    fn branch(minutes: u32) -> Arc<BranchContext> {
        let service = Service::plain(ServiceId(7), "Schnitt", minutes);
        Arc::new(tenant(chrono_tz::Europe::Berlin, hours("mon", "09:00-18:00"), vec![service], vec![]))
    }

    /// The flake of `console::a_settings_change_and_a_reload_reach_every_instance`, made
    /// deterministic: a request resolves its branch, the settings change (directory swapped,
    /// windows evicted), and only then does the request's read miss and fetch.
    #[tokio::test]
    async fn a_fetch_after_a_settings_change_uses_the_new_settings_whoever_started_it() {
        let (now, engine) = engine();
        let (before, after) = (branch(30), branch(45));
        let directory = Arc::new(ArcSwap::new(before.clone()));
        let live = directory.clone();
        engine.follow_directory(Arc::new(move |id| Some(live.load_full()).filter(|b| b.branch.id == id)));

        // the request saw `before`; the change lands before its read
        directory.store(after.clone());
        engine.evict_branch(&before);
        engine.evict_branch(&after);
        let late = engine.slots_from(&before, &before.branch.services[0], None, now, now + Duration::days(1)).await;
        assert_eq!(late.unwrap().slots[0].start, now + Duration::minutes(45), "fetched with the old settings");

        // and every later question reads the new settings' window
        let next = engine.slots_from(&after, &after.branch.services[0], None, now, now + Duration::days(1)).await;
        let next = next.unwrap();
        assert_eq!(next.freshness, Some(Freshness::Hit));
        assert_eq!(next.slots[0].start, now + Duration::minutes(45));
    }

    #[tokio::test]
    async fn a_deleted_branch_is_not_fetched() {
        let (now, engine) = engine();
        engine.follow_directory(Arc::new(|_| None));
        let gone = branch(30);
        let read = engine.slots_from(&gone, &gone.branch.services[0], None, now, now + Duration::days(1)).await;
        assert!(matches!(read, Err(CalendarError::NotFound)), "{read:?}");
    }
}
