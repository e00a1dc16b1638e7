//! Catalog benchmarks (filled by the built-in catalog work).

#![allow(missing_docs, reason = "criterion_group! generates undocumented functions")]

use criterion::{criterion_group, criterion_main, Criterion};

fn placeholder(_c: &mut Criterion) {}

criterion_group!(benches, placeholder);
criterion_main!(benches);
