//! The company's customers (DESIGN §14): search by name or any digits of the number, a profile
//! with their appointments and notes. The same actions serve the pages and `/admin/api/customers…`;
//! every read and write is bound to the operator's company, and a staff login sees only the
//! appointments with them.

use super::api::csrf;
use super::error::{ConsoleError, Failure};
use super::session::Operator;
use crate::app::AppState;
use crate::domain::{CompanyId, CustomerId};
use crate::store::{Appointment, ConsoleCall, CustomerNote, CustomerRecord, CustomerSearch, CustomerSummary};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

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
    /// Their latest calls, newest first (owners only: a call is not one staff member's).
    pub calls: Vec<ConsoleCall>,
}

/// How many of a customer's calls a profile lists.
const PROFILE_CALLS: usize = 20;

/// The company every customer and appointment read is bound to: the operator's own (an admin
/// picks one first).
pub(super) fn company(operator: &Operator) -> Result<CompanyId, ConsoleError> {
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
    let calls = match operator.staff_name {
        Some(_) => Vec::new(),
        None => store.customer_calls(company, id, PROFILE_CALLS).await?,
    };
    Ok(Profile { customer, appointments, notes, calls })
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

/// Only owners (and admins) hand out or remove a person's data; staff work with it.
fn owner_only(operator: &Operator) -> Result<CompanyId, ConsoleError> {
    if operator.staff_name.is_some() {
        return Err(ConsoleError::Forbidden("only the owner can export, erase or merge customers"));
    }
    company(operator)
}

/// Everything stored about a customer of the operator's company (GDPR Art. 15/20).
pub async fn export(state: &AppState, operator: &Operator, id: CustomerId) -> Result<CustomerRecord, ConsoleError> {
    let company = owner_only(operator)?;
    let record = state.backends().store.customer_record(company, id).await?.ok_or(ConsoleError::NotFound)?;
    tracing::info!(customer = id.0, by = %operator.email, "customer data exported");
    Ok(record)
}

/// Removes a customer's personal data everywhere (GDPR Art. 17); the appointments stay without them.
pub async fn erase(state: &AppState, operator: &Operator, id: CustomerId) -> Result<(), ConsoleError> {
    let company = owner_only(operator)?;
    match state.backends().store.erase_customer(company, id).await? {
        true => {
            tracing::info!(customer = id.0, by = %operator.email, "customer erased");
            Ok(())
        }
        false => Err(ConsoleError::NotFound),
    }
}

/// Merges a duplicate into the customer who stays.
pub async fn merge(state: &AppState, operator: &Operator, duplicate: CustomerId, into: CustomerId) -> Result<(), ConsoleError> {
    let company = owner_only(operator)?;
    if duplicate == into {
        return Err(ConsoleError::BadRequest("a customer cannot be merged into themselves".into()));
    }
    match state.backends().store.merge_customers(company, duplicate, into, &operator.email).await? {
        true => Ok(()),
        false => Err(ConsoleError::NotFound),
    }
}

/// The export as JSON: the person, their appointments, notes, calls, callbacks, waitlist
/// wishes and SMS consent.
fn record_json(record: &CustomerRecord) -> Value {
    let c = &record.customer;
    json!({
        "customer": {"id": c.id, "name": c.name, "phone": c.phone, "email": c.email, "known_since": record.created_at},
        "appointments": record.appointments.iter().map(CustomerAppointment::of).collect::<Vec<_>>(),
        "notes": record.notes.iter().map(|n| json!({"text": n.text, "by": n.author, "at": n.created_at})).collect::<Vec<_>>(),
        "calls": record.calls.iter().map(|k| json!({"retell_call_id": k.retell_call_id, "branch": k.branch,
            "from_number": k.from_number, "started_at": k.started_at, "duration_ms": k.duration_ms,
            "summary": k.summary, "sentiment": k.sentiment, "recording_url": k.recording_url})).collect::<Vec<_>>(),
        "callbacks": record.callbacks.iter().map(|r| json!({"name": r.name, "phone": r.phone, "reason": r.reason,
            "preferred_time": r.preferred_time, "status": r.status, "created_at": r.created_at,
            "done_note": r.done_note})).collect::<Vec<_>>(),
        "waitlist": record.waitlist.iter().map(|w| json!({"service": w.service_name, "staff": w.staff_name,
            "first_day": w.first_day, "last_day": w.last_day, "from": w.from_time, "until": w.until_time,
            "phone": w.phone, "since": w.created_at})).collect::<Vec<_>>(),
        "sms_consent": record.sms_consent_at,
    })
}

/// Download a customer's whole record (GDPR Art. 15/20): the person, their appointments, notes,
/// calls, callbacks, waitlist wishes and SMS consent.
#[utoipa::path(get, path = "/admin/api/customers/{id}/export", tag = "customers", params(("id" = i64, Path, description = "customer id")),
    responses((status = 200, body = Object, description = "customer, appointments, notes, calls, callbacks, waitlist, sms_consent"),
        (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn export_api(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<String>,
) -> Result<([(axum::http::HeaderName, String); 1], Json<Value>), ConsoleError> {
    let id = customer_id(&id)?;
    let record = export(&state, &operator, id).await?;
    let disposition = format!("attachment; filename=\"customer-{id}.json\"");
    Ok(([(axum::http::header::CONTENT_DISPOSITION, disposition)], Json(record_json(&record))))
}

/// A customer erased.
#[derive(Debug, Serialize, ToSchema)]
pub struct Erased {
    /// Always `true`.
    pub success: bool,
    /// Always `true`.
    pub erased: bool,
}

/// Erase a customer's personal data (owners); appointments stay as anonymous rows.
#[utoipa::path(post, path = "/admin/api/customers/{id}/erase", tag = "customers", params(("id" = i64, Path, description = "customer id")),
    responses((status = 200, body = Erased), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn erase_api(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Erased>, ConsoleError> {
    csrf(&operator, &headers)?;
    erase(&state, &operator, customer_id(&id)?).await?;
    Ok(Json(Erased { success: true, erased: true }))
}

/// `{"into": id}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MergeBody {
    /// The customer who stays.
    into: i64,
}

/// Duplicates merged.
#[derive(Debug, Serialize, ToSchema)]
pub struct Merged {
    /// Always `true`.
    pub success: bool,
    /// The customer who stays.
    pub into: i64,
}

/// Merge a duplicate (`{id}`, who goes) into another customer.
#[utoipa::path(post, path = "/admin/api/customers/{id}/merge", tag = "customers", params(("id" = i64, Path, description = "the duplicate's id")),
    request_body = MergeBody,
    responses((status = 200, body = Merged), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn merge_api(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Merged>, ConsoleError> {
    csrf(&operator, &headers)?;
    let merge_body: MergeBody = serde_json::from_slice(&body).map_err(|e| ConsoleError::BadRequest(format!("body: {e}")))?;
    let into = CustomerId(merge_body.into);
    merge(&state, &operator, customer_id(&id)?, into).await?;
    Ok(Json(Merged { success: true, into: into.0 }))
}

/// `?q=TEXT`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// A name or any digits of the number.
    q: Option<String>,
}

/// One of a customer's appointments.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerAppointment {
    /// Id.
    pub id: i64,
    /// Branch name.
    pub branch: String,
    /// Service name.
    pub service: String,
    /// Staff member.
    pub staff: Option<String>,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// End (UTC).
    pub end: DateTime<Utc>,
    /// `booked`, `cancelled`, `no_show`, …
    pub status: &'static str,
    /// Who made it.
    pub source: &'static str,
}

impl CustomerAppointment {
    fn of(a: &Appointment) -> Self {
        Self {
            id: a.id.0,
            branch: a.branch.clone(),
            service: a.service_name.clone(),
            staff: a.staff_name.clone(),
            start: a.starts_at,
            end: a.ends_at,
            status: a.status.as_str(),
            source: a.source.as_str(),
        }
    }
}

/// A note on a customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteView {
    /// Id.
    pub id: i64,
    /// What was noted.
    pub text: String,
    /// Who wrote it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// `GET /admin/api/customers`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerList {
    /// Those found.
    pub customers: Vec<CustomerSummary>,
    /// The list was cut at its limit: narrow the search.
    pub truncated: bool,
}

/// `GET /admin/api/customers/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerProfile {
    /// Who.
    #[serde(flatten)]
    pub customer: CustomerSummary,
    /// Their appointments, newest first.
    pub appointments: Vec<CustomerAppointment>,
    /// Notes, newest first.
    pub notes: Vec<NoteView>,
}

fn customer_id(text: &str) -> Result<CustomerId, ConsoleError> {
    text.trim().parse().map(CustomerId).map_err(|_| ConsoleError::NotFound)
}

/// Search customers by name or any digits of their number.
#[utoipa::path(get, path = "/admin/api/customers", tag = "customers", params(SearchQuery),
    responses((status = 200, body = CustomerList), (status = 400, body = Failure), (status = 401, body = Failure), (status = 503, body = Failure)))]
