//! Building the application from settings: database, migrations, tenants, directory, calendar,
//! audit writer, router, listener — and running it until a shutdown signal.

use crate::app::{router, AppState, AppStateParts, ConsoleParts};
use crate::availability::{Availability, CacheSettings, InvalidationBus, WindowCache};
use crate::booking::{Booker, RedisLocks};
use crate::broadcast::Broadcast;
use crate::calendar::calcom::{CalcomCalendar, CalcomClient, CalcomSettings, Deadlines, SharedBudget};
use crate::calendar::{CalendarProvider, Calendars, LocalCalendar};
use crate::clock::{Clock, SystemClock};
use crate::shared_redis::SharedRedis;
use crate::configuration::{CalendarKind, ConfigError, Settings};
use crate::domain::BranchContext;
use crate::functions::Backends;
use crate::store::{AuditLog, Store};
use crate::tenants::{LiveTenants, TenantDirectory, TenantsFile};
use anyhow::Context;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A built, bound, not yet serving application.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    store: Store,
    audit_writer: JoinHandle<()>,
    notifier: JoinHandle<()>,
    digests: JoinHandle<()>,
    waitlist: JoinHandle<()>,
    retention: JoinHandle<()>,
    limits: crate::http::ConnectionLimits,
}

/// Connects, migrates and imports the tenants file if one is configured; returns the store.
pub async fn prepare_database(settings: &Settings) -> anyhow::Result<Store> {
    let store = Store::connect(&settings.database.url).await.context("FRONTDESK_DATABASE_URL: cannot connect")?;
    store.migrate().await.context("migrations failed")?;
    if let Some(path) = &settings.database.tenants {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("invalid setting FRONTDESK_TENANTS: cannot read {}: {e}", path.display()))?;
        // An unchanged file is not even parsed: 10,000 companies take seconds and ~400 MB to parse.
        if store.tenants_imported(&TenantsFile::digest_of(&text)).await.context("reading the last tenant import")? {
            tracing::info!("tenants file unchanged since its last import");
            return Ok(store);
        }
        let file = TenantsFile::parse(&text)
            .map_err(|e| anyhow::anyhow!("invalid setting FRONTDESK_TENANTS: {}: {e}", path.display()))?;
        let started = std::time::Instant::now();
        let imported = store.import_tenants(&file).await.context("importing FRONTDESK_TENANTS failed")?;
        if imported {
            let ms = started.elapsed().as_millis() as u64;
            tracing::info!(companies = file.companies.len(), ms, "tenants file imported");
        }
    }
    Ok(store)
}

/// Parts a test (or an embedding program) replaces; `Default` is production.
#[derive(Debug, Default)]
pub struct Overrides {
    /// The clock (default: the system clock).
    pub clock: Option<Arc<dyn Clock>>,
    /// One calendar provider for every tenant (default: chosen by settings and tenants file).
    pub calendar: Option<Arc<dyn CalendarProvider>>,
    /// Cal.com deadlines (default: 3 s, 1.5 s half-open).
    pub calcom_deadlines: Option<Deadlines>,
    /// How long a read waits for a window fetch (default 1.2 s).
    pub availability_read_wait: Option<std::time::Duration>,
    /// Notification delivery timings (default: poll 0.5 s, first retry 10 s, give up after a day).
    pub notify: Option<crate::notify::NotifySettings>,
}

/// Refuses to start when a Cal.com tenant lacks a key or a service lacks its event type.
fn check_calcom_tenants(settings: &Settings, branches: &[BranchContext]) -> Result<(), ConfigError> {
    for ctx in branches {
        if ctx.company.calendar.unwrap_or(settings.calcom.calendar) != CalendarKind::Calcom {
            continue;
        }
        if ctx.company.calcom_api_key.is_none() && settings.calcom.api_key.is_none() {
            return Err(ConfigError::Invalid {
                name: "FRONTDESK_CALCOM_API_KEY",
                problem: format!(
                    "company {:?} uses Cal.com but has no calcom_api_key and no default key is set",
                    ctx.company.name
                ),
            });
        }
        if let Some(service) = ctx.branch.services.iter().find(|s| s.calcom_event_type_id.is_none()) {
            return Err(ConfigError::Invalid {
                name: "FRONTDESK_TENANTS",
                problem: format!("service {:?} of {:?} has no calcom_event_type_id", service.name, ctx.company.name),
            });
        }
    }
    Ok(())
}

