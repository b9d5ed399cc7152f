//! `frontdesk demo`: the whole service in-process on embedded defaults (SQLite in a temp dir,
//! the demo tenants, the embedded calendar) and a German caller talking to it over real HTTP
//! with real signatures.

use crate::domain::CustomerId;
use crate::client::{CallIdentity, RetellClient};
use crate::configuration::Settings;
use crate::domain::{BranchContext, CalendarKind, PhoneNumber, StaffId};
use crate::startup::{prepare_database, Application};
use crate::store::{AppointmentStatus, NewAppointment, Store};
use anyhow::Context;
use chrono::{Datelike, Duration, NaiveTime, TimeZone, Utc};
use serde_json::{json, Value};
use std::path::PathBuf;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The demo tenants, compiled in so the demo needs no files.
pub const DEMO_TENANTS: &str = include_str!("../../../config/tenants.demo.toml");
/// The salon's Innenstadt number.
pub const SALON_NUMBER: &str = "+4930123456";
/// The demo caller.
pub const CALLER_NUMBER: &str = "+4917612345678";

/// A calsim fixture with one event type per service that has one, and one per staff member's own
/// event type: the branch's opening hours, the service's duration, a 15-minute grid — the same
/// schedule the embedded calendar uses.
pub fn calsim_fixture(branches: &[BranchContext]) -> calsim::Fixture {
    let event_types: Vec<serde_json::Value> = branches
        .iter()
        .flat_map(|ctx| {
            let own = ctx.branch.staff.iter().flat_map(move |person| {
                person.calcom_event_types.iter().filter_map(move |(service, id)| {
                    let service = ctx.branch.service(*service)?;
                    Some((*id, format!("{}-{}", service.name, person.name), service.duration_minutes))
                })
            });
            ctx.branch
                .services
                .iter()
                .filter_map(|s| Some((s.calcom_event_type_id?, s.name.clone(), s.duration_minutes)))
                .chain(own)
                .map(move |(id, name, length)| {
                    json!({
                        "id": id,
                        "slug": name.to_lowercase().replace(' ', "-"),
                        "length_minutes": length,
                        "slot_interval_minutes": crate::calendar::GRID_MINUTES,
                        "time_zone": ctx.company.timezone.name(),
                        "minimum_notice_minutes": 0,
                        "schedule": ctx.branch.opening_hours.to_map(),
                    })
                })
        })
        .collect();
    calsim::Fixture::parse(&json!({ "event_types": event_types }).to_string()).expect("a generated fixture is valid")
}

/// A running in-process frontdesk on a throw-away database.
pub struct DemoEnvironment {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub base_url: String,
    /// Retell key the server checks.
    pub api_key: String,
    /// The store behind it.
    pub store: Store,
    /// The in-process Cal.com simulator, when the demo runs on Cal.com.
    pub calsim: Option<calsim::Running>,
    /// The running server's state (for in-process measurements of its routes).
    pub state: crate::app::AppState,
    stop: oneshot::Sender<()>,
    server: JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

impl DemoEnvironment {
    /// Starts frontdesk on port 0 with SQLite in a temp dir and the demo tenants; with
    /// `CalendarKind::Calcom`, every tenant's calendar is a calsim in this process with the
    /// tenants' own schedules and Cal.com's usual 300–800 ms latency.
    pub async fn start(calendar: CalendarKind) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir().context("cannot create a temp dir")?;
        let tenants: PathBuf = dir.path().join("tenants.toml");
        std::fs::write(&tenants, DEMO_TENANTS)?;
        let api_key = format!("demo_{:x}", rand_u64());
        let database = dir.path().join("frontdesk.db");
        let mut env = vec![
            ("FRONTDESK_LISTEN", "127.0.0.1:0".to_string()),
            ("FRONTDESK_DATABASE_URL", format!("sqlite://{}?mode=rwc", database.display())),
            ("FRONTDESK_TENANTS", tenants.display().to_string()),
            ("FRONTDESK_RETELL_API_KEY", api_key.clone()),
        ];
        let load = |env: &[(&str, String)]| {
            Settings::load_from(None, |name| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
        };
        let calsim = match calendar {
            CalendarKind::Local => None,
            CalendarKind::Calcom => {
                let store = prepare_database(&load(&env)?).await?;
                let fixture = calsim_fixture(&store.load_branches().await?);
                store.close().await;
                let sim = calsim::Sim::new(fixture, calsim::Faults::default(), None);
                let running = calsim::serve(sim, "127.0.0.1:0".parse()?).await?;
                env.push(("FRONTDESK_CALENDAR", "calcom".into()));
                env.push(("FRONTDESK_CALCOM_BASE_URL", running.base_url.clone()));
                env.push(("FRONTDESK_CALCOM_API_KEY", "cal_demo_key".into()));
                Some(running)
            }
        };
        let settings = load(&env)?;
        let app = Application::build(&settings).await?;
        let base_url = format!("http://{}", app.address());
        let store = app.state().backends().store.clone();
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        Ok(Self { base_url, api_key, store, calsim, state, stop, server, _dir: dir })
    }

