-- What happened to each appointment and by whom (DESIGN §14), written in the change's transaction.
CREATE TABLE appointment_history (
    id BIGSERIAL PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    appointment_id BIGINT NOT NULL REFERENCES appointments(id),
    at TIMESTAMPTZ NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX appointment_history_appointment ON appointment_history (appointment_id, at);
-- Appointments that existed before the history: their booking, as far as it is known.
INSERT INTO appointment_history (company_id, appointment_id, at, action, actor)
    SELECT company_id, id, created_at, 'booked',
        CASE source WHEN 'calcom' THEN 'calcom' WHEN 'console' THEN 'console' ELSE 'phone agent' END
    FROM appointments;
INSERT INTO appointment_history (company_id, appointment_id, at, action, actor)
    SELECT company_id, id, updated_at, 'cancelled', 'frontdesk' FROM appointments WHERE status = 'cancelled';
-- Old call data goes after FRONTDESK_RETENTION_DAYS: found by its start.
CREATE INDEX calls_started ON calls (started_at);
-- What a caller asked for that the business does not offer ("Massage"): the calls page says it.
ALTER TABLE function_calls ADD COLUMN detail TEXT;
