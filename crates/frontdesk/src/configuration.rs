//! Typed settings from an optional TOML file overridden by `FRONTDESK_*` environment variables
//! (DESIGN §4). A missing or invalid setting is reported with the variable's name.

pub use crate::domain::{CalendarKind, Secret};
pub use crate::http::ConnectionLimits;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Every setting of the service.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Bind address.
    pub listen: SocketAddr,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Redis, for shared cache, locks and invalidation.
    pub redis_url: Option<String>,
    /// Tenants file imported at start.
    pub tenants: Option<PathBuf>,
    /// Key that signs Retell requests; required by `serve`.
    pub retell_api_key: Option<Secret>,
    /// Default calendar provider.
    pub calendar: CalendarKind,
    /// Cal.com API base URL.
    pub calcom_base_url: String,
    /// Default Cal.com API key.
    pub calcom_api_key: Option<Secret>,
    /// Requests per minute per Cal.com key that frontdesk allows itself (Cal.com locks above 120).
    pub calcom_rate_limit: u32,
    /// Verifies Cal.com webhooks.
    pub calcom_webhook_secret: Option<Secret>,
    /// Availability cache on (default) or off (baseline mode).
    pub availability_cache: bool,
    /// Time to live of an availability window.
    pub availability_ttl: std::time::Duration,
    /// Prefix of Redis channels and keys (instances of one deployment share it).
    pub redis_prefix: String,
    /// Bearer token for /admin.
    pub admin_token: Option<Secret>,
    /// The URL the service is reachable at (`FRONTDESK_PUBLIC_URL`): Retell URLs in the console,
    /// and `Secure` session cookies when it is `https://`.
    pub public_url: Option<String>,
    /// `FRONTDESK_SMTP_URL`: `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…`;
    /// unset = no e-mail (e-mail notices then fail visibly). A secret: it holds a password.
    pub smtp_url: Option<Secret>,
    /// `FRONTDESK_SMTP_FROM`: the sender, e.g. `Salon <noreply@salon.example>`.
    pub smtp_from: Option<String>,
    /// `FRONTDESK_SMTP_CA_FILE`: PEM certificates of a private CA that signed the mail server's
    /// certificate, trusted besides the public ones (read at start).
    pub smtp_ca_pem: Option<String>,
    /// Open connections in all and per client address, header and body timeouts.
    pub connection_limits: ConnectionLimits,
    /// Memory the availability windows may take, in MiB (the coldest are evicted beyond it).
    pub window_cache_mb: u64,
    /// `FRONTDESK_NOTIFY_LEASE_SECS`: how long an instance's claim on an outbox message holds
    /// before another (or a restarted) instance may deliver it; longer than any delivery's timeout.
    pub notify_lease: std::time::Duration,
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    listen: Option<String>,
    database_url: Option<String>,
    redis_url: Option<String>,
    tenants: Option<String>,
    retell_api_key: Option<String>,
    calendar: Option<String>,
    calcom_base_url: Option<String>,
    calcom_api_key: Option<String>,
    calcom_rate_limit: Option<String>,
    calcom_webhook_secret: Option<String>,
    availability_cache: Option<String>,
    availability_ttl_secs: Option<String>,
    redis_prefix: Option<String>,
    admin_token: Option<String>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    smtp_from: Option<String>,
    smtp_ca_file: Option<String>,
    max_connections: Option<String>,
    max_connections_per_address: Option<String>,
    request_timeout_secs: Option<String>,
    window_cache_mb: Option<String>,
    notify_lease_secs: Option<String>,
}

/// A number setting: `default` when unset, else within `range`, or the one-line error naming it.
fn number<T>(
    name: &'static str,
    text: Option<String>,
    default: T,
    range: std::ops::RangeInclusive<T>,
    unit: &str,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let Some(text) = text else { return Ok(default) };
    text.parse::<T>().ok().filter(|n| range.contains(n)).ok_or_else(|| ConfigError::Invalid {
        name,
        problem: format!("{text:?} is not a number of {unit} from {} to {}", range.start(), range.end()),
    })
}

