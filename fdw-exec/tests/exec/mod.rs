//! Test modules and their shared setup.

mod common;
mod faults;
mod restart;
mod scans;
mod session;
mod tls;
mod xact;
