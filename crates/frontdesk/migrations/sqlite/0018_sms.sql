-- SMS (DESIGN §15): a company's own sender and account, its reminder plan; a customer's consent
-- (given to the agent: sms_ok), numbers that answered STOP, and every SMS sent with its status.
ALTER TABLE companies ADD COLUMN sms_from TEXT;
ALTER TABLE companies ADD COLUMN sms_account_sid TEXT;
ALTER TABLE companies ADD COLUMN sms_auth_token TEXT;
ALTER TABLE companies ADD COLUMN reminder_hours TEXT NOT NULL DEFAULT '24';
ALTER TABLE companies ADD COLUMN reminder_channel TEXT;
ALTER TABLE customers ADD COLUMN sms_consent_at TEXT;
CREATE TABLE sms_optouts (
    company_id INTEGER NOT NULL REFERENCES companies(id),
    phone TEXT NOT NULL,
    stopped_at TEXT NOT NULL,
    PRIMARY KEY (company_id, phone)
);
CREATE TABLE sms_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL,
    sid TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    event TEXT NOT NULL,
    appointment_id INTEGER REFERENCES appointments(id),
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sms_messages_recipient ON sms_messages (recipient, created_at);
