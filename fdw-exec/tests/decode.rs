//! Row decoding against PostgreSQL 15: for every supported type, values
//! including the edge cases (NULL, infinities, NaN, -0, big numerics, BC
//! dates, time zones, empty, multi-dimensional and NULL-holding arrays)
//! fetched in text and in binary give identical rows, equal to what psql
//! prints for the same values in the same session zone. Also: types
//! without a binary decoder, remote types other than the declared ones,
//! and the read-ahead `FETCH` (counted in the remote log; its error
//! reported at close).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use fdw_catalog::catalog::{MappingUserSpec, ServerDef};
use fdw_catalog::Catalog;
use fdw_core::Oid;
use fdw_exec::{ColumnType, Error, Executor, Isolation, LocalSession, NoSecrets, ResultFormat};
use fdw_exec::{Row, ScanRequest};
use fdw_testkit::psql::Step;
use fdw_testkit::Oracle;

/// One declared type and the values to fetch as it (SQL expressions, each
/// cast to the type; NULL is always added).
struct Case {
    sql_type: &'static str,
    oid: u32,
    typmod: i32,
    values: &'static [&'static str],
}

const fn case(
    sql_type: &'static str,
    oid: u32,
    typmod: i32,
    values: &'static [&'static str],
) -> Case {
    Case {
        sql_type,
        oid,
        typmod,
        values,
    }
}

