//! The `calsim` command line (DESIGN §3): `calsim` itself, and `callbench`'s child process.

use crate::{Faults, Fixture, Sim, Webhook};
use chrono::{DateTime, Utc};
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "calsim", version, about = "A Cal.com API v2 simulator")]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
    /// Uniform latency range, e.g. 300..800.
    #[arg(long, default_value = "300..800", value_parser = range)]
    latency_ms: (u64, u64),
    /// Tail latency range, e.g. 4000..12000 (with --tail-rate).
    #[arg(long, value_parser = range)]
    tail_ms: Option<(u64, u64)>,
    /// Share of requests that take the tail latency.
    #[arg(long, default_value_t = 0.0)]
    tail_rate: f64,
    /// Share of /v2 requests answered with a 500.
    #[arg(long, default_value_t = 0.0)]
    fail_rate: f64,
    /// Requests per minute per API key before 429.
    #[arg(long)]
    rate_limit: Option<u32>,
    /// Event types and API keys (JSON).
    #[arg(long)]
    fixture: Option<PathBuf>,
    /// Where to POST booking webhooks.
    #[arg(long)]
    webhook_url: Option<String>,
    /// Secret that signs webhooks.
    #[arg(long)]
    webhook_secret: Option<String>,
    /// Start the simulator's clock at this instant (RFC 3339, e.g. 2026-11-30T07:00:00Z) and let
    /// it run on from there, so that it agrees with an app under test that has a fixed "now".
    #[arg(long, value_parser = instant)]
    now: Option<DateTime<Utc>>,
    /// Also serve the Retell API simulator here (provisioning against it).
    #[arg(long)]
    retell_listen: Option<SocketAddr>,
    /// The Retell API key it accepts (with --retell-listen).
    #[arg(long, default_value = "key_retell_sim")]
    retell_key: String,
    /// A phone number the Retell account owns (repeatable).
    #[arg(long)]
    retell_number: Vec<String>,
}

/// Parses an RFC 3339 instant, as `--now` takes it.
fn instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| "expected an RFC 3339 instant like 2026-11-30T07:00:00Z".into())
}

/// Parses `MIN..MAX` (milliseconds), as the latency options take it.
pub fn range(text: &str) -> Result<(u64, u64), String> {
    let (min, max) = text.split_once("..").ok_or("expected MIN..MAX")?;
    let min: u64 = min.trim().parse().map_err(|_| "MIN is not a number")?;
    let max: u64 = max.trim().parse().map_err(|_| "MAX is not a number")?;
    if max < min {
        return Err("MAX must not be below MIN".into());
    }
    Ok((min, max))
}

/// Parses `args` (program name first) and serves until Ctrl-C or SIGTERM.
pub fn main_from<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::parse_from(args);
    let fixture = match &cli.fixture {
        None => Fixture::default_fixture(),
        Some(path) => match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|t| Fixture::parse(&t)) {
            Ok(fixture) => fixture,
            Err(error) => {
                eprintln!("calsim: invalid --fixture {}: {error}", path.display());
                return ExitCode::FAILURE;
            }
        },
    };
    let faults = Faults {
        latency_ms: cli.latency_ms,
        tail_ms: cli.tail_ms.map(|range| (range, cli.tail_rate)),
        fail_rate: cli.fail_rate,
        rate_limit: cli.rate_limit,
    };
    let webhook = cli.webhook_url.map(|url| Webhook { url, secret: cli.webhook_secret });
    let clock = cli.now.map_or_else(crate::system_clock, crate::running_from);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime starts");
    runtime.block_on(async {
        match crate::serve(Sim::new(fixture, faults, webhook).with_clock(clock), cli.listen).await {
            Ok(running) => {
                println!("calsim listening on {}", running.base_url);
                let _retell = match cli.retell_listen {
                    Some(address) => {
                        let numbers: Vec<&str> = cli.retell_number.iter().map(String::as_str).collect();
                        let sim = crate::retell::RetellSim::new(&[(cli.retell_key.as_str(), numbers.as_slice())]);
                        match crate::retell::serve_retell(sim, address).await {
                            Ok(retell) => {
                                println!("Retell simulator listening on {}", retell.base_url);
                                Some(retell)
                            }
                            Err(error) => {
                                eprintln!("calsim: cannot listen on {address}: {error}");
                                return ExitCode::FAILURE;
                            }
                        }
                    }
                    None => None,
                };
                stop_signal().await;
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("calsim: cannot listen on {}: {error}", cli.listen);
                ExitCode::FAILURE
            }
        }
    })
}

/// Ctrl-C, or SIGTERM from a parent process such as callbench.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
