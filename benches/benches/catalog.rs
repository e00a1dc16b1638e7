//! Catalog benchmarks: the cold parse of an embedded built-in catalog, which
//! every process pays once on first use (budget: under 5 ms), and the
//! unified oid lookups the SQL front end makes for every operator, function
//! and type it resolves.

#![allow(
    missing_docs,
    reason = "criterion_group! generates undocumented functions"
)]
#![allow(
    clippy::expect_used,
    reason = "a benchmark whose catalog cannot be built has nothing to measure"
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use fdw_catalog::catalog::FunctionDef;
use fdw_catalog::{BuiltinCatalog, Catalog};

// The allocator the `fdw` binary uses (fdw-cli's main.rs), so that the
// figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn parse_builtin(c: &mut Criterion) {
    for major in BuiltinCatalog::bundled_majors() {
        c.bench_function(&format!("builtin_catalog_parse_pg{major}"), |b| {
            // `parse` bypasses the process-wide cache, so every iteration
            // reads the whole embedded file and builds all indexes.
            b.iter(|| BuiltinCatalog::parse(black_box(major)))
        });
    }
}

/// `Catalog::proc_info` and `Catalog::type_info` of one built-in, one
/// extension and one user oid, on a PostgreSQL 15 catalog with `cube` and
/// `hstore` created (in that order) and one user function and enum type.
/// The extension oids are `hstore`'s last function and type: the objects a
/// scan over the extensions' lists in oid order reaches last.
fn unified_lookups(c: &mut Criterion) {
    let mut cat = Catalog::new(15).expect("the PostgreSQL 15 catalog loads");
    cat.create_extension("cube", None, false)
        .expect("cube is bundled");
    let hstore = cat
        .create_extension("hstore", None, false)
        .expect("hstore is bundled");
    let int4 = cat
        .resolve_type(Some("pg_catalog"), "int4")
        .expect("int4 is built in");
    let int4pl = cat
        .resolve_function(Some("pg_catalog"), "int4pl", &[int4, int4])
        .expect("int4pl is built in");
    let user_proc = cat
        .create_function(&FunctionDef::new("bench_f", &[int4], int4))
        .expect("a new function");
    let user_type = cat
        .create_enum_type(None, "bench_mood", &["sad", "happy"])
        .expect("a new enum type");
    let objs = cat.extension_objects(hstore).expect("hstore's objects");
    let ext_proc = objs.procs.last().expect("hstore has functions").oid;
    let ext_type = objs.types.last().expect("hstore has types").oid;

    let procs = [
        ("builtin", int4pl),
        ("extension", ext_proc),
        ("user", user_proc),
    ];
    for (origin, oid) in procs {
        assert!(cat.proc_info(oid).is_some(), "proc {oid} ({origin})");
        c.bench_function(&format!("catalog_proc_info_{origin}"), |b| {
            b.iter(|| cat.proc_info(black_box(oid)).is_some())
        });
    }
    let types = [
        ("builtin", int4),
        ("extension", ext_type),
        ("user", user_type),
    ];
    for (origin, oid) in types {
        assert!(cat.type_info(oid).is_some(), "type {oid} ({origin})");
        c.bench_function(&format!("catalog_type_info_{origin}"), |b| {
            b.iter(|| cat.type_info(black_box(oid)).is_some())
        });
    }
}

criterion_group!(benches, parse_builtin, unified_lookups);
criterion_main!(benches);
