//! *Einstellungen*: services, staff and who does what, opening hours and closures of each
//! branch. A save is validated by the tenants file's rules, written to the database (the source
//! of truth) and applied at once on every instance; the branch's windows are recomputed.

use super::layout::{csrf_field, page, Frame, Nav};
use super::{forbidden, not_found, PageOperator};
use crate::console::session::Operator;
use crate::domain::{BranchContext, CalendarKind, Role};
use crate::app::AppState;
use crate::tenants::{BranchDraft, Changed, ServiceSpec, StaffSpec};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The weekdays as the tenants file names them.
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/// Longest text accepted in one settings field.
const FIELD_CHARS: usize = 200;

/// `?saved=1` or `?error=…`.
#[derive(Debug, Default, Deserialize)]
pub struct Outcome {
    saved: Option<String>,
    error: Option<String>,
}

fn may_edit(op: &Operator) -> bool {
    matches!(op.role, Role::Owner | Role::Admin)
}

fn branches_of(state: &AppState, op: &Operator) -> Vec<Arc<BranchContext>> {
    op.company.map(|id| state.directory().of_company(id).to_vec()).unwrap_or_default()
}

/// `GET /admin/settings`.
pub async fn show(State(state): State<AppState>, PageOperator(op): PageOperator, Query(q): Query<Outcome>) -> Response {
    let l = op.language;
    if !may_edit(&op) {
        return not_found(l);
    }
    let notice = match (q.saved, q.error) {
        (_, Some(error)) => Some(Err(error.chars().take(300).collect())),
        (Some(_), None) => Some(Ok(l.pick("Gespeichert — gilt ab sofort.", "Saved — in effect now.").to_string())),
        _ => None,
    };
    let frame = Frame::load(&state, &op).await.with_notice(notice);
    let body = html! { @for ctx in branches_of(&state, &op) { (branch_forms(&op, &ctx)) } };
    page(&op, &frame, Nav::Settings, l.pick("Einstellungen", "Settings"), body).into_response()
}

