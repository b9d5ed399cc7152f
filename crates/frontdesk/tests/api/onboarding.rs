//! Onboarding through the API (DESIGN §16): companies, branches and logins created, changed and
//! deleted over HTTP by the tenants file's rules, applied at once on every instance; the whole
//! state exported as a tenants file that imports to the same state.

use crate::console::{add_user, login, ADMIN_TOKEN, PASSWORD};
use crate::helpers::*;
use frontdesk::domain::CompanyId;
use frontdesk::store::{Invitation, NewOperator, TenantWriteError};
use frontdesk::tenants::CompanyDraft;
use reqwest::Method;
use serde_json::{json, Value};

/// Calls the admin API with the bearer token and a JSON body.
pub async fn admin(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", app.address)).bearer_auth(ADMIN_TOKEN);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let answer = request.send().await.unwrap();
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
}

/// The first number of "Salon Neu".
pub const NEU_MITTE: &str = "+4930111111";
/// The second branch's number.
pub const NEU_WEDDING: &str = "+4930222222";

/// A new business as an agency would send it: a company with two branches.
pub fn salon_neu() -> Value {
    let hours = json!({"mon": ["09:00-18:00"], "tue": ["09:00-18:00"], "wed": ["09:00-18:00"], "thu": ["09:00-18:00"], "fri": ["09:00-18:00"]});
    json!({
        "name": "Salon Neu", "language": "de", "timezone": "Europe/Berlin", "region": "DE-BE",
        "branches": [
            {"name": "Mitte", "phone_numbers": [NEU_MITTE], "opening_hours": hours,
             "services": [{"name": "Herrenhaarschnitt", "duration_minutes": 30, "price": "30 EUR"}],
             "staff": [{"name": "Lea", "services": ["Herrenhaarschnitt"]}]},
            {"name": "Wedding", "phone_numbers": [NEU_WEDDING], "opening_hours": hours,
             "services": [{"name": "Damenhaarschnitt", "duration_minutes": 45}]},
        ]
    })
}

