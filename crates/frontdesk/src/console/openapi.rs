//! `GET /admin/api/openapi.json`: the admin API's OpenAPI 3.1 document, generated from the
//! handlers' annotations and the types they read and answer (never written by hand, so it cannot
//! drift from the code; schemathesis checks every answer against it in CI).

use super::tenants_api as api;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document's description of the admin API.
#[derive(OpenApi)]
#[openapi(
    info(title = "frontdesk admin API", description = "Tenants through the API (DESIGN §16): companies, branches, logins, Cal.com connect, Retell provisioning. Send `Authorization: Bearer <FRONTDESK_ADMIN_TOKEN>` (or a console session with its `x-csrf-token` on writes)."),
    paths(
        api::list_companies, api::create_company, api::get_company, api::patch_company, api::delete_company,
        api::create_branch, api::get_branch, api::patch_branch, api::delete_branch,
        api::create_user, api::list_users, api::change_user, api::delete_user, api::connect_calcom, api::provision_retell,
    ),
    modifiers(&BearerToken),
    security(("admin_token" = [])),
    tags((name = "tenants", description = "Companies, branches and logins"))
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
