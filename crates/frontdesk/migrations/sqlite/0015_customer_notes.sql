-- What the business notes about a customer ("allergisch gegen …", "möchte nur zu Maria"), DESIGN §14.
CREATE TABLE customer_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX customer_notes_customer ON customer_notes (customer_id, created_at);
