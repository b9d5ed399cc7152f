-- Slot holds where every instance sees them (issue 13): one per call of a company. A hold past
-- held_until is ignored by every read and replaced by the next hold of its call.
CREATE TABLE slot_holds (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    call_id TEXT NOT NULL,
    branch_id BIGINT NOT NULL REFERENCES branches(id),
    service_id BIGINT NOT NULL,
    staff_id BIGINT,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    reservation_uid TEXT,
    held_until TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (company_id, call_id)
);
CREATE INDEX slot_holds_branch_start ON slot_holds (branch_id, starts_at);
