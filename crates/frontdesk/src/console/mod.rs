//! The operator console (DESIGN §11): sign-in, server-rendered pages and a JSON API under
//! `/admin/`, every read and write bound to the signed-in operator's company.

pub mod actions;
pub mod api;
pub mod appointments;
pub mod customers;
pub mod error;
pub mod openapi;
pub mod pages;
pub mod schedules;
pub mod session;
pub mod staff_api;
pub mod tenants_api;

use crate::app::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put};
use tenants_api as tenants;
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
        .route("/appointments/{id}", get(appointments::detail_api))
        .route("/appointments/{id}/restore", post(appointments::restore_api))
        .route("/appointments/{id}/no_show", post(appointments::no_show_api))
        .route("/tenants/reload", post(api::reload_tenants))
        .route("/openapi.json", get(openapi::document))
        .route("/companies", get(tenants::list_companies).post(tenants::create_company))
        .route("/companies/{id}", get(tenants::get_company).patch(tenants::patch_company).delete(tenants::delete_company))
        .route("/companies/{id}/branches", post(tenants::create_branch))
        .route("/companies/{id}/users", get(tenants::list_users).post(tenants::create_user))
        .route("/companies/{id}/users/{user}", axum::routing::patch(tenants::change_user).delete(tenants::delete_user))
        .route("/companies/{id}/calcom/connect", post(tenants::connect_calcom))
        .route("/branches/{id}", get(tenants::get_branch).patch(tenants::patch_branch).delete(tenants::delete_branch))
        .route("/branches/{id}/retell/provision", post(tenants::provision_retell))
        .route("/notifications/failed", get(api::failed_notifications))
        .route("/notifications/retry", post(api::retry_notifications))
        .route("/staff", get(staff_api::list))
        .route("/staff/{id}/absences", get(staff_api::absences).post(staff_api::add_absence))
        .route("/staff/{id}/working_hours", put(staff_api::set_working_hours))
        .route("/absences/{id}", delete(staff_api::remove_absence))
        .route("/customers", get(customers::search_api))
        .route("/customers/{id}", get(customers::profile_api))
        .route("/customers/{id}/notes", post(customers::add_note_api))
        .route("/customers/{id}/export", get(customers::export_api))
        .route("/customers/{id}/erase", post(customers::erase_api))
        .route("/customers/{id}/merge", post(customers::merge_api))
        .fallback(api::not_found);
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login::show).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/welcome/{token}", get(pages::welcome::show).post(pages::welcome::submit))
        .route("/language", post(pages::set_language))
        .route("/company", post(pages::set_company))
        .route("/today", get(pages::day::today))
        .route("/today/print", get(pages::day::print))
        .route("/week", get(pages::day::week))
        .route("/appointments", post(pages::day::create))
        .route("/appointments/{id}", get(pages::appointment::show))
        .route("/appointments/{id}/move", post(pages::day::reschedule))
        .route("/appointments/{id}/restore", post(pages::appointment::restore))
        .route("/appointments/{id}/no_show", post(pages::appointment::no_show))
        .route("/appointments/{id}/cancel", post(pages::day::cancel))
        .route("/callbacks", get(pages::callbacks::list).post(pages::callbacks::create))
        .route("/callbacks/{id}/done", post(pages::callbacks::done))
        .route("/notifications/retry", post(pages::callbacks::retry_notices))
        .route("/calls", get(pages::calls::list))
        .route("/customers", get(pages::customers::list))
        .route("/customers/{id}", get(pages::customers::show))
        .route("/customers/{id}/notes", post(pages::customers::add_note))
        .route("/customers/{id}/merge", post(pages::customers::merge))
        .route("/customers/{id}/erase", post(pages::customers::erase))
        .route("/waitlist", get(pages::waitlist::list))
        .route("/waitlist/{id}/remove", post(pages::waitlist::remove))
        .route("/staff", get(pages::staff::show))
        .route("/staff/absences", post(pages::staff::enter_absence))
        .route("/staff/{id}/hours", post(pages::staff::save_hours))
        .route("/absences/{id}/remove", post(pages::staff::remove_absence))
        .route("/settings", get(pages::settings::show))
        .route("/settings/{branch}/{section}", post(pages::settings::save))
        .route("/retell", get(pages::retell::show))
        .route("/retell/{branch}/provision", post(pages::retell::provision))
        .route("/ops", get(pages::ops::show))
        .route("/businesses", get(pages::businesses::show).post(pages::businesses::create))
        .route("/assets/console.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS).into_response() }))
        .route("/assets/console.js", get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], JS).into_response() }))
        .nest("/api", api)
        .fallback(page_not_found)
        .layer(axum::middleware::map_response(not_stored))
}

/// Console answers are kept by no browser or proxy: after "Abmelden", Back must show the login,
/// not the last page with a number revealed on it. The assets say otherwise themselves.
async fn not_stored(mut response: axum::response::Response) -> axum::response::Response {
    let no_store = header::HeaderValue::from_static("no-store");
    response.headers_mut().entry(header::CACHE_CONTROL).or_insert(no_store);
    response
}

/// An unknown console page: HTML for people (the API answers JSON 404s itself).
async fn page_not_found(headers: axum::http::HeaderMap) -> axum::response::Response {
    pages::not_found(pages::login::language_of(&headers))
}
