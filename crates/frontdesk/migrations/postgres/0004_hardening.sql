-- A company's own Retell key and its abuse limits (issue 12). NULL limits take the defaults.
ALTER TABLE companies ADD COLUMN retell_api_key TEXT;
ALTER TABLE companies ADD COLUMN max_bookings_per_call BIGINT;
ALTER TABLE companies ADD COLUMN max_upcoming_per_caller BIGINT;
ALTER TABLE companies ADD COLUMN booking_horizon_days BIGINT;
