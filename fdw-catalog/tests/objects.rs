//! Tests of the objects area: the catalog's mutation API, postgres_fdw's
//! option validation (each refusal checked against its exact text), option
//! precedence, oid assignment and shippability.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail the test by unwrapping, as #[test] functions may"
)]

use fdw_catalog::catalog::{Catalog, MappingUserSpec, RelationDef, ServerDef};
use fdw_catalog::objects::{ColumnDef, ObjectClass, ObjectRef, RelationKind};
use fdw_catalog::options::{
    validate_options, OptionChange, OptionContext, OptionList, ValidationEnv,
};
use fdw_catalog::stats::{ColumnStats, RelationStats};
use fdw_catalog::Result;
use fdw_core::{AttrNumber, Oid};

const INT4: Oid = Oid(23);
const TEXT: Oid = Oid(25);
const INT4_EQ: Oid = Oid(96);

/// The one helper that turns an outcome into text: the error's message,
/// or `ok` for success.
fn check<T: std::fmt::Debug>(result: Result<T>, expected: &str) {
    match result {
        Ok(_) => assert_eq!("ok", expected),
        Err(e) => assert_eq!(e.to_string(), expected),
    }
}

/// postgres_fdw installed, server `loopback`, foreign table `ft` (a int4, b text).
fn setup() -> Catalog {
    let mut cat = Catalog::new(15).unwrap();
    cat.create_extension("postgres_fdw", None, false).unwrap();
    cat.create_server(&ServerDef::postgres_fdw(
        "loopback",
        &[("dbname", "postgres")],
    ))
    .unwrap();
    cat.create_relation(&RelationDef::foreign_table(
        "ft",
        vec![ColumnDef::new("a", INT4), ColumnDef::new("b", TEXT)],
        "loopback",
        &[],
    ))
    .unwrap();
    cat
}

fn server(cat: &mut Catalog, options: &[(&str, &str)]) -> Result<Oid> {
    cat.create_server(&ServerDef::postgres_fdw("s2", options))
}

const SERVER_OPTIONS_15: &str = "service, passfile, channel_binding, connect_timeout, dbname, \
    host, hostaddr, port, options, application_name, keepalives, keepalives_idle, \
    keepalives_interval, keepalives_count, tcp_user_timeout, sslmode, sslcompression, sslcert, \
    sslkey, sslrootcert, sslcrl, sslcrldir, sslsni, requirepeer, ssl_min_protocol_version, \
    ssl_max_protocol_version, gssencmode, krbsrvname, gsslib, target_session_attrs, \
    use_remote_estimate, fdw_startup_cost, fdw_tuple_cost, extensions, updatable, truncatable, \
    fetch_size, batch_size, async_capable, parallel_commit, keep_connections";

const TABLE_OPTIONS_15: &str = "schema_name, table_name, use_remote_estimate, updatable, \
    truncatable, fetch_size, batch_size, async_capable";

// ----- Refusals, each with PostgreSQL's meaning and our exact text -------

#[test]
fn unknown_server_option_lists_valid_ones() {
    let mut cat = setup();
    check(
        server(&mut cat, &[("foo", "1")]),
        &format!("invalid option \"foo\" for server; valid options in this context are: {SERVER_OPTIONS_15}"),
    );
}

#[test]
fn user_is_refused_on_a_server() {
    let mut cat = setup();
    check(
        server(&mut cat, &[("user", "bob")]),
        &format!("invalid option \"user\" for server; valid options in this context are: {SERVER_OPTIONS_15}"),
    );
}

#[test]
fn password_is_refused_on_a_server_without_echoing_it() {
    let mut cat = setup();
    let err = server(&mut cat, &[("password", "hunter2")]).unwrap_err();
    assert!(!err.to_string().contains("hunter2"));
    check(
        Err::<(), _>(err),
        &format!("invalid option \"password\" for server; valid options in this context are: {SERVER_OPTIONS_15}"),
    );
}

#[test]
fn client_encoding_and_fallback_application_name_are_refused() {
    let mut cat = setup();
    for name in [
        "client_encoding",
        "fallback_application_name",
        "replication",
    ] {
        check(
            server(&mut cat, &[(name, "x")]),
            &format!("invalid option \"{name}\" for server; valid options in this context are: {SERVER_OPTIONS_15}"),
        );
    }
}

