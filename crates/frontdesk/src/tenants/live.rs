//! The tenant directory while the service runs: the database is the source of truth, the
//! directory its in-memory copy. A settings change or a re-import reloads it here and, through
//! Redis, on every other instance; each instance then drops the changed branches' windows.

use super::TenantDirectory;
use crate::availability::Availability;
use crate::broadcast::Broadcast;
use crate::domain::BranchContext;
use crate::store::{Store, StoreError};
use arc_swap::{ArcSwap, Guard};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What changed: one branch's settings, or everything (a re-import of the tenants file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Changed {
    /// One branch (services, staff, hours, closures).
    Branch(crate::domain::BranchId),
    /// Every company.
    All,
}

/// The directory every request reads, swapped whole on a change (readers never wait).
#[derive(Clone, Debug)]
pub struct LiveTenants(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    directory: Arc<ArcSwap<TenantDirectory>>,
    store: Store,
    availability: Availability,
    broadcast: Option<Broadcast>,
    /// One reload at a time: two racing reloads must not swap in the older copy last.
    reloading: tokio::sync::Mutex<()>,
}

impl LiveTenants {
    /// Starts from a loaded directory; with `broadcast`, changes reach the other instances.
    pub fn new(
        directory: TenantDirectory,
        store: Store,
        availability: Availability,
        broadcast: Option<Broadcast>,
    ) -> Self {
        let directory = Arc::new(ArcSwap::from_pointee(directory));
        let current = directory.clone();
        availability.follow_directory(Arc::new(move |id| current.load().branch(id).cloned()));
        Self(Arc::new(Inner {
            directory,
            store,
            availability,
            broadcast,
            reloading: tokio::sync::Mutex::new(()),
        }))
    }

    /// The current directory (a cheap snapshot; hold it only for one request).
    pub fn directory(&self) -> Guard<Arc<TenantDirectory>> {
        self.0.directory.load()
    }

    /// Applies a change saved in the database here, then announces it to the other instances.
    pub async fn changed(&self, what: Changed) -> Result<(), StoreError> {
        self.reload(what).await?;
        if let Some(broadcast) = &self.0.broadcast {
            broadcast.publish(serde_json::to_string(&what).expect("a change serializes"));
        }
        Ok(())
    }

    /// Reloads the directory from the database and drops the windows of what changed.
    pub async fn reload(&self, what: Changed) -> Result<(), StoreError> {
        let _one_at_a_time = self.0.reloading.lock().await;
        let branches = self.0.store.load_branches_at(self.0.availability.now()).await?;
        let fresh = Arc::new(TenantDirectory::new(branches));
        let old = self.0.directory.swap(fresh.clone());
        let affected = |ctx: &&Arc<BranchContext>| match what {
            Changed::Branch(id) => ctx.branch.id == id,
            Changed::All => true,
        };
        // The old copy's keys too: a removed service's windows must not linger.
        for ctx in old.branches().iter().filter(affected).chain(fresh.branches().iter().filter(affected)) {
            self.0.availability.evict_branch(ctx);
        }
        tracing::info!(?what, branches = fresh.branches().len(), "tenant directory reloaded");
        Ok(())
    }

    /// Follows the other instances' changes until the process ends.
    pub async fn follow(&self) -> redis::RedisResult<()> {
        let Some(broadcast) = &self.0.broadcast else { return Ok(()) };
        let me = self.clone();
        broadcast
            .subscribe(move |payload| match serde_json::from_str::<Changed>(payload) {
                Ok(what) => {
                    let me = me.clone();
                    tokio::spawn(async move {
                        if let Err(error) = me.reload(what).await {
                            tracing::error!(%error, "tenant directory could not be reloaded");
                        }
                    });
                }
                Err(error) => tracing::warn!(%error, "unreadable tenants message"),
            })
            .await
    }
}
