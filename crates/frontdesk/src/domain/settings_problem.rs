//! What is wrong with a branch's settings, typed: the tenants file names it in English (its
//! `Display`), the console in the owner's language (the phrasebook's `settings_problem`).

use super::schedule::{MAX_BUFFER_MINUTES, MAX_CAPACITY, MAX_NOTICE_MINUTES};

/// One thing wrong with a branch's settings, and what (the service, person, resource) it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsProblem {
    /// The name of what it is about: a service, staff member, resource, number or agent id.
    pub subject: String,
    /// What is wrong with it.
    pub fault: SettingsFault,
}

/// What can be wrong with a branch's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsFault {
    /// A phone number is used twice (the subject is it, masked).
    NumberTwice,
    /// A service name appears twice.
    ServiceTwice,
    /// A service's length is outside 1..=1440 minutes.
    Duration,
    /// A service of a Cal.com branch has no event type.
    EventTypeMissing,
    /// A set-up or clean-up time is over the limit.
    Buffer(u32),
    /// A service needs a resource the branch does not have.
    UnknownResource(String),
    /// A notice is over the limit.
    Notice(u32),
    /// A slot interval is outside 5..=240 minutes.
    Interval(u32),
    /// A phase of no minutes.
    EmptyPhase,
    /// Phases without a work phase.
    NoWorkPhase,
    /// Phases that do not add up to the service's length.
    PhasesSum {
        /// Their sum.
        total: u32,
        /// The service's length.
        duration: u32,
    },
    /// A resource without a name, or with one over 60 characters.
    ResourceName,
    /// A resource's count outside 1..=100.
    Capacity(u32),
    /// A resource name appears twice.
    ResourceTwice,
    /// A staff member performs a service the branch does not offer.
    UnknownService(String),
    /// A staff member has a Cal.com event type for a service they do not perform.
    EventTypeNotPerformed(String),
    /// Not a Retell agent id.
    AgentId,
    /// A value that did not parse (numbers, hours, closures: the settings form reads those in
    /// the owner's words before; only a hand-edited file reaches this), in English.
    Unreadable(String),
}

impl SettingsProblem {
    /// A problem with `subject`.
    pub fn new(subject: impl Into<String>, fault: SettingsFault) -> Self {
        Self { subject: subject.into(), fault }
    }
}

impl std::fmt::Display for SettingsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.subject;
        match &self.fault {
            SettingsFault::NumberTwice => write!(f, "phone number {s} is used twice"),
            SettingsFault::ServiceTwice => write!(f, "service {s:?} appears twice"),
            SettingsFault::Duration => write!(f, "service {s:?}: duration_minutes must be 1..1440"),
            SettingsFault::EventTypeMissing => write!(f, "service {s:?}: calcom_event_type_id is required for Cal.com"),
            SettingsFault::Buffer(n) => write!(f, "service {s:?}: buffers must be 0..={MAX_BUFFER_MINUTES}, not {n}"),
            SettingsFault::UnknownResource(r) => write!(f, "service {s:?}: needs resource {r:?}, which the branch does not have"),
            SettingsFault::Notice(n) => write!(f, "service {s:?}: min_notice_minutes must be 0..={MAX_NOTICE_MINUTES}, not {n}"),
            SettingsFault::Interval(n) => write!(f, "service {s:?}: slot_interval_minutes must be 5..=240, not {n}"),
            SettingsFault::EmptyPhase => write!(f, "service {s:?}: every phase must last at least one minute"),
            SettingsFault::NoWorkPhase => write!(f, "service {s:?}: phases need at least one work phase"),
            SettingsFault::PhasesSum { total, duration } => {
                write!(f, "service {s:?}: the phases add up to {total} minutes, but the service lasts {duration}")
            }
            SettingsFault::ResourceName => write!(f, "resource {s:?}: a resource needs a name of 1 to 60 characters"),
            SettingsFault::Capacity(n) => write!(f, "resource {s:?}: capacity must be 1..={MAX_CAPACITY}, not {n}"),
            SettingsFault::ResourceTwice => write!(f, "resource {s:?} appears twice"),
            SettingsFault::UnknownService(service) => write!(f, "staff {s:?} performs unknown service {service:?}"),
            SettingsFault::EventTypeNotPerformed(service) => {
                write!(f, "staff {s:?} has a Cal.com event type for {service:?}, which they do not perform")
            }
            SettingsFault::AgentId => write!(f, "retell_agent_ids: {s:?} is not a Retell agent id"),
            SettingsFault::Unreadable(why) => write!(f, "{why}"),
        }
    }
}
