//! *Betrieb* (admins): the last hour's latency per function, cache hit rate, Cal.com requests per
//! key against Cal.com's 120 per minute, breaker state and open reconciliations.

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
        p.muted { (l.pick("Dieser Prozess, letzte Stunde.", "This process, last hour.")) }
        table {
            thead { tr { th { "Funktion" } th { (l.pick("Aufrufe", "Calls")) } th { "p50 ms" } th { "p95 ms" } th { "p99 ms" } } }
            tbody {
                @if figures.is_empty() { tr { td colspan="5" .muted { (l.pick("Noch keine Aufrufe.", "No calls yet.")) } } }
                @for f in &figures {
                    tr data-function=(f.function) { td { (f.function) } td { (f.calls) }
                        td { (format!("{:.2}", f.p50_ms)) } td { (format!("{:.2}", f.p95_ms)) } td { (format!("{:.2}", f.p99_ms)) } }
                }
            }
        }
        h2 { (l.pick("Verfügbarkeits-Cache", "Availability cache")) }
        p { @if lookups > 0 { (format!("{:.1} %", hits as f64 * 100.0 / lookups as f64)) " " (l.pick("Treffer", "hits")) " (" (hits) " / " (lookups) ")" } @else { "–" } }
        h2 { "Cal.com" }
        @if usage.is_empty() { p.muted { (l.pick("Kein Cal.com-Konto in Gebrauch.", "No Cal.com account in use.")) } }
        @else {
            table {
                thead { tr { th { (l.pick("Schlüssel", "Key")) } th { (l.pick("Anfragen letzte Minute", "Requests last minute")) } th { "Breaker" } } }
                tbody { @for u in &usage {
                    tr { td { code { (u.account) } } td { (u.last_minute) " / " (CALCOM_LIMIT_PER_MINUTE) }
                         td { (match u.phase { BreakerPhase::Closed => l.pick("geschlossen (gesund)", "closed (healthy)"), BreakerPhase::HalfOpen => l.pick("halb offen (Probe)", "half open (probing)"), BreakerPhase::Open => l.pick("offen (Cal.com gestört)", "open (Cal.com failing)") }) } }
                } }
            }
        }
        h2 { (l.pick("Offene Abgleiche", "Open reconciliations")) }
        p { (reconciling.map(|n| n.to_string()).unwrap_or_else(|| "?".into())) " " (l.pick("Buchungen mit noch unbekanntem Ausgang", "bookings whose outcome is not known yet")) }
    };
    page(&op, &frame, Nav::Ops, l.pick("Betrieb", "Operations"), body).into_response()
}
