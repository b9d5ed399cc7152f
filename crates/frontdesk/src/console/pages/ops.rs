//! *Betrieb* (admins): the last hour's latency per function, cache hit rate, Cal.com requests per
//! key against Cal.com's 120 per minute, breaker state and open reconciliations.

use crate::speech::{word, OnboardingWord, OpsWord, PageWord};
use super::layout::{page, Frame, Nav};
use super::{not_found, PageOperator};
use crate::app::AppState;
use crate::calendar::calcom::BreakerPhase;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

/// Cal.com's published limit per API key.
pub const CALCOM_LIMIT_PER_MINUTE: usize = 120;

/// `GET /admin/ops`.
pub async fn show(State(state): State<AppState>, PageOperator(op): PageOperator) -> Response {
    let l = op.language;
    if !op.is_admin() {
        return not_found(l);
    }
    let figures = state.console().board.last_hour(state.now());
    let usage = state.console().calcom.as_ref().map(|c| c.usage()).unwrap_or_default();
    let reconciling = state.backends().store.open_reconciliations().await.ok();
    let (hits, lookups) = figures.iter().fold((0, 0), |(h, n), f| (h + f.cache_hits, n + f.cache_lookups));
    let frame = Frame::load(&state, &op).await;
    let body = html! {
        p { a href="/admin/businesses" { (word(l, OnboardingWord::NewBusiness)) } }
        p.muted { (word(l, OpsWord::ThisProcessLastHour)) }
        table {
            thead { tr { th { "Funktion" } th { (word(l, OpsWord::FunctionCalls)) } th { "p50 ms" } th { "p95 ms" } th { "p99 ms" } } }
            tbody {
                @if figures.is_empty() { tr { td colspan="5" .muted { (word(l, OpsWord::NoFunctionCallsYet)) } } }
                @for f in &figures {
                    tr data-function=(f.function) { td { (f.function) } td { (f.calls) }
                        td { (format!("{:.2}", f.p50_ms)) } td { (format!("{:.2}", f.p95_ms)) } td { (format!("{:.2}", f.p99_ms)) } }
                }
            }
        }
        h2 { (word(l, OpsWord::AvailabilityCache)) }
        p { @if lookups > 0 { (format!("{:.1} %", hits as f64 * 100.0 / lookups as f64)) " " (word(l, OpsWord::Hits)) " (" (hits) " / " (lookups) ")" } @else { "–" } }
        h2 { "Cal.com" }
        @if usage.is_empty() { p.muted { (word(l, OpsWord::NoCalComAccountIn)) } }
        @else {
            table {
                thead { tr { th { (word(l, OpsWord::Key)) } th { (word(l, OpsWord::RequestsLastMinute)) } th { "Breaker" } } }
                tbody { @for u in &usage {
                    tr { td { code { (u.account) } } td { (u.last_minute) " / " (CALCOM_LIMIT_PER_MINUTE) }
                         td { (match u.phase { BreakerPhase::Closed => word(l, OpsWord::ClosedHealthy), BreakerPhase::HalfOpen => word(l, OpsWord::HalfOpenProbing), BreakerPhase::Open => word(l, OpsWord::OpenCalComFailing) }) } }
                } }
            }
        }
        h2 { (word(l, OpsWord::OpenReconciliations)) }
        p { (reconciling.map(|n| n.to_string()).unwrap_or_else(|| "?".into())) " " (word(l, OpsWord::BookingsWhoseOutcomeIsNot)) }
    };
    page(&op, &frame, Nav::Ops, word(l, PageWord::Operations), body).into_response()
}
