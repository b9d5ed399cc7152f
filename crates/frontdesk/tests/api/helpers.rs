//! `TestApp`: frontdesk on port 0 with its own database (SQLite temp file or a fresh PostgreSQL
//! schema), a fixed clock, the demo tenants, and a client that signs like Retell.

use chrono::{DateTime, TimeZone, Utc};
use frontdesk::calendar::CalendarProvider;
use frontdesk::clock::{Clock, ManualClock};
use frontdesk::configuration::Settings;
use frontdesk::startup::{Application, Overrides};
use frontdesk::store::Store;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The salon's Innenstadt number (German, Europe/Berlin).
pub const SALON: &str = "+4930123456";
/// The salon's other branch.
pub const SALON_PRENZLAUER_BERG: &str = "+4930654321";
/// The English dental practice (Europe/London).
pub const PRACTICE: &str = "+442071234567";
/// A caller.
pub const CALLER: &str = "+4917612345678";

pub const API_KEY: &str = "key_test_frontdesk";

/// Monday 30 November 2026, 08:00 in Berlin: the default "now" of every test.
pub fn monday_morning() -> DateTime<Utc> {
    chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap().with_timezone(&Utc)
}

/// Which database a test app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temp dir.
    Sqlite,
    /// A fresh schema in the local PostgreSQL `test` database.
    Postgres,
}

/// A fresh, isolated database URL for one test; `None` when PostgreSQL is unreachable outside CI.
pub async fn database_url(backend: Backend, dir: &tempfile::TempDir) -> Option<String> {
    match backend {
        Backend::Sqlite => Some(format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display())),
        Backend::Postgres => postgres_schema().await,
    }
}

async fn postgres_schema() -> Option<String> {
    let base = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let pool = match sqlx::PgPool::connect(&base).await {
        Ok(pool) => pool,
        Err(error) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipping PostgreSQL test: {error}");
            return None;
        }
        Err(error) => panic!("PostgreSQL is required in CI: {error}"),
    };
    let schema = format!("t_{}", uuid_like());
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&pool).await.expect("create schema");
    pool.close().await;
    Some(format!("{base}?options=-c%20search_path%3D{schema}"))
}

/// A unique lowercase id for schemas and call ids.
pub fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{:x}{:x}{:x}", nanos, std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// An HMAC-SHA256 Retell signature, computed here independently of frontdesk's own code.
pub fn retell_signature(body: &[u8], key: &str, unix_ms: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(body);
    mac.update(unix_ms.to_string().as_bytes());
    format!("v={unix_ms},d={}", hex::encode(mac.finalize().into_bytes()))
}

/// An answer as the test sees it.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Content type header.
    pub content_type: String,
    /// Body parsed as JSON (panics in `json()` when it is not).
    pub text: String,
}

impl Answer {
    /// The body as JSON; fails the test when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }
}

/// Builds a [`TestApp`].
pub struct TestAppBuilder {
    now: DateTime<Utc>,
    backend: Backend,
    calendar: Option<Arc<dyn CalendarProvider>>,
    env: Vec<(&'static str, String)>,
    calcom_deadlines: Option<frontdesk::calendar::calcom::Deadlines>,
    tenants: Option<String>,
    calsim: Option<Arc<calsim::Sim>>,
}

/// The demo tenants file's text.
pub fn demo_tenants() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/tenants.demo.toml")).unwrap()
}

impl TestAppBuilder {
    /// Serves this tenants file instead of the demo's (tests edit [`demo_tenants`]).
    pub fn tenants(mut self, text: impl Into<String>) -> Self {
        self.tenants = Some(text.into());
        self
    }

    /// Sets the fixed "now".
    pub fn at(mut self, now: DateTime<Utc>) -> Self {
        self.now = now;
        self
    }

    /// Replaces the calendar provider (failure and panic tests).
    pub fn calendar(mut self, calendar: Arc<dyn CalendarProvider>) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// Sets a `FRONTDESK_*` variable.
    pub fn env(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.env.push((name, value.into()));
        self
    }

    /// Points every tenant at a calsim as their Cal.com; calsim then reads the app's clock, so
    /// both agree on what "now" and "tomorrow" are whatever the real date. With two apps on one
    /// calsim the one spawned last lends its clock: give both the same "now" and move neither.
    pub fn calcom(mut self, sim: &calsim::Running) -> Self {
        self.calsim = Some(sim.sim.clone());
        self.env("FRONTDESK_CALENDAR", "calcom")
            .env("FRONTDESK_CALCOM_BASE_URL", sim.base_url.clone())
            .env("FRONTDESK_CALCOM_API_KEY", "cal_test_default")
    }

