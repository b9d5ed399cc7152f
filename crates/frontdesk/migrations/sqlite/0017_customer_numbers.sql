-- A customer's other numbers: those of the duplicates merged into them. Their calls, callbacks
-- and notices stay theirs (profile, export, erase).
CREATE TABLE customer_numbers (
    company_id INTEGER NOT NULL REFERENCES companies(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    phone TEXT NOT NULL,
    PRIMARY KEY (customer_id, phone)
);