impl Application {
    /// Builds everything for production.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        Self::build_with(settings, Overrides::default()).await
    }

    /// Builds everything with some parts replaced: storage and tenants, calendars, availability,
    /// the shared state, notifications, then the listener, each by its own builder below.
    pub async fn build_with(settings: &Settings, overrides: Overrides) -> anyhow::Result<Self> {
        let retell_key = settings.require_retell_key()?.clone();
        let store = prepare_database(settings).await?;
        let clock = overrides.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let branches = store.load_branches_at(clock.now()).await.context("loading tenants failed")?;
        tracing::info!(branches = branches.len(), "tenant directory loaded");
        check_calcom_tenants(settings, &branches)?;
        let directory = TenantDirectory::new(branches);
        // One Redis connection for locks, the Cal.com budget and announcements (pub/sub opens its own).
        let redis = match &settings.redis.url {
            Some(url) => {
                Some(SharedRedis::connect(url, &settings.redis.prefix).await.context("FRONTDESK_REDIS_URL: cannot connect")?)
            }
            None => None,
        };
        let calcom_client = calcom_client(settings, clock.clone(), overrides.calcom_deadlines, redis.as_ref());
        let calendars = match overrides.calendar {
            Some(provider) => Calendars::single(provider),
            None => calendars(settings, &store, &clock, calcom_client.clone()),
        };
        let (availability, redis_locks) =
            availability(settings, calendars, clock.clone(), overrides.availability_read_wait, redis.as_ref()).await?;
        let tenants_broadcast = redis.as_ref().map(|redis| Broadcast::new(redis, format!("{}:tenants", redis.prefix())));
        let tenants = LiveTenants::new(directory, store.clone(), availability.clone(), tenants_broadcast);
        tenants.follow().await.context("FRONTDESK_REDIS_URL: cannot subscribe")?;
        let board = Arc::new(crate::latency_board::LatencyBoard::default());
        let (audit, audit_writer) = AuditLog::start(store.clone(), board.clone());
        let state = AppState::new(AppStateParts {
            retell_key,
            tenants,
            console: ConsoleParts {
                admin_token: settings.console.admin_token.clone(),
                public_url: settings.server.public_url.clone(),
                tenants_file: settings.database.tenants.clone(),
                calcom: calcom_client,
                board,
                default_calendar: settings.calcom.calendar,
                calcom_default_key: settings.calcom.api_key.clone(),
                retell_base_url: settings.retell.base_url.clone(),
            },
            backends: Backends {
                store: store.clone(),
                booker: Booker::new(store.clone(), availability.clone(), redis_locks),
                availability,
                sms: settings.sms.enabled(),
                days_discussed: crate::functions::DaysDiscussed::for_store(&store),
            },
            calcom_webhook_secret: settings.calcom.webhook_secret.clone(),
            sms: settings.sms.clone(),
            clock: clock.clone(),
            audit,
            metrics: crate::telemetry::metrics_handle(),
        });
        let retention = crate::retention::spawn(store.clone(), clock.clone(), settings.privacy.retention_days);
        let tick = overrides.notify.map_or(crate::notify::NotifySettings::default().digest_tick, |t| t.digest_tick);
        let waitlist = crate::waitlist::spawn(state.backends().clone(), state.tenants().clone(), clock.clone(), tick);
        let (notifier, digests) = notifications(settings, &store, &state, clock, overrides.notify)?;
        // Bookings whose outcome was unknown when the process stopped are settled first thing.
        state.backends().booker.spawn_reconciler(state.directory().branches().to_vec());
        crate::onboarding::retell::bring_up_to_date(&state);
        crate::telemetry::spawn_metrics_upkeep();
        let (listener, limits) = listener(settings).await?;
        Ok(Self { listener, state, store, audit_writer, notifier, digests, waitlist, retention, limits })
    }

    /// The bound address (port 0 becomes a real port).
    pub fn address(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// The shared state (tests read the directory and store through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then drains requests and flushes the audit trail.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let Self { listener, state, store, audit_writer, notifier, digests, waitlist, retention, limits } = self;
        tracing::info!(address = %listener.local_addr()?, "frontdesk listening");
        let app = router(state);
        crate::http::serve(listener, app, limits, shutdown).await;
        // Every AuditLog clone is gone with the router: the writer drains the queue and ends.
        if tokio::time::timeout(Duration::from_secs(10), audit_writer).await.is_err() {
            tracing::error!("audit trail did not flush within 10 s");
        }
        // A delivery cut off here is claimed again when its lease runs out: at least once.
        notifier.abort();
        digests.abort();
        waitlist.abort();
        retention.abort();
        store.close().await;
        tracing::info!("frontdesk stopped");
        Ok(())
    }
}

/// The Cal.com client (always: a company onboarded through the API may connect Cal.com at any
/// time; an unused client costs nothing); with Redis, every instance draws each key's requests
/// from one budget there.
fn calcom_client(
    settings: &Settings,
    clock: Arc<dyn Clock>,
    deadlines: Option<Deadlines>,
    redis: Option<&SharedRedis>,
) -> Option<Arc<CalcomClient>> {
    let client = CalcomClient::new(
        CalcomSettings {
            base_url: settings.calcom.base_url.clone(),
            rate_per_minute: settings.calcom.rate_limit,
            deadlines: deadlines.unwrap_or_default(),
        },
        clock,
    );
    Some(Arc::new(match redis {
        Some(redis) => client.with_shared_budget(SharedBudget::new(redis)),
        None => client,
    }))
}

