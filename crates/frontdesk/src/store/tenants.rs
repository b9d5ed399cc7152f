//! Tenant import (idempotent upsert from the tenants file) and the directory load at start.

use crate::domain::BranchId;
use crate::domain::CompanyId;
use super::hours::{hours_json, parse_hours};
use super::{on_pool, Store, StoreError};
use super::absences::{AbsenceRow, INSERT_ABSENCE, SELECT_ABSENCES_SINCE};
use crate::domain::{
    Absence, Branch, BranchContext, CalendarKind, Company, DayRange, Language, Limits, PhoneNumber,
    Region, Secret, Service, ServiceId, Staff, StaffId, DEFAULT_NOTICE_MINUTES,
};
use crate::tenants::{BranchSpec, TenantsFile};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// Writes one branch of a company (numbers, hours, closures, services, staff) inside the
/// transaction `$tx`: the file import and the console's settings share it, so both leave the
/// same rows. Services and staff missing from `$branch` are deactivated. Evaluates to the branch id
/// and the staff ids in `$branch`'s order.
macro_rules! upsert_branch {
    ($tx:ident, $company_id:expr, $branch:expr) => {{
        let company_id: CompanyId = $company_id;
        let branch: &BranchSpec = $branch;
        let branch_id: BranchId = sqlx::query_scalar(
            "INSERT INTO branches (company_id, name, opening_hours, closures, retell_agent_ids, resources) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (company_id, name) DO UPDATE SET opening_hours = excluded.opening_hours, closures = excluded.closures,
                retell_agent_ids = excluded.retell_agent_ids, resources = excluded.resources
             RETURNING id")
            .bind(company_id)
            .bind(&branch.name)
            .bind(opening_hours_json(branch))
            .bind(closures_json(branch))
            .bind(serde_json::to_string(&branch.retell_agent_ids).expect("strings serialize"))
            .bind(serde_json::to_string(&branch.resources).expect("resources serialize"))
            .fetch_one(&mut *$tx)
            .await?;
        sqlx::query("DELETE FROM phone_numbers WHERE branch_id = $1").bind(branch_id).execute(&mut *$tx).await?;
        for number in &branch.phone_numbers {
            // A number moves to the branch that names it, except away from a company managed
            // through the API: the file seeds, it does not take an API company's number (the
            // API's own writes check numbers first and answer 409).
            let placed = sqlx::query(
                "INSERT INTO phone_numbers (branch_id, number) VALUES ($1, $2)
                 ON CONFLICT (number) DO UPDATE SET branch_id = excluded.branch_id
                 WHERE phone_numbers.branch_id NOT IN (SELECT b.id FROM branches b JOIN companies c ON c.id = b.company_id
                                                       WHERE c.api_managed_at IS NOT NULL AND c.id <> $3)")
                .bind(branch_id)
                .bind(number.as_str())
                .bind(company_id)
                .execute(&mut *$tx)
                .await?;
            if placed.rows_affected() == 0 {
                tracing::warn!(branch = %branch.name, number = %number.masked(),
                    "number kept by a company managed through the API; not given to this branch");
            }
        }
        sqlx::query("UPDATE services SET active = $2 WHERE branch_id = $1").bind(branch_id).bind(false).execute(&mut *$tx).await?;
        let mut service_ids = HashMap::new();
        for (position, service) in branch.services.iter().enumerate() {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO services (branch_id, name, synonyms, duration_minutes, price, description, calcom_event_type_id, position, active,
                    phases, buffer_before_minutes, buffer_after_minutes, resources, min_notice_minutes, slot_interval_minutes)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                 ON CONFLICT (branch_id, name) DO UPDATE SET synonyms = excluded.synonyms,
                    duration_minutes = excluded.duration_minutes, price = excluded.price,
                    description = excluded.description, calcom_event_type_id = excluded.calcom_event_type_id,
                    position = excluded.position, active = excluded.active, phases = excluded.phases,
                    buffer_before_minutes = excluded.buffer_before_minutes, buffer_after_minutes = excluded.buffer_after_minutes,
                    resources = excluded.resources, min_notice_minutes = excluded.min_notice_minutes,
                    slot_interval_minutes = excluded.slot_interval_minutes
                 RETURNING id")
                .bind(branch_id)
                .bind(&service.name)
                .bind(serde_json::to_string(&service.synonyms).expect("strings serialize"))
                .bind(i64::from(service.duration_minutes))
                .bind(&service.price)
                .bind(&service.description)
                .bind(service.calcom_event_type_id)
                .bind(position as i64)
                .bind(true)
                .bind(serde_json::to_string(&service.phases).expect("phases serialize"))
                .bind(i64::from(service.buffer_before_minutes))
                .bind(i64::from(service.buffer_after_minutes))
                .bind(serde_json::to_string(&service.resources).expect("strings serialize"))
                .bind(service.min_notice_minutes.map(i64::from))
                .bind(service.slot_interval_minutes.map(i64::from))
                .fetch_one(&mut *$tx)
                .await?;
            service_ids.insert(service.name.as_str(), id);
        }
        sqlx::query("DELETE FROM staff_services WHERE staff_id IN (SELECT id FROM staff WHERE branch_id = $1)")
            .bind(branch_id).execute(&mut *$tx).await?;
        sqlx::query("UPDATE staff SET active = $2 WHERE branch_id = $1").bind(branch_id).bind(false).execute(&mut *$tx).await?;
        let mut staff_ids: Vec<i64> = Vec::with_capacity(branch.staff.len());
        for (position, staff) in branch.staff.iter().enumerate() {
            let staff_id: i64 = sqlx::query_scalar(
                "INSERT INTO staff (branch_id, name, position, active, working_hours, breaks) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (branch_id, name) DO UPDATE SET position = excluded.position, active = excluded.active,
                    working_hours = excluded.working_hours, breaks = excluded.breaks
                 RETURNING id")
                .bind(branch_id)
                .bind(&staff.name)
                .bind(position as i64)
                .bind(true)
                .bind(staff.working_hours.as_ref().map(hours_json))
                .bind(hours_json(&staff.breaks))
                .fetch_one(&mut *$tx)
                .await?;
            for service in &staff.services {
                sqlx::query("INSERT INTO staff_services (staff_id, service_id, calcom_event_type_id) VALUES ($1, $2, $3)")
                    .bind(staff_id)
                    .bind(service_ids[service.as_str()])
                    .bind(staff.calcom_event_types.get(service).copied())
                    .execute(&mut *$tx)
                    .await?;
            }
            staff_ids.push(staff_id);
        }
        (branch_id, staff_ids)
    }};
}

/// Binds a [`crate::tenants::CompanySpec`]'s columns as `$1`…`$23` in the order of
/// [`COMPANY_UPSERT`] (`$7` is the time of the write): the file import and the API share it.
macro_rules! bind_company {
    ($query:expr, $company:expr) => {{
        let company: &crate::tenants::CompanySpec = $company;
        $query
            .bind(&company.name)
            .bind(company.language.code())
            .bind(company.timezone.name())
            .bind(&company.calendar)
            .bind(company.calcom_api_key.as_ref().map(Secret::expose))
            .bind(company.cancel_hours_before.map(i64::from))
            .bind(Utc::now())
            .bind(&company.region_code)
            .bind(&company.locale)
            .bind(company.retell_api_key.as_ref().map(Secret::expose))
            .bind(i64::from(company.limits.max_bookings_per_call))
            .bind(i64::from(company.limits.max_upcoming_per_caller))
            .bind(i64::from(company.limits.booking_horizon_days))
            .bind(&company.notify.email)
            .bind(&company.notify.webhook_url)
            .bind(company.notify.webhook_secret.as_ref().map(Secret::expose))
            .bind(company.notify.digest_time.map(|t| t.format("%H:%M").to_string()))
            .bind(i64::from(company.min_notice_minutes))
            .bind(company.notify.sms_from.as_ref().map(|s| s.as_str().to_string()))
            .bind(company.notify.sms_account.as_ref().map(|(sid, _)| sid.clone()))
            .bind(company.notify.sms_account.as_ref().map(|(_, token)| token.expose().to_string()))
            .bind(company.notify.reminder_hours.iter().map(u32::to_string).collect::<Vec<_>>().join(","))
            .bind(&company.notify.reminder_channel)
    }};
}
pub(super) use bind_company;
pub(super) use upsert_branch;

/// A company of the tenants file, inserted or updated by its name (`$1`…`$23` as bound in
/// [`Store::import_tenants`]).
pub(super) const COMPANY_UPSERT: &str = "INSERT INTO companies (name, language, timezone, calendar, calcom_api_key, cancel_hours_before, created_at, updated_at, region, locale,
                        retell_api_key, max_bookings_per_call, max_upcoming_per_caller, booking_horizon_days,
                        notify_email, notify_webhook_url, notify_webhook_secret, digest_time, min_notice_minutes,
                        sms_from, sms_account_sid, sms_auth_token, reminder_hours, reminder_channel)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
                     ON CONFLICT (name) DO UPDATE SET language = excluded.language, timezone = excluded.timezone,
                        calendar = excluded.calendar, calcom_api_key = excluded.calcom_api_key,
                        cancel_hours_before = excluded.cancel_hours_before, updated_at = excluded.updated_at,
                        region = excluded.region, locale = excluded.locale, retell_api_key = excluded.retell_api_key,
                        max_bookings_per_call = excluded.max_bookings_per_call,
                        max_upcoming_per_caller = excluded.max_upcoming_per_caller,
                        booking_horizon_days = excluded.booking_horizon_days,
                        notify_email = excluded.notify_email, notify_webhook_url = excluded.notify_webhook_url,
                        notify_webhook_secret = excluded.notify_webhook_secret, digest_time = excluded.digest_time,
                        min_notice_minutes = excluded.min_notice_minutes, sms_from = excluded.sms_from,
                        sms_account_sid = excluded.sms_account_sid, sms_auth_token = excluded.sms_auth_token,
                        reminder_hours = excluded.reminder_hours, reminder_channel = excluded.reminder_channel
                     WHERE companies.api_managed_at IS NULL
                     RETURNING id";

impl Store {
    /// Imports every company of the file; running it twice changes nothing.
    ///
    /// Services and staff missing from the file are deactivated (appointments keep their
    /// references); numbers move to the branch the file names. One transaction for the whole
    /// file: it lands completely or not at all, and 10,000 companies cost one commit, not 10,000.
    ///
    /// A file already imported unchanged into this schema is skipped (`Ok(false)`): with
    /// 10,000 companies an import takes ~25 s, a restart should not, and changes made in the
    /// database since then stay. A new migration counts as a change (it may add columns the file fills).
    pub async fn import_tenants(&self, file: &TenantsFile) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let version: i64 = sqlx::query_scalar(SCHEMA_VERSION).fetch_one(&mut *tx).await?;
            let stamp = import_stamp(&file.digest, version);
            let last: Option<String> = sqlx::query_scalar(LAST_IMPORT).fetch_optional(&mut *tx).await?;
            if last.as_deref() == Some(stamp.as_str()) {
                return Ok(false);
            }
            for company in &file.companies {
                let upserted: Option<CompanyId> =
                    bind_company!(sqlx::query_scalar(COMPANY_UPSERT), company).fetch_optional(&mut *tx).await?;
                // A company created or changed through the API is the API's: the file seeds, it
                // does not silently overwrite (DESIGN §16).
                let Some(company_id) = upserted else {
                    tracing::warn!(company = %company.name, "tenants file: company is managed through the API; the file's version is not applied");
                    continue;
                };
                for branch in &company.branches {
                    let (_, staff_ids) = upsert_branch!(tx, company_id, branch);
                    // The file's absences replace those the file brought last time; absences
                    // entered in the console or the API stay.
                    for (staff_id, person) in staff_ids.iter().zip(&branch.staff) {
                        sqlx::query("DELETE FROM staff_absences WHERE staff_id = $1 AND source = 'file'")
                            .bind(staff_id).execute(&mut *tx).await?;
                        for absence in &person.absences {
                            let (starts_at, ends_at) = absence.span.instants(company.timezone);
                            sqlx::query(INSERT_ABSENCE)
                                .bind(company_id).bind(staff_id).bind(starts_at).bind(ends_at).bind(absence.span.all_day)
                                .bind(&absence.reason).bind("file").bind(Utc::now())
                                .execute(&mut *tx).await?;
                        }
                    }
                }
            }
            sqlx::query(
                "INSERT INTO tenant_imports (id, stamp, imported_at) VALUES (1, $1, $2)
                 ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp, imported_at = excluded.imported_at",
            )
            .bind(&stamp)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Imports the file even when it is the one imported last: an operator asked for it, so
    /// changes made in the console since are overwritten by the file, except in companies
    /// managed through the API, whose names it returns (they are kept as they are).
    pub async fn reimport_tenants(&self, file: &TenantsFile) -> Result<Vec<String>, StoreError> {
        let managed: Vec<String> = on_pool!(self, pool => {
            sqlx::query("DELETE FROM tenant_imports").execute(pool).await?;
            sqlx::query_scalar("SELECT name FROM companies WHERE api_managed_at IS NOT NULL ORDER BY name").fetch_all(pool).await?
        });
        self.import_tenants(file).await?;
        Ok(managed.into_iter().filter(|name| file.companies.iter().any(|c| &c.name == name)).collect())
    }

    /// Saves one branch as edited in the console, in one transaction; the tenants file is not
    /// touched (the database is the source of truth; a re-import of the file overwrites this).
    pub async fn save_branch(&self, company_id: CompanyId, branch: &BranchSpec) -> Result<BranchId, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (branch_id, _) = upsert_branch!(tx, company_id, branch);
            tx.commit().await?;
            Ok(branch_id)
        })
    }

    /// Whether the file with this digest is the last one imported into this schema: then it
    /// need not even be parsed (a 20 MB file takes seconds and hundreds of MB to parse).
    pub async fn tenants_imported(&self, digest: &str) -> Result<bool, StoreError> {
        let (version, last): (i64, Option<String>) = on_pool!(self, pool => (
            sqlx::query_scalar(SCHEMA_VERSION).fetch_one(pool).await?,
            sqlx::query_scalar(LAST_IMPORT).fetch_optional(pool).await?,
        ));
        Ok(last == Some(import_stamp(digest, version)))
    }

    /// Loads every branch with its company, numbers, services and staff (every absence ever
    /// entered), for tools and tests; the service uses [`Store::load_branches_at`].
    pub async fn load_branches(&self) -> Result<Vec<BranchContext>, StoreError> {
        self.load_branches_since(DateTime::<Utc>::UNIX_EPOCH).await
    }

    /// The directory as the service needs it at `now`: absences that ended within the last year
    /// or are still to come (the engine needs those ahead, the console a little of the past).
    pub async fn load_branches_at(&self, now: DateTime<Utc>) -> Result<Vec<BranchContext>, StoreError> {
        self.load_branches_since(now - chrono::Duration::days(366)).await
    }

    /// Every branch with its company, numbers, services, staff and the absences ending after `since`.
    async fn load_branches_since(&self, since: DateTime<Utc>) -> Result<Vec<BranchContext>, StoreError> {
        let (companies, branches, numbers, services, staff, links, absences): DirectoryRows = on_pool!(self, pool => (
            sqlx::query_as("SELECT id, name, language, timezone, calendar, calcom_api_key, cancel_hours_before, region, locale, retell_api_key, max_bookings_per_call, max_upcoming_per_caller, booking_horizon_days, min_notice_minutes, calcom_webhook_secret FROM companies ORDER BY id").fetch_all(pool).await?,
            sqlx::query_as("SELECT id, company_id, name, opening_hours, closures, retell_agent_ids, resources FROM branches WHERE deleted_at IS NULL ORDER BY id").fetch_all(pool).await?,
            sqlx::query_as("SELECT branch_id, number FROM phone_numbers ORDER BY number").fetch_all(pool).await?,
            sqlx::query_as("SELECT id, branch_id, name, synonyms, duration_minutes, price, description, calcom_event_type_id, phases, buffer_before_minutes, buffer_after_minutes, resources, min_notice_minutes, slot_interval_minutes FROM services WHERE active ORDER BY branch_id, position").fetch_all(pool).await?,
            sqlx::query_as("SELECT id, branch_id, name, working_hours, breaks FROM staff WHERE active ORDER BY branch_id, position").fetch_all(pool).await?,
            sqlx::query_as("SELECT staff_id, service_id, calcom_event_type_id FROM staff_services ORDER BY staff_id, service_id").fetch_all(pool).await?,
            sqlx::query_as(SELECT_ABSENCES_SINCE).bind(since).fetch_all(pool).await?,
        ));
        let mut absences_by_staff: HashMap<i64, Vec<Absence>> = HashMap::new();
        for row in absences {
            absences_by_staff.entry(row.staff_id).or_default().push(row.into_absence());
        }
        let companies: HashMap<CompanyId, Arc<Company>> = companies
            .into_iter()
            .map(|row| Ok((row.id, Arc::new(row.into_company()?))))
            .collect::<Result<_, StoreError>>()?;
        let mut numbers_by_branch: HashMap<BranchId, Vec<PhoneNumber>> = HashMap::new();
        for (branch_id, number) in numbers {
            let number = PhoneNumber::parse(&number).map_err(StoreError::Corrupt)?;
            numbers_by_branch.entry(branch_id).or_default().push(number);
        }
        let mut services_by_branch: HashMap<BranchId, Vec<Service>> = HashMap::new();
        for row in services {
            services_by_branch.entry(row.branch_id).or_default().push(row.into_service()?);
        }
        let mut links_by_staff: HashMap<i64, Vec<(ServiceId, Option<i64>)>> = HashMap::new();
        for (staff_id, service_id, event_type) in links {
            links_by_staff.entry(staff_id).or_default().push((ServiceId(service_id), event_type));
        }
        let mut staff_by_branch: HashMap<BranchId, Vec<Staff>> = HashMap::new();
        for row in staff {
            let links = links_by_staff.remove(&row.id).unwrap_or_default();
            let working_hours = row.working_hours.as_deref().map(parse_hours).transpose()?;
            staff_by_branch.entry(row.branch_id).or_default().push(Staff {
                id: StaffId(row.id),
                name: row.name,
                services: links.iter().map(|(service, _)| *service).collect(),
                calcom_event_types: links.iter().filter_map(|(service, event)| Some((*service, (*event)?))).collect(),
                working_hours,
                breaks: parse_hours(&row.breaks)?,
                absences: absences_by_staff.remove(&row.id).unwrap_or_default(),
            });
        }
        branches
            .into_iter()
            .map(|row| {
                let company = companies
                    .get(&row.company_id)
                    .ok_or_else(|| StoreError::Corrupt(format!("branch {} has no company", row.id)))?
                    .clone();
                let opening_hours = parse_hours(&row.opening_hours)?;
                let closures: Vec<String> =
                    serde_json::from_str(&row.closures).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let closures = closures
                    .iter()
                    .map(|c| DayRange::parse(c))
                    .collect::<Result<_, _>>()
                    .map_err(StoreError::Corrupt)?;
                Ok(BranchContext {
                    company,
                    branch: Branch {
                        id: row.id,
                        name: row.name,
                        phone_numbers: numbers_by_branch.remove(&row.id).unwrap_or_default(),
                        opening_hours,
                        services: services_by_branch.remove(&row.id).unwrap_or_default(),
                        staff: staff_by_branch.remove(&row.id).unwrap_or_default(),
                        closures,
                        retell_agent_ids: serde_json::from_str(&row.retell_agent_ids)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                        resources: serde_json::from_str(&row.resources).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    },
                })
            })
            .collect()
    }
}

