use crate::domain::{
    check_phases, clean_reason, AbsenceSpan, DayRange, Language, Limits, OpeningHours, Phase, PhoneNumber, Region,
    Resource, Secret, SettingsFault, SettingsProblem, DEFAULT_NOTICE_MINUTES, MAX_BUFFER_MINUTES, MAX_NOTICE_MINUTES,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// A parsed and validated tenants file (DESIGN §5).
#[derive(Debug, Clone)]
pub struct TenantsFile {
    /// The companies, in file order.
    pub companies: Vec<CompanySpec>,
    /// SHA-256 of the text it was parsed from (hex): an unchanged file need not be imported again.
    pub digest: String,
}

/// One company as the file describes it.
#[derive(Debug, Clone)]
pub struct CompanySpec {
    /// Unique name; the key for the idempotent import.
    pub name: String,
    /// Spoken language.
    pub language: Language,
    /// IANA time zone.
    pub timezone: Tz,
    /// Calendar provider override.
    pub calendar: Option<String>,
    /// Cal.com API key override (a secret: never logged).
    pub calcom_api_key: Option<Secret>,
    /// The company's own Retell API key: its numbers' calls must be signed with it.
    pub retell_api_key: Option<Secret>,
    /// Abuse limits.
    pub limits: Limits,
    /// No start sooner than this many minutes from now.
    pub min_notice_minutes: u32,
    /// Cancellation policy in hours.
    pub cancel_hours_before: Option<u32>,
    /// Region whose public holidays close the calendar (ISO 3166-2).
    pub region: Option<Region>,
    /// The region code as written, for storage.
    pub region_code: Option<String>,
    /// Locale such as `de-DE`, `en-US`, `en-GB`: decides whether "12/3" is month first.
    pub locale: Option<String>,
    /// Who hears about callbacks, bookings, moves and cancellations.
    pub notify: NotifySpec,
    /// Branches.
    pub branches: Vec<BranchSpec>,
}

/// Where a company's notifications go.
#[derive(Debug, Clone, Default)]
pub struct NotifySpec {
    /// The owner's e-mail address (lower case).
    pub email: Option<String>,
    /// An `https://` (or `http://`) URL that receives signed JSON events.
    pub webhook_url: Option<String>,
    /// The secret those events are signed with (required with a URL).
    pub webhook_secret: Option<Secret>,
    /// When the daily digest goes out, local time (default 19:00).
    pub digest_time: Option<chrono::NaiveTime>,
    /// The company's own SMS sender (else `FRONTDESK_SMS_FROM`).
    pub sms_from: Option<crate::sms::SmsSender>,
    /// The company's own SMS account: sid and token together (else the service's).
    pub sms_account: Option<(String, Secret)>,
    /// Hours before a start that reminders go out (default `[24]`; empty: none).
    pub reminder_hours: Vec<u32>,
    /// `sms`, `email` or `both`; `None`: what the customer has.
    pub reminder_channel: Option<String>,
}

/// One branch as the file describes it.
#[derive(Debug, Clone)]
pub struct BranchSpec {
    /// Name, unique within the company.
    pub name: String,
    /// Numbers callers dial.
    pub phone_numbers: Vec<PhoneNumber>,
    /// Weekly hours.
    pub opening_hours: OpeningHours,
    /// Services offered.
    pub services: Vec<ServiceSpec>,
    /// Staff.
    pub staff: Vec<StaffSpec>,
    /// Days off besides weekly hours and public holidays.
    pub closures: Vec<DayRange>,
    /// Retell agents whose web calls (no phone numbers) belong to this branch.
    pub retell_agent_ids: Vec<String>,
    /// Things services need besides a person.
    pub resources: Vec<Resource>,
}

/// One service as the file describes it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Name, unique within the branch.
    pub name: String,
    /// Other names callers use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
    /// Length of an appointment.
    pub duration_minutes: u32,
    /// Price, spoken as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Cal.com event type id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calcom_event_type_id: Option<i64>,
    /// Work and wait parts adding up to the duration (`[{ work = 30 }, { wait = 35 }, { work = 25 }]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
    /// Minutes the staff member is busy before (setting up).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub buffer_before_minutes: u32,
    /// Minutes the staff member is busy after (cleaning).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub buffer_after_minutes: u32,
    /// Names of the branch's resources it holds for the whole appointment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    /// Notice overriding the company's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_notice_minutes: Option<u32>,
    /// Starts every this many minutes from the opening (default 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_interval_minutes: Option<u32>,
}

