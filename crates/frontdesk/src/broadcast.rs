//! One Redis pub/sub channel between the instances of a deployment: a message published by one
//! instance reaches every other (never itself), and the subscription survives Redis restarts.
//! The availability windows and the tenant directory each announce their changes on one.

use futures_util::StreamExt;
use redis::AsyncCommands;

/// A named channel; cloning shares the connection.
#[derive(Clone)]
pub struct Broadcast {
    origin: String,
    channel: String,
    connection: redis::aio::ConnectionManager,
    client: redis::Client,
}

impl std::fmt::Debug for Broadcast {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Broadcast").field("origin", &self.origin).field("channel", &self.channel).finish()
    }
}

impl Broadcast {
    /// A channel over the instance's shared Redis; instances of one deployment name the same
    /// `channel` (publishing on its connection; a subscription
    /// opens its own).
    pub fn new(redis: &crate::shared_redis::SharedRedis, channel: String) -> Self {
        let origin = format!("{:016x}", rand::random::<u64>());
        Self { origin, channel, connection: redis.connection(), client: redis.client().clone() }
    }

    /// Publishes `payload` in the background: nobody waits on Redis for an announcement.
    pub fn publish(&self, payload: String) {
        let (mut connection, channel) = (self.connection.clone(), self.channel.clone());
        // The sender's origin goes first, so that it can skip its own messages.
        let message = format!("{}\n{payload}", self.origin);
        tokio::spawn(async move {
            if let Err(error) = connection.publish::<_, _, ()>(&channel, message).await {
                tracing::warn!(%error, %channel, "announcement could not be published");
            }
        });
    }

    /// Subscribes, then hands every other instance's payload to `handle` until the process ends;
    /// reconnects after Redis failures.
    pub async fn subscribe(&self, handle: impl Fn(&str) + Send + 'static) -> redis::RedisResult<()> {
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub.subscribe(&self.channel).await?;
        let (origin, channel, client) = (self.origin.clone(), self.channel.clone(), self.client.clone());
        tokio::spawn(async move {
            loop {
                {
                    let mut messages = pubsub.on_message();
                    while let Some(message) = messages.next().await {
                        let Ok(text) = message.get_payload::<String>() else { continue };
                        match text.split_once('\n') {
                            Some((from, _)) if from == origin => {}
                            Some((_, payload)) => handle(payload),
                            None => tracing::warn!(%channel, "announcement without origin ignored"),
                        }
                    }
                }
                tracing::warn!(%channel, "broadcast disconnected; reconnecting");
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
