//! Typed settings from an optional TOML file overridden by `FRONTDESK_*` environment variables
//! (DESIGN §4), in sections by concern. Every variable is read through one [`Source`]; numbers
//! come from a table of (variable, default, bounds). A missing or invalid setting is reported
//! with the variable's name.

pub use crate::domain::{CalendarKind, Secret};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every setting of the service, by concern.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where and how the service listens.
    pub server: ServerSection,
    /// The database and the tenants file imported into it.
    pub database: DatabaseSection,
    /// Redis, for shared budgets, locks and invalidation between instances.
    pub redis: RedisSection,
    /// The Retell side.
    pub retell: RetellSection,
    /// Calendars: the default provider and Cal.com.
    pub calcom: CalcomSection,
    /// The availability windows.
    pub availability: AvailabilitySection,
    /// Outgoing e-mail.
    pub smtp: SmtpSection,
    /// SMS through a Twilio-compatible Messages API.
    pub sms: SmsSection,
    /// The outbox's delivery.
    pub notify: NotifySection,
    /// The operator console.
    pub console: ConsoleSection,
    /// What is kept about people, and how long.
    pub privacy: PrivacySection,
}

/// `FRONTDESK_LISTEN`, `FRONTDESK_PUBLIC_URL` and the connection limits.
#[derive(Debug, Clone)]
pub struct ServerSection {
    /// Bind address.
    pub listen: SocketAddr,
    /// The URL the service is reachable at: Retell URLs in the console, links in e-mails, and
    /// `Secure` session cookies when it is `https://`.
    pub public_url: Option<String>,
    /// Open connections in all and per client address, header and body timeouts.
    pub connection_limits: ConnectionLimits,
}

/// How many connections, from where, for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Open connections in all (`FRONTDESK_MAX_CONNECTIONS`).
    pub max_connections: usize,
    /// Open connections from one client address (`FRONTDESK_MAX_CONNECTIONS_PER_ADDRESS`); behind
    /// a load balancer every connection comes from its address, so set it to the balancer's pool.
    pub per_address: usize,
    /// Time a client has to send a request's headers, also when a kept-alive connection idles
    /// (`FRONTDESK_REQUEST_TIMEOUT_SECS`, default 10).
    pub header_timeout: Duration,
    /// Time a client has to send a request's body (the same setting).
    pub body_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        let timeout = Duration::from_secs(REQUEST_TIMEOUT_SECS.default);
        Self {
            max_connections: MAX_CONNECTIONS.default,
            per_address: MAX_CONNECTIONS_PER_ADDRESS.default,
            header_timeout: timeout,
            body_timeout: timeout,
        }
    }
}

/// `FRONTDESK_DATABASE_URL`, `FRONTDESK_TENANTS`.
#[derive(Debug, Clone)]
pub struct DatabaseSection {
    /// `sqlite://…` or `postgres://…`.
    pub url: String,
    /// Tenants file imported at start.
    pub tenants: Option<PathBuf>,
}

/// `FRONTDESK_REDIS_URL`, `FRONTDESK_REDIS_PREFIX`.
#[derive(Debug, Clone)]
pub struct RedisSection {
    /// Redis, when instances share state.
    pub url: Option<String>,
    /// Prefix of Redis channels and keys (instances of one deployment share it).
    pub prefix: String,
}

/// `FRONTDESK_RETELL_API_KEY` and `FRONTDESK_RETELL_BASE_URL`.
#[derive(Debug, Clone)]
pub struct RetellSection {
    /// Key that signs Retell requests; required by `serve`.
    pub api_key: Option<Secret>,
    /// Retell's API, where provisioning creates agents (the simulator in tests).
    pub base_url: String,
}

/// `FRONTDESK_CALENDAR` and `FRONTDESK_CALCOM_*`.
#[derive(Debug, Clone)]
pub struct CalcomSection {
    /// Default calendar provider.
    pub calendar: CalendarKind,
    /// Cal.com API base URL.
    pub base_url: String,
    /// Default Cal.com API key.
    pub api_key: Option<Secret>,
    /// Requests per minute per Cal.com key that frontdesk allows itself (Cal.com locks above 120).
    pub rate_limit: u32,
    /// Verifies Cal.com webhooks.
    pub webhook_secret: Option<Secret>,
}