#[test]
fn boolean_options_take_only_true_false_on_off() {
    let mut cat = setup();
    check(
        server(&mut cat, &[("use_remote_estimate", "yes")]),
        "use_remote_estimate requires a Boolean value",
    );
    check(server(&mut cat, &[("use_remote_estimate", "ON")]), "ok");
}

#[test]
fn negative_cost_is_refused() {
    let mut cat = setup();
    check(
        server(&mut cat, &[("fdw_startup_cost", "-1")]),
        "\"fdw_startup_cost\" must be a floating point value greater than or equal to zero",
    );
}

#[test]
fn unparsable_cost_is_refused() {
    let mut cat = setup();
    check(
        server(&mut cat, &[("fdw_tuple_cost", "cheap")]),
        "invalid value for floating point option \"fdw_tuple_cost\": cheap",
    );
}

#[test]
fn fetch_size_zero_is_refused() {
    let mut cat = setup();
    check(
        server(&mut cat, &[("fetch_size", "0")]),
        "\"fetch_size\" must be an integer value greater than zero",
    );
}

#[test]
fn batch_size_must_be_an_integer() {
    let mut cat = setup();
    check(
        cat.alter_foreign_table_options(None, "ft", &[OptionChange::add("batch_size", "x")]),
        "invalid value for integer option \"batch_size\": x",
    );
}

#[test]
fn table_only_option_on_a_server_is_refused() {
    let mut cat = setup();
    check(
        server(&mut cat, &[("table_name", "t")]),
        &format!("invalid option \"table_name\" for server; valid options in this context are: {SERVER_OPTIONS_15}"),
    );
}

#[test]
fn server_only_option_on_a_table_is_refused() {
    let mut cat = setup();
    check(
        cat.alter_foreign_table_options(None, "ft", &[OptionChange::add("fdw_startup_cost", "1")]),
        &format!("invalid option \"fdw_startup_cost\" for foreign table; valid options in this context are: {TABLE_OPTIONS_15}"),
    );
}

#[test]
fn column_takes_only_column_name() {
    let mut cat = setup();
    check(
        cat.alter_column_options(None, "ft", "a", &[OptionChange::add("table_name", "x")]),
        "invalid option \"table_name\" for column; valid options in this context are: column_name",
    );
    check(
        cat.alter_column_options(None, "ft", "a", &[OptionChange::add("column_name", "A")]),
        "ok",
    );
}

#[test]
fn extensions_must_be_an_identifier_list() {
    let mut cat = setup();
    check(
        server(&mut cat, &[("extensions", "cube,,seg")]),
        "parameter \"extensions\" must be a list of extension names",
    );
}

#[test]
fn uninstalled_extension_is_a_warning() {
    let mut cat = setup();
    cat.take_warnings();
    check(server(&mut cat, &[("extensions", "Cube, \"seg\"")]), "ok");
    let warnings: Vec<String> = cat.take_warnings().into_iter().map(|w| w.message).collect();
    assert_eq!(
        warnings,
        [
            "extension \"cube\" is not installed",
            "extension \"seg\" is not installed"
        ]
    );
}

#[test]
fn duplicate_server_is_refused() {
    let mut cat = setup();
    check(
        cat.create_server(&ServerDef::postgres_fdw("loopback", &[])),
        "server \"loopback\" already exists",
    );
    let mut def = ServerDef::postgres_fdw("loopback", &[]);
    def.if_not_exists = true;
    check(cat.create_server(&def), "ok");
    assert_eq!(
        cat.take_warnings().last().unwrap().message,
        "server \"loopback\" already exists, skipping"
    );
}

#[test]
fn unknown_wrapper_is_refused() {
    let mut cat = Catalog::new(15).unwrap();
    check(
        cat.create_server(&ServerDef::postgres_fdw("s", &[])),
        "foreign-data wrapper \"postgres_fdw\" does not exist",
    );
}

#[test]
fn foreign_table_on_unknown_server_is_refused() {
    let mut cat = setup();
    check(
        cat.create_relation(&RelationDef::foreign_table(
            "ft2",
            vec![ColumnDef::new("a", INT4)],
            "nowhere",
            &[],
        )),
        "server \"nowhere\" does not exist",
    );
}

#[test]
fn duplicate_add_is_refused() {
    let mut cat = setup();
    check(
        cat.alter_server("loopback", None, &[OptionChange::add("dbname", "other")]),
        "option \"dbname\" provided more than once",
    );
}

