//! The company's customers (DESIGN §14): search by name or any digits of the number, a profile
//! with their appointments and notes. The same actions serve the pages and `/admin/api/customers…`;
//! every read and write is bound to the operator's company, and a staff login sees only the
//! appointments with them.

use super::api::csrf;
use super::error::ConsoleError;
use super::session::Operator;
use crate::app::AppState;
use crate::domain::{CompanyId, CustomerId};
use crate::store::{Appointment, CustomerNote, CustomerSearch, CustomerSummary};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// How many customers a search lists (narrow it for more).
pub const SEARCH_LIMIT: i64 = 50;
/// How many of a customer's appointments a profile lists.
const PROFILE_APPOINTMENTS: i64 = 200;
/// The longest note kept.
pub const NOTE_CHARS: usize = 500;

/// A customer with everything the profile shows.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Who, and their appointments at a glance (counted as a search counts them).
    pub customer: CustomerSummary,
    /// Their appointments, newest first (a staff login's own only).
    pub appointments: Vec<Appointment>,
    /// Notes, newest first.
    pub notes: Vec<CustomerNote>,
}

/// The company every customer read is bound to: the operator's own (an admin picks one first).
fn company(operator: &Operator) -> Result<CompanyId, ConsoleError> {
    operator.company.ok_or_else(|| ConsoleError::BadRequest("choose a company first".into()))
}

/// The customers a search finds; none for a search that says nothing.
pub async fn search(state: &AppState, operator: &Operator, text: &str) -> Result<Vec<CustomerSummary>, ConsoleError> {
    let company = company(operator)?;
    let Some(search) = CustomerSearch::parse(text) else { return Ok(Vec::new()) };
    Ok(state.backends().store.search_customers(company, &search, state.now(), SEARCH_LIMIT).await?)
}

/// One customer of the operator's company with their appointments and notes.
pub async fn profile(state: &AppState, operator: &Operator, id: CustomerId) -> Result<Profile, ConsoleError> {
    let company = company(operator)?;
    let store = &state.backends().store;
    let customer = store.customer_summary(company, id, state.now()).await?.ok_or(ConsoleError::NotFound)?;
    let mut appointments = store.customer_appointments(company, id, PROFILE_APPOINTMENTS).await?;
    if let Some(own) = &operator.staff_name {
        appointments.retain(|a| a.staff_name.as_deref() == Some(own.as_str()));
    }
    let notes = store.customer_notes(company, id).await?;
    Ok(Profile { customer, appointments, notes })
}

/// Adds a note about a customer of the operator's company; its id.
pub async fn add_note(state: &AppState, operator: &Operator, id: CustomerId, text: &str) -> Result<i64, ConsoleError> {
    let company = company(operator)?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > NOTE_CHARS || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ConsoleError::BadRequest(format!("a note is 1 to {NOTE_CHARS} characters of text")));
    }
    let added = state.backends().store.add_customer_note(company, id, text, &operator.email, state.now()).await?;
    added.ok_or(ConsoleError::NotFound)
}

/// `?q=TEXT`.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

fn summary_json(c: &CustomerSummary) -> Value {
    json!({"id": c.id, "name": c.name, "phone": c.phone, "email": c.email,
        "upcoming": c.upcoming, "last_visit": c.last_visit, "no_shows": c.no_shows})
}

fn appointment_json(a: &Appointment) -> Value {
    json!({"id": a.id, "branch": a.branch, "service": a.service_name, "staff": a.staff_name,
        "start": a.starts_at, "end": a.ends_at, "status": a.status.as_str(), "source": a.source.as_str()})
}

fn customer_id(text: &str) -> Result<CustomerId, ConsoleError> {
    text.trim().parse().map(CustomerId).map_err(|_| ConsoleError::NotFound)
}

/// `GET /admin/api/customers?q=TEXT`.
pub async fn search_api(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Value>, ConsoleError> {
    let found = search(&state, &operator, query.q.as_deref().unwrap_or_default()).await?;
    let truncated = found.len() as i64 >= SEARCH_LIMIT;
    Ok(Json(json!({"customers": found.iter().map(summary_json).collect::<Vec<_>>(), "truncated": truncated})))
}

/// `GET /admin/api/customers/{id}`.
pub async fn profile_api(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    let profile = profile(&state, &operator, customer_id(&id)?).await?;
    let mut answer = summary_json(&profile.customer);
    answer["appointments"] = profile.appointments.iter().map(appointment_json).collect();
    answer["notes"] = profile
        .notes
        .iter()
        .map(|n| json!({"id": n.id, "text": n.text, "by": n.author, "at": n.created_at}))
        .collect();
    Ok(Json(answer))
}

/// `{"text"}`.
#[derive(Debug, Deserialize)]
pub struct NoteBody {
    text: String,
}

/// `POST /admin/api/customers/{id}/notes` `{"text"}` → 201 `{"id"}`.
pub async fn add_note_api(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), ConsoleError> {
    csrf(&operator, &headers)?;
    let id = customer_id(&id)?;
    let note: NoteBody = serde_json::from_slice(&body).map_err(|e| ConsoleError::BadRequest(format!("body: {e}")))?;
    let added = add_note(&state, &operator, id, &note.text).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": added}))))
}
