use crate::helpers::{next_weekday_at, start, starts, Client, KEY};
use chrono::{Duration, Weekday};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_booking_takes_its_slot_and_a_second_one_is_refused() {
    let sim = start().await;
    let client = Client::new(&sim);
    let at = next_weekday_at(Weekday::Wed, 11, 0);
    let created = client.book(1001, at).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let data = &created.body["data"];
    assert_eq!(data["status"], "accepted");
    assert_eq!(data["duration"], 30);
    assert_eq!(data["eventTypeId"], 1001);
    assert_eq!(data["metadata"]["frontdesk_appointment_id"], "42");
    assert_eq!(data["attendees"][0]["phoneNumber"], "+4917612345678");
    let taken = client.book(1001, at + Duration::minutes(15)).await;
    assert_eq!(taken.status, 400);
    assert_eq!(taken.body["error"]["code"], "BadRequestException");
    assert_eq!(taken.body["error"]["message"], "User either already has booking at this time or is not available");
    // Another event type has its own host.
    assert_eq!(client.book(1002, at).await.status, 201);
    // Outside the schedule.
    assert_eq!(client.book(1001, next_weekday_at(Weekday::Wed, 20, 0)).await.status, 400);
    let uid = data["uid"].as_str().unwrap();
    let fetched = client.send(Method::GET, &format!("/v2/bookings/{uid}"), Some("2024-08-13"), None, None).await;
    assert_eq!(fetched.body["data"]["start"], data["start"]);
    let missing = client.send(Method::GET, "/v2/bookings/nope", Some("2024-08-13"), None, None).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn cancel_frees_the_slot_and_reschedule_moves_it() {
    let sim = start().await;
    let client = Client::new(&sim);
    let at = next_weekday_at(Weekday::Thu, 9, 0);
    let day = at.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    let query = format!("eventTypeId=1001&start={day}&end={day}&timeZone=Europe/Berlin");
    let free = starts(&client.slots(&query).await).len();
    let uid = client.book(1001, at).await.body["data"]["uid"].as_str().unwrap().to_string();
    assert_eq!(starts(&client.slots(&query).await).len(), free - 2);

    let moved = client
        .send(
            Method::POST,
            &format!("/v2/bookings/{uid}/reschedule"),
            Some("2024-08-13"),
            None,
            Some(json!({"start": (at + Duration::minutes(15)).to_rfc3339(), "reschedulingReason": "later"})),
        )
        .await;
    assert_eq!(moved.status, 201, "{:?}", moved.body);
    let new_uid = moved.body["data"]["uid"].as_str().unwrap().to_string();
    assert_ne!(new_uid, uid);
    assert_eq!(moved.body["data"]["rescheduledFromUid"], uid.as_str());
    let old = client.send(Method::GET, &format!("/v2/bookings/{uid}"), Some("2024-08-13"), None, None).await;
    assert_eq!(old.body["data"]["status"], "cancelled");

    let cancelled = client
        .send(
            Method::POST,
            &format!("/v2/bookings/{new_uid}/cancel"),
            Some("2024-08-13"),
            None,
            Some(json!({"cancellationReason": "ill"})),
        )
        .await;
    assert_eq!(cancelled.status, 200);
    assert_eq!(cancelled.body["data"]["status"], "cancelled");
    assert_eq!(cancelled.body["data"]["cancellationReason"], "ill");
    assert_eq!(starts(&client.slots(&query).await).len(), free);
    let twice = client
        .send(Method::POST, &format!("/v2/bookings/{new_uid}/cancel"), Some("2024-08-13"), None, Some(json!({})))
        .await;
    assert_eq!(twice.status, 400);
}

#[tokio::test]
async fn listing_needs_a_key_and_filters() {
    let sim = start().await;
    let client = Client::new(&sim);
    let at = next_weekday_at(Weekday::Fri, 10, 0);
    client.book(1001, at).await;
    client.book(1001, at + Duration::hours(2)).await;
    client.book(1003, at).await;
    let no_key = client.send(Method::GET, "/v2/bookings", Some("2024-08-13"), None, None).await;
    assert_eq!(no_key.status, 401);
    let count = |query: String| {
        let client = &client;
        async move {
            let path = format!("/v2/bookings?{query}");
            client.send(Method::GET, &path, Some("2024-08-13"), Some(KEY), None).await.body["data"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count("eventTypeId=1001".into()).await, 2);
    let window = format!(
        "afterStart={}&beforeEnd={}",
        (at + Duration::hours(1)).to_rfc3339().replace('+', "%2B"),
        (at + Duration::hours(3)).to_rfc3339().replace('+', "%2B")
    );
    assert_eq!(count(window).await, 1);
    assert_eq!(count("attendeeName=anna&status=upcoming&take=2&skip=1".into()).await, 2);
    assert_eq!(count("status=cancelled".into()).await, 0);
}

#[tokio::test]
async fn event_types_need_a_key_and_the_right_version() {
    let sim = start().await;
    let client = Client::new(&sim);
    let ok = client.send(Method::GET, "/v2/event-types/1001", Some("2024-06-14"), Some(KEY), None).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["data"]["lengthInMinutes"], 30);
    assert_eq!(client.send(Method::GET, "/v2/event-types/1001", Some("2024-06-14"), None, None).await.status, 401);
    assert_eq!(client.send(Method::GET, "/v2/event-types/1001", Some("2024-08-13"), Some(KEY), None).await.status, 400);
    assert_eq!(client.send(Method::GET, "/v2/event-types/5", Some("2024-06-14"), Some(KEY), None).await.status, 404);
}