pub(super) fn closures_json(branch: &BranchSpec) -> String {
    let ranges: Vec<String> = branch.closures.iter().map(DayRange::render).collect();
    serde_json::to_string(&ranges).expect("strings serialize")
}

pub(super) fn opening_hours_json(branch: &BranchSpec) -> String {
    hours_json(&branch.opening_hours)
}

/// Every table the directory is built from, read in one go.
type DirectoryRows = (
    Vec<CompanyRow>,
    Vec<BranchRow>,
    Vec<(BranchId, String)>,
    Vec<ServiceRow>,
    Vec<StaffRow>,
    Vec<(i64, i64, Option<i64>)>,
    Vec<AbsenceRow>,
);

#[derive(sqlx::FromRow)]
struct CompanyRow {
    id: CompanyId,
    name: String,
    language: String,
    timezone: String,
    calendar: Option<String>,
    calcom_api_key: Option<String>,
    cancel_hours_before: Option<i64>,
    region: Option<String>,
    locale: Option<String>,
    retell_api_key: Option<String>,
    max_bookings_per_call: Option<i64>,
    max_upcoming_per_caller: Option<i64>,
    booking_horizon_days: Option<i64>,
    min_notice_minutes: Option<i64>,
    calcom_webhook_secret: Option<String>,
}

