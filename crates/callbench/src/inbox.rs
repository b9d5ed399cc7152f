//! The businesses' side of notifications during a run: one webhook endpoint (signatures checked),
//! one mail server that every generated company is told to notify, and the SMS simulator (a
//! Twilio-compatible Messages API; Twilio itself cannot be reached here) that callers who agreed
//! are texted through, so a pass plays with the outbox written and delivered as in production and
//! reports what arrived, once, and how late.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use calsim::smtp::SmtpServer;
use calsim::sms::{serve_sms, RunningSms, SmsSim};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// The secret every generated company signs its webhooks with.
pub const WEBHOOK_SECRET: &str = "whsec_callbench_notify";

/// The address every generated company's notices are e-mailed to.
pub const OWNER_EMAIL: &str = "owner@callbench.example";

/// The SMS account frontdesk sends with during a run.
pub const SMS_ACCOUNT: (&str, &str) = ("ACcallbench0000000000000000000000", "callbench-sms-token");

/// One webhook as it arrived.
#[derive(Debug, Clone)]
struct Arrival {
    id: String,
    /// From the change to the arrival (`None` without a readable `created_at`).
    lag: Option<std::time::Duration>,
}

/// The running receivers.
#[derive(Clone)]
pub struct Inbox {
    /// `http://…/hook`.
    pub webhook_url: String,
    /// `smtp://…`.
    pub smtp_url: String,
    smtp: SmtpServer,
    sms: Arc<RunningSms>,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
    forged: Arc<Mutex<usize>>,
}

/// What arrived during a pass.
#[derive(Debug, Clone, Default)]
pub struct Received {
    /// Webhook posts acknowledged.
    pub webhooks: usize,
    /// Of them, distinct event ids (the rest are repeats a receiver drops by id).
    pub distinct: usize,
    /// Posts whose signature did not verify (must be 0).
    pub forged: usize,
    /// E-mails received.
    pub mails: usize,
    /// SMS accepted by the simulator.
    pub sms: usize,
    /// Of them, texts that repeat an earlier one to the same number word for word (a notice
    /// delivered twice; must be 0).
    pub sms_repeats: usize,
    /// From the change (the event's `created_at`) to its webhook's arrival: p50, p99, max in ms.
    pub lag_ms: Option<[f64; 3]>,
}

impl Inbox {
    /// Starts both receivers on free ports of this machine.
    pub async fn start() -> anyhow::Result<Self> {
        let (smtp, smtp_url) = SmtpServer::start().await;
        let sms = Arc::new(serve_sms(SmsSim::new(&[SMS_ACCOUNT]), "127.0.0.1:0".parse()?).await?);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let webhook_url = format!("http://{}/hook", listener.local_addr()?);
        let inbox = Self { webhook_url, smtp_url, smtp, sms, arrivals: Default::default(), forged: Default::default() };
        let state = inbox.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move { state.receive(&headers, &body) }
            }),
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(inbox)
    }

    /// Checks the signature as a business would, then records the event.
    fn receive(&self, headers: &HeaderMap, body: &[u8]) -> StatusCode {
        let header = headers.get("x-frontdesk-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
        let t = header.split(',').next().and_then(|t| t.strip_prefix("t=")).and_then(|t| t.parse::<i64>().ok());
        let event: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let (Some(t), Some(event)) = (t, event) else {
            *self.forged.lock().unwrap_or_else(|p| p.into_inner()) += 1;
            return StatusCode::BAD_REQUEST;
        };
        if header != frontdesk::notify::signature(WEBHOOK_SECRET, t, body) {
            *self.forged.lock().unwrap_or_else(|p| p.into_inner()) += 1;
            return StatusCode::UNAUTHORIZED;
        }
        let created = event["created_at"].as_str().and_then(|c| c.parse::<DateTime<Utc>>().ok());
        let lag = created.map(|c| (Utc::now() - c).to_std().unwrap_or_default());
        let id = event["id"].as_str().unwrap_or_default().to_string();
        self.arrivals.lock().unwrap_or_else(|p| p.into_inner()).push(Arrival { id, lag });
        StatusCode::OK
    }

    /// The settings that send SMS to the simulator.
    pub fn sms_env(&self) -> Vec<(String, String)> {
        [
            ("FRONTDESK_SMS_URL", self.sms.base_url.clone()),
            ("FRONTDESK_SMS_ACCOUNT_SID", SMS_ACCOUNT.0.to_string()),
            ("FRONTDESK_SMS_AUTH_TOKEN", SMS_ACCOUNT.1.to_string()),
            ("FRONTDESK_SMS_FROM", "Callbench".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// The tenants-file lines that point a company's notifications here.
    pub fn company_lines(&self) -> String {
        format!(
            "notify_email = \"{OWNER_EMAIL}\"\nnotify_webhook_url = \"{}\"\nnotify_webhook_secret = \"{WEBHOOK_SECRET}\"\n",
            self.webhook_url
        )
    }

    /// What arrived so far.
    pub fn received(&self) -> Received {
        let arrivals = self.arrivals.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let distinct = arrivals.iter().map(|a| a.id.as_str()).collect::<BTreeSet<_>>().len();
        let mut lags: Vec<std::time::Duration> = arrivals.iter().filter_map(|a| a.lag).collect();
        lags.sort();
        let at = |p: f64| crate::record::percentile(&lags, p);
        let texts = self.sms.sim.sent();
        Received {
            webhooks: arrivals.len(),
            distinct,
            forged: *self.forged.lock().unwrap_or_else(|p| p.into_inner()),
            mails: self.smtp.mails().len(),
            sms: texts.len(),
            sms_repeats: texts.len() - texts.iter().map(|m| (m.to.as_str(), m.body.as_str())).collect::<BTreeSet<_>>().len(),
            lag_ms: (!lags.is_empty()).then(|| [at(0.5), at(0.99), at(1.0)]),
        }
    }
}
