use crate::helpers::{next_weekday_at, start, start_with, starts, Client};
use calsim::{Faults, Fixture};
use chrono::{Datelike, Duration, NaiveDate, Weekday};

#[tokio::test]
async fn a_weekday_has_the_default_grid_in_the_requested_zone() {
    let sim = start().await;
    let client = Client::new(&sim);
    let monday = next_weekday_at(Weekday::Mon, 0, 0);
    let date = monday.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    let answer = client.slots(&format!("eventTypeId=1001&start={date}&end={date}&timeZone=Europe/Berlin")).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert_eq!(answer.body["status"], "success");
    let starts = starts(&answer);
    // 09:00 … 17:30 every 15 minutes for a 30-minute event: 35 starts.
    assert_eq!(starts.len(), 35);
    assert!(
        starts[0].starts_with(&format!("{date}T09:00:00.000+01:00"))
            || starts[0].starts_with(&format!("{date}T09:00:00.000+02:00")),
        "{}",
        starts[0]
    );
    let range =
        client.slots(&format!("eventTypeId=1001&start={date}&end={date}&timeZone=Europe/Berlin&format=range")).await;
    let first = &range.body["data"][date.to_string()][0];
    assert!(first["end"].as_str().unwrap().contains("T09:30:00.000"), "{first}");
    // The same slots asked for in UTC are keyed and offset in UTC.
    let zulu = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let utc = client
        .slots(&format!("eventTypeId=1001&start={}&end={}", zulu(monday), zulu(monday + Duration::days(1))))
        .await;
    let first = crate::helpers::starts(&utc)[0].clone();
    assert!(
        first.ends_with("+00:00") && (first.contains("T08:00:00.000") || first.contains("T07:00:00.000")),
        "{first}"
    );
}

#[tokio::test]
async fn sundays_are_closed_and_saturdays_short() {
    let sim = start().await;
    let client = Client::new(&sim);
    let saturday = next_weekday_at(Weekday::Sat, 0, 0).with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    let sunday = saturday + Duration::days(1);
    let answer = client.slots(&format!("eventTypeId=2001&start={saturday}&end={sunday}&timeZone=Europe/Berlin")).await;
    let data = answer.body["data"].as_object().unwrap();
    assert_eq!(data[&saturday.to_string()].as_array().unwrap().len(), 15); // 10:00 … 13:30
    assert!(!data.contains_key(&sunday.to_string()));
}

fn dst_fixture() -> Fixture {
    Fixture::parse(
        r#"{"event_types": [{"id": 7, "slug": "night", "length_minutes": 15, "slot_interval_minutes": 15,
            "time_zone": "Europe/Berlin", "minimum_notice_minutes": 0, "schedule": {"sun": ["00:00-06:00"]}}],
            "api_keys": ["cal_test_key"]}"#,
    )
    .unwrap()
}

/// The last Sunday of a month in a year that is still ahead.
fn last_sunday(month: u32) -> NaiveDate {
    let year = chrono::Utc::now().year() + 1;
    let mut day = NaiveDate::from_ymd_opt(year, month + 1, 1).unwrap() - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    day
}

#[tokio::test]
async fn dst_days_have_their_real_length() {
    let sim = start_with(dst_fixture(), Faults { latency_ms: (0, 0), ..Faults::default() }, None).await;
    let client = Client::new(&sim);
    for (month, expected, skipped_or_twice) in [(3, 20, "02:"), (10, 28, "02:30")] {
        let sunday = last_sunday(month);
        let answer = client.slots(&format!("eventTypeId=7&start={sunday}&end={sunday}&timeZone=Europe/Berlin")).await;
        let starts = starts(&answer);
        assert_eq!(starts.len(), expected, "{sunday}: {starts:?}");
        let matching = starts.iter().filter(|s| s[11..].starts_with(skipped_or_twice)).count();
        if month == 3 {
            assert_eq!(matching, 0, "02:xx does not exist on {sunday}");
        } else {
            assert_eq!(matching, 2, "02:30 happens twice on {sunday}: {starts:?}");
        }
    }
}