impl ServiceSpec {
    /// A service of a name and a length with nothing else set.
    pub fn named(name: &str, duration_minutes: u32) -> Self {
        Self {
            name: name.to_string(),
            synonyms: Vec::new(),
            duration_minutes,
            price: None,
            description: None,
            calcom_event_type_id: None,
            phases: Vec::new(),
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            resources: Vec::new(),
            min_notice_minutes: None,
            slot_interval_minutes: None,
        }
    }
}

/// An absence as the file writes it: `{ from = "2026-12-14", to = "2026-12-18", reason = "Urlaub" }`.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsenceDraft {
    /// First day (`2026-12-14`) or instant (`2026-12-09T14:00`) away.
    from: String,
    /// Last day (inclusive) or first instant back.
    to: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// An absence of the tenants file, checked (the end after the start).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "AbsenceDraft", into = "AbsenceDraft")]
pub struct AbsenceEntry {
    /// The local time away.
    pub span: AbsenceSpan,
    /// Why (may be empty).
    pub reason: String,
}

impl AbsenceEntry {
    /// An absence as the file would write it, in the company's zone.
    pub fn local(absence: &crate::domain::Absence, zone: Tz) -> Self {
        let from = absence.starts_at.with_timezone(&zone).naive_local();
        let until = absence.ends_at.with_timezone(&zone).naive_local();
        Self { span: AbsenceSpan { from, until, all_day: absence.all_day }, reason: absence.reason.clone() }
    }
}

impl From<AbsenceEntry> for AbsenceDraft {
    fn from(entry: AbsenceEntry) -> Self {
        let (from, to) = entry.span.render();
        Self { from, to, reason: Some(entry.reason).filter(|r| !r.is_empty()) }
    }
}

impl TryFrom<AbsenceDraft> for AbsenceEntry {
    type Error = String;
    fn try_from(draft: AbsenceDraft) -> Result<Self, String> {
        let span = AbsenceSpan::parse(&draft.from, &draft.to)?;
        Ok(Self { span, reason: clean_reason(draft.reason.as_deref().unwrap_or_default()) })
    }
}

/// One staff member as the file describes them.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffSpec {
    /// Name, unique within the branch.
    pub name: String,
    /// Names of the services this person performs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Cal.com: this person's own event type per service name, so a caller can ask for them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub calcom_event_types: BTreeMap<String, i64>,
    /// Weekly working hours (default: the branch's opening hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<BTreeMap<String, Vec<String>>>)]
    pub working_hours: Option<OpeningHours>,
    /// Weekly breaks.
    #[serde(default, skip_serializing_if = "OpeningHours::is_empty")]
    #[schema(value_type = BTreeMap<String, Vec<String>>)]
    pub breaks: OpeningHours,
    /// Absences written in the file (those entered in the console or the API live in the database).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<AbsenceDraft>)]
    pub absences: Vec<AbsenceEntry>,
}