/// `FRONTDESK_AVAILABILITY_*`, `FRONTDESK_WINDOW_CACHE_MB`.
#[derive(Debug, Clone)]
pub struct AvailabilitySection {
    /// Availability cache on (default) or off (baseline mode).
    pub cache: bool,
    /// Time to live of an availability window.
    pub ttl: Duration,
    /// Memory the availability windows may take, in MiB (the coldest are evicted beyond it).
    pub window_cache_mb: u64,
}

/// `FRONTDESK_SMTP_*`.
#[derive(Debug, Clone, Default)]
pub struct SmtpSection {
    /// `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…`; unset = no e-mail
    /// (e-mail notices then fail visibly). A secret: it holds a password.
    pub url: Option<Secret>,
    /// The sender, e.g. `Salon <noreply@salon.example>`.
    pub from: Option<String>,
    /// PEM certificates of a private CA that signed the mail server's certificate, trusted
    /// besides the public ones (`FRONTDESK_SMTP_CA_FILE`, read at start).
    pub ca_pem: Option<String>,
}

/// `FRONTDESK_SMS_*` (DESIGN §15).
#[derive(Debug, Clone, Default)]
pub struct SmsSection {
    /// Base URL of the Messages API (`https://api.twilio.com`); unset = no SMS.
    pub url: Option<String>,
    /// The account (`AccountSid`, HTTP Basic user).
    pub account_sid: Option<String>,
    /// Its auth token (HTTP Basic password, and the key of the webhooks' signatures).
    pub auth_token: Option<Secret>,
    /// The default sender: an E.164 number or an alphanumeric ID of at most 11 characters.
    pub from: Option<crate::sms::SmsSender>,
}

/// `FRONTDESK_NOTIFY_*`.
#[derive(Debug, Clone)]
pub struct NotifySection {
    /// How long an instance's claim on an outbox message holds before another (or a restarted)
    /// instance may deliver it; longer than any delivery's timeout.
    pub lease: Duration,
}

/// `FRONTDESK_RETENTION_DAYS`.
#[derive(Debug, Clone, Copy)]
pub struct PrivacySection {
    /// Call records, transcripts and analyses older than this are deleted (appointments and
    /// customers are not).
    pub retention_days: u32,
}

/// `FRONTDESK_ADMIN_TOKEN`.
#[derive(Debug, Clone)]
pub struct ConsoleSection {
    /// Bearer token for /admin (all companies).
    pub admin_token: Option<Secret>,
}

/// A setting that stops the start, with the name of the variable to fix.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// A required setting is absent.
    #[error("missing setting {name}: {why}")]
    Missing {
        /// Environment variable name.
        name: &'static str,
        /// What it is for.
        why: &'static str,
    },
    /// A setting has a value that cannot be used.
    #[error("invalid setting {name}: {problem}")]
    Invalid {
        /// Environment variable name.
        name: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The configuration file cannot be read or parsed.
    #[error("invalid configuration file {path}: {problem}")]
    File {
        /// The file.
        path: String,
        /// What is wrong with it.
        problem: String,
    },
}

fn invalid(name: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { name, problem: problem.into() }
}

/// A number setting: its variable, default and bounds.
struct Number<T> {
    name: &'static str,
    default: T,
    min: T,
    max: T,
    unit: &'static str,
}

/// The table of number settings.
const CALCOM_RATE_LIMIT: Number<u32> =
    Number { name: "FRONTDESK_CALCOM_RATE_LIMIT", default: 100, min: 1, max: 120, unit: "requests per minute" };
const AVAILABILITY_TTL_SECS: Number<u64> =
    Number { name: "FRONTDESK_AVAILABILITY_TTL_SECS", default: 300, min: 5, max: 3600, unit: "seconds" };
const WINDOW_CACHE_MB: Number<u64> =
    Number { name: "FRONTDESK_WINDOW_CACHE_MB", default: 256, min: 1, max: 65_536, unit: "MiB" };
const MAX_CONNECTIONS: Number<usize> =
    Number { name: "FRONTDESK_MAX_CONNECTIONS", default: 4096, min: 1, max: 1_000_000, unit: "connections" };
