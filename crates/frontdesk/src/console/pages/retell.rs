//! *Retell*: per branch the tool definitions to paste (with a copy button), the URLs Retell
//! calls, and whether signed requests are arriving.

use crate::speech::{word, PageWord};
use super::layout::{page, pretty, Frame, Nav};
use super::PageOperator;
use crate::app::AppState;
use crate::functions::{retell_tools, ToolsFor};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use maud::html;

/// `GET /admin/retell`.
pub async fn show(State(state): State<AppState>, PageOperator(op): PageOperator) -> Response {
    let l = op.language;
    let base = state.console().public_url.clone();
    let shown_base = base.clone().unwrap_or_else(|| "https://frontdesk.example.com".into());
    let directory = state.directory();
    let branches = match op.company {
        Some(company) => directory.of_company(company),
        None => directory.branches(),
    };
    let zone = crate::console::actions::zone_of(&state, &op);
    let arriving = match op.company {
        Some(company) => {
            state.backends().store.signed_requests_since(company, state.now() - Duration::hours(24)).await.ok()
        }
        None => None,
    };
    let frame = Frame::load(&state, &op).await;
    let body = html! {
        @if base.is_none() {
            div.notice.error { (word(l, PageWord::FrontdeskPublicUrlIsNot)) }
        }
        @if let Some((count, last)) = arriving {
            p {
                @if count > 0 {
                    strong { (word(l, PageWord::SignedRequestsAreArriving)) }
                    (count) (word(l, PageWord::InTheLast24Hours))
                    (last.map(|t| t.with_timezone(&zone).format("%d.%m. %H:%M").to_string()).unwrap_or_default())
                } @else {
                    strong.overdue { (word(l, PageWord::NoSignedRequestArrivedIn)) }
                }
            }
        }
        @for (i, ctx) in branches.iter().enumerate() {
            @let tools = retell_tools(&shown_base, &ToolsFor { language: ctx.company.language, services: Some(ctx.branch.services.iter().map(|s| s.name.clone()).collect()) });
            section.card {
                h2 { (ctx.company.name) " · " (ctx.branch.name) }
                table { tbody {
                    tr { th { (word(l, PageWord::Functions)) } td { code { (shown_base) "/retell/functions/{name}" } } }
                    tr { th { "Webhook" } td { code { (shown_base) "/retell/webhook" } } }
                    tr { th { (word(l, PageWord::InboundCalls)) } td { code { (shown_base) "/retell/inbound" } } }
                    tr { th { (word(l, PageWord::Numbers)) } td { @for n in &ctx.branch.phone_numbers { code { (n.as_str()) } " " } } }
                    @if !ctx.branch.retell_agent_ids.is_empty() {
                        tr { th { "Agent" } td { @for a in &ctx.branch.retell_agent_ids { code { (a) } " " } } }
                    }
                } }
                p { button.secondary type="button" data-copy={ "tools-" (i) } data-done=(word(l, PageWord::Copied)) { (word(l, PageWord::CopyToolDefinitions)) } }
                textarea.code id={ "tools-" (i) } readonly aria-label=(word(l, PageWord::CopyToolDefinitions)) { (pretty(&tools)) }
            }
        }
    };
    page(&op, &frame, Nav::Retell, "Retell", body).into_response()
}
