-- Onboarding through the API (DESIGN §16). A company created or changed through the API is its
-- own from then on: the tenants file no longer overwrites it (api_managed_at). Deleted companies
-- and branches stay as rows (their appointments and history refer to them) but are loaded by
-- nobody. Logins get one-time links to set their password; a company's Cal.com connection keeps
-- the webhook it registered; each branch keeps what Retell has recorded of it.
ALTER TABLE companies ADD COLUMN api_managed_at TIMESTAMPTZ;
ALTER TABLE companies ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE companies ADD COLUMN calcom_webhook_id TEXT;
ALTER TABLE companies ADD COLUMN calcom_webhook_secret TEXT;
ALTER TABLE branches ADD COLUMN deleted_at TIMESTAMPTZ;
CREATE TABLE operator_invites (
    token_hash TEXT PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE TABLE retell_provisions (
    branch_id BIGINT PRIMARY KEY REFERENCES branches(id),
    llm_id TEXT,
    agent_id TEXT,
    bound_numbers TEXT NOT NULL DEFAULT '[]',
    provisioned_digest TEXT,
    error TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);
