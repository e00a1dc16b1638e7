//! Query generators (owned by the generator work, issue #3 item 5).
