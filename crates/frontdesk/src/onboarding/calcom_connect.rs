//! Connecting a company to Cal.com (DESIGN §16): the key is proved (`GET /v2/me`) before anything
//! is stored, its event types are matched to the services by name, and a webhook with a fresh
//! secret is registered so that bookings made in Cal.com reach this company's windows at once.

use super::OnboardingError;
use crate::app::AppState;
use crate::calendar::CalendarError;
use crate::console::session::random_token;
use crate::domain::{CompanyId, Secret};
use serde::Deserialize;
use std::collections::HashMap;

/// The body of `POST /admin/api/companies/{id}/calcom/connect`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectRequest {
    /// The company's Cal.com API key.
    pub api_key: String,
}

/// What connecting found and did.
#[derive(Debug, Clone, Default)]
pub struct Connected {
    /// Service name → the event type it was matched to (id, title).
    pub matched: Vec<(String, i64, String)>,
    /// Services with no event type of their name.
    pub unmatched_services: Vec<String>,
    /// Event types no service is named after.
    pub unused_event_types: Vec<(i64, String)>,
    /// The webhook Cal.com registered.
    pub webhook_id: String,
    /// Whether the company now books in Cal.com (only when every service has its event type).
    pub calendar_switched: bool,
}

/// Where Cal.com sends a company's booking events.
pub fn webhook_path(company: CompanyId) -> String {
    format!("/calcom/webhook/{company}")
}

/// Connects `company` with the key in `body`; a wrong key stores nothing.
pub async fn connect(state: &AppState, company: CompanyId, body: &[u8]) -> Result<Connected, OnboardingError> {
    let request: ConnectRequest = serde_json::from_slice(body).map_err(|e| OnboardingError::Invalid(format!("body: {e}")))?;
    let key = Secret::parse(&request.api_key).map_err(|e| OnboardingError::Invalid(format!("api_key {e}")))?;
    state.backends().store.company_draft(company).await?.ok_or(OnboardingError::NotFound)?;
    let base = state.console().public_url.clone().ok_or_else(|| {
        OnboardingError::Invalid("set FRONTDESK_PUBLIC_URL: Cal.com needs the address its webhook calls".into())
    })?;
    let client = state.console().calcom.clone().ok_or_else(|| OnboardingError::Upstream("Cal.com is not configured".into()))?;
    client.me(&key).await.map_err(|error| refused("the key", error))?;
    let event_types = client.event_types(&key).await.map_err(|error| refused("the event types", error))?;
    let services: Vec<String> = {
        let directory = state.directory();
        let mut names: Vec<String> =
            directory.of_company(company).iter().flat_map(|ctx| ctx.branch.services.iter().map(|s| s.name.clone())).collect();
        names.sort();
        names.dedup();
        names
    };
    let mut connected = Connected::default();
    let mut by_service = HashMap::new();
    for service in &services {
        match event_types.iter().find(|e| same_name(&e.title, service) || same_name(&e.slug, &slug(service))) {
            Some(event) => {
                connected.matched.push((service.clone(), event.id, event.title.clone()));
                by_service.insert(service.clone(), event.id);
            }
            None => connected.unmatched_services.push(service.clone()),
        }
    }
    connected.unused_event_types = event_types
        .iter()
        .filter(|e| !connected.matched.iter().any(|(_, id, _)| *id == e.id))
        .map(|e| (e.id, e.title.clone()))
        .collect();
    let secret = Secret::parse(&random_token()).map_err(|e| OnboardingError::Invalid(e.to_string()))?;
    let url = format!("{}{}", base.trim_end_matches('/'), webhook_path(company));
    let webhook = client.register_webhook(&key, &url, &secret).await.map_err(|error| refused("the webhook", error))?;
    connected.webhook_id = webhook.id;
    connected.calendar_switched = connected.unmatched_services.is_empty();
    let connection = crate::store::CalcomConnection {
        api_key: &key,
        webhook_id: &connected.webhook_id,
        webhook_secret: &secret,
        event_types: &by_service,
        switch_calendar: connected.calendar_switched,
    };
    let replaced = state.backends().store.connect_calcom(company, &connection, state.now()).await?;
    state.tenants().changed(crate::tenants::Changed::All).await?;
    // A connect again (a new key, a new secret): the old webhook would keep sending events signed
    // with a secret nobody checks any more, so it goes. Its failure costs only those refused events.
    if let Some((old_webhook, old_key)) = replaced {
        match client.delete_webhook(&old_key, &old_webhook).await {
            Ok(()) | Err(CalendarError::NotFound) => tracing::info!(company = company.0, "former Cal.com webhook deleted"),
            Err(error) => tracing::warn!(company = company.0, %error, "former Cal.com webhook not deleted"),
        }
    }
    tracing::info!(company = company.0, matched = connected.matched.len(), "Cal.com connected");
    Ok(connected)
}

/// Cal.com's refusal in words: a refused key is the caller's mistake (400), silence is Cal.com's.
fn refused(what: &str, error: CalendarError) -> OnboardingError {
    match error {
        CalendarError::Invalid(why) => OnboardingError::Invalid(format!("Cal.com refused {what}: {why}")),
        CalendarError::NotFound => OnboardingError::Invalid(format!("Cal.com does not know {what} for this key")),
        other => OnboardingError::Upstream(format!("Cal.com did not answer for {what} ({other}); nothing was stored")),
    }
}

/// Names compared as people see them: case, spaces and dashes do not matter.
fn same_name(a: &str, b: &str) -> bool {
    let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    !a.trim().is_empty() && key(a) == key(b)
}

/// The slug Cal.com would make of a name ("Herren Haarschnitt" → "herren-haarschnitt").
fn slug(name: &str) -> String {
    name.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_as_people_read_them() {
        assert!(same_name("Herrenhaarschnitt", "herrenhaarschnitt"));
        assert!(same_name("herren-haarschnitt", &slug("Herren Haarschnitt")));
        assert!(!same_name("Färben", "Farben"));
        assert!(!same_name("", ""));
    }
}