    /// Shorter Cal.com deadlines, for timeout tests.
    pub fn calcom_deadlines(mut self, deadlines: frontdesk::calendar::calcom::Deadlines) -> Self {
        self.calcom_deadlines = Some(deadlines);
        self
    }

    /// Chooses the database.
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Starts the app, or says why it refused to start.
    pub async fn try_spawn_result(self) -> Result<TestApp, String> {
        self.start().await.ok_or_else(|| "database unavailable".to_string())?
    }

    /// Starts the app; `None` only for PostgreSQL when it is unreachable outside CI.
    pub async fn try_spawn(self) -> Option<TestApp> {
        self.start().await.map(|started| started.expect("app builds"))
    }

    async fn start(self) -> Option<Result<TestApp, String>> {
        let dir = tempfile::tempdir().unwrap();
        let url = database_url(self.backend, &dir).await?;
        let tenants = match &self.tenants {
            Some(text) => {
                let path = dir.path().join("tenants.toml");
                std::fs::write(&path, text).unwrap();
                path.display().to_string()
            }
            None => concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/tenants.demo.toml").to_string(),
        };
        let mut env = vec![
            ("FRONTDESK_LISTEN", "127.0.0.1:0".to_string()),
            ("FRONTDESK_DATABASE_URL", url),
            ("FRONTDESK_TENANTS", tenants.to_string()),
            ("FRONTDESK_RETELL_API_KEY", API_KEY.to_string()),
        ];
        env.extend(self.env);
        let settings =
            Settings::load_from(None, |name| env.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
                .unwrap();
        let clock = Arc::new(ManualClock::new(self.now));
        if let Some(sim) = &self.calsim {
            let clock = clock.clone();
            sim.set_clock(Arc::new(move || clock.now()));
        }
        let overrides = Overrides {
            clock: Some(clock.clone()),
            calendar: self.calendar,
            calcom_deadlines: self.calcom_deadlines,
            availability_read_wait: None,
            // Quick rounds and retries, so a test sees a delivery within a second.
            notify: Some(frontdesk::notify::NotifySettings {
                poll: std::time::Duration::from_millis(50),
                retry_base: std::time::Duration::from_millis(300),
                retry_cap: std::time::Duration::from_secs(2),
                give_up_after: chrono::Duration::hours(24),
                lease: chrono::Duration::seconds(3),
                digest_tick: std::time::Duration::from_millis(50),
            }),
        };
        let app = match Application::build_with(&settings, overrides).await {
            Ok(app) => app,
            Err(error) => return Some(Err(format!("{error:#}"))),
        };
        let address = format!("http://{}", app.address());
        let store = app.state().backends().store.clone();
        // Not the whole state: holding it would keep the audit queue open past shutdown.
        let availability = app.state().backends().availability.clone();
        let booker = app.state().backends().booker.clone();
        let branches = app.state().directory().branches().to_vec();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Some(Ok(TestApp {
            clock,
            database_url: settings.database.url.clone(),
            availability,
            booker,
            branches,
            address,
            now: self.now,
            store,
            http: reqwest::Client::new(),
            stop: Some(stop),
            server: Some(server),
            call_id: format!("call_{}", uuid_like()),
            _dir: dir,
        }))
    }

    /// Starts the app (SQLite never needs skipping).
    pub async fn spawn(self) -> TestApp {
        self.try_spawn().await.expect("database available")
    }
}

/// A running frontdesk for one test.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The app's "now" when it started.
    pub now: DateTime<Utc>,
    /// The app's clock, which tests may move.
    pub clock: Arc<ManualClock>,
    /// Its database.
    pub store: Store,
    /// The call id used by `call`.
    pub call_id: String,
    /// Where its database is, to reopen it after shutdown.
    pub database_url: String,
    /// The app's availability engine.
    pub availability: frontdesk::availability::Availability,
    /// The app's booker (reconciliation tests drive it directly).
    pub booker: frontdesk::booking::Booker,
    /// Every branch the app serves.
    pub branches: Vec<Arc<frontdesk::domain::BranchContext>>,
    http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// A builder with the defaults: SQLite, Monday morning.
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            now: monday_morning(),
            backend: Backend::Sqlite,
            calendar: None,
            env: vec![],
            calcom_deadlines: None,
            tenants: None,
            calsim: None,
        }
    }

    /// The default app.
    pub async fn spawn() -> Self {
        Self::builder().spawn().await
    }

    /// The Retell request body for a function call.
    pub fn payload(&self, function: &str, args: Value, from: &str, to: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "name": function,
            "args": args,
            "call": {"call_id": self.call_id, "agent_id": "agent_test", "from_number": from, "to_number": to, "direction": "inbound"}
        }))
        .unwrap()
    }

    /// POSTs raw bytes with an optional signature header.
    pub async fn post(&self, path: &str, body: Vec<u8>, signature: Option<String>) -> Answer {
        let mut request =
            self.http.post(format!("{}{path}", self.address)).header("content-type", "application/json").body(body);
        if let Some(signature) = signature {
            request = request.header("x-retell-signature", signature);
        }
        into_answer(request.send().await.unwrap()).await
    }

    /// GETs a path.
    pub async fn get(&self, path: &str) -> Answer {
        into_answer(self.http.get(format!("{}{path}", self.address)).send().await.unwrap()).await
    }

    /// Signs `body` as Retell would at the app's "now".
    pub fn sign(&self, body: &[u8]) -> String {
        retell_signature(body, API_KEY, self.clock.now().timestamp_millis())
    }

    /// Calls a function as the default caller dialling the salon.
    pub async fn call(&self, function: &str, args: Value) -> Answer {
        self.call_between(function, args, CALLER, SALON).await
    }

    /// Calls `function` as a distinct caller (number and call id of their own) dialling the salon.
    pub async fn call_as(&self, caller: usize, function: &str, args: Value) -> Value {
        let body = serde_json::to_vec(&json!({
            "name": function,
            "args": args,
            "call": {"call_id": format!("call_booker_{caller}"), "from_number": format!("+49151000{caller:05}"), "to_number": SALON, "direction": "inbound"}
        }))
        .unwrap();
        let signature = self.sign(&body);
        self.post(&format!("/retell/functions/{function}"), body, Some(signature)).await.json()
    }

    /// Calls a function from `from` to `to` (an inbound call).
    pub async fn call_between(&self, function: &str, args: Value, from: &str, to: &str) -> Answer {
        let body = self.payload(function, args, from, to);
        let signature = self.sign(&body);
        self.post(&format!("/retell/functions/{function}"), body, Some(signature)).await
    }

    /// Calls a function during an outbound call: the branch dials `customer` from `branch`.
    pub async fn call_outbound(&self, function: &str, args: Value, branch: &str, customer: &str) -> Answer {
        let body = serde_json::to_vec(&json!({
            "name": function,
            "args": args,
            "call": {"call_id": self.call_id, "from_number": branch, "to_number": customer, "direction": "outbound"}
        }))
        .unwrap();
        let signature = self.sign(&body);
        self.post(&format!("/retell/functions/{function}"), body, Some(signature)).await
    }

    /// Tells the app that appointments were written behind its back (tests seed the database
    /// directly), as an operator's database edit would.
    pub fn appointments_changed(&self) {
        for tenant in &self.branches {
            self.availability.forget_branch(tenant);
        }
    }

    /// A fresh connection to the app's database (the app's own pool closes on shutdown).
    pub async fn reopen_store(&self) -> Store {
        Store::connect(&self.database_url).await.unwrap()
    }

    /// Stops the server gracefully (flushing the audit trail) and keeps the database for checks.
    pub async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }
}

