-- The waitlist (DESIGN §15): a caller's wish (service, optional staff member, days and times,
-- local) waits until its last day; a time that becomes free is offered to the oldest matching
-- entries by SMS, held for them, and the first JA books it. An offer's slot_key is also the
-- hold's holder; only one offer of a slot can ever be accepted.
CREATE TABLE waitlist_entries (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    branch_id BIGINT NOT NULL REFERENCES branches(id),
    service_id BIGINT NOT NULL REFERENCES services(id),
    staff_id BIGINT REFERENCES staff(id),
    customer_id BIGINT REFERENCES customers(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    from_time TEXT NOT NULL,
    until_time TEXT NOT NULL,
    by_sms BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    ended_reason TEXT,
    appointment_id BIGINT REFERENCES appointments(id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX waitlist_waiting ON waitlist_entries (status, branch_id, service_id, created_at);
CREATE TABLE waitlist_offers (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    entry_id BIGINT NOT NULL REFERENCES waitlist_entries(id),
    slot_key TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    staff_id BIGINT,
    expires_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX waitlist_offer_accepted ON waitlist_offers (slot_key) WHERE status = 'accepted';
CREATE UNIQUE INDEX waitlist_offer_once ON waitlist_offers (entry_id, slot_key);
CREATE INDEX waitlist_offers_open ON waitlist_offers (status, expires_at);
