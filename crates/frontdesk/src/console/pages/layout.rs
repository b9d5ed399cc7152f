//! The page around every console page: navigation with the open-callback badge, the company
//! switch for admins, language and logout; plus small helpers every page uses.

use crate::app::AppState;
use crate::console::session::Operator;
use crate::domain::{mask_phone, CompanyId, Language};
use crate::speech::{word, PageWord};
use crate::store::AppointmentSource;
use maud::{html, Markup, DOCTYPE};

/// The navigation entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Today's appointments.
    Today,
    /// The week's appointments.
    Week,
    /// Callback requests.
    Callbacks,
    /// Calls.
    Calls,
    /// Customers: search, profile, notes.
    Customers,
    /// Who waits for a freed time.
    Waitlist,
    /// Staff: working hours, breaks, absences.
    Staff,
    /// Services, staff, hours, closures.
    Settings,
    /// Retell setup.
    Retell,
    /// Operations (admins).
    Ops,
}

/// What the frame of every page shows besides the page itself.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Open callbacks of the operator's scope.
    pub open_callbacks: i64,
    /// `(id, name)` of every company, for an admin's switch.
    pub companies: Vec<(CompanyId, String)>,
    /// A one-line notice after a form (`Ok` = done, `Err` = refused).
    pub notice: Option<Result<String, String>>,
}

impl Frame {
    /// Reads the badge count and, for admins, the company list.
    pub async fn load(state: &AppState, operator: &Operator) -> Self {
        let open_callbacks =
            state.backends().store.open_callback_count(operator.company).await.unwrap_or_else(|error| {
                tracing::warn!(%error, "open callback count failed");
                0
            });
        let companies = if operator.is_admin() {
            let mut seen = std::collections::BTreeMap::new();
            for ctx in state.directory().branches() {
                seen.entry(ctx.company.id).or_insert_with(|| ctx.company.name.clone());
            }
            seen.into_iter().collect()
        } else {
            Vec::new()
        };
        Self { open_callbacks, companies, notice: None }
    }

    /// The same frame with a notice.
    pub fn with_notice(mut self, notice: Option<Result<String, String>>) -> Self {
        self.notice = notice;
        self
    }
}

/// A complete HTML page.
pub fn page(operator: &Operator, frame: &Frame, active: Nav, title: &str, body: Markup) -> Markup {
    let l = operator.language;
    let entries = [
        (Nav::Today, "/admin/today", word(l, PageWord::Today)),
        (Nav::Week, "/admin/week", word(l, PageWord::Week)),
        (Nav::Callbacks, "/admin/callbacks", word(l, PageWord::Callbacks)),
        (Nav::Calls, "/admin/calls", word(l, PageWord::Calls)),
        (Nav::Customers, "/admin/customers", word(l, PageWord::Customers)),
        (Nav::Waitlist, "/admin/waitlist", word(l, PageWord::Waitlist)),
        (Nav::Staff, "/admin/staff", word(l, PageWord::Staff)),
        (Nav::Settings, "/admin/settings", word(l, PageWord::Settings)),
        (Nav::Retell, "/admin/retell", "Retell"),
        (Nav::Ops, "/admin/ops", word(l, PageWord::Operations)),
    ];
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            (head(title, true))
            body {
                header {
                    span.brand { "frontdesk" }
                    nav {
                        @for (nav, href, label) in entries {
                            @if (nav != Nav::Ops || operator.is_admin()) && (nav != Nav::Calls || operator.staff_name.is_none()) {
                                a href=(href) class=[(nav == active).then_some("active")] {
                                    (label)
                                    @if nav == Nav::Callbacks && frame.open_callbacks > 0 {
                                        " " span.badge id="callback-badge" { (frame.open_callbacks) }
                                    }
                                }
                            }
                        }
                    }
                    div.who {
                        @if operator.is_admin() && !frame.companies.is_empty() {
                            form.inline method="post" action="/admin/company" {
                                (csrf_field(operator))
                                select name="company" aria-label=(word(l, PageWord::Company)) onchange="this.form.submit()" {
                                    @for (id, name) in &frame.companies {
                                        option value=(id) selected[operator.company == Some(*id)] { (name) }
                                    }
                                }
                                noscript { button.secondary type="submit" { "→" } }
                            }
                        }
                        span { (operator.email) }
                        form.inline method="post" action="/admin/language" {
                            (csrf_field(operator))
                            input type="hidden" name="language" value=(word(l, PageWord::OtherLanguageCode));
                            button.secondary type="submit" { (word(l, PageWord::OtherLanguageName)) }
                        }
                        form.inline method="post" action="/admin/logout" {
                            (csrf_field(operator))
                            button.secondary type="submit" { (word(l, PageWord::SignOut)) }
                        }
                    }
                }
                main {
                    h1 { (title) }
                    @match &frame.notice {
                        Some(Ok(text)) => div.notice role="status" { (text) },
                        Some(Err(text)) => div.notice.error role="alert" { (text) },
                        None => {},
                    }
                    (body)
                }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(operator: &Operator) -> Markup {
    html! { input type="hidden" name="csrf" value=(operator.csrf.as_deref().unwrap_or_default()); }
}

/// A phone number masked until clicked (no script: a disclosure element).
pub fn phone(number: Option<&str>) -> Markup {
    match number {
        None => html! { span.muted { "–" } },
        Some(number) => html! {
            details.phone { summary { (mask_phone(number)) } a href={ "tel:" (number) } { (number) } }
        },
    }
}

/// "Telefonagent" / "Cal.com" / "Konsole".
pub fn source(language: Language, source: AppointmentSource) -> &'static str {
    match source {
        AppointmentSource::Phone => word(language, PageWord::PhoneAgent),
        AppointmentSource::Calcom => "Cal.com",
        AppointmentSource::Console => word(language, PageWord::Console),
    }
}

/// The document head: a phone-sized viewport, the embedded stylesheet, and the script where
/// a page has something to copy.
fn head(title: &str, with_script: bool) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · frontdesk" }
            link rel="stylesheet" href="/admin/assets/console.css";
            @if with_script { script src="/admin/assets/console.js" defer {} }
        }
    }
}

/// A stand-alone page for people who are not signed in (login, errors).
pub fn bare(language: Language, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(language.code()) {
            (head(title, false))
            body { div.login { h1 { (title) } (body) } }
        }
    }
}

/// A page for paper: the title and the content, no navigation, no forms, no script.
pub fn printable(language: Language, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(language.code()) {
            (head(title, false))
            body.printable { main { h1 { (title) } (body) } }
        }
    }
}

/// Inline JSON for a `<textarea>` (escaped by maud).
pub fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