const CASES: &[Case] = &[
    case("int2", 21, -1, &["0", "1", "-1", "32767", "-32768"]),
    case("int4", 23, -1, &["0", "42", "-2147483648", "2147483647"]),
    case(
        "int8",
        20,
        -1,
        &[
            "0",
            "-9223372036854775808",
            "9223372036854775807",
            "1234567890123",
        ],
    ),
    case("oid", 26, -1, &["0", "4294967295", "12345"]),
    case(
        "float4",
        700,
        -1,
        &[
            "0",
            "'-0'",
            "1.5",
            "0.1",
            "123456",
            "1234567",
            "1e-5",
            "0.0001",
            "3.4028235e38",
            "1e-45",
            "'NaN'",
            "'Infinity'",
            "'-Infinity'",
            "-2.5e-10",
            "100000",
        ],
    ),
    case(
        "float8",
        701,
        -1,
        &[
            "0",
            "'-0'",
            "0.1",
            "1/7.0::float8",
            "1e15",
            "1e14",
            "123456789012345.6",
            "1e-5",
            "0.0001",
            "5e-324",
            "1.7976931348623157e308",
            "'NaN'",
            "'Infinity'",
            "'-Infinity'",
            "-1.5",
            "2.2250738585072014e-308",
            "999999999999999.9",
            "0.30000000000000004",
        ],
    ),
    case(
        "numeric",
        1700,
        -1,
        &[
            "0",
            "'-0'",
            "1.50",
            "-1.50",
            "'123456789012345678901234567890.123456789'",
            "0.000001",
            "'1e-20'",
            "'NaN'",
            "'Infinity'",
            "'-Infinity'",
            "10000",
            "9999.9999",
            "'1e100'",
            "'-0.00'",
            "0.0001",
            "12345678.000000001",
            "'-1e-30'",
        ],
    ),
    case(
        "numeric(10,2)",
        1700,
        (10 << 16 | 2) + 4,
        &["1", "1.005", "-99999999.99", "'NaN'", "0", "0.5"],
    ),
    case("bool", 16, -1, &["true", "false"]),
    case(
        "text",
        25,
        -1,
        &[
            "''",
            "'a b'",
            "'ü€'",
            "'say \"hi\"'",
            "E'back\\\\slash'",
            "E'new\\nline'",
            "'NULL'",
            "'{}'",
            "'2000-01-01'",
        ],
    ),
    case("varchar(5)", 1043, 9, &["'abc'", "'abcde'", "''", "'äöü'"]),
    case("varchar", 1043, -1, &["'any length at all'", "''"]),
    case("bpchar(5)", 1042, 9, &["'ab'", "'abcde'", "''"]),
    case("bpchar", 1042, -1, &["'ab  '", "'x'"]),
    case(
        "name",
        19,
        -1,
        &["'abc'", "repeat('n', 70)", "repeat('é', 40)"],
    ),
    case(
        "bytea",
        17,
        -1,
        &[
            "'\\x'",
            "'\\x00ff10'",
            "'abc'::bytea",
            "E'\\\\001\\\\377'::bytea",
        ],
    ),
    case(
        "date",
        1082,
        -1,
        &[
            "'2000-01-01'",
            "'0001-01-01'",
            "'4714-11-24 BC'",
            "'0044-03-15 BC'",
            "'5874897-12-31'",
            "'infinity'",
            "'-infinity'",
            "'2024-02-29'",
            "'1999-12-31'",
            "'10000-01-01'",
            "'0001-12-31 BC'",
        ],
    ),
    case(
        "time",
        1083,
        -1,
        &[
            "'00:00:00'",
            "'23:59:59.999999'",
            "'24:00:00'",
            "'12:34:56.5'",
            "'00:00:00.000001'",
        ],
    ),
    case(
        "time(3)",
        1083,
        3,
        &["'12:34:56.5'", "'01:02:03.123'", "'01:02:03.1235'"],
    ),
    case(
        "timetz",
        1266,
        -1,
        &[
            "'00:00:00+00'",
            "'12:34:56.789-07'",
            "'01:02:03+05:30'",
            "'01:02:03+05:30:15'",
            "'23:59:59.999999-15:59'",
            "'24:00:00+01'",
        ],
    ),
    case(
        "timestamp",
        1114,
        -1,
        &[
            "'2000-01-01 00:00:00'",
            "'1999-12-31 23:59:59.999999'",
            "'0044-03-15 12:00:00 BC'",
            "'294276-12-31 23:59:59.999999'",
            "'4714-11-24 00:00:00 BC'",
            "'infinity'",
            "'-infinity'",
            "'2024-02-29 12:00:00.5'",
            "'1900-03-01 01:02:03.04'",
        ],
    ),
    case(
        "timestamp(2)",
        1114,
        2,
        &["'2000-01-01 00:00:00.123'", "'2000-01-01 00:00:00.1'"],
    ),
    case(
        "timestamptz",
        1184,
        -1,
        &[
            "'2010-01-01 00:00:00+00'",
            "'2024-07-01 12:00:00.25+02'",
            "'2023-11-05 06:30:00+00'",
            "'2024-03-10 07:00:00+00'",
            "'infinity'",
            "'-infinity'",
            "'2100-12-31 23:59:59Z'",
        ],
    ),
    // The same type spelled out, in every zone too: instants over
    // America/New_York's whole history (local mean time before 1883, the
    // rules of 1950, 1975, 1990 and 2006 around their transitions) and far
    // outside the tz database's years.
    case(
        "timestamp with time zone",
        1184,
        -1,
        &[
            "'2000-01-01 00:00:00+00'",
            "'0044-03-15 12:00:00+00 BC'",
            "'1850-06-01 12:00:00.000001+00'",
            "'294276-12-31 23:59:59.999999+00'",
            "'4714-11-24 00:00:00+00 BC'",
            "'1999-12-31 23:59:59.5-08'",
            "'1883-11-18 17:00:00+00'",
            "'1950-04-30 06:59:59+00'",
            "'1950-04-30 07:00:00+00'",
            "'1950-09-24 05:30:00+00'",
            "'1975-01-15 12:00:00+00'",
            "'1975-02-23 07:00:00+00'",
            "'1990-10-28 05:30:00+00'",
            "'1990-10-28 06:30:00+00'",
            "'2006-04-02 06:59:59.999999+00'",
            "'2006-10-29 05:30:00+00'",
            "'2006-10-29 06:30:00+00'",
        ],
    ),
    case("timestamptz(0)", 1184, 0, &["'2024-01-15 10:20:30.6+00'"]),
    case(
        "interval",
        1186,
        -1,
        &[
            "'0'",
            "'1 year 2 mons 3 days 04:05:06.789'",
            "'-1 year -2 mons +3 days -04:05:06'",
            "'1 day -00:00:01'",
            "'00:00:00.000001'",
            "'-178956970 years -8 mons'",
            "'178956970 years 7 mons'",
            "'2562047:00:54.775807'",
            "'-2562047:00:54.775807'",
            // The int64 microsecond limits, hours past int32 included.
            "'2562047788:00:54.775807'",
            "'-2562047788:00:54.775807'",
            "'1 day 2562047788:00:54.775807'",
            "'1 mon -1 days'",
            "'-1 days +02:03'",
            "'1 year'",
            "'-00:00:00.5'",
            "'14 mons'",
        ],
    ),
    case(
        "uuid",
        2950,
        -1,
        &[
            "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
            "'00000000-0000-0000-0000-000000000000'",
            "'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'",
        ],
    ),
    case(
        "json",
        114,
        -1,
        &[
            "'{\"a\": 1,  \"b\":[1,2]}'",
            "'\"x\"'",
            "'null'",
            "'[]'",
            "' 1.50 '",
        ],
    ),
    case(
        "jsonb",
        3802,
        -1,
        &[
            "'{\"b\": 1, \"a\": [1, 2.50]}'",
            "'\"ü\"'",
            "'null'",
            "'{}'",
            "'1e2'",
            "'[true, {\"x\": null}]'",
        ],
    ),
    case(
        "int4[]",
        1007,
        -1,
        &[
            "'{}'",
            "'{1,2,NULL}'",
            "'{{1,2},{3,4}}'",
            "'[0:1]={5,6}'",
            "'{{{1}}}'",
            "'{NULL}'",
        ],
    ),
    case("int2[]", 1005, -1, &["'{-32768,32767}'"]),
    case("int8[]", 1016, -1, &["'[-2:-1][3:4]={{1,2},{3,4}}'"]),
    case(
        "text[]",
        1009,
        -1,
        &[
            "ARRAY['a b', '', 'NULL', NULL, 'q\"uote', E'back\\\\slash', 'x', 'null', ' ']",
            "'{{a,b},{c,d}}'",
            "'{}'",
            "ARRAY['{', '}', ',']",
        ],
    ),
    case("varchar[]", 1015, -1, &["'{a,\"b c\"}'"]),
    case("bpchar[]", 1014, -1, &["ARRAY['a'::char(3), 'bb']"]),
    case("name[]", 1003, -1, &["'{abc,\"d e\"}'"]),
    case("oid[]", 1028, -1, &["'{1,4294967295}'"]),
    case("bool[]", 1000, -1, &["'{t,f,NULL}'"]),
    case("numeric[]", 1231, -1, &["'{1.50,NaN,-0.001,Infinity}'"]),
    case("float4[]", 1021, -1, &["'{0.1,-0,NaN,-Infinity,1e30}'"]),
    case(
        "float8[]",
        1022,
        -1,
        &["'{0.1,-0,Infinity,NaN,1e300,1e-300}'"],
    ),
    case(
        "date[]",
        1182,
        -1,
        &["'{2000-01-01,infinity,\"0044-03-15 BC\"}'"],
    ),
    case("time[]", 1183, -1, &["'{00:00:01.5,24:00:00}'"]),
    case("timetz[]", 1270, -1, &["'{00:00:01.5+02,12:00:00-05:30}'"]),
    case(
        "timestamp[]",
        1115,
        -1,
        &["'{\"2000-01-01 00:00:00\",-infinity}'"],
    ),
    case(
        "timestamptz[]",
        1185,
        -1,
        &["'{\"2020-06-01 00:00:00+00\",infinity,NULL}'"],
    ),
    case("interval[]", 1187, -1, &["'{\"1 day\",\"-00:00:01\",0}'"]),
    case(
        "uuid[]",
        2951,
        -1,
        &["'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'"],
    ),
    case(
        "bytea[]",
        1001,
        -1,
        &["ARRAY['\\x00ff'::bytea, '\\x'::bytea]"],
    ),
    case("json[]", 199, -1, &["ARRAY['{\"a\": 1}'::json, '[]']"]),
    case("jsonb[]", 3807, -1, &["ARRAY['{\"a\": 1}'::jsonb, 'null']"]),
];

