-- +goose Up
-- The Business family, part 2: receivables and payables (business-api.md §2.6, §3, §4). Times
-- are BIGINT microseconds UTC, money BIGINT cents, dates TEXT YYYY-MM-DD (compared as text),
-- ids TEXT ULIDs. Every table carries the business id so that every query filters by it.

-- payment_type is receivable or payable. amount_paid is the sum of the transactions that settle
-- the payment (finance_transactions.payment_id, checked by the application with the payment row
-- locked); the outstanding balance is total_amount − amount_paid, never stored. status is the
-- status derived at the last write or status refresh (reads derive it again). search_key holds
-- reference and notes lower-cased by the application, so search folds case the same way on both
-- engines.
CREATE TABLE payments (
    id                TEXT PRIMARY KEY,
    business_id       TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    payment_type      TEXT NOT NULL,
    contact_id        TEXT NOT NULL REFERENCES contacts (id),
    category_id       TEXT REFERENCES finance_categories (id) ON DELETE SET NULL,
    issued_at         TEXT NOT NULL,
    due_at            TEXT NOT NULL,
    total_amount      BIGINT NOT NULL,
    amount_paid       BIGINT NOT NULL DEFAULT 0,
    status            TEXT NOT NULL DEFAULT 'pending',
    paid_at           TEXT,
    payment_method    TEXT,
    recurrence        TEXT NOT NULL DEFAULT 'once',
    installment_count BIGINT,
    due_weekday       TEXT,
    due_day_of_month  BIGINT,
    reference         TEXT,
    notes             TEXT NOT NULL,
    search_key        TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX payments_business ON payments (business_id, payment_type, id);
CREATE INDEX payments_due ON payments (business_id, payment_type, due_at);
CREATE INDEX payments_status ON payments (business_id, status, due_at);
CREATE INDEX payments_contact ON payments (contact_id);
CREATE INDEX payments_category ON payments (category_id);

-- The local date (in the business's zone) each business's payment statuses were last
-- refreshed for (conventions S27).
CREATE TABLE payment_status_refreshes (
    business_id  TEXT PRIMARY KEY REFERENCES businesses (id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    refreshed_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE payment_status_refreshes;
DROP TABLE payments;
