//! *Retell*: per branch the tool definitions to paste (with a copy button), the URLs Retell
//! calls, and whether signed requests are arriving.

use crate::speech::{word, OnboardingWord, PageWord};
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
    retell_page(&state, &op, None).await
}

/// The page, with a notice after a provisioning.
async fn retell_page(state: &AppState, op: &crate::console::session::Operator, notice: Option<Result<String, String>>) -> Response {
    let l = op.language;
    let base = state.console().public_url.clone();
    // Without FRONTDESK_PUBLIC_URL no definition is shown: a placeholder host would only be pasted.
    let shown_base = base.clone().unwrap_or_default();
    let directory = state.directory();
    let branches = match op.company {
        Some(company) => directory.of_company(company),
        None => directory.branches(),
    };
    let mut provisioning = Vec::with_capacity(branches.len());
    for ctx in branches {
        provisioning.push(crate::console::tenants_api::retell_view(state, ctx).await.ok());
    }
    let may_provision = op.staff_name.is_none();
    let csrf = op.csrf.clone().unwrap_or_default();
    let zone = crate::console::actions::zone_of(state, op);
    let arriving = match op.company {
        Some(company) => {
            state.backends().store.signed_requests_since(company, state.now() - Duration::hours(24)).await.ok()
        }
        None => None,
    };
    let mut frame = Frame::load(state, op).await;
    frame.notice = notice;
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
            @let tools = retell_tools(&shown_base, &ToolsFor::of_branch(ctx));
            section.card {
                h2 { (ctx.company.name) " · " (ctx.branch.name) }
                @if let Some(Some(view)) = provisioning.get(i) {
                    p data-retell-state=(view.state) {
                        @match view.state.as_str() {
                            "provisioned" => { strong { (word(l, OnboardingWord::RetellSetUp)) } }
                            "outdated" => { strong.overdue { (word(l, OnboardingWord::RetellOutdated)) } }
                            "failed" => { strong.overdue { (word(l, OnboardingWord::RetellFailed)) } (view.error.clone().unwrap_or_default()) }
                            _ => { (word(l, OnboardingWord::RetellNotSetUp)) }
                        }
                    }
                    @if may_provision && base.is_some() {
                        form method="post" action={ "/admin/retell/" (ctx.branch.id) "/provision" } {
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" { (word(l, OnboardingWord::SetUpAtRetell)) }
                        }
                    }
                }
                table { tbody {
                    tr { th { (word(l, PageWord::Functions)) } td { code { (shown_base) "/retell/functions/{name}" } } }
                    tr { th { "Webhook" } td { code { (shown_base) "/retell/webhook" } } }
                    tr { th { (word(l, PageWord::InboundCalls)) } td { code { (shown_base) "/retell/inbound" } } }
                    tr { th { (word(l, PageWord::Numbers)) } td { @for n in &ctx.branch.phone_numbers { code { (n.as_str()) } " " } } }
                    @if !ctx.branch.retell_agent_ids.is_empty() {
                        tr { th { "Agent" } td { @for a in &ctx.branch.retell_agent_ids { code { (a) } " " } } }
                    }
                } }
                @if base.is_some() {
                    p { button.secondary type="button" data-copy={ "tools-" (i) } data-done=(word(l, PageWord::Copied)) { (word(l, PageWord::CopyToolDefinitions)) } }
                    textarea.code id={ "tools-" (i) } readonly aria-label=(word(l, PageWord::CopyToolDefinitions)) { (pretty(&tools)) }
                }
            }
        }
    };
    page(op, &frame, Nav::Retell, "Retell", body).into_response()
}

/// The provisioning form's field.
#[derive(Debug, serde::Deserialize)]
pub struct ProvisionForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/retell/{branch}/provision`: the button; the page again with the outcome.
pub async fn provision(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    axum::extract::Path(branch): axum::extract::Path<String>,
    axum::Form(form): axum::Form<ProvisionForm>,
) -> Response {
    let l = op.language;
    if !op.csrf_matches(Some(&form.csrf)) {
        return super::forbidden(l);
    }
    // a staff login sets up nothing: for them the button's address is not found
    let Ok(scope) = crate::console::tenants_api::scope(&op) else { return super::not_found(l) };
    let Some(ctx) = branch.parse::<i64>().ok().and_then(|id| crate::onboarding::companies::branch_in_scope(&state, scope, crate::domain::BranchId(id)).ok()) else {
        return super::not_found(l);
    };
    let notice = match crate::console::tenants_api::provision(&state, &ctx).await {
        Ok(_) => Ok(word(l, OnboardingWord::RetellSetUp).to_string()),
        Err(error) => Err(format!("{}{error}", word(l, OnboardingWord::RetellFailed))),
    };
    retell_page(&state, &op, Some(notice)).await
}
