//! The Retell custom functions (DESIGN §7): each module turns typed arguments into a domain
//! question and the answer into a spoken [`Reply`].

mod agent;
mod appointment_view;
mod appointments;
mod args;
mod asked;
mod availability;
mod booking;
mod caller;
mod catalog;
mod collect;
mod context;
mod dates;
mod days_discussed;
mod reply;
mod tools;
mod waitlist;

pub use agent::retell_agent;
pub use context::{Backends, CallContext};
pub use days_discussed::DaysDiscussed;
pub use reply::{CacheUse, Reply, ReplyBody};
pub use tools::{retell_tools, ToolsFor};

use serde_json::value::RawValue;

/// A function frontdesk answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// Tenant, today, opening hours, the caller recognised.
    InitializeCall,
    /// Known caller? Name, upcoming appointments.
    CheckCustomer,
    /// Spoken date/time → ISO + confirmation.
    ParseDate,
    /// The branch's services.
    GetAvailableServices,
    /// One service in detail.
    GetServiceInfo,
    /// The branch's week.
    GetOpeningHours,
    /// Is this start free; if not, alternatives.
    CheckAvailability,
    /// The first free slot.
    FindNextAvailable,
    /// Ranked alternatives around a wish.
    GetAlternatives,
    /// Book a slot, exactly once.
    BookAppointment,
    /// Store a callback request.
    RequestCallback,
    /// The caller's upcoming appointments.
    QueryAppointment,
    /// Cancel one of the caller's appointments.
    CancelAppointment,
    /// Move one of the caller's appointments.
    RescheduleAppointment,
    /// Gather, confirm, book.
    CollectAppointmentInfo,
    /// The appointment of a caller with a hidden number, by name and day.
    QueryAppointmentByName,
    /// Hold a slot while the caller confirms.
    ReserveSlot,
    /// Let the held slot go.
    ReleaseSlotReservation,
    /// Wait for a fully booked wish.
    JoinWaitlist,
}

/// Every name frontdesk answers to, aliases included (DESIGN §7).
const CATALOGUE: &[(&str, Function)] = &[
    ("initialize_call", Function::InitializeCall),
    ("get_current_context", Function::InitializeCall),
    ("check_customer", Function::CheckCustomer),
    ("parse_date", Function::ParseDate),
    ("get_available_services", Function::GetAvailableServices),
    ("list_services", Function::GetAvailableServices),
    ("get_service_info", Function::GetServiceInfo),
    ("get_opening_hours", Function::GetOpeningHours),
    ("check_availability", Function::CheckAvailability),
    ("find_next_available", Function::FindNextAvailable),
    ("get_alternatives", Function::GetAlternatives),
    ("book_appointment", Function::BookAppointment),
    ("start_booking", Function::BookAppointment),
    ("request_callback", Function::RequestCallback),
    ("query_appointment", Function::QueryAppointment),
    ("get_customer_appointments", Function::QueryAppointment),
    ("cancel_appointment", Function::CancelAppointment),
    ("reschedule_appointment", Function::RescheduleAppointment),
    ("collect_appointment_info", Function::CollectAppointmentInfo),
    ("query_appointment_by_name", Function::QueryAppointmentByName),
    ("reserve_slot", Function::ReserveSlot),
    ("release_slot_reservation", Function::ReleaseSlotReservation),
    ("join_waitlist", Function::JoinWaitlist),
];

impl Function {
    /// The function a name (or alias) stands for; case-insensitive. Agents of the old system call
    /// versioned names (`check_availability_v17`): a trailing `_v<digits>` is the same function.
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        let unversioned = match name.rsplit_once("_v") {
            Some((base, version)) if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) => base,
            _ => name,
        };
        CATALOGUE.iter().find(|(n, _)| n.eq_ignore_ascii_case(unversioned)).map(|(_, f)| *f)
    }

    /// Every accepted name, for the 404 answer.
    pub fn known_names() -> Vec<&'static str> {
        CATALOGUE.iter().map(|(n, _)| *n).collect()
    }

    /// The canonical name (metrics label).
    pub fn name(self) -> &'static str {
        CATALOGUE.iter().find(|(_, f)| *f == self).map(|(n, _)| *n).expect("every function is catalogued")
    }

    /// Answers the call.
    pub async fn run(self, backends: &Backends, ctx: &CallContext, raw_args: Option<&RawValue>) -> Reply {
        match self {
            Self::InitializeCall => caller::initialize_call(backends, ctx).await,
            Self::CheckCustomer => caller::check_customer(backends, ctx).await,
            Self::ParseDate => dates::parse_date(backends, ctx, raw_args).await,
            Self::GetAvailableServices => catalog::available_services(ctx),
            Self::GetServiceInfo => catalog::service_info(ctx, raw_args),
            Self::GetOpeningHours => catalog::opening_hours(ctx),
            Self::CheckAvailability => availability::check_availability(backends, ctx, raw_args).await,
            Self::FindNextAvailable => availability::find_next_available(backends, ctx, raw_args).await,
            Self::GetAlternatives => availability::get_alternatives(backends, ctx, raw_args).await,
            Self::BookAppointment => booking::book_appointment(backends, ctx, raw_args).await,
            Self::RequestCallback => booking::request_callback(backends, ctx, raw_args).await,
            Self::QueryAppointment => appointments::query_appointment(backends, ctx).await,
            Self::CancelAppointment => appointments::cancel_appointment(backends, ctx, raw_args).await,
            Self::RescheduleAppointment => appointments::reschedule_appointment(backends, ctx, raw_args).await,
            Self::CollectAppointmentInfo => collect::collect_appointment_info(backends, ctx, raw_args).await,
            Self::QueryAppointmentByName => appointments::query_appointment_by_name(backends, ctx, raw_args).await,
            Self::ReserveSlot => booking::reserve_slot(backends, ctx, raw_args).await,
            Self::ReleaseSlotReservation => booking::release_slot_reservation(backends, ctx).await,
            Self::JoinWaitlist => waitlist::join_waitlist(backends, ctx, raw_args).await,
        }
    }
}