#[test]
fn set_of_an_unset_option_is_refused() {
    let mut cat = setup();
    check(
        cat.alter_server("loopback", None, &[OptionChange::set("port", "5433")]),
        "option \"port\" not found",
    );
    check(
        cat.alter_foreign_table_options(None, "ft", &[OptionChange::drop("table_name")]),
        "option \"table_name\" not found",
    );
}

#[test]
fn drop_of_an_unknown_table_is_refused() {
    let mut cat = setup();
    check(
        cat.drop_relation(RelationKind::Table, None, "nope", false, false),
        "table \"nope\" does not exist",
    );
    check(
        cat.drop_relation(RelationKind::ForeignTable, None, "nope", true, false),
        "ok",
    );
    check(
        cat.drop_relation(RelationKind::Table, None, "ft", false, false),
        "\"ft\" is not a table",
    );
}

#[test]
fn unknown_setting_is_refused() {
    let mut cat = setup();
    check(
        cat.set_setting("enable_warp_drive", "on"),
        "unrecognized configuration parameter \"enable_warp_drive\"",
    );
    check(
        cat.set_setting("enable_seqscan", "maybe"),
        "parameter \"enable_seqscan\" requires a Boolean value",
    );
    check(
        cat.set_setting("IntervalStyle", "klingon"),
        "invalid value for parameter \"IntervalStyle\": \"klingon\"",
    );
}

#[test]
fn password_required_false_is_superuser_only() {
    let mut cat = setup();
    cat.set_current_user("alice", false);
    check(
        cat.create_user_mapping(
            &MappingUserSpec::CurrentUser,
            "loopback",
            &[("password_required".into(), "false".into())],
            false,
        ),
        "password_required=false is superuser-only",
    );
    check(
        cat.create_user_mapping(
            &MappingUserSpec::CurrentUser,
            "loopback",
            &[("sslcert".into(), "/tmp/c".into())],
            false,
        ),
        "sslcert and sslkey are superuser-only",
    );
}

#[test]
fn duplicate_user_mapping_is_refused() {
    let mut cat = setup();
    let opts = [("user".to_string(), "bob".to_string())];
    check(
        cat.create_user_mapping(&MappingUserSpec::Public, "loopback", &opts, false),
        "ok",
    );
    check(
        cat.create_user_mapping(&MappingUserSpec::Public, "loopback", &opts, false),
        "user mapping for \"public\" already exists for server \"loopback\"",
    );
    check(
        cat.create_user_mapping(
            &MappingUserSpec::Public,
            "loopback",
            &[("host".into(), "h".into())],
            true,
        ),
        "ok",
    );
    check(
        cat.drop_user_mapping(&MappingUserSpec::Role("carol".into()), "loopback", false),
        "user mapping for \"carol\" does not exist for server \"loopback\"",
    );
}

#[test]
fn options_that_a_version_lacks_are_unknown_there() {
    let env = |major| ValidationEnv {
        major,
        superuser: true,
        installed_extensions: &[],
    };
    let list = |name: &str| {
        fdw_catalog::options::apply_option_changes(
            &OptionList::new(),
            &[OptionChange::add(name, "true")],
        )
        .unwrap()
    };
    check(
        validate_options(&list("parallel_commit"), OptionContext::Server, &env(15)),
        "ok",
    );
    let err =
        validate_options(&list("parallel_commit"), OptionContext::Server, &env(14)).unwrap_err();
    assert!(err
        .to_string()
        .starts_with("invalid option \"parallel_commit\" for server;"));
    let err = validate_options(&list("batch_size"), OptionContext::Server, &env(13)).unwrap_err();
    assert!(err
        .to_string()
        .starts_with("invalid option \"batch_size\" for server;"));
    let err =
        validate_options(&list("parallel_abort"), OptionContext::Server, &env(15)).unwrap_err();
    assert!(err
        .to_string()
        .starts_with("invalid option \"parallel_abort\" for server;"));
    check(
        validate_options(&list("parallel_abort"), OptionContext::Server, &env(16)),
        "ok",
    );
}

#[test]
fn duplicate_relation_and_schema_are_refused() {
    let mut cat = setup();
    check(
        cat.create_relation(&RelationDef::new(RelationKind::Table, "ft", vec![])),
        "relation \"ft\" already exists",
    );
    check(
        cat.create_schema("public", false),
        "schema \"public\" already exists",
    );
    check(
        cat.drop_server("loopback", false, false),
        "cannot drop server loopback because other objects depend on it",
    );
}

