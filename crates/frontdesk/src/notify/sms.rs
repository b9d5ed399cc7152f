//! SMS to customers through the Messages API (DESIGN §15): the outbox's `sms_customer` rows,
//! written only for customers who agreed and did not answer STOP. A company's own sender and
//! account replace the service's; each accepted message is recorded with its sid, so a repeated
//! delivery of the same row sends nothing and delivery reports find it.

use super::{Channel, DeliveryError};
use crate::configuration::SmsSection;
use crate::domain::{CompanyId, PhoneNumber, Secret};
use crate::sms::{capped, MessagesApi, OutgoingSms, SendError, SmsAccount, SmsSender};
use crate::speech::{phrasebook, SmsAppointment, SmsText};
use crate::store::{NoticeChannel, NoticeData, NoticeEvent, OutboxMessage, SentSms, Store};
use futures_util::future::BoxFuture;

/// Delivers `sms_customer` notices.
#[derive(Debug, Clone)]
pub struct SmsChannel {
    store: Store,
    api: Option<MessagesApi>,
    settings: SmsSection,
    status_callback: Option<String>,
}

/// The text of a notice for the customer, in the company's language, within three segments;
/// `replies`: whether the sender can receive the customer's answer.
pub fn sms_text(event: NoticeEvent, data: &NoticeData, replies: bool) -> Option<String> {
    let appointment = SmsAppointment {
        business: data.company.clone(),
        start: data.start?.with_timezone(&data.zone()).naive_local(),
        service: data.service.clone().unwrap_or_default(),
        staff: data.staff.clone(),
    };
    let text = match event {
        NoticeEvent::BookingMade => SmsText::Confirmed(appointment),
        NoticeEvent::BookingMoved => SmsText::Moved(appointment),
        NoticeEvent::BookingCancelled => SmsText::Cancelled(appointment),
        NoticeEvent::BookingReminder => SmsText::Reminder { appointment, replies },
        NoticeEvent::WaitlistOffer => SmsText::WaitlistOffer { appointment, minutes: crate::waitlist::OFFER_HOLD.num_minutes() as u32 },
        _ => return None,
    };
    Some(capped(&phrasebook(data.written_in()).sms(&text)))
}

impl SmsChannel {
    /// The channel for these settings (without a URL every message fails visibly: consent is
    /// not recorded then, so none should be written).
    pub fn new(store: Store, settings: &SmsSection, public_url: Option<&str>) -> Self {
        Self {
            store,
            api: settings.url.as_deref().map(MessagesApi::new),
            settings: settings.clone(),
            status_callback: public_url.map(|u| format!("{}/sms/status", u.trim_end_matches('/'))),
        }
    }

    /// The sender and account a company sends with.
    async fn sender_of(&self, company: CompanyId) -> Result<(SmsSender, SmsAccount), DeliveryError> {
        let own = self.store.company_sms(company).await.map_err(|e| DeliveryError::Transient(e.to_string()))?.unwrap_or_default();
        let from = match own.sms_from.as_deref().map(SmsSender::parse) {
            Some(Ok(sender)) => sender,
            Some(Err(why)) => return Err(DeliveryError::Permanent(why)),
            None => self.settings.from.clone().ok_or_else(|| DeliveryError::Permanent("no SMS sender".into()))?,
        };
        let account = match (own.sms_account_sid, own.sms_auth_token) {
            (Some(sid), Some(token)) => SmsAccount { sid, token: Secret::new(token) },
            _ => SmsAccount {
                sid: self.settings.account_sid.clone().ok_or_else(|| DeliveryError::Permanent("no SMS account".into()))?,
                token: self.settings.auth_token.clone().ok_or_else(|| DeliveryError::Permanent("no SMS auth token".into()))?,
            },
        };
        Ok((from, account))
    }

