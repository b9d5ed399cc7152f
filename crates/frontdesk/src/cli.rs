//! The `frontdesk` command line: serve, demo, migrate, retell-tools, retell-agent, retell-provision,
//! tenants export, feeds, user, bench.

#[cfg(feature = "demo")]
use crate::configuration::CalendarKind;
use crate::configuration::Settings;
use crate::startup::{prepare_database, shutdown_signal, Application};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "frontdesk", version, about = "Answers Retell AI function calls and books appointments")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service (settings from --config and FRONTDESK_* variables).
    Serve {
        /// Optional TOML settings file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Start everything embedded and play a German caller conversation.
    #[cfg(feature = "demo")]
    Demo {
        /// `local` (embedded calendar) or `calcom` (Cal.com simulated in-process).
        #[arg(long, default_value = "local", value_parser = CalendarKind::parse)]
        calendar: CalendarKind,
        /// Keep serving after the conversation (the operator console with the demo's data) until Ctrl-C.
        #[arg(long)]
        serve: bool,
    },
    /// Apply migrations to FRONTDESK_DATABASE_URL (and import FRONTDESK_TENANTS if set).
    Migrate {
        /// Optional TOML settings file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Print the Retell custom-function definitions, ready to paste into the agent.
    RetellTools {
        /// Public base URL of this frontdesk (default: FRONTDESK_PUBLIC_URL).
        #[arg(long, env = "FRONTDESK_PUBLIC_URL")]
        base_url: Option<String>,
        /// One branch ("Branch" or "Company/Branch"): its services become the only values of
        /// `service`, and the filler lines speak its company's language.
        #[arg(long)]
        branch: Option<String>,
        /// The tenants file the branch is read from.
        #[arg(long, env = "FRONTDESK_TENANTS", default_value = "config/tenants.demo.toml")]
        tenants: PathBuf,
    },
    /// Print a complete Retell agent for one branch: prompt, first sentence, tools, webhook and
    /// inbound URLs, ready to import.
    RetellAgent {
        /// Public base URL of this frontdesk (default: FRONTDESK_PUBLIC_URL).
        #[arg(long, env = "FRONTDESK_PUBLIC_URL")]
        base_url: Option<String>,
        /// The branch ("Branch" or "Company/Branch").
        #[arg(long)]
        branch: String,
        /// The tenants file the branch is read from.
        #[arg(long, env = "FRONTDESK_TENANTS", default_value = "config/tenants.demo.toml")]
        tenants: PathBuf,
    },
    /// Create or update the branch's Retell LLM, agent and number bindings through Retell's API
    /// (FRONTDESK_RETELL_BASE_URL), with the company's Retell key; a second run only updates.
    RetellProvision {
        /// The branch ("Branch" or "Company/Branch"), as stored in FRONTDESK_DATABASE_URL.
        #[arg(long)]
        branch: String,
        /// Public base URL of this frontdesk (default: FRONTDESK_PUBLIC_URL).
        #[arg(long)]
        base_url: Option<String>,
        /// Optional TOML settings file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// The companies in the database as a tenants file.
    Tenants {
        #[command(subcommand)]
        command: TenantsCommand,
    },
    /// Print a secret calendar-feed URL per branch and per staff member (made once, kept; `--rotate`
    /// replaces them all and the old URLs stop working).
    Feeds {
        /// Replace every feed token.
        #[arg(long)]
        rotate: bool,
        /// Base URL (default: FRONTDESK_PUBLIC_URL).
        #[arg(long)]
        base_url: Option<String>,
        /// Optional TOML settings file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Console logins.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    #[cfg(feature = "demo")]
    /// Load loop: warm check_availability through the full HTTP stack, signature included.
    Bench {
        /// The function to call (`check_availability_span`: check_availability for "Dienstag bis Donnerstag nachmittags").
        #[arg(long, default_value = "check_availability")]
        function: String,
        /// Number of calls.
        #[arg(long, default_value_t = 20_000)]
        calls: usize,
        /// Concurrent callers.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Instead: time the operator console's pages with 10,000 appointments in the database
        /// (`--calls` requests per page).
        #[arg(long)]
        console: bool,
    },
}

#[derive(Subcommand)]
enum TenantsCommand {
    /// Print the whole state (companies, branches, services, staff, absences still to come,
    /// secrets included) as a tenants file that imports to the same state.
    Export {
        /// Optional TOML settings file (for FRONTDESK_DATABASE_URL).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a login (or reset its password and role); the password is read from standard input.
    Add {
        /// The login's e-mail address.
        #[arg(long)]
        email: String,
        /// `owner` (one company), `staff` (their own appointments) or `admin` (every company).
        #[arg(long)]
        role: String,
        /// The company (by its name in the tenants file); not for admins.
        #[arg(long)]
        company: Option<String>,
        /// For `--role staff`: the staff member's name.
        #[arg(long)]
        staff: Option<String>,
        /// Console language, `de` or `en`.
        #[arg(long, default_value = "de")]
        language: String,
        /// Optional TOML settings file (for FRONTDESK_DATABASE_URL).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

/// Parses `args` (program name first) and runs the command.
pub fn main_from<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::parse_from(args);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("frontdesk: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli.command));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One clear line naming the problem (and the setting, when it is one).
            eprintln!("frontdesk: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command to its end.
async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve { config } => {
            crate::telemetry::init_tracing();
            let settings = Settings::load(config.as_deref())?;
            settings.require_retell_key()?;
            Application::build(&settings).await?.run_until(shutdown_signal()).await
        }
        Command::Migrate { config } => {
            crate::telemetry::init_tracing();
            let settings = Settings::load(config.as_deref())?;
            prepare_database(&settings).await?.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Feeds { rotate, base_url, config } => {
            let settings = Settings::load(config.as_deref())?;
            let base_url = base_url.or(settings.server.public_url.clone()).ok_or_else(|| {
                anyhow::anyhow!("invalid setting FRONTDESK_PUBLIC_URL: needed for the feed URLs (or pass --base-url)")
            })?;
            let store = prepare_database(&settings).await?;
            let branches = store.load_branches().await?;
            let urls = crate::feeds::issue(&store, &branches, &base_url, rotate, chrono::Utc::now()).await;
            store.close().await;
            for feed in urls? {
                println!("{}{}\n  {}", feed.label, if feed.new { "  (new)" } else { "" }, feed.url);
            }
            Ok(())
        }
        Command::User { command: UserCommand::Add { email, role, company, staff, language, config } } => {
            let settings = Settings::load(config.as_deref())?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let store = prepare_database(&settings).await?;
            let added = crate::operators::add_user(&store, &email, &role, company.as_deref(), staff.as_deref(), &language, &password).await;
            store.close().await;
            println!("{}", added?);
            Ok(())
        }
        Command::RetellTools { base_url, branch, tenants } => {
            let base_url = public_url(base_url)?;
            let audience = match branch {
                None => crate::functions::ToolsFor { language: crate::domain::Language::default(), services: None, staff: None },
                Some(name) => tools_for_branch(&tenants, &name)?,
            };
            print_json(&crate::functions::retell_tools(&base_url, &audience))
        }
        Command::RetellAgent { base_url, branch, tenants } => {
            let base_url = public_url(base_url)?;
            let audience = tools_for_branch(&tenants, &branch)?;
            print_json(&crate::functions::retell_agent(&base_url, &branch, &audience))
        }
        Command::RetellProvision { branch, base_url, config } => {
            let settings = Settings::load(config.as_deref())?;
            let base_url = public_url(base_url.or(settings.server.public_url.clone()))?;
            let store = prepare_database(&settings).await?;
            let provisioned = provision_branch(&settings, &store, &branch, base_url).await;
            store.close().await;
            print_json(&provisioned?)
        }
        Command::Tenants { command: TenantsCommand::Export { config } } => {
            let settings = Settings::load(config.as_deref())?;
            let store = prepare_database(&settings).await?;
            let text = crate::onboarding::export::tenants_file(&store, chrono::Utc::now()).await;
            store.close().await;
            print!("{}", text?);
            Ok(())
        }
        #[cfg(feature = "demo")]
        Command::Demo { calendar, serve } => crate::demo::run(calendar, serve).await,
        #[cfg(feature = "demo")]
        Command::Bench { console: true, calls, .. } => crate::bench_console::run(calls.min(2000)).await,
        #[cfg(feature = "demo")]
        Command::Bench { function, calls, concurrency, console: false } => crate::bench::run(&function, calls, concurrency).await,
    }
}

/// The public URL the Retell definitions point at: `--base-url`, else `FRONTDESK_PUBLIC_URL`;
/// never a placeholder host.
fn public_url(given: Option<String>) -> anyhow::Result<String> {
    match given.map(|url| url.trim().trim_end_matches('/').to_string()) {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => Ok(url),
        Some(url) => anyhow::bail!("--base-url / FRONTDESK_PUBLIC_URL {url:?} is not an http(s) URL"),
        None => anyhow::bail!("set FRONTDESK_PUBLIC_URL (or pass --base-url): the URL Retell reaches this service at"),
    }
}

/// `frontdesk retell-provision`: provisions the stored branch `name` ("Branch" or "Company/Branch").
async fn provision_branch(
    settings: &Settings,
    store: &crate::store::Store,
    name: &str,
    base_url: String,
) -> anyhow::Result<serde_json::Value> {
    let branches = store.load_branches().await?;
    let (company, branch) = match name.split_once('/') {
        Some((company, branch)) => (Some(company.trim()), branch.trim()),
        None => (None, name.trim()),
    };
    let found: Vec<_> = branches
        .iter()
        .filter(|ctx| ctx.branch.name == branch && company.is_none_or(|c| ctx.company.name == c))
        .collect();
    let ctx = match found.as_slice() {
        [ctx] => *ctx,
        [] => anyhow::bail!("no branch {name:?} in the database"),
        _ => anyhow::bail!("several companies have a branch {name:?}: name it as \"Company/Branch\""),
    };
    let provisioner = crate::onboarding::retell::Provisioner {
        store: store.clone(),
        api: crate::retell::RetellApi::new(&settings.retell.base_url),
        base_url,
        fallback_key: settings.retell.api_key.clone(),
        directory: None,
    };
    let report = provisioner.provision(ctx).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(serde_json::json!({
        "branch": format!("{}/{}", ctx.company.name, ctx.branch.name),
        "llm_id": report.llm_id, "agent_id": report.agent_id, "numbers": report.numbers,
        "created": report.created, "updated": report.updated,
    }))
}

/// The language and service names of the branch `name` ("Branch" or "Company/Branch").
fn tools_for_branch(tenants: &std::path::Path, name: &str) -> anyhow::Result<crate::functions::ToolsFor> {
    let file = crate::tenants::TenantsFile::load(tenants).map_err(anyhow::Error::msg)?;
    let (company, branch) = match name.split_once('/') {
        Some((company, branch)) => (Some(company.trim()), branch.trim()),
        None => (None, name.trim()),
    };
    let found: Vec<_> = file
        .companies
        .iter()
        .filter(|c| company.is_none_or(|wanted| c.name == wanted))
        .flat_map(|c| c.branches.iter().filter(|b| b.name == branch).map(move |b| (c, b)))
        .collect();
    match found.as_slice() {
        [(company, branch)] => Ok(crate::functions::ToolsFor {
            language: company.language,
            services: Some(branch.services.iter().map(|s| s.name.clone()).collect()),
            staff: Some(branch.staff.iter().map(|s| s.name.clone()).collect()),
        }),
        [] => anyhow::bail!("no branch {name:?} in {}", tenants.display()),
        _ => anyhow::bail!("several companies have a branch {name:?}: name it as \"Company/Branch\""),
    }
}

/// Prints JSON for a person or a pipe; a reader that stops early (`| head`) is not an error.
fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    use std::io::Write;
    match writeln!(std::io::stdout().lock(), "{value:#}") {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}
