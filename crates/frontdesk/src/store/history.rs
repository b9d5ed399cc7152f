//! What happened to an appointment and by whom (DESIGN §14): one row per change, written in the
//! change's own transaction, so the history cannot miss a change or tell of one that failed.

use super::{on_pool, Store, StoreError};
use crate::domain::{AppointmentId, CompanyId};
use chrono::{DateTime, Utc};

/// Who changed an appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The voice agent, for a caller.
    PhoneAgent,
    /// A console login (its e-mail).
    Console(String),
    /// Cal.com: its own pages or its answer to our booking.
    Calcom,
    /// frontdesk itself (reconciling a booking whose outcome was unknown, reminding).
    Frontdesk,
    /// The customer, answering an SMS (ABSAGEN to a reminder).
    SmsReply,
    /// The waitlist: a waiting customer took a freed time (JA to an offer).
    Waitlist,
}

impl Actor {
    /// As stored and shown in the API: `phone agent`, `console:<email>`, `calcom`, `frontdesk`.
    pub fn label(&self) -> String {
        match self {
            Self::PhoneAgent => "phone agent".into(),
            Self::Console(email) => format!("console:{email}"),
            Self::Calcom => "calcom".into(),
            Self::Frontdesk => "frontdesk".into(),
            Self::SmsReply => "sms".into(),
            Self::Waitlist => "waitlist".into(),
        }
    }

    /// Where an appointment this actor makes comes from (frontdesk itself makes none: a
    /// caller's, then).
    pub fn source(&self) -> super::AppointmentSource {
        match self {
            Self::Console(_) => super::AppointmentSource::Console,
            Self::Calcom => super::AppointmentSource::Calcom,
            Self::PhoneAgent | Self::Frontdesk | Self::SmsReply | Self::Waitlist => super::AppointmentSource::Phone,
        }
    }

    /// Reads a stored label back (an unknown one is frontdesk's).
    pub fn parse(label: &str) -> Self {
        match label {
            "phone agent" => Self::PhoneAgent,
            "calcom" => Self::Calcom,
            "sms" => Self::SmsReply,
            "waitlist" => Self::Waitlist,
            // rows written before the history knew the login
            "console" => Self::Console(String::new()),
            other => match other.strip_prefix("console:") {
                Some(email) => Self::Console(email.to_string()),
                None => Self::Frontdesk,
            },
        }
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryAction {
    /// Booked (or recorded from Cal.com).
    Booked,
    /// Moved to another time, staff member or service.
    Moved,
    /// Cancelled.
    Cancelled,
    /// A cancelled appointment booked again.
    Restored,
    /// The customer did not come.
    NoShow,
    /// The customer was reminded (the detail: how many hours before).
    Reminded,
}

impl HistoryAction {
    /// The text stored and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Moved => "moved",
            Self::Cancelled => "cancelled",
            Self::Restored => "restored",
            Self::NoShow => "no_show",
            Self::Reminded => "reminded",
        }
    }

    /// Every action.
    const ALL: [Self; 6] = [Self::Booked, Self::Moved, Self::Cancelled, Self::Restored, Self::NoShow, Self::Reminded];
}

impl TryFrom<String> for HistoryAction {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Self::ALL.into_iter().find(|a| a.as_str() == text).ok_or_else(|| format!("unknown history action {text:?}"))
    }
}

/// One change of an appointment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    #[sqlx(try_from = "String")]
    pub action: HistoryAction,
    /// By whom, as stored ([`Actor::label`]).
    pub actor: String,
    /// For a move: where it was before (`start` RFC 3339, ` staff`, ` service` as they were).
    pub detail: Option<String>,
}

/// Appends one entry for appointment `$1` (its company taken from the row): `$2` at, `$3`
/// action, `$4` actor, `$5` detail.
pub(super) const HISTORY_INSERT: &str = "INSERT INTO appointment_history (company_id, appointment_id, at, action, actor, detail)
    SELECT company_id, id, $2, $3, $4, $5 FROM appointments WHERE id = $1";

/// Writes a history entry inside a transaction (`tx`), like the outbox's notices.
macro_rules! write_history {
    ($tx:ident, $id:expr, $action:expr, $by:expr, $detail:expr, $now:expr) => {
        sqlx::query($crate::store::history::HISTORY_INSERT)
            .bind($id)
            .bind($now)
            .bind($crate::store::HistoryAction::as_str($action))
            .bind($crate::store::Actor::label($by))
            .bind($detail)
            .execute(&mut *$tx)
            .await?
    };
}
pub(crate) use write_history;

impl Store {
    /// An appointment's history in the order it was written (the company's own only).
    pub async fn appointment_history(&self, company_id: CompanyId, id: AppointmentId) -> Result<Vec<HistoryEntry>, StoreError> {
        const SQL: &str = "SELECT at, action, actor, detail FROM appointment_history
            WHERE appointment_id = $1 AND company_id = $2 ORDER BY id";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(id).bind(company_id).fetch_all(pool).await)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_actor_reads_back_as_it_was_written() {
        for actor in [Actor::PhoneAgent, Actor::Console("a@b.example".into()), Actor::Calcom, Actor::Frontdesk, Actor::SmsReply, Actor::Waitlist] {
            assert_eq!(Actor::parse(&actor.label()), actor);
        }
    }
}
