//! Test modules and their shared setup.

mod common;
mod faults;
mod scans;
mod session;
mod xact;
