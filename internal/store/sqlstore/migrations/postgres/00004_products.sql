-- +goose Up
-- The Business family's products, product categories, cost history and inventory
-- (business-api.md §3). Times are BIGINT microseconds UTC, money BIGINT cents, dates TEXT
-- YYYY-MM-DD, ids TEXT ULIDs. Uniqueness is per business (defect 23). Every table carries the
-- business id so that every query filters by it.

CREATE TABLE product_categories (
    id          TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    parent_id   TEXT REFERENCES product_categories (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    is_active   BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL,
    CONSTRAINT product_categories_name_key UNIQUE (business_id, name)
);
CREATE INDEX product_categories_business ON product_categories (business_id, id);
CREATE INDEX product_categories_parent ON product_categories (parent_id);

-- A category that still has products cannot be deleted (protect). name_key is the name
-- lower-cased by the application, so search folds case the same way on both engines. Stock is
-- not a column: it is the quantity of the product's inventory.
CREATE TABLE products (
    id               TEXT PRIMARY KEY,
    business_id      TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    category_id      TEXT REFERENCES product_categories (id),
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    sku              TEXT,
    barcode          TEXT,
    brand            TEXT,
    cost_price       BIGINT,
    retail_price     BIGINT,
    discounted_price BIGINT,
    unit             TEXT,
    is_available     BOOLEAN NOT NULL DEFAULT TRUE,
    track_stock      BOOLEAN NOT NULL DEFAULT TRUE,
    is_active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       BIGINT NOT NULL,
    CONSTRAINT products_sku_key UNIQUE (business_id, sku)
);
CREATE INDEX products_business ON products (business_id, id);
CREATE INDEX products_barcode ON products (business_id, barcode);
CREATE INDEX products_category ON products (category_id);

-- Suppliers are contacts of kind 2 of the product's business (checked by the application).
CREATE TABLE product_suppliers (
    product_id  TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    supplier_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, supplier_id)
);
CREATE INDEX product_suppliers_supplier ON product_suppliers (supplier_id);

-- markup is a percentage in hundredths (decimal(5,2)); average_cost the weighted average cost
-- up to the entry, both null when there is none.
CREATE TABLE product_costs (
    id             TEXT PRIMARY KEY,
    business_id    TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    product_id     TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity       BIGINT NOT NULL,
    effective_date TEXT NOT NULL,
    cost_price     BIGINT NOT NULL,
    retail_price   BIGINT NOT NULL,
    average_cost   BIGINT,
    markup         BIGINT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX product_costs_product ON product_costs (product_id, id);
CREATE INDEX product_costs_business ON product_costs (business_id);

-- One inventory per product; quantity is the sum of its transactions' quantities, changed
-- only together with them under the inventory row's lock.
CREATE TABLE inventories (
    id          TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    product_id  TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity    BIGINT NOT NULL DEFAULT 0,
    reserved    BIGINT NOT NULL DEFAULT 0,
    location    TEXT,
    created_at  BIGINT NOT NULL,
    CONSTRAINT inventories_product_key UNIQUE (product_id)
);
CREATE INDEX inventories_business ON inventories (business_id, id);

-- quantity is signed: positive inbound, negative outbound.
CREATE TABLE inventory_transactions (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    inventory_id TEXT NOT NULL REFERENCES inventories (id) ON DELETE CASCADE,
    type         TEXT NOT NULL,
    quantity     BIGINT NOT NULL,
    unit_cost    BIGINT NOT NULL DEFAULT 0,
    unit_price   BIGINT NOT NULL DEFAULT 0,
    description  TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX inventory_transactions_inventory ON inventory_transactions (inventory_id, id);
CREATE INDEX inventory_transactions_business ON inventory_transactions (business_id, id);

-- +goose Down
DROP TABLE inventory_transactions;
DROP TABLE inventories;
DROP TABLE product_costs;
DROP TABLE product_suppliers;
DROP TABLE products;
DROP TABLE product_categories;
