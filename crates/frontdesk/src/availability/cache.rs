//! The window cache: moka holds the windows; concurrent misses on a key share one fetch
//! (single-flight); windows past 80 % of their TTL are refreshed in the background; an expired
//! window whose refresh fails or is slow is served as stale; nobody waits longer than the read
//! deadline. Invalidations bump a key's generation so a fetch that started before a booking can
//! never overwrite the corrected window.

use super::window::{Window, WindowKey};
use crate::calendar::CalendarError;
use crate::clock::Clock;
use crate::telemetry::AVAILABILITY_CACHE;
use chrono::{DateTime, Duration, Utc};
use futures_util::future::{BoxFuture, FutureExt, Shared};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// One fetch of a window.
pub type Fetch = BoxFuture<'static, Result<Window, CalendarError>>;
/// How to fetch a key's window again (kept with the window, so webhooks can refresh it).
pub type Fetcher = Arc<dyn Fn() -> Fetch + Send + Sync>;

type SharedFetch = Shared<BoxFuture<'static, Result<Arc<Window>, CalendarError>>>;

/// When an invalidated window is fetched again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Right away, in the background.
    Now,
    /// With the window's regular refresh-ahead.
    AtTtl,
}

/// How a read was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// From a fresh window in memory.
    Hit,
    /// This read started the fetch and waited for it.
    Miss,
    /// Joined a fetch another read had started.
    Coalesced,
    /// From a window past its TTL, because the refresh failed or is slow.
    Stale,
}

impl Freshness {
    /// Metric label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Coalesced => "coalesced",
            Self::Stale => "stale",
        }
    }
}

struct Entry {
    window: Arc<Window>,
    fetcher: Fetcher,
}

/// Time taken recently, kept over refreshed windows for a while: a calendar's slot answers may
/// lag behind its own webhooks.
type Taken = (DateTime<Utc>, DateTime<Utc>, Option<crate::domain::StaffId>);

/// How long taken time is laid over refreshed windows.
const TAKEN_GRACE: Duration = Duration::seconds(120);

#[derive(Default)]
struct Flights {
    running: HashMap<WindowKey, (u64, SharedFetch)>,
    generations: HashMap<WindowKey, u64>,
    recently_taken: HashMap<WindowKey, Vec<(Taken, DateTime<Utc>)>>,
}

/// Cache settings.
#[derive(Debug, Clone, Copy)]
pub struct CacheSettings {
    /// Time to live of a window.
    pub ttl: Duration,
    /// Longest a read waits for a fetch before answering stale or unavailable.
    pub read_wait: std::time::Duration,
    /// Memory the windows may take, in bytes (`FRONTDESK_WINDOW_CACHE_MB`); beyond it the
    /// coldest windows (tenants nobody calls) are evicted first.
    pub max_bytes: u64,
}

/// What a window costs in memory, roughly: its slots, their staff lists and the key.
fn weight(key: &WindowKey, entry: &Arc<Entry>) -> u32 {
    let slot = std::mem::size_of::<crate::calendar::Slot>();
    let staff: usize =
        entry.window.slots.iter().map(|s| s.staff.len() * std::mem::size_of::<crate::domain::StaffId>()).sum();
    let bytes = 256 + key.account.len() + entry.window.slots.len() * slot + staff;
    u32::try_from(bytes).unwrap_or(u32::MAX)
}

/// Windows in memory.
pub struct WindowCache {
    windows: moka::sync::Cache<WindowKey, Arc<Entry>>,
    flights: Mutex<Flights>,
    settings: CacheSettings,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for WindowCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WindowCache")
            .field("windows", &self.windows.entry_count())
            .field("settings", &self.settings)
            .finish()
    }
}

fn count(result: &'static str) {
    metrics::counter!(AVAILABILITY_CACHE, "result" => result).increment(1);
}

impl WindowCache {
    /// An empty cache bounded by `settings.max_bytes`; windows nobody reads for an hour are dropped.
    pub fn new(settings: CacheSettings, clock: Arc<dyn Clock>) -> Arc<Self> {
        let windows = moka::sync::Cache::builder()
            .weigher(weight)
            .max_capacity(settings.max_bytes)
            .time_to_idle(std::time::Duration::from_secs(3600))
            .build();
        Arc::new(Self { windows, flights: Mutex::default(), settings, clock })
    }

