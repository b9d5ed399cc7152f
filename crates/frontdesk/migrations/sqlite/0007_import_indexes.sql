-- The tenant import replaces a branch's numbers by branch: an index, not a scan per branch.
CREATE INDEX phone_numbers_branch ON phone_numbers (branch_id);

-- The last tenants file imported (its digest and the schema version): an unchanged file is not
-- imported again at the next start.
CREATE TABLE tenant_imports (
    id INTEGER PRIMARY KEY,
    stamp TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
