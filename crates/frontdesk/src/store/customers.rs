use crate::domain::{CompanyId, CustomerId};
use super::{on_pool, Store, StoreError};
use crate::domain::PhoneNumber;
use chrono::{DateTime, Utc};

/// A caller the business knows, scoped to one company.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Customer {
    /// Database id.
    pub id: CustomerId,
    /// Tenant.
    pub company_id: CompanyId,
    /// E.164 number.
    pub phone: String,
    /// Name as last given.
    pub name: Option<String>,
    /// E-mail as last given.
    pub email: Option<String>,
}

impl Store {
    /// The company's customer with this number.
    pub async fn find_customer(&self, company_id: CompanyId, phone: &PhoneNumber) -> Result<Option<Customer>, StoreError> {
        const SQL: &str =
            "SELECT id, company_id, phone, name, email FROM customers WHERE company_id = $1 AND phone = $2";
        let row = on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(phone.as_str()).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// Creates the customer or updates the name (and e-mail) they gave; returns it.
    pub async fn upsert_customer(
        &self,
        company_id: CompanyId,
        phone: &PhoneNumber,
        name: Option<&str>,
        email: Option<&str>,
    ) -> Result<Customer, StoreError> {
        const SQL: &str = "INSERT INTO customers (company_id, phone, name, email, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $5)
            ON CONFLICT (company_id, phone) DO UPDATE SET
                name = COALESCE(excluded.name, customers.name),
                email = COALESCE(excluded.email, customers.email),
                updated_at = excluded.updated_at
            RETURNING id, company_id, phone, name, email";
        let row = on_pool!(self, pool => sqlx::query_as(SQL)
            .bind(company_id)
            .bind(phone.as_str())
            .bind(name)
            .bind(email)
            .bind(Utc::now())
            .fetch_one(pool)
            .await)?;
        Ok(row)
    }
}

/// A customer as the console lists them: who, and their appointments at a glance (also the
/// answer of `GET /admin/api/customers`).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct CustomerSummary {
    /// Database id.
    #[schema(value_type = i64)]
    pub id: CustomerId,
    /// Name as last given.
    pub name: Option<String>,
    /// E.164 number.
    pub phone: String,
    /// E-mail as last given.
    pub email: Option<String>,
    /// Booked appointments still to come.
    pub upcoming: i64,
    /// The start of the last booked appointment before now.
    pub last_visit: Option<DateTime<Utc>>,
    /// Appointments they did not come to.
    pub no_shows: i64,
}

/// A note about a customer, with who wrote it and when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomerNote {
    /// Database id.
    pub id: i64,
    /// The text.
    pub text: String,
    /// Who wrote it (the console user's e-mail).
    pub author: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// What a search asks for: digits find numbers, anything else finds names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerSearch {
    /// Some digits of the number ("1234", "0171 123": a leading 0 is the national prefix).
    Digits(String),
    /// A part of the name, as typed.
    Name(String),
}

impl CustomerSearch {
    /// Reads what was typed into the search box (at most 100 characters count); `None` when
    /// it says nothing to search for.
    pub fn parse(text: &str) -> Option<Self> {
        let text: String = text.trim().chars().take(100).collect();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let number_like = text.chars().all(|c| c.is_ascii_digit() || " +-/()".contains(c));
        if number_like && digits.len() >= 3 {
            // "0171 123" and "+49 171 123" both find +49171123…: the prefixes are not stored
            let national = digits.trim_start_matches('0');
            return Some(Self::Digits(national.to_string()));
        }
        (!text.is_empty() && !number_like).then_some(Self::Name(text))
    }

    /// The LIKE pattern, wildcards in the text taken literally.
    fn pattern(&self) -> String {
        let text = match self {
            Self::Digits(d) => d.clone(),
            Self::Name(n) => n.to_lowercase(),
        };
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    }
}

/// A customer at a glance, of company `$1` as of `$2`; the caller adds its conditions after it.
const SUMMARY: &str = "SELECT c.id, c.name, c.phone, c.email,
        (SELECT COUNT(*) FROM appointments a WHERE a.customer_id = c.id AND a.status = 'booked' AND a.starts_at >= $2) AS upcoming,
        (SELECT MAX(a.starts_at) FROM appointments a WHERE a.customer_id = c.id AND a.status = 'booked' AND a.starts_at < $2) AS last_visit,
        (SELECT COUNT(*) FROM appointments a WHERE a.customer_id = c.id AND a.status = 'no_show') AS no_shows
    FROM customers c WHERE c.company_id = $1";

impl Store {
    /// The company's customers the search finds, by name, with their appointments at a glance.
    pub async fn search_customers(
        &self,
        company_id: CompanyId,
        search: &CustomerSearch,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<CustomerSummary>, StoreError> {
        let matching = match search {
            CustomerSearch::Digits(_) => "c.phone LIKE $3 ESCAPE '\\'",
            CustomerSearch::Name(_) => "LOWER(COALESCE(c.name, '')) LIKE $3 ESCAPE '\\'",
        };
        let sql = format!("{SUMMARY} AND {matching} ORDER BY LOWER(COALESCE(c.name, '')), c.id LIMIT $4");
        let rows = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(company_id).bind(now).bind(search.pattern()).bind(limit)
            .fetch_all(pool).await)?;
        Ok(rows)
    }

    /// One of the company's customers at a glance, as a search lists them.
    pub async fn customer_summary(
        &self,
        company_id: CompanyId,
        id: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<Option<CustomerSummary>, StoreError> {
        let sql = format!("{SUMMARY} AND c.id = $3");
        let row = on_pool!(self, pool => sqlx::query_as(&sql).bind(company_id).bind(now).bind(id).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// A customer's appointments, newest first (at most `limit`).
    pub async fn customer_appointments(
        &self,
        company_id: CompanyId,
        id: CustomerId,
        limit: i64,
    ) -> Result<Vec<super::Appointment>, StoreError> {
        // `+a.company_id`: the customer's index, not the company's by start (SQLite would walk
        // the company's whole book backwards for a customer's few appointments: 150 ms at 50,000)
        const SQL: &str =
            super::appointments::select_appointments!("WHERE +a.company_id = $1 AND a.customer_id = $2 ORDER BY a.starts_at DESC LIMIT $3");
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(id).bind(limit).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// The notes about a customer, newest first.
    pub async fn customer_notes(&self, company_id: CompanyId, id: CustomerId) -> Result<Vec<CustomerNote>, StoreError> {
        const SQL: &str = "SELECT id, text, author, created_at FROM customer_notes
            WHERE company_id = $1 AND customer_id = $2 ORDER BY created_at DESC, id DESC";
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(id).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Adds a note about a company's customer; its id (`None`: no such customer of the company).
    pub async fn add_customer_note(
        &self,
        company_id: CompanyId,
        id: CustomerId,
        text: &str,
        author: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        const SQL: &str = "INSERT INTO customer_notes (company_id, customer_id, text, author, created_at)
            SELECT $1, c.id, $3, $4, $5 FROM customers c WHERE c.company_id = $1 AND c.id = $2 RETURNING id";
        let id = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(company_id).bind(id).bind(text).bind(author).bind(at).fetch_optional(pool).await)?;
        Ok(id)
    }
}