/// Asks `to` whether tomorrow at ten is free, until it answers (at most ~5 s on another instance).
async fn answered(app: &TestApp, to: &str, service: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..50 {
        last = app
            .call_between("check_availability", json!({"service": service, "date": "morgen", "time": "10:00"}), CALLER, to)
            .await
            .json();
        if last["success"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    last
}

#[tokio::test]
async fn a_company_created_through_the_api_answers_its_first_call_at_once_on_sqlite() {
    a_company_created_through_the_api_answers_its_first_call_at_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_company_created_through_the_api_answers_its_first_call_at_once_on_postgres() {
    a_company_created_through_the_api_answers_its_first_call_at_once(Backend::Postgres).await;
}

async fn a_company_created_through_the_api_answers_its_first_call_at_once(backend: Backend) {
    let Some(app) = TestApp::builder().backend(backend).env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).try_spawn().await else { return };
    let (status, created) = admin(&app, Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["branches"].as_array().map(Vec::len), Some(2), "{created}");
    // No reload, no restart: the very next call to the new number is answered.
    let answer = app
        .call_between("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}), CALLER, NEU_MITTE)
        .await
        .json();
    assert_eq!((answer["success"].clone(), answer["available"].clone()), (json!(true), json!(true)), "{answer}");
    let wedding = app
        .call_between("check_availability", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "10:00"}), CALLER, NEU_WEDDING)
        .await
        .json();
    assert_eq!(wedding["available"], true, "{wedding}");
    // Read back as written; the list has it.
    let id = created["id"].as_i64().unwrap();
    let (status, company) = admin(&app, Method::GET, &format!("/admin/api/companies/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!((company["company"]["region"].clone(), company["managed_by_api"].clone()), (json!("DE-BE"), json!(true)));
    assert_eq!(company["branches"][0]["phone_numbers"], json!([NEU_MITTE]));
    let (_, list) = admin(&app, Method::GET, "/admin/api/companies", None).await;
    assert!(list["companies"].as_array().unwrap().iter().any(|c| c["name"] == "Salon Neu"), "{list}");
}

#[tokio::test]
async fn a_company_created_through_the_api_answers_at_once_on_a_second_instance() {
    let Some((first, second)) = two_instances(None, None, monday_morning()).await else { return };
    let (status, created) = admin(&first, Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    assert_eq!(status, 201, "{created}");
    for (app, number, service) in [(&first, NEU_MITTE, "Herrenhaarschnitt"), (&second, NEU_WEDDING, "Damenhaarschnitt"), (&second, NEU_MITTE, "Herrenhaarschnitt")] {
        let answer = answered(app, number, service).await;
        assert_eq!(answer["available"], true, "{number}: {answer}");
    }
    // A branch changed on the second is answered from its new hours on the first.
    let branch = created["branches"][1].as_i64().unwrap();
    let (status, _) = admin(&second, Method::PATCH, &format!("/admin/api/branches/{branch}"), Some(json!({"opening_hours": {"tue": ["12:00-18:00"]}}))).await;
    assert_eq!(status, 200);
    let mut answer = Value::Null;
    for _ in 0..50 {
        answer = first
            .call_between("check_availability", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "10:00"}), CALLER, NEU_WEDDING)
            .await
            .json();
        if answer["available"] == false {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(answer["available"], false, "the first instance answers from the new hours: {answer}");
}

#[tokio::test]
async fn refusals_are_clear_and_nothing_is_half_created_on_sqlite() {
    refusals_are_clear_and_nothing_is_half_created(Backend::Sqlite).await;
}

#[tokio::test]
async fn refusals_are_clear_and_nothing_is_half_created_on_postgres() {
    refusals_are_clear_and_nothing_is_half_created(Backend::Postgres).await;
}

async fn refusals_are_clear_and_nothing_is_half_created(backend: Backend) {
    let Some(app) = TestApp::builder().backend(backend).env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).try_spawn().await else { return };
    let companies = |list: &Value| list["companies"].as_array().map(Vec::len).unwrap();
    let (_, before) = admin(&app, Method::GET, "/admin/api/companies", None).await;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = salon_neu();
        change(&mut body);
        body
    };
    let cases: Vec<(Value, u16, &str)> = vec![
        (with(&|b| { b.as_object_mut().unwrap().remove("timezone"); }), 400, "missing field `timezone`"),
        (with(&|b| b["region"] = json!("DE-XX")), 400, "unsupported region"),
        (with(&|b| b["branches"][0]["opening_hours"]["mon"] = json!(["09:00-13:00", "12:00-18:00"])), 400, "overlap"),
        (with(&|b| { b["branches"][0]["services"][0].as_object_mut().unwrap().remove("duration_minutes"); }), 400, "missing field `duration_minutes`"),
        (with(&|b| b["branches"][1]["phone_numbers"] = json!([SALON])), 409, "used by another branch"),
        (with(&|b| b["branches"][1]["phone_numbers"] = json!([NEU_MITTE])), 400, "used twice"),
        (with(&|b| b["name"] = json!("Salon Schnittpunkt")), 409, "another company is named"),
        (with(&|b| b["colour"] = json!("red")), 400, "unknown field `colour`"),
        // Secrets are refused empty, from the API as from the file.
        (with(&|b| b["retell_api_key"] = json!("")), 400, "retell_api_key"),
        (with(&|b| b["calcom_api_key"] = json!("  ")), 400, "calcom_api_key"),
    ];
    for (body, status, expected) in cases {
        let (got, answer) = admin(&app, Method::POST, "/admin/api/companies", Some(body)).await;
        assert_eq!(got, status, "{answer}");
        assert_eq!(answer["success"], false);
        assert!(answer["message"].as_str().unwrap().contains(expected), "{expected}: {answer}");
    }
    let (_, after) = admin(&app, Method::GET, "/admin/api/companies", None).await;
    assert_eq!(companies(&after), companies(&before), "nothing half-created: {after}");
    // The first branch's number of a refused company is still free.
    let answer = app.call_between("check_availability", json!({"date": "morgen"}), CALLER, NEU_MITTE).await.json();
    assert_eq!(answer["error"], "unknown_number", "{answer}");
    // A branch added to an existing company with a number used elsewhere: 409, nothing saved.
    let schnittpunkt = app.branches.iter().find(|b| b.company.name == "Salon Schnittpunkt").unwrap().company.id;
    let (status, answer) = admin(
        &app,
        Method::POST,
        &format!("/admin/api/companies/{schnittpunkt}/branches"),
        Some(json!({"name": "Neu", "phone_numbers": [PRACTICE]})),
    )
    .await;
    assert_eq!(status, 409, "{answer}");
    // An empty secret changes nothing of an existing company either, nor connects Cal.com.
    let (status, answer) =
        admin(&app, Method::PATCH, &format!("/admin/api/companies/{schnittpunkt}"), Some(json!({"retell_api_key": ""}))).await;
    assert_eq!((status, answer["error"].as_str()), (400, Some("bad_request")), "{answer}");
    let (status, answer) =
        admin(&app, Method::POST, &format!("/admin/api/companies/{schnittpunkt}/calcom/connect"), Some(json!({"api_key": ""}))).await;
    assert_eq!((status, answer["error"].as_str()), (400, Some("bad_request")), "{answer}");
    // Unreadable bodies and ids are JSON too.
    let (status, answer) = admin(&app, Method::POST, "/admin/api/companies", None).await;
    assert_eq!((status, answer["error"].as_str()), (400, Some("bad_request")), "{answer}");
    let (status, _) = admin(&app, Method::GET, "/admin/api/companies/abc", None).await;
    assert_eq!(status, 404);
    a_business_is_created_with_its_owner_or_not_at_all(&app).await;
}

/// The console's "new business": the company and its owner's login in one transaction. A login
/// that cannot be made (its e-mail signs in already, say by a race with another admin) leaves no
/// company behind, and the name stays free for the next try.
async fn a_business_is_created_with_its_owner_or_not_at_all(app: &TestApp) {
    add_user(&app.store, "schon-da@example.com", "owner", Some("Salon Schnittpunkt"), None).await;
    let spec = serde_json::from_value::<CompanyDraft>(salon_neu()).unwrap().validate().unwrap();
    let owner = |email| NewOperator { email, password_hash: "x", role: "owner", company_id: None, staff_name: None, language: "de" };
    let invitation = |email| Invitation { login: owner(email), token_hash: "hash", expires_at: monday_morning() };
    let refused = app.store.create_company(&spec, Some(&invitation("schon-da@example.com")), monday_morning()).await;
    assert!(matches!(refused, Err(TenantWriteError::Conflict(_))), "{refused:?}");
    let names = |drafts: Vec<(CompanyId, CompanyDraft)>| drafts.into_iter().map(|(_, d)| d.name).collect::<Vec<_>>();
    assert!(!names(app.store.company_drafts().await.unwrap()).contains(&"Salon Neu".to_string()), "no company without its owner");
    let (company, login) = app.store.create_company(&spec, Some(&invitation("neu@example.com")), monday_morning()).await.unwrap();
    let stored = app.store.operator_by_email("neu@example.com").await.unwrap().map(|o| (Some(o.id), o.company_id));
    assert_eq!(stored, Some((login, Some(company))), "the owner belongs to the new company");
}

#[tokio::test]
async fn owners_see_only_their_own_company_and_create_none_on_sqlite() {
    owners_see_only_their_own_company_and_create_none(Backend::Sqlite).await;
}

#[tokio::test]
async fn owners_see_only_their_own_company_and_create_none_on_postgres() {
    owners_see_only_their_own_company_and_create_none(Backend::Postgres).await;
}

async fn owners_see_only_their_own_company_and_create_none(backend: Backend) {
    let Some(app) = TestApp::builder().backend(backend).env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).try_spawn().await else { return };
    add_user(&app.store, "inhaberin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (status, answer) = owner.api(Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    assert_eq!((status, answer["error"].as_str()), (403, Some("forbidden")), "{answer}");
    let riverside = app.branches.iter().find(|b| b.company.name != "Salon Schnittpunkt").unwrap();
    let own = app.branches.iter().find(|b| b.company.name == "Salon Schnittpunkt").unwrap();
    for path in [format!("/admin/api/branches/{}", riverside.branch.id), format!("/admin/api/companies/{}", riverside.company.id)] {
        let (status, answer) = owner.api(Method::GET, &path, None).await;
        assert_eq!((status, answer["error"].as_str()), (404, Some("not_found")), "{path}: {answer}");
    }
    let (status, answer) =
        owner.api(Method::PATCH, &format!("/admin/api/branches/{}", riverside.branch.id), Some(json!({"name": "Mine"}))).await;
    assert_eq!(status, 404, "{answer}");
    let (status, answer) = owner.api(Method::GET, &format!("/admin/api/branches/{}", own.branch.id), None).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["branch"]["name"], own.branch.name.as_str());
    let (_, list) = owner.api(Method::GET, "/admin/api/companies", None).await;
    assert_eq!(list["companies"].as_array().map(Vec::len), Some(1), "{list}");
    // Secrets are never read back.
    let (_, company) = owner.api(Method::GET, &format!("/admin/api/companies/{}", own.company.id), None).await;
    assert!(company["company"].get("retell_api_key").is_none() && company["company"].get("calcom_api_key").is_none(), "{company}");
}

#[tokio::test]
async fn a_company_changed_through_the_api_is_not_overwritten_by_the_file() {
    let app = TestApp::builder().env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).spawn().await;
    let own = app.branches.iter().find(|b| b.company.name == "Salon Schnittpunkt").unwrap().company.id;
    let (status, answer) = admin(&app, Method::PATCH, &format!("/admin/api/companies/{own}"), Some(json!({"cancel_hours_before": 48}))).await;
    assert_eq!(status, 200, "{answer}");
    let (status, reload) = admin(&app, Method::POST, "/admin/api/tenants/reload", None).await;
    assert_eq!(status, 200, "{reload}");
    assert_eq!(reload["managed_by_api_kept"], json!(["Salon Schnittpunkt"]), "{reload}");
    let (_, company) = admin(&app, Method::GET, &format!("/admin/api/companies/{own}"), None).await;
    assert_eq!(company["company"]["cancel_hours_before"], 48, "{company}");
    // A company the API never touched is still the file's.
    assert!(!app.store.is_api_managed(app.branches.iter().find(|b| b.company.id != own).unwrap().company.id).await.unwrap());
    // Branches are not changed through the company.
    let (status, answer) = admin(&app, Method::PATCH, &format!("/admin/api/companies/{own}"), Some(json!({"branches": [{"name": "X"}]}))).await;
    assert_eq!(status, 400, "{answer}");
}

