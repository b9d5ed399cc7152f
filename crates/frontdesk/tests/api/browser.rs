//! The console in a real browser: Debian's headless Chromium driven over WebDriver
//! (chromedriver) by fantoccini. One story per test, because a browser takes a second to start.
//! Screenshots of every page land in `target/console-screenshots/` as test artifacts.

use crate::console::{add_user, anna_books_with_jonas, console_app, PASSWORD};
use crate::helpers::*;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A chromedriver process and a browser session on it; both end with the value.
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Chromium outlives a killed chromedriver: its processes (renderers, zygotes, crashpad)
        // all carry this browser's own profile directory, so exactly they are ended. Left
        // running, a few hundred of them filled the machine's 24 GB in one session.
        let _ = Command::new("pkill").arg("-KILL").arg("-f").arg(self._profile.path()).status();
    }
}

/// Starts chromedriver and a headless Chromium; `None` outside CI when they are not installed.
async fn browser() -> Option<Browser> {
    if !std::path::Path::new("/usr/bin/chromedriver").exists() {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI installs chromium-driver (.ci/run)");
        eprintln!("skipping browser test: /usr/bin/chromedriver is not installed");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let driver = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().unwrap();
    // The flags that keep Chromium off the network and quick to start on a closed machine.
    let args = vec![
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        // no crash handler: it would run outside the profile and outlive the test
        "--disable-breakpad".into(),
        "--disable-crash-reporter".into(),
        "--window-size=1280,900".into(),
        "--lang=de-DE".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({"binary": "/usr/bin/chromium", "args": args, "prefs": {"intl": {"accept_languages": "de-DE,de"}}}),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let mut last = None;
    for _ in 0..100 {
        match ClientBuilder::new(connector.clone()).capabilities(capabilities.clone()).connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(client) => return Some(Browser { client, driver, _profile: profile }),
            Err(error) => last = Some(error),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no browser session: {last:?}");
}

/// Where screenshots go.
fn shots() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/console-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Browser {
    async fn open(&self, app: &TestApp, path: &str) -> String {
        self.client.goto(&format!("{}{path}", app.address)).await.unwrap();
        self.client.source().await.unwrap()
    }

    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
    }

    async fn fill(&self, css: &str, text: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Clicks and, when the click submits a form, waits for the next page.
    async fn click(&self, css: &str) {
        let before = self.client.find(Locator::Css("html")).await.unwrap();
        self.client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
        for _ in 0..100 {
            // The old document's element goes stale once the next page has loaded.
            if before.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn sign_in(&self, app: &TestApp, email: &str, password: &str) -> String {
        self.open(app, "/admin/login").await;
        self.fill("input[name=email]", email).await;
        self.fill("input[name=password]", password).await;
        self.click("button[type=submit]").await;
        self.client.source().await.unwrap()
    }

    /// The status of a POST made from the page with the page's own cookies.
    async fn post_status(&self, path: &str, form: &str) -> u16 {
        let script = "const [path, form, done] = arguments; fetch(path, {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: form, redirect: 'manual'}).then(r => done(r.status));";
        let status: Value = self.client.execute_async(script, vec![json!(path), json!(form)]).await.unwrap();
        status.as_u64().unwrap() as u16
    }
}

#[tokio::test]
async fn an_owner_runs_the_front_desk_in_a_browser() {
    let Some(browser) = browser().await else { return };
    let app = console_app().await;
    // A caller books by phone (a signed Retell call) and another asks for a callback.
    anna_books_with_jonas(&app).await;
    let asked = app
        .call_between("request_callback", json!({"name": "Bernd Weber", "grund": "Farbberatung", "wunschzeit": "morgen Vormittag"}), "+4917699988877", SALON)
        .await
        .json();
    assert_eq!(asked["success"], true, "{asked}");

    let page = browser.sign_in(&app, "inhaberin@schnittpunkt.example", PASSWORD).await;
    assert!(page.contains("Heute"), "{page}");
    let page = browser.open(&app, "/admin/today?day=2026-12-01").await;
    assert!(page.contains("Anna Schmidt") && page.contains("Jonas"), "{page}");
    // The number shows only when clicked.
    let number = browser.client.find(Locator::Css("details.phone a")).await.unwrap();
    assert!(!number.is_displayed().await.unwrap());
    browser.click("details.phone summary").await;
    assert!(number.is_displayed().await.unwrap());
    browser.screenshot("today").await;
    browser.open(&app, "/admin/week?start=2026-11-30").await;
    browser.screenshot("week").await;

    // The callback is marked done with a note; the badge disappears.
    let page = browser.open(&app, "/admin/callbacks").await;
    assert!(page.contains("Bernd Weber") && page.contains("callback-badge"), "{page}");
    browser.screenshot("callbacks").await;
    browser.fill("input[name=note]", "zurückgerufen").await;
    browser.click("form[action$='/done'] button").await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Als erledigt markiert.") && !page.contains("callback-badge"), "{page}");

    // Saturday typed as people write it, "9-16": the phone agent answers from the new hours at once.
    let ask = json!({"service": "Herrenhaarschnitt", "date": "Samstag", "time": "15:00"});
    assert_ne!(app.call("check_availability", ask.clone()).await.json()["available"], true);
    browser.open(&app, "/admin/settings").await;
    browser.screenshot("settings").await;
    browser.fill("section[data-branch] input[name=sat]", "9-16").await;
    browser.click("section[data-branch] form[action$='/hours'] button").await;
    assert!(browser.client.source().await.unwrap().contains("Gespeichert"));
    let answer = app.call("check_availability", ask).await.json();
    assert_eq!(answer["available"], true, "{answer}");

    for page in ["calls", "retell"] {
        browser.open(&app, &format!("/admin/{page}")).await;
        browser.screenshot(page).await;
    }
    // On a phone: the day still reads without sideways scrolling.
    browser.client.set_window_size(390, 844).await.unwrap();
    browser.open(&app, "/admin/today?day=2026-12-01").await;
    browser.screenshot("today-phone").await;
    let widest: Value = browser.client.execute("let w = null; for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect(); if (r.right > window.innerWidth + 0.5 && (!w || r.right > w.r)) w = {r: r.right, t: e.tagName, c: e.className, n: e.getAttribute('name')}; } return [document.documentElement.scrollWidth - window.innerWidth, w];", vec![]).await.unwrap();
    assert!(widest[0].as_i64().unwrap() <= 0, "the day page scrolls sideways on a phone: {widest}");
    browser.client.set_window_size(1280, 900).await.unwrap();
    // A form without its CSRF token is refused, and nothing changes.
    let appointment: i64 = app.store.console_appointments(None, None, app.now, app.now + chrono::Duration::days(2)).await.unwrap()[0].id.0;
    browser.open(&app, "/admin/today?day=2026-12-01").await;
    assert_eq!(browser.post_status(&format!("/admin/appointments/{appointment}/cancel"), "csrf=forged").await, 403);
    assert!(browser.open(&app, "/admin/today?day=2026-12-01").await.contains("Anna Schmidt"));
}

#[tokio::test]
async fn another_company_sees_nothing_and_wrong_passwords_are_throttled() {
    let Some(browser) = browser().await else { return };
    let app = console_app().await;
    add_user(&app.store, "admin2@frontdesk.example", "admin", None, None).await;
    anna_books_with_jonas(&app).await;
    let appointment: i64 = app.store.console_appointments(None, None, app.now, app.now + chrono::Duration::days(2)).await.unwrap()[0].id.0;

    // A wrong password is refused, five times; then even the right one waits.
    for _ in 0..5 {
        let page = browser.sign_in(&app, "owner@riverside.example", "falsches Passwort").await;
        assert!(page.contains("E-Mail oder Passwort ist falsch."), "{page}");
    }
    browser.screenshot("login-refused").await;
    let page = browser.sign_in(&app, "owner@riverside.example", PASSWORD).await;
    assert!(page.contains("Zu viele Fehlversuche"), "{page}");

    // The practice's owner (after the wait) sees only the practice.
    app.clock.advance(chrono::Duration::minutes(16));
    let page = browser.sign_in(&app, "owner@riverside.example", PASSWORD).await;
    assert!(page.contains("owner@riverside.example"), "{page}");
    let page = browser.open(&app, "/admin/today?day=2026-12-01").await;
    assert!(!page.contains("Anna Schmidt"), "{page}");
    let page = browser.open(&app, "/admin/retell").await;
    assert!(page.contains("Riverside") && !page.contains("Innenstadt"), "{page}");
    // The salon's appointment URL answers 404 even with a valid form token.
    let csrf = browser.client.find(Locator::Css("input[name=csrf]")).await.unwrap().attr("value").await.unwrap().unwrap();
    assert_eq!(browser.post_status(&format!("/admin/appointments/{appointment}/cancel"), &format!("csrf={csrf}")).await, 404);
    assert!(browser.open(&app, "/admin/ops").await.contains("Nicht gefunden"));

    // An admin sees operations.
    browser.open(&app, "/admin/today").await;
    browser.click("form[action='/admin/logout'] button").await;
    browser.sign_in(&app, "admin2@frontdesk.example", PASSWORD).await;
    browser.open(&app, "/admin/ops").await;
    browser.screenshot("ops").await;
}

#[tokio::test]
async fn an_owner_enters_maria_sick_today_and_tomorrow_and_sees_her_appointments_flagged() {
    let Some(browser) = browser().await else { return };
    let app = console_app().await; // Monday 30 November 2026, 08:00
    let booked = app
        .call_as(7, "book_appointment", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "10:00", "staff": "Maria", "name": "Clara Becker"}))
        .await;
    assert_eq!(booked["success"], true, "{booked}");
    browser.sign_in(&app, "inhaberin@schnittpunkt.example", PASSWORD).await;
    let page = browser.open(&app, "/admin/staff").await;
    assert!(page.contains("Abwesenheit eintragen") && !page.contains("Braucht Aufmerksamkeit"), "{page}");
    browser.fill("section[data-branch] input[name=absence]", "Maria krank heute und morgen").await;
    browser.click("section[data-branch] form[action='/admin/staff/absences'] button").await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Eingetragen"), "{page}");
    let attention = browser.client.find(Locator::Css("#needs-attention")).await.unwrap().text().await.unwrap();
    assert!(attention.contains("Clara Becker") && attention.contains("Maria"), "{attention}");
    assert!(page.contains("2026-11-30 – 2026-12-01") && page.contains("krank"), "{page}");
    browser.screenshot("staff-absence").await;
    // The day view shows her day as away, Jonas's with his free gaps.
    let day = browser.open(&app, "/admin/today?day=2026-12-01").await;
    assert!(day.contains("class=\"span away\"") && day.contains("class=\"free\""), "{day}");
    browser.screenshot("today-axis").await;
    // The agent no longer offers her, and says so.
    let asked = app.call("check_availability", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "14:00", "staff": "Maria"})).await.json();
    assert_eq!(asked["reason"], "staff_absent", "{asked}");
    // Words it does not understand are refused with what was not understood, and nothing is stored.
    browser.open(&app, "/admin/staff").await;
    browser.fill("section[data-branch] input[name=absence]", "Maria krank irgendwann").await;
    browser.click("section[data-branch] form[action='/admin/staff/absences'] button").await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Nicht verstanden"), "{page}");
}

#[tokio::test]
async fn after_signing_out_back_shows_the_login_and_not_the_page() {
    let Some(browser) = browser().await else { return };
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    browser.sign_in(&app, "inhaberin@schnittpunkt.example", PASSWORD).await;
    let day = browser.open(&app, "/admin/today?day=2026-12-01").await;
    assert!(day.contains("Anna"), "{day}");
    browser.click("form[action='/admin/logout'] button").await;
    browser.client.back().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let back = browser.client.source().await.unwrap();
    assert!(!back.contains("Anna"), "Back showed the signed-out page again: {back}");
    assert!(back.contains("name=\"password\""), "the login instead: {back}");
}

#[tokio::test]
async fn an_owner_books_a_walk_in_with_a_national_number() {
    let Some(browser) = browser().await else { return };
    let app = console_app().await; // Monday 30 November 2026, 08:00
    browser.sign_in(&app, "inhaberin@schnittpunkt.example", PASSWORD).await;
    browser.open(&app, "/admin/today?day=2026-12-01").await;
    let select = browser.client.find(Locator::Css("select[name=service]")).await.unwrap();
    select.select_by_label("Herrenhaarschnitt").await.unwrap();
    browser.client.find(Locator::Css("select[name=staff]")).await.unwrap().select_by_label("Jonas").await.unwrap();
    // a time field's value as the picker sets it
    browser.client.execute("document.querySelector('input[name=time]').value = '10:00'", vec![]).await.unwrap();
    browser.fill("input[name=name]", "Ute Berg").await;
    browser.fill("input[name=phone]", "0171 1234567").await;
    browser.click("form[action='/admin/appointments'] button[type=submit]").await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Ute Berg") && !page.contains("unvollständig"), "{page}");
    browser.screenshot("walk-in-booked").await;
    let innenstadt = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let stored = frontdesk::domain::PhoneNumber::parse("+491711234567").unwrap();
    let customer = app.store.find_customer(innenstadt.company.id, &stored).await.unwrap();
    assert_eq!(customer.and_then(|c| c.name).as_deref(), Some("Ute Berg"), "stored as E.164");
}

#[tokio::test]
async fn an_owner_finds_a_customer_by_digits_adds_a_note_and_sees_the_history() {
    let Some(browser) = browser().await else { return };
    let app = console_app().await;
    anna_books_with_jonas(&app).await; // +49 176 12345678
    browser.sign_in(&app, "inhaberin@schnittpunkt.example", PASSWORD).await;
    // From the day, her name leads to her profile; the search finds her by digits too.
    let day = browser.open(&app, "/admin/today?day=2026-12-01").await;
    assert!(day.contains("href=\"/admin/customers/"), "{day}");
    browser.open(&app, "/admin/customers").await;
    browser.fill("input[name=q]", "1234").await;
    browser.click("form[role=search] button").await;
    browser.click("table a[href^='/admin/customers/']").await;
    browser.fill("textarea[name=text]", "möchte nur zu Jonas").await;
    browser.click("form[action$='/notes'] button").await;
    let profile = browser.client.source().await.unwrap();
    assert!(profile.contains("Anna Schmidt") && profile.contains("möchte nur zu Jonas"), "{profile}");
    assert!(profile.contains("01.12.2026 10:00") && profile.contains("Herrenhaarschnitt") && profile.contains("Jonas"), "{profile}");
    browser.screenshot("customer-profile").await;
}

#[tokio::test]
async fn an_owner_cancels_after_reading_whose_appointment_and_restores_it_in_a_browser() {
    let Some(browser) = browser().await else { return };
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    browser.sign_in(&app, "inhaberin@schnittpunkt.example", PASSWORD).await;
    browser.open(&app, "/admin/today?day=2026-12-01").await;
    let link = browser.client.find(Locator::Css(".appt a[href^='/admin/appointments/']")).await.unwrap();
    let details = link.attr("href").await.unwrap().expect("the card links to the appointment");
    // The browser asks whose appointment and when before it cancels.
    browser.client.find(Locator::Css("form[action$='/cancel'] button")).await.unwrap().click().await.unwrap();
    let question = browser.client.get_alert_text().await.unwrap();
    assert_eq!(question, "Termin stornieren von Anna Schmidt, 01.12.2026 10:00 (Herrenhaarschnitt)?");
    browser.client.accept_alert().await.unwrap();
    for _ in 0..100 {
        if browser.client.current_url().await.unwrap().as_str().contains("notice=cancelled") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(browser.client.current_url().await.unwrap().as_str().contains("notice=cancelled"));
    let page = browser.open(&app, &details).await;
    assert!(page.contains("Storniert") && page.contains("Wiederherstellen"), "{page}");
    browser.click("form[action$='/restore'] button").await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Der Termin ist wieder gebucht.") && page.contains("wiederhergestellt"), "{page}");
    browser.screenshot("appointment").await;
    let asked = app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "staff": "Jonas"})).await.json();
    assert_eq!(asked["available"], false, "restored: the time is taken again: {asked}");
}

