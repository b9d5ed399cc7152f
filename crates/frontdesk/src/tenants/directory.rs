//! The hot path's tenant lookup: a dialled number, or for web calls the agent, to its branch.

use crate::domain::{BranchContext, BranchId, CompanyId, PhoneNumber};
use std::collections::HashMap;
use std::sync::Arc;

/// In-memory maps from a dialled number, and from a Retell agent, to its branch and company.
#[derive(Debug, Default)]
pub struct TenantDirectory {
    by_number: HashMap<String, Arc<BranchContext>>,
    by_agent: HashMap<String, Arc<BranchContext>>,
    by_branch: HashMap<BranchId, Arc<BranchContext>>,
    by_company: HashMap<CompanyId, Vec<Arc<BranchContext>>>,
    branches: Vec<Arc<BranchContext>>,
}

impl TenantDirectory {
    /// Builds the directory from every branch of every company.
    pub fn new(branches: Vec<BranchContext>) -> Self {
        let branches: Vec<Arc<BranchContext>> = branches.into_iter().map(Arc::new).collect();
        let by_number = branches
            .iter()
            .flat_map(|ctx| ctx.branch.phone_numbers.iter().map(move |n| (n.as_str().to_string(), ctx.clone())))
            .collect();
        let by_agent = branches
            .iter()
            .flat_map(|ctx| ctx.branch.retell_agent_ids.iter().map(move |a| (a.clone(), ctx.clone())))
            .collect();
        let by_branch = branches.iter().map(|ctx| (ctx.branch.id, ctx.clone())).collect();
        let mut by_company: HashMap<CompanyId, Vec<Arc<BranchContext>>> = HashMap::new();
        for ctx in &branches {
            by_company.entry(ctx.company.id).or_default().push(ctx.clone());
        }
        Self { by_number, by_agent, by_branch, by_company, branches }
    }

    /// The branch with this id (console, feeds, webhooks: a lookup, not a scan of every tenant).
    pub fn branch(&self, id: BranchId) -> Option<&Arc<BranchContext>> {
        self.by_branch.get(&id)
    }

    /// A company's branches, in the order they were loaded (empty for an unknown company).
    pub fn of_company(&self, id: CompanyId) -> &[Arc<BranchContext>] {
        self.by_company.get(&id).map(Vec::as_slice).unwrap_or_default()
    }

    /// The branch a number rings, if any.
    pub fn resolve(&self, number: &PhoneNumber) -> Option<&Arc<BranchContext>> {
        self.by_number.get(number.as_str())
    }

    /// The branch of a call: by the business number when the call has one (phone calls), else by
    /// its agent (web calls from a website widget or Retell's dashboard carry no numbers).
    pub fn find(&self, number: Option<&PhoneNumber>, agent: Option<&str>) -> Option<&Arc<BranchContext>> {
        match number {
            Some(number) => self.resolve(number),
            None => agent.and_then(|a| self.by_agent.get(a)),
        }
    }

    /// All branches, for prefetching and listings.
    pub fn branches(&self) -> &[Arc<BranchContext>] {
        &self.branches
    }
}
