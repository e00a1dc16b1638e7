//! Criterion benchmarks for fdw live in `benches/benches/`; this library is
//! empty and exists only so the package has a target.