fn branch_forms(op: &Operator, ctx: &BranchContext) -> Markup {
    let l = op.language;
    let draft = BranchDraft::of(ctx);
    let id = ctx.branch.id;
    let day_names = l.pick(["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"], ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);
    html! {
        section.card data-branch=(id) {
            h2 { (ctx.branch.name) }
            h3 { (l.pick("Öffnungszeiten", "Opening hours")) }
            form method="post" action={ "/admin/settings/" (id) "/hours" } {
                (csrf_field(op))
                @for (i, day) in DAYS.iter().enumerate() {
                    div.row { label { (day_names[i])
                        input type="text" name=(day) value=(draft.opening_hours.get(*day).map(|r| r.join(", ")).unwrap_or_default())
                            placeholder=(l.pick("geschlossen", "closed")) maxlength="200";
                    } }
                }
                p.muted { (l.pick("Zeiten wie 09:00-13:00, 14:00-18:00; leer = geschlossen.", "Times like 09:00-13:00, 14:00-18:00; empty = closed.")) }
                button type="submit" { (l.pick("Öffnungszeiten speichern", "Save opening hours")) }
            }
            h3 { (l.pick("Schließtage", "Closures")) }
            form method="post" action={ "/admin/settings/" (id) "/closures" } {
                (csrf_field(op))
                textarea name="closures" rows="4" cols="32" placeholder="2026-12-24..2027-01-01" { (draft.closures.join("\n")) }
                p.muted { (l.pick("Ein Tag oder Zeitraum pro Zeile, z. B. 2027-02-16 oder 2026-12-24..2027-01-01.", "One day or range per line, e.g. 2027-02-16 or 2026-12-24..2027-01-01.")) }
                button type="submit" { (l.pick("Schließtage speichern", "Save closures")) }
            }
            h3 { (l.pick("Leistungen", "Services")) }
            form method="post" action={ "/admin/settings/" (id) "/services" } {
                (csrf_field(op))
                div style="overflow-x:auto" { table {
                    thead { tr { th { "Name" } th { (l.pick("Synonyme (Komma)", "Synonyms (comma)")) } th { (l.pick("Minuten", "Minutes")) } th { (l.pick("Preis", "Price")) } th { "Cal.com" } th { (l.pick("Entfernen", "Remove")) } } }
                    tbody {
                        @for (i, s) in draft.service.iter().enumerate() {
                            tr {
                                td { input type="text" name={ "name_" (i) } value=(s.name) maxlength="200" required; }
                                td { input type="text" name={ "synonyms_" (i) } value=(s.synonyms.join(", ")) maxlength="200"; }
                                td { input type="number" name={ "duration_" (i) } value=(s.duration_minutes) min="1" max="1440" style="width:5em"; }
                                td { input type="text" name={ "price_" (i) } value=(s.price.as_deref().unwrap_or_default()) maxlength="40" style="width:7em"; }
                                td { input type="number" name={ "event_" (i) } value=(s.calcom_event_type_id.map(|e| e.to_string()).unwrap_or_default()) style="width:7em"; }
                                td { input type="checkbox" name={ "remove_" (i) } value="1"; }
                            }
                        }
                        tr {
                            td { input type="text" name="name_new" placeholder=(l.pick("neue Leistung", "new service")) maxlength="200"; }
                            td { input type="text" name="synonyms_new" maxlength="200"; }
                            td { input type="number" name="duration_new" min="1" max="1440" style="width:5em"; }
                            td { input type="text" name="price_new" maxlength="40" style="width:7em"; }
                            td { input type="number" name="event_new" style="width:7em"; }
                            td {}
                        }
                    }
                } }
                button type="submit" { (l.pick("Leistungen speichern", "Save services")) }
            }
            h3 { (l.pick("Mitarbeiter", "Staff")) }
            form method="post" action={ "/admin/settings/" (id) "/staff" } {
                (csrf_field(op))
                table { tbody {
                    @for (i, p) in draft.staff.iter().enumerate() {
                        tr {
                            td { input type="text" name={ "staff_" (i) } value=(p.name) maxlength="200" required; }
                            td { @for s in &draft.service {
                                label style="display:inline-block;margin-right:.6rem" {
                                    input type="checkbox" name={ "does_" (i) } value=(s.name) checked[p.services.contains(&s.name)]; " " (s.name)
                                }
                            } }
                            td { label { input type="checkbox" name={ "remove_" (i) } value="1"; " " (l.pick("entfernen", "remove")) } }
                        }
                    }
                    tr { td { input type="text" name="staff_new" placeholder=(l.pick("neue Person", "new person")) maxlength="200"; } td {
                        @for s in &draft.service { label style="display:inline-block;margin-right:.6rem" { input type="checkbox" name="does_new" value=(s.name); " " (s.name) } }
                    } td {} }
                } }
                button type="submit" { (l.pick("Mitarbeiter speichern", "Save staff")) }
            }
        }
    }
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

fn bounded(text: &str) -> Result<String, String> {
    if text.chars().count() > FIELD_CHARS || text.chars().any(char::is_control) {
        return Err(format!("too long or not text: {:?}", text.chars().take(40).collect::<String>()));
    }
    Ok(text.to_string())
}

fn list(text: Option<&str>) -> Result<Vec<String>, String> {
    text.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(bounded).collect()
}

/// Applies one submitted section to the draft.
fn apply(draft: &mut BranchDraft, section: &str, form: &[(String, String)]) -> Result<(), String> {
    match section {
        "hours" => {
            let mut hours = BTreeMap::new();
            for day in DAYS {
                let ranges = list(field(form, day))?;
                if !ranges.is_empty() {
                    hours.insert(day.to_string(), ranges);
                }
            }
            draft.opening_hours = hours;
        }
        "closures" => {
            draft.closures = field(form, "closures")
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(bounded)
                .collect::<Result<_, _>>()?;
        }
        "services" => {
            let mut services = Vec::new();
            let rows = (0..draft.service.len()).map(|i| i.to_string()).chain(std::iter::once("new".to_string()));
            for row in rows {
                let Some(name) = field(form, &format!("name_{row}")) else { continue };
                if field(form, &format!("remove_{row}")).is_some() {
                    continue;
                }
                let number = |key: &str| -> Result<Option<i64>, String> {
                    field(form, &format!("{key}_{row}")).map(|v| v.parse::<i64>().map_err(|_| format!("{v:?} is not a number"))).transpose()
                };
                let duration = number("duration")?.ok_or_else(|| format!("{name}: minutes are missing"))?;
                services.push(ServiceSpec {
                    name: bounded(name)?,
                    synonyms: list(field(form, &format!("synonyms_{row}")))?,
                    duration_minutes: u32::try_from(duration).map_err(|_| format!("{name}: minutes must be 1..1440"))?,
                    price: field(form, &format!("price_{row}")).map(bounded).transpose()?,
                    description: draft.service.iter().find(|s| s.name == name).and_then(|s| s.description.clone()),
                    calcom_event_type_id: number("event")?,
                });
            }
            // Staff keep only the services that still exist.
            for person in &mut draft.staff {
                person.services.retain(|s| services.iter().any(|kept| &kept.name == s));
                person.calcom_event_types.retain(|s, _| services.iter().any(|kept| &kept.name == s));
            }
            draft.service = services;
        }
        "staff" => {
            let mut staff = Vec::new();
            let rows = (0..draft.staff.len()).map(|i| i.to_string()).chain(std::iter::once("new".to_string()));
            for row in rows {
                let Some(name) = field(form, &format!("staff_{row}")) else { continue };
                if field(form, &format!("remove_{row}")).is_some() {
                    continue;
                }
                let does: Vec<String> = form.iter().filter(|(k, _)| *k == format!("does_{row}")).map(|(_, v)| v.clone()).collect();
                let before = draft.staff.iter().find(|p| p.name == name);
                staff.push(StaffSpec {
                    name: bounded(name)?,
                    calcom_event_types: before
                        .map(|p| p.calcom_event_types.iter().filter(|(s, _)| does.contains(s)).map(|(s, e)| (s.clone(), *e)).collect())
                        .unwrap_or_default(),
                    services: does,
                });
            }
            draft.staff = staff;
        }
        _ => return Err("unknown section".into()),
    }
    Ok(())
}

/// `POST /admin/settings/{branch}/{section}`: `hours`, `closures`, `services` or `staff`.
pub async fn save(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Path((branch, section)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let l = op.language;
    if !op.csrf_matches(field(&form, "csrf")) {
        return forbidden(l);
    }
    let Some(ctx) = branch.parse::<i64>().ok().and_then(|id| branches_of(&state, &op).into_iter().find(|b| b.branch.id == id))
    else {
        return not_found(l);
    };
    if !may_edit(&op) {
        return not_found(l);
    }
    let mut draft = BranchDraft::of(&ctx);
    let is_calcom = ctx.company.calendar == Some(CalendarKind::Calcom);
    let checked = apply(&mut draft, &section, &form).and_then(|()| draft.validate(is_calcom));
    let spec = match checked {
        Ok(spec) => spec,
        Err(problem) => {
            let text = format!("{} {problem}", l.pick("Nicht gespeichert:", "Not saved:"));
            return Redirect::to(&format!("/admin/settings?error={}", urlencode(&text))).into_response();
        }
    };
    let saved = async {
        state.backends().store.save_branch(ctx.company.id, &spec).await?;
        state.tenants().changed(Changed::Branch(ctx.branch.id)).await
    };
    match saved.await {
        Ok(()) => {
            tracing::info!(branch = ctx.branch.id, section = %section, by = %op.email, "settings saved");
            Redirect::to("/admin/settings?saved=1").into_response()
        }
        Err(error) => crate::console::error::ConsoleError::from(error).into_response(),
    }
}

/// Percent-encodes a query value.
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