const MAX_CONNECTIONS_PER_ADDRESS: Number<usize> =
    Number { name: "FRONTDESK_MAX_CONNECTIONS_PER_ADDRESS", default: 256, min: 1, max: 1_000_000, unit: "connections" };
const REQUEST_TIMEOUT_SECS: Number<u64> =
    Number { name: "FRONTDESK_REQUEST_TIMEOUT_SECS", default: 10, min: 1, max: 300, unit: "seconds" };
// At least 25 s: an e-mail delivery may take up to 20 s, and a claim that ran out while its
// delivery was still going would let a second instance send the same message.
const NOTIFY_LEASE_SECS: Number<u64> =
    Number { name: "FRONTDESK_NOTIFY_LEASE_SECS", default: 60, min: 25, max: 3600, unit: "seconds" };
const RETENTION_DAYS: Number<u32> =
    Number { name: "FRONTDESK_RETENTION_DAYS", default: 90, min: 1, max: 3650, unit: "days" };

/// Every variable there is; a file key is its name without `FRONTDESK_`, in lower case.
const VARIABLES: [&str; 29] = [
    "FRONTDESK_LISTEN",
    "FRONTDESK_PUBLIC_URL",
    "FRONTDESK_MAX_CONNECTIONS",
    "FRONTDESK_MAX_CONNECTIONS_PER_ADDRESS",
    "FRONTDESK_REQUEST_TIMEOUT_SECS",
    "FRONTDESK_DATABASE_URL",
    "FRONTDESK_TENANTS",
    "FRONTDESK_REDIS_URL",
    "FRONTDESK_REDIS_PREFIX",
    "FRONTDESK_RETELL_API_KEY",
    "FRONTDESK_RETELL_BASE_URL",
    "FRONTDESK_CALENDAR",
    "FRONTDESK_CALCOM_BASE_URL",
    "FRONTDESK_CALCOM_API_KEY",
    "FRONTDESK_CALCOM_RATE_LIMIT",
    "FRONTDESK_CALCOM_WEBHOOK_SECRET",
    "FRONTDESK_AVAILABILITY_CACHE",
    "FRONTDESK_AVAILABILITY_TTL_SECS",
    "FRONTDESK_WINDOW_CACHE_MB",
    "FRONTDESK_SMTP_URL",
    "FRONTDESK_SMTP_FROM",
    "FRONTDESK_SMTP_CA_FILE",
    "FRONTDESK_SMS_URL",
    "FRONTDESK_SMS_ACCOUNT_SID",
    "FRONTDESK_SMS_AUTH_TOKEN",
    "FRONTDESK_SMS_FROM",
    "FRONTDESK_NOTIFY_LEASE_SECS",
    "FRONTDESK_ADMIN_TOKEN",
    "FRONTDESK_RETENTION_DAYS",
];

fn file_key(name: &str) -> String {
    name.trim_start_matches("FRONTDESK_").to_ascii_lowercase()
}

/// Where settings come from: the environment, which wins, over the file.
struct Source<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    file: BTreeMap<String, String>,
}

impl Source<'_> {
    /// A plain value, trimmed; empty (or blank) counts as unset.
    fn text(&self, name: &'static str) -> Option<String> {
        (self.env)(name)
            .filter(|v| !v.trim().is_empty())
            .or_else(|| self.file.get(&file_key(name)).cloned())
            .map(|v| v.trim().to_string())
    }

    /// A secret: set but empty (or blank) from either source stops the start, since an empty
    /// key signs and verifies anything. The environment still wins over the file.
    fn secret(&self, name: &'static str) -> Result<Option<Secret>, ConfigError> {
        match (self.env)(name).or_else(|| self.file.get(&file_key(name)).cloned()) {
            None => Ok(None),
            Some(value) => Secret::parse(&value).map(Some).map_err(|empty| invalid(name, empty.to_string())),
        }
    }

    /// A number: its default when unset, else within its bounds.
    fn number<T>(&self, setting: &Number<T>) -> Result<T, ConfigError>
    where
        T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        let Some(text) = self.text(setting.name) else { return Ok(setting.default) };
        text.parse::<T>().ok().filter(|n| *n >= setting.min && *n <= setting.max).ok_or_else(|| {
            invalid(
                setting.name,
                format!("{text:?} is not a number of {} from {} to {}", setting.unit, setting.min, setting.max),
            )
        })
    }

    /// An http(s) URL without a trailing slash, or the error naming the variable.
    fn web_url(&self, name: &'static str) -> Result<Option<String>, ConfigError> {
        match self.text(name) {
            None => Ok(None),
            Some(url) if (url.starts_with("https://") || url.starts_with("http://")) && !url.contains(char::is_whitespace) => {
                Ok(Some(url.trim_end_matches('/').to_string()))
            }
            Some(url) => Err(invalid(name, format!("{url:?} is not an http:// or https:// URL"))),
        }
    }
}

