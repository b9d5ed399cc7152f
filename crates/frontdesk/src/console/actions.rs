//! What the console does, shared by its pages and its JSON API: every read and write is bound
//! to the operator's company (an admin's chosen company, or all for the bearer token).

use super::error::ConsoleError;
use super::session::Operator;
use crate::app::AppState;
use crate::domain::Role;
use crate::store::{Appointment, ConsoleCallback, FailedNotice};
use crate::tenants::{Changed, TenantsFile};
use chrono::NaiveDate;
use chrono_tz::Tz;

/// Longest span one appointments query covers.
pub const MAX_RANGE_DAYS: i64 = 92;
/// Longest note on a callback marked done.
pub const NOTE_CHARS: usize = 500;

/// The time zone dates of this operator's view are read in: the company's, or UTC for all.
pub fn zone_of(state: &AppState, operator: &Operator) -> Tz {
    operator
        .company
        .and_then(|id| state.directory().of_company(id).first().map(|b| b.company.timezone))
        .unwrap_or(chrono_tz::UTC)
}

/// Live appointments from `from` through `to` (whole days, both included) that the operator may see.
pub async fn appointments(
    state: &AppState,
    operator: &Operator,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Appointment>, ConsoleError> {
    if to < from {
        return Err(ConsoleError::BadRequest("`to` lies before `from`".into()));
    }
    if (to - from).num_days() >= MAX_RANGE_DAYS {
        return Err(ConsoleError::BadRequest(format!("at most {MAX_RANGE_DAYS} days at once")));
    }
    let zone = zone_of(state, operator);
    let end = to.succ_opt().ok_or_else(|| ConsoleError::BadRequest("`to` is out of range".into()))?;
    Ok(state
        .backends()
        .store
        .console_appointments(
            operator.company,
            operator.staff_name.as_deref(),
            crate::domain::start_of(from, zone),
            crate::domain::start_of(end, zone),
        )
        .await?)
}

/// Callback requests the operator may see (`status`: `open`, `done`, or both for `None`).
pub async fn callbacks(
    state: &AppState,
    operator: &Operator,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<ConsoleCallback>, ConsoleError> {
    if let Some(status) = status {
        if status != "open" && status != "done" {
            return Err(ConsoleError::BadRequest("status is `open` or `done`".into()));
        }
    }
    Ok(state.backends().store.console_callbacks(operator.company, status, limit).await?)
}

/// Marks one of the operator's company's callbacks done, with an optional note (trimmed, bounded).
pub async fn callback_done(
    state: &AppState,
    operator: &Operator,
    id: i64,
    note: Option<&str>,
) -> Result<(), ConsoleError> {
    let note = note.map(str::trim).filter(|n| !n.is_empty()).map(|n| n.chars().take(NOTE_CHARS).collect::<String>());
    let done = state
        .backends()
        .store
        .mark_callback_done(operator.company, id, note.as_deref(), &operator.email, state.now())
        .await?;
    if done {
        Ok(())
    } else {
        Err(ConsoleError::NotFound)
    }
}

/// The latest notices of the operator's company that gave up (owners and admins: they include
/// every staff member's bookings).
pub async fn failed_notices(
    state: &AppState,
    operator: &Operator,
    limit: i64,
) -> Result<Vec<FailedNotice>, ConsoleError> {
    if operator.role == Role::Staff {
        return Err(ConsoleError::Forbidden("only the owner sees the company's notifications"));
    }
    Ok(state.backends().store.failed_notices(operator.company, limit).await?)
}

/// Puts the operator's company's failed notices back in line (after a fixed address or
/// webhook); how many.
pub async fn retry_notices(state: &AppState, operator: &Operator) -> Result<u64, ConsoleError> {
    if operator.role == Role::Staff {
        return Err(ConsoleError::Forbidden("only the owner sends notifications again"));
    }
    let count = state.backends().store.retry_failed_notices(operator.company, chrono::Utc::now()).await?;
    tracing::info!(count, by = %operator.email, "failed notifications put back in line");
    Ok(count)
}

/// Re-imports the tenants file into the database and reloads every instance (admins only).
pub async fn reload_tenants(state: &AppState, operator: &Operator) -> Result<(usize, Vec<String>), ConsoleError> {
    if operator.role != Role::Admin {
        return Err(ConsoleError::Forbidden("only an admin reloads the tenants file"));
    }
    let Some(path) = state.console().tenants_file.clone() else {
        return Err(ConsoleError::BadRequest(
            "FRONTDESK_TENANTS is not set: there is no tenants file to reload".into(),
        ));
    };
    let text = tokio::fs::read_to_string(&path)
        .await
        .map_err(|e| ConsoleError::Unavailable(format!("cannot read {}: {e}", path.display())))?;
    let file = TenantsFile::parse(&text).map_err(|e| ConsoleError::BadRequest(format!("{}: {e}", path.display())))?;
    let kept = state.backends().store.reimport_tenants(&file).await?;
    state.tenants().changed(Changed::All).await?;
    crate::onboarding::retell::bring_up_to_date(state);
    tracing::info!(companies = file.companies.len(), kept = kept.len(), by = %operator.email, "tenants file re-imported");
    Ok((file.companies.len(), kept))
}