// ----- Secrets ------------------------------------------------------------

#[test]
fn user_mapping_records_password_only_as_set() {
    let mut cat = setup();
    cat.create_user_mapping(
        &MappingUserSpec::CurrentUser,
        "loopback",
        &[
            ("user".into(), "bob".into()),
            ("password".into(), "hunter2".into()),
        ],
        false,
    )
    .unwrap();
    let server = cat.server_by_name("loopback").unwrap().oid;
    let um = cat.user_mapping_for(server, "postgres").unwrap();
    assert!(um.options.is_set("password"));
    assert_eq!(um.options.get("password"), None);
    assert_eq!(um.options.get("user"), Some("bob"));
    assert!(!cat.to_snapshot_json().unwrap().contains("hunter2"));
    check(
        cat.user_mapping_for(server, "mallory").map(|m| m.oid),
        "user mapping not found for \"mallory\"",
    );
}

// ----- Precedence and defaults -------------------------------------------

#[test]
fn table_options_win_over_server_options() {
    let mut cat = setup();
    cat.alter_server(
        "loopback",
        None,
        &[
            OptionChange::add("fetch_size", "500"),
            OptionChange::add("use_remote_estimate", "true"),
            OptionChange::add("updatable", "false"),
            OptionChange::add("fdw_startup_cost", "42.5"),
        ],
    )
    .unwrap();
    cat.alter_foreign_table_options(
        None,
        "ft",
        &[
            OptionChange::add("fetch_size", "7"),
            OptionChange::add("use_remote_estimate", "off"),
            OptionChange::add("batch_size", "20"),
        ],
    )
    .unwrap();
    let ft = cat.resolve_relation(None, "ft").unwrap().oid;
    let opts = cat.fdw_options(ft).unwrap();
    assert_eq!(opts.fetch_size, 7);
    assert!(!opts.use_remote_estimate);
    assert!(
        !opts.updatable,
        "server's updatable applies when the table has none"
    );
    assert_eq!(opts.batch_size, 20);
    assert_eq!(opts.fdw_startup_cost, 42.5);
    assert_eq!(opts.fdw_tuple_cost, 0.01);
    let server = cat.server_by_name("loopback").unwrap().oid;
    let server_opts = cat.server_fdw_options(server).unwrap();
    assert_eq!(server_opts.fetch_size, 500);
    assert!(server_opts.use_remote_estimate);
}

#[test]
fn defaults_apply_without_options() {
    let cat = setup();
    let ft = cat.resolve_relation(None, "ft").unwrap().oid;
    let opts = cat.fdw_options(ft).unwrap();
    assert_eq!(
        (
            opts.fetch_size,
            opts.batch_size,
            opts.fdw_startup_cost,
            opts.fdw_tuple_cost
        ),
        (100, 1, 100.0, 0.01)
    );
    assert!(opts.updatable && opts.truncatable && opts.keep_connections);
    assert!(!opts.use_remote_estimate && !opts.async_capable);
}

#[test]
fn set_and_drop_change_options_in_place() {
    let mut cat = setup();
    cat.alter_foreign_table_options(
        None,
        "ft",
        &[
            OptionChange::add("schema_name", "S 1"),
            OptionChange::add("table_name", "T 1"),
        ],
    )
    .unwrap();
    cat.alter_foreign_table_options(None, "ft", &[OptionChange::set("table_name", "T 2")])
        .unwrap();
    let ft = cat.resolve_relation(None, "ft").unwrap().oid;
    assert_eq!(
        cat.remote_table_name(ft).unwrap(),
        ("S 1".to_string(), "T 2".to_string())
    );
    cat.alter_foreign_table_options(None, "ft", &[OptionChange::drop("schema_name")])
        .unwrap();
    assert_eq!(
        cat.remote_table_name(ft).unwrap(),
        ("public".to_string(), "T 2".to_string())
    );
    cat.alter_column_options(
        None,
        "ft",
        "b",
        &[OptionChange::add("column_name", "B col")],
    )
    .unwrap();
    assert_eq!(cat.remote_column_name(ft, AttrNumber(1)).unwrap(), "a");
    assert_eq!(cat.remote_column_name(ft, AttrNumber(2)).unwrap(), "B col");
}

// ----- Oids and objects ---------------------------------------------------