    fn flights(&self) -> std::sync::MutexGuard<'_, Flights> {
        self.flights.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The window for `key`, fetching it with `fetcher` when absent or expired.
    pub async fn read(
        self: &Arc<Self>,
        key: &WindowKey,
        fetcher: impl FnOnce() -> Fetcher,
    ) -> Result<(Arc<Window>, Freshness), CalendarError> {
        let now = self.clock.now();
        let cached = self.windows.get(key);
        if let Some(entry) = &cached {
            let age = entry.window.age(now);
            if age < self.settings.ttl {
                if age >= self.settings.ttl * 4 / 5 {
                    self.refresh(key, entry.fetcher.clone(), false);
                }
                count("hit");
                return Ok((entry.window.clone(), Freshness::Hit));
            }
        }
        let fetcher = cached.as_ref().map(|e| e.fetcher.clone()).unwrap_or_else(fetcher);
        let (flight, joined) = self.start(key, fetcher, false);
        let fresh = if joined { Freshness::Coalesced } else { Freshness::Miss };
        match (tokio::time::timeout(self.settings.read_wait, flight).await, cached) {
            (Ok(Ok(window)), _) => {
                count(fresh.as_str());
                Ok((window, fresh))
            }
            (_, Some(entry)) => {
                count("stale");
                Ok((entry.window.clone(), Freshness::Stale))
            }
            (Ok(Err(error)), None) => {
                count("unavailable");
                Err(error)
            }
            (Err(_), None) => {
                count("unavailable");
                Err(CalendarError::Unavailable(format!("no window within {} ms", self.settings.read_wait.as_millis())))
            }
        }
    }

    /// Starts a fetch for `key` unless one of the current generation is running; returns it and
    /// whether it was already running. `force` starts a new one even then.
    fn start(self: &Arc<Self>, key: &WindowKey, fetcher: Fetcher, force: bool) -> (SharedFetch, bool) {
        let mut flights = self.flights();
        self.prune(&mut flights);
        let generation = flights.generations.get(key).copied().unwrap_or(0);
        if let Some((running_generation, flight)) = flights.running.get(key) {
            if *running_generation == generation && !force {
                return (flight.clone(), true);
            }
        }
        let (sender, receiver) = oneshot::channel();
        let flight: SharedFetch = receiver
            .map(|r| r.unwrap_or_else(|_| Err(CalendarError::Unavailable("window fetch ended".into()))))
            .boxed()
            .shared();
        flights.running.insert(key.clone(), (generation, flight.clone()));
        drop(flights);
        let (this, key, fetch) = (self.clone(), key.clone(), fetcher.clone());
        tokio::spawn(async move {
            // A panicking provider must not take the waiting callers with it: logged, counted, unavailable.
            let result = match std::panic::AssertUnwindSafe(fetch()).catch_unwind().await {
                Ok(result) => result.map(|window| Arc::new(this.without_recently_taken(&key, window))),
                Err(panic) => {
                    tracing::error!(panic = %crate::telemetry::panic_text(panic.as_ref()), "window fetch panicked");
                    metrics::counter!(crate::telemetry::INTERNAL_ERRORS).increment(1);
                    Err(CalendarError::Unavailable("internal error while reading the calendar".into()))
                }
            };
            let mut flights = this.flights();
            let current = flights.generations.get(&key).copied().unwrap_or(0) == generation;
            if current {
                if let Ok(window) = &result {
                    this.windows.insert(key.clone(), Arc::new(Entry { window: window.clone(), fetcher }));
                }
            }
            if flights.running.get(&key).is_some_and(|(g, _)| *g == generation) {
                flights.running.remove(&key);
            }
            drop(flights);
            let _ = sender.send(result);
        });
        (flight, false)
    }