/// Session zones the `timestamptz` values are also checked in: every zone
/// the decoder treats as printing `+00`, and zones with daylight saving
/// time and local mean time over their whole history.
const ZONES: &[&str] = &[
    "UTC",
    "GMT",
    "Etc/UTC",
    "Etc/GMT",
    "UCT",
    "Etc/UCT",
    "Universal",
    "Etc/Universal",
    "Zulu",
    "Etc/Zulu",
    "Greenwich",
    "Etc/Greenwich",
    "GMT0",
    "Etc/GMT0",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
];

fn catalog_for(oracle: &Oracle, time_zone: &str) -> (Catalog, Oid) {
    let mut catalog = Catalog::new(15).expect("catalog");
    catalog.set_setting("TimeZone", time_zone).unwrap();
    catalog
        .create_extension("postgres_fdw", None, false)
        .expect("postgres_fdw");
    let socket = oracle.cluster().socket_dir().display().to_string();
    let options = [
        ("host", socket.as_str()),
        ("port", "5432"),
        ("dbname", oracle.remote_db()),
    ];
    let server = catalog
        .create_server(&ServerDef::postgres_fdw("loopback", &options))
        .expect("server");
    catalog
        .create_user_mapping(&MappingUserSpec::CurrentUser, "loopback", &[], false)
        .expect("mapping");
    (catalog, server)
}

