//! `callbench`: plays many concurrent Retell conversations against frontdesk on a simulated
//! Cal.com and reports per-function latency, cache use and calendar requests — by default twice,
//! frontdesk as built and with its availability cache off (the old system's pattern), side by side.
//! See BENCHMARKS.md. A measurement tool: timings are printed, never asserted.

mod conversation;
mod inbox;
mod integrity;
mod max_rate;
mod observe;
mod onboarding;
mod pass;
mod plot;
mod processes;
mod record;
mod report;
mod servers;
mod tenants;

use clap::{Args, Parser, Subcommand};
use conversation::Think;
use pass::{Length, PassConfig, PassResult};
use servers::{Cluster, Servers};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "callbench",
    version,
    about = "Concurrent Retell conversations against frontdesk, side by side with the cache-less baseline"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Write a generated tenants file and the matching calsim fixture (to run the servers yourself).
    Tenants {
        /// Companies.
        #[arg(long, default_value_t = 20)]
        count: usize,
        /// Directory for tenants.toml and calsim-fixture.json.
        #[arg(long)]
        out: PathBuf,
        /// Every company on the deployment's Cal.com key (FRONTDESK_CALCOM_API_KEY).
        #[arg(long)]
        shared_key: bool,
    },
    /// Draw p99 latency against calls per second from --max-rate reports (one line per report).
    Plot {
        /// The PNG to write.
        #[arg(long)]
        out: PathBuf,
        /// JSON reports written by `--max-rate --json`.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
    },
}

#[derive(Args)]
struct RunArgs {
    /// Companies to generate (one or two branches each, five services per branch).
    #[arg(long, default_value_t = 20)]
    tenants: usize,
    /// Concurrent callers.
    #[arg(long, default_value_t = 50)]
    callers: usize,
    /// Seconds each pass starts conversations for.
    #[arg(long, default_value_t = 60)]
    duration: u64,
    /// Play this many conversations per pass instead of --duration.
    #[arg(long)]
    conversations: Option<usize>,
    /// Pause between turns, MIN..MAX ms (the agent speaking, the caller answering).
    #[arg(long, default_value = "200..600", value_parser = calsim::cli::range)]
    think_ms: (u64, u64),
    /// Ringing and the agent's greeting before the first function call, MIN..MAX ms.
    #[arg(long, default_value = "1500..3000", value_parser = calsim::cli::range)]
    greeting_ms: (u64, u64),
    /// No pauses at all: turns back to back, the first right after the inbound webhook.
    #[arg(long)]
    no_think: bool,
    /// Only frontdesk as built, no baseline pass.
    #[arg(long)]
    no_baseline: bool,
    /// calsim's latency, MIN..MAX ms.
    #[arg(long, default_value = "300..800", value_parser = calsim::cli::range)]
    latency_ms: (u64, u64),
    /// Share of Cal.com requests that fail with a 500.
    #[arg(long, default_value_t = 0.0)]
    fail_rate: f64,
    /// A Cal.com outage of this many seconds in the middle of each pass.
    #[arg(long, default_value_t = 0)]
    outage_secs: u64,
    /// The soak: 10 minutes (or --duration, if longer), frontdesk only, memory and cache sampled every minute.
    #[arg(long)]
    soak: bool,
    /// Throughput mode: warm calls back to back from 1 to 64 callers; the best rate at p99 < 20 ms.
    #[arg(long)]
    max_rate: bool,
    /// A short run for CI (< 60 s): 6 tenants, 10 callers, 12 s per pass, short pauses (greeting 0.9–1.2 s).
    #[arg(long)]
    quick: bool,
    /// Run N frontdesk instances on PostgreSQL + Redis behind HAProxy (round robin per request,
    /// so one conversation's calls land on different instances). Without it: one on SQLite.
    #[arg(long)]
    instances: Option<usize>,
    /// One Cal.com key for every company (the deployment's default key) instead of one each:
    /// one account serving many branches, where frontdesk's per-key budget binds.
    #[arg(long)]
    shared_key: bool,
    /// Companies without notifications: no outbox rows, no deliveries (the comparison for
    /// "notifications cost the functions nothing"). By default every company has an e-mail
    /// address and a signed webhook, received by this process.
    #[arg(long)]
    no_notify: bool,
    /// The PostgreSQL server for --instances (a schema of its own per pass, dropped afterwards).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    postgres_url: String,
    /// The Redis server for --instances (a key prefix of its own per pass).
    #[arg(long, default_value = "redis://127.0.0.1:6379")]
    redis_url: String,
    /// Write every figure to this JSON file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Seed for the callers' choices.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Onboarding time: create N businesses through the admin API, one after another, each asked
    /// at once at its new number (on the last instance, with --instances).
    #[arg(long)]
    onboarding: Option<usize>,
    /// Target a running frontdesk instead of starting one (needs --calsim, --retell-key, --tenants-file).
    #[arg(long, requires_all = ["calsim", "retell_key", "tenants_file"])]
    frontdesk: Option<String>,
    /// The running calsim frontdesk uses.
    #[arg(long)]
    calsim: Option<String>,
    /// The Retell key the running frontdesk checks.
    #[arg(long)]
    retell_key: Option<String>,
    /// The tenants file the running frontdesk was started with.
    #[arg(long)]
    tenants_file: Option<PathBuf>,
}

