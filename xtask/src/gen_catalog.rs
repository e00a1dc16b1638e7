//! `gen-catalog`: dump a fresh database's built-in catalogs and every
//! bundled contrib extension into `fdw-catalog/data/pgNN.cat` (the format
//! is described in `fdw-catalog/src/builtin/parse.rs`), plus the
//! verification fixture `pgNN_signatures.tsv` the built-in tests check the
//! data against.
//!
//! Only columns present in PostgreSQL 13 to 18 are read; where a column is
//! newer (`typsubscript`, 14) the query branches on the server version.
//!
//! The server is one of `fdw_testkit`'s throwaway clusters (stopped and
//! removed when the task ends, also when it fails halfway). The oids in the
//! data file are whatever the server assigns, so the sequence of statements
//! that take oids (databases, extensions, the probe schema) is part of the
//! output: change it only together with the committed data.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use fdw_testkit::{psql, Cluster, PgInstall};

/// Command-line options.
#[derive(Debug, Default)]
pub(crate) struct Options {
    /// Directory with `initdb`, `pg_ctl`, `postgres` (and usually `psql`).
    pub(crate) pg_bin: PathBuf,
    /// The data file; default `fdw-catalog/data/pg<major>.cat`.
    pub(crate) out: Option<PathBuf>,
    /// Where the fixture goes; default `fdw-catalog/tests/fixtures/builtin`.
    pub(crate) fixtures: Option<PathBuf>,
}

const MAGIC: &str = "fdw-builtin-catalog 1";

/// One catalog section: how to select it and what the loader expects.
struct Table {
    section: &'static str,
    /// Must equal the loader's column list (`parse.rs`, `columns`).
    columns: &'static str,
    /// Select list over the catalog aliased `x`.
    select: String,
    /// The catalog.
    from: &'static str,
    /// The oid column: for the extension filter and membership.
    key: &'static str,
    /// Row order: the loader's index order, so its sorts find sorted input.
    order: &'static str,
    /// The catalog `pg_depend.classid` names for membership.
    class: &'static str,
    /// Restriction on the built-in rows.
    builtin_filter: &'static str,
    /// Output columns (0-based) that the SQL already encodes in the data
    /// file's list syntax; all others are escaped as text.
    raw: &'static [usize],
}