#[tokio::test]
async fn the_file_does_not_take_a_number_from_a_company_managed_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tenants.toml");
    std::fs::write(&file, demo_tenants()).unwrap();
    let app = TestApp::builder()
        .env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("FRONTDESK_TENANTS", file.display().to_string())
        .spawn()
        .await;
    let (status, created) = admin(&app, Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    assert_eq!(status, 201, "{created}");
    // The operator's file now gives the API company's number to one of the file's branches too,
    // and is reloaded.
    let edited = demo_tenants().replacen(r#"phone_numbers = ["+4930123456"]"#, &format!(r#"phone_numbers = ["+4930123456", "{NEU_MITTE}"]"#), 1);
    assert_ne!(edited, demo_tenants(), "the file names the number");
    std::fs::write(&file, edited).unwrap();
    let (status, reload) = admin(&app, Method::POST, "/admin/api/tenants/reload", None).await;
    assert_eq!(status, 200, "{reload}");
    let (_, branch) = admin(&app, Method::GET, &format!("/admin/api/branches/{}", created["branches"][0]), None).await;
    assert_eq!(branch["branch"]["phone_numbers"], json!([NEU_MITTE]), "{branch}");
    // Calls to it still reach Salon Neu, whose only service there is this one.
    assert_eq!(answered(&app, NEU_MITTE, "Herrenhaarschnitt").await["available"], true);
    let innenstadt = app.branches.iter().find(|b| b.branch.phone_numbers.iter().any(|n| n.as_str() == SALON)).unwrap().branch.id;
    let (_, file_branch) = admin(&app, Method::GET, &format!("/admin/api/branches/{innenstadt}"), None).await;
    assert_eq!(file_branch["branch"]["phone_numbers"], json!([SALON]), "the file's own number stays, the other is not taken: {file_branch}");
}

#[tokio::test]
async fn a_branch_with_appointments_to_come_is_not_deleted() {
    let app = TestApp::builder().env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).spawn().await;
    let (_, created) = admin(&app, Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    let (mitte, wedding) = (created["branches"][0].as_i64().unwrap(), created["branches"][1].as_i64().unwrap());
    let booked = app
        .call_between(
            "book_appointment",
            json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Jonas Weber"}),
            CALLER,
            NEU_MITTE,
        )
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    let (status, refused) = admin(&app, Method::DELETE, &format!("/admin/api/branches/{mitte}"), None).await;
    assert_eq!((status, refused["error"].as_str()), (409, Some("upcoming_appointments")), "{refused}");
    let listed = refused["appointments"].as_array().unwrap();
    assert_eq!((listed.len(), listed[0]["customer"].as_str()), (1, Some("Jonas Weber")), "{refused}");
    let (status, company_refused) = admin(&app, Method::DELETE, &format!("/admin/api/companies/{}", created["id"]), None).await;
    assert_eq!(status, 409, "{company_refused}");
    // A branch without appointments goes; its number is free at once, and may be given again.
    let (status, _) = admin(&app, Method::DELETE, &format!("/admin/api/branches/{wedding}"), None).await;
    assert_eq!(status, 200);
    let answer = app.call_between("check_availability", json!({"date": "morgen"}), CALLER, NEU_WEDDING).await.json();
    assert_eq!(answer["error"], "unknown_number", "{answer}");
    let (status, answer) = admin(&app, Method::GET, &format!("/admin/api/branches/{wedding}"), None).await;
    assert_eq!(status, 404, "{answer}");
    let (status, again) = admin(
        &app,
        Method::POST,
        &format!("/admin/api/companies/{}/branches", created["id"]),
        Some(json!({"name": "Wedding", "phone_numbers": [NEU_WEDDING], "opening_hours": {"tue": ["09:00-18:00"]},
                    "services": [{"name": "Damenhaarschnitt", "duration_minutes": 45}]})),
    )
    .await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(answered(&app, NEU_WEDDING, "Damenhaarschnitt").await["available"], true);
}

#[tokio::test]
async fn the_export_imports_to_the_same_state_on_sqlite() {
    the_export_imports_to_the_same_state(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_export_imports_to_the_same_state_on_postgres() {
    the_export_imports_to_the_same_state(Backend::Postgres).await;
}

async fn the_export_imports_to_the_same_state(backend: Backend) {
    let Some(app) = TestApp::builder().backend(backend).env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).try_spawn().await else { return };
    let (status, _) = admin(&app, Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    assert_eq!(status, 201);
    let lea = app.store.load_branches().await.unwrap();
    let lea = lea.iter().flat_map(|b| &b.branch.staff).find(|s| s.name == "Lea").unwrap().id.0;
    let (status, absence) = admin(
        &app,
        Method::POST,
        &format!("/admin/api/staff/{lea}/absences"),
        Some(json!({"from": "2026-12-14", "to": "2026-12-18", "reason": "Urlaub"})),
    )
    .await;
    assert_eq!(status, 201, "{absence} {lea}");
    let now = frontdesk::clock::Clock::now(app.clock.as_ref());
    let exported = frontdesk::onboarding::export::tenants_file(&app.store, now).await.unwrap();
    for expected in ["name = \"Salon Neu\"", "Urlaub", "+4930111111", "region = \"DE-BE\""] {
        assert!(exported.contains(expected), "{expected} in:\n{exported}");
    }
    let copy = TestApp::builder().backend(backend).tenants(exported.clone()).spawn().await;
    let again = frontdesk::onboarding::export::tenants_file(&copy.store, now).await.unwrap();
    assert_eq!(again, exported, "exported → imported → exported is the same file");
    assert_eq!(answered(&copy, NEU_MITTE, "Herrenhaarschnitt").await["available"], true);
}

#[tokio::test]
async fn an_invited_owner_sets_a_password_once_and_signs_in() {
    let app = TestApp::builder().env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).spawn().await;
    let (_, created) = admin(&app, Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    let users = format!("/admin/api/companies/{}/users", created["id"]);
    let (status, invited) = admin(&app, Method::POST, &users, Some(json!({"email": "Inhaber@Salon-Neu.example", "role": "owner"}))).await;
    assert_eq!(status, 201, "{invited}");
    assert_eq!(invited["email"], "inhaber@salon-neu.example");
    let link = invited["set_password_url"].as_str().unwrap();
    assert!(link.starts_with("/admin/welcome/"), "{link}");
    // Before the link is used nobody can sign in as them.
    assert!(login(&app, "inhaber@salon-neu.example", PASSWORD).await.is_err());
    let (status, twice) = admin(&app, Method::POST, &users, Some(json!({"email": "inhaber@salon-neu.example", "role": "owner"}))).await;
    assert_eq!(status, 409, "{twice}");
    let (status, admin_refused) = admin(&app, Method::POST, &users, Some(json!({"email": "a@b.example", "role": "admin"}))).await;
    assert_eq!(status, 400, "{admin_refused}");
    let http = crate::console::browser();
    let page = http.get(format!("{}{link}", app.address)).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains("inhaber@salon-neu.example"));
    let mismatch = http.post(format!("{}{link}", app.address)).form(&[("password", PASSWORD), ("repeat", "anders als oben")]).send().await.unwrap();
    assert_eq!(mismatch.status().as_u16(), 422);
    assert!(mismatch.text().await.unwrap().contains("stimmen nicht überein"));
    let set = http
        .post(format!("{}{link}", app.address))
        .form(&[("password", PASSWORD), ("repeat", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 303, "{}", set.text().await.unwrap());
    let owner = login(&app, "inhaber@salon-neu.example", PASSWORD).await.unwrap();
    let (status, page) = owner.page("/admin/today").await;
    assert_eq!(status, 200);
    assert!(page.contains("Lea") && page.contains("Keine Termine an diesem Tag"), "an empty day of the new business: {page}");
    // The link works once.
    let spent = http.get(format!("{}{link}", app.address)).send().await.unwrap();
    assert_eq!(spent.status().as_u16(), 404);
}

#[tokio::test]
async fn the_admin_api_is_described_by_an_openapi_3_1_document() {
    let app = TestApp::spawn().await;
    let answer = reqwest::get(format!("{}/admin/api/openapi.json", app.address)).await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let document: Value = answer.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"), "{}", document["openapi"]);
    for (path, methods) in [
        ("/admin/api/companies", &["get", "post"][..]),
        ("/admin/api/companies/{id}", &["get", "patch", "delete"][..]),
        ("/admin/api/companies/{id}/branches", &["post"][..]),
        ("/admin/api/companies/{id}/users", &["get", "post"][..]),
        ("/admin/api/companies/{id}/users/{user}", &["patch", "delete"][..]),
        ("/admin/api/companies/{id}/calcom/connect", &["post"][..]),
        ("/admin/api/branches/{id}", &["get", "patch", "delete"][..]),
        ("/admin/api/branches/{id}/retell/provision", &["post"][..]),
    ] {
        for method in methods {
            let operation = &document["paths"][path][method];
            assert!(operation.is_object(), "{method} {path}");
            assert!(operation["responses"]["401"].is_object(), "{method} {path} documents its refusals");
        }
    }
    // The body of a company is the tenants file's: its required keys are the file's.
    let company = &document["components"]["schemas"]["CompanyDraft"];
    assert_eq!(company["required"], json!(["name", "language", "timezone"]), "{company}");
}

#[tokio::test]
async fn a_deleted_company_answers_no_call_and_signs_nobody_in() {
    let app = TestApp::builder().env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).spawn().await;
    let (_, created) = admin(&app, Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    let id = created["id"].as_i64().unwrap();
    let (_, invited) = admin(&app, Method::POST, &format!("/admin/api/companies/{id}/users"), Some(json!({"email": "chef@salon-neu.example", "role": "owner"}))).await;
    assert!(invited["set_password_url"].is_string(), "{invited}");
    assert_eq!(answered(&app, NEU_MITTE, "Herrenhaarschnitt").await["available"], true);
    // An owner may not delete; an admin may, when nothing is still to come.
    add_user(&app.store, "chefin@salon-neu.example", "owner", Some("Salon Neu"), None).await;
    let owner = login(&app, "chefin@salon-neu.example", PASSWORD).await.unwrap();
    let (status, _) = owner.api(Method::DELETE, &format!("/admin/api/companies/{id}"), None).await;
    assert_eq!(status, 403);
    let (status, deleted) = admin(&app, Method::DELETE, &format!("/admin/api/companies/{id}"), None).await;
    assert_eq!(status, 200, "{deleted}");
    for number in [NEU_MITTE, NEU_WEDDING] {
        let answer = app.call_between("check_availability", json!({"date": "morgen"}), CALLER, number).await.json();
        assert_eq!(answer["error"], "unknown_number", "{answer}");
    }
    assert!(login(&app, "chefin@salon-neu.example", PASSWORD).await.is_err(), "its logins are gone");
    let (status, _) = owner.api(Method::GET, "/admin/api/companies", None).await;
    assert_eq!(status, 401, "its sessions end");
    let (status, _) = admin(&app, Method::GET, &format!("/admin/api/companies/{id}"), None).await;
    assert_eq!(status, 404);
    // Its name stays taken (its history keeps it); its numbers are free for another business.
    let (status, again) = admin(&app, Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    assert_eq!(status, 409, "{again}");
    let mut other = salon_neu();
    other["name"] = json!("Salon Nachfolger");
    let (status, successor) = admin(&app, Method::POST, "/admin/api/companies", Some(other)).await;
    assert_eq!(status, 201, "{successor}");
    assert_eq!(answered(&app, NEU_MITTE, "Herrenhaarschnitt").await["available"], true);
}

#[tokio::test]
async fn a_company_s_logins_are_read_changed_and_deleted() {
    let app = TestApp::builder().env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).spawn().await;
    let (_, created) = admin(&app, Method::POST, "/admin/api/companies", Some(salon_neu())).await;
    let users = format!("/admin/api/companies/{}/users", created["id"]);
    let (_, invited) = admin(&app, Method::POST, &users, Some(json!({"email": "lea@salon-neu.example", "role": "owner"}))).await;
    let lea = invited["id"].as_i64().unwrap();
    add_user(&app.store, "chefin@salon-neu.example", "owner", Some("Salon Neu"), None).await;
    let (status, listed) = admin(&app, Method::GET, &users, None).await;
    assert_eq!(status, 200, "{listed}");
    let emails: Vec<&str> = listed["users"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["chefin@salon-neu.example", "lea@salon-neu.example"]);
    assert!(!listed.to_string().contains("argon2"), "no password hash is shown: {listed}");
    // Lea becomes a staff login for herself; without the staff member's name that is refused.
    let (status, refused) = admin(&app, Method::PATCH, &format!("{users}/{lea}"), Some(json!({"role": "staff"}))).await;
    assert_eq!(status, 400, "{refused}");
    let (status, _) = admin(&app, Method::PATCH, &format!("{users}/{lea}"), Some(json!({"role": "staff", "staff": "Lea"}))).await;
    assert_eq!(status, 200);
    let (_, listed) = admin(&app, Method::GET, &users, None).await;
    assert!(listed["users"].as_array().unwrap().iter().any(|u| u["id"] == lea && u["role"] == "staff" && u["staff"] == "Lea"), "{listed}");
    // The owner signs in, may not delete herself, may delete Lea; another company's login is not found.
    let owner = login(&app, "chefin@salon-neu.example", PASSWORD).await.unwrap();
    let (_, mine) = owner.api(Method::GET, &users, None).await;
    let own_id = mine["users"][0]["id"].as_i64().unwrap();
    assert_eq!(owner.api(Method::DELETE, &format!("{users}/{own_id}"), None).await.0, 400);
    assert_eq!(owner.api(Method::DELETE, &format!("{users}/{lea}"), None).await.0, 200);
    assert_eq!(owner.api(Method::DELETE, &format!("{users}/{lea}"), None).await.0, 404);
    let schnittpunkt = app.branches.iter().find(|b| b.company.name == "Salon Schnittpunkt").unwrap().company.id;
    assert_eq!(owner.api(Method::GET, &format!("/admin/api/companies/{schnittpunkt}/users"), None).await.0, 404);
    let (_, listed) = admin(&app, Method::GET, &users, None).await;
    assert_eq!(listed["users"].as_array().map(Vec::len), Some(1), "{listed}");
}