fn executor(catalog: &Catalog) -> Executor {
    Executor::new(
        LocalSession::from_catalog(catalog),
        std::sync::Arc::new(NoSecrets),
    )
}

fn values_sql(case: &Case) -> String {
    let mut rows = vec![format!("(NULL::{})", case.sql_type)];
    rows.extend(
        case.values
            .iter()
            .map(|v| format!("(({v})::{})", case.sql_type)),
    );
    format!("SELECT v FROM (VALUES {}) t(v)", rows.join(", "))
}

/// psql's rows for `sql` on the remote database in session zone `zone`.
fn psql_rows(oracle: &Oracle, zone: &str, sql: &str) -> Vec<Row> {
    let steps = [
        Step::Sql("SET extra_float_digits = 3".to_owned()),
        Step::Sql(format!("SET timezone = '{zone}'")),
        Step::Sql(sql.to_owned()),
    ];
    let mut outcomes = oracle.cluster().run(oracle.remote_db(), &steps).unwrap();
    outcomes.pop().unwrap().unwrap().rows
}

async fn fetch(
    exec: &mut Executor,
    catalog: &Catalog,
    server: Oid,
    sql: &str,
    columns: Vec<ColumnType>,
    format: ResultFormat,
) -> Result<Vec<Row>, Error> {
    let mut request = ScanRequest::new(server, sql, columns);
    request.format = format;
    request.fetch_size = 4;
    exec.run_query(catalog, &request).await
}

