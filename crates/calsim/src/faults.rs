//! Middleware on every /v2 request: latency (with an optional tail), outage, random 500s, the
//! per-key rate limit with Cal.com's headers, and the request statistics.

use crate::envelope::ApiError;
use crate::state::{RateDecision, Sim};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;

fn latency(sim: &Sim) -> Duration {
    let mut rng = rand::thread_rng();
    let (min, max) = match sim.faults.tail_ms {
        Some((range, rate)) if rng.gen_bool(rate.clamp(0.0, 1.0)) => range,
        _ => sim.latency(),
    };
    Duration::from_millis(if max > min { rng.gen_range(min..=max) } else { min })
}

/// The bearer key of a request, if any.
pub fn bearer(request_headers: &axum::http::HeaderMap) -> Option<String> {
    request_headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|k| k.trim().to_string())
}

/// Applies faults and counts the request under "METHOD /matched/path" and its status.
pub async fn simulate(State(sim): State<Arc<Sim>>, request: Request, next: Next) -> Response {
    let route = format!(
        "{} {}",
        request.method(),
        request
            .extensions()
            .get::<MatchedPath>()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| request.uri().path().to_string())
    );
    let path = request.uri().path().to_string();
    let key = bearer(request.headers());
    let delay = latency(&sim);
    sim.count_key(key.as_deref().unwrap_or("anonymous"));
    // The work happens first and the answer is late, as with a slow Cal.com: a client that gives
    // up waiting may still have booked.
    let response = if sim.outage() {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable", &path).into_response()
    } else if sim.faults.fail_rate > 0.0 && rand::thread_rng().gen_bool(sim.faults.fail_rate.clamp(0.0, 1.0)) {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error", &path).into_response()
    } else {
        match sim.faults.rate_limit {
            None => next.run(request).await,
            Some(limit) => match sim.rate_check(key.as_deref().unwrap_or("anonymous"), limit) {
                RateDecision::Limited(reset) => {
                    let mut response =
                        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "ThrottlerException: Too Many Requests", &path)
                            .into_response();
                    let headers = response.headers_mut();
                    headers.insert("retry-after", HeaderValue::from(reset));
                    headers.insert("x-ratelimit-limit-default", HeaderValue::from(limit));
                    headers.insert("x-ratelimit-remaining-default", HeaderValue::from(0));
                    headers.insert("x-ratelimit-reset-default", HeaderValue::from(reset));
                    response
                }
                RateDecision::Allowed(remaining, reset) => {
                    let mut response = next.run(request).await;
                    let headers = response.headers_mut();
                    headers.insert("x-ratelimit-limit-default", HeaderValue::from(limit));
                    headers.insert("x-ratelimit-remaining-default", HeaderValue::from(remaining));
                    headers.insert("x-ratelimit-reset-default", HeaderValue::from(reset));
                    response
                }
            },
        }
    };
    sim.count(&route, response.status().as_u16());
    tokio::time::sleep(delay).await;
    response
}
