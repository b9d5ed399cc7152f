//! Retell provisioning (DESIGN §16): a branch's LLM (prompt and tools of `retell-agent`), its agent
//! and each of its numbers, created or updated through Retell's API with the company's key. Every
//! id is stored the moment Retell gives it, so a second run updates and never creates twice, and a
//! run that failed half-way is completed by the next.

use super::OnboardingError;
use crate::app::AppState;
use crate::domain::{BranchContext, BranchId, Secret};
use crate::functions::{retell_agent, ToolsFor};
use crate::retell::{RetellApi, RetellError};
use crate::store::{RetellProvision, Store};
use crate::tenants::LiveTenants;
use chrono::{DateTime, SubsecRound, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// How long a run may hold its branch (its Retell requests time out well within it); a run that
/// dies frees the branch when it has passed.
const CLAIM_SECS: i64 = 120;
/// How long a run waits for another run of the same branch to end before it gives up.
const CLAIM_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Everything provisioning needs, from the running service or from the command line.
#[derive(Debug, Clone)]
pub struct Provisioner {
    /// Where the ids are kept.
    pub store: Store,
    /// Retell's API.
    pub api: RetellApi,
    /// This frontdesk's public URL (the tools', webhook's and inbound URLs' host).
    pub base_url: String,
    /// The service's own Retell key, for companies without their own.
    pub fallback_key: Option<Secret>,
    /// The live directory (in the service): a run provisions the branch as it is when the run
    /// starts, not as its caller saw it before waiting for another run (the command line, which
    /// has just read the branch, passes `None`).
    pub directory: Option<LiveTenants>,
}

/// A run's claim on its branch: released when the run ends, and if the run never gets there (a
/// caller who hung up and dropped the request, a panic), when it is dropped.
struct Claim {
    store: Store,
    branch: BranchId,
    until: DateTime<Utc>,
    released: bool,
}

impl Claim {
    /// Ends the claim before the answer (a command line process may exit right after it).
    async fn release(mut self) {
        self.released = true;
        release(&self.store, self.branch, self.until).await;
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if !self.released {
            let (store, branch, until) = (self.store.clone(), self.branch, self.until);
            tokio::spawn(async move { release(&store, branch, until).await });
        }
    }
}

/// Ends a claim; when it cannot, the claim ends by itself after [`CLAIM_SECS`].
async fn release(store: &Store, branch: BranchId, until: DateTime<Utc>) {
    if let Err(error) = store.release_retell_provision(branch, until).await {
        tracing::warn!(branch = branch.0, %error, "Retell provisioning claim not released");
    }
}

/// Where a branch stands with Retell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvisionState {
    /// Never provisioned.
    None,
    /// Retell has the current definition and every number is bound.
    Provisioned,
    /// Services, staff, numbers or the public URL changed since.
    Outdated,
    /// The last run failed with Retell's words.
    Failed(String),
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The branch's LLM.
    pub llm_id: String,
    /// The branch's agent.
    pub agent_id: String,
    /// Its numbers, bound to the agent.
    pub numbers: Vec<String>,
    /// What was created (`llm`, `agent`).
    pub created: Vec<&'static str>,
    /// What was updated (`llm`, `agent`, `number`).
    pub updated: Vec<&'static str>,
}

impl Provisioner {
    /// The running service's provisioner; refuses without `FRONTDESK_PUBLIC_URL` (no placeholder
    /// host ever reaches Retell).
    pub fn of(state: &AppState) -> Result<Self, OnboardingError> {
        let base_url = state.console().public_url.clone().ok_or_else(|| {
            OnboardingError::Invalid("set FRONTDESK_PUBLIC_URL: Retell must be told where this service is".into())
        })?;
        Ok(Self {
            store: state.backends().store.clone(),
            api: RetellApi::new(&state.console().retell_base_url),
            base_url,
            fallback_key: Some(state.retell_key().clone()),
            directory: Some(state.tenants().clone()),
        })
    }

    /// The definition Retell should have of a branch: LLM, agent (without its LLM id) and the
    /// numbers' inbound settings, all under this service's URL.
    pub fn definition(&self, ctx: &BranchContext) -> Value {
        let audience = ToolsFor::of_branch(ctx);
        let mut definition = retell_agent(&self.base_url, &format!("{} · {}", ctx.company.name, ctx.branch.name), &audience);
        definition["numbers"] = json!(ctx.branch.phone_numbers.iter().map(|n| n.as_str()).collect::<Vec<_>>());
        definition
    }

