use crate::availability::Availability;
use crate::booking::Booker;
use crate::domain::{Branch, BranchContext, Company, Language};
use crate::retell::CallInfo;
use crate::speech::{Phrasebook, SpeechContext};
use crate::store::Store;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

/// What functions may use beyond the call itself: storage and calendars.
#[derive(Debug, Clone)]
pub struct Backends {
    /// The database of record.
    pub store: Store,
    /// Availability: windows in memory over the tenants' calendars.
    pub availability: Availability,
    /// Writes bookings exactly once.
    pub booker: Booker,
    /// Whether SMS can be sent (`FRONTDESK_SMS_URL`): only then is a caller's consent recorded.
    pub sms: bool,
    /// The day each call last spoke about ("am Tag danach").
    pub days_discussed: super::DaysDiscussed,
}

/// One verified function call: the tenant it belongs to, the call, and the moment it is answered.
#[derive(Debug, Clone)]
pub struct CallContext {
    /// Branch and company, from the in-memory directory.
    pub tenant: Arc<BranchContext>,
    /// Retell's call object.
    pub call: CallInfo,
    /// The call's database row, when it could be written.
    pub call_row_id: Option<i64>,
    /// When the request arrived.
    pub now: DateTime<Utc>,
}

impl CallContext {
    /// The tenant.
    pub fn company(&self) -> &Company {
        &self.tenant.company
    }

    /// The branch that was dialled.
    pub fn branch(&self) -> &Branch {
        &self.tenant.branch
    }

    /// The language spoken to the caller.
    pub fn language(&self) -> Language {
        self.tenant.company.language
    }

    /// The phrasebook of the caller's language.
    pub fn phrasebook(&self) -> &'static dyn Phrasebook {
        crate::speech::phrasebook(self.language())
    }

    /// The tenant's time zone.
    pub fn tz(&self) -> Tz {
        self.tenant.company.timezone
    }

    /// Now on the tenant's wall clock.
    pub fn local_now(&self) -> DateTime<Tz> {
        self.now.with_timezone(&self.tz())
    }

    /// Today in the tenant's calendar.
    pub fn today(&self) -> NaiveDate {
        self.local_now().date_naive()
    }

    /// What understanding spoken dates needs.
    pub fn speech(&self) -> SpeechContext<'_> {
        SpeechContext {
            now: self.local_now(),
            hours: &self.tenant.branch.opening_hours,
            language: self.language(),
            month_first: self.company().month_first,
            staff: &self.tenant.branch.staff,
            earlier_day: None,
        }
    }

    /// An instant as ISO 8601 text with the tenant's offset.
    pub fn local_instant_text(&self, instant: DateTime<Utc>) -> String {
        instant.with_timezone(&self.tz()).to_rfc3339()
    }

    /// The instant a local wall-clock time stands for (the earlier one when it happens twice,
    /// the first after the gap when it does not exist).
    pub fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        crate::domain::local_instant(self.tz(), local)
    }
}
