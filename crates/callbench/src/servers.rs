//! The servers a run talks to: started here as child processes — calsim and one frontdesk on
//! SQLite, or N frontdesks on PostgreSQL + Redis behind HAProxy — or already running elsewhere.

use crate::inbox::Inbox;
use crate::processes::{free_port, CalsimOptions, Server};
use crate::tenants::{calcom_key, calsim_fixture, tenants_toml};
use anyhow::Context;
use frontdesk::tenants::TenantsFile;
use rand::Rng;
use std::path::PathBuf;

/// Where the servers come from.
#[derive(Debug, Clone)]
pub enum Servers {
    /// Started here as child processes, with `tenants` generated companies.
    Managed {
        /// Companies to generate.
        tenants: usize,
        /// calsim latency range in ms.
        latency_ms: (u64, u64),
        /// Share of Cal.com requests failing with a 500.
        fail_rate: f64,
        /// Several frontdesks sharing PostgreSQL and Redis behind HAProxy; `None`: one on SQLite.
        cluster: Option<Cluster>,
        /// Every company on the deployment's one Cal.com key instead of a key each.
        shared_key: bool,
        /// Every company's notifications (e-mail and signed webhook) on, delivered to an
        /// [`Inbox`] of this process.
        notify: bool,
    },
    /// Already running.
    External {
        /// frontdesk base URL.
        frontdesk: String,
        /// calsim base URL.
        calsim: String,
        /// The Retell key frontdesk checks.
        retell_key: String,
        /// The tenants file frontdesk runs with.
        tenants_file: PathBuf,
    },
}

impl Servers {
    /// frontdesk instances a run talks to (one when it is not started here).
    pub fn instances(&self) -> usize {
        match self {
            Self::Managed { cluster: Some(cluster), .. } => cluster.instances.max(1),
            _ => 1,
        }
    }
}

/// frontdesk as several instances, the way production runs it.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// `frontdesk serve` processes.
    pub instances: usize,
    /// PostgreSQL server (a fresh schema per pass is created and dropped there).
    pub postgres_url: String,
    /// Redis server (a fresh key prefix per pass).
    pub redis_url: String,
}

const WEBHOOK_SECRET: &str = "whsec_callbench";
/// The admin token the frontdesks started here accept (`--onboarding` creates companies with it).
pub const ADMIN_TOKEN: &str = "admin_callbench_0123456789";

/// Servers of one pass, started or targeted.
pub struct Running {
    /// frontdesk base URL (HAProxy's, for a cluster).
    pub frontdesk: String,
    /// calsim base URL.
    pub calsim: String,
    /// The Retell key.
    pub retell_key: String,
    /// The tenants played.
    pub tenants: TenantsFile,
    /// Seconds from starting the frontdesk processes until all of them listened.
    pub start_secs: Option<f64>,
    /// Where the companies' notifications arrive (managed runs with notifications on).
    pub inbox: Option<Inbox>,
    managed: Option<Managed>,
}

/// Child processes and the database of a managed run.
struct Managed {
    frontdesks: Vec<Server>,
    balancer: Option<Server>,
    calsim: Server,
    database: Database,
    _dir: tempfile::TempDir,
}

/// frontdesk's database in a managed run.
pub enum Database {
    /// A file in the run's temp dir.
    Sqlite(String),
    /// A schema of its own on a PostgreSQL server.
    Postgres {
        /// The server.
        server: String,
        /// The schema.
        schema: String,
    },
}

impl Database {
    /// frontdesk's `FRONTDESK_DATABASE_URL`.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(url) => url.clone(),
            Self::Postgres { server, schema } => format!("{server}?options=-c%20search_path%3D{schema}"),
        }
    }

    async fn postgres(server: &str) -> anyhow::Result<Self> {
        let pool = sqlx::PgPool::connect(server).await.with_context(|| format!("cannot connect to {server}"))?;
        let schema = format!("callbench_{:08x}", rand::thread_rng().gen::<u32>());
        sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&pool).await?;
        pool.close().await;
        Ok(Self::Postgres { server: server.to_string(), schema })
    }

    async fn drop(&self) {
        if let Self::Postgres { server, schema } = self {
            if let Ok(pool) = sqlx::PgPool::connect(server).await {
                let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&pool).await;
                pool.close().await;
            }
        }
    }
}

impl Running {
    /// frontdesk's resident memory, summed over its instances (managed only).
    pub fn rss_kib(&self) -> Option<u64> {
        let managed = self.managed.as_ref()?;
        managed.frontdesks.iter().map(Server::rss_kib).sum()
    }

    /// Each frontdesk instance's own address (behind HAProxy for a cluster); the one address
    /// callers use when the servers were not started here.
    pub fn instance_urls(&self) -> Vec<String> {
        match &self.managed {
            Some(managed) => managed.frontdesks.iter().map(|f| f.base_url.clone()).collect(),
            None => vec![self.frontdesk.clone()],
        }
    }

    /// The database frontdesk writes to (managed only).
    pub fn database(&self) -> Option<&Database> {
        self.managed.as_ref().map(|m| &m.database)
    }

