//! The schedule: overdue callbacks are announced as they pass their limit, and the daily digest: at each company's `digest_time` (default 19:00, its own zone) one summary of
//! the day goes to its e-mail and webhook. Every instance runs the schedule; the outbox key
//! (`digest.daily:<company>:<day>`) makes it one digest per company and day.

use crate::domain::CompanyId;
use crate::clock::Clock;
use crate::store::{NoticeData, Store};
use crate::tenants::LiveTenants;
use chrono::{NaiveDate, NaiveTime};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// When a company without a `digest_time` hears about its day.
pub const DEFAULT_DIGEST_TIME: NaiveTime = match NaiveTime::from_hms_opt(19, 0, 0) {
    Some(t) => t,
    None => panic!("19:00 exists"),
};

/// Runs the schedule every `tick` until the process ends (domain time from `clock`).
pub fn spawn(store: Store, tenants: LiveTenants, clock: Arc<dyn Clock>, tick: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // Days already written by this instance: the database is asked once per company and day.
        let mut done: HashSet<(CompanyId, NaiveDate)> = HashSet::new();
        loop {
            if let Err(error) = round(&store, &tenants, &*clock, &mut done).await {
                tracing::warn!(%error, "digest round failed");
            }
            if let Err(error) = overdue(&store, &*clock).await {
                tracing::warn!(%error, "overdue callbacks could not be announced");
            }
            if let Err(error) = crate::reminders::round(&store, &*clock).await {
                tracing::warn!(%error, "reminders could not be planned");
            }
            // Delivered messages are kept a month (for questions like "did the mail go out?").
            if let Err(error) = store.prune_outbox(chrono::Utc::now() - chrono::Duration::days(30)).await {
                tracing::warn!(%error, "old outbox rows could not be removed");
            }
            tokio::time::sleep(tick).await;
        }
    })
}

/// Announces the callback requests that passed their limit ([`Priority::overdue_after`](crate::store::Priority::overdue_after)).
async fn overdue(store: &Store, clock: &dyn Clock) -> Result<(), crate::store::StoreError> {
    let now = clock.now();
    let (urgent, normal) = (crate::store::Priority::High.overdue_after(), crate::store::Priority::Normal.overdue_after());
    let written = store.write_overdue_notices(now - urgent, now - normal).await?;
    if written > 0 {
        tracing::info!(written, "overdue callbacks announced");
    }
    Ok(())
}

async fn round(
    store: &Store,
    tenants: &LiveTenants,
    clock: &dyn Clock,
    done: &mut HashSet<(CompanyId, NaiveDate)>,
) -> Result<(), crate::store::StoreError> {
    let now = clock.now();
    let directory = tenants.directory();
    for target in store.digest_targets().await? {
        let Some(ctx) = directory.of_company(target.id).first() else { continue };
        let company = &ctx.company;
        let local = now.with_timezone(&company.timezone);
        let at = target
            .digest_time
            .as_deref()
            .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
            .unwrap_or(DEFAULT_DIGEST_TIME);
        let day = local.date_naive();
        if local.time() < at || done.contains(&(company.id, day)) {
            continue;
        }
        let key = format!("digest.daily:{}:{day}", company.id);
        if !store.digest_written(&key).await? {
            let from = crate::domain::start_of(day, company.timezone);
            let figures = store.digest_figures(company.id, &day.to_string(), from, now).await?;
            let data = NoticeData { digest: Some(figures), ..NoticeData::of_company(company) };
            store.write_digest(company.id, &key, &data).await?;
            tracing::info!(company = company.id.0, %day, "daily digest written");
        }
        done.insert((company.id, day));
    }
    Ok(())
}
