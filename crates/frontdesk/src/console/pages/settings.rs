//! *Einstellungen*: services, staff and who does what, opening hours and closures of each
//! branch. A save is validated by the tenants file's rules, written to the database (the source
//! of truth) and applied at once on every instance; the branch's windows are recomputed.

use crate::speech::{phrasebook, spoken_weekday, word, PageWord, SettingsWord, SpeechContext};
use super::layout::{csrf_field, page, Frame, Nav};
use super::{forbidden, not_found, PageOperator};
use crate::console::session::Operator;
use crate::domain::{BranchContext, BranchId, CalendarKind, Language, Phase, Resource, Role, TimeRange};
use crate::app::AppState;
use crate::tenants::{BranchDraft, Changed, ServiceSpec, StaffSpec};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use chrono::Weekday;

/// The weekdays as the tenants file names them.
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/// The weekdays in the order of [`DAYS`].
const WEEK: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
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
        (Some(_), None) => Some(Ok(word(l, SettingsWord::SavedInEffectNow).to_string())),
        _ => None,
    };
    settings_page(&state, &op, notice, None).await
}

/// The settings of every branch; `typed` shows one branch's forms as submitted (after a
/// refusal, so nothing typed is lost).
async fn settings_page(
    state: &AppState,
    op: &Operator,
    notice: Option<Result<String, String>>,
    typed: Option<(BranchId, &BranchDraft)>,
) -> Response {
    let l = op.language;
    let frame = Frame::load(state, op).await.with_notice(notice);
    let body = html! { @for ctx in branches_of(state, op) {
        @let draft = match typed {
            Some((id, draft)) if id == ctx.branch.id => draft.clone(),
            _ => BranchDraft::of(&ctx),
        };
        (branch_forms(op, &ctx, &draft))
    } };
    page(op, &frame, Nav::Settings, word(l, PageWord::Settings), body).into_response()
}

/// Phases as an owner reads them: "30 Arbeit, 35 Einwirken, 25 Arbeit".
fn phases_text(l: crate::domain::Language, phases: &[Phase]) -> String {
    let part = |p: &Phase| match p {
        Phase::Work(m) => format!("{m} {}", word(l, SettingsWord::Work)),
        Phase::Wait(m) => format!("{m} {}", word(l, SettingsWord::Wait)),
    };
    phases.iter().map(part).collect::<Vec<_>>().join(", ")
}

/// Phases as an owner writes them, in either language: each part a number of minutes, a wait when
/// it says so ("35 Einwirken", "35 warten", "35 wait"), else work.
fn parse_phases(l: Language, text: &str) -> Result<Vec<Phase>, String> {
    const WAITING: [&str; 6] = ["einwirken", "warten", "wait", "pause", "einwirkzeit", "waiting"];
    text.split(',').map(str::trim).filter(|p| !p.is_empty()).map(|part| {
        let (number, rest) = part.split_once(char::is_whitespace).unwrap_or((part, ""));
        let minutes: u32 = number.parse().map_err(|_| problem(l, part, SettingsWord::PhaseMinutesFirst))?;
        let wait = WAITING.contains(&crate::speech::fold(rest.trim()).as_str());
        Ok(if wait { Phase::Wait(minutes) } else { Phase::Work(minutes) })
    }).collect()
}

