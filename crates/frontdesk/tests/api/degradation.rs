//! When the calendar fails or code panics, the caller still hears a sentence and a callback offer;
//! outbound calls find their tenant by the calling number.

use crate::helpers::{TestApp, CALLER, PRACTICE, SALON};
use frontdesk::calendar::{CalendarError, CalendarProvider, Slot, SlotQuery};
use futures_util::future::BoxFuture;
use serde_json::json;
use std::sync::Arc;

#[derive(Debug)]
struct BrokenCalendar;

impl CalendarProvider for BrokenCalendar {
    fn name(&self) -> &'static str {
        "broken"
    }
    fn free_slots<'a>(&'a self, _: SlotQuery<'a>) -> BoxFuture<'a, Result<Vec<Slot>, CalendarError>> {
        Box::pin(async { Err(CalendarError::Unavailable("connection refused".into())) })
    }
}

#[derive(Debug)]
struct PanickingCalendar;

impl CalendarProvider for PanickingCalendar {
    fn name(&self) -> &'static str {
        "panicking"
    }
    fn free_slots<'a>(&'a self, _: SlotQuery<'a>) -> BoxFuture<'a, Result<Vec<Slot>, CalendarError>> {
        Box::pin(async { panic!("bug in a calendar provider") })
    }
}

#[tokio::test]
async fn an_unreachable_calendar_offers_a_callback() {
    let app = TestApp::builder().calendar(Arc::new(BrokenCalendar)).spawn().await;
    for function in ["check_availability", "find_next_available"] {
        let answer = app.call(function, json!({"service": "Bartpflege", "date": "morgen", "time": "10:00"})).await;
        assert_eq!(answer.status, 200);
        let body = answer.json();
        assert_eq!(body["error"], "calendar_unavailable", "{function}: {body}");
        assert_eq!(body["offer_callback"], true);
        assert!(body["message"].as_str().unwrap().contains("zurückrufen"));
    }
    let practice =
        app.call_between("find_next_available", json!({"service": "check-up"}), CALLER, PRACTICE).await.json();
    assert_eq!(
        practice["message"],
        "I can't reach our calendar right now. May we call you back as soon as it works again?"
    );
}

#[tokio::test]
async fn a_panic_while_reading_a_window_is_a_calendar_failure_not_a_crash() {
    let app = TestApp::builder().calendar(Arc::new(PanickingCalendar)).spawn().await;
    let answer =
        app.call("check_availability", json!({"service": "Bartpflege", "date": "morgen", "time": "10:00"})).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json()["error"], "calendar_unavailable");
    assert_eq!(app.call("get_opening_hours", json!({})).await.status, 200);
}

#[tokio::test]
async fn a_panic_is_answered_with_the_spoken_fallback_and_counted() {
    // Without the cache the provider runs inside the request: the function's own guard answers.
    let app = TestApp::builder()
        .calendar(Arc::new(PanickingCalendar))
        .env("FRONTDESK_AVAILABILITY_CACHE", "off")
        .spawn()
        .await;
    let answer =
        app.call("check_availability", json!({"service": "Bartpflege", "date": "morgen", "time": "10:00"})).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let body = answer.json();
    assert_eq!(body["error"], "internal");
    assert_eq!(body["offer_callback"], true);
    assert_eq!(
        body["message"],
        "Entschuldigung, da ist bei mir gerade etwas schiefgelaufen. Darf ich Sie zurückrufen lassen?"
    );
    // The server keeps answering afterwards, and the panic is counted.
    assert_eq!(app.call("get_opening_hours", json!({})).await.status, 200);
    let metrics = app.get("/metrics").await.text;
    let count: f64 = metrics
        .lines()
        .find(|l| l.starts_with("frontdesk_internal_errors_total"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    assert!(count >= 1.0, "{metrics}");
}

#[tokio::test]
async fn outbound_calls_find_the_tenant_by_the_calling_number() {
    let app = TestApp::spawn().await;
    let answer = app.call_outbound("initialize_call", json!({}), SALON, CALLER).await.json();
    assert_eq!(answer["company_name"], "Salon Schnittpunkt");
    assert_eq!(answer["branch_name"], "Innenstadt");
}
