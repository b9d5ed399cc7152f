//! Operators: the people who sign in to the console. Creating a login (the CLI, the demo, the
//! bench) and hashing passwords live here, apart from the pages that use them.

pub mod password;

/// `frontdesk user add`: parses everything, hashes the password, writes the login; returns the
/// line to print. Nothing is written when any part is wrong.
pub async fn add_user(
    store: &crate::store::Store,
    email: &str,
    role: &str,
    company: Option<&str>,
    staff: Option<&str>,
    language: &str,
    password: &str,
) -> anyhow::Result<String> {
    use crate::domain::{Language, NewPassword, OperatorEmail, Role};
    let email = OperatorEmail::parse(email).map_err(|e| anyhow::anyhow!("--email {e}"))?;
    let role = Role::parse(role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    let language = Language::parse(language).map_err(|e| anyhow::anyhow!("--language: {e}"))?;
    let password = NewPassword::parse(password).map_err(|e| anyhow::anyhow!("the password (standard input) {e}"))?;
    let company_id = match (role, company) {
        (Role::Admin, None) => None,
        (Role::Admin, Some(_)) => anyhow::bail!("--company is not for admins: they see every company"),
        (_, None) => anyhow::bail!("--company is required for owner and staff logins"),
        (_, Some(name)) => Some(
            store
                .company_id_by_name(name)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no company {name:?}: import the tenants file first"))?,
        ),
    };
    let staff = match (role, staff.map(str::trim)) {
        (Role::Staff, Some(name)) if !name.is_empty() && name.chars().count() <= 200 => Some(name.to_string()),
        (Role::Staff, _) => anyhow::bail!("--staff NAME is required for a staff login (the staff member they are)"),
        (_, Some(_)) => anyhow::bail!("--staff is only for --role staff"),
        (_, None) => None,
    };
    let hash = password::hash(&password).map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    store
        .upsert_operator(&crate::store::NewOperator {
            email: email.as_str(),
            password_hash: &hash,
            role: role.as_str(),
            company_id,
            staff_name: staff.as_deref(),
            language: language.code(),
        })
        .await?;
    Ok(format!("login {} ({}) saved", email.as_str(), role.as_str()))
}
