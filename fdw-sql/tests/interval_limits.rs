//! `interval` input at the edges of PostgreSQL 15's range: each unit's
//! largest accepted and smallest rejected value (hours, minutes, seconds,
//! microseconds, days, months, years and `hh:mm:ss` times up to the int64
//! microsecond limit), compared with the server's value or error message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fdw_catalog::catalog::Catalog;
use fdw_core::Oid;
use fdw_sql::value::{self, Evaluated, ValueSettings};
use fdw_testkit::Oracle;

const INTERVAL: Oid = Oid(1186);

const CASES: &[&str] = &[
    "3000000 hours",
    "2562047788 hours",
    "2562047789 hours",
    "-2562047788 hours",
    "-2562047789 hours",
    "2562047788.1 hours",
    "2562047787.9 hours",
    "2562047788 hours 1 hour",
    "2562047788 hours -1 hour",
    "153722867280 minutes",
    "153722867281 minutes",
    "-153722867280 minutes",
    "-153722867281 minutes",
    "153722867280.9 minutes",
    "9223372036854 seconds",
    "9223372036855 seconds",
    "-9223372036854 seconds",
    "-9223372036855 seconds",
    "9223372036854.775807 seconds",
    "9223372036854.775808 seconds",
    "-9223372036854.775808 seconds",
    "-9223372036854.775809 seconds",
    "9223372036854775807 microseconds",
    "9223372036854775808 microseconds",
    "-9223372036854775808 microseconds",
    "9223372036854775 milliseconds",
    "9223372036854776 milliseconds",
    "1 day 2562047788:00:54.775807",
    "1 day 2562047788:00:54.775808",
    "2562047788:00:54.775807",
    "2562047788:00:54.775808",
    "2562047788:00:55",
    "2562047789:00:00",
    "-2562047788:00:54.775807",
    "-2562047788:00:54.775808",
    "1 day -2562047788:00:54.775807",
    "2562047788:00",
    "2562047789:00",
    "3000000:00:00",
    "-3000000:00:00",
    "2147483647 days",
    "2147483648 days",
    "-2147483648 days",
    "-2147483649 days",
    "2147483647 days 1 day",
    "306783378 weeks",
    "306783379 weeks",
    "2147483647 months",
    "2147483648 months",
    "178956970 years 7 months",
    "178956970 years 8 months",
    "178956971 years",
    "P2562047788H",
    "PT2562047788H",
    "PT2562047789H",
    "PT9223372036854.775807S",
    "PT9223372036854.775808S",
    "@ 2562047788 hours ago",
    "2562047788 hours ago",
    "-2562047788 hours ago",
];

#[test]
fn interval_input_limits_match_postgres_15() {
    let cat = Catalog::new(15).unwrap();
    let settings = ValueSettings::default();
    let oracle = Oracle::new(15).unwrap();
    let mut failures = Vec::new();
    for text in CASES {
        let want = match oracle.rows(&format!("SELECT '{text}'::interval")).unwrap() {
            Ok(rows) => Ok(rows.rows[0][0].clone().unwrap()),
            Err(err) => Err((err.sqlstate, err.message)),
        };
        let ours = value::input(&cat, INTERVAL, -1, text, &settings);
        let same = match (&want, &ours) {
            (Ok(w), Ok(Evaluated::Value(o))) => w == o,
            (Err((state, msg)), Err(o)) => {
                *state == o.sqlstate().to_string() && *msg == o.to_string()
            }
            _ => false,
        };
        if !same {
            failures.push(format!("'{text}': PostgreSQL {want:?}, ours {ours:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
