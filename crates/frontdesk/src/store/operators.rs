//! Console logins, their sessions and failed login attempts.

use crate::domain::CompanyId;
use super::{on_pool, BeginWrite, Store, StoreError};
use chrono::{DateTime, Utc};

/// A login as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OperatorRow {
    /// Id.
    pub id: i64,
    /// E-mail (lower case).
    pub email: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// `admin`, `owner` or `staff`.
    pub role: String,
    /// The company of an owner or staff login.
    pub company_id: Option<CompanyId>,
    /// The staff member a staff login is.
    pub staff_name: Option<String>,
    /// `de` or `en`: the console's language for this login.
    pub language: String,
}

/// What a new login is made of.
#[derive(Debug, Clone)]
pub struct NewOperator<'a> {
    /// E-mail (parsed).
    pub email: &'a str,
    /// Argon2 PHC string.
    pub password_hash: &'a str,
    /// Role text.
    pub role: &'a str,
    /// Company (not for admins).
    pub company_id: Option<CompanyId>,
    /// Staff member (staff logins).
    pub staff_name: Option<&'a str>,
    /// Console language.
    pub language: &'a str,
}

/// A login made without a password, with the hash of its one-time link to set one.
#[derive(Debug, Clone)]
pub struct Invitation<'a> {
    /// The login.
    pub login: NewOperator<'a>,
    /// Hash of the link's token (the token itself is never stored).
    pub token_hash: &'a str,
    /// Until when the link works.
    pub expires_at: DateTime<Utc>,
}

