//! What a client checks when a business connects its Cal.com key: who the key is (`/v2/me`),
//! its event types (`/v2/event-types`).

use crate::helpers::{salon, start, Client, KEY, SALON_KEY};
use calsim::Fixture;
use reqwest::Method;

#[tokio::test]
async fn me_answers_the_keys_user_and_refuses_a_wrong_key() {
    let sim = salon().await;
    let client = Client::new(&sim);
    let me = client.send(Method::GET, "/v2/me", None, Some(SALON_KEY), None).await;
    assert_eq!(me.status, 200, "{:?}", me.body);
    assert_eq!(me.body["status"], "success");
    assert_eq!(me.body["data"]["id"], 1);
    assert_eq!(me.body["data"]["timeZone"], "Europe/Berlin");
    let other = client.send(Method::GET, "/v2/me", None, Some("cal_live_other"), None).await;
    assert_eq!(other.body["data"]["id"], 2);

    let wrong = client.send(Method::GET, "/v2/me", None, Some("cal_live_wrong"), None).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body["status"], "error");
    assert_eq!(wrong.body["error"]["message"], "ApiAuthGuard - Invalid API Key");
    let missing = client.send(Method::GET, "/v2/me", None, None, None).await;
    assert_eq!(missing.status, 401);
}

#[tokio::test]
async fn any_cal_key_is_a_user_of_its_own_in_the_default_fixture() {
    let sim = start().await;
    let client = Client::new(&sim);
    let first = client.send(Method::GET, "/v2/me", None, Some(KEY), None).await;
    let again = client.send(Method::GET, "/v2/me", None, Some(KEY), None).await;
    let other = client.send(Method::GET, "/v2/me", None, Some("cal_another"), None).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["data"]["id"], again.body["data"]["id"]);
    assert_ne!(first.body["data"]["id"], other.body["data"]["id"]);
}

#[tokio::test]
async fn event_types_are_the_keys_own() {
    let sim = salon().await;
    let client = Client::new(&sim);
    let listed = client.send(Method::GET, "/v2/event-types", Some("2024-06-14"), Some(SALON_KEY), None).await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    let event_types = listed.body["data"].as_array().unwrap();
    let titles: Vec<&str> = event_types.iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Herrenhaarschnitt", "Damenhaarschnitt", "Färben"]);
    let slugs: Vec<&str> = event_types.iter().map(|e| e["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["herrenhaarschnitt", "damenhaarschnitt", "farben"]);
    assert_eq!(event_types[0]["id"], 1);
    assert_eq!(event_types[0]["lengthInMinutes"], 30);
    assert_eq!(event_types[0]["ownerId"], 1);

    let other = client.send(Method::GET, "/v2/event-types", Some("2024-06-14"), Some("cal_live_other"), None).await;
    let titles: Vec<&str> =
        other.body["data"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Massage"]);

    let unversioned = client.send(Method::GET, "/v2/event-types", None, Some(SALON_KEY), None).await;
    assert_eq!(unversioned.status, 400);
    let wrong = client.send(Method::GET, "/v2/event-types", Some("2024-06-14"), Some("cal_nope"), None).await;
    assert_eq!(wrong.status, 401);
}

#[tokio::test]
async fn shared_event_types_are_everyones_and_a_title_defaults_to_the_slugs_words() {
    let sim = start().await;
    let client = Client::new(&sim);
    let listed = client.send(Method::GET, "/v2/event-types", Some("2024-06-14"), Some(KEY), None).await;
    let event_types = listed.body["data"].as_array().unwrap();
    assert_eq!(event_types.len(), 20);
    assert_eq!(event_types[0]["title"], "event 1001");
}

#[test]
fn a_fixture_file_may_name_titles_and_owners() {
    let text = r#"{"api_keys": ["cal_a"], "event_types": [
        {"id": 7, "slug": "cut", "title": "Schnitt", "api_key": "cal_a", "length_minutes": 30,
         "time_zone": "Europe/Berlin", "schedule": {"mon": ["09:00-17:00"]}},
        {"id": 8, "slug": "wash-and-go", "length_minutes": 15, "time_zone": "Europe/Berlin", "schedule": {}}
    ]}"#;
    let fixture = Fixture::parse(text).unwrap();
    assert_eq!(fixture.event_types[&7].title, "Schnitt");
    assert_eq!(fixture.event_types[&7].owner_key.as_deref(), Some("cal_a"));
    assert_eq!(fixture.event_types[&8].title, "wash and go");
    assert_eq!(fixture.event_types_of("cal_a").count(), 2);
    let stranger = text.replace(r#""api_key": "cal_a""#, r#""api_key": "cal_b""#);
    assert!(Fixture::parse(&stranger).unwrap_err().contains("cal_b"));
}
