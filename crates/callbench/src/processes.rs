//! calsim and frontdesk as child processes of this binary (`callbench calsim …` and
//! `callbench frontdesk serve` run their real command lines) and HAProxy in front of several
//! frontdesks, each on a free port, with its output in a log file, its memory readable, and a
//! graceful stop.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to listen: a first import of 10,000 tenants takes ~25 s.
const START_WAIT: Duration = Duration::from_secs(120);

/// A server this benchmark started.
pub struct Server {
    /// `calsim`, `frontdesk` or `haproxy`.
    pub name: &'static str,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// Where its output goes.
    pub log: PathBuf,
    child: Child,
}

/// A port free right now (frontdesk's is chosen before calsim starts, so calsim can send it webhooks).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Server {
    /// Runs `callbench <name> <args>` with `env`, logging into `dir/<log>.log`, and waits until
    /// it accepts connections on `port` (at most [`START_WAIT`]).
    fn start(
        name: &'static str,
        log: &str,
        args: &[String],
        env: &[(String, String)],
        dir: &Path,
        port: u16,
    ) -> anyhow::Result<Self> {
        let mut command = Command::new(std::env::current_exe().context("cannot find callbench's own binary")?);
        command.arg(name).args(args);
        command.envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        Self::spawn(name, command, &dir.join(format!("{log}.log")), port)
    }

    /// Spawns `command` with its output in `log` and waits until it listens on `port`.
    fn spawn(name: &'static str, mut command: Command, log: &Path, port: u16) -> anyhow::Result<Self> {
        let base_url = format!("http://127.0.0.1:{port}");
        let log = log.to_path_buf();
        let output = std::fs::File::create(&log).with_context(|| format!("cannot create {}", log.display()))?;
        command.stdin(Stdio::null()).stdout(output.try_clone()?).stderr(output);
        let child = command.spawn().with_context(|| format!("cannot start {name}"))?;
        let mut server = Self { name, base_url, log, child };
        server.wait_ready()?;
        Ok(server)
    }

    fn wait_ready(&mut self) -> anyhow::Result<()> {
        let started = Instant::now();
        while started.elapsed() < START_WAIT {
            if let Some(status) = self.child.try_wait()? {
                // The log dies with the run's temp dir: its last lines go into the error.
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(5).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                bail!("{} exited with {status} while starting: {}", self.name, tail.join(" | "));
            }
            let answered = std::net::TcpStream::connect_timeout(
                &self.base_url.trim_start_matches("http://").parse()?,
                Duration::from_millis(200),
            )
            .is_ok();
            if answered {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bail!("{} did not listen on {} within {START_WAIT:?}", self.name, self.base_url)
    }

    /// A calsim with Cal.com's latency, optional failures, Cal.com's 120 requests per minute
    /// per key, the given fixture, and webhooks to `webhook_url`.
    pub fn calsim(dir: &Path, options: &CalsimOptions) -> anyhow::Result<Self> {
        let fixture = dir.join("calsim-fixture.json");
        std::fs::write(&fixture, options.fixture.to_string())?;
        let port = free_port()?;
        let mut args = vec![
            "--listen".to_string(),
            format!("127.0.0.1:{port}"),
            "--latency-ms".to_string(),
            format!("{}..{}", options.latency_ms.0, options.latency_ms.1),
            "--fail-rate".into(),
            options.fail_rate.to_string(),
            "--rate-limit".into(),
            "120".into(),
            "--fixture".into(),
            fixture.display().to_string(),
        ];
        if let Some((url, secret)) = &options.webhook {
            args.extend(["--webhook-url".into(), url.clone(), "--webhook-secret".into(), secret.clone()]);
        }
        Self::start("calsim", "calsim", &args, &[], dir, port)
    }

    /// frontdesk `serve` with the given `FRONTDESK_*` settings on `port`; `log` names its log file.
    pub fn frontdesk(dir: &Path, log: &str, env: &[(String, String)], port: u16) -> anyhow::Result<Self> {
        let mut env = env.to_vec();
        env.push(("FRONTDESK_LISTEN".to_string(), format!("127.0.0.1:{port}")));
        Self::start("frontdesk", log, &["serve".to_string()], &env, dir, port)
    }

    /// HAProxy (Debian's package) on `port`, balancing HTTP requests round robin over `backends`
    /// — each request on its own, so the calls of one conversation land on different instances.
    pub fn haproxy(dir: &Path, port: u16, backends: &[&Server]) -> anyhow::Result<Self> {
        let mut config = format!(
            "global\n    maxconn 4096\n\ndefaults\n    mode http\n    timeout connect 2s\n    timeout client 30s\n    timeout server 30s\n    option http-keep-alive\n\nfrontend callers\n    bind 127.0.0.1:{port}\n    default_backend frontdesk\n\nbackend frontdesk\n    balance roundrobin\n"
        );
        for (i, backend) in backends.iter().enumerate() {
            let address = backend.base_url.trim_start_matches("http://");
            config.push_str(&format!("    server frontdesk{} {address} maxconn 1000\n", i + 1));
        }
        let path = dir.join("haproxy.cfg");
        std::fs::write(&path, config)?;
        let mut command = Command::new("haproxy");
        // -db: stay in the foreground (a child process this benchmark stops)
        command.arg("-db").arg("-f").arg(&path);
        Self::spawn("haproxy", command, &dir.join("haproxy.log"), port)
            .context("cannot start HAProxy (Debian: apt-get install haproxy)")
    }

    /// Resident memory in KiB (Linux), if readable.
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Asks the process to stop (SIGTERM: frontdesk flushes its audit trail) and waits up to 10 s.
    pub fn stop(mut self) -> anyhow::Result<()> {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A benchmark that fails half-way must not leave servers behind.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// How calsim runs.
pub struct CalsimOptions {
    /// Uniform latency range in ms.
    pub latency_ms: (u64, u64),
    /// Share of /v2 requests answered with a 500.
    pub fail_rate: f64,
    /// Event types (calsim's fixture format).
    pub fixture: serde_json::Value,
    /// Webhook URL and secret.
    pub webhook: Option<(String, String)>,
}