/// axe-core's script (npm `axe-core`, installed by `.ci/run` into `target/axe-core/`);
/// `None` outside CI when it is not installed.
fn axe_script() -> Option<String> {
    let path = std::env::var("FRONTDESK_AXE_JS").map(std::path::PathBuf::from).unwrap_or_else(|_| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/axe-core/node_modules/axe-core/axe.min.js")
    });
    match std::fs::read_to_string(&path) {
        Ok(script) => Some(script),
        Err(_) => {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI installs axe-core ({})", path.display());
            eprintln!("skipping the accessibility check: {} is not there (npm install --prefix target/axe-core axe-core@4)", path.display());
            None
        }
    }
}

impl Browser {
    /// What axe-core finds on the open page, and at 375 px how far it scrolls sideways.
    async fn page_problems(&self, axe: &str, page: &str, width: u32) -> Vec<String> {
        let mut problems: Vec<String> =
            self.accessibility_problems(axe).await.into_iter().map(|p| format!("{page} at {width} px: {p}")).collect();
        if width == 375 {
            let (sideways, widest) = self.sideways().await;
            if sideways > 0 {
                problems.push(format!("{page} scrolls {sideways} px sideways at 375 px (widest: {widest})"));
            }
        }
        problems
    }

    /// axe-core's serious and critical WCAG 2 A/AA violations on the open page, as "rule: targets".
    async fn accessibility_problems(&self, axe: &str) -> Vec<String> {
        self.client.execute(axe, vec![]).await.unwrap();
        let script = "const done = arguments[0]; axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}).then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));";
        let found: Value = self.client.execute_async(script, vec![]).await.unwrap();
        found.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    }

