-- The database as the last guard against double bookings: one live appointment per staff member
-- and start, and per service and start where no staff member is assigned (Cal.com assigns hosts).
CREATE UNIQUE INDEX appointments_staff_slot ON appointments (branch_id, staff_id, starts_at)
    WHERE staff_id IS NOT NULL AND status <> 'cancelled';
CREATE UNIQUE INDEX appointments_service_slot ON appointments (service_id, starts_at)
    WHERE staff_id IS NULL AND status <> 'cancelled';
