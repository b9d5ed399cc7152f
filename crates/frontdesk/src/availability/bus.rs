//! Invalidations shared between instances through a Redis channel, so that a booking through
//! one instance (or a webhook received by one) updates every instance's windows.

use super::{Availability, WindowKey};
use crate::broadcast::Broadcast;
use crate::domain::{CalendarKind, StaffId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Message {
    calendar: String,
    /// The account, or `None` for every account's windows of the event (webhooks name no account).
    account: Option<String>,
    event: i64,
    taken: Option<Taken>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Taken {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    staff: Option<i64>,
}

/// The publishing side; the subscription runs in a background task.
#[derive(Clone, Debug)]
pub struct InvalidationBus {
    channel: Broadcast,
}

impl InvalidationBus {
    /// The bus over the instance's shared Redis; `channel` names it (instances of one deployment
    /// share it).
    pub fn new(redis: &crate::shared_redis::SharedRedis, channel: String) -> Self {
        Self { channel: Broadcast::new(redis, channel) }
    }

    /// Announces an invalidation of one window (in the background: the caller never waits on Redis).
    pub fn publish(&self, key: &WindowKey, taken: Option<(DateTime<Utc>, DateTime<Utc>, Option<StaffId>)>) {
        self.send(key.calendar, Some(key.account.clone()), key.event, taken);
    }

    /// Announces an invalidation of every window of a calendar event.
    pub fn publish_event(
        &self,
        calendar: CalendarKind,
        event: i64,
        taken: Option<(DateTime<Utc>, DateTime<Utc>, Option<StaffId>)>,
    ) {
        self.send(calendar, None, event, taken);
    }

    fn send(
        &self,
        calendar: CalendarKind,
        account: Option<String>,
        event: i64,
        taken: Option<(DateTime<Utc>, DateTime<Utc>, Option<StaffId>)>,
    ) {
        let message = Message {
            calendar: calendar.as_str().to_string(),
            account,
            event,
            taken: taken.map(|(start, end, staff)| Taken { start, end, staff: staff.map(|s| s.0) }),
        };
        if let Ok(payload) = serde_json::to_string(&message) {
            self.channel.publish(payload);
        }
    }

    /// Subscribes, then applies other instances' invalidations to `availability` until the
    /// process ends; reconnects after Redis failures.
    pub async fn subscribe(&self, availability: Availability) -> redis::RedisResult<()> {
        self.channel
            .subscribe(move |payload| match serde_json::from_str::<Message>(payload) {
                Ok(message) => apply(&availability, message),
                Err(error) => tracing::warn!(%error, "unreadable invalidation message"),
            })
            .await
    }
}

fn apply(availability: &Availability, message: Message) {
    let Ok(calendar) = CalendarKind::parse(&message.calendar) else { return };
    let taken = message.taken.map(|t| (t.start, t.end, t.staff.map(StaffId)));
    match message.account {
        Some(account) => availability.apply(&WindowKey::near(calendar, account, message.event), taken),
        None => availability.apply_event(calendar, message.event, taken),
    }
}
