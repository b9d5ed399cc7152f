-- Real schedules (issue 25, DESIGN §13): the company's notice; a branch's resources; a service's
-- phases, buffers, resources, notice and interval; a staff member's working hours and breaks;
-- absences in their own table (entered in the file, the console or the API). Absence times are
-- UTC; all_day says it was entered as whole days.
ALTER TABLE companies ADD COLUMN min_notice_minutes INTEGER;
ALTER TABLE branches ADD COLUMN resources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE services ADD COLUMN phases TEXT NOT NULL DEFAULT '[]';
ALTER TABLE services ADD COLUMN buffer_before_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN buffer_after_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN resources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE services ADD COLUMN min_notice_minutes INTEGER;
ALTER TABLE services ADD COLUMN slot_interval_minutes INTEGER;
ALTER TABLE staff ADD COLUMN working_hours TEXT;
ALTER TABLE staff ADD COLUMN breaks TEXT NOT NULL DEFAULT '{}';
CREATE TABLE staff_absences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    all_day BOOLEAN NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX staff_absences_staff_end ON staff_absences (staff_id, ends_at);
-- Several services booked back to back are linked appointments: one group, moved and cancelled together.
ALTER TABLE appointments ADD COLUMN group_key TEXT;
CREATE INDEX appointments_group ON appointments (group_key) WHERE group_key IS NOT NULL;
