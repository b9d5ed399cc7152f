-- Calendar feeds (issue 15): a secret URL per branch and per staff member that phones subscribe
-- to. One live token per scope; rotating revokes the old one (its URL answers 404 from then on).
CREATE TABLE feed_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL UNIQUE,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    staff_id INTEGER REFERENCES staff(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX feed_tokens_scope ON feed_tokens (branch_id, staff_id);