impl CompanyRow {
    fn into_company(self) -> Result<Company, StoreError> {
        let language = Language::parse(&self.language).map_err(StoreError::Corrupt)?;
        let month_first = match self.locale.as_deref() {
            Some(locale) => {
                locale.to_ascii_uppercase().ends_with("-US") || locale.to_ascii_uppercase().ends_with("_US")
            }
            // without a locale: American time zones write month first in English
            None => language == Language::En && self.timezone.starts_with("America/"),
        };
        let defaults = Limits::default();
        let limit = |value: Option<i64>, default: u32| value.and_then(|n| u32::try_from(n).ok()).unwrap_or(default);
        let secret = |name: &str, value: Option<String>| {
            value.as_deref().map(Secret::parse).transpose().map_err(|e| StoreError::Corrupt(format!("{name} {e}")))
        };
        Ok(Company {
            region: self.region.as_deref().map(Region::parse).transpose().map_err(StoreError::Corrupt)?,
            month_first,
            id: self.id,
            language,
            timezone: self.timezone.parse().map_err(|_| StoreError::Corrupt(format!("time zone {}", self.timezone)))?,
            name: self.name,
            calendar: self.calendar.as_deref().map(CalendarKind::parse).transpose().map_err(StoreError::Corrupt)?,
            calcom_api_key: secret("calcom_api_key", self.calcom_api_key)?,
            retell_api_key: secret("retell_api_key", self.retell_api_key)?,
            calcom_webhook_secret: secret("calcom_webhook_secret", self.calcom_webhook_secret)?,
            limits: Limits {
                max_bookings_per_call: limit(self.max_bookings_per_call, defaults.max_bookings_per_call),
                max_upcoming_per_caller: limit(self.max_upcoming_per_caller, defaults.max_upcoming_per_caller),
                booking_horizon_days: limit(self.booking_horizon_days, defaults.booking_horizon_days),
            },
            cancel_hours_before: self.cancel_hours_before.and_then(|h| u32::try_from(h).ok()),
            min_notice_minutes: limit(self.min_notice_minutes, DEFAULT_NOTICE_MINUTES),
        })
    }
}