/// Reads the file's keys; each must be a known setting.
fn read_file(path: &Path) -> Result<BTreeMap<String, String>, ConfigError> {
    let problem = |problem: String| ConfigError::File { path: path.display().to_string(), problem };
    let text = std::fs::read_to_string(path).map_err(|e| problem(e.to_string()))?;
    let table: BTreeMap<String, toml::Value> = toml::from_str(&text).map_err(|e| problem(e.message().to_string()))?;
    let known: Vec<String> = VARIABLES.iter().map(|v| file_key(v)).collect();
    table
        .into_iter()
        .map(|(key, value)| {
            if !known.contains(&key) {
                return Err(problem(format!("unknown setting `{key}`, expected one of {}", known.join(", "))));
            }
            let value = match value {
                toml::Value::String(text) => text,
                toml::Value::Integer(n) => n.to_string(),
                toml::Value::Boolean(b) => if b { "on" } else { "off" }.to_string(),
                _ => return Err(problem(format!("`{key}` must be a string or a whole number"))),
            };
            Ok((key, value))
        })
        .collect()
}

impl ServerSection {
    fn read(source: &Source) -> Result<Self, ConfigError> {
        let listen_text = source.text("FRONTDESK_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen = listen_text
            .parse()
            .map_err(|_| invalid("FRONTDESK_LISTEN", format!("{listen_text:?} is not an address like 127.0.0.1:8080")))?;
        let timeout = Duration::from_secs(source.number(&REQUEST_TIMEOUT_SECS)?);
        let connection_limits = ConnectionLimits {
            max_connections: source.number(&MAX_CONNECTIONS)?,
            per_address: source.number(&MAX_CONNECTIONS_PER_ADDRESS)?,
            header_timeout: timeout,
            body_timeout: timeout,
        };
        Ok(Self { listen, public_url: source.web_url("FRONTDESK_PUBLIC_URL")?, connection_limits })
    }
}

impl DatabaseSection {
    fn read(source: &Source) -> Result<Self, ConfigError> {
        let url = source.text("FRONTDESK_DATABASE_URL").unwrap_or_else(|| "sqlite://frontdesk.db?mode=rwc".into());
        if !["sqlite:", "postgres:", "postgresql:"].iter().any(|p| url.starts_with(p)) {
            return Err(invalid("FRONTDESK_DATABASE_URL", "must start with sqlite:// or postgres://"));
        }
        let tenants = source.text("FRONTDESK_TENANTS").map(PathBuf::from);
        if let Some(path) = tenants.as_ref().filter(|p| !p.is_file()) {
            return Err(invalid("FRONTDESK_TENANTS", format!("{} is not a readable file", path.display())));
        }
        Ok(Self { url, tenants })
    }
}

impl RedisSection {
    fn read(source: &Source) -> Result<Self, ConfigError> {
        let url = source.text("FRONTDESK_REDIS_URL");
        if url.as_ref().is_some_and(|u| !u.starts_with("redis://") && !u.starts_with("rediss://")) {
            return Err(invalid("FRONTDESK_REDIS_URL", "must start with redis://"));
        }
        Ok(Self { url, prefix: source.text("FRONTDESK_REDIS_PREFIX").unwrap_or_else(|| "frontdesk".into()) })
    }
}

impl CalcomSection {
    fn read(source: &Source) -> Result<Self, ConfigError> {
        let calendar = match source.text("FRONTDESK_CALENDAR") {
            None => CalendarKind::Local,
            Some(text) => CalendarKind::parse(&text).map_err(|problem| invalid("FRONTDESK_CALENDAR", problem))?,
        };
        let base_url = source.text("FRONTDESK_CALCOM_BASE_URL").unwrap_or_else(|| "https://api.cal.com".into());
        if !base_url.starts_with("http://") && !base_url.starts_with("https://") {
            return Err(invalid("FRONTDESK_CALCOM_BASE_URL", "must be an http(s) URL"));
        }
        Ok(Self {
            calendar,
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key: source.secret("FRONTDESK_CALCOM_API_KEY")?,
            rate_limit: source.number(&CALCOM_RATE_LIMIT)?,
            webhook_secret: source.secret("FRONTDESK_CALCOM_WEBHOOK_SECRET")?,
        })
    }
}

impl AvailabilitySection {
    fn read(source: &Source) -> Result<Self, ConfigError> {
        let cache = match source.text("FRONTDESK_AVAILABILITY_CACHE").as_deref() {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => {
                return Err(invalid("FRONTDESK_AVAILABILITY_CACHE", format!("{other:?} is neither \"on\" nor \"off\"")))
            }
        };
        Ok(Self {
            cache,
            ttl: Duration::from_secs(source.number(&AVAILABILITY_TTL_SECS)?),
            window_cache_mb: source.number(&WINDOW_CACHE_MB)?,
        })
    }
}

impl SmtpSection {
    fn read(source: &Source) -> Result<Self, ConfigError> {
        let url = source.secret("FRONTDESK_SMTP_URL")?;
        if url.as_ref().is_some_and(|u| !(u.expose().starts_with("smtp://") || u.expose().starts_with("smtps://"))) {
            return Err(invalid("FRONTDESK_SMTP_URL", "is not an smtp:// or smtps:// URL"));
        }
        let from = source.text("FRONTDESK_SMTP_FROM");
        if url.is_some() && from.is_none() {
            return Err(invalid("FRONTDESK_SMTP_FROM", "is required with FRONTDESK_SMTP_URL"));
        }
        let ca_pem = match source.text("FRONTDESK_SMTP_CA_FILE") {
            None => None,
            Some(path) => match std::fs::read_to_string(&path) {
                Ok(pem) if pem.contains("-----BEGIN CERTIFICATE-----") => Some(pem),
                Ok(_) => return Err(invalid("FRONTDESK_SMTP_CA_FILE", format!("{path} holds no PEM certificate"))),
                Err(error) => return Err(invalid("FRONTDESK_SMTP_CA_FILE", format!("{path}: {error}"))),
            },
        };
        Ok(Self { url, from, ca_pem })
    }
}

impl SmsSection {
    fn read(source: &Source) -> Result<Self, ConfigError> {
        let url = source.web_url("FRONTDESK_SMS_URL")?;
        let account_sid = source.text("FRONTDESK_SMS_ACCOUNT_SID").map(|s| s.trim().to_string());
        let auth_token = source.secret("FRONTDESK_SMS_AUTH_TOKEN")?;
        let from = source
            .text("FRONTDESK_SMS_FROM")
            .map(|text| crate::sms::SmsSender::parse(&text).map_err(|why| invalid("FRONTDESK_SMS_FROM", why)))
            .transpose()?;
        // With a URL, the account, its token and a sender are required: a half-set SMS would
        // fail every message later instead of the start now.
        if url.is_some() {
            for (name, missing) in [
                ("FRONTDESK_SMS_ACCOUNT_SID", account_sid.is_none()),
                ("FRONTDESK_SMS_AUTH_TOKEN", auth_token.is_none()),
                ("FRONTDESK_SMS_FROM", from.is_none()),
            ] {
                if missing {
                    return Err(invalid(name, "is required with FRONTDESK_SMS_URL"));
                }
            }
        }
        Ok(Self { url, account_sid, auth_token, from })
    }