/// Text and binary rows equal psql's, type by type, in UTC; the
/// `timestamptz` types (and their array) again in every zone of [`ZONES`].
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_and_binary_rows_equal_psql() {
    let oracle = Oracle::new(15).expect("PostgreSQL 15 oracle");
    let mut checked = 0;
    for zone in ZONES {
        let (catalog, server) = catalog_for(&oracle, zone);
        let mut exec = executor(&catalog);
        for case in CASES {
            if *zone != "UTC" && !matches!(case.oid, 1184 | 1185) {
                continue;
            }
            let sql = values_sql(case);
            let theirs = psql_rows(&oracle, zone, &sql);
            let columns = vec![ColumnType {
                type_oid: Oid(case.oid),
                typmod: case.typmod,
            }];
            let text = fetch(
                &mut exec,
                &catalog,
                server,
                &sql,
                columns.clone(),
                ResultFormat::Text,
            )
            .await
            .unwrap_or_else(|e| panic!("{} (text): {e}", case.sql_type));
            let binary = fetch(
                &mut exec,
                &catalog,
                server,
                &sql,
                columns,
                ResultFormat::Binary,
            )
            .await
            .unwrap_or_else(|e| panic!("{} (binary): {e}", case.sql_type));
            assert_eq!(text, theirs, "{} in {zone}: text vs psql", case.sql_type);
            assert_eq!(
                binary, theirs,
                "{} in {zone}: binary vs psql",
                case.sql_type
            );
            checked += theirs.len();
        }
    }
    println!("{checked} values equal in text, binary and psql");
    assert!(checked > 300, "{checked}");
}

/// The same values in one wide row and many rows across batches, all
/// types at once (the decoder per column, not per scan).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_columns_across_batches() {
    let oracle = Oracle::new(15).expect("PostgreSQL 15 oracle");
    let (catalog, server) = catalog_for(&oracle, "UTC");
    let mut exec = executor(&catalog);
    let sql = "SELECT g, g::int8 * 1000003, (g * 7)::numeric / 100, 'row ' || g, \
               timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second 1 millisecond', \
               g % 3 = 0, g / 7.0::float8, date '2000-01-01' + g, \
               CASE WHEN g % 5 = 0 THEN NULL ELSE ARRAY[g, -g] END \
               FROM generate_series(-500, 1500) g";
    let oids = [23, 20, 1700, 25, 1184, 16, 701, 1082, 1007];
    let columns: Vec<ColumnType> = oids.iter().map(|o| ColumnType::of(Oid(*o))).collect();
    let theirs = psql_rows(&oracle, "UTC", sql);
    for format in [ResultFormat::Text, ResultFormat::Binary] {
        let mut request = ScanRequest::new(server, sql, columns.clone());
        request.format = format;
        request.fetch_size = 97;
        let ours = exec.run_query(&catalog, &request).await.unwrap();
        assert_eq!(ours.len(), 2001);
        assert_eq!(ours, theirs, "{format:?}");
    }
}