fn tables(version_num: u32) -> Vec<Table> {
    let subscript = if version_num >= 140_000 {
        "x.typsubscript::oid"
    } else {
        // Before 14 true arrays were recognised by typelem and typlen; the
        // loader's `is_true_array` wants the 14+ handler oid.
        "CASE WHEN x.typelem <> 0 AND x.typlen = -1 THEN 6179 ELSE 0 END"
    };
    // proargnames as a comma list: `\` and `,` escaped, `\e` for "".
    let argnames = r"coalesce((SELECT string_agg(CASE WHEN n = '' THEN '\e' ELSE
            replace(replace(replace(replace(n, '\', '\\'), ',', '\,'), E'\t', '\t'), E'\n', '\n') END,
            ',' ORDER BY i) FROM unnest(x.proargnames) WITH ORDINALITY AS u(n, i)), '')";
    vec![
        Table {
            section: "namespace",
            columns: "oid\tname",
            select: "x.oid, x.nspname".into(),
            from: "pg_namespace",
            key: "x.oid",
            order: "x.oid",
            class: "pg_namespace",
            builtin_filter: "true",
            raw: &[],
        },
        Table {
            section: "am",
            columns: "oid\tname",
            select: "x.oid, x.amname".into(),
            from: "pg_am",
            key: "x.oid",
            order: "x.oid",
            class: "pg_am",
            builtin_filter: "x.amtype = 'i'",
            raw: &[],
        },
        Table {
            section: "type",
            columns: "oid\tname\tnamespace\tlen\tbyval\ttype\tcategory\tpreferred\telem\tarray\trelid\tsubscript\tstorage\tcollation\tbasetype\ttypmod\tnotnull\tinput\toutput\tmodin\tmodout\tdelim",
            select: format!(
                "x.oid, x.typname, x.typnamespace, x.typlen, x.typbyval, x.typtype, x.typcategory,
                 x.typispreferred, x.typelem, x.typarray, x.typrelid, {subscript}, x.typstorage,
                 x.typcollation, x.typbasetype, x.typtypmod, x.typnotnull, x.typinput::oid,
                 x.typoutput::oid, x.typmodin::oid, x.typmodout::oid, x.typdelim"
            ),
            from: "pg_type",
            key: "x.oid",
            order: "x.oid",
            class: "pg_type",
            builtin_filter: "true",
            raw: &[],
        },
        Table {
            section: "proc",
            columns: "oid\tname\tnamespace\tkind\tvolatile\tstrict\tretset\trettype\targtypes\tallargtypes\targmodes\targnames\tvariadic\tnargdefaults\tcost\trows\tleakproof\tsupport",
            select: format!(
                "x.oid, x.proname, x.pronamespace, x.prokind, x.provolatile, x.proisstrict,
                 x.proretset, x.prorettype, array_to_string(x.proargtypes::oid[], ' '),
                 coalesce(array_to_string(x.proallargtypes, ' '), ''),
                 coalesce(array_to_string(x.proargmodes, ''), ''), {argnames},
                 x.provariadic, x.pronargdefaults, x.procost, x.prorows, x.proleakproof,
                 x.prosupport <> 0"
            ),
            from: "pg_proc",
            key: "x.oid",
            order: "x.pronamespace, x.proname COLLATE \"C\", x.proargtypes::oid[], x.oid",
            class: "pg_proc",
            builtin_filter: "true",
            raw: &[11],
        },
        Table {
            section: "operator",
            columns: "oid\tname\tnamespace\tkind\tleft\tright\tresult\tcode\tcom\tnegate\trest\tjoin\tcanmerge\tcanhash",
            select: "x.oid, x.oprname, x.oprnamespace, x.oprkind, x.oprleft, x.oprright, x.oprresult,
                     x.oprcode::oid, x.oprcom, x.oprnegate, x.oprrest::oid, x.oprjoin::oid,
                     x.oprcanmerge, x.oprcanhash"
                .into(),
            from: "pg_operator",
            key: "x.oid",
            order: "x.oprname COLLATE \"C\", x.oprnamespace, x.oprleft, x.oprright",
            class: "pg_operator",
            builtin_filter: "true",
            raw: &[],
        },
        Table {
            section: "cast",
            columns: "oid\tsource\ttarget\tfunc\tcontext\tmethod",
            select: "x.oid, x.castsource, x.casttarget, x.castfunc, x.castcontext, x.castmethod".into(),
            from: "pg_cast",
            key: "x.oid",
            order: "x.castsource, x.casttarget",
            class: "pg_cast",
            builtin_filter: "true",
            raw: &[],
        },
        Table {
            section: "aggregate",
            columns: "fnoid\tkind\tndirect\ttransfn\tfinalfn\tcombinefn\tserialfn\tdeserialfn\tmtransfn\tminvtransfn\tmfinalfn\tfinalextra\tmfinalextra\tfinalmodify\tmfinalmodify\tsortop\ttranstype\ttransspace\tmtranstype\tmtransspace\tinitval\tminitval",
            select: "x.aggfnoid::oid, x.aggkind, x.aggnumdirectargs, x.aggtransfn::oid,
                     x.aggfinalfn::oid, x.aggcombinefn::oid, x.aggserialfn::oid,
                     x.aggdeserialfn::oid, x.aggmtransfn::oid, x.aggminvtransfn::oid,
                     x.aggmfinalfn::oid, x.aggfinalextra, x.aggmfinalextra, x.aggfinalmodify,
                     x.aggmfinalmodify, x.aggsortop, x.aggtranstype, x.aggtransspace,
                     x.aggmtranstype, x.aggmtransspace, x.agginitval, x.aggminitval"
                .into(),
            from: "pg_aggregate",
            key: "x.aggfnoid::oid",
            order: "x.aggfnoid::oid",
            class: "pg_proc",
            builtin_filter: "true",
            raw: &[],
        },
        Table {
            section: "collation",
            columns: "oid\tname\tnamespace\tprovider\tdeterministic\tencoding\tcollate",
            select: "x.oid, x.collname, x.collnamespace, x.collprovider, x.collisdeterministic,
                     x.collencoding, coalesce(x.collcollate, '')"
                .into(),
            from: "pg_collation",
            key: "x.oid",
            order: "x.oid",
            class: "pg_collation",
            // initdb imports libc and ICU collations with oids that depend on
            // the machine's locales; only the hand-assigned ones are stable.
            builtin_filter: "x.oid < 10000",
            raw: &[],
        },
        Table {
            section: "opfamily",
            columns: "oid\tmethod\tname\tnamespace",
            select: "x.oid, x.opfmethod, x.opfname, x.opfnamespace".into(),
            from: "pg_opfamily",
            key: "x.oid",
            order: "x.oid",
            class: "pg_opfamily",
            builtin_filter: "true",
            raw: &[],
        },
        Table {
            section: "opclass",
            columns: "oid\tmethod\tname\tnamespace\tfamily\tintype\tdefault\tkeytype",
            select: "x.oid, x.opcmethod, x.opcname, x.opcnamespace, x.opcfamily, x.opcintype,
                     x.opcdefault, x.opckeytype"
                .into(),
            from: "pg_opclass",
            key: "x.oid",
            order: "x.oid",
            class: "pg_opclass",
            builtin_filter: "true",
            raw: &[],
        },
        Table {
            section: "amop",
            columns: "oid\tfamily\tleft\tright\tstrategy\tpurpose\toperator\tmethod\tsortfamily",
            select: "x.oid, x.amopfamily, x.amoplefttype, x.amoprighttype, x.amopstrategy,
                     x.amoppurpose, x.amopopr, x.amopmethod, x.amopsortfamily"
                .into(),
            from: "pg_amop",
            key: "x.oid",
            order: "x.amopfamily, x.amoplefttype, x.amoprighttype, x.amopstrategy",
            class: "pg_amop",
            builtin_filter: "true",
            raw: &[],
        },
    ]
}

/// Sections recorded for extensions (schemas, access methods and
/// collations are not created by the bundled ones).
const EXTENSION_SECTIONS: &[&str] = &[
    "type",
    "proc",
    "operator",
    "cast",
    "aggregate",
    "opfamily",
    "opclass",
    "amop",
];

/// An extension installed in its scratch database.
struct Installed {
    name: String,
    oid: u32,
    span: u32,
}

pub(crate) fn run(opts: &Options) -> anyhow::Result<()> {
    if opts.pg_bin.as_os_str().is_empty() {
        bail!("gen-catalog needs --pg-bin <directory with initdb and pg_ctl>");
    }
    let cluster = Cluster::start(PgInstall::from_bin_dir(&opts.pg_bin)?)?;
    let version_num: u32 = value(&cluster, "postgres", "SHOW server_version_num")?
        .parse()
        .context("parsing server_version_num")?;
    let major = version_num / 10_000;
    let tables = tables(version_num);

    let mut out = String::new();
    writeln!(out, "{MAGIC}")?;
    writeln!(out, "server\t{major}\t{version_num}")?;
    for t in &tables {
        let sql = format!(
            "SELECT {} FROM pg_catalog.{} x WHERE {} ORDER BY {}",
            t.select, t.from, t.builtin_filter, t.order
        );
        let rows = cluster.query("postgres", &sql)?;
        writeln!(out, "%{}\t{}", t.section, t.columns)?;
        append_rows(&mut out, &rows, t.raw);
    }

    let names = column(
        &cluster,
        "postgres",
        "SELECT name FROM pg_available_extensions WHERE name <> 'plpgsql' ORDER BY name",
    )?;
    let mut bundled = Vec::new();
    let mut skipped = Vec::new();
    for name in &names {
        match extension_block(&cluster, &tables, name) {
            Ok(block) => {
                out.push_str(&block);
                bundled.push(name.as_str());
            }
            Err(e) => {
                eprintln!("skipping extension {name}: {e:#}");
                skipped.push(name.as_str());
            }
        }
    }

    let fixture = signatures(&cluster)?;
    // Closing the cluster's lifeline stops the server and removes its
    // directory while the files are written.
    drop(cluster);

    let out_path = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("fdw-catalog/data/pg{major}.cat")));
    write(&out_path, &out)?;
    let fixtures = opts
        .fixtures
        .clone()
        .unwrap_or_else(|| PathBuf::from("fdw-catalog/tests/fixtures/builtin"));
    let fixture_path = fixtures.join(format!("pg{major}_signatures.tsv"));
    write(&fixture_path, &fixture)?;
    eprintln!(
        "wrote {} ({} bytes) and {}; extensions: {}; skipped: {}",
        out_path.display(),
        out.len(),
        fixture_path.display(),
        bundled.join(", "),
        if skipped.is_empty() {
            "none".to_owned()
        } else {
            skipped.join(", ")
        }
    );
    Ok(())
}

