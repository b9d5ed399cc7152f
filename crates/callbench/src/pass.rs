//! One pass of the workload: servers up (or the running ones targeted), slots taken elsewhere
//! seeded, C callers playing conversations for D seconds or N conversations, the servers'
//! counters read before and after, servers stopped.

use crate::conversation::{targets, Conversation, Target, Think};
use crate::integrity::Integrity;
use crate::observe::{snapshot, Delta};
use crate::record::{Recorder, Summary};
use crate::servers::{start, Running, Servers};
use chrono::{Datelike, Duration as Days, NaiveTime, TimeZone, Utc, Weekday};
use frontdesk::client::{CallIdentity, RetellClient};
use frontdesk::tenants::TenantsFile;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a pass plays.
#[derive(Debug, Clone, Copy)]
pub enum Length {
    /// Start conversations for this long (those under way finish).
    Seconds(u64),
    /// Play this many conversations.
    Conversations(usize),
}

/// One pass's settings.
#[derive(Debug, Clone)]
pub struct PassConfig {
    /// "frontdesk" or "baseline".
    pub label: &'static str,
    /// FRONTDESK_AVAILABILITY_CACHE.
    pub cache: bool,
    /// Concurrent callers.
    pub callers: usize,
    /// How long.
    pub length: Length,
    /// Pauses between turns.
    pub think: Think,
    /// A Cal.com outage of this length starting this far into the pass.
    pub outage: Option<(Duration, Duration)>,
    /// Memory and cache samples this often (the soak).
    pub sample_every: Option<Duration>,
}

/// One soak sample.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Seconds into the pass.
    pub at_s: u64,
    /// frontdesk's resident memory.
    pub rss_kib: Option<u64>,
    /// Cache hit rate since the previous sample.
    pub hit_rate: Option<f64>,
    /// Exchanges and failures so far.
    pub calls: usize,
    /// Failures so far.
    pub errors: u64,
}

/// What a pass measured.
#[derive(Debug, Clone)]
pub struct PassResult {
    /// Its settings.
    pub config: PassConfig,
    /// Per function.
    pub summaries: Vec<Summary>,
    /// Counters over the pass.
    pub delta: Delta,
    /// Conversations played.
    pub conversations: usize,
    /// Conversations that booked an appointment.
    pub booked: usize,
    /// Dead air of each booked conversation (the sum of the caller's waits on frontdesk), sorted.
    pub dead_air: Vec<Duration>,
    /// The same conversations' dead air outside their calendar writes, sorted.
    pub dead_air_beyond_writes: Vec<Duration>,
    /// ... and cancelled it again.
    pub cancelled: usize,
    /// Conversations whose callback request was accepted.
    pub callbacks_answered: usize,
    /// Holds that did not keep their slot (see `Ending::lost_holds`).
    pub lost_holds: usize,
    /// frontdesk's database afterwards: double bookings, live appointments, open callbacks
    /// (managed servers only).
    pub integrity: Option<Integrity>,
    /// What the businesses' webhook endpoint and mail server received (notifications on).
    pub received: Option<crate::inbox::Received>,
    /// frontdesk instances (behind HAProxy when more than one).
    pub instances: usize,
    /// Seconds until every frontdesk instance listened (managed only).
    pub start_secs: Option<f64>,
    /// Wall time of the pass.
    pub elapsed: Duration,
    /// frontdesk's resident memory after start-up and at the end (managed only).
    pub rss_kib: (Option<u64>, Option<u64>),
    /// Soak samples.
    pub samples: Vec<Sample>,
    /// Tenants and numbers played.
    pub tenants: (usize, usize),
}

/// Callers start spread over this long.
const RAMP_UP: Duration = Duration::from_secs(5);

/// Books, in calsim, 10:00 local on the first Tuesday to Thursday at least two days ahead for
/// every service of every branch — the slot a quarter of the callers will ask for.
async fn seed_taken(http: &reqwest::Client, calsim: &str, tenants: &TenantsFile, targets: &mut [Target]) {
    let mut requests = Vec::new();
    for company in &tenants.companies {
        let tz = company.timezone;
        let mut day = Utc::now().with_timezone(&tz).date_naive() + Days::days(2);
        while !matches!(day.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu) {
            day += Days::days(1);
        }
        let Some(start) =
            tz.from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("valid"))).earliest()
        else {
            continue;
        };
        for branch in &company.branches {
            for service in &branch.services {
                let Some(event_type) = service.calcom_event_type_id else { continue };
                let request = http
                    .post(format!("{calsim}/_calsim/external-booking"))
                    .json(&json!({"eventTypeId": event_type, "start": start.with_timezone(&Utc)}))
                    .send();
                requests.push(request);
            }
            for number in &branch.phone_numbers {
                if let Some(target) = targets.iter_mut().find(|t| t.number == number.as_str()) {
                    target.taken = Some((day.to_string(), "10:00".into()));
                }
            }
        }
    }
    for request in requests {
        let _ = request.await;
    }
}

