//! Tests of `timestamptz` text in IANA zones over their whole history:
//! input (local times, including ones in spring-forward gaps and
//! fall-back overlaps) and output (instants from local mean time before a
//! zone's first transition to the POSIX rule far after its last) compared
//! with PostgreSQL 15 under the same `TimeZone`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fdw_catalog::catalog::Catalog;
use fdw_core::Oid;
use fdw_sql::value::{self, Evaluated, ValueSettings};
use fdw_testkit::Oracle;

const TIMESTAMPTZ: Oid = Oid(1184);

/// Session zones and the `timestamptz` literals read and printed in them.
const CASES: &[(&str, &[&str])] = &[
    (
        "America/New_York",
        &[
            // Local mean time (-04:56:02) before the 1883 switch to EST.
            "1850-01-01 00:00",
            "1850-06-01 12:00:00+00",
            "1883-11-18 12:03:57",
            "1883-11-18 12:03:58",
            "1883-11-18 17:00:00+00",
            // 1950: DST from the last Sunday of April to the last of September.
            "1950-04-30 01:59:59",
            "1950-04-30 02:30",
            "1950-04-30 03:00",
            "1950-09-24 00:59:59",
            "1950-09-24 01:30",
            "1950-09-24 02:00",
            "1950-07-01 12:00:00+00",
            // 1974-75: the energy-crisis DST that began in January / February.
            "1974-01-06 02:30",
            "1975-02-23 02:30",
            "1975-01-15 12:00",
            "1975-10-26 01:30",
            // 1990: first Sunday of April to the last of October.
            "1990-04-01 02:30",
            "1990-04-01 03:00",
            "1990-10-28 01:30",
            "1990-10-28 05:30:00+00",
            "1990-10-28 06:30:00+00",
            "1990-10-28 00:59:59.999999",
            // 2006: the last year of those rules; 2007: the present ones.
            "2006-04-02 02:30",
            "2006-04-02 06:59:59+00",
            "2006-04-02 07:00:00+00",
            "2006-10-29 01:30",
            "2006-10-29 05:59:59+00",
            "2006-10-29 06:00:00+00",
            "2007-03-11 02:30",
            "2007-03-11 03:00",
            "2007-11-04 01:30",
            "2007-11-04 02:00",
            "2007-04-01 12:00",
            // Far future, from the POSIX rule.
            "2100-03-14 02:30",
            "2100-11-07 01:30",
            "2100-07-04 12:00:00+00",
            "9999-07-04 12:00:00+00",
            "12345-07-04 12:00",
            "294276-06-01 00:00:00+00",
            "0044-03-15 12:00 BC",
            "4714-11-24 12:00:00+00 BC",
        ],
    ),
    (
        "Europe/London",
        &[
            "1847-11-30 12:00",
            "1847-12-01 12:00",
            // British Standard Time: +01 all year from 1968-10-27 to 1971-10-31.
            "1968-02-18 01:30",
            "1970-01-01 00:00",
            "1970-06-01 00:00",
            "1970-12-31 23:00:00+00",
            "1971-10-31 02:30",
            "1971-12-01 12:00",
            "2020-03-29 01:30",
            "2020-10-25 01:30",
            "2100-06-01 12:00",
        ],
    ),
    (
        "Asia/Kolkata",
        &[
            "1850-01-01 00:00",
            "1900-01-01 00:00",
            "1941-10-01 12:00",
            "1942-09-01 00:00",
            "1944-01-01 00:00",
            "1945-10-15 00:00",
            "1946-01-01 00:00",
            "2020-01-01 00:00",
            "2100-01-01 00:00:00+00",
        ],
    ),
    (
        "Australia/Lord_Howe",
        &[
            // A 30-minute daylight shift: 02:00 -> 02:30 in October.
            "2020-10-04 02:15",
            "2020-10-04 02:30",
            "2021-04-04 01:45",
            "2021-04-04 02:00",
            "1981-03-01 12:00",
            "1985-10-27 02:30",
            "2050-01-01 12:00",
        ],
    ),
    (
        "Pacific/Apia",
        &[
            // Samoa skipped 2011-12-30 when it crossed the date line.
            "2011-12-29 23:59:59",
            "2011-12-30 12:00",
            "2011-12-31 00:00",
            "2011-12-30 09:59:59+00",
            "2011-12-30 10:00:00+00",
            "2011-09-24 03:30",
            "2011-04-02 03:30",
            "1892-07-04 12:00",
            "1892-07-05 12:00",
            "2030-01-01 00:00",
        ],
    ),
    (
        "europe/BERLIN",
        &[
            "1893-03-31 23:59",
            "1893-04-01 00:10",
            "1945-05-24 02:30",
            "1947-04-06 03:30",
            "1980-04-06 02:30",
            "1996-10-27 02:30",
        ],
    ),
    (
        "posix/Asia/Tokyo",
        &["1887-12-31 15:00", "1948-05-01 12:00", "1951-09-08 01:30"],
    ),
    // EST, MST and HST are fixed zones in the server's (Debian) data.
    ("EST", &["1850-01-01 00:00", "2020-07-01 00:00"]),
    ("mst", &["1850-01-01 00:00", "2020-07-01 00:00"]),
    ("HST", &["1850-01-01 00:00", "2020-07-01 00:00"]),
    (
        "EST5EDT",
        &["1850-01-01 00:00", "1950-07-01 00:00", "2020-07-01 00:00"],
    ),
    (
        "CET",
        &["1980-04-06 02:30", "1980-09-28 02:30", "2020-07-01 00:00"],
    ),
    ("Etc/GMT+5", &["1850-01-01 00:00", "2020-07-01 00:00"]),
    (
        "Europe/Moscow",
        &["2011-03-27 02:30", "2014-10-26 01:30", "1919-07-01 00:00"],
    ),
    (
        "UTC",
        &[
            "1850-01-01 00:00 America/New_York",
            "1950-04-30 02:30 America/New_York",
            "2011-12-30 12:00 Pacific/Apia",
            "1970-06-01 00:00 europe/london",
            "1900-01-01 00:00 Asia/Kolkata",
            "2020-01-01 12:00 Japan",
        ],
    ),
];