/// Installs `name` (after what it requires) in a database of its own, so
/// that every object newer than the extension's oid belongs to this
/// `CREATE EXTENSION`, and returns its `%extension` block.
fn extension_block(cluster: &Cluster, tables: &[Table], name: &str) -> anyhow::Result<String> {
    let db = cluster.create_database("ext")?;
    let mut required = Vec::new();
    for req in requirements(cluster, name)? {
        required.push(install(cluster, &db, &req)?);
    }
    let ext = install(cluster, &db, name)?;
    let info = value(
        cluster,
        &db,
        &format!(
            "SELECT concat_ws(E'\\t', e.extversion, CASE WHEN e.extrelocatable THEN 't' ELSE 'f' END,
                    coalesce(v.schema::text, '\\N'), coalesce(array_to_string(v.requires, ','), ''), e.extnamespace)
             FROM pg_extension e JOIN pg_available_extension_versions v
               ON v.name = e.extname AND v.version = e.extversion
             WHERE e.oid = {}",
            ext.oid
        ),
    )?;
    let fields: Vec<&str> = info.split('\t').collect();
    let [version, relocatable, schema, requires, namespace] = fields.as_slice() else {
        bail!("unexpected extension info {info:?}");
    };
    let required_ranges: Vec<String> = required
        .iter()
        .map(|r| format!("{}:{}:{}", r.name, r.oid, r.span))
        .collect();
    let mut block = String::new();
    writeln!(
        block,
        "%extension\tname\tversion\trelocatable\tschema\trequires\toid\tspan\tnamespace\trequired\t|\t{}\t{version}\t{relocatable}\t{schema}\t{requires}\t{}\t{}\t{namespace}\t{}",
        ext.name,
        ext.oid,
        ext.span,
        required_ranges.join(",")
    )?;
    for t in tables
        .iter()
        .filter(|t| EXTENSION_SECTIONS.contains(&t.section))
    {
        let member = format!(
            "CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.{}'::regclass AND d.objid = {}
                    AND d.deptype = 'e' AND d.refobjid = {})
             THEN '+' ELSE '-' END",
            t.class, t.key, ext.oid
        );
        let sql = format!(
            "SELECT {member}, {} FROM pg_catalog.{} x
             WHERE {key} > {oid} AND {key} < {end} ORDER BY {order}",
            t.select,
            t.from,
            key = t.key,
            order = t.order,
            oid = ext.oid,
            end = ext.oid + ext.span,
        );
        let rows = cluster.query(&db, &sql)?;
        if rows.rows.is_empty() {
            continue;
        }
        writeln!(block, "%{}\tmember\t{}", t.section, t.columns)?;
        let raw: Vec<usize> = t.raw.iter().map(|c| c + 1).collect();
        append_rows(&mut block, &rows, &raw);
    }
    Ok(block)
}