/// Runs one pass.
pub async fn run(servers: &Servers, config: PassConfig, seed: u64) -> anyhow::Result<PassResult> {
    let running = start(servers, config.cache).await?;
    let http = reqwest::Client::new();
    let mut targets = targets(&running.tenants);
    seed_taken(&http, &running.calsim, &running.tenants, &mut targets).await;
    let targets = Arc::new(targets);
    let client = RetellClient::new(&running.frontdesk, &running.retell_key);
    let recorder = Arc::new(Recorder::default());
    let rss = |r: &Running| r.rss_kib();
    let rss_start = rss(&running);
    let before = snapshot(&http, &running.frontdesk, &running.calsim).await;

    let started = Instant::now();
    let counter = || Arc::new(AtomicUsize::new(0));
    let (begun, finished, booked, cancelled, callbacks, lost_holds) =
        (counter(), counter(), counter(), counter(), counter(), counter());
    let dead_air = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for worker in 0..config.callers {
        let dead_air = dead_air.clone();
        let (client, recorder, targets) = (client.clone(), recorder.clone(), targets.clone());
        let (begun, finished, booked, cancelled, callbacks, lost_holds) =
            (begun.clone(), finished.clone(), booked.clone(), cancelled.clone(), callbacks.clone(), lost_holds.clone());
        let (length, think, label) = (config.length, config.think, config.label);
        workers.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(seed ^ (worker as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            // Calls do not all arrive in the same millisecond: callers start spread over the
            // first seconds (not with --no-think, which measures throughput).
            if let Some(ramp) = think.ms.map(|_| RAMP_UP) {
                tokio::time::sleep(Duration::from_millis(rng.gen_range(0..ramp.as_millis() as u64))).await;
            }
            loop {
                let n = begun.fetch_add(1, Ordering::Relaxed);
                let over = match length {
                    Length::Seconds(s) => started.elapsed() >= Duration::from_secs(s),
                    Length::Conversations(total) => n >= total,
                };
                if over {
                    break;
                }
                let target = &targets[rng.gen_range(0..targets.len())];
                let caller = match target.language {
                    frontdesk::domain::Language::De => format!("+49151{:08}", rng.gen_range(0..100_000_000u64)),
                    frontdesk::domain::Language::En => format!("+447700{:06}", rng.gen_range(0..1_000_000u64)),
                };
                let call = CallIdentity {
                    call_id: format!("call_cb_{label}_{seed:x}_{n}"),
                    from_number: caller,
                    to_number: target.number.clone(),
                };
                let conversation = Conversation {
                    client: &client,
                    recorder: &recorder,
                    think,
                    call,
                    target,
                    waited_us: Default::default(),
                    writes_us: Default::default(),
                };
                let ending = conversation.play(&mut rng).await;
                finished.fetch_add(1, Ordering::Relaxed);
                booked.fetch_add(ending.booked as usize, Ordering::Relaxed);
                if ending.booked {
                    let mut waits = dead_air.lock().unwrap_or_else(|p| p.into_inner());
                    waits.push((ending.dead_air, ending.dead_air_beyond_writes));
                }
                cancelled.fetch_add(ending.cancelled as usize, Ordering::Relaxed);
                callbacks.fetch_add(ending.callback as usize, Ordering::Relaxed);
                lost_holds.fetch_add(ending.lost_holds, Ordering::Relaxed);
            }
        }));
    }

    // Chaos: a Cal.com outage in the middle of the pass.
    let outage = config.outage.map(|(at, length)| {
        let (http, calsim) = (http.clone(), running.calsim.clone());
        tokio::spawn(async move {
            tokio::time::sleep(at).await;
            let switch = |on: bool| http.post(format!("{calsim}/_calsim/outage")).json(&json!({"enabled": on})).send();
            let _ = switch(true).await;
            tokio::time::sleep(length).await;
            let _ = switch(false).await;
        })
    });

    let bar = progress_bar(&config);
    let mut samples = Vec::new();
    let mut last_sample = (Instant::now(), before.clone());
    while workers.iter().any(|w| !w.is_finished()) {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let (calls, errors) = recorder.totals();
        let position = match config.length {
            Length::Seconds(s) => started.elapsed().as_secs().min(s),
            Length::Conversations(_) => finished.load(Ordering::Relaxed) as u64,
        };
        bar.set_position(position);
        bar.set_message(format!("{} conversations, {calls} calls, {errors} errors", finished.load(Ordering::Relaxed)));
        if let Some(every) = config.sample_every {
            if last_sample.0.elapsed() >= every {
                let now = snapshot(&http, &running.frontdesk, &running.calsim).await;
                let sample = Sample {
                    at_s: started.elapsed().as_secs(),
                    rss_kib: rss(&running),
                    hit_rate: Delta::between(&last_sample.1, &now).hit_rate(),
                    calls,
                    errors,
                };
                let line = format!(
                    "  {:>4} s  frontdesk RSS {:>7} KiB  cache hits {:>6}  {calls} calls, {errors} errors",
                    sample.at_s,
                    sample.rss_kib.map(|k| k.to_string()).unwrap_or("-".into()),
                    sample.hit_rate.map(|h| format!("{:.1} %", h * 100.0)).unwrap_or("-".into()),
                );
                // println on the bar prints nothing when output is not a terminal.
                bar.suspend(|| println!("{line}"));
                samples.push(sample);
                last_sample = (Instant::now(), now);
            }
        }
    }
    bar.finish_and_clear();
    for worker in workers {
        worker.await?;
    }
    if let Some(outage) = outage {
        outage.abort();
        let _ = http.post(format!("{}/_calsim/outage", running.calsim)).json(&json!({"enabled": false})).send().await;
    }
    let elapsed = started.elapsed();
    // Webhooks and background refreshes settle before the counters are read.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = snapshot(&http, &running.frontdesk, &running.calsim).await;
    let rss_end = rss(&running);
    let integrity = match running.database() {
        Some(database) => Some(settled(database, running.inbox.is_some()).await?),
        None => None,
    };
    let received = running.inbox.as_ref().map(crate::inbox::Inbox::received);
    let (tenants, start_secs) = (running.tenants.companies.len(), running.start_secs);
    running.stop().await?;
    let waits: Vec<(Duration, Duration)> = std::mem::take(&mut *dead_air.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(PassResult {
        summaries: recorder.summaries(),
        delta: Delta::between(&before, &after),
        conversations: finished.load(Ordering::Relaxed),
        booked: booked.load(Ordering::Relaxed),
        dead_air: sorted(waits.iter().map(|w| w.0).collect()),
        dead_air_beyond_writes: sorted(waits.iter().map(|w| w.1).collect()),
        cancelled: cancelled.load(Ordering::Relaxed),
        callbacks_answered: callbacks.load(Ordering::Relaxed),
        lost_holds: lost_holds.load(Ordering::Relaxed),
        integrity,
        received,
        instances: servers.instances(),
        start_secs,
        elapsed,
        rss_kib: (rss_start, rss_end),
        samples,
        tenants: (tenants, targets.len()),
        config,
    })
}

/// The database's account once the outbox has been delivered (at most 30 s after the pass: the
/// worker's first retry of a notice that failed comes 10 s later). Only the outbox is polled; the
/// full check runs once.
async fn settled(database: &crate::servers::Database, notify: bool) -> anyhow::Result<Integrity> {
    let started = Instant::now();
    while notify && started.elapsed() <= Duration::from_secs(30) && crate::integrity::notices(database).await?.undelivered > 0 {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    crate::integrity::check(database).await
}

fn sorted(mut waits: Vec<Duration>) -> Vec<Duration> {
    waits.sort();
    waits
}

fn progress_bar(config: &PassConfig) -> ProgressBar {
    let (length, unit) = match config.length {
        Length::Seconds(s) => (s, "s"),
        Length::Conversations(n) => (n as u64, "conversations"),
    };
    let bar = ProgressBar::new(length);
    let style = ProgressStyle::with_template(&format!("{{prefix:>10}} [{{bar:30}}] {{pos}}/{{len}} {unit}  {{msg}}"))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(config.label);
    bar
}