pub async fn search_api(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<SearchQuery>,
) -> Result<Json<CustomerList>, ConsoleError> {
    let found = search(&state, &operator, query.q.as_deref().unwrap_or_default()).await?;
    let truncated = found.len() as i64 >= SEARCH_LIMIT;
    Ok(Json(CustomerList { customers: found, truncated }))
}

/// A customer with their appointments and notes.
#[utoipa::path(get, path = "/admin/api/customers/{id}", tag = "customers", params(("id" = i64, Path, description = "customer id")),
    responses((status = 200, body = CustomerProfile), (status = 400, body = Failure), (status = 401, body = Failure), (status = 404, body = Failure),
        (status = 503, body = Failure)))]
pub async fn profile_api(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<String>,
) -> Result<Json<CustomerProfile>, ConsoleError> {
    let profile = profile(&state, &operator, customer_id(&id)?).await?;
    Ok(Json(CustomerProfile {
        customer: profile.customer,
        appointments: profile.appointments.iter().map(CustomerAppointment::of).collect(),
        notes: profile.notes.iter().map(|n| NoteView { id: n.id, text: n.text.clone(), by: n.author.clone(), at: n.created_at }).collect(),
    }))
}

/// `{"text"}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoteBody {
    /// The note (at most 500 characters).
    text: String,
}

/// A note added.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteAdded {
    /// Its id.
    pub id: i64,
}

/// Add a note to a customer.
#[utoipa::path(post, path = "/admin/api/customers/{id}/notes", tag = "customers", params(("id" = i64, Path, description = "customer id")),
    request_body = NoteBody,
    responses((status = 201, body = NoteAdded), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn add_note_api(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<NoteAdded>), ConsoleError> {
    csrf(&operator, &headers)?;
    let id = customer_id(&id)?;
    let note: NoteBody = serde_json::from_slice(&body).map_err(|e| ConsoleError::BadRequest(format!("body: {e}")))?;
    let added = add_note(&state, &operator, id, &note.text).await?;
    Ok((StatusCode::CREATED, Json(NoteAdded { id: added })))
}