#[test]
fn table_gets_relation_array_and_row_type_oids() {
    let mut cat = Catalog::new(15).unwrap();
    let t = cat
        .create_relation(&RelationDef::new(
            RelationKind::PartitionedTable,
            "t",
            vec![ColumnDef::new("a", INT4)],
        ))
        .unwrap();
    assert_eq!(t, Oid(16384));
    let rel = cat.relation(t).unwrap();
    assert_eq!((rel.array_type, rel.row_type), (Oid(16385), Oid(16386)));
    assert_eq!(cat.user_type(Oid(16385)).unwrap().name, "_t");
    assert_eq!(cat.resolve_type(None, "t").unwrap(), Oid(16386));
    assert_eq!(cat.next_oid(), Oid(16387));
}

#[test]
fn enum_gets_array_first_and_even_label_oids() {
    let mut cat = Catalog::new(15).unwrap();
    let e = cat
        .create_enum_type(None, "mood", &["sad", "ok", "happy"])
        .unwrap();
    assert_eq!(e, Oid(16385));
    let ty = cat.user_type(e).unwrap();
    assert_eq!(ty.array_type, Oid(16384));
    let fdw_catalog::objects::UserTypeKind::Enum { labels } = &ty.kind else {
        panic!("not an enum: {ty:?}");
    };
    let oids: Vec<u32> = labels.iter().map(|l| l.oid.0).collect();
    assert_eq!(oids, [16386, 16388, 16390]);
    check(
        cat.create_enum_type(None, "mood", &["x"]),
        "type \"mood\" already exists",
    );
}

#[test]
fn search_path_decides_resolution_and_creation() {
    let mut cat = setup();
    cat.create_schema("s1", false).unwrap();
    cat.set_setting("search_path", "s1, public").unwrap();
    let t = cat
        .create_relation(&RelationDef::new(
            RelationKind::Table,
            "ft",
            vec![ColumnDef::new("x", INT4)],
        ))
        .unwrap();
    assert_eq!(cat.resolve_relation(None, "ft").unwrap().oid, t);
    let public_ft = cat.resolve_relation(Some("public"), "ft").unwrap().oid;
    assert_ne!(public_ft, t);
    check(
        cat.resolve_relation(Some("nope"), "ft").map(|r| r.oid),
        "schema \"nope\" does not exist",
    );
    check(
        cat.resolve_relation(None, "zzz").map(|r| r.oid),
        "relation \"zzz\" does not exist",
    );
    cat.set_setting("search_path", "nothing_here").unwrap();
    check(
        cat.create_schema("x", false)
            .and_then(|_| cat.creation_namespace(None)),
        "no schema has been selected to create in",
    );
}

#[test]
fn functions_and_operators_resolve_across_builtin_and_user() {
    let mut cat = Catalog::new(15).unwrap();
    assert_eq!(
        cat.resolve_operator(None, "=", INT4, INT4).unwrap(),
        INT4_EQ
    );
    let f = cat
        .create_function(&fdw_catalog::catalog::FunctionDef::new(
            "my_eq",
            &[INT4, INT4],
            Oid(16),
        ))
        .unwrap();
    assert_eq!(
        cat.resolve_function(None, "my_eq", &[INT4, INT4]).unwrap(),
        f
    );
    check(
        cat.resolve_function(None, "my_eq", &[INT4]),
        "function my_eq(integer) does not exist",
    );
    let op = cat
        .create_operator(&fdw_catalog::catalog::OperatorDef {
            schema: None,
            name: "===".into(),
            left: Some(INT4),
            right: INT4,
            function: f,
            commutator: Some("===".into()),
            negator: Some("!==".into()),
            hashes: false,
            merges: false,
        })
        .unwrap();
    // The negator shell is created before the operator itself.
    assert_eq!(op, Oid(16386));
    let info = cat.operator_info(op).unwrap();
    assert_eq!(
        (info.commutator, info.negator, info.result),
        (op, Oid(16385), Oid(16))
    );
    assert!(cat.user_operator(Oid(16385)).unwrap().is_shell());
    check(
        cat.resolve_operator(None, "===", INT4, TEXT),
        "operator does not exist: integer === text",
    );
}

