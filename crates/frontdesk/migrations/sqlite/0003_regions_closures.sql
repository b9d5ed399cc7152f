-- Public holidays by region, date order by locale, branch closures, and staff members' own Cal.com
-- event types (issue 11).
ALTER TABLE companies ADD COLUMN region TEXT;
ALTER TABLE companies ADD COLUMN locale TEXT;
ALTER TABLE branches ADD COLUMN closures TEXT NOT NULL DEFAULT '[]';
ALTER TABLE staff_services ADD COLUMN calcom_event_type_id INTEGER;
