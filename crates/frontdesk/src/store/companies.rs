//! Companies and branches written through the API (DESIGN §16): created, changed and deleted
//! by id, each write one transaction that lands whole or not at all, the company marked as the
//! API's so that the tenants file no longer overwrites it.

use super::hours::hours_json;
use super::tenants::{bind_company, closures_json, opening_hours_json, upsert_branch, COMPANY_UPSERT};
use super::operators::{insert_invitation, Invitation, NewOperator};
use super::{on_pool, BeginWrite, Store, StoreError};
use crate::domain::{BranchId, CompanyId, Secret};
use crate::tenants::{BranchSpec, CompanyDraft, CompanySpec};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Marks company `$1` as managed through the API from `$2` on (the tenants file no longer
/// overwrites it).
const MARK_API_MANAGED: &str = "UPDATE companies SET api_managed_at = $2 WHERE id = $1";

/// Why a write through the API was refused.
#[derive(Debug, thiserror::Error)]
pub enum TenantWriteError {
    /// A name, number or agent already belongs to someone else.
    #[error("{0}")]
    Conflict(String),
    /// Appointments still to come stand in the way of a deletion.
    #[error("{} upcoming appointment(s)", .0.len())]
    Upcoming(Vec<UpcomingAppointment>),
    /// No such company or branch (or deleted).
    #[error("not found")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TenantWriteError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

/// An appointment still to come, named when it blocks a deletion.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct UpcomingAppointment {
    /// Its id.
    pub id: i64,
    /// Its branch.
    #[schema(value_type = i64)]
    pub branch_id: BranchId,
    /// Its start (UTC).
    pub starts_at: DateTime<Utc>,
    /// Its service.
    pub service: String,
    /// The customer's name, when known.
    pub customer: Option<String>,
}

/// The columns a company draft is read back from (secrets included: export and PATCH need them).
#[derive(sqlx::FromRow)]
struct DraftRow {
    id: CompanyId,
    name: String,
    language: String,
    timezone: String,
    calendar: Option<String>,
    calcom_api_key: Option<String>,
    retell_api_key: Option<String>,
    cancel_hours_before: Option<i64>,
    max_bookings_per_call: Option<i64>,
    max_upcoming_per_caller: Option<i64>,
    booking_horizon_days: Option<i64>,
    min_notice_minutes: Option<i64>,
    region: Option<String>,
    locale: Option<String>,
    notify_email: Option<String>,
    notify_webhook_url: Option<String>,
    notify_webhook_secret: Option<String>,
    digest_time: Option<String>,
    sms_from: Option<String>,
    sms_account_sid: Option<String>,
    sms_auth_token: Option<String>,
    reminder_hours: String,
    reminder_channel: Option<String>,
}

const DRAFT_COLUMNS: &str = "SELECT id, name, language, timezone, calendar, calcom_api_key, retell_api_key, cancel_hours_before,
    max_bookings_per_call, max_upcoming_per_caller, booking_horizon_days, min_notice_minutes, region, locale,
    notify_email, notify_webhook_url, notify_webhook_secret, digest_time, sms_from, sms_account_sid, sms_auth_token,
    reminder_hours, reminder_channel FROM companies WHERE deleted_at IS NULL";

impl DraftRow {
    fn into_draft(self) -> (CompanyId, CompanyDraft) {
        let number = |n: Option<i64>| n.and_then(|n| u32::try_from(n).ok());
        let hours: Vec<u32> = self.reminder_hours.split(',').filter_map(|h| h.trim().parse().ok()).collect();
        let draft = CompanyDraft {
            name: self.name,
            language: self.language,
            timezone: self.timezone,
            calendar: self.calendar,
            calcom_api_key: self.calcom_api_key,
            retell_api_key: self.retell_api_key,
            cancel_hours_before: number(self.cancel_hours_before),
            max_bookings_per_call: number(self.max_bookings_per_call),
            max_upcoming_per_caller: number(self.max_upcoming_per_caller),
            booking_horizon_days: number(self.booking_horizon_days),
            min_notice_minutes: number(self.min_notice_minutes),
            region: self.region,
            locale: self.locale,
            notify_email: self.notify_email,
            notify_webhook_url: self.notify_webhook_url,
            notify_webhook_secret: self.notify_webhook_secret,
            digest_time: self.digest_time,
            sms_from: self.sms_from,
            sms_account_sid: self.sms_account_sid,
            sms_auth_token: self.sms_auth_token,
            reminder_hours: Some(hours),
            reminder_channel: self.reminder_channel,
            branch: Vec::new(),
        };
        (self.id, draft)
    }
}

/// Every company's id and draft when `$id` is `None`, else that company's (deleted ones never).
macro_rules! select_drafts {
    ($pool:ident, $id:expr) => {{
        let id: Option<CompanyId> = $id;
        let rows: Vec<DraftRow> = match id {
            Some(id) => sqlx::query_as(&format!("{DRAFT_COLUMNS} AND id = $1")).bind(id).fetch_all($pool).await?,
            None => sqlx::query_as(&format!("{DRAFT_COLUMNS} ORDER BY id")).fetch_all($pool).await?,
        };
        rows
    }};
}

impl Store {
    /// A company's keys as written (without branches), or `None` when there is none (or deleted).
    pub async fn company_draft(&self, id: CompanyId) -> Result<Option<CompanyDraft>, StoreError> {
        let rows = on_pool!(self, pool => select_drafts!(pool, Some(id)));
        Ok(rows.into_iter().next().map(|row| row.into_draft().1))
    }

    /// Every company's keys as written (without branches), in id order.
    pub async fn company_drafts(&self) -> Result<Vec<(CompanyId, CompanyDraft)>, StoreError> {
        let rows = on_pool!(self, pool => select_drafts!(pool, None));
        Ok(rows.into_iter().map(DraftRow::into_draft).collect())
    }

    /// Creates a company with its branches, marked as managed through the API; with `owner`, its
    /// first login in the same transaction (a business is created whole or not at all).
    pub async fn create_company(
        &self,
        company: &CompanySpec,
        owner: Option<&Invitation<'_>>,
        now: DateTime<Utc>,
    ) -> Result<(CompanyId, Option<i64>), TenantWriteError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let taken: Option<Option<DateTime<Utc>>> =
                sqlx::query_scalar("SELECT deleted_at FROM companies WHERE name = $1").bind(&company.name).fetch_optional(&mut *tx).await?;
            if let Some(deleted) = taken {
                let why = if deleted.is_some() { "a deleted company" } else { "another company" };
                return Err(TenantWriteError::Conflict(format!("{why} is named {:?}", company.name)));
            }
            let id: CompanyId = bind_company!(sqlx::query_scalar(COMPANY_UPSERT), company).fetch_one(&mut *tx).await?;
            sqlx::query(MARK_API_MANAGED).bind(id).bind(now).execute(&mut *tx).await?;
            for branch in &company.branches {
                check_free!(tx, None, branch);
                upsert_branch!(tx, id, branch);
            }
            let login = match owner {
                Some(owner) => {
                    // the owner's company is the one just made
                    let login = NewOperator { company_id: Some(id), ..owner.login.clone() };
                    Some(insert_invitation!(tx, &Invitation { login, ..owner.clone() }))
                }
                None => None,
            };
            tx.commit().await?;
            Ok((id, login))
        })
    }

    /// Changes a company's own keys (its branches are changed one by one).
    pub async fn update_company(&self, id: CompanyId, company: &CompanySpec, now: DateTime<Utc>) -> Result<(), TenantWriteError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let other: Option<CompanyId> = sqlx::query_scalar("SELECT id FROM companies WHERE name = $1 AND id <> $2")
                .bind(&company.name).bind(id).fetch_optional(&mut *tx).await?;
            if other.is_some() {
                return Err(TenantWriteError::Conflict(format!("another company is named {:?}", company.name)));
            }
            // The upsert's column list is reused by renaming the row to the new name first.
            let renamed = sqlx::query("UPDATE companies SET name = $2, api_managed_at = NULL WHERE id = $1 AND deleted_at IS NULL")
                .bind(id).bind(&company.name).execute(&mut *tx).await?;
            if renamed.rows_affected() == 0 {
                return Err(TenantWriteError::NotFound);
            }
            let _: CompanyId = bind_company!(sqlx::query_scalar(COMPANY_UPSERT), company).fetch_one(&mut *tx).await?;
            sqlx::query(MARK_API_MANAGED).bind(id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Creates a branch (`existing` = `None`) or changes one of `company`'s, by id.
    pub async fn write_branch(
        &self,
        company: CompanyId,
        existing: Option<BranchId>,
        branch: &BranchSpec,
        now: DateTime<Utc>,
    ) -> Result<BranchId, TenantWriteError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let live: Option<CompanyId> = sqlx::query_scalar("SELECT id FROM companies WHERE id = $1 AND deleted_at IS NULL")
                .bind(company).fetch_optional(&mut *tx).await?;
            live.ok_or(TenantWriteError::NotFound)?;
            let same_name: Option<(BranchId, Option<DateTime<Utc>>)> =
                sqlx::query_as("SELECT id, deleted_at FROM branches WHERE company_id = $1 AND name = $2")
                    .bind(company).bind(&branch.name).fetch_optional(&mut *tx).await?;
            match same_name {
                // A deleted branch's name is free: the old one is named by its id from now on.
                Some((old, Some(_))) => {
                    sqlx::query("UPDATE branches SET name = $2 WHERE id = $1")
                        .bind(old).bind(format!("{} (deleted #{old})", branch.name)).execute(&mut *tx).await?;
                }
                Some((other, None)) if Some(other) != existing => {
                    return Err(TenantWriteError::Conflict(format!("the company already has a branch named {:?}", branch.name)));
                }
                _ => {}
            }
            if let Some(id) = existing {
                let renamed = sqlx::query("UPDATE branches SET name = $3 WHERE id = $1 AND company_id = $2 AND deleted_at IS NULL")
                    .bind(id).bind(company).bind(&branch.name).execute(&mut *tx).await?;
                if renamed.rows_affected() == 0 {
                    return Err(TenantWriteError::NotFound);
                }
            }
            check_free!(tx, existing, branch);
            let (id, _) = upsert_branch!(tx, company, branch);
            sqlx::query(MARK_API_MANAGED).bind(company).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Deletes a branch of `company` unless appointments are still to come in it: its numbers
    /// and agents are freed at once, its rows stay for the appointments and history they carry.
    pub async fn delete_branch(&self, company: CompanyId, id: BranchId, now: DateTime<Utc>) -> Result<(), TenantWriteError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let found: Option<BranchId> = sqlx::query_scalar("SELECT id FROM branches WHERE id = $1 AND company_id = $2 AND deleted_at IS NULL")
                .bind(id).bind(company).fetch_optional(&mut *tx).await?;
            found.ok_or(TenantWriteError::NotFound)?;
            let upcoming: Vec<UpcomingAppointment> = sqlx::query_as(&format!("{UPCOMING} WHERE a.branch_id = $1 AND {STILL_TO_COME} ORDER BY a.starts_at LIMIT 100"))
                .bind(id).bind(now).fetch_all(&mut *tx).await?;
            if !upcoming.is_empty() {
                return Err(TenantWriteError::Upcoming(upcoming));
            }
            retire_branch!(tx, id, now);
            sqlx::query(MARK_API_MANAGED).bind(company).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Deletes a company unless appointments are still to come in it: its branches, numbers,
    /// logins and notices end; its rows stay (and its name stays taken) for the history.
    pub async fn delete_company(&self, id: CompanyId, now: DateTime<Utc>) -> Result<(), TenantWriteError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let gone = sqlx::query("UPDATE companies SET deleted_at = $2, api_managed_at = $2, notify_email = NULL, notify_webhook_url = NULL,
                        notify_webhook_secret = NULL, reminder_channel = NULL, reminder_hours = '' WHERE id = $1 AND deleted_at IS NULL")
                .bind(id).bind(now).execute(&mut *tx).await?;
            if gone.rows_affected() == 0 {
                return Err(TenantWriteError::NotFound);
            }
            let upcoming: Vec<UpcomingAppointment> = sqlx::query_as(&format!("{UPCOMING} WHERE a.company_id = $1 AND {STILL_TO_COME} ORDER BY a.starts_at LIMIT 100"))
                .bind(id).bind(now).fetch_all(&mut *tx).await?;
            if !upcoming.is_empty() {
                return Err(TenantWriteError::Upcoming(upcoming));
            }
            let branches: Vec<BranchId> = sqlx::query_scalar("SELECT id FROM branches WHERE company_id = $1 AND deleted_at IS NULL")
                .bind(id).fetch_all(&mut *tx).await?;
            for branch in branches {
                retire_branch!(tx, branch, now);
            }
            sqlx::query("DELETE FROM operators WHERE company_id = $1").bind(id).execute(&mut *tx).await?;
            sqlx::query("UPDATE waitlist_entries SET status = 'ended', ended_reason = 'deleted', updated_at = $2 WHERE company_id = $1 AND status <> 'ended'")
                .bind(id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The company a branch belongs to (deleted branches have none).
    pub async fn company_of_branch(&self, id: BranchId) -> Result<Option<CompanyId>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar("SELECT company_id FROM branches WHERE id = $1 AND deleted_at IS NULL")
            .bind(id).fetch_optional(pool).await?))
    }

    /// Whether the company was created or changed through the API.
    pub async fn is_api_managed(&self, id: CompanyId) -> Result<bool, StoreError> {
        let at: Option<Option<DateTime<Utc>>> = on_pool!(self, pool => sqlx::query_scalar("SELECT api_managed_at FROM companies WHERE id = $1")
            .bind(id).fetch_optional(pool).await?);
        Ok(matches!(at, Some(Some(_))))
    }

    /// The company's Cal.com key and its registered webhook: stored together once the key has
    /// proved itself (connect), so a wrong key never replaces a working one. The services get
    /// their matched event types; the calendar becomes Cal.com when `switch_calendar`. Returns the
    /// webhook this one replaces, with the key it was registered with (to be deleted at Cal.com).
    pub async fn connect_calcom(
        &self,
        id: CompanyId,
        connection: &CalcomConnection<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<(String, Secret)>, StoreError> {
        let CalcomConnection { api_key, webhook_id, webhook_secret, event_types, switch_calendar } = connection;
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let before: Option<(Option<String>, Option<String>)> =
                sqlx::query_as("SELECT calcom_webhook_id, calcom_api_key FROM companies WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
            sqlx::query("UPDATE companies SET calcom_api_key = $2, calcom_webhook_id = $3, calcom_webhook_secret = $4, api_managed_at = $5 WHERE id = $1")
                .bind(id).bind(api_key.expose()).bind(*webhook_id).bind(webhook_secret.expose()).bind(now)
                .execute(&mut *tx).await?;
            if *switch_calendar {
                sqlx::query("UPDATE companies SET calendar = 'calcom' WHERE id = $1").bind(id).execute(&mut *tx).await?;
            }
            for (service, event_type) in event_types.iter() {
                sqlx::query("UPDATE services SET calcom_event_type_id = $3 WHERE name = $2 AND branch_id IN (SELECT id FROM branches WHERE company_id = $1)")
                    .bind(id).bind(service).bind(event_type).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(match before {
                Some((Some(webhook), Some(key))) if webhook != **webhook_id => Secret::parse(&key).ok().map(|key| (webhook, key)),
                _ => None,
            })
        })
    }
}

