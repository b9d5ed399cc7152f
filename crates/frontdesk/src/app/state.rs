use crate::clock::Clock;
use crate::configuration::Secret;
use crate::domain::{BranchContext, CompanyId};
use crate::functions::Backends;
use crate::retell::CallInfo;
use crate::store::{AuditLog, CallRecord};
use crate::tenants::{LiveTenants, TenantDirectory};
use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;

/// Everything handlers share, behind one `Arc`.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

/// What [`AppState::new`] is built from.
#[derive(Debug)]
pub struct AppStateParts {
    /// Verifies Retell signatures.
    pub retell_key: Secret,
    /// Dialled number → branch, in memory, reloaded when settings change.
    pub tenants: LiveTenants,
    /// Storage and calendars.
    pub backends: Backends,
    /// Now.
    pub clock: Arc<dyn Clock>,
    /// Function-call audit trail.
    pub audit: AuditLog,
    /// Prometheus renderer.
    pub metrics: PrometheusHandle,
    /// Verifies Cal.com webhooks; webhooks are refused while unset.
    pub calcom_webhook_secret: Option<Secret>,
    /// What the operator console needs besides the above.
    pub console: ConsoleParts,
    /// SMS: the service's account, whose token also verifies the SMS webhooks.
    pub sms: crate::configuration::SmsSection,
}

/// The operator console's settings and views into the running service.
#[derive(Debug, Default)]
pub struct ConsoleParts {
    /// `FRONTDESK_ADMIN_TOKEN`: bearer token for the JSON API (all companies).
    pub admin_token: Option<Secret>,
    /// `FRONTDESK_PUBLIC_URL`: the Retell URLs shown; `https://` makes session cookies `Secure`.
    pub public_url: Option<String>,
    /// `FRONTDESK_TENANTS`: re-imported by `POST /admin/api/tenants/reload`.
    pub tenants_file: Option<std::path::PathBuf>,
    /// The Cal.com client, for its request counts and breakers.
    pub calcom: Option<Arc<crate::calendar::calcom::CalcomClient>>,
    /// The last hour's latencies per function (fed by the audit writer).
    pub board: Arc<crate::latency_board::LatencyBoard>,
    /// `FRONTDESK_CALENDAR`: the calendar of companies that name none.
    pub default_calendar: crate::domain::CalendarKind,
    /// `FRONTDESK_CALCOM_API_KEY`: the Cal.com key of companies without their own.
    pub calcom_default_key: Option<Secret>,
    /// `FRONTDESK_RETELL_BASE_URL`: where provisioning reaches Retell.
    pub retell_base_url: String,
}

/// Memory for the calls already recorded, in bytes (about 40,000 calls of Retell's id length).
const RECORDED_CALLS_BYTES: u64 = 4 * 1024 * 1024;
/// What one entry costs besides its id.
const RECORDED_CALL_OVERHEAD: usize = 64;

#[derive(Debug)]
struct Inner {
    parts: AppStateParts,
    /// Calls already written to the database, so each call costs one write, not one per question;
    /// by company and call id, as the rows are.
    recorded_calls: quick_cache::sync::Cache<(CompanyId, String), i64, RecordedCallWeight>,
}

/// What a recorded call costs in memory: its id and the entry around it.
#[derive(Debug, Clone)]
struct RecordedCallWeight;

impl quick_cache::Weighter<(CompanyId, String), i64> for RecordedCallWeight {
    fn weight(&self, (_, id): &(CompanyId, String), _: &i64) -> u64 {
        (id.len() + RECORDED_CALL_OVERHEAD) as u64
    }
}

/// A recorded call's key borrowed from the payload: looked up without copying the id. Hashes as
/// the owned tuple does (each part in order).
#[derive(Hash)]
struct CallKey<'a>(CompanyId, &'a str);

impl quick_cache::Equivalent<(CompanyId, String)> for CallKey<'_> {
    fn equivalent(&self, (company, id): &(CompanyId, String)) -> bool {
        self.0 == *company && self.1 == id
    }
}

