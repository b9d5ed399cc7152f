-- The waitlist (DESIGN §15): a caller's wish (service, optional staff member, days and times,
-- local) waits until its last day; a time that becomes free is offered to the oldest matching
-- entries by SMS, held for them, and the first JA books it. An offer's slot_key is also the
-- hold's holder; only one offer of a slot can ever be accepted.
CREATE TABLE waitlist_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    service_id INTEGER NOT NULL REFERENCES services(id),
    staff_id INTEGER REFERENCES staff(id),
    customer_id INTEGER REFERENCES customers(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    from_time TEXT NOT NULL,
    until_time TEXT NOT NULL,
    by_sms BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    ended_reason TEXT,
    appointment_id INTEGER REFERENCES appointments(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX waitlist_waiting ON waitlist_entries (status, branch_id, service_id, created_at);
CREATE TABLE waitlist_offers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    entry_id INTEGER NOT NULL REFERENCES waitlist_entries(id),
    slot_key TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    staff_id INTEGER,
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX waitlist_offer_accepted ON waitlist_offers (slot_key) WHERE status = 'accepted';
CREATE UNIQUE INDEX waitlist_offer_once ON waitlist_offers (entry_id, slot_key);
CREATE INDEX waitlist_offers_open ON waitlist_offers (status, expires_at);
