//! Calendar feeds: a secret URL per branch and staff member, RFC 5545 checked by an independent
//! parser (the `ical` crate), exactly the live appointments of its scope, ETag/304, rotation.

use crate::console::anna_books_with_jonas;
use crate::helpers::*;
use frontdesk::feeds::FeedUrl;
use serde_json::json;

/// The events of a feed as (UID, SUMMARY, DTSTART) after parsing it with the `ical` crate.
fn events(body: &str) -> Vec<(String, String, String)> {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(body.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("valid RFC 5545");
    assert!(calendars.next().is_none());
    let method = calendar.properties.iter().find(|p| p.name == "METHOD").and_then(|p| p.value.clone());
    assert_eq!(method.as_deref(), Some("PUBLISH"));
    calendar
        .events
        .iter()
        .map(|event| {
            let get = |name: &str| {
                event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default()
            };
            (get("UID"), get("SUMMARY"), get("DTSTART"))
        })
        .collect()
}

async fn feed_urls(app: &TestApp, rotate: bool) -> Vec<FeedUrl> {
    let branches: Vec<_> = app.branches.iter().map(|b| (**b).clone()).collect();
    frontdesk::feeds::issue(&app.store, &branches, &app.address, rotate, app.now).await.unwrap()
}

fn url_of<'a>(urls: &'a [FeedUrl], label: &str) -> &'a str {
    &urls.iter().find(|u| u.label == label).unwrap_or_else(|| panic!("no feed {label}: {urls:?}")).url
}

async fn get(url: &str, etag: Option<&str>) -> (u16, Option<String>, String) {
    let mut request = reqwest::Client::new().get(url);
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    let answer = request.send().await.unwrap();
    let status = answer.status().as_u16();
    let etag = answer.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
    if status == 200 {
        assert_eq!(answer.headers()["content-type"], "text/calendar; charset=utf-8");
    }
    (status, etag, answer.text().await.unwrap())
}

#[tokio::test]
async fn a_feed_holds_exactly_its_scopes_live_appointments() {
    let app = TestApp::spawn().await;
    let urls = feed_urls(&app, false).await;
    // One per branch and one per staff member, made once and kept.
    let expected: usize = app.branches.iter().map(|b| 1 + b.branch.staff.len()).sum();
    assert_eq!(urls.len(), expected);
    assert!(urls.iter().all(|u| u.new));
    let again = feed_urls(&app, false).await;
    assert!(again.iter().all(|u| !u.new) && again.iter().zip(&urls).all(|(a, b)| a.url == b.url));

    anna_books_with_jonas(&app).await;
    let maria = json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "14:00", "name": "Bea Berg", "staff": "Maria"});
    assert_eq!(app.call_between("book_appointment", maria, "+4917611122233", SALON).await.json()["success"], true);
    let branch = url_of(&urls, "Salon Schnittpunkt / Innenstadt");
    let jonas = url_of(&urls, "Salon Schnittpunkt / Innenstadt / Jonas");
    let other_branch = url_of(&urls, "Salon Schnittpunkt / Prenzlauer Berg");

    let (status, etag, body) = get(branch, None).await;
    assert_eq!(status, 200);
    let all = events(&body);
    assert_eq!(all.len(), 2, "{body}");
    assert!(all.iter().any(|(uid, summary, start)| uid.starts_with("appointment-") && summary == "Herrenhaarschnitt – Anna Schmidt" && start == "20261201T090000Z"), "{all:?}");
    assert!(!body.contains(CALLER), "the number is masked in a feed: {body}");
    let (_, _, body) = get(jonas, None).await;
    assert_eq!(events(&body).len(), 1, "{body}");
    assert_eq!(events(&get(other_branch, None).await.2).len(), 0);

    // Unchanged: 304. A cancellation changes the feed and the appointment disappears.
    let etag = etag.unwrap();
    assert_eq!(get(branch, Some(&etag)).await.0, 304);
    let cancelled = app.call("cancel_appointment", json!({"date": "morgen", "time": "10:00"})).await.json();
    assert_eq!(cancelled["success"], true, "{cancelled}");
    let (status, fresh, body) = get(branch, Some(&etag)).await;
    assert_eq!(status, 200);
    assert_ne!(fresh.unwrap(), etag);
    let left = events(&body);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].1, "Damenhaarschnitt – Bea Berg");
}

#[tokio::test]
async fn a_rotated_feed_url_stops_working_and_strangers_get_nothing() {
    let app = TestApp::spawn().await;
    let first = feed_urls(&app, false).await;
    let rotated = feed_urls(&app, true).await;
    assert!(rotated.iter().all(|u| u.new));
    let label = "Salon Schnittpunkt / Innenstadt";
    assert_eq!(get(url_of(&first, label), None).await.0, 404);
    assert_eq!(get(url_of(&rotated, label), None).await.0, 200);
    for path in ["/feeds/nothing.ics", "/feeds/0123456789abcdef0123456789abcdef0123456789abcdef.ics", "/feeds/x"] {
        assert_eq!(get(&format!("{}{path}", app.address), None).await.0, 404, "{path}");
    }
}
