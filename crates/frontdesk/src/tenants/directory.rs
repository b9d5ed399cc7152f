use crate::domain::{BranchContext, PhoneNumber};
use std::collections::HashMap;
use std::sync::Arc;

/// In-memory map from a dialled number to its branch and company: the hot path's tenant lookup.
#[derive(Debug, Default)]
pub struct TenantDirectory {
    by_number: HashMap<String, Arc<BranchContext>>,
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
        Self { by_number, branches }
    }

    /// The branch a number rings, if any.
    pub fn resolve(&self, number: &PhoneNumber) -> Option<&Arc<BranchContext>> {
        self.by_number.get(number.as_str())
    }

    /// All branches, for prefetching and listings.
    pub fn branches(&self) -> &[Arc<BranchContext>] {
        &self.branches
    }
}