    async fn send(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let Some(api) = &self.api else { return Err(DeliveryError::Transient("SMS is not configured (FRONTDESK_SMS_URL)".into())) };
        let transient = |e: crate::store::StoreError| DeliveryError::Transient(e.to_string());
        if self.store.sms_sent_for(message.id).await.map_err(transient)? {
            return Ok(());
        }
        // a STOP that came after the notice was written still holds
        if self.store.sms_stopped(message.company_id, &message.recipient).await.map_err(transient)? {
            return Ok(());
        }
        let data: NoticeData = serde_json::from_str(&message.payload).map_err(|e| DeliveryError::Permanent(format!("unreadable notice: {e}")))?;
        let to = PhoneNumber::parse(&message.recipient).map_err(DeliveryError::Permanent)?;
        let (from, account) = self.sender_of(message.company_id).await?;
        let Some(body) = sms_text(message.event, &data, from.takes_replies()) else { return Ok(()) };
        let sms = OutgoingSms { from: &from, to: &to, body: &body, status_callback: self.status_callback.as_deref() };
        let sid = api.send(&account, sms).await.map_err(|error| match error {
            SendError::Transient(why) => DeliveryError::Transient(why),
            refused @ SendError::Refused { .. } => DeliveryError::Permanent(refused.to_string()),
        })?;
        let sent = SentSms {
            company_id: message.company_id,
            outbox_id: Some(message.id),
            sid: &sid,
            recipient: to.as_str(),
            event: message.event.as_str(),
            appointment_id: data.appointment_id.map(|a| a.0),
            at: chrono::Utc::now(),
        };
        // accepted: a failure to record it must not send it again
        if let Err(error) = self.store.record_sms(sent).await {
            tracing::error!(%error, "an accepted SMS could not be recorded");
        }
        Ok(())
    }
}

impl Channel for SmsChannel {
    fn serves(&self) -> NoticeChannel {
        NoticeChannel::SmsCustomer
    }

    fn deliver<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.send(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every SMS a customer can get, in both languages, with what it costs: a reviewer sees the
    /// exact words and that none takes more than two segments.
    #[test]
    fn what_customers_read_by_sms() {
        let mut all = String::new();
        for language in crate::domain::Language::ALL {
            // the demo business of each language
            let (business, service, staff, phone) = match language.code() {
                "de" => ("Salon Schnittpunkt", "Herrenhaarschnitt", "Jonas", "+4930123456"),
                _ => ("Riverside Dental Practice", "Check-up", "Dr. Patel", "+442079460958"),
            };
            let start = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap().and_hms_opt(10, 0, 0).unwrap();
            let a = SmsAppointment { business: business.into(), start, service: service.into(), staff: Some(staff.into()) };
            let phone = Some(phone.to_string());
            let texts = [
                ("confirmed", SmsText::Confirmed(a.clone())),
                ("moved", SmsText::Moved(a.clone())),
                ("cancelled", SmsText::Cancelled(a.clone())),
                ("reminder", SmsText::Reminder { appointment: a.clone(), replies: true }),
                ("reminder, sender takes no replies", SmsText::Reminder { appointment: a.clone(), replies: false }),
                ("stopped", SmsText::Stopped { business: business.into() }),
                ("started", SmsText::Started { business: business.into() }),
                ("too late to cancel", SmsText::TooLateToCancel { appointment: a.clone(), phone: phone.clone() }),
                ("cancel failed", SmsText::CancelFailed { business: business.into(), phone: phone.clone() }),
                ("nothing to cancel", SmsText::NothingToCancel { business: business.into(), phone }),
                ("waitlist offer", SmsText::WaitlistOffer { appointment: a.clone(), minutes: 15 }),
                ("offer gone", SmsText::OfferGone { business: business.into() }),
            ];
            for (name, text) in texts {
                let said = capped(&phrasebook(language).sms(&text));
                let cost = crate::sms::segments(&said);
                assert!(cost.count <= 2, "{name}: {said}");
                all.push_str(&format!("## {} {name} ({:?}, {} units, {} segment(s))\n{said}\n\n", language.code(), cost.encoding, cost.units, cost.count));
            }
        }
        insta::assert_snapshot!(all);
    }
}
