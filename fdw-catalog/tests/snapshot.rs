//! Tests of the snapshot area: the JSON format's version and field-path
//! errors, and a property that any catalog built through the API reads
//! back equal and writes back byte-identical.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail the test by unwrapping, as #[test] functions may"
)]

use fdw_catalog::catalog::{Catalog, DomainDef, MappingUserSpec, RelationDef, ServerDef};
use fdw_catalog::objects::{CheckOption, ColumnDef, RelationKind, ViewDef};
use fdw_catalog::options::OptionChange;
use fdw_catalog::stats::{ColumnStats, RelationStats};
use fdw_core::{AttrNumber, Oid};
use proptest::prelude::*;

const INT4: Oid = Oid(23);
const TEXT: Oid = Oid(25);

/// The one helper: the outcome of reading `json`, as the error text or `ok`.
fn check(json: &str, expected: &str) {
    match Catalog::from_snapshot_json(json) {
        Ok(_) => assert_eq!("ok", expected),
        Err(e) => assert_eq!(e.to_string(), expected),
    }
}

fn sample() -> Catalog {
    let mut cat = Catalog::new(15).unwrap();
    cat.create_extension("postgres_fdw", None, false).unwrap();
    cat.create_extension("cube", None, false).unwrap();
    cat.create_server(&ServerDef::postgres_fdw(
        "loopback",
        &[("dbname", "postgres"), ("extensions", "cube")],
    ))
    .unwrap();
    cat.create_user_mapping(
        &MappingUserSpec::Public,
        "loopback",
        &[
            ("user".into(), "u".into()),
            ("password".into(), "sekrit".into()),
        ],
        false,
    )
    .unwrap();
    let mut col = ColumnDef::new("c1", INT4);
    col.options = vec![("column_name".into(), "C 1".into())];
    let ft = cat
        .create_relation(&RelationDef::foreign_table(
            "ft1",
            vec![col, ColumnDef::new("c2", TEXT)],
            "loopback",
            &[("schema_name", "S 1"), ("table_name", "T 1")],
        ))
        .unwrap();
    cat.set_relation_stats(
        ft,
        RelationStats {
            reltuples: 1000.0,
            relpages: 10,
            relallvisible: 0,
        },
    )
    .unwrap();
    cat.set_column_stats(
        ft,
        AttrNumber(1),
        ColumnStats {
            null_frac: 0.25,
            avg_width: 4,
            n_distinct: -1.0,
            most_common_vals: vec!["1".into()],
            most_common_freqs: vec![0.1],
            histogram_bounds: vec!["0".into(), "50".into()],
            correlation: Some(0.5),
            ..ColumnStats::default()
        },
    )
    .unwrap();
    cat.set_setting("work_mem", "64MB").unwrap();
    cat
}

/// `sample` with element statistics on its second column, as `ANALYZE`
/// leaves them for an array column.
fn sample_with_element_stats() -> Catalog {
    let mut cat = sample();
    let ft = cat.resolve_relation(None, "ft1").unwrap().oid;
    cat.set_column_stats(
        ft,
        AttrNumber(2),
        ColumnStats {
            avg_width: 29,
            n_distinct: -0.5,
            most_common_elems: vec!["0".into(), "1".into(), "2".into()],
            most_common_elem_freqs: vec![0.3, 0.26, 0.2, 0.2, 0.3, 0.0],
            elem_count_histogram: vec![1.0, 2.0, 2.0, 1.75],
            ..ColumnStats::default()
        },
    )
    .unwrap();
    cat
}

#[test]
fn element_statistics_round_trip() {
    let cat = sample_with_element_stats();
    let json = cat.to_snapshot_json().unwrap();
    assert!(json.contains("\"most_common_elems\": [\n"));
    assert!(json.contains("\"elem_count_histogram\": [\n"));
    let back = Catalog::from_snapshot_json(&json).unwrap();
    assert_eq!(back, cat);
    assert_eq!(back.to_snapshot_json().unwrap(), json);
    let ft = back.resolve_relation(None, "ft1").unwrap().oid;
    let stats = back.stats(ft).unwrap().columns.get(&2).unwrap();
    assert_eq!(stats.most_common_elem_freqs.len(), 6);
    assert_eq!(stats.elem_count_histogram.last(), Some(&1.75));
}

