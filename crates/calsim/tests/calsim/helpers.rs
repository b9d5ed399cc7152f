use calsim::{Faults, Fixture, Running, Sim, Webhook};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use serde_json::Value;

pub const KEY: &str = "cal_test_key";

/// A calsim without latency.
pub async fn start() -> Running {
    start_with(Fixture::default_fixture(), Faults { latency_ms: (0, 0), ..Faults::default() }, None).await
}

pub async fn start_with(fixture: Fixture, faults: Faults, webhook: Option<Webhook>) -> Running {
    calsim::serve(Sim::new(fixture, faults, webhook), "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

/// The key of the salon in [`salon`].
pub const SALON_KEY: &str = "cal_live_salon";

/// A calsim without latency where [`SALON_KEY`] owns three event types (ids 1–3) and
/// `cal_live_other` one ("Massage", id 4).
pub async fn salon() -> Running {
    let fixture = Fixture::empty()
        .with_event_types(SALON_KEY, &["Herrenhaarschnitt", "Damenhaarschnitt", "Färben"])
        .with_event_types("cal_live_other", &["Massage"]);
    start_with(fixture, Faults { latency_ms: (0, 0), ..Faults::default() }, None).await
}

/// A client that sends the version header of each endpoint family and the test key.
pub struct Client {
    pub base: String,
    http: reqwest::Client,
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Client {
    pub fn new(running: &Running) -> Self {
        Self::at(&running.base_url)
    }

    /// A client of any simulator at `base` (the Retell simulator's too).
    pub fn at(base: &str) -> Self {
        Self { base: base.to_string(), http: reqwest::Client::new() }
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        version: Option<&str>,
        key: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(version) = version {
            request = request.header("cal-api-version", version);
        }
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Answer { status, headers, body }
    }

    pub async fn slots(&self, query: &str) -> Answer {
        self.send(reqwest::Method::GET, &format!("/v2/slots?{query}"), Some("2024-09-04"), Some(KEY), None).await
    }

    pub async fn book(&self, event_type_id: i64, start: DateTime<Utc>) -> Answer {
        self.book_as(KEY, event_type_id, start).await
    }

    pub async fn book_as(&self, key: &str, event_type_id: i64, start: DateTime<Utc>) -> Answer {
        let body = serde_json::json!({
            "start": start.to_rfc3339(),
            "eventTypeId": event_type_id,
            "attendee": {"name": "Anna Schmidt", "timeZone": "Europe/Berlin", "phoneNumber": "+4917612345678", "language": "de"},
            "metadata": {"frontdesk_appointment_id": "42", "call_id": "call_1"}
        });
        self.send(reqwest::Method::POST, "/v2/bookings", Some("2024-08-13"), Some(key), Some(body)).await
    }
}

/// The next `weekday` at least two days ahead, at `hour`:`minute` Berlin time.
pub fn next_weekday_at(weekday: Weekday, hour: u32, minute: u32) -> DateTime<Utc> {
    let mut date: NaiveDate = Utc::now().date_naive() + Duration::days(2);
    while date.weekday() != weekday {
        date += Duration::days(1);
    }
    chrono_tz::Europe::Berlin
        .from_local_datetime(&date.and_hms_opt(hour, minute, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// All slot starts of a `/v2/slots` answer, in order.
pub fn starts(answer: &Answer) -> Vec<String> {
    answer.body["data"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|day| day.as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap().to_string()))
        .collect()
}
