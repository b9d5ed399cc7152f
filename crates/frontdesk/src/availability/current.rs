//! Which settings a window is fetched with: the branch as the live directory holds it when the
//! fetch runs, not as the request that started it saw it.
//!
//! Why: a request resolves its branch, then the owner saves new hours (the directory is swapped and
//! the branch's windows evicted), then the request's read misses and fetches — under the new
//! generation, so the cache keeps the result. Fetched with the request's copy, that window would
//! hold the old hours until it expires, and its stored fetcher would refresh it with them again.

use crate::domain::{BranchContext, BranchId};
use std::sync::{Arc, OnceLock};

/// The branch with this id as the directory holds it now (`None` once it is gone).
pub type BranchLookup = Arc<dyn Fn(BranchId) -> Option<Arc<BranchContext>> + Send + Sync>;

/// The live directory's lookup, set once when the directory starts following changes; shared by
/// every clone of the engine.
#[derive(Clone, Default)]
pub struct CurrentBranches(Arc<OnceLock<BranchLookup>>);

impl CurrentBranches {
    /// From now on, fetches read branches through `lookup` (a second call is ignored: one
    /// directory per engine).
    pub fn follow(&self, lookup: BranchLookup) {
        let _ = self.0.set(lookup);
    }

    /// The settings to fetch `seen`'s windows with: the directory's current copy of the branch,
    /// `None` when it was deleted; `seen` itself when no directory is followed (tools, unit tests).
    pub fn of(&self, seen: &Arc<BranchContext>) -> Option<Arc<BranchContext>> {
        match self.0.get() {
            Some(lookup) => lookup(seen.branch.id),
            None => Some(seen.clone()),
        }
    }
}

impl std::fmt::Debug for CurrentBranches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CurrentBranches").field("following", &self.0.get().is_some()).finish()
    }
}
