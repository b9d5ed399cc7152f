//! What Retell has recorded of each branch (its LLM, agent and bound numbers), so that the next
//! provisioning updates instead of creating twice, and completes what a failure interrupted.

use super::{on_pool, Store, StoreError};
use crate::domain::BranchId;
use chrono::{DateTime, Utc};

/// A branch's provisioning as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetellProvision {
    /// The LLM Retell created.
    pub llm_id: Option<String>,
    /// The agent Retell created.
    pub agent_id: Option<String>,
    /// Numbers whose inbound agent and webhook are set.
    pub bound_numbers: Vec<String>,
    /// Digest of the definition last provisioned completely.
    pub provisioned_digest: Option<String>,
    /// Retell's words when the last run failed.
    pub error: Option<String>,
    /// When it last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct ProvisionRow {
    llm_id: Option<String>,
    agent_id: Option<String>,
    bound_numbers: String,
    provisioned_digest: Option<String>,
    error: Option<String>,
    updated_at: DateTime<Utc>,
}

impl Store {
    /// What Retell has recorded of a branch (empty when never provisioned).
    pub async fn retell_provision(&self, branch: BranchId) -> Result<RetellProvision, StoreError> {
        let row: Option<ProvisionRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT llm_id, agent_id, bound_numbers, provisioned_digest, error, updated_at FROM retell_provisions WHERE branch_id = $1")
            .bind(branch).fetch_optional(pool).await?);
        Ok(row.map_or_else(RetellProvision::default, |row| RetellProvision {
            llm_id: row.llm_id,
            agent_id: row.agent_id,
            bound_numbers: serde_json::from_str(&row.bound_numbers).unwrap_or_default(),
            provisioned_digest: row.provisioned_digest,
            error: row.error,
            updated_at: Some(row.updated_at),
        }))
    }

    /// Saves a branch's provisioning as it stands (after every step, so an interruption keeps
    /// what Retell already has).
    pub async fn save_retell_provision(&self, branch: BranchId, provision: &RetellProvision, now: DateTime<Utc>) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO retell_provisions (branch_id, llm_id, agent_id, bound_numbers, provisioned_digest, error, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (branch_id) DO UPDATE SET llm_id = excluded.llm_id, agent_id = excluded.agent_id,
                bound_numbers = excluded.bound_numbers, provisioned_digest = excluded.provisioned_digest,
                error = excluded.error, updated_at = excluded.updated_at";
        on_pool!(self, pool => sqlx::query(SQL)
            .bind(branch)
            .bind(&provision.llm_id)
            .bind(&provision.agent_id)
            .bind(serde_json::to_string(&provision.bound_numbers).expect("strings serialize"))
            .bind(&provision.provisioned_digest)
            .bind(&provision.error)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The branches Retell has an LLM of (provisioned once, current or not).
    pub async fn provisioned_branches(&self) -> Result<Vec<BranchId>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar("SELECT branch_id FROM retell_provisions WHERE llm_id IS NOT NULL ORDER BY branch_id")
            .fetch_all(pool).await?))
    }

    /// Claims the branch's provisioning until `until` unless a run (on any instance, or the command
    /// line) holds a claim that has not expired; whether it was claimed.
    pub async fn claim_retell_provision(&self, branch: BranchId, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<bool, StoreError> {
        const SQL: &str = "INSERT INTO retell_provisions (branch_id, bound_numbers, updated_at, running_until) VALUES ($1, '[]', $2, $3)
            ON CONFLICT (branch_id) DO UPDATE SET running_until = excluded.running_until
            WHERE retell_provisions.running_until IS NULL OR retell_provisions.running_until < $2";
        let claimed = on_pool!(self, pool => sqlx::query(SQL).bind(branch).bind(now).bind(until).execute(pool).await?.rows_affected());
        Ok(claimed == 1)
    }

    /// Ends a run's claim on the branch: its own (`until`, as claimed), never a later run's that
    /// took over after it expired.
    pub async fn release_retell_provision(&self, branch: BranchId, until: DateTime<Utc>) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE retell_provisions SET running_until = NULL WHERE branch_id = $1 AND running_until = $2")
            .bind(branch).bind(until).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Names a Retell agent as the branch's (web and dashboard test calls carry only the agent).
    pub async fn add_branch_agent(&self, branch: BranchId, agent_id: &str) -> Result<(), StoreError> {
        let current: Option<String> = on_pool!(self, pool => sqlx::query_scalar("SELECT retell_agent_ids FROM branches WHERE id = $1")
            .bind(branch).fetch_optional(pool).await?);
        let mut agents: Vec<String> = current.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
        if agents.iter().any(|a| a == agent_id) {
            return Ok(());
        }
        agents.push(agent_id.to_string());
        on_pool!(self, pool => sqlx::query("UPDATE branches SET retell_agent_ids = $2 WHERE id = $1")
            .bind(branch).bind(serde_json::to_string(&agents).expect("strings serialize")).execute(pool).await.map(|_| ()))?;
        Ok(())
    }
}
