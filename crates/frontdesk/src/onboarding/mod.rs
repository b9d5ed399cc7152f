//! Onboarding many businesses (DESIGN §16): companies, branches and logins written through the
//! API by the tenants file's rules, the whole state exported as a tenants file, Cal.com connected
//! and the Retell agent provisioned by frontdesk itself.

pub mod calcom_connect;
pub mod companies;
pub mod export;
pub mod invites;
pub mod merge_patch;
pub mod retell;

use crate::store::{StoreError, TenantWriteError, UpcomingAppointment};

/// Why an onboarding step was refused; nothing was written when it is returned.
#[derive(Debug, thiserror::Error)]
pub enum OnboardingError {
    /// The input breaks a rule of the tenants file (or does not parse).
    #[error("{0}")]
    Invalid(String),
    /// A name, number or agent already belongs to another company or branch.
    #[error("{0}")]
    Conflict(String),
    /// Appointments still to come stand in the way.
    #[error("{} appointment(s) still to come; cancel or move them first", .0.len())]
    Upcoming(Vec<UpcomingAppointment>),
    /// No such company, branch or login (or another company's).
    #[error("not found")]
    NotFound,
    /// An outside service (Cal.com, Retell) refused or did not answer; its words are kept.
    #[error("{0}")]
    Upstream(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<TenantWriteError> for OnboardingError {
    fn from(error: TenantWriteError) -> Self {
        match error {
            TenantWriteError::Conflict(why) => Self::Conflict(why),
            TenantWriteError::Upcoming(list) => Self::Upcoming(list),
            TenantWriteError::NotFound => Self::NotFound,
            TenantWriteError::Store(error) => Self::Store(error),
        }
    }
}