/// The extensions `name` requires, transitively, each before its dependents.
fn requirements(cluster: &Cluster, name: &str) -> anyhow::Result<Vec<String>> {
    let mut order = Vec::new();
    let direct = column(
        cluster,
        "postgres",
        &format!(
            "SELECT unnest(requires) FROM pg_available_extension_versions
             WHERE name = {} AND version = (SELECT default_version FROM pg_available_extensions
                                            WHERE name = {0})",
            quote_literal(name)
        ),
    )?;
    for req in direct {
        for r in requirements(cluster, &req)? {
            if !order.contains(&r) {
                order.push(r);
            }
        }
        if !order.contains(&req) {
            order.push(req);
        }
    }
    Ok(order)
}

/// Creates extension `name` in `db` and measures the oids it took: from its
/// own oid up to (excluding) the oid of a schema created right after.
///
/// One statement per call: a failing `CREATE EXTENSION` must not be
/// followed by the probe schema, which would take an oid.
fn install(cluster: &Cluster, db: &str, name: &str) -> anyhow::Result<Installed> {
    let probe = "fdw_gen_probe";
    cluster.exec(db, &format!("CREATE EXTENSION {}", quote_ident(name)))?;
    cluster.exec(db, &format!("CREATE SCHEMA {probe}"))?;
    let res = value(
        cluster,
        db,
        &format!(
            "SELECT (SELECT oid FROM pg_extension WHERE extname = {}) || ' ' ||
                    (SELECT oid FROM pg_namespace WHERE nspname = '{probe}')",
            quote_literal(name),
        ),
    )?;
    cluster.exec(db, &format!("DROP SCHEMA {probe}"))?;
    let (oid, probe_oid) = res
        .split_once(' ')
        .with_context(|| format!("unexpected oids {res:?}"))?;
    let oid: u32 = oid.parse()?;
    let probe_oid: u32 = probe_oid.parse()?;
    Ok(Installed {
        name: name.to_owned(),
        oid,
        span: probe_oid - oid,
    })
}

