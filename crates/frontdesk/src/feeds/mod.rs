//! Calendar feeds (DESIGN §12): a secret URL per branch and per staff member, serving the next
//! 60 days as RFC 5545 so that phones subscribe to the business's day.

pub mod ics;

use crate::domain::BranchContext;
use crate::store::{FeedScope, Store, StoreError};
use chrono::{DateTime, Utc};

/// How far ahead a feed reaches.
pub const FEED_DAYS: i64 = 60;

/// One feed URL as `frontdesk feeds` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedUrl {
    /// "Company / Branch" or "Company / Branch / Staff".
    pub label: String,
    /// `<base>/feeds/<token>.ics`.
    pub url: String,
    /// Whether the token was made (or replaced) just now.
    pub new: bool,
}

/// A fresh feed token: 192 random bits, URL-safe.
fn new_token() -> String {
    hex::encode(rand::random::<[u8; 24]>())
}

/// Ensures a live token for every branch and staff member (replacing them all with `rotate`) and
/// returns their URLs under `base_url`.
pub async fn issue(
    store: &Store,
    branches: &[BranchContext],
    base_url: &str,
    rotate: bool,
    now: DateTime<Utc>,
) -> Result<Vec<FeedUrl>, StoreError> {
    let base_url = base_url.trim_end_matches('/');
    let mut urls = Vec::new();
    for ctx in branches {
        let whole = (format!("{} / {}", ctx.company.name, ctx.branch.name), None);
        let people = ctx.branch.staff.iter().map(|s| (format!("{} / {} / {}", ctx.company.name, ctx.branch.name, s.name), Some(s.id.0)));
        for (label, staff_id) in std::iter::once(whole).chain(people) {
            let scope = FeedScope { company_id: ctx.company.id, branch_id: ctx.branch.id, staff_id };
            let (token, new) = match store.feed_token(ctx.branch.id, staff_id).await? {
                Some(token) if !rotate => (token, false),
                _ => {
                    let token = new_token();
                    store.put_feed_token(scope, &token, now).await?;
                    (token, true)
                }
            };
            urls.push(FeedUrl { label, url: format!("{base_url}/feeds/{token}.ics"), new });
        }
    }
    Ok(urls)
}
