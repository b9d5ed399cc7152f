//! Domain types: values that can only exist in a valid form, built by parsing.

mod calendar_kind;
mod closures;
pub mod holidays;
mod language;
mod local_time;
mod opening_hours;
mod operator;
mod phone;
mod secret;
mod service_match;
mod tenant;

pub use calendar_kind::CalendarKind;
pub use closures::{Closed, DayRange};
pub use holidays::Region;
pub use language::Language;
pub use local_time::{local_instant, start_of};
pub use opening_hours::{OpeningHours, TimeRange};
pub use operator::{NewPassword, OperatorEmail, Role};
pub use phone::{mask as mask_phone, PhoneNumber};
pub use secret::{EmptySecret, Secret};
pub use service_match::ServiceMatch;
pub use tenant::{Branch, BranchContext, Company, Limits, Service, ServiceId, Staff, StaffId};
