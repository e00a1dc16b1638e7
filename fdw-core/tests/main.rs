//! Integration tests of fdw-core: realistic trees from postgres_fdw's
//! regression schema (spec §6.1), built through the public API only.
//! One binary; the cases live in `cases/` so cargo does not build each file
//! as a test binary of its own.

mod cases;