/// The form for services' phases, buffers, resources, notice and interval, and the branch's resources.
fn timing_form(op: &Operator, draft: &BranchDraft, id: BranchId) -> Markup {
    let l = op.language;
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    html! {
        h3 { (word(l, SettingsWord::Timing)) }
        form method="post" action={ "/admin/settings/" (id) "/timing" } {
            (csrf_field(op))
            div style="overflow-x:auto" { table {
                thead { tr { th { "Name" } th { (word(l, SettingsWord::Phases)) } th { (word(l, SettingsWord::BufferBefore)) }
                    th { (word(l, SettingsWord::BufferAfter)) } th { (word(l, SettingsWord::Resources)) }
                    th { (word(l, SettingsWord::Notice)) } th { (word(l, SettingsWord::Interval)) } } }
                tbody { @for (i, s) in draft.service.iter().enumerate() { tr {
                    td { (s.name) }
                    td { input type="text" name={ "phases_" (i) } aria-label={ (s.name) ": " (word(l, SettingsWord::Phases)) } value=(phases_text(l, &s.phases)) maxlength="200"; }
                    td { input type="number" name={ "before_" (i) } aria-label={ (s.name) ": " (word(l, SettingsWord::BufferBefore)) } value=(s.buffer_before_minutes) min="0" max="240" style="width:5em"; }
                    td { input type="number" name={ "after_" (i) } aria-label={ (s.name) ": " (word(l, SettingsWord::BufferAfter)) } value=(s.buffer_after_minutes) min="0" max="240" style="width:5em"; }
                    td { input type="text" name={ "resources_" (i) } aria-label={ (s.name) ": " (word(l, SettingsWord::Resources)) } value=(s.resources.join(", ")) maxlength="200"; }
                    td { input type="number" name={ "notice_" (i) } aria-label={ (s.name) ": " (word(l, SettingsWord::Notice)) } value=(number(s.min_notice_minutes)) min="0" style="width:6em"; }
                    td { input type="number" name={ "interval_" (i) } aria-label={ (s.name) ": " (word(l, SettingsWord::Interval)) } value=(number(s.slot_interval_minutes)) min="5" max="240" style="width:5em"; }
                } } }
            } }
            p.muted { (word(l, SettingsWord::PhasesHint)) }
            label { (word(l, SettingsWord::Resources))
                textarea name="branch_resources" rows="3" cols="32" {
                    (draft.resource.iter().map(|r| format!("{}: {}", r.name, r.capacity)).collect::<Vec<_>>().join("\n"))
                } }
            p.muted { (word(l, SettingsWord::ResourcesHint)) }
            button type="submit" { (word(l, SettingsWord::SaveTiming)) }
        }
    }
}