/// Remote columns of another type than the declared one: the value goes
/// through the declared type's input function in both formats (the same
/// rows, the same errors).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_remote_types_convert_through_the_declared_type() {
    let oracle = Oracle::new(15).expect("PostgreSQL 15 oracle");
    let (catalog, server) = catalog_for(&oracle, "UTC");
    let mut exec = executor(&catalog);
    let ok: &[(&str, u32, i32, &[Option<&str>])] = &[
        ("SELECT 5::int8", 23, -1, &[Some("5")]),
        ("SELECT 0.1::float4", 701, -1, &[Some("0.1")]),
        ("SELECT 1::int4", 1700, -1, &[Some("1")]),
        (
            "SELECT timestamptz '2000-01-01 00:00:00+00'",
            25,
            -1,
            &[Some("2000-01-01 00:00:00+00")],
        ),
        ("SELECT 1.5::numeric", 1700, (5 << 16) + 4, &[Some("2")]),
        ("SELECT 'ab'::text", 1042, 8, &[Some("ab  ")]),
        ("SELECT 'abc   '::text", 1043, 7, &[Some("abc")]),
        (
            "SELECT '2000-01-01'::date",
            1114,
            -1,
            &[Some("2000-01-01 00:00:00")],
        ),
        ("SELECT '{1,2}'::int8[]", 1007, -1, &[Some("{1,2}")]),
        ("SELECT 'yes'::text", 16, -1, &[Some("t")]),
        ("SELECT ' 12 '::text", 23, -1, &[Some("12")]),
        ("SELECT '1.0'::text", 701, -1, &[Some("1")]),
        ("SELECT 'NAN'::text", 1700, -1, &[Some("NaN")]),
    ];
    for (sql, oid, typmod, want) in ok {
        let want: Vec<Row> = vec![want.iter().map(|v| v.map(str::to_owned)).collect()];
        for format in [ResultFormat::Text, ResultFormat::Binary] {
            let columns = vec![ColumnType {
                type_oid: Oid(*oid),
                typmod: *typmod,
            }];
            let rows = fetch(&mut exec, &catalog, server, sql, columns, format)
                .await
                .unwrap_or_else(|e| panic!("{sql} {format:?}: {e}"));
            assert_eq!(rows, want, "{sql} {format:?}");
        }
    }
    let failing: &[(&str, u32, i32, &str)] = &[
        (
            "SELECT 3000000000::int8",
            23,
            -1,
            "out of range for type integer",
        ),
        ("SELECT 'abcdef'::text", 1043, 7, "value too long"),
        (
            "SELECT 1.5::numeric",
            23,
            -1,
            "invalid input syntax for type integer",
        ),
        ("SELECT 'x'::text", 1184, -1, "invalid input syntax"),
    ];
    for (sql, oid, typmod, message) in failing {
        for format in [ResultFormat::Text, ResultFormat::Binary] {
            let columns = vec![ColumnType {
                type_oid: Oid(*oid),
                typmod: *typmod,
            }];
            let err = fetch(&mut exec, &catalog, server, sql, columns, format)
                .await
                .unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, Error::Decode { column: 1, .. }), "{text}");
            assert!(
                text.contains(message) && text.contains(sql),
                "{sql} {format:?}: {text}"
            );
        }
    }
}

/// Binary falls back to text for a declared type without a decoder, and a
/// remote column without one is an error before any row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_without_a_decoder() {
    let oracle = Oracle::new(15).expect("PostgreSQL 15 oracle");
    oracle
        .exec_remote("CREATE TYPE mood AS ENUM ('sad', 'happy'); CREATE TABLE m (c mood); INSERT INTO m VALUES ('happy')")
        .unwrap();
    let (mut catalog, server) = catalog_for(&oracle, "UTC");
    // point (no decoder here) declared and remote: fetched as text.
    let mut exec = executor(&catalog);
    let mut request = ScanRequest::new(
        server,
        "SELECT point(1.5, -2), 7",
        vec![ColumnType::of(Oid(600)), ColumnType::of(Oid(23))],
    );
    request.format = ResultFormat::Binary;
    exec.begin(Isolation::ReadCommitted).unwrap();
    let mut cursor = exec.open_scan(&catalog, &request).await.unwrap();
    assert_eq!(cursor.format(), ResultFormat::Text);
    let rows = cursor.next_batch(&catalog).await.unwrap().unwrap();
    assert_eq!(
        rows,
        vec![vec![Some("(1.5,-2)".to_owned()), Some("7".to_owned())]]
    );
    cursor.close().await.unwrap();
    exec.commit().await.unwrap();

    // A user enum declared locally: text, its label kept.
    let mood = catalog
        .create_enum_type(None, "mood", &["sad", "happy"])
        .unwrap();
    let mut exec = executor(&catalog);
    let mut request =
        ScanRequest::new(server, "SELECT c FROM public.m", vec![ColumnType::of(mood)]);
    request.format = ResultFormat::Binary;
    let rows = exec.run_query(&catalog, &request).await.unwrap();
    assert_eq!(rows, vec![vec![Some("happy".to_owned())]]);

    // Declared text over a remote enum: binary cannot decode it.
    let mut request = ScanRequest::new(
        server,
        "SELECT c FROM public.m",
        vec![ColumnType::of(Oid(25))],
    );
    request.format = ResultFormat::Binary;
    let err = exec.run_query(&catalog, &request).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Decode { column: 1, .. }), "{text}");
    assert!(
        text.contains("no binary decoder") && text.contains("mood"),
        "{text}"
    );
    request.format = ResultFormat::Text;
    let rows = exec.run_query(&catalog, &request).await.unwrap();
    assert_eq!(rows, vec![vec![Some("happy".to_owned())]]);
}

