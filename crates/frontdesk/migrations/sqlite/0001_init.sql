-- frontdesk schema (SQLite). Timestamps are UTC, stored as RFC 3339 text by sqlx.
CREATE TABLE companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    language TEXT NOT NULL,
    timezone TEXT NOT NULL,
    calendar TEXT,
    calcom_api_key TEXT,
    cancel_hours_before INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE branches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    opening_hours TEXT NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE phone_numbers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    number TEXT NOT NULL UNIQUE
);

CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    name TEXT NOT NULL,
    synonyms TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    price TEXT,
    description TEXT,
    calcom_event_type_id INTEGER,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    UNIQUE (branch_id, name)
);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    UNIQUE (branch_id, name)
);

CREATE TABLE staff_services (
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    service_id INTEGER NOT NULL REFERENCES services(id),
    PRIMARY KEY (staff_id, service_id)
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    phone TEXT NOT NULL,
    name TEXT,
    email TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (company_id, phone)
);

CREATE TABLE calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    retell_call_id TEXT NOT NULL UNIQUE,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    agent_id TEXT,
    from_number TEXT,
    to_number TEXT,
    direction TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    duration_ms INTEGER,
    disconnection_reason TEXT
);

CREATE TABLE appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    external_uid TEXT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    customer_id INTEGER REFERENCES customers(id),
    service_id INTEGER NOT NULL REFERENCES services(id),
    staff_id INTEGER REFERENCES staff(id),
    call_id INTEGER REFERENCES calls(id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    status TEXT NOT NULL,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX appointments_customer_start_status ON appointments (customer_id, starts_at, status);
CREATE INDEX appointments_branch_start ON appointments (branch_id, starts_at);

CREATE TABLE callback_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    branch_id INTEGER REFERENCES branches(id),
    call_id INTEGER REFERENCES calls(id),
    customer_name TEXT,
    phone TEXT NOT NULL,
    preferred_time TEXT,
    reason TEXT,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX callback_requests_company_status ON callback_requests (company_id, status);

CREATE TABLE function_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    retell_call_id TEXT,
    company_id INTEGER,
    function TEXT NOT NULL,
    outcome TEXT NOT NULL,
    duration_us INTEGER NOT NULL,
    cache TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX function_calls_call ON function_calls (retell_call_id);
