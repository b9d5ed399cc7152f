//! `GET /feeds/{token}.ics`: a branch's or staff member's next 60 days as RFC 5545, with an ETag
//! so that phones polling every few minutes mostly get a 304.

use super::ApiError;
use crate::app::AppState;
use crate::feeds::{ics, FEED_DAYS};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use sha2::{Digest, Sha256};

/// Serves one feed; an unknown or rotated token answers 404.
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(token) = file.strip_suffix(".ics").filter(|t| t.len() == 48 && t.bytes().all(|b| b.is_ascii_hexdigit()))
    else {
        return ApiError::NotFound.into_response();
    };
    let store = &state.backends().store;
    let scope = match store.feed_scope(token).await {
        Ok(Some(scope)) => scope,
        Ok(None) => return ApiError::NotFound.into_response(),
        Err(error) => {
            tracing::error!(%error, "feed lookup failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "the database did not answer").into_response();
        }
    };
    let directory = state.directory();
    let Some(ctx) = directory.branch(scope.branch_id) else {
        return ApiError::NotFound.into_response();
    };
    // From the start of today in the branch's zone: today's earlier appointments stay visible.
    let zone = ctx.company.timezone;
    let now = state.now();
    let today = crate::domain::start_of(now.with_timezone(&zone).date_naive(), zone);
    let appointments = match store.feed_appointments(scope, today, now + Duration::days(FEED_DAYS)).await {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(%error, "feed query failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "the database did not answer").into_response();
        }
    };
    let staff = scope.staff_id.and_then(|id| ctx.branch.staff.iter().find(|s| s.id.0 == id)).map(|s| s.name.as_str());
    let name = match staff {
        Some(staff) => format!("{} – {} ({staff})", ctx.company.name, ctx.branch.name),
        None => format!("{} – {}", ctx.company.name, ctx.branch.name),
    };
    let body = ics::feed(&name, &appointments);
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(body.as_bytes())[..16]));
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    let common = [(header::ETAG, etag.clone()), (header::CACHE_CONTROL, "private, max-age=300".to_string())];
    if unchanged {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (common, [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response()
}
