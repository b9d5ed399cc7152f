-- A call may hold several services back to back ("Schnitt und Bart", DESIGN §13): one row per
-- part of the call's hold, numbered from 0. A single service is part 0, as every hold was.
ALTER TABLE slot_holds ADD COLUMN part INTEGER NOT NULL DEFAULT 0;
ALTER TABLE slot_holds DROP CONSTRAINT slot_holds_pkey;
ALTER TABLE slot_holds ADD PRIMARY KEY (company_id, call_id, part);
