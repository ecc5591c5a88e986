-- +goose Up
-- The Business family, part 1: owners, businesses, members, contacts and finance
-- (business-api.md §3). Times are BIGINT microseconds UTC, money BIGINT cents, dates TEXT
-- YYYY-MM-DD, ids TEXT ULIDs. Uniqueness is per business (defect 23) except a business's own cnpj.

CREATE TABLE businesses (
    id         TEXT PRIMARY KEY,
    legal_name TEXT NOT NULL,
    trade_name TEXT NOT NULL,
    cnpj       TEXT NOT NULL,
    ie         TEXT NOT NULL DEFAULT '',
    im         TEXT NOT NULL DEFAULT '',
    postcode   TEXT NOT NULL DEFAULT '',
    city       TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL DEFAULT '',
    address    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    email      TEXT,
    is_active  BOOLEAN NOT NULL DEFAULT TRUE,
    timezone   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT businesses_cnpj_key UNIQUE (cnpj)
);

CREATE TABLE owners (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    business_id TEXT REFERENCES businesses (id) ON DELETE CASCADE,
    name        TEXT,
    email       TEXT,
    phone       TEXT,
    created_at  BIGINT NOT NULL,
    CONSTRAINT owners_user_key UNIQUE (user_id),
    CONSTRAINT owners_business_key UNIQUE (business_id)
);

CREATE TABLE members (
    id            TEXT PRIMARY KEY,
    business_id   TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    credential_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    name          TEXT NOT NULL,
    cpf           TEXT,
    date_of_birth TEXT,
    role          TEXT,
    hire_date     TEXT,
    salary        BIGINT,
    phone         TEXT NOT NULL,
    email         TEXT NOT NULL,
    has_access    BOOLEAN NOT NULL DEFAULT FALSE,
    is_active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT NOT NULL,
    CONSTRAINT members_credential_key UNIQUE (credential_id),
    CONSTRAINT members_cpf_key UNIQUE (business_id, cpf),
    CONSTRAINT members_phone_key UNIQUE (business_id, phone),
    CONSTRAINT members_email_key UNIQUE (business_id, email)
);
CREATE INDEX members_business ON members (business_id, id);

-- Customers (kind 1) and suppliers (kind 2) share one id space and one table; name is the
-- customer's name or the supplier's legal name, alias the customer's alias or the supplier's
-- trade name. search_key holds the searched fields lower-cased by the application, so search
-- folds case the same way on both engines.
CREATE TABLE contacts (
    id               TEXT PRIMARY KEY,
    business_id      TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    kind             SMALLINT NOT NULL,
    code             TEXT,
    name             TEXT NOT NULL,
    alias            TEXT,
    cpf              TEXT,
    gender           TEXT,
    amount_spent     BIGINT NOT NULL DEFAULT 0,
    number_of_orders BIGINT NOT NULL DEFAULT 0,
    cnpj             TEXT,
    ie               TEXT,
    im               TEXT,
    is_active        BOOLEAN NOT NULL DEFAULT TRUE,
    phone            TEXT,
    email            TEXT,
    postcode         TEXT,
    city             TEXT,
    state            TEXT,
    address          TEXT,
    notes            TEXT,
    search_key       TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CONSTRAINT contacts_code_key UNIQUE (business_id, code),
    CONSTRAINT contacts_cpf_key UNIQUE (business_id, cpf),
    CONSTRAINT contacts_cnpj_key UNIQUE (business_id, cnpj)
);
CREATE INDEX contacts_business ON contacts (business_id, kind, id);

CREATE TABLE finance_accounts (
    id          TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    balance     BIGINT NOT NULL DEFAULT 0,
    is_active   BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL
);
CREATE INDEX finance_accounts_business ON finance_accounts (business_id, balance, id);

CREATE TABLE finance_categories (
    id          TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    parent_id   TEXT REFERENCES finance_categories (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    is_active   BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL,
    CONSTRAINT finance_categories_name_key UNIQUE (business_id, name)
);
CREATE INDEX finance_categories_business ON finance_categories (business_id, id);

-- amount is signed; amount_text is the 2-place rendering of |amount| for prefix search
-- (conventions S10); search_key is the description lower-cased by the application.
-- payment_id is the receivable/payable a transaction settles (billing adds its reference).
CREATE TABLE finance_transactions (
    id          TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    account_id  TEXT NOT NULL REFERENCES finance_accounts (id),
    category_id TEXT REFERENCES finance_categories (id) ON DELETE SET NULL,
    contact_id  TEXT REFERENCES contacts (id),
    operator_id TEXT NOT NULL REFERENCES users (id),
    payment_id  TEXT,
    linked_id   TEXT REFERENCES finance_transactions (id) ON DELETE SET NULL,
    type        TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    amount_text TEXT NOT NULL,
    description TEXT NOT NULL,
    search_key  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX finance_transactions_business ON finance_transactions (business_id, created_at, id);
CREATE INDEX finance_transactions_account ON finance_transactions (account_id, created_at, id);
CREATE INDEX finance_transactions_category ON finance_transactions (category_id);
CREATE INDEX finance_transactions_contact ON finance_transactions (contact_id);
CREATE INDEX finance_transactions_payment ON finance_transactions (payment_id);
CREATE INDEX finance_transactions_linked ON finance_transactions (linked_id);
CREATE INDEX finance_transactions_operator ON finance_transactions (operator_id);

-- +goose Down
DROP TABLE finance_transactions;
DROP TABLE finance_categories;
DROP TABLE finance_accounts;
DROP TABLE contacts;
DROP TABLE members;
DROP TABLE owners;
DROP TABLE businesses;
