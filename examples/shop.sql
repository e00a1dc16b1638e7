-- A small online shop whose data lives on three PostgreSQL servers.
-- This is the schema `fdw` uses when no --schema or --catalog is given.
--
--   orders    the order-taking service's database
--   catalog   the product catalogue (uses hstore for product attributes)
--   billing   invoices and payments, reached over TLS with a lower fetch size
--
-- Local tables hold what the reporting database owns itself.

CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS cube;

CREATE TYPE public.order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');
CREATE TYPE public.currency AS ENUM ('EUR', 'USD', 'GBP');

CREATE SERVER orders FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host 'orders.internal', port '5432', dbname 'orders',
             fetch_size '500', fdw_startup_cost '50');

CREATE SERVER catalog FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host 'catalog.internal', dbname 'catalog', extensions 'hstore, cube');

CREATE SERVER billing FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host 'billing.internal', dbname 'billing', sslmode 'verify-full',
             use_remote_estimate 'false', fetch_size '100', updatable 'false');

CREATE USER MAPPING FOR PUBLIC SERVER orders OPTIONS (user 'reporting', password 'secret-orders');
CREATE USER MAPPING FOR CURRENT_USER SERVER catalog OPTIONS (user 'reporting', password 'secret-catalog');
CREATE USER MAPPING FOR PUBLIC SERVER billing OPTIONS (user 'reporting', sslcert '/etc/fdw/billing.crt', sslkey '/etc/fdw/billing.key');

CREATE SCHEMA shop;

-- Order-taking service
CREATE FOREIGN TABLE shop.customers (
    id          bigint NOT NULL,
    email       text NOT NULL,
    full_name   text,
    country     char(2),
    created_at  timestamptz NOT NULL,
    is_active   boolean NOT NULL DEFAULT true
) SERVER orders OPTIONS (schema_name 'public', table_name 'customers');

CREATE FOREIGN TABLE shop.orders (
    id           bigint NOT NULL,
    customer_id  bigint NOT NULL,
    status       public.order_status NOT NULL,
    placed_at    timestamptz NOT NULL,
    shipped_on   date,
    total        numeric(12,2) NOT NULL,
    currency     public.currency NOT NULL,
    note         varchar(200)
) SERVER orders OPTIONS (schema_name 'public', table_name 'orders');

CREATE FOREIGN TABLE shop.order_lines (
    order_id    bigint NOT NULL,
    line_no     integer NOT NULL,
    product_id  integer NOT NULL,
    quantity    integer NOT NULL,
    unit_price  numeric(10,2) NOT NULL,
    discount    real
) SERVER orders OPTIONS (schema_name 'public', table_name 'order_lines');

CREATE FOREIGN TABLE shop.shipments (
    id           bigint NOT NULL,
    order_id     bigint NOT NULL,
    carrier      text,
    tracking     text OPTIONS (column_name 'tracking_number'),
    shipped_at   timestamp,
    delivered_at timestamp,
    transit      interval
) SERVER orders OPTIONS (schema_name 'logistics', table_name 'Shipments');

CREATE FOREIGN TABLE shop.returns (
    order_id    bigint NOT NULL,
    line_no     integer NOT NULL,
    reason      text,
    returned_on date
) SERVER orders OPTIONS (schema_name 'public', table_name 'returns', fetch_size '1000');

-- Product catalogue
CREATE FOREIGN TABLE shop.products (
    id          integer NOT NULL,
    sku         varchar(32) NOT NULL,
    title       text NOT NULL,
    attributes  public.hstore,
    dimensions  public.cube,
    tags        text[],
    weight_kg   double precision,
    launched    date
) SERVER catalog OPTIONS (schema_name 'catalog', table_name 'products');

CREATE FOREIGN TABLE shop.categories (
    id         integer NOT NULL,
    parent_id  integer,
    "Name"     text NOT NULL
) SERVER catalog OPTIONS (schema_name 'catalog', table_name 'categories');

CREATE FOREIGN TABLE shop.product_categories (
    product_id   integer NOT NULL,
    category_id  integer NOT NULL
) SERVER catalog OPTIONS (schema_name 'catalog', table_name 'product_categories');

CREATE FOREIGN TABLE shop.stock (
    product_id  integer NOT NULL,
    warehouse   text NOT NULL,
    on_hand     integer NOT NULL,
    updated_at  timestamptz
) SERVER catalog OPTIONS (schema_name 'inventory', table_name 'stock', use_remote_estimate 'false');

-- Billing
CREATE FOREIGN TABLE shop.invoices (
    id          bigint NOT NULL,
    order_id    bigint NOT NULL,
    issued_on   date NOT NULL,
    amount      numeric(12,2) NOT NULL,
    currency    public.currency NOT NULL,
    paid        boolean NOT NULL DEFAULT false
) SERVER billing OPTIONS (schema_name 'billing', table_name 'invoices');

CREATE FOREIGN TABLE shop.payments (
    id          bigint NOT NULL,
    invoice_id  bigint NOT NULL,
    paid_at     timestamptz NOT NULL,
    amount      numeric(12,2) NOT NULL,
    method      text,
    "user"      text
) SERVER billing OPTIONS (schema_name 'billing', table_name 'payments');

-- Partitioned by year: older years on the billing server, the current one local.
CREATE TABLE shop.ledger (
    entry_id   bigint NOT NULL,
    booked_on  date NOT NULL,
    account    text NOT NULL,
    amount     numeric(12,2) NOT NULL
) PARTITION BY RANGE (booked_on);

CREATE FOREIGN TABLE shop.ledger_2024 PARTITION OF shop.ledger
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
    SERVER billing OPTIONS (schema_name 'billing', table_name 'ledger_2024');

CREATE FOREIGN TABLE shop.ledger_2025 PARTITION OF shop.ledger
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    SERVER billing OPTIONS (schema_name 'billing', table_name 'ledger_2025');

CREATE TABLE shop.ledger_2026 PARTITION OF shop.ledger
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- Owned by the reporting database itself
CREATE TABLE public.regions (
    country  char(2) PRIMARY KEY,
    region   text NOT NULL
);

CREATE TABLE public.fx_rates (
    currency  public.currency NOT NULL,
    day       date NOT NULL,
    rate      numeric(12,6) NOT NULL,
    PRIMARY KEY (currency, day)
);

-- A reporting helper: immutable, but not built in and not in an extension,
-- so postgres_fdw never ships it.
CREATE FUNCTION public.net_price(price numeric, discount real) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT
    AS 'SELECT price * (1 - coalesce(discount, 0))';