#[derive(sqlx::FromRow)]
struct BranchRow {
    id: BranchId,
    company_id: CompanyId,
    name: String,
    opening_hours: String,
    closures: String,
    retell_agent_ids: String,
    resources: String,
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    branch_id: BranchId,
    name: String,
    synonyms: String,
    duration_minutes: i64,
    price: Option<String>,
    description: Option<String>,
    calcom_event_type_id: Option<i64>,
    phases: String,
    buffer_before_minutes: i64,
    buffer_after_minutes: i64,
    resources: String,
    min_notice_minutes: Option<i64>,
    slot_interval_minutes: Option<i64>,
}

impl ServiceRow {
    fn into_service(self) -> Result<Service, StoreError> {
        let minutes = |n: i64| u32::try_from(n).map_err(|e| StoreError::Corrupt(e.to_string()));
        let corrupt = |e: serde_json::Error| StoreError::Corrupt(e.to_string());
        Ok(Service {
            phases: serde_json::from_str(&self.phases).map_err(corrupt)?,
            buffer_before_minutes: minutes(self.buffer_before_minutes)?,
            buffer_after_minutes: minutes(self.buffer_after_minutes)?,
            resources: serde_json::from_str(&self.resources).map_err(corrupt)?,
            min_notice_minutes: self.min_notice_minutes.map(minutes).transpose()?,
            slot_interval_minutes: self.slot_interval_minutes.map(minutes).transpose()?,
            id: ServiceId(self.id),
            synonyms: serde_json::from_str(&self.synonyms).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            duration_minutes: u32::try_from(self.duration_minutes).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            name: self.name,
            price: self.price,
            description: self.description,
            calcom_event_type_id: self.calcom_event_type_id,
        })
    }
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    branch_id: BranchId,
    name: String,
    working_hours: Option<String>,
    breaks: String,
}

/// The schema's migration version: a new migration may add columns the import fills.
const SCHEMA_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations";
/// The stamp of the last import.
const LAST_IMPORT: &str = "SELECT stamp FROM tenant_imports WHERE id = 1";

/// The stamp a file with `digest` gets in a schema at `version`.
fn import_stamp(digest: &str, version: i64) -> String {
    format!("{digest}:{version}")
}
