//! `/v2/webhooks`: webhooks a user registers through the API (Cal.com's `WebhooksController`),
//! validated as its `CreateWebhookInputDto` is.

use super::require_key;
use crate::envelope::{success, ApiError};
use crate::state::Sim;
use crate::subscriptions::Subscription;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// Cal.com's `WebhookTriggerEvents`, as the OpenAPI document lists them.
pub const TRIGGERS: &[&str] = &[
    "BOOKING_CREATED",
    "BOOKING_PAYMENT_INITIATED",
    "BOOKING_PAID",
    "BOOKING_RESCHEDULED",
    "BOOKING_REQUESTED",
    "BOOKING_CANCELLED",
    "BOOKING_REJECTED",
    "BOOKING_NO_SHOW_UPDATED",
    "FORM_SUBMITTED",
    "MEETING_ENDED",
    "MEETING_STARTED",
    "RECORDING_READY",
    "INSTANT_MEETING",
    "RECORDING_TRANSCRIPTION_GENERATED",
    "OOO_CREATED",
    "AFTER_HOSTS_CAL_VIDEO_NO_SHOW",
    "AFTER_GUESTS_CAL_VIDEO_NO_SHOW",
    "FORM_SUBMITTED_NO_EVENT",
];

const PATH: &str = "/v2/webhooks";

/// The `UserWebhookOutputDto` of a webhook; absent template and secret are null, as Cal.com
/// stores and answers them.
fn output(subscription: &Subscription) -> Value {
    json!({
        "id": subscription.id,
        "userId": subscription.user_id,
        "subscriberUrl": subscription.subscriber_url,
        "triggers": subscription.triggers,
        "active": subscription.active,
        "payloadTemplate": subscription.payload_template,
        "secret": subscription.secret
    })
}

/// Which input a body is: a `CreateWebhookInputDto` (active, subscriberUrl and triggers required)
/// or an `UpdateWebhookInputDto` (every field optional).
#[derive(Clone, Copy, PartialEq)]
enum Input {
    Create,
    Update,
}

/// class-validator's messages for a webhook input, all of them, in field order.
fn validate(body: &Value, input: Input) -> Vec<String> {
    let mut errors = Vec::new();
    // an update checks only the fields it names
    let absent = |name: &str| input == Input::Update && body.get(name).is_none();
    let optional_string = |name: &str, errors: &mut Vec<String>| {
        if body.get(name).is_some_and(|v| !v.is_null() && !v.is_string()) {
            errors.push(format!("{name} must be a string"));
        }
    };
    optional_string("payloadTemplate", &mut errors);
    if !absent("active") && !body.get("active").is_some_and(Value::is_boolean) {
        errors.push("active must be a boolean value".into());
    }
    if !absent("subscriberUrl") && !body.get("subscriberUrl").is_some_and(Value::is_string) {
        errors.push("subscriberUrl must be a string".into());
    }
    match body.get("triggers") {
        None if input == Input::Update => {}
        Some(Value::Array(triggers)) => {
            if !triggers.iter().all(|t| t.as_str().is_some_and(|t| TRIGGERS.contains(&t))) {
                errors.push(format!(
                    "each value in triggers must be one of the following values: {}",
                    TRIGGERS.join(", ")
                ));
            }
        }
        _ => errors.push("triggers must be an array".into()),
    }
    optional_string("secret", &mut errors);
    errors
}

/// `POST /v2/webhooks` (CreateWebhookInputDto → UserWebhookOutputResponseDto, 201).
pub async fn create(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let key = require_key(&sim, &headers, PATH)?;
    let Json(body) = body.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), PATH))?;
    let errors = validate(&body, Input::Create);
    if !errors.is_empty() {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, errors.join(", "), PATH));
    }
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
    let subscription = Subscription {
        id: 0,
        user_id: sim.fixture.user_id(&key),
        subscriber_url: text("subscriberUrl").unwrap_or_default(),
        triggers: triggers(&body).unwrap_or_default(),
        active: body["active"].as_bool().unwrap_or_default(),
        secret: text("secret"),
        payload_template: text("payloadTemplate"),
    };
    let stored = sim.subscriptions.add(subscription).ok_or_else(|| {
        ApiError::new(StatusCode::CONFLICT, "Webhook with this subscriber url already exists for this user", PATH)
    })?;
    Ok(success(StatusCode::CREATED, output(&stored)))
}

/// The body's triggers, when it names them.
fn triggers(body: &Value) -> Option<Vec<String>> {
    body.get("triggers")?.as_array().map(|list| list.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

#[derive(Deserialize)]
pub struct PageQuery {
    take: Option<usize>,
    skip: Option<usize>,
}

/// `GET /v2/webhooks` (UserWebhooksOutputResponseDto): the key's user's webhooks.
pub async fn list(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let key = require_key(&sim, &headers, PATH)?;
    let Query(page) = query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), PATH))?;
    let user = sim.fixture.user_id(&key);
    let mine: Vec<Value> = sim
        .subscriptions
        .list()
        .iter()
        .filter(|s| s.user_id == user)
        .skip(page.skip.unwrap_or(0))
        .take(page.take.unwrap_or(250))
        .map(output)
        .collect();
    Ok(success(StatusCode::OK, Value::Array(mine)))
}

/// The key's user's webhook `id`: 404 when there is none, 403 when another user's (as
/// `IsUserWebhookGuard` refuses it).
fn own(sim: &Sim, headers: &HeaderMap, id: &str, path: &str) -> Result<Subscription, ApiError> {
    let key = require_key(sim, headers, path)?;
    let subscription = id
        .parse()
        .ok()
        .and_then(|id| sim.subscriptions.get(id))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("Webhook {id} not found"), path))?;
    if subscription.user_id != sim.fixture.user_id(&key) {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "Forbidden resource", path));
    }
    Ok(subscription)
}

/// `GET /v2/webhooks/{id}`.
pub async fn one(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let subscription = own(&sim, &headers, &id, &format!("{PATH}/{id}"))?;
    Ok(success(StatusCode::OK, output(&subscription)))
}

/// `DELETE /v2/webhooks/{id}`: answers the webhook it removed.
pub async fn remove(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let subscription = own(&sim, &headers, &id, &format!("{PATH}/{id}"))?;
    let removed = sim.subscriptions.remove(subscription.id).unwrap_or(subscription);
    Ok(success(StatusCode::OK, output(&removed)))
}

/// `PATCH /v2/webhooks/{id}` (UpdateWebhookInputDto → UserWebhookOutputResponseDto): the fields
/// named change, the others stay.
pub async fn update(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let path = format!("{PATH}/{id}");
    let subscription = own(&sim, &headers, &id, &path)?;
    let Json(body) = body.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), &path))?;
    let errors = validate(&body, Input::Update);
    if !errors.is_empty() {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, errors.join(", "), &path));
    }
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
    let updated = sim.subscriptions.update(subscription.id, |s| {
        if let Some(url) = text("subscriberUrl") {
            s.subscriber_url = url;
        }
        if let Some(triggers) = triggers(&body) {
            s.triggers = triggers;
        }
        if let Some(active) = body.get("active").and_then(Value::as_bool) {
            s.active = active;
        }
        if body.get("secret").is_some() {
            s.secret = text("secret");
        }
        if body.get("payloadTemplate").is_some() {
            s.payload_template = text("payloadTemplate");
        }
    });
    let updated = updated.ok_or_else(|| ApiError::new(StatusCode::CONFLICT, "Webhook with this subscriber url already exists for this user", &path))?;
    Ok(success(StatusCode::OK, output(&updated)))
}
