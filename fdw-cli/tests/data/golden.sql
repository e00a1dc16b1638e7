-- Fixture schema of the golden snapshots (fdw-cli/tests/golden.rs), beside
-- the bundled examples/shop.sql. It loads unchanged into a real
-- PostgreSQL 15 too: EXPLAIN without ANALYZE and without
-- use_remote_estimate never connects to the servers, so the golden test
-- compares our Remote SQL and Filter lines with PostgreSQL's.

CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS hstore;

CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN public.posint AS integer CHECK (VALUE > 0);

-- No extensions option: only built-in objects ship.
CREATE SERVER plain FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host 'plain.invalid', dbname 'gold');
-- cube listed, hstore not.
CREATE SERVER ext FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host 'ext.invalid', dbname 'gold', extensions 'cube');
CREATE USER MAPPING FOR PUBLIC SERVER plain;
CREATE USER MAPPING FOR PUBLIC SERVER ext;

-- One column per kind of value the deparser prints differently.
CREATE FOREIGN TABLE public.t (
    id     integer NOT NULL,
    n      integer,
    big    bigint,
    small  smallint,
    num    numeric,
    num52  numeric(5,2),
    f8     double precision,
    f4     real,
    txt    text,
    vc     varchar(10),
    ch     char(5),
    txt_c  text COLLATE "C",
    flag   boolean,
    d      date,
    ts     timestamp,
    tstz   timestamptz,
    iv     interval,
    arr    integer[],
    tarr   text[],
    j      jsonb,
    u      uuid,
    bx     bytea,
    bits   bit(4),
    nm     name,
    m      public.mood,
    p      public.posint,
    cb     public.cube,
    h      public.hstore
) SERVER plain OPTIONS (schema_name 'remote', table_name 't');

-- The same remote table through the server that lists cube.
CREATE FOREIGN TABLE public.t_ext (
    id   integer NOT NULL,
    txt  text,
    cb   public.cube,
    h    public.hstore
) SERVER ext OPTIONS (schema_name 'remote', table_name 't');

-- A second table on the same server, for local joins.
CREATE FOREIGN TABLE public.u (
    id     integer NOT NULL,
    t_id   integer,
    label  text
) SERVER plain OPTIONS (schema_name 'remote', table_name 'u');

-- Identifiers that need quoting: keywords, upper case, a double quote,
-- non-ASCII, a leading digit; no options, so the local names are sent.
CREATE FOREIGN TABLE public."Select" (
    "Order"     integer,
    "user"      text,
    "MixedCase" integer,
    lower_ok    integer,
    "from"      integer,
    "col""q"    integer,
    "ümlaut"    integer,
    "1abc"      integer,
    "type"      integer,
    "name"      integer
) SERVER plain;

-- schema_name, table_name and column_name options that need quoting.
CREATE FOREIGN TABLE public.renamed (
    a  integer OPTIONS (column_name 'Remote A'),
    b  text OPTIONS (column_name 'select'),
    c  integer
) SERVER plain OPTIONS (schema_name 'Remote Schema', table_name 'Tab"le');

-- No schema_name option: the local schema ("Gold") is sent.
CREATE SCHEMA "Gold";
CREATE FOREIGN TABLE "Gold"."Items" (
    id    integer,
    "Qty" integer
) SERVER plain;

-- A local table, for joins of local and foreign rows.
CREATE TABLE public.loc (
    id    integer,
    name  text
);

-- User functions and an operator: never shipped, whatever their volatility.
CREATE FUNCTION public.f_imm(integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS 'SELECT $1 + 1';
CREATE FUNCTION public.f_stable(integer) RETURNS integer
    LANGUAGE sql STABLE AS 'SELECT $1 + 2';
CREATE FUNCTION public.f_vol(integer) RETURNS integer
    LANGUAGE sql VOLATILE AS 'SELECT $1 + 3';
CREATE FUNCTION public.int_close(integer, integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS 'SELECT abs($1 - $2) < 2';
CREATE OPERATOR public.=~= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.int_close);
-- PL/pgSQL bodies cannot be inlined: these stay calls of user functions.
CREATE FUNCTION public.p_imm(integer) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN $1 + 1; END $$;
CREATE FUNCTION public.p_stable(integer) RETURNS integer
    LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN $1 + 2; END $$;
CREATE FUNCTION public.p_vol(integer) RETURNS integer
    LANGUAGE plpgsql VOLATILE AS $$ BEGIN RETURN $1 + 3; END $$;
CREATE FUNCTION public.p_close(integer, integer) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN abs($1 - $2) < 2; END $$;
CREATE OPERATOR public.<~> (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.p_close);