impl StaffSpec {
    /// A staff member of a name performing `services`, on the branch's hours.
    pub fn named(name: &str, services: Vec<String>) -> Self {
        Self {
            name: name.to_string(),
            services,
            calcom_event_types: BTreeMap::new(),
            working_hours: None,
            breaks: OpeningHours::default(),
            absences: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    company: Vec<CompanyDraft>,
}

/// A company as written (in the tenants file, or sent to the API), before validation: the keys
/// of DESIGN §5, optional ones left out when unset.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyDraft {
    /// Name, unique across the deployment.
    pub name: String,
    /// `de` or `en`.
    pub language: String,
    /// IANA zone.
    pub timezone: String,
    /// `local` or `calcom`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// The company's own Cal.com key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calcom_api_key: Option<String>,
    /// The company's own Retell key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retell_api_key: Option<String>,
    /// Hours before a start within which callers may not cancel or move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_hours_before: Option<u32>,
    /// Bookings one call may make.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bookings_per_call: Option<u32>,
    /// Upcoming appointments one caller may hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_upcoming_per_caller: Option<u32>,
    /// How far ahead anything is booked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_horizon_days: Option<u32>,
    /// No start sooner than this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_notice_minutes: Option<u32>,
    /// ISO 3166-2 region of the public holidays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Locale of dates (`en-US`: month first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Who hears about callbacks and bookings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_email: Option<String>,
    /// Signed outgoing events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_webhook_url: Option<String>,
    /// Secret of those events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_webhook_secret: Option<String>,
    /// Time of the daily digest (`19:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_time: Option<String>,
    /// The company's own SMS sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_from: Option<String>,
    /// The company's own SMS account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_account_sid: Option<String>,
    /// That account's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_auth_token: Option<String>,
    /// Hours before a start that reminders go out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_hours: Option<Vec<u32>>,
    /// `sms`, `email` or `both`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_channel: Option<String>,
    /// Its branches (`[[company.branch]]`; `branches` in JSON).
    #[serde(default, alias = "branches", skip_serializing_if = "Vec::is_empty")]
    pub branch: Vec<BranchDraft>,
}

/// A branch as written (in the tenants file, or edited in the console), before validation.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchDraft {
    /// Name.
    pub name: String,
    /// Numbers as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phone_numbers: Vec<String>,
    /// `mon` … `sun` → `["09:00-18:00"]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub opening_hours: BTreeMap<String, Vec<String>>,
    /// Services.
    #[serde(default, alias = "services", skip_serializing_if = "Vec::is_empty")]
    pub service: Vec<ServiceSpec>,
    /// Staff.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staff: Vec<StaffSpec>,
    /// Closures as written (`2026-12-24..2027-01-01`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closures: Vec<String>,
    /// Retell agents of web calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retell_agent_ids: Vec<String>,
    /// Resources (`[[company.branch.resource]]`).
    #[serde(default, alias = "resources", skip_serializing_if = "Vec::is_empty")]
    pub resource: Vec<Resource>,
}

impl BranchDraft {
    /// The draft of a branch as it is now, to be edited.
    pub fn of(ctx: &crate::domain::BranchContext) -> Self {
        let branch = &ctx.branch;
        let service_name =
            |id: crate::domain::ServiceId| branch.services.iter().find(|s| s.id == id).map(|s| s.name.clone());
        Self {
            name: branch.name.clone(),
            phone_numbers: branch.phone_numbers.iter().map(|n| n.as_str().to_string()).collect(),
            opening_hours: branch.opening_hours.to_map(),
            service: branch
                .services
                .iter()
                .map(|s| ServiceSpec {
                    name: s.name.clone(),
                    synonyms: s.synonyms.clone(),
                    duration_minutes: s.duration_minutes,
                    price: s.price.clone(),
                    description: s.description.clone(),
                    calcom_event_type_id: s.calcom_event_type_id,
                    phases: s.phases.clone(),
                    buffer_before_minutes: s.buffer_before_minutes,
                    buffer_after_minutes: s.buffer_after_minutes,
                    resources: s.resources.clone(),
                    min_notice_minutes: s.min_notice_minutes,
                    slot_interval_minutes: s.slot_interval_minutes,
                })
                .collect(),
            staff: branch
                .staff
                .iter()
                .map(|p| StaffSpec {
                    name: p.name.clone(),
                    services: p.services.iter().filter_map(|id| service_name(*id)).collect(),
                    calcom_event_types: p
                        .calcom_event_types
                        .iter()
                        .filter_map(|(id, event)| Some((service_name(*id)?, *event)))
                        .collect(),
                    working_hours: p.working_hours.clone(),
                    breaks: p.breaks.clone(),
                    // absences live in their own table and are not edited with the branch
                    absences: Vec::new(),
                })
                .collect(),
            closures: branch.closures.iter().map(DayRange::render).collect(),
            retell_agent_ids: branch.retell_agent_ids.clone(),
            resource: branch.resources.clone(),
        }
    }

