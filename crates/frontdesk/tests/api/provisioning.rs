//! frontdesk sets up Retell and Cal.com itself (DESIGN §16): provisioning against the Retell
//! simulator (which accepts exactly retell-sdk's request bodies), Cal.com connect against calsim,
//! and the commands that refuse placeholder hosts. Retell's API and Cal.com cannot run here:
//! their simulators in `calsim` stand in, checking what the real ones check.

use crate::console::ADMIN_TOKEN;
use crate::helpers::*;
use crate::onboarding::{admin, salon_neu, NEU_MITTE, NEU_WEDDING};
use calsim::retell::{serve_retell, RetellSim, RunningRetell};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

const RETELL_KEY: &str = "key_retell_salon_neu";
const PUBLIC_URL: &str = "https://frontdesk.salon-neu.test";

async fn retell_sim() -> RunningRetell {
    serve_retell(RetellSim::new(&[(RETELL_KEY, &[NEU_MITTE, NEU_WEDDING])]), "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

/// An app that provisions at the simulator, with "Salon Neu" created (its Retell key given).
async fn app_with_salon_neu(retell: &RunningRetell) -> (TestApp, Value) {
    let app = TestApp::builder()
        .env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("FRONTDESK_RETELL_BASE_URL", retell.base_url.clone())
        .env("FRONTDESK_PUBLIC_URL", PUBLIC_URL)
        .spawn()
        .await;
    let mut company = salon_neu();
    company["retell_api_key"] = json!(RETELL_KEY);
    let (status, created) = admin(&app, Method::POST, "/admin/api/companies", Some(company)).await;
    assert_eq!(status, 201, "{created}");
    (app, created)
}

#[tokio::test]
async fn provisioning_creates_once_then_only_updates() {
    // bodies of earlier runs must not pass for this run's
    let _ = std::fs::remove_dir_all(sdk_check_dir());
    let retell = retell_sim().await;
    let (app, created) = app_with_salon_neu(&retell).await;
    let mitte = created["branches"][0].as_i64().unwrap();
    let provision = format!("/admin/api/branches/{mitte}/retell/provision");
    let (status, first) = admin(&app, Method::POST, &provision, None).await;
    assert_eq!(status, 200, "{first} {:?}", retell.sim.captured().iter().map(|c| (c.path.clone(), c.status)).collect::<Vec<_>>());
    assert_eq!(first["created"], json!(["llm", "agent"]));
    let (creates, updates) = (retell.sim.creates(), retell.sim.updates());
    assert_eq!((creates.llms, creates.agents, updates.numbers), (1, 1, 1));
    let agent_id = first["agent_id"].as_str().unwrap().to_string();
    let llm_id = first["llm_id"].as_str().unwrap().to_string();
    // The number rings the agent, and Retell asks this service who calls.
    let number = retell.sim.number(NEU_MITTE).unwrap();
    assert_eq!(number["inbound_agents"][0]["agent_id"], agent_id.as_str(), "{number}");
    assert_eq!(number["inbound_webhook_url"], format!("{PUBLIC_URL}/retell/inbound"));
    let agent = retell.sim.agent(&agent_id).unwrap();
    assert_eq!(agent["response_engine"]["llm_id"], llm_id.as_str());
    assert_eq!(agent["webhook_url"], format!("{PUBLIC_URL}/retell/webhook"));
    let llm = retell.sim.llm(&llm_id).unwrap();
    assert!(llm["general_tools"].to_string().contains(&format!("{PUBLIC_URL}/retell/functions/")), "{llm}");
    keep_bodies_for_the_sdk_check(&retell);
    // The second run creates nothing (and, with nothing changed, sends nothing).
    let (status, second) = admin(&app, Method::POST, &provision, None).await;
    assert_eq!((status, second["created"].clone(), second["agent_id"].clone()), (200, json!([]), json!(agent_id)), "{second}");
    assert_eq!((retell.sim.creates().llms, retell.sim.creates().agents), (1, 1));
    let (_, branch) = admin(&app, Method::GET, &format!("/admin/api/branches/{mitte}"), None).await;
    assert_eq!(branch["retell"]["state"], "provisioned", "{branch}");
    // A web call from the agent (no numbers) finds the branch.
    assert!(branch["branch"]["retell_agent_ids"].as_array().unwrap().contains(&json!(agent_id)), "{branch}");
    // A renamed service reaches the LLM's tools by itself.
    let (status, _) = admin(
        &app,
        Method::PATCH,
        &format!("/admin/api/branches/{mitte}"),
        Some(json!({"services": [{"name": "Herrenschnitt", "duration_minutes": 30}], "staff": [{"name": "Lea", "services": ["Herrenschnitt"]}]})),
    )
    .await;
    assert_eq!(status, 200);
    let mut tools = String::new();
    for _ in 0..50 {
        tools = retell.sim.llm(&llm_id).unwrap()["general_tools"].to_string();
        if tools.contains(r#""enum":["Herrenschnitt"]"#) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(tools.contains(r#""enum":["Herrenschnitt"]"#) && !tools.contains(r#""enum":["Herrenhaarschnitt"]"#), "{tools}");
    assert_eq!((retell.sim.creates().llms, retell.sim.creates().agents), (1, 1), "updated, not created again");
    // A new staff member too: the agent is told the team.
    let (status, _) = admin(
        &app,
        Method::PATCH,
        &format!("/admin/api/branches/{mitte}"),
        Some(json!({"staff": [{"name": "Lea", "services": ["Herrenschnitt"]}, {"name": "Mehmet", "services": ["Herrenschnitt"]}]})),
    )
    .await;
    assert_eq!(status, 200);
    for _ in 0..50 {
        tools = retell.sim.llm(&llm_id).unwrap()["general_tools"].to_string();
        if tools.contains("Lea, Mehmet") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(tools.contains("The team: Lea, Mehmet."), "{tools}");
    // The update bodies are retell-sdk's types too.
    keep_bodies_for_the_sdk_check(&retell);
    for name in ["update-retell-llm", "update-agent"] {
        assert!(sdk_check_dir().join(format!("{name}.json")).exists(), "{name} captured");
    }
    // A branch whose definition moved on since it was provisioned (here: an older definition
    // recorded, as after a restart with another public URL) shows as outdated, and a run updates it.
    let branch = frontdesk::domain::BranchId(mitte);
    let mut record = app.store.retell_provision(branch).await.unwrap();
    record.provisioned_digest = Some("an older definition".into());
    app.store.save_retell_provision(branch, &record, chrono::Utc::now()).await.unwrap();
    let (_, shown) = admin(&app, Method::GET, &format!("/admin/api/branches/{mitte}"), None).await;
    assert_eq!(shown["retell"]["state"], "outdated", "{shown}");
    let (status, again) = admin(&app, Method::POST, &provision, None).await;
    assert_eq!((status, again["created"].clone()), (200, json!([])), "{again}");
    let (_, shown) = admin(&app, Method::GET, &format!("/admin/api/branches/{mitte}"), None).await;
    assert_eq!(shown["retell"]["state"], "provisioned", "{shown}");
}

#[tokio::test]
async fn two_instances_provisioning_one_branch_at_once_create_one_agent() {
    // Retell answers in 150 ms here, so the two runs overlap.
    let sim = RetellSim::new(&[(RETELL_KEY, &[NEU_MITTE, NEU_WEDDING])]).with_latency(Duration::from_millis(150));
    let retell = serve_retell(sim, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let env = [("FRONTDESK_RETELL_BASE_URL", retell.base_url.clone()), ("FRONTDESK_PUBLIC_URL", PUBLIC_URL.to_string())];
    let Some((first, second)) = two_instances_with(None, None, monday_morning(), &env).await else { return };
    let mut company = salon_neu();
    company["retell_api_key"] = json!(RETELL_KEY);
    let (status, created) = admin(&first, Method::POST, "/admin/api/companies", Some(company)).await;
    assert_eq!(status, 201, "{created}");
    let provision = format!("/admin/api/branches/{}/retell/provision", created["branches"][0]);
    let branch = format!("/admin/api/branches/{}", created["branches"][0]);
    for _ in 0..50 {
        if admin(&second, Method::GET, &branch, None).await.0 == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ((status_a, a), (status_b, b)) =
        tokio::join!(admin(&first, Method::POST, &provision, None), admin(&second, Method::POST, &provision, None));
    assert_eq!((status_a, status_b), (200, 200), "{a} {b}");
    assert_eq!((retell.sim.creates().llms, retell.sim.creates().agents), (1, 1), "{a} {b}");
    assert_eq!((a["llm_id"].clone(), a["agent_id"].clone()), (b["llm_id"].clone(), b["agent_id"].clone()));
    // The one that waited found everything done and sent nothing more.
    let created_by: Vec<&Value> = [&a, &b].into_iter().filter(|r| r["created"] != json!([])).collect();
    assert_eq!(created_by.len(), 1, "{a} {b}");
}

#[tokio::test]
async fn a_reloaded_tenants_file_updates_a_provisioned_branch_by_itself() {
    // A company of the file, provisioned with the service's own Retell key.
    let retell = serve_retell(RetellSim::new(&[(API_KEY, &[SALON])]), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tenants.toml");
    std::fs::write(&file, demo_tenants()).unwrap();
    let app = TestApp::builder()
        .env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("FRONTDESK_RETELL_BASE_URL", retell.base_url.clone())
        .env("FRONTDESK_PUBLIC_URL", PUBLIC_URL)
        .env("FRONTDESK_TENANTS", file.display().to_string())
        .spawn()
        .await;
    let innenstadt = app.branches.iter().find(|b| b.branch.phone_numbers.iter().any(|n| n.as_str() == SALON)).unwrap().branch.id;
    let (status, first) = admin(&app, Method::POST, &format!("/admin/api/branches/{innenstadt}/retell/provision"), None).await;
    assert_eq!(status, 200, "{first}");
    let llm_id = first["llm_id"].as_str().unwrap().to_string();
    // The operator renames a service in the file and reloads it.
    std::fs::write(&file, demo_tenants().replace("\"Herrenhaarschnitt\"", "\"Herrenschnitt Classic\"")).unwrap();
    let (status, reload) = admin(&app, Method::POST, "/admin/api/tenants/reload", None).await;
    assert_eq!(status, 200, "{reload}");
    let mut tools = String::new();
    for _ in 0..50 {
        tools = retell.sim.llm(&llm_id).unwrap()["general_tools"].to_string();
        if tools.contains("Herrenschnitt Classic") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(tools.contains("Herrenschnitt Classic"), "{tools}");
    assert_eq!((retell.sim.creates().llms, retell.sim.creates().agents), (1, 1), "updated, not created again");
    let (_, shown) = admin(&app, Method::GET, &format!("/admin/api/branches/{innenstadt}"), None).await;
    assert_eq!(shown["retell"]["state"], "provisioned", "{shown}");
}

/// Where the captured bodies go for `.ci/retell-sdk-check`.
fn sdk_check_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("retell-provision")
}

/// Writes the bodies frontdesk really sent, for `.ci/retell-sdk-check` to type-check with
/// retell-sdk's own TypeScript types.
fn keep_bodies_for_the_sdk_check(retell: &RunningRetell) {
    let dir = sdk_check_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for captured in retell.sim.captured() {
        let name = captured.path.trim_start_matches('/').split('/').next().unwrap().to_string();
        std::fs::write(dir.join(format!("{name}.json")), serde_json::to_vec_pretty(&captured.body).unwrap()).unwrap();
    }
    for name in ["create-retell-llm", "create-agent", "update-phone-number"] {
        assert!(dir.join(format!("{name}.json")).exists(), "{name} captured");
    }
}

#[tokio::test]
async fn a_wrong_retell_key_is_reported_and_nothing_is_stored() {
    let retell = retell_sim().await;
    let (app, created) = app_with_salon_neu(&retell).await;
    let (status, _) = admin(&app, Method::PATCH, &format!("/admin/api/companies/{}", created["id"]), Some(json!({"retell_api_key": "key_wrong"}))).await;
    assert_eq!(status, 200);
    let mitte = created["branches"][0].as_i64().unwrap();
    let (status, refused) = admin(&app, Method::POST, &format!("/admin/api/branches/{mitte}/retell/provision"), None).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("Retell refused the company's key"), "{refused}");
    assert_eq!((retell.sim.creates().llms, retell.sim.creates().agents), (0, 0));
    let (_, branch) = admin(&app, Method::GET, &format!("/admin/api/branches/{mitte}"), None).await;
    assert_eq!(branch["retell"]["state"], "failed", "{branch}");
    assert!(branch["retell"].get("llm_id").is_none() && branch["retell"].get("agent_id").is_none(), "{branch}");
}

#[tokio::test]
async fn a_run_that_failed_half_way_is_completed_by_the_next() {
    let retell = retell_sim().await;
    let (app, created) = app_with_salon_neu(&retell).await;
    let wedding = created["branches"][1].as_i64().unwrap();
    let provision = format!("/admin/api/branches/{wedding}/retell/provision");
    retell.sim.fail_next("create-agent", 500);
    let (status, failed) = admin(&app, Method::POST, &provision, None).await;
    assert_eq!(status, 502, "{failed}");
    let (_, branch) = admin(&app, Method::GET, &format!("/admin/api/branches/{wedding}"), None).await;
    assert_eq!(branch["retell"]["state"], "failed");
    assert!(branch["retell"]["llm_id"].is_string(), "what Retell recorded is kept: {branch}");
    let (status, completed) = admin(&app, Method::POST, &provision, None).await;
    assert_eq!(status, 200, "{completed}");
    assert_eq!(completed["created"], json!(["agent"]), "the LLM is not created twice: {completed}");
    assert_eq!((retell.sim.creates().llms, retell.sim.creates().agents), (1, 1));
    assert!(retell.sim.number(NEU_WEDDING).unwrap()["inbound_agents"][0]["agent_id"] == completed["agent_id"]);
}

#[tokio::test]
async fn without_a_public_url_nothing_reaches_retell() {
    let retell = retell_sim().await;
    let app = TestApp::builder()
        .env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("FRONTDESK_RETELL_BASE_URL", retell.base_url.clone())
        .spawn()
        .await;
    let branch = app.branches[0].branch.id;
    let (status, refused) = admin(&app, Method::POST, &format!("/admin/api/branches/{branch}/retell/provision"), None).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("FRONTDESK_PUBLIC_URL"), "{refused}");
    assert!(retell.sim.captured().is_empty());
}

/// The installed command, with only the given settings (run beside the test's runtime, which
/// keeps serving the simulators meanwhile).
async fn frontdesk(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"));
    command.args(args).env_remove("FRONTDESK_PUBLIC_URL").env_remove("FRONTDESK_TENANTS").current_dir(env!("CARGO_MANIFEST_DIR"));
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().await.unwrap()
}

#[tokio::test]
async fn the_commands_take_the_public_url_or_refuse_in_one_line() {
    let tenants = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/tenants.demo.toml");
    for args in [vec!["retell-tools"], vec!["retell-agent", "--branch", "Innenstadt"]] {
        let mut all = args.clone();
        all.extend(["--tenants", tenants]);
        let refused = frontdesk(&all, &[]).await;
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success() && stderr.contains("set FRONTDESK_PUBLIC_URL"), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(!String::from_utf8_lossy(&refused.stdout).contains("example.com"));
        let printed = frontdesk(&all, &[("FRONTDESK_PUBLIC_URL", "https://desk.salon.test")]).await;
        let stdout = String::from_utf8_lossy(&printed.stdout);
        assert!(printed.status.success() && stdout.contains("https://desk.salon.test/retell/"), "{args:?}: {stdout}");
    }
}

#[tokio::test]
async fn the_commands_export_and_provision_from_the_database() {
    let retell = retell_sim().await;
    let (app, _) = app_with_salon_neu(&retell).await;
    let database = [("FRONTDESK_DATABASE_URL", app.database_url.as_str())];
    let exported = frontdesk(&["tenants", "export"], &database).await;
    let text = String::from_utf8_lossy(&exported.stdout);
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    frontdesk::tenants::TenantsFile::parse(&text).expect("the export is a valid tenants file");
    assert!(text.contains("name = \"Salon Neu\""), "{text}");
    let refused = frontdesk(&["retell-provision", "--branch", "Salon Neu/Mitte"], &database).await;
    assert!(String::from_utf8_lossy(&refused.stderr).contains("set FRONTDESK_PUBLIC_URL"));
    let env = [database[0], ("FRONTDESK_RETELL_BASE_URL", retell.base_url.as_str()), ("FRONTDESK_PUBLIC_URL", PUBLIC_URL)];
    let provisioned = frontdesk(&["retell-provision", "--branch", "Salon Neu/Mitte"], &env).await;
    assert!(provisioned.status.success(), "{}", String::from_utf8_lossy(&provisioned.stderr));
    let report: Value = serde_json::from_slice(&provisioned.stdout).unwrap();
    assert_eq!(report["created"], json!(["llm", "agent"]), "{report}");
    let again: Value = serde_json::from_slice(&frontdesk(&["retell-provision", "--branch", "Salon Neu/Mitte"], &env).await.stdout).unwrap();
    assert_eq!((again["created"].clone(), retell.sim.creates().agents), (json!([]), 1), "{again}");
}

/// A port that was free a moment ago (the app listens there and names it as its public URL,
/// so that Cal.com's webhook can reach it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Books `start` at Cal.com as somebody else would, then asks `ask` of Salon Neu until the time is
/// taken (its webhook arrived) or 5 s have passed; the last answer.
async fn booked_at_cal_com(app: &TestApp, sim: &calsim::Running, event_type: &Value, start: chrono::DateTime<chrono::Utc>, ask: &Value) -> Value {
    let outside = calsim_control(sim, "external-booking", json!({"eventTypeId": event_type, "start": start})).await;
    assert_eq!(outside["status"], "success", "{outside}");
    let mut after = Value::Null;
    for _ in 0..50 {
        after = app.call_between("check_availability", ask.clone(), CALLER, NEU_MITTE).await.json();
        if after["available"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    after
}

#[tokio::test]
async fn cal_com_connect_maps_services_and_registers_a_signed_webhook() {
    const KEY: &str = "cal_live_salon_neu";
    const OTHER_KEY: &str = "cal_live_salon_neu_moved";
    let services = ["Herrenhaarschnitt", "Damenhaarschnitt", "Färben"];
    let fixture = calsim::Fixture::empty().with_event_types(KEY, &services).with_event_types(OTHER_KEY, &services);
    let faults = calsim::Faults { latency_ms: (5, 5), ..calsim::Faults::default() };
    let sim = calsim::serve(calsim::Sim::new(fixture, faults, None), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let port = free_port();
    let app = TestApp::builder()
        .env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("FRONTDESK_LISTEN", format!("127.0.0.1:{port}"))
        .env("FRONTDESK_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("FRONTDESK_CALCOM_BASE_URL", sim.base_url.clone())
        .spawn()
        .await;
    let clock = app.clock.clone();
    sim.sim.set_clock(std::sync::Arc::new(move || frontdesk::clock::Clock::now(clock.as_ref())));
    // A Cal.com company naming an event type Cal.com does not have: 400, nothing created.
    let mut wrong = salon_neu();
    wrong["calendar"] = json!("calcom");
    wrong["calcom_api_key"] = json!(KEY);
    wrong["branches"] = json!([{"name": "Mitte", "phone_numbers": [NEU_MITTE], "services": [{"name": "Färben", "duration_minutes": 30, "calcom_event_type_id": 4242}]}]);
    let (status, refused) = admin(&app, Method::POST, "/admin/api/companies", Some(wrong)).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("Cal.com has no event type 4242"), "{refused}");
    let (_, list) = admin(&app, Method::GET, "/admin/api/companies", None).await;
    assert!(!list.to_string().contains("Salon Neu"), "{list}");
    let mut company = salon_neu();
    company["branches"][0]["services"] = json!([
        {"name": "Herrenhaarschnitt", "duration_minutes": 30},
        {"name": "Damenhaarschnitt", "duration_minutes": 30},
        {"name": "Färben", "duration_minutes": 30},
    ]);
    let (_, created) = admin(&app, Method::POST, "/admin/api/companies", Some(company)).await;
    let id = created["id"].as_i64().unwrap();
    let connect = format!("/admin/api/companies/{id}/calcom/connect");
    // A wrong key: 400, and nothing stored, nothing registered.
    let (status, refused) = admin(&app, Method::POST, &connect, Some(json!({"api_key": "cal_live_wrong"}))).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("Cal.com refused the key"), "{refused}");
    assert!(app.store.company_draft(frontdesk::domain::CompanyId(id)).await.unwrap().unwrap().calcom_api_key.is_none());
    assert!(sim.sim.subscriptions.list().is_empty());
    let (status, connected) = admin(&app, Method::POST, &connect, Some(json!({"api_key": KEY}))).await;
    assert_eq!(status, 200, "{connected}");
    let matched: Vec<&str> = connected["matched"].as_array().unwrap().iter().map(|m| m["service"].as_str().unwrap()).collect();
    assert_eq!(matched, ["Damenhaarschnitt", "Färben", "Herrenhaarschnitt"], "{connected}");
    assert_eq!((connected["unmatched_services"].clone(), connected["calendar_switched"].clone()), (json!([]), json!(true)), "{connected}");
    let hooks = sim.sim.subscriptions.list();
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].subscriber_url, format!("http://127.0.0.1:{port}/calcom/webhook/{id}"));
    // The company now books in Cal.com: a read, then a booking made elsewhere arrives signed
    // with the registered secret and takes the time at once.
    let ask = json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"});
    let before = app.call_between("check_availability", ask.clone(), CALLER, NEU_MITTE).await.json();
    assert_eq!(before["available"], true, "{before}");
    let event_type = connected["matched"].as_array().unwrap().iter().find(|m| m["service"] == "Herrenhaarschnitt").unwrap()["event_type_id"].clone();
    // Monday 08:00 in Berlin (the app's clock) + 26 hours: tomorrow at ten.
    let tomorrow_ten = monday_morning() + chrono::Duration::hours(26);
    let after = booked_at_cal_com(&app, &sim, &event_type, tomorrow_ten, &ask).await;
    assert_eq!(after["available"], false, "the webhook reached the company's windows: {after}");
    // Signed with another secret, the same address refuses.
    let forged = reqwest::Client::new()
        .post(format!("{}/calcom/webhook/{id}", app.address))
        .header("x-cal-signature-256", "00")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 401);
    // Connecting again (a service added, say): Cal.com refuses a second webhook at the same
    // address, so the one there gets the new secret; its events are still taken (a booking the
    // day after tomorrow at ten arrives signed with the new secret).
    let (first_hook, first_secret) = (hooks[0].id, hooks[0].secret.clone());
    let (status, again) = admin(&app, Method::POST, &connect, Some(json!({"api_key": KEY}))).await;
    assert_eq!(status, 200, "{again}");
    let hooks = sim.sim.subscriptions.list();
    assert_eq!((hooks.len(), hooks[0].id), (1, first_hook), "one webhook, updated in place");
    assert_ne!(hooks[0].secret, first_secret, "with the new secret");
    let ask = json!({"service": "Herrenhaarschnitt", "date": "übermorgen", "time": "10:00"});
    assert_eq!(app.call_between("check_availability", ask.clone(), CALLER, NEU_MITTE).await.json()["available"], true);
    let after = booked_at_cal_com(&app, &sim, &event_type, tomorrow_ten + chrono::Duration::days(1), &ask).await;
    assert_eq!(after["available"], false, "the new webhook's events are taken: {after}");
    // Another Cal.com account (the business moved): the webhook at the former one is deleted.
    let (status, moved) = admin(&app, Method::POST, &connect, Some(json!({"api_key": OTHER_KEY}))).await;
    assert_eq!(status, 200, "{moved}");
    let hooks = sim.sim.subscriptions.list();
    assert_eq!(hooks.len(), 1, "only the new account's webhook is left: {hooks:?}");
    assert_ne!(hooks[0].id, first_hook);
}

#[tokio::test]
async fn the_console_shows_where_each_branch_stands_with_retell() {
    let retell = retell_sim().await;
    let (app, created) = app_with_salon_neu(&retell).await;
    crate::console::add_user(&app.store, "inhaberin@salon-neu.example", "owner", Some("Salon Neu"), None).await;
    let owner = crate::console::login(&app, "inhaberin@salon-neu.example", crate::console::PASSWORD).await.unwrap();
    let (_, page) = owner.page("/admin/retell").await;
    assert_eq!(page.matches(r#"data-retell-state="none""#).count(), 2, "{page}");
    let mitte = created["branches"][0].as_i64().unwrap();
    let (status, page) = owner.form(&format!("/admin/retell/{mitte}/provision"), &[], true).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Bei Retell eingerichtet"), "{page}");
    assert!(page.contains(r#"data-retell-state="provisioned""#), "{page}");
    // A definition that moved on since (as after a restart with another public URL): out of date.
    let branch = frontdesk::domain::BranchId(mitte);
    let mut record = app.store.retell_provision(branch).await.unwrap();
    let current = record.provisioned_digest.replace("an older definition".into());
    app.store.save_retell_provision(branch, &record, chrono::Utc::now()).await.unwrap();
    let (_, page) = owner.page("/admin/retell").await;
    assert!(page.contains(r#"data-retell-state="outdated""#) && page.contains("Bei Retell veraltet"), "{page}");
    record.provisioned_digest = current;
    app.store.save_retell_provision(branch, &record, chrono::Utc::now()).await.unwrap();
    // Retell refusing the update after a settings change: the page says so, in Retell's words.
    retell.sim.fail_next("update-retell-llm", 500);
    let (status, _) = admin(&app, Method::PATCH, &format!("/admin/api/branches/{mitte}"), Some(json!({"services": [{"name": "Bart", "duration_minutes": 20}], "staff": []}))).await;
    assert_eq!(status, 200);
    let mut page = String::new();
    for _ in 0..50 {
        page = owner.page("/admin/retell").await.1;
        if page.contains(r#"data-retell-state="failed""#) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(page.contains("Einrichten bei Retell fehlgeschlagen") && page.contains("update-retell-llm"), "{page}");
    // Another company's branch is not found.
    let other = app.branches.iter().find(|b| b.company.name == "Salon Schnittpunkt").unwrap().branch.id;
    assert_eq!(owner.form(&format!("/admin/retell/{other}/provision"), &[], true).await.0, 404);
}