fn main() -> ExitCode {
    // The child processes: this binary runs calsim's and frontdesk's own command lines.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match args.get(1).and_then(|a| a.to_str()) {
        Some("calsim") => return calsim::cli::main_from(args[1..].iter().cloned()),
        Some("frontdesk") => return frontdesk::cli::main_from(args[1..].iter().cloned()),
        _ => {}
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("callbench: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Some(Command::Tenants { count, out, shared_key }) => write_tenants(count, &out, shared_key),
        Some(Command::Plot { out, reports }) => write_plot(&out, &reports),
        None => runtime.block_on(run(cli.run)),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("callbench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn write_tenants(count: usize, out: &std::path::Path, shared_key: bool) -> anyhow::Result<bool> {
    std::fs::create_dir_all(out)?;
    let text = tenants::tenants_toml(count, shared_key, "");
    let parsed = frontdesk::tenants::TenantsFile::parse(&text).map_err(anyhow::Error::msg)?;
    std::fs::write(out.join("tenants.toml"), &text)?;
    std::fs::write(out.join("calsim-fixture.json"), tenants::calsim_fixture(&parsed).to_string())?;
    println!("wrote {0}/tenants.toml and {0}/calsim-fixture.json", out.display());
    Ok(true)
}

fn write_plot(out: &std::path::Path, reports: &[PathBuf]) -> anyhow::Result<bool> {
    let mut series = Vec::new();
    for path in reports {
        let report: serde_json::Value = serde_json::from_slice(&std::fs::read(path)?)?;
        let instances = report["instances"].as_u64().unwrap_or(1);
        let points: Vec<(f64, f64)> = report["max_rate"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|step| Some((step["calls_per_s"].as_f64()?, step["p99_ms"].as_f64()?)))
            .collect();
        anyhow::ensure!(!points.is_empty(), "{} holds no --max-rate steps", path.display());
        let label = format!("{instances} instance{}", if instances == 1 { "" } else { "s" });
        series.push(plot::Series { label, points });
    }
    let title = "frontdesk behind HAProxy: p99 vs. throughput";
    std::fs::write(out, plot::render(title, &series, max_rate::P99_LIMIT_MS)?)?;
    println!("plot written to {}", out.display());
    Ok(true)
}

/// Runs the passes; whether the run is clean: no 5xx and no answer that is not JSON.
async fn run(mut args: RunArgs) -> anyhow::Result<bool> {
    if args.quick {
        (args.tenants, args.callers, args.duration, args.think_ms, args.greeting_ms) =
            (6, 10, 12, (50, 150), (900, 1200));
    }
    let servers = match (&args.frontdesk, &args.calsim, &args.retell_key, &args.tenants_file) {
        (Some(frontdesk), Some(calsim), Some(retell_key), Some(tenants_file)) => {
            args.no_baseline = true;
            Servers::External {
                frontdesk: frontdesk.clone(),
                calsim: calsim.clone(),
                retell_key: retell_key.clone(),
                tenants_file: tenants_file.clone(),
            }
        }
        _ => Servers::Managed {
            tenants: args.tenants,
            latency_ms: args.latency_ms,
            fail_rate: args.fail_rate,
            shared_key: args.shared_key,
            notify: !args.no_notify,
            cluster: args.instances.map(|instances| Cluster {
                instances,
                postgres_url: args.postgres_url.clone(),
                redis_url: args.redis_url.clone(),
            }),
        },
    };
    if let Some(count) = args.onboarding {
        let running = servers::start(&servers, true).await?;
        let figures = onboarding::run(&running, count).await;
        let instances = servers.instances();
        running.stop().await?;
        onboarding::print(&figures?, instances);
        return Ok(true);
    }
    if args.max_rate {
        println!(
            "callbench — throughput: warm calls back to back, {} tenants, client and server on this machine",
            args.tenants
        );
        let steps = max_rate::run(&servers, &[1, 2, 4, 8, 16, 32, 64], if args.quick { 2 } else { 6 }).await?;
        if let Some(best) = report::best_rate(&steps) {
            println!(
                "best rate with p99 < {} ms: {:.0} calls/s at {} callers",
                max_rate::P99_LIMIT_MS,
                best.rate,
                best.callers
            );
        }
        write_json(&args.json, &report::to_json(&[], &steps, servers.instances()))?;
        return Ok(steps.iter().all(|s| s.failures == 0));
    }
    let length = match (args.soak, args.conversations) {
        (true, _) => Length::Seconds(args.duration.max(600)),
        (false, Some(n)) => Length::Conversations(n),
        (false, None) => Length::Seconds(args.duration),
    };
    let seconds = match length {
        Length::Seconds(s) => s,
        Length::Conversations(_) => 0,
    };
    let outage = (args.outage_secs > 0).then(|| {
        (Duration::from_secs(seconds.saturating_sub(args.outage_secs) / 2), Duration::from_secs(args.outage_secs))
    });
    let think = Think { ms: (!args.no_think).then_some(args.think_ms), greeting_ms: args.greeting_ms };
    let config = |label, cache| PassConfig {
        label,
        cache,
        callers: args.callers,
        length,
        think,
        outage,
        sample_every: args.soak.then_some(Duration::from_secs(60)),
    };
    println!(
        "callbench — {} callers, think {}, calsim {}..{} ms{}{}",
        args.callers,
        think.ms.map(|(a, b)| format!("{a}..{b} ms")).unwrap_or("none".into()),
        args.latency_ms.0,
        args.latency_ms.1,
        if args.fail_rate > 0.0 { format!(", fail rate {}", args.fail_rate) } else { String::new() },
        if args.outage_secs > 0 { format!(", {} s outage mid-pass", args.outage_secs) } else { String::new() },
    );
    let mut passes: Vec<PassResult> = Vec::new();
    passes.push(pass::run(&servers, config("frontdesk", true), args.seed).await?);
    report::print_pass(&passes[0]);
    if !args.no_baseline && !args.soak {
        passes.push(pass::run(&servers, config("baseline", false), args.seed).await?);
        report::print_pass(&passes[1]);
        report::print_comparison(&passes[0], &passes[1]);
    }
    report::print_goals(&passes[0], passes.get(1), &[]);
    write_json(&args.json, &report::to_json(&passes, &[], servers.instances()))?;
    // Only what must never happen fails the run; timings are printed, never asserted.
    let failures = |category: &dyn Fn(&str) -> bool| -> u64 {
        passes
            .iter()
            .flat_map(|p| &p.summaries)
            .flat_map(|s| &s.errors)
            .filter(|(c, _)| category(c))
            .map(|(_, n)| n)
            .sum()
    };
    let five_xx = failures(&|c| c.starts_with("http_5"));
    let not_json = failures(&|c| c == "not_json");
    // A server that stopped answering (no response at all) fails the run too.
    let unanswered = failures(&|c| c == "transport");
    let late: usize = passes[0].summaries.iter().map(|s| s.over_deadline).sum();
    println!("\n{five_xx} answers with 5xx, {not_json} answers that were not JSON, {unanswered} requests without an answer; frontdesk pass: {late} answers past Retell's 5 s");
    let double_bookings: i64 = passes.iter().filter_map(|p| p.integrity).map(|i| i.double_bookings).sum();
    let lost_holds: usize = passes.iter().map(|p| p.lost_holds).sum();
    let lost_notices: i64 = passes.iter().filter_map(report::notices_lost).sum();
    if double_bookings > 0 || lost_holds > 0 || lost_notices > 0 {
        println!("{double_bookings} double bookings, {lost_holds} lost holds, {lost_notices} lost notifications: the run fails");
    }
    Ok(five_xx == 0 && not_json == 0 && unanswered == 0 && double_bookings == 0 && lost_holds == 0 && lost_notices == 0)
}

fn write_json(path: &Option<PathBuf>, value: &serde_json::Value) -> anyhow::Result<()> {
    if let Some(path) = path {
        std::fs::write(path, serde_json::to_string_pretty(value)?)?;
        println!("figures written to {}", path.display());
    }
    Ok(())
}
