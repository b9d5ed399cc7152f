-- The day a call last spoke about (tenant-local), so "am Tag danach" / "the day after" later in the
-- same call means the day after it — on whichever instance the next question lands.
ALTER TABLE calls ADD COLUMN day_discussed DATE;