    /// Where the branch stands: compares what is stored with what it should be now.
    pub fn state(&self, ctx: &BranchContext, record: &RetellProvision) -> ProvisionState {
        if let Some(error) = &record.error {
            return ProvisionState::Failed(error.clone());
        }
        match &record.provisioned_digest {
            None if record.llm_id.is_none() => ProvisionState::None,
            Some(digest) if *digest == digest_of(&self.definition(ctx)) => ProvisionState::Provisioned,
            _ => ProvisionState::Outdated,
        }
    }

    /// Creates or updates the branch at Retell; a second run with nothing changed sends nothing.
    /// One run of a branch at a time across every instance and the command line (a settings change
    /// racing a button press must not create the same agent twice): a run waits for another's end.
    pub async fn provision(&self, ctx: &BranchContext) -> Result<Report, OnboardingError> {
        let claim = self.claim(ctx.branch.id).await?;
        let result = match &self.directory {
            Some(directory) => match directory.directory().branch(ctx.branch.id).cloned() {
                Some(current) => self.provision_claimed(&current).await,
                None => Err(OnboardingError::NotFound),
            },
            None => self.provision_claimed(ctx).await,
        };
        claim.release().await;
        result
    }

    /// Claims the branch, waiting up to [`CLAIM_WAIT`] for another run of it to end.
    async fn claim(&self, branch: BranchId) -> Result<Claim, OnboardingError> {
        let waited_until = tokio::time::Instant::now() + CLAIM_WAIT;
        loop {
            let now = Utc::now();
            // whole seconds: the release finds the claim by this value, and PostgreSQL keeps microseconds
            let until = (now + chrono::Duration::seconds(CLAIM_SECS)).trunc_subsecs(0);
            if self.store.claim_retell_provision(branch, now, until).await? {
                return Ok(Claim { store: self.store.clone(), branch, until, released: false });
            }
            if tokio::time::Instant::now() >= waited_until {
                return Err(OnboardingError::Conflict("another provisioning of this branch is still running; try again in a minute".into()));
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }

    /// [`Provisioner::provision`] once the branch is claimed.
    async fn provision_claimed(&self, ctx: &BranchContext) -> Result<Report, OnboardingError> {
        let key = ctx.company.retell_api_key.clone().or_else(|| self.fallback_key.clone()).ok_or_else(|| {
            OnboardingError::Invalid(format!("company {:?} has no retell_api_key", ctx.company.name))
        })?;
        let definition = self.definition(ctx);
        let digest = digest_of(&definition);
        let mut record = self.store.retell_provision(ctx.branch.id).await?;
        if record.provisioned_digest.as_deref() == Some(digest.as_str()) && record.error.is_none() {
            return Ok(Report {
                llm_id: record.llm_id.unwrap_or_default(),
                agent_id: record.agent_id.unwrap_or_default(),
                numbers: record.bound_numbers,
                ..Report::default()
            });
        }
        let mut report = Report::default();
        let result = self.steps(&key, ctx, &definition, &mut record, &mut report).await;
        match result {
            Ok(()) => {
                record.provisioned_digest = Some(digest);
                record.error = None;
            }
            Err(ref error) => record.error = Some(error.to_string()),
        }
        self.store.save_retell_provision(ctx.branch.id, &record, Utc::now()).await?;
        match result {
            Ok(()) => {
                tracing::info!(branch = ctx.branch.id.0, created = ?report.created, updated = ?report.updated, "Retell provisioned");
                Ok(report)
            }
            Err(error) if error.is_unauthorized() => {
                Err(OnboardingError::Invalid(format!("Retell refused the company's key: {}", error.message)))
            }
            Err(error) => Err(OnboardingError::Upstream(error.to_string())),
        }
    }

    /// LLM, agent, numbers, in this order; each id saved as soon as Retell gives it.
    async fn steps(
        &self,
        key: &Secret,
        ctx: &BranchContext,
        definition: &Value,
        record: &mut RetellProvision,
        report: &mut Report,
    ) -> Result<(), RetellError> {
        let save = |record: RetellProvision| {
            let store = self.store.clone();
            async move {
                store.save_retell_provision(ctx.branch.id, &record, Utc::now()).await.map_err(not_saved)
            }
        };
        let llm = &definition["retell_llm"];
        let llm_id = match record.llm_id.clone() {
            Some(id) if self.updated(self.api.update_llm(key, &id, llm).await)? => {
                report.updated.push("llm");
                id
            }
            // Never created, or deleted at Retell since: created (again).
            _ => {
                let id = self.api.create_llm(key, llm).await?;
                report.created.push("llm");
                record.llm_id = Some(id.clone());
                save(record.clone()).await?;
                id
            }
        };
        let mut agent = definition["agent"].clone();
        agent["response_engine"] = json!({"type": "retell-llm", "llm_id": llm_id});
        let agent_id = match record.agent_id.clone() {
            Some(id) if self.updated(self.api.update_agent(key, &id, &agent).await)? => {
                report.updated.push("agent");
                id
            }
            _ => {
                let id = self.api.create_agent(key, &agent).await?;
                report.created.push("agent");
                record.agent_id = Some(id.clone());
                record.bound_numbers.clear();
                save(record.clone()).await?;
                id
            }
        };
        // Web calls and dashboard test calls carry only the agent: it names this branch.
        self.store.add_branch_agent(ctx.branch.id, &agent_id).await.map_err(not_saved)?;
        // `inbound_agents` (weighted): retell-sdk 5 no longer has the deprecated `inbound_agent_id`.
        let binding = json!({
            "inbound_agents": [{"agent_id": agent_id, "weight": 1}],
            "inbound_webhook_url": definition["phone_number"]["inbound_webhook_url"],
        });
        record.bound_numbers.retain(|n| ctx.branch.phone_numbers.iter().any(|p| p.as_str() == n));
        for number in &ctx.branch.phone_numbers {
            self.api.update_phone_number(key, number.as_str(), &binding).await?;
            report.updated.push("number");
            if !record.bound_numbers.iter().any(|n| n == number.as_str()) {
                record.bound_numbers.push(number.as_str().to_string());
                save(record.clone()).await?;
            }
        }
        report.llm_id = llm_id;
        report.agent_id = agent_id;
        report.numbers = record.bound_numbers.clone();
        Ok(())
    }

    /// An update's outcome: done (`true`), gone at Retell (`false`: create it again), or failed.
    fn updated(&self, result: Result<(), RetellError>) -> Result<bool, RetellError> {
        match result {
            Ok(()) => Ok(true),
            Err(error) if error.status == Some(404) => Ok(false),
            Err(error) => Err(error),
        }
    }
}

/// A database failure while recording what Retell has: the run stops as failed, and the next
/// completes it.
fn not_saved(error: crate::store::StoreError) -> RetellError {
    RetellError { action: "save", status: None, message: format!("the database did not take the id: {error}") }
}

/// The digest of a definition: what "changed since" compares.
fn digest_of(definition: &Value) -> String {
    hex::encode(Sha256::digest(definition.to_string().as_bytes()))
}

/// After a change to a branch (services, staff, numbers): a branch already provisioned is
/// brought up to date in the background; one never provisioned is left alone.
pub fn after_change(state: &AppState, branch: BranchId) {
    let state = state.clone();
    tokio::spawn(async move {
        let store = &state.backends().store;
        let provisioned = match store.retell_provision(branch).await {
            Ok(record) => record.llm_id.is_some(),
            Err(error) => {
                tracing::warn!(%error, "Retell provisioning state unreadable");
                return;
            }
        };
        let ctx = state.directory().branch(branch).cloned();
        let (true, Some(ctx)) = (provisioned, ctx) else { return };
        match Provisioner::of(&state) {
            Ok(provisioner) => {
                if let Err(error) = provisioner.provision(&ctx).await {
                    tracing::warn!(branch = branch.0, %error, "Retell update after a settings change failed");
                }
            }
            Err(error) => tracing::warn!(branch = branch.0, %error, "Retell not updated"),
        }
    });
}

/// Brings every provisioned branch whose definition moved on (or whose last run failed) up to
/// date at Retell, in the background, one after the other: after a re-import of the tenants file
/// (which changes branches without naming them) and at start (a changed file imported, a new
/// public URL, a new version's tools). On several instances the claim and the digest make the
/// second sweep send nothing.
pub fn bring_up_to_date(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let store = &state.backends().store;
        let branches = match store.provisioned_branches().await {
            Ok(branches) => branches,
            Err(error) => return tracing::warn!(%error, "Retell provisioning state unreadable"),
        };
        if branches.is_empty() {
            return;
        }
        let provisioner = match Provisioner::of(&state) {
            Ok(provisioner) => provisioner,
            Err(error) => return tracing::warn!(%error, branches = branches.len(), "provisioned branches not brought up to date"),
        };
        for branch in branches {
            let Some(ctx) = state.directory().branch(branch).cloned() else { continue };
            let record = match store.retell_provision(branch).await {
                Ok(record) => record,
                Err(error) => {
                    tracing::warn!(branch = branch.0, %error, "Retell provisioning state unreadable");
                    continue;
                }
            };
            if provisioner.state(&ctx, &record) == ProvisionState::Provisioned {
                continue;
            }
            if let Err(error) = provisioner.provision(&ctx).await {
                tracing::warn!(branch = branch.0, %error, "Retell not brought up to date");
            }
        }
    });
}