fn branch_forms(op: &Operator, ctx: &BranchContext, draft: &BranchDraft) -> Markup {
    let l = op.language;
    let id = ctx.branch.id;
    html! {
        section.card data-branch=(id) {
            h2 { (ctx.branch.name) }
            h3 { (word(l, SettingsWord::OpeningHours)) }
            form method="post" action={ "/admin/settings/" (id) "/hours" } {
                (csrf_field(op))
                @for (i, day) in DAYS.iter().enumerate() {
                    div.row { label { (spoken_weekday(WEEK[i], l))
                        input type="text" name=(day) value=(draft.opening_hours.get(*day).map(|r| r.join(", ")).unwrap_or_default())
                            placeholder=(word(l, SettingsWord::Closed)) maxlength="200";
                    } }
                }
                p.muted { (word(l, SettingsWord::TimesLike090013)) }
                button type="submit" { (word(l, SettingsWord::SaveOpeningHours)) }
            }
            h3 { (word(l, SettingsWord::Closures)) }
            form method="post" action={ "/admin/settings/" (id) "/closures" } {
                (csrf_field(op))
                label { (word(l, SettingsWord::Closures))
                    textarea name="closures" rows="4" cols="32" { (draft.closures.join("\n")) } }
                p.muted { (word(l, SettingsWord::OneDayOrRangePer)) }
                button type="submit" { (word(l, SettingsWord::SaveClosures)) }
            }
            h3 { (word(l, SettingsWord::Services)) }
            form method="post" action={ "/admin/settings/" (id) "/services" } {
                (csrf_field(op))
                div style="overflow-x:auto" { table {
                    thead { tr { th { "Name" } th { (word(l, SettingsWord::SynonymsComma)) } th { (word(l, SettingsWord::Minutes)) } th { (word(l, SettingsWord::Price)) } th { "Cal.com" } th { (word(l, SettingsWord::Remove)) } } }
                    tbody {
                        @for (i, s) in draft.service.iter().enumerate() {
                            tr {
                                td { input type="text" name={ "name_" (i) } aria-label={ "Name " (i + 1) } value=(s.name) maxlength="200" required; }
                                td { input type="text" name={ "synonyms_" (i) } aria-label={ (s.name) ": " (word(l, SettingsWord::SynonymsComma)) } value=(s.synonyms.join(", ")) maxlength="200"; }
                                td { input type="number" name={ "duration_" (i) } aria-label={ (s.name) ": " (word(l, SettingsWord::Minutes)) } value=(s.duration_minutes) min="1" max="1440" style="width:5em"; }
                                td { input type="text" name={ "price_" (i) } aria-label={ (s.name) ": " (word(l, SettingsWord::Price)) } value=(s.price.as_deref().unwrap_or_default()) maxlength="40" style="width:7em"; }
                                td { input type="number" name={ "event_" (i) } aria-label={ (s.name) ": " ("Cal.com") } value=(s.calcom_event_type_id.map(|e| e.to_string()).unwrap_or_default()) style="width:7em"; }
                                td { input type="checkbox" name={ "remove_" (i) } value="1" aria-label={ (s.name) ": " (word(l, SettingsWord::Remove)) }; }
                            }
                        }
                        tr {
                            td { input type="text" name="name_new" placeholder=(word(l, SettingsWord::NewService)) aria-label=(word(l, SettingsWord::NewService)) maxlength="200"; }
                            td { input type="text" name="synonyms_new" aria-label={ (word(l, SettingsWord::NewService)) ": " (word(l, SettingsWord::SynonymsComma)) } maxlength="200"; }
                            td { input type="number" name="duration_new" aria-label={ (word(l, SettingsWord::NewService)) ": " (word(l, SettingsWord::Minutes)) } min="1" max="1440" style="width:5em"; }
                            td { input type="text" name="price_new" aria-label={ (word(l, SettingsWord::NewService)) ": " (word(l, SettingsWord::Price)) } maxlength="40" style="width:7em"; }
                            td { input type="number" name="event_new" aria-label={ (word(l, SettingsWord::NewService)) ": " ("Cal.com") } style="width:7em"; }
                            td {}
                        }
                    }
                } }
                button type="submit" { (word(l, SettingsWord::SaveServices)) }
            }
            (timing_form(op, draft, id))
            h3 { (word(l, PageWord::Staff)) }
            form method="post" action={ "/admin/settings/" (id) "/staff" } {
                (csrf_field(op))
                table { tbody {
                    @for (i, p) in draft.staff.iter().enumerate() {
                        tr {
                            td { input type="text" name={ "staff_" (i) } aria-label={ (word(l, PageWord::Staff)) " " (i + 1) } value=(p.name) maxlength="200" required; }
                            td { @for s in &draft.service {
                                label style="display:inline-block;margin-right:.6rem" {
                                    input type="checkbox" name={ "does_" (i) } value=(s.name) checked[p.services.contains(&s.name)]; " " (s.name)
                                }
                            } }
                            td { label { input type="checkbox" name={ "remove_" (i) } value="1"; " " (word(l, SettingsWord::RemoveLower)) } }
                        }
                    }
                    tr { td { input type="text" name="staff_new" placeholder=(word(l, SettingsWord::NewPerson)) aria-label=(word(l, SettingsWord::NewPerson)) maxlength="200"; } td {
                        @for s in &draft.service { label style="display:inline-block;margin-right:.6rem" { input type="checkbox" name="does_new" value=(s.name); " " (s.name) } }
                    } td {} }
                } }
                button type="submit" { (word(l, SettingsWord::SaveStaff)) }
            }
        }
    }
}

pub(super) fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

/// What was wrong with a field, in the owner's words: "„Farbe“: ist keine Zahl".
fn problem(l: Language, what: &str, why: SettingsWord) -> String {
    format!("{}: {}", crate::speech::echo(&what.chars().take(40).collect::<String>()), word(l, why))
}

fn bounded(l: Language, text: &str) -> Result<String, String> {
    if text.chars().count() > FIELD_CHARS || text.chars().any(char::is_control) {
        return Err(problem(l, text, SettingsWord::FieldTooLong));
    }
    Ok(text.to_string())
}

fn list(l: Language, text: Option<&str>) -> Result<Vec<String>, String> {
    text.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| bounded(l, s)).collect()
}

