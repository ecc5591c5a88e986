-- +goose Up
-- Each account's number of transactions, kept beside its balance: every transaction write and
-- delete changes both in the one bounded UPDATE that moves the balance, in the same database
-- transaction. The count of a business's unfiltered transaction list (or of its bank filter) is
-- the sum over its accounts (a handful of rows), so a first page of a million transactions costs
-- no scan of them.
ALTER TABLE finance_accounts ADD COLUMN transaction_count BIGINT NOT NULL DEFAULT 0;
UPDATE finance_accounts SET transaction_count =
    (SELECT COUNT(*) FROM finance_transactions t WHERE t.account_id = finance_accounts.id);

-- +goose Down
ALTER TABLE finance_accounts DROP COLUMN transaction_count;
