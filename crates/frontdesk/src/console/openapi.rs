//! `GET /admin/api/openapi.json`: the admin API's OpenAPI 3.1 document, generated from the
//! handlers' annotations and the types they read and answer (never written by hand, so it cannot
//! drift from the code; schemathesis checks every answer against it in CI).

use super::tenants_api as tenants;
use super::{api, appointments, customers, staff_api as staff};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document's description of the admin API.
#[derive(OpenApi)]
#[openapi(
    info(title = "frontdesk admin API", description = "The console's JSON API (DESIGN §11, §13, §14, §16): tenants through the API (companies, branches, logins, Cal.com connect, Retell provisioning), the day (appointments, callbacks, failed notices), staff schedules and absences, customers. Send `Authorization: Bearer <FRONTDESK_ADMIN_TOKEN>` (or a console session with its `x-csrf-token` on writes)."),
    paths(
        tenants::list_companies, tenants::create_company, tenants::get_company, tenants::patch_company, tenants::delete_company,
        tenants::create_branch, tenants::get_branch, tenants::patch_branch, tenants::delete_branch,
        tenants::create_user, tenants::list_users, tenants::change_user, tenants::delete_user, tenants::connect_calcom, tenants::provision_retell,
        api::reload_tenants, api::callbacks, api::callback_done, api::appointments, api::failed_notifications, api::retry_notifications,
        appointments::detail_api, appointments::restore_api, appointments::no_show_api,
        staff::list, staff::absences, staff::add_absence, staff::remove_absence, staff::set_working_hours,
        customers::search_api, customers::profile_api, customers::add_note_api, customers::export_api, customers::erase_api, customers::merge_api,
    ),
    modifiers(&BearerToken),
    security(("admin_token" = [])),
    tags(
        (name = "tenants", description = "Companies, branches and logins"),
        (name = "day", description = "Appointments, callbacks and notices"),
        (name = "staff", description = "Working hours, breaks and absences"),
        (name = "customers", description = "Customers, their notes and their data"),
    )
)]
pub struct AdminApi;

/// Declares the bearer token every path needs.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("admin_token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// The document as served (built once).
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| AdminApi::openapi().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")));

/// `GET /admin/api/openapi.json`.
pub async fn document() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route of the API router as written in `console/mod.rs`: (path, methods).
    fn routes_in_the_router() -> Vec<(String, Vec<&'static str>)> {
        let source = include_str!("mod.rs");
        let block = &source[source.find("let api = Router::new()").unwrap()..source.find(".fallback(api::not_found)").unwrap()];
        block
            .lines()
            .filter_map(|line| line.trim().strip_prefix(".route(\""))
            .map(|rest| {
                let (path, handlers) = rest.split_once('"').unwrap();
                let methods = ["get", "post", "put", "patch", "delete"]
                    .into_iter()
                    .filter(|m| handlers.contains(&format!("{m}(")))
                    .collect();
                (format!("/admin/api{path}"), methods)
            })
            .collect()
    }

    /// Rows of the store answered as they are: the names the API has always used (`note`, not
    /// `done_note`; `error`, not `last_error`) are the document's too.
    #[test]
    fn store_rows_answered_as_they_are_keep_the_api_s_names() {
        use crate::store::{CallbackStatus, ConsoleCallback, FailedNotice, NoticeChannel, NoticeEvent, Priority};
        let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        let callback = ConsoleCallback {
            id: 1,
            company: "Salon".into(),
            branch: None,
            name: None,
            phone: "+4930123456".into(),
            reason: None,
            preferred_time: None,
            priority: Priority::High,
            status: CallbackStatus::Open,
            created_at: at,
            done_at: None,
            done_note: Some("erledigt".into()),
        };
        let notice = FailedNotice {
            id: 2,
            event: NoticeEvent::BookingMade,
            channel: NoticeChannel::Email,
            recipient: "a@b.example".into(),
            attempts: 3,
            last_error: "refused".into(),
            created_at: at,
        };
        let (callback, notice) = (serde_json::to_value(callback).unwrap(), serde_json::to_value(notice).unwrap());
        assert_eq!((callback["note"].as_str(), callback["priority"].as_str(), callback["status"].as_str()), (Some("erledigt"), Some("high"), Some("open")));
        assert_eq!((notice["error"].as_str(), notice["event"].as_str(), notice["channel"].as_str()), (Some("refused"), Some("booking.made"), Some("email")));
        let document = serde_json::to_value(AdminApi::openapi()).unwrap();
        let keys = |object: &serde_json::Value| {
            let mut keys: Vec<String> = object.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        let documented = |schema: &str| keys(&document["components"]["schemas"][schema]["properties"]);
        assert_eq!(keys(&callback), documented("ConsoleCallback"));
        assert_eq!(keys(&notice), documented("FailedNotice"));
    }

    #[test]
    fn every_route_of_the_admin_api_is_in_the_document() {
        let document = serde_json::to_value(AdminApi::openapi()).unwrap();
        let routes = routes_in_the_router();
        assert!(routes.len() > 25, "the router was read: {routes:?}");
        for (path, methods) in routes.iter().filter(|(path, _)| path != "/admin/api/openapi.json") {
            assert!(!methods.is_empty(), "{path}: methods read");
            for method in methods {
                let operation = &document["paths"][path][method];
                assert!(operation.is_object(), "{method} {path} is not documented");
                assert!(operation["responses"]["401"].is_object(), "{method} {path} documents its refusals");
            }
        }
    }
}