/// Applies one submitted section to the draft.
fn apply(draft: &mut BranchDraft, section: &str, form: &[(String, String)], speech: &SpeechContext) -> Result<(), String> {
    let l = speech.language;
    match section {
        "hours" => apply_hours(draft, form, l),
        "closures" => apply_closures(draft, form, speech),
        "services" => apply_services(draft, form, l),
        "timing" => apply_timing(draft, form, l),
        "staff" => apply_staff(draft, form, l),
        _ => Err("unknown section".into()),
    }
}

/// The closures, one a line, as the owner writes them ("24.12.–1.1. Betriebsferien",
/// "morgen Inventur"); lines that cannot be read are named in the owner's words, and what was
/// typed stays in the form.
fn apply_closures(draft: &mut BranchDraft, form: &[(String, String)], speech: &SpeechContext) -> Result<(), String> {
    let lines: Vec<&str> = field(form, "closures").unwrap_or_default().lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let read: Vec<Result<String, String>> = lines
        .iter()
        .map(|line| crate::speech::understand_closure(line, speech).map(|c| c.render()).map_err(|_| crate::speech::echo(line)))
        .collect();
    let unclear: Vec<String> = read.iter().filter_map(|r| r.clone().err()).collect();
    if !unclear.is_empty() {
        draft.closures = lines.iter().map(|l| l.to_string()).collect();
        return Err(format!("{} {}", word(speech.language, SettingsWord::ClosuresNotUnderstood), unclear.join(", ")));
    }
    draft.closures = read.into_iter().flatten().collect();
    Ok(())
}

/// The week's opening hours; hours that cannot be read are named in the owner's words.
fn apply_hours(draft: &mut BranchDraft, form: &[(String, String)], l: Language) -> Result<(), String> {
    let mut hours = BTreeMap::new();
    let mut unclear = Vec::new();
    for day in DAYS {
        let ranges = list(l, field(form, day))?;
        // said in the owner's words, what was typed kept in the form
        unclear.extend(ranges.iter().filter(|r| TimeRange::parse(r).is_err()).map(|r| crate::speech::echo(r)));
        if !ranges.is_empty() {
            hours.insert(day.to_string(), ranges);
        }
    }
    draft.opening_hours = hours;
    if !unclear.is_empty() {
        return Err(format!("{} {}", word(l, SettingsWord::HoursNotUnderstood), unclear.join(", ")));
    }
    Ok(())
}

/// The service list: renamed, removed and added rows; staff keep only services that still exist.
fn apply_services(draft: &mut BranchDraft, form: &[(String, String)], l: Language) -> Result<(), String> {
    let mut services = Vec::new();
    let rows = (0..draft.service.len()).map(|i| i.to_string()).chain(std::iter::once("new".to_string()));
    for row in rows {
        let Some(name) = field(form, &format!("name_{row}")) else { continue };
        if field(form, &format!("remove_{row}")).is_some() {
            continue;
        }
        let number = |key: &str| -> Result<Option<i64>, String> {
            field(form, &format!("{key}_{row}")).map(|v| v.parse::<i64>().map_err(|_| problem(l, v, SettingsWord::NotANumber))).transpose()
        };
        let duration = number("duration")?.ok_or_else(|| problem(l, name, SettingsWord::MinutesMissing))?;
        let before = draft.service.iter().find(|s| s.name == name);
        services.push(ServiceSpec {
            name: bounded(l, name)?,
            synonyms: list(l, field(form, &format!("synonyms_{row}")))?,
            duration_minutes: u32::try_from(duration).map_err(|_| problem(l, name, SettingsWord::MinutesOutOfRange))?,
            price: field(form, &format!("price_{row}")).map(|p| bounded(l, p)).transpose()?,
            description: before.and_then(|s| s.description.clone()),
            calcom_event_type_id: number("event")?,
            // phases, buffers, resources and notice are kept as they were
            ..before.cloned().unwrap_or_else(|| ServiceSpec::named(name, 0))
        });
    }
    // Staff keep only the services that still exist.
    for person in &mut draft.staff {
        person.services.retain(|s| services.iter().any(|kept| &kept.name == s));
        person.calcom_event_types.retain(|s, _| services.iter().any(|kept| &kept.name == s));
    }
    draft.service = services;
    Ok(())
}