/// The verification fixture: every operator with its `regoperator` text and
/// every non-aggregate function with its `regprocedure` text.
fn signatures(cluster: &Cluster) -> anyhow::Result<String> {
    let mut out = String::new();
    out.push_str(
        "# kind\toid\tname\tnamespace\tleft or argtypes\tright\tregoperator or regprocedure\n",
    );
    // Escaped like the data file; for these columns (names, oids and
    // signatures without tabs, newlines or backslashes) that is plain text.
    let ops = cluster.query(
        "postgres",
        "SELECT 'o', oid, oprname, oprnamespace, oprleft, oprright, oid::regoperator
         FROM pg_operator ORDER BY 2",
    )?;
    append_rows(&mut out, &ops, &[]);
    let procs = cluster.query(
        "postgres",
        "SELECT 'p', oid, proname, pronamespace, array_to_string(proargtypes::oid[], ' '),
                '', oid::regprocedure
         FROM pg_proc WHERE prokind <> 'a' ORDER BY 2",
    )?;
    append_rows(&mut out, &procs, &[]);
    Ok(out)
}

/// The one value `sql` returns in `db`.
fn value(cluster: &Cluster, db: &str, sql: &str) -> anyhow::Result<String> {
    let rows = cluster.query(db, sql)?;
    match rows.rows.as_slice() {
        [row] => match row.as_slice() {
            [Some(v)] => Ok(v.clone()),
            _ => bail!("expected one non-null value from: {sql}"),
        },
        _ => bail!("expected one row, got {}, from: {sql}", rows.rows.len()),
    }
}

/// The first column of the rows `sql` returns in `db` (NULLs skipped).
fn column(cluster: &Cluster, db: &str, sql: &str) -> anyhow::Result<Vec<String>> {
    let rows = cluster.query(db, sql)?;
    Ok(rows
        .rows
        .into_iter()
        .filter_map(|row| row.into_iter().next().flatten())
        .collect())
}

/// Appends `rows` in the data file's syntax, one line each: fields
/// tab-separated, NULL as `\N`, text escaped. Columns in `raw` are already
/// encoded by the SQL.
fn append_rows(out: &mut String, rows: &psql::Table, raw: &[usize]) {
    for row in &rows.rows {
        for (col, field) in row.iter().enumerate() {
            if col > 0 {
                out.push('\t');
            }
            match field {
                None => out.push_str("\\N"),
                Some(v) if raw.contains(&col) => out.push_str(v),
                Some(v) => escape(out, v),
            }
        }
        out.push('\n');
    }
}

fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
