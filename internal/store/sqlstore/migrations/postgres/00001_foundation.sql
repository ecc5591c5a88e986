-- +goose Up
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    username         TEXT UNIQUE,
    email            TEXT NOT NULL DEFAULT '',
    name             TEXT NOT NULL DEFAULT '',
    password_hash    TEXT NOT NULL,
    is_active        BOOLEAN NOT NULL DEFAULT TRUE,
    is_staff         BOOLEAN NOT NULL DEFAULT FALSE,
    premium_account  BOOLEAN NOT NULL DEFAULT FALSE,
    get_notification BOOLEAN NOT NULL DEFAULT FALSE,
    last_login       BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email)) WHERE email <> '';

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    refresh_jti TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE budgets (
    id          TEXT PRIMARY KEY,
    creator_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- kept by every cash-flow write in the same transaction, so that a budget's totals and
    -- the count of its cash flows never cost a scan of them
    incomes         BIGINT NOT NULL DEFAULT 0,
    expenses        BIGINT NOT NULL DEFAULT 0,
    cash_flow_count BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE INDEX budgets_creator ON budgets (creator_id, id);

CREATE TABLE budget_shares (
    id         TEXT PRIMARY KEY,
    budget_id  TEXT NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       SMALLINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (budget_id, user_id)
);
CREATE INDEX budget_shares_user ON budget_shares (user_id, budget_id);

CREATE TABLE budget_categories (
    id          TEXT PRIMARY KEY,
    budget_id   TEXT NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX budget_categories_budget ON budget_categories (budget_id, id);

CREATE TABLE cash_flows (
    id          TEXT PRIMARY KEY,
    budget_id   TEXT NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    category_id TEXT REFERENCES budget_categories (id) ON DELETE SET NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    amount      BIGINT NOT NULL,
    type        SMALLINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX cash_flows_budget ON cash_flows (budget_id, id);
CREATE INDEX cash_flows_category ON cash_flows (category_id);

-- +goose Down
DROP TABLE cash_flows;
DROP TABLE budget_categories;
DROP TABLE budget_shares;
DROP TABLE budgets;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE settings;
