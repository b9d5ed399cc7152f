-- The daily digest (issue 15): the local time a company hears about its day (NULL = 19:00).
ALTER TABLE companies ADD COLUMN digest_time TEXT;
