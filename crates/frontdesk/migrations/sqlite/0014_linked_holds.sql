-- A call may hold several services back to back ("Schnitt und Bart", DESIGN §13): one row per
-- part of the call's hold, numbered from 0. A single service is part 0, as every hold was.
CREATE TABLE slot_holds_parts (
    company_id INTEGER NOT NULL REFERENCES companies(id),
    call_id TEXT NOT NULL,
    part INTEGER NOT NULL DEFAULT 0,
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    service_id INTEGER NOT NULL,
    staff_id INTEGER,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    reservation_uid TEXT,
    held_until TEXT NOT NULL,
    PRIMARY KEY (company_id, call_id, part)
);
INSERT INTO slot_holds_parts (company_id, call_id, part, branch_id, service_id, staff_id, starts_at, ends_at, reservation_uid, held_until)
    SELECT company_id, call_id, 0, branch_id, service_id, staff_id, starts_at, ends_at, reservation_uid, held_until FROM slot_holds;
DROP TABLE slot_holds;
ALTER TABLE slot_holds_parts RENAME TO slot_holds;
CREATE INDEX slot_holds_branch_start ON slot_holds (branch_id, starts_at);