    /// How far the open page scrolls sideways, in pixels (0: not at all), and its widest element.
    async fn sideways(&self) -> (i64, Value) {
        let script = "let w = null; for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect(); if (r.right > window.innerWidth + 0.5 && (!w || r.right > w.r)) w = {r: r.right, t: e.tagName, c: e.className, n: e.getAttribute('name')}; } return [document.documentElement.scrollWidth - window.innerWidth, w];";
        let found: Value = self.client.execute(script, vec![]).await.unwrap();
        (found[0].as_i64().unwrap_or(0), found[1].clone())
    }
}

#[tokio::test]
async fn every_console_page_is_accessible_and_fits_a_phone() {
    let Some(browser) = browser().await else { return };
    let Some(axe) = axe_script() else { return };
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    let asked = app.call_between("request_callback", json!({"name": "Bernd Weber", "grund": "Farbe"}), "+4917699988877", SALON).await.json();
    assert_eq!(asked["success"], true);
    let owner = crate::console::login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, found) = owner.api(reqwest::Method::GET, "/admin/api/customers?q=1234", None).await;
    let customer = found["customers"][0]["id"].as_i64().unwrap();
    let (_, listed) = owner.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    let appointment = listed["appointments"][0]["id"].as_i64().unwrap();
    // somebody waits, so the waitlist page has a row to check
    let joined = app.call_as(7, "join_waitlist", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Wera Warte"})).await;
    assert_eq!(joined["success"], true, "{joined}");
    let login_page = browser.open(&app, "/admin/login").await;
    assert!(login_page.contains("password"));
    let mut problems = Vec::new();
    problems.extend(browser.accessibility_problems(&axe).await.into_iter().map(|p| format!("/admin/login: {p}")));
    browser.sign_in(&app, "inhaberin@schnittpunkt.example", PASSWORD).await;
    let pages = [
        "/admin/today?day=2026-12-01".to_string(),
        "/admin/week?start=2026-11-30".to_string(),
        "/admin/callbacks".to_string(),
        "/admin/calls".to_string(),
        "/admin/customers?q=Anna".to_string(),
        "/admin/waitlist".to_string(),
        format!("/admin/customers/{customer}"),
        format!("/admin/appointments/{appointment}"),
        "/admin/staff".to_string(),
        "/admin/settings".to_string(),
        "/admin/retell".to_string(),
        "/admin/today/print?day=2026-12-01".to_string(),
    ];
    for (width, height) in [(1280, 900), (375, 812)] {
        browser.client.set_window_size(width, height).await.unwrap();
        for page in &pages {
            browser.open(&app, page).await;
            match (width, page.split('?').next().unwrap_or_default()) {
                (1280, p) if p.starts_with("/admin/customers/") => browser.screenshot("customer").await,
                (1280, "/admin/today/print") => browser.screenshot("print").await,
                (375, "/admin/settings") => browser.screenshot("settings-phone").await,
                _ => {}
            }
            problems.extend(browser.page_problems(&axe, page, width).await);
        }
    }
    // the operations page is the platform admin's
    browser.open(&app, "/admin/today").await;
    browser.click("form[action='/admin/logout'] button").await;
    browser.sign_in(&app, "admin@frontdesk.example", PASSWORD).await;
    let schnittpunkt = app.branches.iter().find(|b| b.company.name == "Salon Schnittpunkt").unwrap().company.id;
    let (_, invited) = crate::onboarding::admin(
        &app,
        reqwest::Method::POST,
        &format!("/admin/api/companies/{schnittpunkt}/users"),
        Some(json!({"email": "neu@schnittpunkt.example", "role": "staff", "staff": "Maria"})),
    )
    .await;
    let welcome = invited["set_password_url"].as_str().unwrap().to_string();
    for (width, height) in [(1280, 900), (375, 812)] {
        browser.client.set_window_size(width, height).await.unwrap();
        let ops = browser.open(&app, "/admin/ops").await;
        assert!(ops.contains("/admin/ops"), "the admin sees the operations page");
        for page in ["/admin/ops", "/admin/businesses", welcome.as_str()] {
            browser.open(&app, page).await;
            problems.extend(browser.page_problems(&axe, page, width).await);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn an_admin_creates_salon_neu_and_its_owner_signs_in_to_an_empty_day() {
    let Some(browser) = browser().await else { return };
    let app = console_app().await;
    browser.sign_in(&app, "admin@frontdesk.example", PASSWORD).await;
    browser.open(&app, "/admin/ops").await;
    browser.click("a[href='/admin/businesses']").await;
    browser.fill("input[name=name]", "Salon Neu").await;
    browser.fill("input[name=branch]", "Mitte").await;
    browser.fill("input[name=phone]", "+4930111111").await;
    browser.fill("input[name=owner]", "inhaber@salon-neu.example").await;
    browser.click("form[action='/admin/businesses'] button[type=submit]").await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Angelegt"), "{page}");
    browser.screenshot("new-business").await;
    let link = browser.client.find(Locator::Css("#welcome-link")).await.unwrap().text().await.unwrap();
    assert!(link.starts_with("/admin/welcome/"), "{link}");
    // The owner, in another session: the link, a password, the sign-in, an empty day.
    browser.click("form[action='/admin/logout'] button").await;
    browser.open(&app, &link).await;
    browser.fill("input[name=password]", "Salon Neu 2027 los").await;
    browser.fill("input[name=repeat]", "Salon Neu 2027 los").await;
    browser.click("form[action^='/admin/welcome/'] button[type=submit]").await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Ihr Passwort ist gespeichert"), "{page}");
    let page = browser.sign_in(&app, "inhaber@salon-neu.example", "Salon Neu 2027 los").await;
    assert!(page.contains("Keine Termine an diesem Tag") && page.contains("inhaber@salon-neu.example"), "{page}");
    assert!(!page.contains("Anna Schmidt") && !page.contains("Innenstadt"), "only the new business: {page}");
    browser.screenshot("new-business-empty-day").await;
    // The link is spent.
    assert!(browser.open(&app, &link).await.contains("Nicht gefunden"));
}

#[tokio::test]
async fn an_owner_reads_in_one_sentence_what_a_lost_caller_wanted() {
    let Some(browser) = browser().await else { return };
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    let massage = app.call_as(9, "check_availability", json!({"service": "Massage", "date": "morgen"})).await;
    assert_eq!(massage["error"], "unknown_service", "{massage}");
    let ended = serde_json::to_vec(&json!({"event": "call_ended", "call": {
        "call_id": "call_booker_9", "agent_id": "agent_test", "from_number": "+4915100000009", "to_number": SALON,
        "direction": "inbound", "duration_ms": 41000, "disconnection_reason": "user_hangup"}}))
    .unwrap();
    assert_eq!(app.post("/retell/webhook", ended.clone(), Some(app.sign(&ended))).await.status, 204);
    browser.sign_in(&app, "inhaberin@schnittpunkt.example", PASSWORD).await;
    // the audit row is written in the background
    for _ in 0..50 {
        if browser.open(&app, "/admin/calls").await.contains("Massage") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.screenshot("calls").await;
    browser.click("nav.filters a[href$='show=lost']").await;
    let lost = browser.client.find(Locator::Css("article.call[data-lost=true] p.story")).await.unwrap().text().await.unwrap();
    assert!(lost.starts_with("Wollte") && lost.contains("Massage") && lost.ends_with("— bieten wir nicht an"), "{lost}");
    let page = browser.client.source().await.unwrap();
    assert!(!page.contains("Anna Schmidt"), "the booking is not a lost call: {page}");
}
