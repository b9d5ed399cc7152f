//! `frontdesk bench --console`: the operator console's pages, server-side, with 10,000
//! customers, 50,000 appointments, 500 callbacks and 1,000 calls in the database (the bars:
//! customer search p95 ≤ 20 ms, the day page p95 ≤ 30 ms). A measurement tool, never a test.

use crate::demo::DemoEnvironment;
use crate::domain::{BranchContext, CalendarKind, PhoneNumber};
use crate::store::{AppointmentSource, AppointmentStatus, CallRecord, NewAppointment, NewCallback, Priority, Store};
use anyhow::Context;
use chrono::{Duration, Utc};
use std::time::Instant;

/// Appointments seeded: 40 a day over 1,250 days up to today's and beyond.
const APPOINTMENTS: usize = 50_000;
/// Customers seeded.
const CUSTOMERS: usize = 10_000;

/// Seeds the demo database, signs in as an admin and times each page `requests` times.
pub async fn run(requests: usize) -> anyhow::Result<()> {
    let env = DemoEnvironment::start(CalendarKind::Local).await?;
    let store = &env.store;
    let branches = store.load_branches().await?;
    let salon = branches.iter().find(|b| b.branch.name == "Innenstadt").context("the demo salon")?;
    let started = Instant::now();
    seed(store, salon).await?;
    println!(
        "seeded {CUSTOMERS} customers, {APPOINTMENTS} appointments, 1,000 calls, 500 callbacks in {:.1} s (SQLite)",
        started.elapsed().as_secs_f64()
    );
    let password = "bench-password-0123";
    // the salon's owner: the customer pages are one company's
    crate::operators::add_user(store, "bench@frontdesk.example", "owner", Some(&salon.company.name), None, "de", password).await?;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let cookie = sign_in(&http, &env.base_url, "bench@frontdesk.example", password).await?;
    let today = Utc::now().date_naive();
    let customer = store.search_customers(salon.company.id, &crate::store::CustomerSearch::Name("Kunde 4711".into()), Utc::now(), 1).await?;
    let customer = customer.first().context("a seeded customer")?.id.0;
    let pages = [
        "/admin/customers?q=Kunde%204711".to_string(),
        "/admin/customers?q=1234".to_string(),
        "/admin/api/customers?q=0176%200000".to_string(),
        format!("/admin/customers/{customer}"),
        "/admin/appointments/25000".to_string(),
        format!("/admin/today?day={today}"),
        format!("/admin/week?start={today}"),
        "/admin/callbacks".to_string(),
        "/admin/calls".to_string(),
        "/admin/settings".to_string(),
        "/admin/retell".to_string(),
        format!("/admin/api/appointments?from={}&to={}", today - Duration::days(30), today + Duration::days(30)),
    ];
    println!("{requests} requests per page, one at a time; server-side time from Server-Timing");
    for page in &pages {
        time_page(&http, &env.base_url, &cookie, page, requests).await?;
    }
    env.stop().await
}

/// A salon's year: 200 customers, the appointments, 1,000 calls and 500 callbacks.
async fn seed(store: &Store, salon: &BranchContext) -> anyhow::Result<()> {
    let service = salon.branch.services[0].id.0;
    let staff: Vec<i64> = salon.branch.staff.iter().map(|s| s.id.0).collect();
    let mut customers = Vec::new();
    for i in 0..CUSTOMERS {
        let number = PhoneNumber::parse(&format!("+49176{:08}", i)).map_err(anyhow::Error::msg)?;
        customers.push(store.upsert_customer(salon.company.id, &number, Some(&format!("Kunde {i}")), None).await?.id);
    }
    // 40 a day over 1,250 days, the last 125 ahead, alternating between the staff: today's page
    // shows about 40, the week's about 280, a customer has about five.
    let first_day = Utc::now().date_naive() - Duration::days(1125);
    for i in 0..APPOINTMENTS {
        let day = first_day + Duration::days((i / 40) as i64);
        let slot = (i % 40) as i64;
        let start = day.and_hms_opt(7, 0, 0).expect("07:00").and_utc() + Duration::minutes(15 * slot);
        store
            .insert_appointment(&NewAppointment {
                idempotency_key: format!("bench:{i}"),
                company_id: salon.company.id,
                branch_id: salon.branch.id,
                customer_id: Some(customers[i % customers.len()]),
                service_id: service,
                staff_id: Some(staff[i % staff.len()]),
                call_id: None,
                starts_at: start,
                ends_at: start + Duration::minutes(30),
                status: AppointmentStatus::Booked,
                notes: None,
                source: AppointmentSource::Phone,
                created_at: Utc::now(),
                by: crate::store::Actor::PhoneAgent,
            })
            .await?;
    }
    for i in 0..1000 {
        let call = store
            .upsert_call(&CallRecord {
                retell_call_id: format!("call_bench_{i}"),
                company_id: salon.company.id,
                branch_id: salon.branch.id,
                agent_id: None,
                from_number: Some(format!("+49176{:08}", i % 200)),
                to_number: None,
                direction: "inbound".into(),
                status: "ended".into(),
                started_at: Utc::now() - Duration::minutes(i),
            })
            .await?
            .context("a new call id is the salon's")?;
        if i < 500 {
            store
                .insert_callback(&NewCallback {
                    company_id: salon.company.id,
                    branch_id: salon.branch.id,
                    call_id: Some(call),
                    customer_name: Some(format!("Kunde {i}")),
                    phone: format!("+49176{:08}", i % 200),
                    preferred_time: Some("morgen Vormittag".into()),
                    reason: Some("Rückfrage".into()),
                    priority: if i % 10 == 0 { Priority::High } else { Priority::Normal },
                    created_at: Utc::now() - Duration::minutes(i),
                })
                .await?;
        }
    }
    Ok(())
}

/// Requests one page `requests` times, one at a time, and prints its server-side quantiles.
async fn time_page(http: &reqwest::Client, base_url: &str, cookie: &str, page: &str, requests: usize) -> anyhow::Result<()> {
    let mut times = Vec::with_capacity(requests);
    let mut bytes = 0;
    for _ in 0..requests {
        let answer = http.get(format!("{base_url}{page}")).header("cookie", cookie).send().await?;
        anyhow::ensure!(answer.status() == 200, "{page}: HTTP {}", answer.status());
        let timing = answer.headers().get("server-timing").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let body = answer.bytes().await?;
        bytes = body.len();
        let ms: f64 = timing.trim_start_matches("app;dur=").split(',').next().unwrap_or("0").parse().unwrap_or(0.0);
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "  {page:<58} p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms  {:>7} bytes",
        at(0.5),
        at(0.95),
        at(0.99),
        at(1.0),
        bytes
    );
    Ok(())
}

/// Signs in through the login form; returns the session cookie.
async fn sign_in(http: &reqwest::Client, base: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let form = http.get(format!("{base}/admin/login")).send().await?;
    let cookie = |response: &reqwest::Response, name: &str| {
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(name))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
    };
    let login_cookie = cookie(&form, "frontdesk_login=").context("login cookie")?;
    let html = form.text().await?;
    let token = html.split("name=\"csrf\" value=\"").nth(1).and_then(|t| t.split('"').next()).context("login token")?;
    let answer = http
        .post(format!("{base}/admin/login"))
        .header("cookie", login_cookie)
        .form(&[("email", email), ("password", password), ("csrf", token)])
        .send()
        .await?;
    cookie(&answer, "frontdesk_session=").context("the login failed")
}
