-- +goose Up
-- The daily budgets summary's delivery record (budgets-api.md §8, conventions S30): one row per
-- user and local day (YYYY-MM-DD in the server zone), claimed before the message goes out and
-- released if sending fails, so a day's summary is never sent twice, even after River has
-- cleaned its job rows or when two instances run. sent_at is NULL while a send is in flight
-- (or was interrupted: such a day is not retried, to stay at most once). Times are BIGINT
-- microseconds UTC.
CREATE TABLE summary_sends (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    claimed_at BIGINT NOT NULL,
    sent_at    BIGINT,
    PRIMARY KEY (user_id, day)
);
CREATE INDEX summary_sends_day ON summary_sends (day);

-- +goose Down
DROP TABLE summary_sends;