/// The calendar of record per tenant: the embedded one, or Cal.com.
fn calendars(settings: &Settings, store: &Store, clock: &Arc<dyn Clock>, calcom: Option<Arc<CalcomClient>>) -> Calendars {
    let calcom = calcom.map(|client| {
        Arc::new(CalcomCalendar::new(client, settings.calcom.api_key.clone())) as Arc<dyn CalendarProvider>
    });
    Calendars::new(settings.calcom.calendar, Arc::new(LocalCalendar::new(store.clone(), clock.clone())), calcom)
}

/// The availability engine (windows, and with Redis the invalidation bus between instances) and
/// the slot locks the booker shares with other instances.
async fn availability(
    settings: &Settings,
    calendars: Calendars,
    clock: Arc<dyn Clock>,
    read_wait: Option<Duration>,
    redis: Option<&SharedRedis>,
) -> anyhow::Result<(Availability, Option<RedisLocks>)> {
    let cache = settings.availability.cache.then(|| {
        // A reader waits at most this long for a window; the fetch itself goes on in the background.
        let read_wait = read_wait.unwrap_or(Duration::from_millis(1200));
        let ttl = chrono::Duration::from_std(settings.availability.ttl).unwrap_or(chrono::Duration::minutes(5));
        let max_bytes = settings.availability.window_cache_mb * 1024 * 1024;
        WindowCache::new(CacheSettings { ttl, read_wait, max_bytes }, clock.clone())
    });
    let bus = redis.map(|redis| InvalidationBus::new(redis, format!("{}:availability", redis.prefix())));
    let locks = redis.map(RedisLocks::new);
    let availability = Availability::new(calendars, cache, bus.clone(), clock, settings.calcom.api_key.clone());
    if let Some(bus) = &bus {
        bus.subscribe(availability.clone()).await.context("FRONTDESK_REDIS_URL: cannot subscribe")?;
    }
    Ok((availability, locks))
}

/// The outbox's delivery on this instance (webhooks, the owner's and the caller's e-mail) and the
/// schedule of digests and overdue callbacks.
fn notifications(
    settings: &Settings,
    store: &Store,
    state: &AppState,
    clock: Arc<dyn Clock>,
    timings: Option<crate::notify::NotifySettings>,
) -> anyhow::Result<(JoinHandle<()>, JoinHandle<()>)> {
    let webhooks: Arc<dyn crate::notify::Channel> = Arc::new(crate::notify::WebhookChannel::new(store.clone()));
    let owners = crate::notify::EmailChannel::new(&settings.smtp, settings.server.public_url.as_deref())
        .map_err(|e| anyhow::anyhow!("invalid setting {e}"))?;
    let callers: Arc<dyn crate::notify::Channel> = Arc::new(owners.for_customers());
    let email: Arc<dyn crate::notify::Channel> = Arc::new(owners);
    let sms: Arc<dyn crate::notify::Channel> =
        Arc::new(crate::notify::SmsChannel::new(store.clone(), &settings.sms, settings.server.public_url.as_deref()));
    let timings = match timings {
        Some(timings) => timings,
        None => crate::notify::NotifySettings { lease: chrono::Duration::from_std(settings.notify.lease)?, ..Default::default() },
    };
    // The digest's day is the service's day (the test clock in tests); deliveries run on real
    // time, since outbox rows are stamped by the database write's own clock.
    let digests = crate::notify::digest::spawn(store.clone(), state.tenants().clone(), clock, timings.digest_tick);
    let notifier =
        crate::notify::Notifier::new(store.clone(), vec![webhooks, email, callers, sms], Arc::new(SystemClock), timings).spawn();
    Ok((notifier, digests))
}

/// The bound listener and its connection limits: connections never take the last files, since
/// the database, Redis and Cal.com need some too.
async fn listener(settings: &Settings) -> anyhow::Result<(TcpListener, crate::http::ConnectionLimits)> {
    let listen = settings.server.listen;
    let listener = TcpListener::bind(listen).await.with_context(|| format!("FRONTDESK_LISTEN: cannot bind {listen}"))?;
    let files = crate::http::raise_file_limit();
    let mut limits = settings.server.connection_limits;
    limits.max_connections =
        limits.max_connections.min(usize::try_from(files.saturating_sub(256)).unwrap_or(usize::MAX).max(16));
    tracing::info!(open_files = files, max_connections = limits.max_connections, "connection limits");
    Ok((listener, limits))
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