    /// Whether SMS can be sent at all.
    pub fn enabled(&self) -> bool {
        self.url.is_some()
    }
}

impl ConsoleSection {
    fn read(source: &Source) -> Result<Self, ConfigError> {
        let admin_token = source.secret("FRONTDESK_ADMIN_TOKEN")?;
        // The token opens every company's data: it must not be guessable.
        if admin_token.as_ref().is_some_and(|t| t.expose().chars().count() < 16) {
            return Err(invalid("FRONTDESK_ADMIN_TOKEN", "is shorter than 16 characters"));
        }
        Ok(Self { admin_token })
    }
}

impl Settings {
    /// Loads settings from the process environment and an optional file.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_from(file, |name| std::env::var(name).ok())
    }

    /// Loads settings with an injectable environment (tests).
    pub fn load_from(file: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let file = file.map(read_file).transpose()?.unwrap_or_default();
        let source = Source { env: &env, file };
        let retell = RetellSection {
            api_key: source.secret("FRONTDESK_RETELL_API_KEY")?,
            base_url: source.web_url("FRONTDESK_RETELL_BASE_URL")?.unwrap_or_else(|| "https://api.retellai.com".into()),
        };
        let calcom = CalcomSection::read(&source)?;
        let console = ConsoleSection::read(&source)?;
        let smtp = SmtpSection::read(&source)?;
        let sms = SmsSection::read(&source)?;
        Ok(Self {
            server: ServerSection::read(&source)?,
            database: DatabaseSection::read(&source)?,
            redis: RedisSection::read(&source)?,
            retell,
            calcom,
            availability: AvailabilitySection::read(&source)?,
            smtp,
            sms,
            notify: NotifySection { lease: Duration::from_secs(source.number(&NOTIFY_LEASE_SECS)?) },
            console,
            privacy: PrivacySection { retention_days: source.number(&RETENTION_DAYS)? },
        })
    }