    /// Stops the server gracefully (the audit trail is flushed).
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.server.await??;
        Ok(())
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(Utc::now().timestamp_nanos_opt().unwrap_or_default() as u128);
    hasher.finish()
}

/// Books tomorrow 10:00 for everyone who cuts men's hair, and gives the caller a history, so
/// the conversation shows a taken slot, alternatives and a recognised caller.
async fn seed(env: &DemoEnvironment) -> anyhow::Result<()> {
    let store = &env.store;
    let branches = store.load_branches().await?;
    let salon = branches
        .iter()
        .find(|b| b.branch.phone_numbers.iter().any(|n| n.as_str() == SALON_NUMBER))
        .context("demo salon missing")?;
    let tz = salon.company.timezone;
    let tomorrow = Utc::now().with_timezone(&tz).date_naive() + Duration::days(1);
    let at = |date: chrono::NaiveDate, h: u32| {
        tz.from_local_datetime(&date.and_time(NaiveTime::from_hms_opt(h, 0, 0).expect("valid")))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    };
    let service = salon.branch.services.iter().find(|s| s.name == "Herrenhaarschnitt").context("service missing")?;
    let caller = PhoneNumber::parse(CALLER_NUMBER).map_err(anyhow::Error::msg)?;
    let customer = store.upsert_customer(salon.company.id, &caller, Some("Thomas Müller"), None).await?;
    let other = PhoneNumber::parse("+4915199999999").map_err(anyhow::Error::msg)?;
    let other = store.upsert_customer(salon.company.id, &other, Some("Erika Muster"), None).await?;
    let staff: Vec<StaffId> = salon.branch.staff_for(service.id).map(|s| s.id).collect();
    let book = |key: String, customer_id: CustomerId, staff_id: Option<StaffId>, start, minutes| NewAppointment {
        idempotency_key: key,
        company_id: salon.company.id,
        branch_id: salon.branch.id,
        customer_id: Some(customer_id),
        service_id: service.id.0,
        staff_id: staff_id.map(|s| s.0),
        call_id: None,
        starts_at: start,
        ends_at: start + Duration::minutes(minutes),
        status: AppointmentStatus::Booked,
        notes: None,
        source: crate::store::AppointmentSource::Phone,
        created_at: Utc::now(),
        by: crate::store::Actor::PhoneAgent,
    };
    if let (Some(start), Some(calsim)) = (at(tomorrow, 10), &env.calsim) {
        // On Cal.com the taken slot is a booking made elsewhere (the host is Cal.com's to assign).
        let event_type = service.calcom_event_type_id.context("demo service without event type")?;
        reqwest::Client::new()
            .post(format!("{}/_calsim/external-booking", calsim.base_url))
            .json(&json!({"eventTypeId": event_type, "start": start}))
            .send()
            .await?
            .error_for_status()?;
    } else if let Some(start) = at(tomorrow, 10) {
        for (i, staff_id) in staff.iter().enumerate() {
            store.insert_appointment(&book(format!("demo-busy-{i}"), other.id, Some(*staff_id), start, 60)).await?;
        }
    }
    // The caller has an appointment in three weeks.
    let mut later = tomorrow + Duration::days(21);
    while salon.branch.opening_hours.on(later.weekday()).is_empty() {
        later += Duration::days(1);
    }
    if let Some(start) = at(later, 11) {
        store
            .insert_appointment(&book("demo-caller-history".into(), customer.id, staff.first().copied(), start, 30))
            .await?;
    }
    Ok(())
}

/// The demo's console login.
pub const DEMO_LOGIN: &str = "inhaberin@schnittpunkt.example";

/// Runs the demo conversation and prints it; then prints the console's address and a login, and
/// with `serve` keeps running until Ctrl-C so the console can be opened.
pub async fn run(calendar: CalendarKind, serve: bool) -> anyhow::Result<()> {
    let env = DemoEnvironment::start(calendar).await?;
    seed(&env).await?;
    let client = RetellClient::new(&env.base_url, &env.api_key);
    let call = CallIdentity {
        call_id: format!("call_demo_{:x}", rand_u64()),
        from_number: CALLER_NUMBER.into(),
        to_number: SALON_NUMBER.into(),
    };
    let calendar_text = match &env.calsim {
        Some(calsim) => format!("Cal.com simulated in-process at {} (300–800 ms per request)", calsim.base_url),
        None => "embedded calendar".to_string(),
    };
    println!(
        "frontdesk demo — Salon Schnittpunkt, Innenstadt ({SALON_NUMBER}), server at {}, {calendar_text}\n",
        env.base_url
    );
    let greeting = client.inbound(&call).await?;
    println!("Retell: eingehender Anruf (inbound webhook, the branch's availability is prefetched now)");
    println!(
        "  ← HTTP {} in {:.3} ms server-side: {}\n",
        greeting.status,
        greeting.server.as_secs_f64() * 1000.0,
        greeting.body["call_inbound"]["dynamic_variables"]
    );
    // The agent greets and the caller speaks: Retell's first function call comes a moment later.
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    let next = play(&client, &call, &conversation()).await?;
    book_the_next_slot(&client, &call, &next).await?;
    client.event("call_ended", &call).await?;
    client.analyzed(&call, "Thomas Müller bucht einen Herrenhaarschnitt bei Jonas; eine Massage bieten wir nicht an.", "Positive").await?;
    println!("Retell: Anruf beendet, Auswertung gesendet (call_ended, call_analyzed)\n");
    a_call_that_asks_for_a_callback(&client).await?;
    // A fresh password per run: the demo's console is reachable by anybody on this machine.
    let password = format!("demo-{:016x}", rand_u64());
    crate::operators::add_user(&env.store, DEMO_LOGIN, "owner", Some("Salon Schnittpunkt"), None, "de", &password).await?;
    println!("\nOperator console: {}/admin/  login {DEMO_LOGIN}  password {password}", env.base_url);
    if serve {
        println!("Serving until Ctrl-C.");
        crate::startup::shutdown_signal().await;
    } else {
        println!("(the console lives as long as the demo: run `frontdesk demo --serve` to keep it open)");
    }
    env.stop().await
}

/// The caller takes the next free time with Jonas (what `find_next_available` offered): held
/// while the name is asked, then booked — the confirmation sentence shows.
async fn book_the_next_slot(client: &RetellClient, call: &CallIdentity, next: &Value) -> anyhow::Result<()> {
    let slot = &next["slot"];
    let (date, time) = (slot["date"].as_str().context("no next slot offered")?, slot["time"].as_str().context("no time")?);
    let wish = json!({"dienstleistung": "Herrenhaarschnitt", "datum": date, "uhrzeit": time, "mitarbeiter": "Jonas"});
    let mut booking = wish.clone();
    booking["name"] = json!("Thomas Müller");
    let steps = [
        ("„Ja, den nehme ich.“", "reserve_slot", wish),
        ("„Thomas Müller.“", "book_appointment", booking),
    ];
    let booked = play(client, call, &steps).await?;
    anyhow::ensure!(booked["success"] == true, "the demo booking failed: {booked}");
    Ok(())
}

/// A second, short call: a caller who wants the owner to call back.
async fn a_call_that_asks_for_a_callback(client: &RetellClient) -> anyhow::Result<()> {
    let call = CallIdentity { call_id: format!("call_demo_{:x}", rand_u64()), from_number: "+4915199999999".into(), to_number: SALON_NUMBER.into() };
    client.inbound(&call).await?;
    println!("Retell: zweiter Anruf ({})\n", crate::domain::mask_phone(&call.from_number));
    let ask = json!({"name": "Erika Muster", "grund": "Frage zur Farbberatung", "wunschzeit": "morgen Vormittag"});
    let asked = play(client, &call, &[("„Kann mich die Chefin zurückrufen?“", "request_callback", ask)]).await?;
    anyhow::ensure!(asked["success"] == true, "the demo callback failed: {asked}");
    client.event("call_ended", &call).await?;
    client.analyzed(&call, "Erika Muster möchte wegen einer Farbberatung zurückgerufen werden.", "Neutral").await?;
    Ok(())
}

/// The caller's side of the demo conversation: what is said, and the function call it causes.
fn conversation() -> [(&'static str, &'static str, Value); 10] {
    [
        ("Anruf beginnt", "initialize_call", json!({})),
        ("„Was bieten Sie denn an?“", "get_available_services", json!({})),
        ("„Was kostet ein Männerhaarschnitt?“", "get_service_info", json!({"dienstleistung": "Männerhaarschnitt"})),
        (
            "„Geht morgen um 10 Uhr?“",
            "check_availability",
            json!({"dienstleistung": "Herrenhaarschnitt", "datum": "morgen", "uhrzeit": "10 Uhr"}),
        ),
        (
            "„Was hätten Sie denn sonst?“",
            "get_alternatives",
            json!({"dienstleistung": "Herrenhaarschnitt", "datum": "morgen", "uhrzeit": "10 Uhr"}),
        ),
        ("„Und übermorgen um halb drei?“", "parse_date", json!({"datum": "übermorgen", "uhrzeit": "halb drei"})),
        (
            "„Oder nächste Woche Dienstag, zwischen 10 und 12?“",
            "check_availability",
            json!({"dienstleistung": "Herrenhaarschnitt", "datum": "nächste Woche Dienstag", "uhrzeit": "zwischen 10 und 12"}),
        ),
        (
            "„Wann ist der nächste freie Termin bei Jonas?“",
            "find_next_available",
            json!({"dienstleistung": "Herrenhaarschnitt", "mitarbeiter": "Jonas"}),
        ),
        ("„Wann haben Sie geöffnet?“", "get_opening_hours", json!({})),
        (
            "„Ich hätte gern eine Massage.“",
            "check_availability",
            json!({"dienstleistung": "Massage", "datum": "morgen", "uhrzeit": "11"}),
        ),
    ]
}

/// Plays a conversation, printing what the caller said, the call, and what the agent says; the
/// answer to `find_next_available` (or else the last one) comes back.
async fn play(client: &RetellClient, call: &CallIdentity, script: &[(&str, &str, Value)]) -> anyhow::Result<Value> {
    let mut server_total = std::time::Duration::ZERO;
    let script_len = script.len();
    let mut kept = Value::Null;
    for (said, function, args) in script {
        let exchange = client.call(function, args.clone(), call).await?;
        if *function == "find_next_available" || kept.get("slot").is_none() {
            kept = exchange.body.clone();
        }
        server_total += exchange.server;
        println!("Anrufer: {said}");
        println!("  → {function} {args}");
        println!(
            "  ← HTTP {} in {:.3} ms server-side ({:.3} ms round trip)",
            exchange.status,
            exchange.server.as_secs_f64() * 1000.0,
            exchange.round_trip.as_secs_f64() * 1000.0
        );
        println!("  Agent: {}", exchange.body["message"].as_str().unwrap_or("<no message>"));
        if let Some(alternatives) = exchange.body["alternatives"].as_array().filter(|a| !a.is_empty()) {
            let times: Vec<&str> = alternatives.iter().filter_map(|a| a["start"].as_str()).collect();
            println!("  alternatives: {}", times.join(", "));
        }
        println!();
    }
    let plural = if script_len == 1 { "" } else { "s" };
    println!("{script_len} function call{plural}, {:.3} ms server-side in total.\n", server_total.as_secs_f64() * 1000.0);
    Ok(kept)
}