    /// Forgets the bookkeeping of windows that are gone (evicted, idle) once it outgrows the
    /// windows in memory: a key without a window or a running fetch needs no generation, and
    /// taken time older than the grace period patches nothing.
    fn prune(&self, flights: &mut Flights) {
        let limit = 2 * usize::try_from(self.windows.entry_count()).unwrap_or(usize::MAX) + 1024;
        if flights.generations.len() <= limit && flights.recently_taken.len() <= limit {
            return;
        }
        let now = self.clock.now();
        let Flights { running, generations, recently_taken } = flights;
        generations.retain(|key, _| running.contains_key(key) || self.windows.contains_key(key));
        recently_taken.retain(|_, taken| {
            taken.retain(|(_, until)| *until > now);
            !taken.is_empty()
        });
    }

    /// A fetched window minus the time taken in the last two minutes.
    fn without_recently_taken(&self, key: &WindowKey, mut window: Window) -> Window {
        let now = self.clock.now();
        let mut flights = self.flights();
        if let Some(taken) = flights.recently_taken.get_mut(key) {
            taken.retain(|(_, until)| *until > now);
            for ((start, end, staff), _) in taken.iter() {
                window = window.without(*start, *end, *staff);
            }
        }
        window
    }

    /// Starts (or joins) a fetch without waiting for it: it runs in its own task.
    fn refresh(self: &Arc<Self>, key: &WindowKey, fetcher: Fetcher, force: bool) {
        let (_flight, _) = self.start(key, fetcher, force);
    }

    /// Warms a key in the background if it has no window yet (prefetch).
    pub fn warm(self: &Arc<Self>, key: &WindowKey, fetcher: impl FnOnce() -> Fetcher) {
        let fresh = self.windows.get(key).is_some_and(|e| e.window.age(self.clock.now()) < self.settings.ttl * 4 / 5);
        if !fresh {
            let fetcher = self.windows.get(key).map(|e| e.fetcher.clone()).unwrap_or_else(fetcher);
            self.refresh(key, fetcher, false);
        }
    }

    /// Applies a change at once — `taken` removes time from the window — and schedules its refresh:
    /// `Refresh::Now` refetches in the background at once (news from outside); `Refresh::AtTtl`
    /// leaves it to the window's regular refresh-ahead (our own change, known exactly, so a booking
    /// costs Cal.com nothing but its create). Fetches started earlier can no longer overwrite it.
    pub fn invalidate(self: &Arc<Self>, key: &WindowKey, taken: Option<Taken>, refresh: Refresh) {
        {
            let now = self.clock.now();
            let mut flights = self.flights();
            *flights.generations.entry(key.clone()).or_default() += 1;
            if let Some(taken) = taken {
                let recent = flights.recently_taken.entry(key.clone()).or_default();
                recent.retain(|(_, until)| *until > now);
                recent.push((taken, now + TAKEN_GRACE));
            }
        }
        // Without a window there is nothing to correct; a fetch already running is corrected by
        // the recently taken time when it lands.
        let Some(entry) = self.windows.get(key) else { return };
        let window = match taken {
            Some((start, end, staff)) => entry.window.without(start, end, staff),
            None => (*entry.window).clone(),
        };
        match refresh {
            Refresh::Now => {
                self.windows
                    .insert(key.clone(), Arc::new(Entry { window: Arc::new(window), fetcher: entry.fetcher.clone() }));
                self.refresh(key, entry.fetcher.clone(), true);
            }
            Refresh::AtTtl => {
                self.windows
                    .insert(key.clone(), Arc::new(Entry { window: Arc::new(window), fetcher: entry.fetcher.clone() }));
            }
        }
    }

    /// Time was given back (a cancellation): it is no longer laid over refreshed windows.
    pub fn release_taken(&self, key: &WindowKey, start: DateTime<Utc>, end: DateTime<Utc>) {
        if let Some(taken) = self.flights().recently_taken.get_mut(key) {
            taken.retain(|((s, e, _), _)| !(*s < end && *e > start));
        }
    }

    /// The memory the windows take now, in bytes (as weighed for the bound).
    pub fn bytes(&self) -> u64 {
        self.windows.run_pending_tasks();
        self.windows.weighted_size()
    }