#[tokio::test]
async fn bad_queries_get_cal_com_errors() {
    let sim = start().await;
    let client = Client::new(&sim);
    let missing = client.slots("eventTypeId=1001").await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.body["status"], "error");
    assert_eq!(missing.body["error"]["code"], "BadRequestException");
    assert_eq!(missing.body["path"], "/v2/slots");
    let unknown = client.slots("eventTypeId=99&start=2030-01-01&end=2030-01-02").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["error"]["code"], "NotFoundException");
    let no_version = client
        .send(reqwest::Method::GET, "/v2/slots?eventTypeId=1001&start=2030-01-01&end=2030-01-02", None, None, None)
        .await;
    assert_eq!(no_version.status, 400);
    let wrong_version = client
        .send(
            reqwest::Method::GET,
            "/v2/slots?eventTypeId=1001&start=2030-01-01&end=2030-01-02",
            Some("2024-08-13"),
            None,
            None,
        )
        .await;
    assert_eq!(wrong_version.status, 400);
    let bad_key = client
        .send(
            reqwest::Method::GET,
            "/v2/slots?eventTypeId=1001&start=2030-01-01&end=2030-01-02",
            Some("2024-09-04"),
            Some("sk_wrong"),
            None,
        )
        .await;
    assert_eq!(bad_key.status, 401);
    assert_eq!(bad_key.body["error"]["code"], "UnauthorizedException");
}

#[tokio::test]
async fn reservations_hide_a_slot_until_released() {
    let sim = start().await;
    let client = Client::new(&sim);
    let at = next_weekday_at(Weekday::Tue, 10, 0);
    let day = at.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    let query = format!("eventTypeId=1001&start={day}&end={day}&timeZone=Europe/Berlin");
    let before = starts(&client.slots(&query).await).len();
    let body = serde_json::json!({"eventTypeId": 1001, "slotStart": at.to_rfc3339(), "reservationDuration": 5});
    let reserved = client
        .send(
            reqwest::Method::POST,
            "/v2/slots/reservations",
            Some("2024-09-04"),
            Some(crate::helpers::KEY),
            Some(body.clone()),
        )
        .await;
    assert_eq!(reserved.status, 201, "{:?}", reserved.body);
    let uid = reserved.body["data"]["reservationUid"].as_str().unwrap().to_string();
    // 09:45, 10:00 and 10:15 overlap the held 10:00-10:30.
    assert_eq!(starts(&client.slots(&query).await).len(), before - 3);
    let again = client
        .send(
            reqwest::Method::POST,
            "/v2/slots/reservations",
            Some("2024-09-04"),
            Some(crate::helpers::KEY),
            Some(body),
        )
        .await;
    assert_eq!(again.status, 422);
    let released = client
        .send(reqwest::Method::DELETE, &format!("/v2/slots/reservations/{uid}"), Some("2024-09-04"), None, None)
        .await;
    assert_eq!(released.status, 200);
    assert_eq!(starts(&client.slots(&query).await).len(), before);
}

#[tokio::test]
async fn an_injected_clock_decides_what_is_past_for_slots_bookings_and_webhooks() {
    use chrono::{TimeZone, Utc};
    // Monday 30 November 2026, noon in Berlin: in the real clock's past from December 2026 on.
    let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap().with_timezone(&Utc);
    let fixed: calsim::Clock = std::sync::Arc::new(move || now);
    let sim = calsim::serve(
        calsim::Sim::new(Fixture::default_fixture(), Faults { latency_ms: (0, 0), ..Faults::default() }, None)
            .with_clock(fixed),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(sim.sim.now(), now);
    let client = Client::new(&sim);
    let tuesday = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let answer = client.slots(&format!("eventTypeId=1001&start={tuesday}&end={tuesday}&timeZone=Europe/Berlin")).await;
    assert_eq!(starts(&answer).len(), 35, "the day after the injected now is whole: {:?}", answer.body);
    let monday = tuesday - Duration::days(1);
    let today = starts(&client.slots(&format!("eventTypeId=1001&start={monday}&end={monday}&timeZone=Europe/Berlin")).await);
    assert_eq!(today.first().map(String::as_str), Some("2026-11-30T12:00:00.000+01:00"), "{today:?}");
    let at = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap().with_timezone(&Utc);
    let booked = client.book(1001, at).await;
    assert_eq!(booked.status, 201, "{:?}", booked.body);
    assert_eq!(booked.body["data"]["createdAt"], "2026-11-30T11:00:00.000Z");
    // Monday 10:00 lies within the hours but before the injected now: refused as Cal.com does.
    let before = client.book(1001, now - Duration::hours(2)).await;
    assert_eq!(before.status, 400, "{:?}", before.body);
}

#[test]
fn a_clock_started_at_an_instant_runs_on_from_it() {
    let start = chrono::DateTime::parse_from_rfc3339("2030-01-07T08:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let clock = calsim::running_from(start);
    let first = clock();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = clock();
    assert!(first >= start && first - start < Duration::seconds(5), "{first}");
    assert!(second > first && second - first >= Duration::milliseconds(20), "{first} {second}");
}
