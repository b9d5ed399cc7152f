-- A failed notice can be put back in line from the console (issue 15): its day of attempts then
-- counts from queued_at, while created_at stays the time of the change it reports.
ALTER TABLE outbox ADD COLUMN queued_at TIMESTAMPTZ;
