//! Catalog benchmarks: the cold parse of an embedded built-in catalog, which
//! every process pays once on first use (budget: under 5 ms).

#![allow(
    missing_docs,
    reason = "criterion_group! generates undocumented functions"
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use fdw_catalog::BuiltinCatalog;

fn parse_builtin(c: &mut Criterion) {
    for major in BuiltinCatalog::bundled_majors() {
        c.bench_function(&format!("builtin_catalog_parse_pg{major}"), |b| {
            // `parse` bypasses the process-wide cache, so every iteration
            // reads the whole embedded file and builds all indexes.
            b.iter(|| BuiltinCatalog::parse(black_box(major)))
        });
    }
}

criterion_group!(benches, parse_builtin);
criterion_main!(benches);
