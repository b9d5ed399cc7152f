//! One appointment as the agent receives it and as the caller hears it named, for every
//! function that speaks of booked appointments.

use super::CallContext;
use crate::domain::AppointmentId;
use crate::speech::{spoken_moment, Moment, Upcoming};
use crate::store::Appointment;
use serde::Serialize;

/// An appointment in a function's answer. The id is left out where the caller is only told
/// what is coming (`initialize_call`, `check_customer`); status and `repeated` are a booking's.
#[derive(Debug, Serialize)]
pub struct AppointmentView {
    #[serde(skip_serializing_if = "Option::is_none")]
    appointment_id: Option<AppointmentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    service: String,
    /// Who does it, when known.
    pub staff: Option<String>,
    start: String,
    spoken: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    repeated: Option<bool>,
}

impl AppointmentView {
    /// The appointment with its id, start and spoken start.
    pub fn of(ctx: &CallContext, appointment: &Appointment) -> Self {
        let at = moment(ctx, appointment);
        Self {
            appointment_id: Some(appointment.id),
            status: None,
            service: appointment.service_name.clone(),
            staff: appointment.staff_name.clone(),
            start: appointment.starts_at.with_timezone(&ctx.tz()).to_rfc3339(),
            spoken: spoken_moment(at.date, at.time, ctx.today(), ctx.language()),
            repeated: None,
        }
    }

    /// Without the id: what is coming, told to a caller recognised by number.
    pub fn coming(mut self) -> Self {
        self.appointment_id = None;
        self
    }

    /// As a booking's answer: its status, and whether a retried call found it already made.
    pub fn booked(mut self, appointment: &Appointment, repeated: bool) -> Self {
        self.status = Some(appointment.status.as_str());
        self.repeated = Some(repeated);
        self
    }
}

/// When an appointment starts, on the tenant's wall clock.
pub fn moment(ctx: &CallContext, appointment: &Appointment) -> Moment {
    let local = appointment.starts_at.with_timezone(&ctx.tz());
    Moment { date: local.date_naive(), time: local.time() }
}

/// An appointment as the caller hears it named.
pub fn upcoming(ctx: &CallContext, appointment: &Appointment) -> Upcoming {
    Upcoming {
        moment: moment(ctx, appointment),
        service: appointment.service_name.clone(),
        staff: appointment.staff_name.clone(),
    }
}