    /// The memory the windows take now (bytes, as weighed for the bound) and how many there are.
    pub fn size(&self) -> (u64, u64) {
        self.windows.run_pending_tasks();
        (self.windows.weighted_size(), self.windows.entry_count())
    }

    /// Whether a window for `key` is in memory.
    pub fn holds(&self, key: &WindowKey) -> bool {
        self.windows.contains_key(key)
    }

    /// Drops a window: the next read fetches it again (the change is unknown, so nothing stale
    /// may be served).
    pub fn evict(&self, key: &WindowKey) {
        *self.flights().generations.entry(key.clone()).or_default() += 1;
        self.windows.invalidate(key);
    }

    /// Every cached key of one account of a calendar (for the embedded calendar: one branch).
    pub fn keys_for_account(&self, calendar: crate::domain::CalendarKind, account: &str) -> Vec<WindowKey> {
        self.windows
            .iter()
            .map(|(key, _)| (*key).clone())
            .filter(|key| key.calendar == calendar && key.account == account)
            .collect()
    }

    /// Every cached key of a calendar event (e.g. a Cal.com event type).
    pub fn keys_for_event(&self, calendar: crate::domain::CalendarKind, event: i64) -> Vec<WindowKey> {
        self.windows
            .iter()
            .map(|(key, _)| (*key).clone())
            .filter(|key| key.calendar == calendar && key.event == event)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Slot;
    use crate::clock::ManualClock;
    use crate::domain::{CalendarKind, StaffId};
    use chrono::TimeZone;

    /// A window of `n` half-hour slots with two staff members each.
    fn fetcher(now: DateTime<Utc>, n: usize) -> Fetcher {
        Arc::new(move || {
            let slots = (0..n)
                .map(|i| {
                    let start = now + Duration::minutes(30 * i as i64);
                    Slot { start, end: start + Duration::minutes(30), staff: vec![StaffId(1), StaffId(2)] }
                })
                .collect();
            Box::pin(async move { Ok(Window { slots, from: now, to: now + Duration::days(14), fetched_at: now }) })
        })
    }

    #[tokio::test]
    async fn windows_stay_within_their_memory_bound_and_cold_tenants_go_first() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0).unwrap();
        let max_bytes = 2 * 1024 * 1024;
        let settings =
            CacheSettings { ttl: Duration::minutes(5), read_wait: std::time::Duration::from_secs(1), max_bytes };
        let cache = WindowCache::new(settings, Arc::new(ManualClock::new(now)));
        let key = |tenant: i64| WindowKey::near(CalendarKind::Local, tenant.to_string(), 1);
        // One busy tenant, read again and again, and 1,000 tenants read once each (≈ 20 KB a window).
        for tenant in 0..1_000 {
            cache.read(&key(tenant), || fetcher(now, 300)).await.unwrap();
            cache.read(&key(-1), || fetcher(now, 300)).await.unwrap();
        }
        assert!(cache.bytes() <= max_bytes, "{} bytes held, bound {max_bytes}", cache.bytes());
        assert!(cache.holds(&key(-1)), "the tenant that keeps calling keeps its window");
        assert!((0..1_000).filter(|t| !cache.holds(&key(*t))).count() > 800, "cold windows were evicted");
    }

    #[tokio::test]
    async fn bookkeeping_of_gone_windows_is_forgotten() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0).unwrap();
        let settings = CacheSettings {
            ttl: Duration::minutes(5),
            read_wait: std::time::Duration::from_secs(1),
            max_bytes: 1 << 20,
        };
        let cache = WindowCache::new(settings, Arc::new(ManualClock::new(now)));
        for tenant in 0..5_000 {
            cache.evict(&WindowKey::near(CalendarKind::Local, tenant.to_string(), 1));
        }
        assert_eq!(cache.flights().generations.len(), 5_000);
        cache.read(&WindowKey::near(CalendarKind::Local, "live".into(), 1), || fetcher(now, 10)).await.unwrap();
        assert!(cache.flights().generations.len() <= 1, "{}", cache.flights().generations.len());
    }
}
