//! One Redis per instance: a connection manager (it reconnects by itself) that the slot locks,
//! the Cal.com budget and the announcements share, and the client that pub/sub subscriptions
//! open their own connections from (a subscribed connection can do nothing else).

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

/// How the connection is (re)made: a few quick attempts, each bounded, and every command bounded,
/// so that a Redis that is gone costs a booking seconds, never minutes (the crate's default
/// backs off for minutes and waits for an answer without end).
fn config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_number_of_retries(2)
        .set_factor(100)
        .set_max_delay(500)
        .set_connection_timeout(Duration::from_secs(1))
        .set_response_timeout(Duration::from_secs(2))
}

/// The instance's Redis; cloning shares the connection.
#[derive(Clone)]
pub struct SharedRedis {
    client: redis::Client,
    connection: ConnectionManager,
    prefix: String,
}

impl std::fmt::Debug for SharedRedis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedRedis").field("prefix", &self.prefix).finish()
    }
}

impl SharedRedis {
    /// Connects; every key and channel of this deployment starts with `prefix`.
    pub async fn connect(url: &str, prefix: &str) -> redis::RedisResult<Self> {
        let client = redis::Client::open(url)?;
        let connection = ConnectionManager::new_with_config(client.clone(), config()).await?;
        Ok(Self { client, connection, prefix: prefix.to_string() })
    }

    /// The shared connection (commands are multiplexed over it).
    pub fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    /// The client, for a subscription's own connection.
    pub fn client(&self) -> &redis::Client {
        &self.client
    }

    /// The deployment's prefix of keys and channels.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}
