-- The operator console (issue 14): logins, their sessions, throttled login attempts, where an
-- appointment came from, what Retell's analysis said about a call, and callbacks marked done.
CREATE TABLE operators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    company_id INTEGER REFERENCES companies(id),
    staff_name TEXT,
    language TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A session is known by the SHA-256 of its cookie: a leaked table opens no session.
CREATE TABLE operator_sessions (
    token_hash TEXT PRIMARY KEY,
    operator_id INTEGER NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    company_id INTEGER REFERENCES companies(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
CREATE INDEX login_failures_address ON login_failures (address, failed_at);

ALTER TABLE appointments ADD COLUMN source TEXT NOT NULL DEFAULT 'phone';
ALTER TABLE calls ADD COLUMN summary TEXT;
ALTER TABLE calls ADD COLUMN sentiment TEXT;
ALTER TABLE calls ADD COLUMN recording_url TEXT;
CREATE INDEX calls_company_started ON calls (company_id, started_at);
CREATE INDEX function_calls_created ON function_calls (created_at);
ALTER TABLE callback_requests ADD COLUMN done_at TEXT;
ALTER TABLE callback_requests ADD COLUMN done_note TEXT;
ALTER TABLE callback_requests ADD COLUMN done_by TEXT;
CREATE INDEX appointments_company_start ON appointments (company_id, starts_at);
CREATE INDEX callback_requests_company_created ON callback_requests (company_id, created_at);
-- The calls page counts each call's bookings and callbacks.
CREATE INDEX appointments_call ON appointments (call_id);
CREATE INDEX callback_requests_call ON callback_requests (call_id);
-- Bookings made in Cal.com itself are recorded for the console (source 'calcom') but do not take
-- part in frontdesk's slot guards: Cal.com decided them, and a team event type may hold several
-- bookings at one time.
DROP INDEX appointments_staff_slot;
DROP INDEX appointments_service_slot;
CREATE UNIQUE INDEX appointments_staff_slot ON appointments (branch_id, staff_id, starts_at)
    WHERE staff_id IS NOT NULL AND status <> 'cancelled' AND source <> 'calcom';
CREATE UNIQUE INDEX appointments_service_slot ON appointments (service_id, starts_at)
    WHERE staff_id IS NULL AND status <> 'cancelled' AND source <> 'calcom';
