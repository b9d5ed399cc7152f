//! `callbench --onboarding N`: how long a new business takes to go live — from the first API call
//! (`POST /admin/api/companies`) to the first answered function call of its new number, asked on
//! another instance than the one that created it when there are several (DESIGN §16).

use crate::servers::{Running, ADMIN_TOKEN};
use frontdesk::client::{CallIdentity, RetellClient};
use serde_json::json;
use std::time::{Duration, Instant};

/// The figures of one onboarding.
#[derive(Debug, Clone, Copy)]
pub struct Onboarded {
    /// The `POST /admin/api/companies` round trip.
    pub create: Duration,
    /// From sending the POST to the first successful answer at the new number.
    pub first_answer: Duration,
    /// Function calls answered "unknown number" before that (the directory not reloaded yet).
    pub misses: u32,
}

/// Onboards `count` businesses one after another; each is asked on the last instance.
pub async fn run(running: &Running, count: usize) -> anyhow::Result<Vec<Onboarded>> {
    let instances = running.instance_urls();
    let (creator, asked) = (instances[0].clone(), instances[instances.len() - 1].clone());
    let http = reqwest::Client::new();
    let client = RetellClient::new(asked, running.retell_key.clone());
    let mut figures = Vec::with_capacity(count);
    for i in 0..count {
        let number = format!("+4930777{i:05}");
        let body = json!({
            "name": format!("Onboarding Salon {i}"), "language": "de", "timezone": "Europe/Berlin", "calendar": "local",
            "branches": [{"name": "Mitte", "phone_numbers": [number],
                          "opening_hours": {"mon": ["09:00-18:00"], "tue": ["09:00-18:00"], "wed": ["09:00-18:00"], "thu": ["09:00-18:00"], "fri": ["09:00-18:00"], "sat": ["10:00-14:00"]},
                          "services": [{"name": "Herrenhaarschnitt", "duration_minutes": 30}]}],
        });
        let started = Instant::now();
        let created = http.post(format!("{creator}/admin/api/companies")).bearer_auth(ADMIN_TOKEN).json(&body).send().await?;
        let create = started.elapsed();
        anyhow::ensure!(created.status().as_u16() == 201, "company {i}: {} {}", created.status(), created.text().await?);
        let call = CallIdentity { call_id: format!("call_onboarding_{i}"), from_number: "+4917600000001".into(), to_number: number };
        let mut misses = 0;
        let first_answer = loop {
            let answer = client.call("get_opening_hours", json!({}), &call).await?;
            if answer.body["success"] == true {
                break started.elapsed();
            }
            misses += 1;
            anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "company {i} not answered within 30 s: {}", answer.body);
        };
        figures.push(Onboarded { create, first_answer, misses });
    }
    Ok(figures)
}

/// Prints p50, p95 and the maximum of each figure.
pub fn print(figures: &[Onboarded], instances: usize) {
    let quantile = |mut values: Vec<f64>, q: f64| {
        values.sort_by(f64::total_cmp);
        values[((values.len() as f64 - 1.0) * q).round() as usize]
    };
    let ms = |pick: fn(&Onboarded) -> Duration| figures.iter().map(|f| pick(f).as_secs_f64() * 1000.0).collect::<Vec<_>>();
    println!("onboarding, {} businesses, {instances} instance{}:", figures.len(), if instances == 1 { "" } else { "s (created on the first, asked on the last)" });
    for (label, values) in [("POST /admin/api/companies", ms(|f| f.create)), ("first answered call", ms(|f| f.first_answer))] {
        println!(
            "  {label:<28} p50 {:>7.1} ms  p95 {:>7.1} ms  max {:>7.1} ms",
            quantile(values.clone(), 0.5),
            quantile(values.clone(), 0.95),
            quantile(values, 1.0)
        );
    }
    let misses: u32 = figures.iter().map(|f| f.misses).sum();
    println!("  calls answered \"unknown number\" before the first answer: {misses}");
}