fn settings(zone: &str) -> ValueSettings {
    ValueSettings {
        time_zone: zone.into(),
        ..ValueSettings::default()
    }
}

/// PostgreSQL's `timestamptz` text of each of `texts` under the oracle's
/// current `TimeZone` and `DateStyle`, in order, one row per text.
fn postgres_timestamptz_text<S: AsRef<str>>(
    oracle: &Oracle,
    texts: &[S],
) -> Vec<Vec<Option<String>>> {
    let array: Vec<String> = texts.iter().map(|t| format!("'{}'", t.as_ref())).collect();
    let query = format!(
        "SELECT v::timestamptz::text FROM unnest(ARRAY[{}]::text[]) WITH ORDINALITY AS u(v, n) \
         ORDER BY n",
        array.join(", ")
    );
    let rows = oracle.rows(&query).unwrap().unwrap().rows;
    assert_eq!(rows.len(), texts.len());
    rows
}

#[test]
fn timestamptz_text_matches_postgres_15_in_iana_zones() {
    let cat = Catalog::new(15).unwrap();
    let mut oracle = Oracle::new(15).unwrap();
    oracle.set("DateStyle", "'ISO, MDY'");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (zone, texts) in CASES {
        oracle.set("TimeZone", &format!("'{zone}'"));
        let rows = postgres_timestamptz_text(&oracle, texts);
        for (text, row) in texts.iter().zip(rows) {
            let want = row[0].clone().unwrap();
            let ours = value::input(&cat, TIMESTAMPTZ, -1, text, &settings(zone));
            match ours {
                Ok(Evaluated::Value(got)) if got == want => checked += 1,
                other => failures.push(format!(
                    "{zone} '{text}': PostgreSQL {want}, ours {other:?}"
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 100, "{checked}");
}

#[test]
fn zone_names_the_server_lacks_are_errors_and_rules_it_differs_on_are_not_evaluated() {
    let cat = Catalog::new(15).unwrap();
    let utc = settings("UTC");
    // PostgreSQL: time zone "Mars/Olympus" not recognized.
    assert!(value::input(&cat, TIMESTAMPTZ, -1, "2020-01-01 Mars/Olympus", &utc).is_err());
    // jiff answers Etc/Unknown; the server has no such zone.
    assert!(value::input(&cat, TIMESTAMPTZ, -1, "2020-01-01 Etc/Unknown", &utc).is_err());
    // The bundled data (2026e) has British Columbia's rules change in
    // November 2026; the server's (2025b) does not.
    let later = value::input(
        &cat,
        TIMESTAMPTZ,
        -1,
        "2027-07-01 12:00",
        &settings("America/Vancouver"),
    )
    .unwrap();
    assert!(matches!(later, Evaluated::NotEvaluable(_)), "{later:?}");
    let earlier = value::input(
        &cat,
        TIMESTAMPTZ,
        -1,
        "2025-07-01 12:00",
        &settings("America/Vancouver"),
    )
    .unwrap();
    assert_eq!(
        earlier,
        Evaluated::Value("2025-07-01 12:00:00-07".to_owned())
    );
    // Leap-second zones exist on the server but are not evaluated.
    let right = value::input(&cat, TIMESTAMPTZ, -1, "2020-01-01", &settings("right/UTC")).unwrap();
    assert!(matches!(right, Evaluated::NotEvaluable(_)), "{right:?}");
}

/// Local times around every offset change of these zones from 1850 to
/// 2040 (an hour, half an hour and a second either side of the wall-clock
/// times before and after it: gaps, overlaps and their edges), read with
/// the zone's name in a UTC session, equal PostgreSQL 15's
/// `DetermineTimeZoneOffset`.
const TRANSITION_ZONES: &[&str] = &[
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/St_Johns",
    "America/Havana",
    "America/Santiago",
    "America/Caracas",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Moscow",
    "Europe/Lisbon",
    "Asia/Jerusalem",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Shanghai",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Africa/Cairo",
    "Africa/Casablanca",
    "Antarctica/Troll",
];

#[test]
fn local_times_around_every_transition_match_postgres_15() {
    use jiff::tz::TimeZoneDatabase;
    use jiff::Timestamp;
    let db = TimeZoneDatabase::bundled();
    let lo = Timestamp::from_second(-3_786_825_600).unwrap(); // 1850
    let hi = 2_208_988_800; // 2040
    let mut texts = Vec::new();
    for zone in TRANSITION_ZONES {
        let tz = db.get(zone).unwrap();
        let mut before = tz.to_offset(lo).seconds();
        for t in tz.following(lo) {
            let at = t.timestamp().as_second();
            if at > hi {
                break;
            }
            let after = t.offset().seconds();
            if after == before {
                continue;
            }
            for wall in [at + i64::from(before), at + i64::from(after)] {
                for d in [-3600, -1800, -1, 0, 1, 1800, 3600] {
                    let local = Timestamp::from_second(wall + d).unwrap();
                    let text = local.strftime("%Y-%m-%d %H:%M:%S").to_string();
                    texts.push(format!("{text} {zone}"));
                }
            }
            before = after;
        }
    }
    let cat = Catalog::new(15).unwrap();
    let mut oracle = Oracle::new(15).unwrap();
    oracle.set("TimeZone", "'UTC'");
    oracle.set("DateStyle", "'ISO, MDY'");
    let rows = postgres_timestamptz_text(&oracle, &texts);
    let utc = settings("UTC");
    let (mut equal, mut not_evaluable) = (0, 0);
    let mut failures = Vec::new();
    for (text, row) in texts.iter().zip(rows) {
        let want = row[0].clone().unwrap();
        match value::input(&cat, TIMESTAMPTZ, -1, text, &utc) {
            Ok(Evaluated::Value(got)) if got == want => equal += 1,
            Ok(Evaluated::NotEvaluable(_)) => not_evaluable += 1,
            other => failures.push(format!("'{text}': PostgreSQL {want}, ours {other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        texts.len(),
        failures.join("\n")
    );
    // Only Casablanca's rules from 2026 differ from the server's data here.
    assert!(
        not_evaluable * 10 < texts.len(),
        "{not_evaluable} not evaluable"
    );
    assert!(equal > 10_000, "{equal} equal");
}

/// The instants a second before, at and after every offset change of the
/// same zones, printed in that session zone, equal PostgreSQL 15's output.
#[test]
fn instants_around_every_transition_print_as_postgres_15() {
    use jiff::tz::TimeZoneDatabase;
    use jiff::Timestamp;
    let db = TimeZoneDatabase::bundled();
    let lo = Timestamp::from_second(-3_786_825_600).unwrap(); // 1850
    let hi = 2_208_988_800; // 2040
    let cat = Catalog::new(15).unwrap();
    let mut oracle = Oracle::new(15).unwrap();
    oracle.set("DateStyle", "'ISO, MDY'");
    let (mut equal, mut not_evaluable) = (0, 0);
    let mut failures = Vec::new();
    for zone in TRANSITION_ZONES {
        let tz = db.get(zone).unwrap();
        let mut texts = Vec::new();
        for t in tz.following(lo) {
            let at = t.timestamp().as_second();
            if at > hi {
                break;
            }
            for d in [-1, 0, 1] {
                let instant = Timestamp::from_second(at + d).unwrap();
                texts.push(format!("{}+00", instant.strftime("%Y-%m-%d %H:%M:%S")));
            }
        }
        oracle.set("TimeZone", &format!("'{zone}'"));
        let rows = postgres_timestamptz_text(&oracle, &texts);
        for (text, row) in texts.iter().zip(rows) {
            let want = row[0].clone().unwrap();
            match value::input(&cat, TIMESTAMPTZ, -1, text, &settings(zone)) {
                Ok(Evaluated::Value(got)) if got == want => equal += 1,
                Ok(Evaluated::NotEvaluable(_)) => not_evaluable += 1,
                other => failures.push(format!(
                    "{zone} '{text}': PostgreSQL {want}, ours {other:?}"
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(not_evaluable < 100, "{not_evaluable} not evaluable");
    assert!(equal > 10_000, "{equal} equal");
}
