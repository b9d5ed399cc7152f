//! Domain types: values that can only exist in a valid form, built by parsing.

mod calendar_kind;
mod closures;
pub mod holidays;
mod ids;
mod language;
mod local_time;
mod opening_hours;
mod operator;
mod phone;
mod schedule;
mod secret;
mod service_match;
mod settings_problem;
mod tenant;

pub use calendar_kind::CalendarKind;
pub use closures::{Closed, DayRange};
pub use holidays::Region;
pub use ids::{AbsenceId, AppointmentId, BranchId, CompanyId, CustomerId};
pub use language::Language;
pub use local_time::{local_instant, start_of};
pub use opening_hours::{OpeningHours, TimeRange};
pub use operator::{NewPassword, OperatorEmail, Role};
pub use phone::{mask as mask_phone, Country, PhoneNumber};
pub use schedule::{
    check_phases, clean_reason, Absence, AbsenceSpan, Phase, Resource, DEFAULT_NOTICE_MINUTES,
    DEFAULT_SLOT_INTERVAL_MINUTES, MAX_BUFFER_MINUTES, MAX_CAPACITY, MAX_NOTICE_MINUTES,
};
pub use secret::{EmptySecret, Secret};
pub use service_match::ServiceMatch;
pub use settings_problem::{SettingsFault, SettingsProblem};
pub use tenant::{Branch, BranchContext, Company, Limits, Service, ServiceId, Staff, StaffId};