    /// Validates the draft by the tenants file's rules (the numbers' uniqueness across branches
    /// is the database's to guard).
    pub fn validate(self, is_calcom: bool) -> Result<BranchSpec, SettingsProblem> {
        parse_branch(self, is_calcom, &mut HashSet::new())
    }
}

impl CompanyDraft {
    /// Validates the company and its branches by the tenants file's rules (numbers and agents
    /// used by other companies are the database's to refuse).
    pub fn validate(self) -> Result<CompanySpec, String> {
        parse_company(self, &mut HashSet::new())
    }
}

impl TenantsFile {
    /// The text of a tenants file holding `companies` (what `frontdesk tenants export` prints).
    pub fn render(companies: Vec<CompanyDraft>) -> Result<String, String> {
        #[derive(Serialize)]
        struct Out {
            company: Vec<CompanyDraft>,
        }
        toml::to_string(&Out { company: companies }).map_err(|e| e.to_string())
    }

    /// Reads and validates a tenants file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses and validates the TOML text of a tenants file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: RawFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let mut seen_numbers = HashSet::new();
        let mut seen_companies = HashSet::new();
        let companies = raw
            .company
            .into_iter()
            .map(|company| {
                if !seen_companies.insert(company.name.clone()) {
                    return Err(format!("company {:?} appears twice", company.name));
                }
                parse_company(company, &mut seen_numbers)
            })
            .collect::<Result<Vec<_>, _>>()?;
        // An agent names one branch: its web calls must not be claimed by two.
        let mut seen_agents = HashSet::new();
        for branch in companies.iter().flat_map(|c| &c.branches) {
            if let Some(twice) = branch.retell_agent_ids.iter().find(|a| !seen_agents.insert(a.as_str())) {
                return Err(format!("retell agent {twice:?} is named by two branches"));
            }
        }
        Ok(Self { companies, digest: Self::digest_of(text) })
    }

    /// The digest a file with this text carries (hex SHA-256), known before parsing it.
    pub fn digest_of(text: &str) -> String {
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(text.as_bytes()))
    }
}