/// Each service's phases, buffers, resources, notice and interval, and the branch's resources.
fn apply_timing(draft: &mut BranchDraft, form: &[(String, String)], l: Language) -> Result<(), String> {
    let minutes = |key: String| -> Result<Option<u32>, String> {
        field(form, &key).map(|v| v.parse::<u32>().map_err(|_| problem(l, v, SettingsWord::NotMinutes))).transpose()
    };
    for (i, service) in draft.service.iter_mut().enumerate() {
        service.phases = parse_phases(l, field(form, &format!("phases_{i}")).unwrap_or_default())?;
        service.buffer_before_minutes = minutes(format!("before_{i}"))?.unwrap_or(0);
        service.buffer_after_minutes = minutes(format!("after_{i}"))?.unwrap_or(0);
        service.resources = list(l, field(form, &format!("resources_{i}")))?;
        service.min_notice_minutes = minutes(format!("notice_{i}"))?;
        service.slot_interval_minutes = minutes(format!("interval_{i}"))?;
    }
    draft.resource = field(form, "branch_resources")
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (name, capacity) = line.rsplit_once(':').ok_or_else(|| problem(l, line, SettingsWord::ResourceAsNameCount))?;
            let capacity = capacity.trim().parse().map_err(|_| problem(l, line, SettingsWord::CountNotANumber))?;
            Ok(Resource { name: bounded(l, name.trim())?, capacity })
        })
        .collect::<Result<_, String>>()?;
    Ok(())
}

/// The staff list and who does which service; hours and breaks are kept as they were.
fn apply_staff(draft: &mut BranchDraft, form: &[(String, String)], l: Language) -> Result<(), String> {
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
            name: bounded(l, name)?,
            calcom_event_types: before
                .map(|p| p.calcom_event_types.iter().filter(|(s, _)| does.contains(s)).map(|(s, e)| (s.clone(), *e)).collect())
                .unwrap_or_default(),
            services: does,
            // hours and breaks are kept as they were
            ..before.cloned().unwrap_or_else(|| StaffSpec::named(name, Vec::new()))
        });
    }
    draft.staff = staff;
    Ok(())
}

/// `POST /admin/settings/{branch}/{section}`: `hours`, `closures`, `services`, `timing` or `staff`.
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
    let Some(ctx) = branch.parse::<i64>().ok().map(BranchId).and_then(|id| branches_of(&state, &op).into_iter().find(|b| b.branch.id == id))
    else {
        return not_found(l);
    };
    if !may_edit(&op) {
        return not_found(l);
    }
    let mut draft = BranchDraft::of(&ctx);
    let is_calcom = ctx.company.calendar == Some(CalendarKind::Calcom);
    let now = state.now().with_timezone(&ctx.company.timezone);
    let speech = SpeechContext { now, hours: &ctx.branch.opening_hours, language: l, month_first: ctx.company.month_first, staff: &[], earlier_day: None };
    let checked = apply(&mut draft, &section, &form, &speech).and_then(|()| draft.clone().validate(is_calcom).map_err(|p| phrasebook(l).settings_problem(&p)));
    let spec = match checked {
        Ok(spec) => spec,
        Err(problem) => {
            let text = format!("{} {problem}", word(l, SettingsWord::NotSaved));
            return super::refused_form(settings_page(&state, &op, Some(Err(text)), Some((ctx.branch.id, &draft))).await);
        }
    };
    let saved = async {
        state.backends().store.save_branch(ctx.company.id, &spec).await?;
        state.tenants().changed(Changed::Branch(ctx.branch.id)).await
    };
    match saved.await {
        Ok(()) => {
            tracing::info!(branch = ctx.branch.id.0, section = %section, by = %op.email, "settings saved");
            // A branch set up at Retell gets its new services and staff there too.
            crate::onboarding::retell::after_change(&state, ctx.branch.id);
            Redirect::to("/admin/settings?saved=1").into_response()
        }
        Err(error) => crate::console::error::ConsoleError::from(error).into_response(),
    }
}

/// Percent-encodes a query value.
pub(super) fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