/// Inserts an [`Invitation`]'s login and link inside the transaction `$tx`; a login with the same
/// e-mail is a conflict. Evaluates to the login's id. Shared by an invite and by a company created
/// with its owner, so that both leave the same rows.
macro_rules! insert_invitation {
    ($tx:ident, $invitation:expr) => {{
        let invitation: &Invitation<'_> = $invitation;
        let new = &invitation.login;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM operators WHERE email = $1").bind(new.email).fetch_optional(&mut *$tx).await?;
        if taken.is_some() {
            return Err(super::TenantWriteError::Conflict(format!("a login with the e-mail {} exists", new.email)));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO operators (email, password_hash, role, company_id, staff_name, language, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(new.email).bind(new.password_hash).bind(new.role).bind(new.company_id).bind(new.staff_name).bind(new.language)
            .bind(Utc::now())
            .fetch_one(&mut *$tx).await?;
        sqlx::query("INSERT INTO operator_invites (token_hash, operator_id, expires_at) VALUES ($1, $2, $3)")
            .bind(invitation.token_hash).bind(id).bind(invitation.expires_at).execute(&mut *$tx).await?;
        id
    }};
}
pub(super) use insert_invitation;

/// A live session with its login.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// The login.
    #[sqlx(flatten)]
    pub operator: OperatorRow,
    /// The token every form of this session carries.
    pub csrf_token: String,
    /// The company an admin is looking at.
    pub session_company_id: Option<CompanyId>,
}

impl Store {
    /// Creates a login, or replaces the password, role and company of an existing one (the
    /// command that creates logins also resets them); returns its id.
    pub async fn upsert_operator(&self, new: &NewOperator<'_>) -> Result<i64, StoreError> {
        const SQL: &str = "INSERT INTO operators (email, password_hash, role, company_id, staff_name, language, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
                company_id = excluded.company_id, staff_name = excluded.staff_name, language = excluded.language
            RETURNING id";
        let id = on_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(new.email)
            .bind(new.password_hash)
            .bind(new.role)
            .bind(new.company_id)
            .bind(new.staff_name)
            .bind(new.language)
            .bind(Utc::now())
            .fetch_one(pool)
            .await)?;
        // A changed password ends every session of the login.
        on_pool!(self, pool => sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1").bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(id)
    }

    /// The login with this e-mail.
    pub async fn operator_by_email(&self, email: &str) -> Result<Option<OperatorRow>, StoreError> {
        const SQL: &str =
            "SELECT id, email, password_hash, role, company_id, staff_name, language FROM operators WHERE email = $1";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(email).fetch_optional(pool).await)?)
    }

    /// The id of the company called `name`.
    pub async fn company_id_by_name(&self, name: &str) -> Result<Option<CompanyId>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar("SELECT id FROM companies WHERE name = $1").bind(name).fetch_optional(pool).await)?)
    }

    /// Changes the console language of a login.
    pub async fn set_operator_language(&self, operator_id: i64, language: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE operators SET language = $2 WHERE id = $1")
            .bind(operator_id).bind(language).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Starts a session; expired sessions of every login are swept at the same time.
    pub async fn create_session(
        &self,
        token_hash: &str,
        operator_id: i64,
        csrf_token: &str,
        company_id: Option<CompanyId>,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM operator_sessions WHERE expires_at < $1").bind(now).execute(pool).await?;
            sqlx::query("INSERT INTO operator_sessions (token_hash, operator_id, csrf_token, company_id, created_at, expires_at)
                         VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(token_hash).bind(operator_id).bind(csrf_token).bind(company_id).bind(now).bind(expires_at)
                .execute(pool).await?;
        });
        Ok(())
    }

    /// The live session with this token hash, with its login.
    pub async fn session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<SessionRow>, StoreError> {
        const SQL: &str = "SELECT o.id, o.email, o.password_hash, o.role, o.company_id, o.staff_name, o.language,
                s.csrf_token, s.company_id AS session_company_id
            FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
            WHERE s.token_hash = $1 AND s.expires_at > $2";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(token_hash).bind(now).fetch_optional(pool).await)?)
    }

    /// Points an admin's session at another company.
    pub async fn set_session_company(&self, token_hash: &str, company_id: CompanyId) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE operator_sessions SET company_id = $2 WHERE token_hash = $1")
            .bind(token_hash).bind(company_id).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM operator_sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Remembers a failed login (e-mail as typed, lower case; the client's address).
    pub async fn record_login_failure(&self, email: &str, address: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("INSERT INTO login_failures (email, address, failed_at) VALUES ($1, $2, $3)")
            .bind(email).bind(address).bind(now).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Failed logins since `since`: for this e-mail, and from this address.
    pub async fn login_failures_since(
        &self,
        email: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<(i64, i64), StoreError> {
        const SQL: &str = "SELECT (SELECT COUNT(*) FROM login_failures WHERE email = $1 AND failed_at > $3),
                                  (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND failed_at > $3)";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(email).bind(address).bind(since).fetch_one(pool).await)?)
    }

    /// Forgets an account's failures after a successful login, and everybody's old ones.
    pub async fn clear_login_failures(&self, email: &str, before: DateTime<Utc>) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM login_failures WHERE email = $1 OR failed_at < $2")
            .bind(email).bind(before).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Creates a login that has no password yet, with a one-time link (`token_hash`) to set it;
    /// an e-mail that already signs in is refused, not taken over.
    pub async fn invite_operator(&self, invitation: &Invitation<'_>) -> Result<i64, super::TenantWriteError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = insert_invitation!(tx, invitation);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The login a one-time link is for, while it is unused and unexpired.
    pub async fn invited(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<OperatorRow>, StoreError> {
        const SQL: &str = "SELECT o.id, o.email, o.password_hash, o.role, o.company_id, o.staff_name, o.language
            FROM operator_invites i JOIN operators o ON o.id = i.operator_id
            WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(token_hash).bind(now).fetch_optional(pool).await)?)
    }

    /// Uses a one-time link: sets the login's password and spends the link (a second use finds
    /// nothing); returns the login.
    pub async fn redeem_invite(&self, token_hash: &str, password_hash: &str, now: DateTime<Utc>) -> Result<Option<i64>, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let spent: Option<i64> = sqlx::query_scalar(
                "UPDATE operator_invites SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING operator_id")
                .bind(token_hash).bind(now).fetch_optional(&mut *tx).await?;
            let Some(id) = spent else { return Ok(None) };
            sqlx::query("UPDATE operators SET password_hash = $2 WHERE id = $1").bind(id).bind(password_hash).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1").bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// The logins of a company, by e-mail.
    pub async fn operators_of(&self, company: CompanyId) -> Result<Vec<OperatorRow>, StoreError> {
        const SQL: &str = "SELECT id, email, password_hash, role, company_id, staff_name, language FROM operators WHERE company_id = $1 ORDER BY email";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(company).fetch_all(pool).await)?)
    }

    /// Changes a login of `company` (role, staff member, language) and ends its sessions, so the
    /// new role holds from the next request; whether it was found.
    pub async fn change_operator(
        &self,
        company: CompanyId,
        id: i64,
        role: &str,
        staff: Option<&str>,
        language: &str,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query("UPDATE operators SET role = $3, staff_name = $4, language = $5 WHERE id = $1 AND company_id = $2")
                .bind(id).bind(company).bind(role).bind(staff).bind(language).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1").bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(changed.rows_affected() == 1)
        })
    }

    /// Deletes a login of `company` (its sessions and one-time links go with it); whether it was found.
    pub async fn delete_operator(&self, company: CompanyId, id: i64) -> Result<bool, StoreError> {
        let deleted = on_pool!(self, pool => sqlx::query("DELETE FROM operators WHERE id = $1 AND company_id = $2")
            .bind(id).bind(company).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(deleted == 1)
    }
}
