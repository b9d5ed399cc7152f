-- Public holidays by region, date order by locale, and branch closures (issue 11).
ALTER TABLE companies ADD COLUMN region TEXT;
ALTER TABLE companies ADD COLUMN locale TEXT;
ALTER TABLE branches ADD COLUMN closures TEXT NOT NULL DEFAULT '[]';
