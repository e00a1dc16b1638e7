//! What the CLI's integration tests share: running the `fdw` binary the
//! way a user does, from the crate's directory.
#![allow(dead_code, reason = "each test binary uses a part of these helpers")]
#![allow(clippy::expect_used, reason = "test helpers fail loudly")]

use std::process::Command;

/// Runs `fdw` with `args` and extra environment variables; returns (exit
/// status, stdout, stderr).
pub(crate) fn fdw_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fdw"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run fdw");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// Runs `fdw` with `args`; returns (exit status, stdout, stderr).
pub(crate) fn fdw(args: &[&str]) -> (i32, String, String) {
    fdw_env(args, &[])
}