    /// Stops servers started here and drops their database.
    pub async fn stop(self) -> anyhow::Result<()> {
        if let Some(managed) = self.managed {
            if let Some(balancer) = managed.balancer {
                balancer.stop()?;
            }
            for frontdesk in managed.frontdesks {
                frontdesk.stop()?;
            }
            managed.calsim.stop()?;
            managed.database.drop().await;
        }
        Ok(())
    }
}

/// Starts (or targets) the servers, frontdesk with its availability cache on or off.
pub async fn start(servers: &Servers, cache: bool) -> anyhow::Result<Running> {
    let (tenants, latency_ms, fail_rate, cluster, shared_key, notify) = match servers {
        Servers::External { frontdesk, calsim, retell_key, tenants_file } => {
            return Ok(Running {
                frontdesk: frontdesk.trim_end_matches('/').into(),
                calsim: calsim.trim_end_matches('/').into(),
                retell_key: retell_key.clone(),
                tenants: TenantsFile::load(tenants_file).map_err(anyhow::Error::msg)?,
                start_secs: None,
                inbox: None,
                managed: None,
            })
        }
        Servers::Managed { tenants, latency_ms, fail_rate, cluster, shared_key, notify } => {
            (*tenants, *latency_ms, *fail_rate, cluster, *shared_key, *notify)
        }
    };
    let dir = tempfile::tempdir().context("cannot create a temp dir")?;
    let inbox = match notify {
        true => Some(Inbox::start().await?),
        false => None,
    };
    let text = tenants_toml(tenants, shared_key, &inbox.as_ref().map(Inbox::company_lines).unwrap_or_default());
    let parsed = TenantsFile::parse(&text).map_err(anyhow::Error::msg)?;
    let tenants_path = dir.path().join("tenants.toml");
    std::fs::write(&tenants_path, &text)?;
    // The address callers and Cal.com's webhooks use: HAProxy's for a cluster.
    let front_port = free_port()?;
    let calsim = Server::calsim(
        dir.path(),
        &CalsimOptions {
            latency_ms,
            fail_rate,
            fixture: calsim_fixture(&parsed),
            webhook: Some((format!("http://127.0.0.1:{front_port}/calcom/webhook"), WEBHOOK_SECRET.into())),
        },
    )?;
    let retell_key = format!("key_callbench_{}", rand::thread_rng().gen::<u32>());
    let database = match cluster {
        Some(cluster) => Database::postgres(&cluster.postgres_url).await?,
        None => Database::Sqlite(format!("sqlite://{}?mode=rwc", dir.path().join("frontdesk.db").display())),
    };
    let mut env: Vec<(String, String)> = [
        ("FRONTDESK_DATABASE_URL", database.url()),
        ("FRONTDESK_TENANTS", tenants_path.display().to_string()),
        ("FRONTDESK_RETELL_API_KEY", retell_key.clone()),
        ("FRONTDESK_CALENDAR", "calcom".into()),
        ("FRONTDESK_CALCOM_BASE_URL", calsim.base_url.clone()),
        ("FRONTDESK_CALCOM_API_KEY", calcom_key(9999)),
        ("FRONTDESK_CALCOM_WEBHOOK_SECRET", WEBHOOK_SECRET.into()),
        ("FRONTDESK_AVAILABILITY_CACHE", if cache { "on" } else { "off" }.into()),
        ("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN.into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(inbox) = &inbox {
        env.push(("FRONTDESK_SMTP_URL".into(), inbox.smtp_url.clone()));
        env.push(("FRONTDESK_SMTP_FROM".into(), "frontdesk <noreply@callbench.example>".into()));
        env.extend(inbox.sms_env());
    }
    let started = std::time::Instant::now();
    let (frontdesks, balancer) = match cluster {
        None => (vec![Server::frontdesk(dir.path(), "frontdesk", &env, front_port)?], None),
        Some(cluster) => {
            let prefix = format!("callbench:{:08x}", rand::thread_rng().gen::<u32>());
            env.push(("FRONTDESK_REDIS_URL".into(), cluster.redis_url.clone()));
            env.push(("FRONTDESK_REDIS_PREFIX".into(), prefix));
            // The first instance migrates the schema; the others start on it.
            let mut frontdesks = Vec::new();
            for i in 0..cluster.instances.max(1) {
                frontdesks.push(Server::frontdesk(dir.path(), &format!("frontdesk-{}", i + 1), &env, free_port()?)?);
            }
            let balancer = Server::haproxy(dir.path(), front_port, &frontdesks.iter().collect::<Vec<_>>())?;
            (frontdesks, Some(balancer))
        }
    };
    let start_secs = Some(started.elapsed().as_secs_f64());
    let frontdesk = balancer.as_ref().unwrap_or(&frontdesks[0]).base_url.clone();
    Ok(Running {
        frontdesk,
        calsim: calsim.base_url.clone(),
        retell_key,
        tenants: parsed,
        start_secs,
        inbox,
        managed: Some(Managed { frontdesks, balancer, calsim, database, _dir: dir }),
    })
}