async fn into_answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = response.text().await.unwrap();
    Answer { status, content_type, text }
}

// --- the Cal.com simulator, as the tests drive it ---

/// The first `weekday` at least two days after the tests' Monday ([`monday_morning`]), at
/// `hour`:00 Berlin. A fixed day: calsim reads the app's clock, never the real one.
pub fn next_weekday_at(weekday: chrono::Weekday, hour: u32) -> DateTime<Utc> {
    use chrono::Datelike;
    let mut date = monday_morning().with_timezone(&chrono_tz::Europe::Berlin).date_naive() + chrono::Duration::days(2);
    while date.weekday() != weekday {
        date += chrono::Duration::days(1);
    }
    chrono_tz::Europe::Berlin.from_local_datetime(&date.and_hms_opt(hour, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
}

/// A calsim whose event types have the demo tenants' schedules, `latency_ms` per request.
pub async fn tenant_calsim(latency_ms: u64, webhook: Option<calsim::Webhook>) -> calsim::Running {
    let branches = TestApp::spawn().await.store.load_branches().await.unwrap();
    let faults = calsim::Faults { latency_ms: (latency_ms, latency_ms), ..calsim::Faults::default() };
    let sim = calsim::Sim::new(frontdesk::demo::calsim_fixture(&branches), faults, webhook);
    calsim::serve(sim, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

/// `GET /_calsim/stats`.
pub async fn calsim_stats(sim: &calsim::Running) -> Value {
    reqwest::get(format!("{}/_calsim/stats", sim.base_url)).await.unwrap().json().await.unwrap()
}

/// How many slot reads calsim has answered.
pub fn slots_requests(stats: &Value) -> u64 {
    stats["requests"]["GET /v2/slots"].as_u64().unwrap_or(0)
}

/// `POST /_calsim/<path>` (outage, latency, external-booking).
pub async fn calsim_control(sim: &calsim::Running, path: &str, body: Value) -> Value {
    let answer =
        reqwest::Client::new().post(format!("{}/_calsim/{path}", sim.base_url)).json(&body).send().await.unwrap();
    answer.json().await.unwrap()
}

/// Cal.com's bookings as `GET /v2/bookings?<query>` lists them (the tests' default key).
pub async fn cal_com_bookings(sim: &calsim::Running, query: &str) -> Value {
    let listed: Value = reqwest::Client::new()
        .get(format!("{}/v2/bookings?{query}", sim.base_url))
        .header("cal-api-version", "2024-08-13")
        .bearer_auth("cal_test_default")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    listed["data"].clone()
}

/// POSTs a Cal.com webhook signed with `secret` (`X-Cal-Signature-256`); the status.
pub async fn post_calcom_webhook(app: &TestApp, secret: &str, event: &Value) -> u16 {
    let body = serde_json::to_vec(event).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&body);
    let signature = hex::encode(mac.finalize().into_bytes());
    let answer = reqwest::Client::new()
        .post(format!("{}/calcom/webhook", app.address))
        .header("content-type", "application/json")
        .header("x-cal-signature-256", signature)
        .body(body)
        .send()
        .await
        .unwrap();
    answer.status().as_u16()
}

/// Two instances sharing one PostgreSQL schema and Redis, at `now`, serving `tenants` (the demo's
/// when `None`); `None` when either is missing outside CI.
pub async fn two_instances(
    calcom: Option<&calsim::Running>,
    tenants: Option<String>,
    now: DateTime<Utc>,
) -> Option<(TestApp, TestApp)> {
    two_instances_with(calcom, tenants, now, &[]).await
}

/// [`two_instances`] with more settings for both (SMS, say).
pub async fn two_instances_with(
    calcom: Option<&calsim::Running>,
    tenants: Option<String>,
    now: DateTime<Utc>,
    env: &[(&'static str, String)],
) -> Option<(TestApp, TestApp)> {
    let dir = tempfile::tempdir().unwrap();
    let database = database_url(Backend::Postgres, &dir).await?;
    let redis = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    if redis::Client::open(redis.as_str()).unwrap().get_multiplexed_async_connection().await.is_err() {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "Redis is required in CI");
        return None;
    }
    let prefix = format!("frontdesk-test-{}", uuid_like());
    let mut apps = Vec::new();
    for _ in 0..2 {
        let mut builder = TestApp::builder()
            .at(now)
            .env("FRONTDESK_DATABASE_URL", database.clone())
            .env("FRONTDESK_REDIS_URL", redis.clone())
            .env("FRONTDESK_REDIS_PREFIX", prefix.clone())
            .env("FRONTDESK_ADMIN_TOKEN", crate::console::ADMIN_TOKEN);
        for (name, value) in env {
            builder = builder.env(name, value.clone());
        }
        if let Some(sim) = calcom {
            builder = builder.calcom(sim);
        }
        if let Some(text) = &tenants {
            builder = builder.tenants(text.clone());
        }
        apps.push(builder.spawn().await);
    }
    let b = apps.pop().unwrap();
    Some((apps.pop().unwrap(), b))
}
