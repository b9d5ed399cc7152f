use super::{on_pool, Store, StoreError};
use crate::domain::PhoneNumber;
use chrono::Utc;

/// A caller the business knows, scoped to one company.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Customer {
    /// Database id.
    pub id: i64,
    /// Tenant.
    pub company_id: i64,
    /// E.164 number.
    pub phone: String,
    /// Name as last given.
    pub name: Option<String>,
    /// E-mail as last given.
    pub email: Option<String>,
}

impl Store {
    /// The company's customer with this number.
    pub async fn find_customer(&self, company_id: i64, phone: &PhoneNumber) -> Result<Option<Customer>, StoreError> {
        const SQL: &str =
            "SELECT id, company_id, phone, name, email FROM customers WHERE company_id = $1 AND phone = $2";
        let row = on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(phone.as_str()).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// Creates the customer or updates the name (and e-mail) they gave; returns it.
    pub async fn upsert_customer(
        &self,
        company_id: i64,
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
