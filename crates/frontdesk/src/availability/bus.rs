//! Invalidations shared between instances through a Redis channel, so that a booking through
//! one instance (or a webhook received by one) updates every instance's windows.

use super::{Availability, WindowKey};
use crate::domain::{CalendarKind, StaffId};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use redis::AsyncCommands;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Message {
    origin: String,
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
#[derive(Clone)]
pub struct InvalidationBus {
    origin: String,
    channel: String,
    connection: redis::aio::MultiplexedConnection,
    client: redis::Client,
}

impl std::fmt::Debug for InvalidationBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvalidationBus").field("origin", &self.origin).field("channel", &self.channel).finish()
    }
}

impl InvalidationBus {
    /// Connects to Redis; `channel` names the bus (instances of one deployment share it).
    pub async fn connect(url: &str, channel: String) -> redis::RedisResult<Self> {
        let client = redis::Client::open(url)?;
        let connection = client.get_multiplexed_async_connection().await?;
        let origin = format!("{:016x}", rand::random::<u64>());
        Ok(Self { origin, channel, connection, client })
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
            origin: self.origin.clone(),
            calendar: calendar.as_str().to_string(),
            account,
            event,
            taken: taken.map(|(start, end, staff)| Taken { start, end, staff: staff.map(|s| s.0) }),
        };
        let Ok(payload) = serde_json::to_string(&message) else { return };
        let (mut connection, channel) = (self.connection.clone(), self.channel.clone());
        tokio::spawn(async move {
            if let Err(error) = connection.publish::<_, _, ()>(&channel, payload).await {
                tracing::warn!(%error, "availability invalidation could not be published");
            }
        });
    }

    /// Subscribes, then applies other instances' invalidations to `availability` until the
    /// process ends; reconnects after Redis failures.
    pub async fn subscribe(&self, availability: Availability) -> redis::RedisResult<()> {
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub.subscribe(&self.channel).await?;
        let (origin, channel, client) = (self.origin.clone(), self.channel.clone(), self.client.clone());
        tokio::spawn(async move {
            loop {
                {
                    let mut messages = pubsub.on_message();
                    while let Some(message) = messages.next().await {
                        let Ok(payload) = message.get_payload::<String>() else { continue };
                        match serde_json::from_str::<Message>(&payload) {
                            Ok(message) if message.origin != origin => apply(&availability, message),
                            Ok(_) => {}
                            Err(error) => tracing::warn!(%error, "unreadable invalidation message"),
                        }
                    }
                }
                tracing::warn!("availability bus disconnected; reconnecting");
                loop {
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    if let Ok(mut fresh) = client.get_async_pubsub().await {
                        if fresh.subscribe(&channel).await.is_ok() {
                            pubsub = fresh;
                            break;
                        }
                    }
                }
            }
        });
        Ok(())
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