    /// The Retell key, required to serve.
    pub fn require_retell_key(&self) -> Result<&Secret, ConfigError> {
        self.retell.api_key.as_ref().ok_or(ConfigError::Missing {
            name: "FRONTDESK_RETELL_API_KEY",
            why: "the API key Retell signs function calls with",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::load_from(None, |name| map.get(name).cloned())
    }

    #[test]
    fn defaults_follow_the_design() {
        let settings = load(&[]).unwrap();
        assert_eq!(settings.server.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.database.url, "sqlite://frontdesk.db?mode=rwc");
        assert_eq!(settings.calcom.calendar, CalendarKind::Local);
        assert!(settings.availability.cache);
        assert_eq!(
            settings.require_retell_key().unwrap_err().to_string(),
            "missing setting FRONTDESK_RETELL_API_KEY: the API key Retell signs function calls with"
        );
    }

    #[test]
    fn invalid_values_name_the_variable() {
        for (name, value) in [
            ("FRONTDESK_LISTEN", "nope"),
            ("FRONTDESK_DATABASE_URL", "mysql://x"),
            ("FRONTDESK_CALENDAR", "google"),
            ("FRONTDESK_AVAILABILITY_CACHE", "maybe"),
            ("FRONTDESK_TENANTS", "/does/not/exist.toml"),
            ("FRONTDESK_REDIS_URL", "http://x"),
            ("FRONTDESK_CALCOM_RATE_LIMIT", "500"),
            ("FRONTDESK_AVAILABILITY_TTL_SECS", "0"),
            ("FRONTDESK_NOTIFY_LEASE_SECS", "5"),
            ("FRONTDESK_SMTP_CA_FILE", "/does/not/exist.pem"),
            ("FRONTDESK_SMTP_CA_FILE", "Cargo.toml"),
            ("FRONTDESK_SMS_URL", "api.twilio.com"),
            ("FRONTDESK_SMS_FROM", "SalonSchnitt1"),
            ("FRONTDESK_SMS_FROM", "+49 nope"),
        ] {
            let error = load(&[(name, value)]).unwrap_err().to_string();
            assert!(error.starts_with(&format!("invalid setting {name}:")), "{error}");
        }
    }

    #[test]
    fn empty_secrets_are_refused_from_every_source() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "FRONTDESK_RETELL_API_KEY",
            "FRONTDESK_CALCOM_API_KEY",
            "FRONTDESK_CALCOM_WEBHOOK_SECRET",
            "FRONTDESK_ADMIN_TOKEN",
            "FRONTDESK_SMTP_URL",
            "FRONTDESK_SMS_AUTH_TOKEN",
        ] {
            let key = name.trim_start_matches("FRONTDESK_").to_ascii_lowercase();
            for blank in ["", " ", "\t "] {
                let expected = format!("invalid setting {name}: is empty; set a real secret or remove the setting");
                assert_eq!(load(&[(name, blank)]).unwrap_err().to_string(), expected);
                let path = dir.path().join("frontdesk.toml");
                std::fs::write(&path, format!("{key} = {blank:?}\n")).unwrap();
                assert_eq!(Settings::load_from(Some(&path), |_| None).unwrap_err().to_string(), expected);
            }
        }
    }

