//! Tests of the built-in catalogs: the embedded PostgreSQL 15 data checked
//! row by row against the signature fixture the generator wrote from the
//! live server, lookups, and extension instantiation.
#![allow(
    clippy::expect_used,
    reason = "helpers shared by the tests fail the test when a fixture is broken"
)]

use std::collections::BTreeSet;

use fdw_catalog::builtin::{
    btree_strategy, CastContext, CastMethod, ExtensionObjects, OperatorKind, ProcKind,
    PG_CATALOG_NAMESPACE, PUBLIC_NAMESPACE,
};
use fdw_catalog::{BuiltinCatalog, Error};
use fdw_core::Oid;

const PG15_SIGNATURES: &str = include_str!("fixtures/builtin/pg15_signatures.tsv");

fn pg15() -> &'static BuiltinCatalog {
    BuiltinCatalog::for_major(15).expect("the PostgreSQL 15 catalog loads")
}

/// One fixture row: `o` (operator) or `p` (function).
struct SigRow<'a> {
    kind: &'a str,
    oid: Oid,
    name: &'a str,
    namespace: Oid,
    /// Operator: left type; function: argument types.
    args: Vec<Oid>,
    /// Operator only: right type.
    right: Oid,
    /// `oid::regoperator` or `oid::regprocedure`.
    text: &'a str,
}

fn oid(s: &str) -> Oid {
    Oid(s.parse().expect("an oid"))
}

fn signature_rows() -> Vec<SigRow<'static>> {
    PG15_SIGNATURES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 7, "fixture line {line:?}");
            SigRow {
                kind: f[0],
                oid: oid(f[1]),
                name: f[2],
                namespace: oid(f[3]),
                args: f[4].split(' ').filter(|s| !s.is_empty()).map(oid).collect(),
                right: if f[5].is_empty() { Oid(0) } else { oid(f[5]) },
                text: f[6],
            }
        })
        .collect()
}

/// Looks a fixture row up by name and argument types, as the catalog
/// would be asked by name resolution; returns the oid found.
fn lookup(
    cat: &BuiltinCatalog,
    row: &SigRow<'_>,
    namespace: Oid,
    name: &str,
    args: &[Oid],
) -> Option<Oid> {
    match row.kind {
        "o" => {
            let (left, right) = match args {
                [l, r] => (*l, *r),
                _ => return None,
            };
            cat.operator_by_signature(namespace, name, left, right)
                .map(|o| o.oid)
        }
        _ => cat.proc_by_signature(namespace, name, args).map(|p| p.oid),
    }
}