impl AppState {
    /// Builds the shared state.
    pub fn new(parts: AppStateParts) -> Self {
        // Every function call looks here first, so the lookup must cost the same every time:
        // quick_cache evicts on insert (CLOCK-Pro), with no upkeep batched onto every 64th read as
        // moka does (measured: moka's p99 read 1.9 µs, quick_cache's 0.05 µs). Ended calls are
        // never asked again and so leave first; forgetting a live one only costs one idempotent
        // upsert. Bounded by bytes (ids are bounded too), not by entries.
        let recorded_calls = quick_cache::sync::Cache::with_weighter(
            (RECORDED_CALLS_BYTES / (32 + RECORDED_CALL_OVERHEAD as u64)) as usize,
            RECORDED_CALLS_BYTES,
            RecordedCallWeight,
        );
        Self(Arc::new(Inner { parts, recorded_calls }))
    }

    /// The SMS settings.
    pub fn sms(&self) -> &crate::configuration::SmsSection {
        &self.0.parts.sms
    }

    /// The Retell signing key.
    pub fn retell_key(&self) -> &Secret {
        &self.0.parts.retell_key
    }

    /// The tenant directory as it is now.
    pub fn directory(&self) -> arc_swap::Guard<Arc<TenantDirectory>> {
        self.0.parts.tenants.directory()
    }

    /// The live tenants (reload after a settings change).
    pub fn tenants(&self) -> &LiveTenants {
        &self.0.parts.tenants
    }

    /// The console's settings.
    pub fn console(&self) -> &ConsoleParts {
        &self.0.parts.console
    }

    /// Storage and calendars.
    pub fn backends(&self) -> &Backends {
        &self.0.parts.backends
    }

    /// Now.
    pub fn now(&self) -> DateTime<Utc> {
        self.0.parts.clock.now()
    }

    /// The audit trail.
    pub fn audit(&self) -> &AuditLog {
        &self.0.parts.audit
    }

    /// The Cal.com webhook secret.
    pub fn calcom_webhook_secret(&self) -> Option<&Secret> {
        self.0.parts.calcom_webhook_secret.as_ref()
    }

    /// Prometheus text.
    pub fn render_metrics(&self) -> String {
        // Sizes are read when asked for, not tracked on every change.
        if let Some((bytes, windows)) = self.backends().availability.cache_size() {
            metrics::gauge!(crate::telemetry::WINDOW_CACHE_BYTES).set(bytes as f64);
            metrics::gauge!(crate::telemetry::WINDOW_CACHE_WINDOWS).set(windows as f64);
        }
        self.0.parts.metrics.render()
    }

    /// The call's database id, writing the row from the payload the first time the call is seen.
    /// A failed write is logged and the call answered anyway: the caller must not wait on it.
    pub async fn record_call(&self, tenant: &BranchContext, call: &CallInfo, now: DateTime<Utc>) -> Option<i64> {
        let company = tenant.company.id;
        if let Some(id) = self.0.recorded_calls.get(&CallKey(company, &call.call_id)) {
            return Some(id);
        }
        let record = CallRecord {
            retell_call_id: call.call_id.clone(),
            company_id: tenant.company.id,
            branch_id: tenant.branch.id,
            agent_id: call.agent_id.clone(),
            from_number: call.from_number.clone(),
            to_number: call.to_number.clone(),
            direction: call.direction.as_str().to_string(),
            status: "ongoing".to_string(),
            started_at: now,
        };
        match self.backends().store.upsert_call(&record).await {
            Ok(Some(id)) => {
                self.0.recorded_calls.insert((company, call.call_id.clone()), id);
                Some(id)
            }
            Ok(None) => {
                // Retell's ids are unique: another company's id here is forged or a gross mistake.
                // Answered without a call row (nothing of that call is read or written).
                tracing::warn!(call_id = %call.call_id, company = company.0, "call id belongs to another company");
                None
            }
            Err(error) => {
                tracing::error!(%error, call_id = %call.call_id, "call row could not be written");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_call_is_found_by_its_borrowed_key_and_only_for_its_company() {
        // The borrowed key must hash as the owned one does, or every question of a call would
        // miss the memo and write the call's row again.
        let recorded = quick_cache::sync::Cache::with_weighter(16, RECORDED_CALLS_BYTES, RecordedCallWeight);
        recorded.insert((CompanyId(1), "call_a".to_string()), 7);
        assert_eq!(recorded.get(&CallKey(CompanyId(1), "call_a")), Some(7));
        assert_eq!(recorded.get(&CallKey(CompanyId(2), "call_a")), None);
        assert_eq!(recorded.get(&CallKey(CompanyId(1), "call_b")), None);
    }
}