/// What connecting Cal.com stores for a company.
#[derive(Debug)]
pub struct CalcomConnection<'a> {
    /// The key that proved itself.
    pub api_key: &'a Secret,
    /// The webhook Cal.com registered.
    pub webhook_id: &'a str,
    /// Its secret.
    pub webhook_secret: &'a Secret,
    /// Service name → event type.
    pub event_types: &'a HashMap<String, i64>,
    /// Whether the company books in Cal.com from now on.
    pub switch_calendar: bool,
}

/// The columns of an upcoming appointment.
const UPCOMING: &str = "SELECT a.id, a.branch_id, a.starts_at, s.name AS service, c.name AS customer
    FROM appointments a JOIN services s ON s.id = a.service_id LEFT JOIN customers c ON c.id = a.customer_id";
/// Appointments that still hold a time after `$2`.
const STILL_TO_COME: &str = "a.status IN ('pending', 'pending_unknown', 'booked') AND a.ends_at > $2";

/// Refuses numbers or Retell agents that another branch holds (`$own` is the branch being
/// changed), inside the transaction `$tx`.
macro_rules! check_free {
    ($tx:ident, $own:expr, $branch:expr) => {{
        let own: i64 = $own.map_or(-1, |b: BranchId| b.0);
        let branch: &BranchSpec = $branch;
        for number in &branch.phone_numbers {
            let held: Option<String> = sqlx::query_scalar("SELECT number FROM phone_numbers WHERE number = $1 AND branch_id <> $2")
                .bind(number.as_str())
                .bind(own)
                .fetch_optional(&mut *$tx)
                .await?;
            if held.is_some() {
                return Err(TenantWriteError::Conflict(format!("the number {} is used by another branch", number.as_str())));
            }
        }
        if !branch.retell_agent_ids.is_empty() {
            let others: Vec<String> = sqlx::query_scalar("SELECT retell_agent_ids FROM branches WHERE id <> $1 AND deleted_at IS NULL")
                .bind(own)
                .fetch_all(&mut *$tx)
                .await?;
            for agents in others {
                let agents: Vec<String> = serde_json::from_str(&agents).unwrap_or_default();
                if let Some(taken) = branch.retell_agent_ids.iter().find(|a| agents.contains(a)) {
                    return Err(TenantWriteError::Conflict(format!("the Retell agent {taken} names another branch")));
                }
            }
        }
    }};
}
use check_free;

/// Marks branch `$id` deleted inside `$tx` and frees its numbers and agents (its name stays
/// for the history until a new branch takes it).
macro_rules! retire_branch {
    ($tx:ident, $id:expr, $now:expr) => {{
        let id: BranchId = $id;
        sqlx::query("DELETE FROM phone_numbers WHERE branch_id = $1").bind(id).execute(&mut *$tx).await?;
        sqlx::query("UPDATE branches SET deleted_at = $2, retell_agent_ids = '[]' WHERE id = $1")
            .bind(id)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        // Its waiting wishes end: nobody is offered a time in a branch that is gone.
        sqlx::query("UPDATE waitlist_entries SET status = 'ended', ended_reason = 'deleted', updated_at = $2 WHERE branch_id = $1 AND status <> 'ended'")
            .bind(id)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
    }};
}
use retire_branch;