#[test]
fn every_operator_and_function_resolves_by_signature() {
    let cat = pg15();
    let rows = signature_rows();
    let n_ops = rows.iter().filter(|r| r.kind == "o").count();
    let n_procs = rows.iter().filter(|r| r.kind == "p").count();
    assert!(n_ops > 700, "only {n_ops} operators in the fixture");
    assert!(n_procs > 2900, "only {n_procs} functions in the fixture");
    let mut mismatches = Vec::new();
    for row in &rows {
        let args = if row.kind == "o" {
            vec![row.args.first().copied().unwrap_or(Oid(0)), row.right]
        } else {
            row.args.clone()
        };
        let found = lookup(cat, row, row.namespace, row.name, &args);
        if found != Some(row.oid) {
            mismatches.push(format!("{} {}: found {found:?}", row.oid, row.text));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn every_regprocedure_and_regoperator_text_resolves_through_type_names() {
    let cat = pg15();
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for row in signature_rows() {
        let Some((head, args)) = row.text.strip_suffix(')').and_then(|t| t.rsplit_once('(')) else {
            mismatches.push(format!("{}: unparsable {:?}", row.oid, row.text));
            continue;
        };
        let (namespace, name) = match split_qualified(head) {
            (Some(schema), name) => match cat.namespace_by_name(&schema) {
                Some(ns) => (ns.oid, name),
                None => {
                    mismatches.push(format!("{}: unknown schema in {:?}", row.oid, row.text));
                    continue;
                }
            },
            // Unqualified means visible on the default search_path, which
            // for everything in a fresh database is pg_catalog or public.
            (None, name) => (row.namespace, name),
        };
        if row.kind == "p" && namespace != row.namespace {
            mismatches.push(format!("{}: {:?} names another schema", row.oid, row.text));
            continue;
        }
        let mut arg_oids = Vec::new();
        let mut bad = None;
        for arg in args.split(',').filter(|a| !a.is_empty()) {
            match resolve_type_name(cat, arg) {
                Some(t) => arg_oids.push(t),
                None => bad = Some(arg.to_owned()),
            }
        }
        if let Some(arg) = bad {
            mismatches.push(format!("{} {}: type {arg:?} not found", row.oid, row.text));
            continue;
        }
        let found = lookup(cat, &row, namespace, &name, &arg_oids);
        if found != Some(row.oid) {
            mismatches.push(format!("{} {}: found {found:?}", row.oid, row.text));
        }
        checked += 1;
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(checked > 3600, "only {checked} rows checked");
}

/// Splits `schema.name` (either part possibly double-quoted) as the
/// reg* output functions print it.
fn split_qualified(s: &str) -> (Option<String>, String) {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            '"' => quoted = !quoted,
            // Operator names contain dots never; a dot outside quotes
            // between identifiers separates schema and name.
            '.' if !quoted
                && !cur.is_empty()
                && cur.chars().all(|c| c.is_alphanumeric() || c == '_')
                && chars
                    .peek()
                    .is_some_and(|n| n.is_alphanumeric() || *n == '_' || *n == '"') =>
            {
                parts.push(std::mem::take(&mut cur));
            }
            c => cur.push(c),
        }
    }
    parts.push(cur);
    match parts.as_slice() {
        [schema, name] => (Some(schema.clone()), name.clone()),
        _ => (None, parts.concat()),
    }
}

/// Resolves a `format_type` spelling (`integer`, `character varying`,
/// `text[]`, `"char"`, `information_schema.sql_identifier`, `NONE`) to a
/// type oid through the embedded `pg_type`.
fn resolve_type_name(cat: &BuiltinCatalog, spelled: &str) -> Option<Oid> {
    if spelled == "NONE" {
        return Some(Oid(0));
    }
    if let Some(elem) = spelled.strip_suffix("[]") {
        let elem = cat.type_info(resolve_type_name(cat, elem)?)?;
        return Some(elem.array);
    }
    let sql_name = match spelled {
        "integer" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        "double precision" => "float8",
        "boolean" => "bool",
        "character varying" => "varchar",
        "character" => "bpchar",
        "bit varying" => "varbit",
        "time without time zone" => "time",
        "time with time zone" => "timetz",
        "timestamp without time zone" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        other => other,
    };
    let (schema, name) = split_qualified(sql_name);
    let namespace = match schema {
        Some(s) => cat.namespace_by_name(&s)?.oid,
        None => PG_CATALOG_NAMESPACE,
    };
    cat.type_by_name(namespace, &name).map(|t| t.oid)
}

#[test]
fn unsupported_major_is_an_error() {
    match BuiltinCatalog::for_major(12) {
        Err(Error::UnsupportedVersion { major, available }) => {
            assert_eq!(major, 12);
            assert!(available.contains("15"));
        }
        other => panic!("expected UnsupportedVersion, got {other:?}"),
    }
    assert!(matches!(
        BuiltinCatalog::parse(99),
        Err(Error::UnsupportedVersion { major: 99, .. })
    ));
}

#[test]
fn loads_pg15_with_its_version() {
    let cat = pg15();
    assert_eq!(cat.major(), 15);
    assert_eq!(cat.version_num() / 10_000, 15);
    assert!(std::ptr::eq(cat, pg15()), "loaded once and shared");
    assert_eq!(
        cat.namespace_by_name("pg_catalog").map(|n| n.oid),
        Some(PG_CATALOG_NAMESPACE)
    );
    assert_eq!(
        cat.namespace_by_name("public").map(|n| n.oid),
        Some(PUBLIC_NAMESPACE)
    );
    assert_eq!(
        cat.namespace(Oid(11)).map(|n| n.name.as_str()),
        Some("pg_catalog")
    );
    assert!(cat.namespace_by_name("information_schema").is_some());
}

#[test]
fn finds_types_and_true_arrays() {
    let cat = pg15();
    let int4 = cat
        .type_by_name(PG_CATALOG_NAMESPACE, "int4")
        .expect("int4");
    assert_eq!(
        (int4.oid, int4.len, int4.by_value, int4.category),
        (Oid(23), 4, true, 'N')
    );
    let int4_array = cat.type_info(int4.array).expect("_int4");
    assert_eq!(int4_array.name, "_int4");
    assert!(int4_array.is_true_array());
    assert_eq!(int4_array.elem, int4.oid);
    for not_array in ["name", "int2vector", "oidvector", "point", "int4"] {
        let ty = cat
            .type_by_name(PG_CATALOG_NAMESPACE, not_array)
            .expect(not_array);
        assert!(!ty.is_true_array(), "{not_array} is not a true array");
    }
    let text = cat.type_info(Oid(25)).expect("text");
    assert_eq!(text.collation, Oid(100));
    assert!(cat.type_by_name(PUBLIC_NAMESPACE, "int4").is_none());
}

#[test]
fn finds_functions_operators_and_overloads() {
    let cat = pg15();
    let int4pl = cat
        .proc_by_signature(PG_CATALOG_NAMESPACE, "int4pl", &[Oid(23), Oid(23)])
        .expect("int4pl");
    assert_eq!((int4pl.oid, int4pl.return_type), (Oid(177), Oid(23)));
    let overloads = cat.procs_by_name(PG_CATALOG_NAMESPACE, "abs");
    assert!(overloads.len() >= 6, "abs has an overload per numeric type");
    assert!(overloads.iter().all(|p| p.name == "abs"));
    let now = cat.procs_by_name(PG_CATALOG_NAMESPACE, "now");
    assert_eq!(now.len(), 1);
    assert_ne!(
        now[0].volatility,
        fdw_catalog::builtin::Volatility::Immutable
    );
    let count = cat
        .proc_by_signature(PG_CATALOG_NAMESPACE, "count", &[])
        .expect("count(*)");
    assert_eq!(count.kind, ProcKind::Aggregate);
    let agg = cat.aggregate(count.oid).expect("count's pg_aggregate row");
    assert_eq!(agg.transtype, Oid(20));

    let plus = cat
        .operator_by_signature(PG_CATALOG_NAMESPACE, "+", Oid(23), Oid(23))
        .expect("int4 + int4");
    assert_eq!(plus.code, int4pl.oid);
    assert_eq!(cat.operator(plus.oid).map(|o| o.oid), Some(plus.oid));
    let neg = cat
        .operator_by_signature(PG_CATALOG_NAMESPACE, "-", Oid(0), Oid(23))
        .expect("prefix -");
    assert_eq!(neg.kind, OperatorKind::Prefix);
    let eqs = cat.operators_by_name("=");
    assert!(eqs.len() > 50);
    assert!(eqs.iter().all(|o| o.name == "="));
    let eq = cat
        .operator_by_signature(PG_CATALOG_NAMESPACE, "=", Oid(23), Oid(23))
        .expect("int4 = int4");
    assert_eq!(eq.oid, Oid(96));
    assert_eq!(eq.commutator, eq.oid);
    assert!(eq.can_hash && eq.can_merge);
}

#[test]
fn finds_casts_collations_and_btree_families() {
    let cat = pg15();
    let cast = cat.cast(Oid(23), Oid(20)).expect("int4 -> int8");
    assert_eq!(
        (cast.context, cast.method),
        (CastContext::Implicit, CastMethod::Function)
    );
    let cast = cat.cast(Oid(1043), Oid(25)).expect("varchar -> text");
    assert_eq!(cast.method, CastMethod::Binary);
    assert!(cat.cast(Oid(25), Oid(23)).is_none());

    assert_eq!(
        cat.collation_by_name(PG_CATALOG_NAMESPACE, "C")
            .map(|c| c.oid),
        Some(Oid(950))
    );
    assert_eq!(
        cat.collation_by_name(PG_CATALOG_NAMESPACE, "default")
            .map(|c| c.oid),
        Some(Oid(100))
    );
    assert_eq!(
        cat.collation(Oid(951)).map(|c| c.name.as_str()),
        Some("POSIX")
    );

    let int4_family = cat.default_btree_opfamily(Oid(23)).expect("integer_ops");
    assert_eq!(int4_family.name, "integer_ops");
    let eq = cat
        .amop(int4_family.oid, Oid(23), Oid(23), btree_strategy::EQUAL)
        .expect("int4 = in integer_ops");
    assert_eq!(eq.operator, Oid(96));
    let lt = cat
        .amop(int4_family.oid, Oid(23), Oid(20), btree_strategy::LESS)
        .expect("int4 < int8");
    assert_eq!(
        cat.operator(lt.operator).map(|o| o.name.as_str()),
        Some("<")
    );
    assert!(cat
        .amops_of_operator(Oid(96))
        .any(|a| a.family == int4_family.oid));
    // varchar has no opclass of its own: binary coercible to text.
    assert_eq!(
        cat.default_btree_opclass(Oid(1043))
            .map(|c| c.name.as_str()),
        Some("text_ops")
    );
    // int4[] uses the polymorphic array_ops.
    assert_eq!(
        cat.default_btree_opclass(Oid(1007))
            .map(|c| c.name.as_str()),
        Some("array_ops")
    );
    assert!(
        cat.default_btree_opclass(Oid(2281)).is_none(),
        "internal has no btree opclass"
    );
}

fn cube_instance(next_oid: &mut u32) -> ExtensionObjects {
    pg15()
        .extension_template("cube")
        .expect("cube is bundled")
        .instantiate(PUBLIC_NAMESPACE, next_oid)
}

#[test]
fn bundles_the_contrib_extensions() {
    let cat = pg15();
    for name in [
        "cube",
        "hstore",
        "citext",
        "pg_trgm",
        "ltree",
        "intarray",
        "isn",
        "seg",
        "btree_gist",
        "btree_gin",
        "fuzzystrmatch",
        "unaccent",
        "tablefunc",
        "uuid-ossp",
        "earthdistance",
        "pgcrypto",
        "postgres_fdw",
        "dblink",
    ] {
        let ext = cat
            .extension_template(name)
            .unwrap_or_else(|| panic!("{name} is bundled"));
        assert!(!ext.default_version.is_empty());
        assert!(ext.oid_span() > 0);
    }
    let earth = cat
        .extension_template("earthdistance")
        .expect("earthdistance");
    assert_eq!(earth.requires, vec!["cube".to_owned()]);
    assert!(
        cat.extension_template("plpgsql").is_none(),
        "plpgsql is part of the built-in catalog"
    );
    assert!(cat.extension_template("no_such_extension").is_none());
}

#[test]
fn instantiates_cube_with_fresh_oids() {
    let cat = pg15();
    let schema = Oid(16_500);
    let mut next_oid = 16_384;
    let template = cat.extension_template("cube").expect("cube");
    let cube = template.instantiate(schema, &mut next_oid);
    assert_eq!(cube.extension_oid, Oid(16_384));
    assert_eq!(next_oid, 16_384 + template.oid_span());
    let cube_type = cube
        .types
        .iter()
        .find(|t| t.name == "cube")
        .expect("type cube");
    let cube_array = cube
        .types
        .iter()
        .find(|t| t.name == "_cube")
        .expect("type _cube");
    assert_eq!(cube_type.namespace, schema);
    assert_eq!(cube_type.array, cube_array.oid);
    assert_eq!(cube_array.elem, cube_type.oid);
    assert!(cube_type.oid.0 > 16_384 && cube_type.oid.0 < next_oid);
    // The oids a fresh PostgreSQL 15.x cluster assigns to
    // `CREATE EXTENSION cube; CREATE EXTENSION earthdistance;` run first in
    // database `postgres` (checked by hand against a live server).
    assert_eq!((cube_type.oid, cube_array.oid), (Oid(16_385), Oid(16_390)));
    assert!(cube.is_member(cube_type.oid));
    assert!(
        !cube.is_member(cube_array.oid),
        "array types are not members"
    );
    assert!(cube.contains(cube_array.oid));

    let contains = cube
        .operators
        .iter()
        .find(|o| o.name == "@>" && o.left == cube_type.oid && o.right == cube_type.oid)
        .expect("cube @> cube");
    assert_eq!(contains.oid, Oid(16_427));
    assert_eq!(contains.result, Oid(16));
    assert!(cube.is_member(contains.oid));
    let code = cube
        .procs
        .iter()
        .find(|p| p.oid == contains.code)
        .expect("@>'s function is in cube");
    assert_eq!(code.name, "cube_contains");
    let commutator = cube
        .operators
        .iter()
        .find(|o| o.oid == contains.commutator)
        .expect("commutator");
    assert_eq!(commutator.name, "<@");

    let ctor = cube
        .procs
        .iter()
        .find(|p| p.name == "cube" && p.arg_types == [Oid(701)])
        .expect("cube(double precision)");
    assert_eq!(ctor.return_type, cube_type.oid);
    assert_eq!(ctor.namespace, schema);

    // A second instance gets other oids; the template is untouched.
    let again = cube_instance(&mut next_oid);
    assert_eq!(again.extension_oid.0, 16_384 + template.oid_span());
    assert!(again.types.iter().all(|t| !cube.contains(t.oid)));
}

#[test]
fn instantiates_earthdistance_onto_its_cube() {
    let cat = pg15();
    let mut next_oid = 16_384;
    let cube = cube_instance(&mut next_oid);
    let earth = cat
        .extension_template("earthdistance")
        .expect("earthdistance")
        .instantiate_with(PUBLIC_NAMESPACE, &mut next_oid, &[&cube]);
    let earth_type = earth
        .types
        .iter()
        .find(|t| t.name == "earth")
        .expect("domain earth");
    let cube_type = cube.types.iter().find(|t| t.name == "cube").expect("cube");
    assert_eq!(earth_type.base_type, cube_type.oid);
    // As in a fresh cluster after `CREATE EXTENSION cube; CREATE EXTENSION earthdistance;`.
    assert_eq!(
        (earth.extension_oid, earth_type.oid),
        (Oid(16_473), Oid(16_476))
    );
    assert!(earth.extension_oid > cube.extension_oid);
    let distance = earth
        .procs
        .iter()
        .find(|p| p.name == "earth_distance")
        .expect("earth_distance");
    assert_eq!(distance.arg_types, vec![earth_type.oid, earth_type.oid]);
}

#[test]
fn instances_have_no_dangling_references() {
    let cat = pg15();
    let mut next_oid = 16_384;
    let mut problems = Vec::new();
    let mut instances: Vec<ExtensionObjects> = Vec::new();
    for template in cat.extension_templates().expect("all templates parse") {
        let required: Vec<&ExtensionObjects> = instances
            .iter()
            .filter(|i| template.requires.contains(&i.name))
            .collect();
        assert_eq!(
            required.len(),
            template.requires.len(),
            "{} requires {:?}",
            template.name,
            template.requires
        );
        let start = next_oid;
        let inst = template.instantiate_with(PUBLIC_NAMESPACE, &mut next_oid, &required);
        let mut known: BTreeSet<Oid> = BTreeSet::new();
        for i in instances.iter().chain([&inst]) {
            known.extend(i.types.iter().map(|t| t.oid));
            known.extend(i.procs.iter().map(|p| p.oid));
            known.extend(i.operators.iter().map(|o| o.oid));
            known.extend(i.opfamilies.iter().map(|f| f.oid));
        }
        let mut check = |what: &str, oid: Oid, exists_builtin: bool| {
            if oid.is_invalid() {
                return;
            }
            let ok = if oid.0 >= 16_384 {
                known.contains(&oid)
            } else {
                exists_builtin
            };
            if !ok {
                problems.push(format!("{}: {what} {oid} dangles", template.name));
            }
        };
        let ty = |o: Oid| cat.type_info(o).is_some();
        let pr = |o: Oid| cat.proc(o).is_some();
        let op = |o: Oid| cat.operator(o).is_some();
        for t in &inst.types {
            if t.oid.0 < start || t.oid.0 >= next_oid {
                check("type outside its oid range", t.oid, false);
            }
            check("typelem", t.elem, ty(t.elem));
            check("typarray", t.array, ty(t.array));
            check("typbasetype", t.base_type, ty(t.base_type));
            check("typinput", t.input, pr(t.input));
            check("typoutput", t.output, pr(t.output));
            check("typsubscript", t.subscript, pr(t.subscript));
        }
        for p in &inst.procs {
            check("prorettype", p.return_type, ty(p.return_type));
            for &a in p.arg_types.iter().chain(&p.all_arg_types) {
                check("argument type", a, ty(a));
            }
        }
        for o in &inst.operators {
            check("oprleft", o.left, ty(o.left));
            check("oprright", o.right, ty(o.right));
            check("oprresult", o.result, ty(o.result));
            check("oprcode", o.code, pr(o.code));
            check("oprcom", o.commutator, op(o.commutator));
            check("oprnegate", o.negator, op(o.negator));
            check("oprrest", o.restrict, pr(o.restrict));
        }
        for c in &inst.casts {
            check("castsource", c.source, ty(c.source));
            check("casttarget", c.target, ty(c.target));
            check("castfunc", c.func, pr(c.func));
        }
        for a in &inst.aggregates {
            check("aggfnoid", a.fnoid, pr(a.fnoid));
            check("aggtransfn", a.transfn, pr(a.transfn));
            check("aggfinalfn", a.finalfn, pr(a.finalfn));
            check("aggtranstype", a.transtype, ty(a.transtype));
            check("aggsortop", a.sortop, op(a.sortop));
        }
        for c in &inst.opclasses {
            check("opcfamily", c.family, cat.opfamily(c.family).is_some());
            check("opcintype", c.input_type, ty(c.input_type));
            check("opckeytype", c.key_type, ty(c.key_type));
        }
        for a in &inst.amops {
            check("amopfamily", a.family, cat.opfamily(a.family).is_some());
            check("amopopr", a.operator, op(a.operator));
            check("amoplefttype", a.left, ty(a.left));
        }
        instances.push(inst);
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(instances.len() >= 18);
}