/// The read-ahead sends no FETCH beyond what the scan needs: a full scan
/// sends as many as without it (rows / fetch_size + 1), a consumer that
/// stops after one batch sends one; an error of the FETCH sent ahead comes
/// back at close, and the transaction is then failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_ahead_fetches() {
    let oracle = Oracle::new(15).expect("PostgreSQL 15 oracle");
    let (catalog, server) = catalog_for(&oracle, "UTC");
    let mut exec = executor(&catalog);
    let log_path = oracle.cluster().log_path();
    let count_fetches = |from: u64, what: &str| {
        let text = std::fs::read(&log_path).unwrap();
        let text = String::from_utf8_lossy(text.get(usize::try_from(from).unwrap()..).unwrap());
        text.lines()
            .filter(|l| l.contains(oracle.remote_db()) && l.contains(what))
            .count()
    };
    let sql = "SELECT g FROM generate_series(1, 1000) g";
    for (format, what) in [
        (ResultFormat::Text, "statement: FETCH 10 FROM c1"),
        (ResultFormat::Binary, ": FETCH 10 FROM c1"),
    ] {
        let start = std::fs::metadata(&log_path).unwrap().len();
        let mut request = ScanRequest::new(server, sql, vec![ColumnType::of(Oid(23))]);
        request.fetch_size = 10;
        request.format = format;
        let rows = exec.run_query(&catalog, &request).await.unwrap();
        assert_eq!(rows.len(), 1000);
        assert!(rows
            .iter()
            .enumerate()
            .all(|(i, r)| r[0] == Some((i + 1).to_string())));
        assert_eq!(count_fetches(start, what), 101, "{format:?}");

        // One batch, then close: one FETCH.
        let start = std::fs::metadata(&log_path).unwrap().len();
        exec.begin(Isolation::ReadCommitted).unwrap();
        let mut cursor = exec.open_scan(&catalog, &request).await.unwrap();
        assert_eq!(
            cursor.next_batch(&catalog).await.unwrap().unwrap().len(),
            10
        );
        cursor.close().await.unwrap();
        exec.commit().await.unwrap();
        assert_eq!(count_fetches(start, what), 1, "{format:?}");

        // Three batches (the third was read ahead of the request), close.
        let start = std::fs::metadata(&log_path).unwrap().len();
        exec.begin(Isolation::ReadCommitted).unwrap();
        let mut cursor = exec.open_scan(&catalog, &request).await.unwrap();
        for _ in 0..3 {
            cursor.next_batch(&catalog).await.unwrap().unwrap();
        }
        cursor.close().await.unwrap();
        exec.commit().await.unwrap();
        assert_eq!(count_fetches(start, what), 4, "{format:?}");
    }

    // The FETCH sent ahead fails: its error is the close's.
    let sql = "SELECT 1 / (g - 250) FROM generate_series(1, 1000) g";
    let mut request = ScanRequest::new(server, sql, vec![ColumnType::of(Oid(23))]);
    request.fetch_size = 100;
    exec.begin(Isolation::ReadCommitted).unwrap();
    let mut cursor = exec.open_scan(&catalog, &request).await.unwrap();
    for _ in 0..2 {
        assert_eq!(
            cursor.next_batch(&catalog).await.unwrap().unwrap().len(),
            100
        );
    }
    let err = cursor.close().await.unwrap_err();
    assert!(
        matches!(&err, Error::Remote { sqlstate, .. } if sqlstate == "22012"),
        "{err}"
    );
    assert!(exec.transaction_failed());
    assert!(exec.commit().await.is_err());
}
