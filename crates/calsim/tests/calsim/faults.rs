use crate::helpers::{start_with, Client};
use calsim::{Faults, Fixture};
use reqwest::Method;
use serde_json::json;

fn query() -> String {
    "eventTypeId=1001&start=2030-01-07&end=2030-01-08&timeZone=Europe/Berlin".to_string()
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_cal_com_headers() {
    let sim = start_with(
        Fixture::default_fixture(),
        Faults { latency_ms: (0, 0), rate_limit: Some(3), ..Faults::default() },
        None,
    )
    .await;
    let client = Client::new(&sim);
    for remaining in [2, 1, 0] {
        let answer = client.slots(&query()).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.headers["x-ratelimit-remaining-default"], remaining.to_string().as_str());
        assert_eq!(answer.headers["x-ratelimit-limit-default"], "3");
    }
    let limited = client.slots(&query()).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.body["error"]["code"], "ThrottlerException");
    let retry: u64 = limited.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    // Another key has its own budget.
    let other =
        client.send(Method::GET, &format!("/v2/slots?{}", query()), Some("2024-09-04"), Some("cal_other"), None).await;
    assert_eq!(other.status, 200);
    let stats = client.send(Method::GET, "/_calsim/stats", None, None, None).await.body;
    assert_eq!(stats["requests"]["GET /v2/slots"], 5);
    assert_eq!(stats["by_status"]["429"], 1);
    assert_eq!(stats["by_status"]["200"], 4);
    // Per key: every request counts, refused ones too; keys are shown by their last four characters.
    assert_eq!(stats["by_key"]["…ther"]["total"], 1);
    let busiest = stats["by_key"].as_object().unwrap().values().map(|k| k["max_per_minute"].as_u64().unwrap()).max();
    assert_eq!(busiest, Some(4));
}

#[tokio::test]
async fn failures_outages_latency_and_reset() {
    let failing = start_with(
        Fixture::default_fixture(),
        Faults { latency_ms: (0, 0), fail_rate: 1.0, ..Faults::default() },
        None,
    )
    .await;
    let answer = Client::new(&failing).slots(&query()).await;
    assert_eq!(answer.status, 500);
    assert_eq!(answer.body["error"]["code"], "InternalServerErrorException");

    let slow =
        start_with(Fixture::default_fixture(), Faults { latency_ms: (120, 150), ..Faults::default() }, None).await;
    let client = Client::new(&slow);
    let started = std::time::Instant::now();
    assert_eq!(client.slots(&query()).await.status, 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(120));

    let outage = client.send(Method::POST, "/_calsim/outage", None, None, Some(json!({"enabled": true}))).await;
    assert_eq!(outage.status, 200);
    let started = std::time::Instant::now();
    let down = client.slots(&query()).await;
    assert_eq!(down.status, 503);
    assert!(started.elapsed() >= std::time::Duration::from_millis(120), "an outage still takes its latency");
    client.send(Method::POST, "/_calsim/outage", None, None, Some(json!({"enabled": false}))).await;
    assert_eq!(client.slots(&query()).await.status, 200);
    client.send(Method::POST, "/_calsim/reset", None, None, None).await;
    let stats = client.send(Method::GET, "/_calsim/stats", None, None, None).await.body;
    assert_eq!(stats["requests"], json!({}));
}