    #[test]
    fn sms_needs_its_account_token_and_sender_together() {
        let url = ("FRONTDESK_SMS_URL", "https://api.twilio.com");
        let sid = ("FRONTDESK_SMS_ACCOUNT_SID", "AC0123");
        let token = ("FRONTDESK_SMS_AUTH_TOKEN", "secret-token");
        let from = ("FRONTDESK_SMS_FROM", "Schnittpkt");
        assert!(!load(&[]).unwrap().sms.enabled());
        assert!(load(&[url, sid, token, from]).unwrap().sms.enabled());
        for missing in 1..4 {
            let mut set = vec![url, sid, token, from];
            let (name, _) = set.remove(missing);
            let error = load(&set).unwrap_err().to_string();
            assert_eq!(error, format!("invalid setting {name}: is required with FRONTDESK_SMS_URL"));
        }
    }

    #[test]
    fn the_admin_token_is_long_and_the_public_url_a_web_address() {
        let short = load(&[("FRONTDESK_ADMIN_TOKEN", "kurz")]).unwrap_err().to_string();
        assert_eq!(short, "invalid setting FRONTDESK_ADMIN_TOKEN: is shorter than 16 characters");
        assert!(load(&[("FRONTDESK_ADMIN_TOKEN", "0123456789abcdef")]).is_ok());
        let url = load(&[("FRONTDESK_PUBLIC_URL", "frontdesk.example")]).unwrap_err().to_string();
        assert!(url.starts_with("invalid setting FRONTDESK_PUBLIC_URL:"), "{url}");
        let settings = load(&[("FRONTDESK_PUBLIC_URL", "https://desk.example/")]).unwrap();
        assert_eq!(settings.server.public_url.as_deref(), Some("https://desk.example"));
    }

    #[test]
    fn environment_overrides_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frontdesk.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9000\"\nretell_api_key = \"from-file\"\n").unwrap();
        let settings =
            Settings::load_from(Some(&path), |name| (name == "FRONTDESK_LISTEN").then(|| "127.0.0.1:9001".to_string()))
                .unwrap();
        assert_eq!(settings.server.listen.port(), 9001);
        assert_eq!(settings.retell.api_key.unwrap().expose(), "from-file");
        assert_eq!(format!("{:?}", Secret::new("x")), "Secret(***)");
    }

    #[test]
    fn the_file_knows_every_variable_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frontdesk.toml");
        std::fs::write(&path, "calcom_rate_limit = 90\navailability_cache = false\nredis_prefix = \"salon\"\n").unwrap();
        let settings = Settings::load_from(Some(&path), |_| None).unwrap();
        assert_eq!((settings.calcom.rate_limit, settings.availability.cache), (90, false));
        assert_eq!(settings.redis.prefix, "salon");
        std::fs::write(&path, "listen_address = \"127.0.0.1:1\"\n").unwrap();
        let error = Settings::load_from(Some(&path), |_| None).unwrap_err().to_string();
        assert!(error.contains("unknown setting `listen_address`"), "{error}");
        std::fs::write(&path, "calcom_rate_limit = 500\n").unwrap();
        let error = Settings::load_from(Some(&path), |_| None).unwrap_err().to_string();
        assert_eq!(error, "invalid setting FRONTDESK_CALCOM_RATE_LIMIT: \"500\" is not a number of requests per minute from 1 to 120");
    }

    #[test]
    fn connection_limits_default_to_the_table() {
        let limits = load(&[]).unwrap().server.connection_limits;
        assert_eq!(limits, ConnectionLimits::default());
        assert_eq!((limits.max_connections, limits.per_address, limits.header_timeout.as_secs()), (4096, 256, 10));
        let set = load(&[("FRONTDESK_REQUEST_TIMEOUT_SECS", "30"), ("FRONTDESK_MAX_CONNECTIONS", "10")]).unwrap();
        assert_eq!(set.server.connection_limits.body_timeout, Duration::from_secs(30));
        assert_eq!(set.server.connection_limits.max_connections, 10);
    }
}