#[test]
fn snapshots_without_element_statistics_stay_readable_and_unchanged() {
    // Columns without element statistics are written as before the
    // fields existed, so snapshots written earlier read back and write
    // back byte-identical.
    let json = sample().to_snapshot_json().unwrap();
    assert!(!json.contains("most_common_elem"));
    assert!(!json.contains("elem_count_histogram"));
    let back = Catalog::from_snapshot_json(&json).unwrap();
    assert_eq!(back.to_snapshot_json().unwrap(), json);
}

#[test]
fn bad_element_statistics_are_refused() {
    let json = sample_with_element_stats().to_snapshot_json().unwrap();
    let broken = json.replacen("0.26,", "1.5,", 1);
    assert_ne!(broken, json);
    match Catalog::from_snapshot_json(&broken) {
        Ok(_) => panic!("accepted a frequency above 1"),
        Err(e) => assert!(
            e.to_string()
                .contains("most_common_elem_freqs must be between 0 and 1"),
            "{e}"
        ),
    }
}

#[test]
fn sample_round_trips_and_hides_secrets() {
    let cat = sample();
    let json = cat.to_snapshot_json().unwrap();
    assert!(!json.contains("sekrit"));
    assert!(json.contains("\"name\": \"password\",\n"));
    let back = Catalog::from_snapshot_json(&json).unwrap();
    assert_eq!(back, cat);
    assert_eq!(back.to_snapshot_json().unwrap(), json);
    // Extension objects are re-created from the template, with the same oids.
    let server = back.server_by_name("loopback").unwrap().oid;
    let cube = back.resolve_type(None, "cube").unwrap();
    assert!(back.is_shippable(fdw_catalog::objects::ObjectClass::Type, cube, server));
}

