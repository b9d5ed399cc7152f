-- Notifications (issue 15): who hears about a company's events, and the outbox that carries
-- them. A row is written in the same transaction as the change it reports and delivered at
-- least once by one instance (a lease in locked_until; SKIP LOCKED on PostgreSQL).
ALTER TABLE companies ADD COLUMN notify_email TEXT;
ALTER TABLE companies ADD COLUMN notify_webhook_url TEXT;
ALTER TABLE companies ADD COLUMN notify_webhook_secret TEXT;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    locked_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- A caller's invitation is updated in place by their calendar app: UID stays, SEQUENCE counts moves.
ALTER TABLE appointments ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
