//! Runs after the kit's other test binaries (cargo runs integration tests
//! in name order): no postgres process started by the kit may outlive the
//! test process that started it.
//!
//! Servers whose owning test process still runs (a parallel run elsewhere)
//! are not leftovers; a server whose owner has exited gets a grace period
//! for its supervisor's immediate shutdown.

use std::time::{Duration, Instant};

use fdw_testkit::cluster::leftover_servers;

#[test]
fn no_server_outlives_its_test_process() {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let leftovers = match leftover_servers() {
            Ok(found) => found,
            Err(err) => panic!("cannot list processes: {err:#}"),
        };
        if leftovers.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "postgres processes of the test kit outlived their test process: {leftovers:#?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