#[test]
fn empty_catalog_snapshot_is_stable() {
    let json = Catalog::new(15).unwrap().to_snapshot_json().unwrap();
    insta::assert_snapshot!(json, @r#"
    {
      "format": 1,
      "pg_major": 15,
      "next_oid": 16384,
      "current_user": "postgres",
      "superuser": true,
      "schemas": [],
      "extensions": [],
      "types": [],
      "functions": [],
      "aggregates": [],
      "operators": [],
      "relations": [],
      "foreign_data_wrappers": [],
      "servers": [],
      "user_mappings": [],
      "statistics": {},
      "settings": {}
    }
    "#);
}

#[test]
fn newer_format_is_refused() {
    let json = Catalog::new(15).unwrap().to_snapshot_json().unwrap();
    check(
        &json.replace("\"format\": 1", "\"format\": 2"),
        "catalog snapshot format 2 is newer than the supported format 1",
    );
}

#[test]
fn missing_field_is_named_with_its_path() {
    let json = sample().to_snapshot_json().unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut broken = doc.clone();
    broken["servers"][0]
        .as_object_mut()
        .unwrap()
        .remove("wrapper");
    check(
        &broken.to_string(),
        "invalid catalog snapshot: servers[0]: missing field `wrapper`",
    );
    let mut broken = doc.clone();
    broken.as_object_mut().unwrap().remove("next_oid");
    check(
        &broken.to_string(),
        "invalid catalog snapshot: missing field `next_oid`",
    );
    let mut broken = doc;
    broken.as_object_mut().unwrap().remove("format");
    check(
        &broken.to_string(),
        "invalid catalog snapshot: missing field `format`",
    );
}

#[test]
fn wrong_type_is_named_with_its_path() {
    let json = sample().to_snapshot_json().unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    doc["relations"][0]["columns"][1]["type_oid"] = serde_json::json!("text");
    check(
        &doc.to_string(),
        "invalid catalog snapshot: relations[0].columns[1].type_oid: invalid type: string \"text\", expected u32",
    );
}

#[test]
fn unknown_field_and_bad_setting_are_refused() {
    let json = Catalog::new(15).unwrap().to_snapshot_json().unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    doc["colour"] = serde_json::json!("blue");
    let err = Catalog::from_snapshot_json(&doc.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("invalid catalog snapshot: colour: unknown field `colour`"),
        "{err}"
    );
    let mut doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    doc["settings"]["work_mem"] = serde_json::json!("lots");
    check(
        &doc.to_string(),
        "invalid catalog snapshot: settings.work_mem: invalid value for parameter \"work_mem\": \"lots\"",
    );
    check(
        "not json",
        "invalid catalog snapshot: expected ident at line 1 column 2",
    );
}

/// One step of building a random catalog through the public API.
#[derive(Debug, Clone)]
enum Step {
    Schema(u8),
    Enum(u8, Vec<u8>),
    Domain(u8, bool),
    Table(u8, RelationKind, Vec<(u8, bool)>),
    ForeignTable(u8, u8, Vec<(u8, bool)>, Option<u16>),
    Server(u8, Option<u16>, bool),
    Mapping(u8, Option<u8>),
    DropServer(u8),
    Setting(u8, u32),
    Stats(u8, u16, u8),
    Extension(bool),
    View(u8, u8, Option<bool>),
}

fn name(prefix: &str, n: u8) -> String {
    format!("{prefix}{}", n % 4)
}

fn columns(spec: &[(u8, bool)]) -> Vec<ColumnDef> {
    spec.iter()
        .enumerate()
        .map(|(i, (n, nn))| {
            let mut c = ColumnDef::new(&format!("c{i}"), if n % 2 == 0 { INT4 } else { TEXT });
            c.not_null = *nn;
            if n % 3 == 0 {
                c.default = Some(format!("{n}"));
            }
            c
        })
        .collect()
}

fn apply(cat: &mut Catalog, step: &Step) {
    // Steps may fail (duplicates, missing servers): a failed step must
    // leave the catalog consistent, which the round trip then checks.
    let _ = match step {
        Step::Schema(n) => cat.create_schema(&name("s", *n), false).map(|_| ()),
        Step::Enum(n, labels) => {
            let labels: Vec<String> = labels.iter().map(|l| format!("l{l}")).collect();
            let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
            cat.create_enum_type(None, &name("e", *n), &refs)
                .map(|_| ())
        }
        Step::Domain(n, not_null) => cat
            .create_domain(&DomainDef {
                schema: None,
                name: name("d", *n),
                base_type: INT4,
                typmod: -1,
                collation: None,
                not_null: *not_null,
                default: None,
                checks: vec![(None, "VALUE > 0".into())],
            })
            .map(|_| ()),
        Step::Table(n, kind, cols) => cat
            .create_relation(&RelationDef::new(*kind, &name("t", *n), columns(cols)))
            .map(|_| ()),
        Step::ForeignTable(n, server, cols, fetch) => {
            let fetch = fetch.map(|f| (f % 1000 + 1).to_string());
            let mut opts = vec![("table_name", "remote")];
            if let Some(f) = fetch.as_deref() {
                opts.push(("fetch_size", f));
            }
            cat.create_relation(&RelationDef::foreign_table(
                &name("f", *n),
                columns(cols),
                &name("srv", *server),
                &opts,
            ))
            .map(|_| ())
        }
        Step::Server(n, port, remote_estimate) => {
            let port = port.map(|p| p.to_string());
            let mut opts = vec![(
                "use_remote_estimate",
                if *remote_estimate { "on" } else { "off" },
            )];
            if let Some(p) = port.as_deref() {
                opts.push(("port", p));
            }
            cat.create_server(&ServerDef::postgres_fdw(&name("srv", *n), &opts))
                .map(|_| ())
        }
        Step::Mapping(server, user) => {
            let spec = match user {
                None => MappingUserSpec::Public,
                Some(u) => MappingUserSpec::Role(name("role", *u)),
            };
            cat.create_user_mapping(
                &spec,
                &name("srv", *server),
                &[("password".into(), "pw".into())],
                false,
            )
            .map(|_| ())
        }
        Step::DropServer(n) => cat.drop_server(&name("srv", *n), true, true),
        Step::Setting(which, value) => match which % 4 {
            0 => cat.set_setting("work_mem", &format!("{}", 64 + value % 100_000)),
            1 => cat.set_setting("random_page_cost", &format!("{}", f64::from(*value) / 7.0)),
            2 => cat.set_setting("enable_hashjoin", if value % 2 == 0 { "off" } else { "on" }),
            _ => cat.alter_server(
                &name("srv", 0),
                None,
                &[OptionChange::add("fetch_size", "9")],
            ),
        },
        Step::Stats(n, tuples, width) => {
            let oid = cat.resolve_relation(None, &name("t", *n)).map(|r| r.oid);
            oid.and_then(|oid| {
                cat.set_relation_stats(
                    oid,
                    RelationStats {
                        reltuples: f32::from(*tuples) / 3.0,
                        relpages: i32::from(*tuples / 10),
                        relallvisible: 0,
                    },
                )?;
                cat.set_column_stats(
                    oid,
                    AttrNumber(1),
                    ColumnStats {
                        null_frac: f32::from(*width) / 255.0,
                        avg_width: i32::from(*width),
                        ..ColumnStats::default()
                    },
                )
            })
        }
        Step::View(n, ncols, check) => {
            let column_names = (0..ncols % 3).map(|i| format!("x{i}")).collect();
            let check_option = check.map(|local| {
                if local {
                    CheckOption::Local
                } else {
                    CheckOption::Cascaded
                }
            });
            let view = ViewDef {
                query: format!("SELECT * FROM {} WHERE c0 > {n}", name("t", *n)),
                column_names,
                check_option,
            };
            let def = RelationDef::new(RelationKind::View, &name("v", *n), Vec::new());
            cat.create_view(&def, view, n % 2 == 0).map(|_| ())
        }
        Step::Extension(cube) => cat
            .create_extension(if *cube { "cube" } else { "seg" }, None, false)
            .map(|_| ()),
    };
}

fn step() -> impl Strategy<Value = Step> {
    let cols = prop::collection::vec((any::<u8>(), any::<bool>()), 0..4);
    let kind = prop_oneof![
        Just(RelationKind::Table),
        Just(RelationKind::PartitionedTable),
        Just(RelationKind::View)
    ];
    prop_oneof![
        any::<u8>().prop_map(Step::Schema),
        (any::<u8>(), prop::collection::vec(any::<u8>(), 0..4)).prop_map(|(n, l)| Step::Enum(n, l)),
        (any::<u8>(), any::<bool>()).prop_map(|(n, b)| Step::Domain(n, b)),
        (any::<u8>(), kind, cols.clone()).prop_map(|(n, k, c)| Step::Table(n, k, c)),
        (any::<u8>(), any::<u8>(), cols, any::<Option<u16>>())
            .prop_map(|(n, s, c, f)| Step::ForeignTable(n, s, c, f)),
        (any::<u8>(), any::<Option<u16>>(), any::<bool>())
            .prop_map(|(n, p, r)| Step::Server(n, p, r)),
        (any::<u8>(), any::<Option<u8>>()).prop_map(|(s, u)| Step::Mapping(s, u)),
        any::<u8>().prop_map(Step::DropServer),
        (any::<u8>(), any::<u32>()).prop_map(|(w, v)| Step::Setting(w, v)),
        (any::<u8>(), any::<u16>(), any::<u8>()).prop_map(|(n, t, w)| Step::Stats(n, t, w)),
        any::<bool>().prop_map(Step::Extension),
        (any::<u8>(), any::<u8>(), any::<Option<bool>>()).prop_map(|(n, c, k)| Step::View(n, c, k)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_catalogs_round_trip(steps in prop::collection::vec(step(), 0..24)) {
        let mut cat = Catalog::new(15).unwrap();
        cat.create_extension("postgres_fdw", None, false).unwrap();
        for s in &steps {
            apply(&mut cat, s);
        }
        let json = cat.to_snapshot_json().unwrap();
        prop_assert!(!json.contains("\"pw\""));
        let back = Catalog::from_snapshot_json(&json).unwrap();
        prop_assert_eq!(&back, &cat);
        prop_assert_eq!(back.to_snapshot_json().unwrap(), json);
    }
}