fn parse_company(raw: CompanyDraft, seen_numbers: &mut HashSet<PhoneNumber>) -> Result<CompanySpec, String> {
    let at = |e: String| format!("company {:?}: {e}", raw.name);
    if !fits_name(&raw.name) {
        return Err(at(format!("name must be 1 to {MAX_NAME_CHARS} characters")));
    }
    let language = Language::parse(&raw.language).map_err(at)?;
    let timezone: Tz = raw.timezone.parse().map_err(|_| at(format!("unknown time zone {:?}", raw.timezone)))?;
    if let Some(calendar) = &raw.calendar {
        if calendar != "local" && calendar != "calcom" {
            return Err(at(format!("calendar must be \"local\" or \"calcom\", not {calendar:?}")));
        }
    }
    let is_calcom = raw.calendar.as_deref() == Some("calcom");
    let secret = |name: &str, value: &Option<String>| {
        value.as_deref().map(Secret::parse).transpose().map_err(|empty| at(format!("{name} {empty}")))
    };
    let calcom_api_key = secret("calcom_api_key", &raw.calcom_api_key)?;
    let retell_api_key = secret("retell_api_key", &raw.retell_api_key)?;
    let limits = parse_limits(&raw).map_err(at)?;
    let min_notice_minutes = match raw.min_notice_minutes {
        None => DEFAULT_NOTICE_MINUTES,
        Some(n) if n <= MAX_NOTICE_MINUTES => n,
        Some(n) => return Err(at(format!("min_notice_minutes must be 0..={MAX_NOTICE_MINUTES}, not {n}"))),
    };
    let region = raw.region.as_deref().map(Region::parse).transpose().map_err(at)?;
    if let Some(locale) = &raw.locale {
        let prefix = locale.split(['-', '_']).next().unwrap_or_default();
        if !prefix.eq_ignore_ascii_case(language.code()) {
            return Err(at(format!("locale {locale:?} does not match language {:?}", language.code())));
        }
    }
    let notify = parse_notify(&raw).map_err(at)?;
    let mut branch_names = HashSet::new();
    let branches = raw
        .branch
        .into_iter()
        .map(|branch| {
            if !branch_names.insert(branch.name.clone()) {
                return Err(format!("branch {:?} appears twice", branch.name));
            }
            let name = branch.name.clone();
            parse_branch(branch, is_calcom, seen_numbers).map_err(|problem| format!("branch {name:?}: {problem}"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(at)?;
    Ok(CompanySpec {
        name: raw.name,
        language,
        timezone,
        calendar: raw.calendar,
        calcom_api_key,
        retell_api_key,
        limits,
        min_notice_minutes,
        cancel_hours_before: raw.cancel_hours_before,
        region,
        region_code: raw.region.map(|r| r.trim().to_ascii_uppercase()),
        locale: raw.locale,
        notify,
        branches,
    })
}

/// A company's limits against prank callers: each optional, each within its bounds.
fn parse_limits(raw: &CompanyDraft) -> Result<Limits, String> {
    let defaults = Limits::default();
    let limit = |name: &str, value: Option<u32>, default: u32, range: std::ops::RangeInclusive<u32>| match value {
        None => Ok(default),
        Some(n) if range.contains(&n) => Ok(n),
        Some(n) => Err(format!("{name} must be {}..={}, not {n}", range.start(), range.end())),
    };
    Ok(Limits {
        max_bookings_per_call: limit(
            "max_bookings_per_call",
            raw.max_bookings_per_call,
            defaults.max_bookings_per_call,
            Limits::BOOKINGS_PER_CALL,
        )?,
        max_upcoming_per_caller: limit(
            "max_upcoming_per_caller",
            raw.max_upcoming_per_caller,
            defaults.max_upcoming_per_caller,
            Limits::UPCOMING_PER_CALLER,
        )?,
        booking_horizon_days: limit(
            "booking_horizon_days",
            raw.booking_horizon_days,
            defaults.booking_horizon_days,
            Limits::HORIZON_DAYS,
        )?,
    })
}

/// Where a company's notices go: an e-mail address, a signed webhook (URL and secret together)
/// and the time of the daily digest.
fn parse_notify(raw: &CompanyDraft) -> Result<NotifySpec, String> {
    let sms_from = raw.sms_from.as_deref().map(crate::sms::SmsSender::parse).transpose().map_err(|e| format!("sms_from: {e}"))?;
    let sms_account = match (raw.sms_account_sid.as_deref().map(str::trim), raw.sms_auth_token.as_deref()) {
        (None, None) => None,
        (Some(sid), Some(token)) if !sid.is_empty() => {
            Some((sid.to_string(), Secret::parse(token).map_err(|empty| format!("sms_auth_token {empty}"))?))
        }
        _ => return Err("sms_account_sid and sms_auth_token go together".into()),
    };
    let reminder_hours = raw.reminder_hours.clone().unwrap_or_else(|| vec![24]);
    if let Some(bad) = reminder_hours.iter().find(|h| !(1..=168).contains(*h)) {
        return Err(format!("reminder_hours must be 1..=168 hours before the start, not {bad}"));
    }
    let reminder_channel = match raw.reminder_channel.as_deref().map(str::trim) {
        None => None,
        Some(channel @ ("sms" | "email" | "both")) => Some(channel.to_string()),
        Some(other) => return Err(format!("reminder_channel must be \"sms\", \"email\" or \"both\", not {other:?}")),
    };
    let notify = NotifySpec {
        sms_from: None,
        sms_account: None,
        reminder_hours: Vec::new(),
        reminder_channel: None,
        email: raw
            .notify_email
            .as_deref()
            .map(|e| crate::domain::OperatorEmail::parse(e).map(|e| e.as_str().to_string()))
            .transpose()
            .map_err(|e| format!("notify_email {e}"))?,
        webhook_url: match raw.notify_webhook_url.as_deref().map(str::trim) {
            None => None,
            Some(url) if (url.starts_with("https://") || url.starts_with("http://")) && url.len() <= 2048 && !url.contains(char::is_whitespace) => Some(url.to_string()),
            Some(url) => return Err(format!("notify_webhook_url {url:?} is not an http(s) URL")),
        },
        webhook_secret: raw
            .notify_webhook_secret
            .as_deref()
            .map(Secret::parse)
            .transpose()
            .map_err(|empty| format!("notify_webhook_secret {empty}"))?,
        digest_time: raw
            .digest_time
            .as_deref()
            .map(|t| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| format!("digest_time {t:?} is not a time like 19:00")))
            .transpose()?,
    };
    if notify.webhook_url.is_some() != notify.webhook_secret.is_some() {
        return Err("notify_webhook_url and notify_webhook_secret go together".into());
    }
    Ok(NotifySpec { sms_from, sms_account, reminder_hours, reminder_channel, ..notify })
}

/// The longest name of a company or branch (spoken to callers, shown in the console).
const MAX_NAME_CHARS: usize = 120;

/// Whether a company's or branch's name is neither blank nor longer than [`MAX_NAME_CHARS`].
fn fits_name(name: &str) -> bool {
    !name.trim().is_empty() && name.chars().count() <= MAX_NAME_CHARS
}

fn parse_branch(
    raw: BranchDraft,
    is_calcom: bool,
    seen_numbers: &mut HashSet<PhoneNumber>,
) -> Result<BranchSpec, SettingsProblem> {
    if !fits_name(&raw.name) {
        return Err(unreadable("name", format!("a branch's name must be 1 to {MAX_NAME_CHARS} characters")));
    }
    let phone_numbers = raw
        .phone_numbers
        .iter()
        .map(|n| {
            let number = PhoneNumber::parse(n).map_err(|why| unreadable(n, why))?;
            if !seen_numbers.insert(number.clone()) {
                return Err(SettingsProblem::new(number.masked(), SettingsFault::NumberTwice));
            }
            Ok(number)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let opening_hours = OpeningHours::parse(&raw.opening_hours).map_err(|why| unreadable("opening_hours", why))?;
    let mut service_names = HashSet::new();
    for service in &raw.service {
        let problem = |fault| SettingsProblem::new(&service.name, fault);
        if !service_names.insert(service.name.as_str()) {
            return Err(problem(SettingsFault::ServiceTwice));
        }
        if service.duration_minutes == 0 || service.duration_minutes > 24 * 60 {
            return Err(problem(SettingsFault::Duration));
        }
        if is_calcom && service.calcom_event_type_id.is_none() {
            return Err(problem(SettingsFault::EventTypeMissing));
        }
        check_service_timing(service, &raw.resource).map_err(problem)?;
    }
    let mut resource_names = HashSet::new();
    for resource in &raw.resource {
        resource.check()?;
        if !resource_names.insert(resource.name.as_str()) {
            return Err(SettingsProblem::new(&resource.name, SettingsFault::ResourceTwice));
        }
    }
    for staff in &raw.staff {
        if let Some(unknown) = staff.services.iter().find(|s| !service_names.contains(s.as_str())) {
            return Err(SettingsProblem::new(&staff.name, SettingsFault::UnknownService(unknown.clone())));
        }
        if let Some(other) = staff.calcom_event_types.keys().find(|s| !staff.services.contains(s)) {
            return Err(SettingsProblem::new(&staff.name, SettingsFault::EventTypeNotPerformed(other.clone())));
        }
    }
    let closures =
        raw.closures.iter().map(|c| DayRange::parse(c)).collect::<Result<Vec<_>, _>>().map_err(|why| unreadable("closures", why))?;
    let retell_agent_ids: Vec<String> = raw.retell_agent_ids.iter().map(|a| a.trim().to_string()).collect();
    if let Some(bad) =
        retell_agent_ids.iter().find(|a| a.is_empty() || a.len() > 128 || a.contains(char::is_whitespace))
    {
        return Err(SettingsProblem::new(bad, SettingsFault::AgentId));
    }
    Ok(BranchSpec {
        name: raw.name,
        phone_numbers,
        opening_hours,
        services: raw.service,
        staff: raw.staff,
        closures,
        retell_agent_ids,
        resources: raw.resource,
    })
}

/// Whether a number of minutes is zero (left out when written).
fn is_zero(minutes: &u32) -> bool {
    *minutes == 0
}

/// A value of the file that did not parse, in the parser's words.
fn unreadable(subject: &str, why: String) -> SettingsProblem {
    SettingsProblem::new(subject, SettingsFault::Unreadable(why))
}

/// A service's phases, buffers, resources, notice and interval, checked against its duration
/// and the branch's resources.
fn check_service_timing(service: &ServiceSpec, resources: &[Resource]) -> Result<(), SettingsFault> {
    check_phases(&service.phases, service.duration_minutes)?;
    if let Some(value) = [service.buffer_before_minutes, service.buffer_after_minutes].into_iter().find(|v| *v > MAX_BUFFER_MINUTES) {
        return Err(SettingsFault::Buffer(value));
    }
    if let Some(unknown) = service.resources.iter().find(|name| !resources.iter().any(|r| &r.name == *name)) {
        return Err(SettingsFault::UnknownResource(unknown.clone()));
    }
    if let Some(n) = service.min_notice_minutes.filter(|n| *n > MAX_NOTICE_MINUTES) {
        return Err(SettingsFault::Notice(n));
    }
    if let Some(n) = service.slot_interval_minutes.filter(|n| !(5..=240).contains(n)) {
        return Err(SettingsFault::Interval(n));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_file_is_valid() {
        let text = include_str!("../../../../config/tenants.demo.toml");
        let file = TenantsFile::parse(text).unwrap();
        assert_eq!(file.companies.len(), 2);
    }

    #[test]
    fn names_the_problem() {
        let cases = [
            ("[[company]]\nname='A'\nlanguage='fr'\ntimezone='Europe/Berlin'", "unsupported language"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='Mars/Base'", "unknown time zone"),
            (
                "[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\n[[company.branch]]\nname='B'\nphone_numbers=['123']",
                "not an E.164",
            ),
            (
                "[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\n[[company.branch]]\nname='B'\n[[company.branch.staff]]\nname='X'\nservices=['Nope']",
                "unknown service",
            ),
            (
                "[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\ncalendar='calcom'\n[[company.branch]]\nname='B'\n[[company.branch.service]]\nname='S'\nduration_minutes=30",
                "calcom_event_type_id is required",
            ),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nregion='DE-XX'", "unsupported region"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nsms_from='SalonSchnitt'", "sms_from: SMS sender \"SalonSchnitt\" is neither"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nsms_account_sid='AC1'", "sms_account_sid and sms_auth_token go together"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nsms_account_sid='AC1'\nsms_auth_token=' '", "sms_auth_token is empty"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nreminder_hours=[0]", "reminder_hours must be 1..=168"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nreminder_channel='fax'", "reminder_channel must be"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nlocale='en-US'", "does not match language"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nretell_api_key=' '", "retell_api_key is empty"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\ncalcom_api_key=''", "calcom_api_key is empty"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nmax_bookings_per_call=0", "max_bookings_per_call must be"),
            ("[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\nbooking_horizon_days=99999", "booking_horizon_days must be"),
            (
                "[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\n[[company.branch]]\nname='B'\nclosures=['24.12.']",
                "is not a date",
            ),
            (
                "[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\n[[company.branch]]\nname='B'\n[[company.branch.staff]]\nname='X'\nabsences=[{from='2026-12-18', to='2026-12-14'}]",
                "ends (2026-12-14) before it starts",
            ),
            (
                "[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\n[[company.branch]]\nname='B'\n[[company.branch.staff]]\nname='X'\nworking_hours={mon=['09:00-25:00']}",
                "is not a time",
            ),
            (
                "[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\n[[company.branch]]\nname='B'\n[[company.branch.service]]\nname='S'\nduration_minutes=90\nphases=[{work=30},{wait=30}]",
                "add up to 60 minutes",
            ),
            (
                "[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\n[[company.branch]]\nname='B'\n[[company.branch.service]]\nname='S'\nduration_minutes=90\nresources=['Farbplatz']",
                "needs resource \"Farbplatz\"",
            ),
            (
                "[[company]]\nname='A'\nlanguage='de'\ntimezone='UTC'\n[[company.branch]]\nname='B'\n[[company.branch.resource]]\nname='Farbplatz'\ncapacity=0",
                "capacity must be",
            ),
        ];
        for (text, expected) in cases {
            let error = TenantsFile::parse(text).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }
}