impl Settings {
    /// Loads settings from the process environment and an optional file.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_from(file, |name| std::env::var(name).ok())
    }

    /// Loads settings with an injectable environment (tests).
    pub fn load_from(file: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let from_file = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| ConfigError::File { path: path.display().to_string(), problem: e.to_string() })?;
                toml::from_str::<FileSettings>(&text).map_err(|e| ConfigError::File {
                    path: path.display().to_string(),
                    problem: e.message().to_string(),
                })?
            }
            None => FileSettings::default(),
        };
        // The environment wins over the file; empty variables count as unset.
        let get = |name: &'static str, file_value: Option<String>| {
            env(name).filter(|v| !v.trim().is_empty()).or(file_value).map(|v| v.trim().to_string())
        };
        // Secrets: set but empty (or blank) from either source stops the start, since an empty
        // key signs and verifies anything. The environment still wins over the file.
        let secret = |name: &'static str, file_value: Option<String>| -> Result<Option<Secret>, ConfigError> {
            match env(name).or(file_value) {
                None => Ok(None),
                Some(value) => Secret::parse(&value)
                    .map(Some)
                    .map_err(|empty| ConfigError::Invalid { name, problem: empty.to_string() }),
            }
        };
        let retell_api_key = secret("FRONTDESK_RETELL_API_KEY", from_file.retell_api_key)?;
        let calcom_api_key = secret("FRONTDESK_CALCOM_API_KEY", from_file.calcom_api_key)?;
        let calcom_webhook_secret = secret("FRONTDESK_CALCOM_WEBHOOK_SECRET", from_file.calcom_webhook_secret)?;
        let admin_token = secret("FRONTDESK_ADMIN_TOKEN", from_file.admin_token)?;
        // The token opens every company's data: it must not be guessable.
        if admin_token.as_ref().is_some_and(|t| t.expose().chars().count() < 16) {
            return Err(ConfigError::Invalid { name: "FRONTDESK_ADMIN_TOKEN", problem: "is shorter than 16 characters".into() });
        }
        let smtp_url = secret("FRONTDESK_SMTP_URL", from_file.smtp_url)?;
        if smtp_url.as_ref().is_some_and(|u| !(u.expose().starts_with("smtp://") || u.expose().starts_with("smtps://"))) {
            return Err(ConfigError::Invalid { name: "FRONTDESK_SMTP_URL", problem: "is not an smtp:// or smtps:// URL".into() });
        }
        let smtp_from = get("FRONTDESK_SMTP_FROM", from_file.smtp_from);
        if smtp_url.is_some() && smtp_from.is_none() {
            return Err(ConfigError::Invalid { name: "FRONTDESK_SMTP_FROM", problem: "is required with FRONTDESK_SMTP_URL".into() });
        }
        let smtp_ca_pem = match get("FRONTDESK_SMTP_CA_FILE", from_file.smtp_ca_file) {
            None => None,
            Some(path) => match std::fs::read_to_string(&path) {
                Ok(pem) if pem.contains("-----BEGIN CERTIFICATE-----") => Some(pem),
                Ok(_) => {
                    return Err(ConfigError::Invalid { name: "FRONTDESK_SMTP_CA_FILE", problem: format!("{path} holds no PEM certificate") })
                }
                Err(error) => return Err(ConfigError::Invalid { name: "FRONTDESK_SMTP_CA_FILE", problem: format!("{path}: {error}") }),
            },
        };
        let public_url = match get("FRONTDESK_PUBLIC_URL", from_file.public_url) {
            None => None,
            Some(url) if (url.starts_with("https://") || url.starts_with("http://")) && !url.contains(char::is_whitespace) => {
                Some(url.trim_end_matches('/').to_string())
            }
            Some(url) => {
                return Err(ConfigError::Invalid {
                    name: "FRONTDESK_PUBLIC_URL",
                    problem: format!("{url:?} is not an http:// or https:// URL"),
                })
            }
        };
        let listen_text = get("FRONTDESK_LISTEN", from_file.listen).unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen = listen_text.parse().map_err(|_| ConfigError::Invalid {
            name: "FRONTDESK_LISTEN",
            problem: format!("{listen_text:?} is not an address like 127.0.0.1:8080"),
        })?;
        let database_url = get("FRONTDESK_DATABASE_URL", from_file.database_url)
            .unwrap_or_else(|| "sqlite://frontdesk.db?mode=rwc".into());
        if !["sqlite:", "postgres:", "postgresql:"].iter().any(|p| database_url.starts_with(p)) {
            return Err(ConfigError::Invalid {
                name: "FRONTDESK_DATABASE_URL",
                problem: "must start with sqlite:// or postgres://".into(),
            });
        }
        let redis_url = get("FRONTDESK_REDIS_URL", from_file.redis_url);
        if let Some(url) = &redis_url {
            if !url.starts_with("redis://") && !url.starts_with("rediss://") {
                return Err(ConfigError::Invalid {
                    name: "FRONTDESK_REDIS_URL",
                    problem: "must start with redis://".into(),
                });
            }
        }
        let tenants = get("FRONTDESK_TENANTS", from_file.tenants).map(PathBuf::from);
        if let Some(path) = &tenants {
            if !path.is_file() {
                return Err(ConfigError::Invalid {
                    name: "FRONTDESK_TENANTS",
                    problem: format!("{} is not a readable file", path.display()),
                });
            }
        }
        let calendar = match get("FRONTDESK_CALENDAR", from_file.calendar) {
            None => CalendarKind::Local,
            Some(text) => CalendarKind::parse(&text)
                .map_err(|problem| ConfigError::Invalid { name: "FRONTDESK_CALENDAR", problem })?,
        };
        let calcom_rate_limit = number(
            "FRONTDESK_CALCOM_RATE_LIMIT",
            get("FRONTDESK_CALCOM_RATE_LIMIT", from_file.calcom_rate_limit),
            100,
            1..=120,
            "requests per minute",
        )?;
        let calcom_base_url =
            get("FRONTDESK_CALCOM_BASE_URL", from_file.calcom_base_url).unwrap_or_else(|| "https://api.cal.com".into());
        if !calcom_base_url.starts_with("http://") && !calcom_base_url.starts_with("https://") {
            return Err(ConfigError::Invalid {
                name: "FRONTDESK_CALCOM_BASE_URL",
                problem: "must be an http(s) URL".into(),
            });
        }
        let availability_cache = match get("FRONTDESK_AVAILABILITY_CACHE", from_file.availability_cache).as_deref() {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "FRONTDESK_AVAILABILITY_CACHE",
                    problem: format!("{other:?} is neither \"on\" nor \"off\""),
                })
            }
        };
        let availability_ttl = std::time::Duration::from_secs(number(
            "FRONTDESK_AVAILABILITY_TTL_SECS",
            get("FRONTDESK_AVAILABILITY_TTL_SECS", from_file.availability_ttl_secs),
            300,
            5..=3600,
            "seconds",
        )?);
        let defaults = ConnectionLimits::default();
        let connection_limits = ConnectionLimits {
            max_connections: number(
                "FRONTDESK_MAX_CONNECTIONS",
                get("FRONTDESK_MAX_CONNECTIONS", from_file.max_connections),
                defaults.max_connections,
                1..=1_000_000,
                "connections",
            )?,
            per_address: number(
                "FRONTDESK_MAX_CONNECTIONS_PER_ADDRESS",
                get("FRONTDESK_MAX_CONNECTIONS_PER_ADDRESS", from_file.max_connections_per_address),
                defaults.per_address,
                1..=1_000_000,
                "connections",
            )?,
            ..defaults
        };
        let timeout = std::time::Duration::from_secs(number(
            "FRONTDESK_REQUEST_TIMEOUT_SECS",
            get("FRONTDESK_REQUEST_TIMEOUT_SECS", from_file.request_timeout_secs),
            connection_limits.header_timeout.as_secs(),
            1..=300,
            "seconds",
        )?);
        let connection_limits =
            ConnectionLimits { header_timeout: timeout, body_timeout: timeout, ..connection_limits };
        let window_cache_mb = number(
            "FRONTDESK_WINDOW_CACHE_MB",
            get("FRONTDESK_WINDOW_CACHE_MB", from_file.window_cache_mb),
            256,
            1..=65_536,
            "MiB",
        )?;
        // At least 25 s: an e-mail delivery may take up to 20 s, and a claim that ran out while
        // its delivery was still going would let a second instance send the same message.
        let notify_lease = std::time::Duration::from_secs(number(
            "FRONTDESK_NOTIFY_LEASE_SECS",
            get("FRONTDESK_NOTIFY_LEASE_SECS", from_file.notify_lease_secs),
            60,
            25..=3600,
            "seconds",
        )?);
        let redis_prefix = get("FRONTDESK_REDIS_PREFIX", from_file.redis_prefix).unwrap_or_else(|| "frontdesk".into());
        Ok(Self {
            listen,
            availability_ttl,
            redis_prefix,
            database_url,
            redis_url,
            tenants,
            retell_api_key,
            calendar,
            calcom_base_url: calcom_base_url.trim_end_matches('/').to_string(),
            calcom_api_key,
            calcom_rate_limit,
            calcom_webhook_secret,
            availability_cache,
            admin_token,
            public_url,
            smtp_url,
            smtp_from,
            smtp_ca_pem,
            connection_limits,
            window_cache_mb,
            notify_lease,
        })
    }

    /// The Retell key, required to serve.
    pub fn require_retell_key(&self) -> Result<&Secret, ConfigError> {
        self.retell_api_key.as_ref().ok_or(ConfigError::Missing {
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
        assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.database_url, "sqlite://frontdesk.db?mode=rwc");
        assert_eq!(settings.calendar, CalendarKind::Local);
        assert!(settings.availability_cache);
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
    fn the_admin_token_is_long_and_the_public_url_a_web_address() {
        let short = load(&[("FRONTDESK_ADMIN_TOKEN", "kurz")]).unwrap_err().to_string();
        assert_eq!(short, "invalid setting FRONTDESK_ADMIN_TOKEN: is shorter than 16 characters");
        assert!(load(&[("FRONTDESK_ADMIN_TOKEN", "0123456789abcdef")]).is_ok());
        let url = load(&[("FRONTDESK_PUBLIC_URL", "frontdesk.example")]).unwrap_err().to_string();
        assert!(url.starts_with("invalid setting FRONTDESK_PUBLIC_URL:"), "{url}");
        let settings = load(&[("FRONTDESK_PUBLIC_URL", "https://desk.example/")]).unwrap();
        assert_eq!(settings.public_url.as_deref(), Some("https://desk.example"));
    }

    #[test]
    fn environment_overrides_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frontdesk.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9000\"\nretell_api_key = \"from-file\"\n").unwrap();
        let settings =
            Settings::load_from(Some(&path), |name| (name == "FRONTDESK_LISTEN").then(|| "127.0.0.1:9001".to_string()))
                .unwrap();
        assert_eq!(settings.listen.port(), 9001);
        assert_eq!(settings.retell_api_key.unwrap().expose(), "from-file");
        assert_eq!(format!("{:?}", Secret::new("x")), "Secret(***)");
    }
}
