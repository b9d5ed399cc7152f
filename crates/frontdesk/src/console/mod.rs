//! The operator console (DESIGN §11): sign-in, server-rendered pages and a JSON API under
//! `/admin/`, every read and write bound to the signed-in operator's company.

pub mod actions;
pub mod api;
pub mod error;
pub mod pages;
pub mod session;

use crate::app::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

/// The stylesheet, compiled into the binary.
const CSS: &str = include_str!("assets/console.css");
/// The one script (copy buttons), compiled into the binary.
const JS: &str = include_str!("assets/console.js");

/// Every `/admin/…` route.
pub fn routes() -> Router<AppState> {
    let api = Router::new()
        .route("/callbacks", get(api::callbacks))
        .route("/callbacks/{id}/done", post(api::callback_done))
        .route("/appointments", get(api::appointments))
        .route("/tenants/reload", post(api::reload_tenants))
        .route("/notifications/failed", get(api::failed_notifications))
        .route("/notifications/retry", post(api::retry_notifications))
        .fallback(api::not_found);
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login::show).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/language", post(pages::set_language))
        .route("/company", post(pages::set_company))
        .route("/today", get(pages::day::today))
        .route("/week", get(pages::day::week))
        .route("/appointments", post(pages::day::create))
        .route("/appointments/{id}/move", post(pages::day::reschedule))
        .route("/appointments/{id}/cancel", post(pages::day::cancel))
        .route("/callbacks", get(pages::callbacks::list))
        .route("/callbacks/{id}/done", post(pages::callbacks::done))
        .route("/notifications/retry", post(pages::callbacks::retry_notices))
        .route("/calls", get(pages::calls::list))
        .route("/settings", get(pages::settings::show))
        .route("/settings/{branch}/{section}", post(pages::settings::save))
        .route("/retell", get(pages::retell::show))
        .route("/ops", get(pages::ops::show))
        .route("/assets/console.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS).into_response() }))
        .route("/assets/console.js", get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], JS).into_response() }))
        .nest("/api", api)
        .fallback(page_not_found)
}

/// An unknown console page: HTML for people (the API answers JSON 404s itself).
async fn page_not_found(headers: axum::http::HeaderMap) -> axum::response::Response {
    pages::not_found(pages::login::language_of(&headers))
}
