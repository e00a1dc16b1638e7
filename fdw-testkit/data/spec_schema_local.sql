-- The local database of the spec's test schema (postgres_fdw.md §6.1).
-- `{loopback}` is replaced by the connection options of the remote database
-- (host, port, dbname); the oracle has already created the extension, the
-- server `loopback` and its user mapping.
CREATE EXTENSION cube;
CREATE SERVER loopback_re FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS ({loopback}, use_remote_estimate 'true');
CREATE SERVER loopback_ext FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS ({loopback}, extensions 'cube');
CREATE SERVER loopback_other FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS ({loopback});
CREATE USER MAPPING FOR CURRENT_USER SERVER loopback_re;
CREATE USER MAPPING FOR CURRENT_USER SERVER loopback_ext;
CREATE USER MAPPING FOR CURRENT_USER SERVER loopback_other;
CREATE TYPE public.user_enum AS ENUM ('foo', 'bar', 'buz');
CREATE FOREIGN TABLE ft1 (c1 int OPTIONS (column_name 'C 1') NOT NULL, c2 int NOT NULL, c3 text,
  c4 timestamptz, c5 timestamp, c6 varchar(10), c7 char(10) DEFAULT 'ft1', c8 user_enum)
  SERVER loopback OPTIONS (schema_name 'S 1', table_name 'T 1');
CREATE FOREIGN TABLE ft2 (c1 int OPTIONS (column_name 'C 1') NOT NULL, c2 int NOT NULL, c3 text,
  c4 timestamptz, c5 timestamp, c6 varchar(10), c7 char(10) DEFAULT 'ft2', c8 user_enum)
  SERVER loopback OPTIONS (schema_name 'S 1', table_name 'T 1');
CREATE FOREIGN TABLE ft3 (c1 int NOT NULL, c2 int NOT NULL, c3 text)
  SERVER loopback OPTIONS (schema_name 'S 1', table_name 'T 3');
CREATE FOREIGN TABLE ft4 (c1 int NOT NULL, c2 int NOT NULL, c3 text)
  SERVER loopback OPTIONS (schema_name 'S 1', table_name 'T 4', fetch_size '7');
CREATE FOREIGN TABLE ft_other (c1 int NOT NULL, c2 int NOT NULL, c3 text)
  SERVER loopback_other OPTIONS (schema_name 'S 1', table_name 'T 3');
CREATE FOREIGN TABLE ft_re (c1 int NOT NULL, c2 int NOT NULL, c3 text)
  SERVER loopback_re OPTIONS (schema_name 'S 1', table_name 'T 3');
CREATE FOREIGN TABLE misc (id int, arr int[], tarr text[], b bool, bits bit(4), vb varbit,
  n numeric, n52 numeric(5,2), f8 float8, f4 float4, i8 bigint, i2 smallint, d date, ts timestamp,
  tstz timestamptz, iv interval, j jsonb, u uuid, bx bytea, cb cube, o oid) SERVER loopback;
CREATE FOREIGN TABLE misc_ext (id int, cb cube) SERVER loopback_ext OPTIONS (table_name 'misc');
CREATE FOREIGN TABLE "Select" ("Order" int, "user" text, "MixedCase" int, lower_ok int, "from" int,
  "col""q" int, "ümlaut" int, "1abc" int, "type" int, "name" int) SERVER loopback;
CREATE FOREIGN TABLE gentab (a int, b int, c int GENERATED ALWAYS AS (a * 2) STORED) SERVER loopback;
CREATE FOREIGN TABLE gentab_b (a int, b int, c int GENERATED ALWAYS AS (a * 2) STORED)
  SERVER loopback OPTIONS (table_name 'gentab', batch_size '10');
CREATE FOREIGN TABLE trunc1 (a int, b int) SERVER loopback OPTIONS (table_name 'gentab');
CREATE FOREIGN TABLE nocols () SERVER loopback;
CREATE TABLE loc1 (f1 int, f2 text);
INSERT INTO loc1 SELECT g, 'x' || g FROM generate_series(1, 100) g;
CREATE VIEW v3 AS SELECT * FROM ft3 WHERE c2 > 0 WITH CHECK OPTION;
ANALYZE loc1;
ANALYZE ft1; ANALYZE ft2; ANALYZE ft3; ANALYZE ft4; ANALYZE misc; ANALYZE ft_other;