#[test]
fn statistics_are_checked_and_kept() {
    let mut cat = setup();
    let ft = cat.resolve_relation(None, "ft").unwrap().oid;
    assert!(cat.relation_stats(ft).never_analyzed());
    cat.set_relation_stats(
        ft,
        RelationStats {
            reltuples: 1000.0,
            relpages: 10,
            relallvisible: 0,
        },
    )
    .unwrap();
    check(
        cat.set_column_stats(
            ft,
            AttrNumber(1),
            ColumnStats {
                null_frac: 1.5,
                ..ColumnStats::default()
            },
        ),
        "invalid column statistics: null_frac must be between 0 and 1",
    );
    check(
        cat.set_column_stats(ft, AttrNumber(9), ColumnStats::default()),
        "column \"ft.9\" does not exist",
    );
    assert_eq!(cat.relation_stats(ft).reltuples, 1000.0);
}

// ----- Shippability (spec §1.2) ---------------------------------------------

#[test]
fn builtin_objects_are_always_shippable() {
    let cat = setup();
    let server = cat.server_by_name("loopback").unwrap().oid;
    assert!(cat.is_builtin(INT4_EQ));
    assert!(cat.is_shippable(ObjectClass::Operator, INT4_EQ, server));
    assert!(cat.is_shippable(ObjectClass::Type, INT4, server));
}

#[test]
fn extension_members_ship_only_when_listed() {
    let mut cat = setup();
    let ext = cat.create_extension("cube", None, false).unwrap();
    let cube = cat.resolve_type(None, "cube").unwrap();
    let cube_array = cat.resolve_type(None, "_cube").unwrap();
    assert_eq!(cat.extension_of(ObjectClass::Type, cube), Some(ext));
    let server = cat.server_by_name("loopback").unwrap().oid;
    assert!(!cat.is_builtin(cube));
    assert!(
        !cat.is_shippable(ObjectClass::Type, cube, server),
        "no extensions option"
    );

    cat.alter_server(
        "loopback",
        None,
        &[OptionChange::add("extensions", "seg, cube")],
    )
    .unwrap();
    assert_eq!(
        cat.shippable_extensions(server),
        [ext],
        "seg is not installed: ignored"
    );
    assert!(cat.is_shippable(ObjectClass::Type, cube, server));
    assert!(
        !cat.is_shippable(ObjectClass::Type, cube_array, server),
        "array types of extension types are not members"
    );
    let cube_fn = cat
        .resolve_function(None, "cube", &[Oid(1022), Oid(1022)])
        .unwrap();
    assert!(cat.is_shippable(ObjectClass::Proc, cube_fn, server));
    assert!(
        !cat.is_shippable(ObjectClass::Operator, cube_fn, server),
        "the class must match the object's catalog"
    );

    cat.alter_extension_drop_member(
        "cube",
        ObjectRef {
            class: ObjectClass::Proc,
            oid: cube_fn,
        },
    )
    .unwrap();
    assert!(!cat.is_shippable(ObjectClass::Proc, cube_fn, server));
}

#[test]
fn user_objects_are_not_shippable_unless_added_to_a_listed_extension() {
    let mut cat = setup();
    let ext = cat.create_extension("cube", None, false).unwrap();
    let f = cat
        .create_function(&fdw_catalog::catalog::FunctionDef::new("f", &[INT4], INT4))
        .unwrap();
    cat.alter_server("loopback", None, &[OptionChange::add("extensions", "cube")])
        .unwrap();
    let server = cat.server_by_name("loopback").unwrap().oid;
    assert!(!cat.is_shippable(ObjectClass::Proc, f, server));
    let member = ObjectRef {
        class: ObjectClass::Proc,
        oid: f,
    };
    cat.alter_extension_add_member("cube", member).unwrap();
    assert_eq!(cat.extension_of(ObjectClass::Proc, f), Some(ext));
    assert!(cat.is_shippable(ObjectClass::Proc, f, server));
    check(
        cat.alter_extension_add_member("cube", member),
        &format!("pg_proc {f} is already a member of extension \"cube\""),
    );
}

#[test]
fn unbundled_extension_is_created_empty_with_a_warning() {
    let mut cat = setup();
    cat.take_warnings();
    let oid = cat.create_extension("no_such_ext", None, false).unwrap();
    assert!(!cat.extension_by_name("no_such_ext").unwrap().bundled);
    assert_eq!(cat.next_oid(), Oid(oid.0 + 1));
    assert_eq!(
        cat.take_warnings()[0].message,
        "extension \"no_such_ext\" is not bundled with this build; created without members"
    );
    check(
        cat.create_extension("no_such_ext", None, false),
        "extension \"no_such_ext\" already exists",
    );
}
