-- The remote database of the spec's test schema (postgres_fdw.md §6.1).
-- Data as §6.1 states it (T 1 = 1000 rows with c2 = id % 10, T 2 and T 3 =
-- 100 rows, T 4 = 34 rows, misc = 100 rows), values after postgres_fdw's own
-- regression test; the string values matter to the examples' literals
-- ('AAA001', 'aaa001x'), the row counts to the plan shapes.
CREATE EXTENSION cube;
CREATE SCHEMA "S 1";
CREATE TYPE public.user_enum AS ENUM ('foo', 'bar', 'buz');
CREATE TABLE "S 1"."T 1" ("C 1" int PRIMARY KEY, c2 int NOT NULL, c3 text, c4 timestamptz,
  c5 timestamp, c6 varchar(10), c7 char(10), c8 user_enum);
CREATE TABLE "S 1"."T 2" (c1 int PRIMARY KEY, c2 text);
CREATE TABLE "S 1"."T 3" (c1 int PRIMARY KEY, c2 int NOT NULL, c3 text);
CREATE TABLE "S 1"."T 4" (c1 int PRIMARY KEY, c2 int NOT NULL, c3 text);
CREATE TABLE public.misc (id int PRIMARY KEY, arr int[], tarr text[], b bool, bits bit(4), vb varbit,
  n numeric, n52 numeric(5,2), f8 float8, f4 float4, i8 bigint, i2 smallint, d date, ts timestamp,
  tstz timestamptz, iv interval, j jsonb, u uuid, bx bytea, cb cube, o oid);
CREATE TABLE public."Select" ("Order" int, "user" text, "MixedCase" int, lower_ok int, "from" int,
  "col""q" int, "ümlaut" int, "1abc" int, "type" int, "name" int);
CREATE TABLE public.gentab (a int, b int, c int GENERATED ALWAYS AS (a * 2) STORED);
CREATE TABLE public.nocols ();

INSERT INTO "S 1"."T 1"
  SELECT id,
         id % 10,
         to_char(id, 'FM00000'),
         '1970-01-01'::timestamptz + ((id % 100) || ' days')::interval,
         '1970-01-01'::timestamp + ((id % 100) || ' days')::interval,
         id % 10,
         id % 10,
         'foo'::user_enum
  FROM generate_series(1, 1000) id;
INSERT INTO "S 1"."T 2"
  SELECT id, 'AAA' || to_char(id, 'FM000')
  FROM generate_series(1, 100) id;
INSERT INTO "S 1"."T 3"
  SELECT id, id + 1, 'AAA' || to_char(id, 'FM000')
  FROM generate_series(1, 100) id;
INSERT INTO "S 1"."T 4"
  SELECT id, id + 1, 'AAA' || to_char(id, 'FM000')
  FROM generate_series(0, 99, 3) id;
INSERT INTO public.misc
  SELECT id,
         ARRAY[id, id + 1, id % 7],
         ARRAY['a' || id, 'b' || id],
         id % 2 = 0,
         (id % 16)::bit(4),
         (id % 8)::bit(3)::varbit,
         id / 4.0,
         (id / 8.0)::numeric(5,2),
         id / 3.0,
         id / 3.0,
         id::bigint * 100000000,
         (id % 100)::smallint,
         '2000-01-01'::date + id,
         '2000-01-01'::timestamp + id * '1 day'::interval,
         '2000-01-01'::timestamptz + id * '1 hour'::interval,
         id * '1 day 02:03:04'::interval,
         jsonb_build_object('a', id % 3),
         ('00000000-0000-0000-0000-' || lpad(id::text, 12, '0'))::uuid,
         decode(lpad(to_hex(id), 2, '0'), 'hex'),
         cube(id % 5),
         id::oid
  FROM generate_series(1, 100) id;
INSERT INTO public."Select" SELECT g, 'u' || g, g, g, g, g, g, g, g % 3, g FROM generate_series(1, 10) g;
ANALYZE;
