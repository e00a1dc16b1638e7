//! Applying parsed statements to a [`Catalog`] through its mutation API.
//!
//! This is where names become oids: type names (already rewritten by the
//! grammar) resolve through the catalog, modifiers become typmods, COLLATE
//! names become collation oids, and function, operator and aggregate
//! references are looked up by their argument types.

use std::collections::BTreeSet;

use fdw_core::Oid;

use super::ast::{
    AlterServerAction, AlterTableAction, ArgMode, ColumnConstraint, ColumnDef, CreateAggregate,
    CreateFunction, CreateTable, DefElem, DefValue, DropObjectKind, DropTarget, ExtensionMember,
    FunctionReturn, GenericOption, OptionChange, PartitionBound, PartitionBy, PartitionStrategy,
    QualifiedName, Statement, StatementKind, TableConstraint, TablePersistence, TypeDefinition,
    TypeName, UserSpec, Volatility,
};
use super::typmod::typmod;
use super::{LoadReport, LoadWarning};
use crate::builtin::PG_CATALOG_NAMESPACE;
use crate::catalog::{
    AggregateDef, Catalog, DomainDef, FunctionDef, MappingUserSpec, OperatorDef, RelationDef,
    ServerDef,
};
use crate::error::{Error, Position, Result};
use crate::objects::{self, AggregateKind, FunctionKind, ObjectClass, ObjectRef, RelationKind};
use crate::options;

/// `void`, the result type of procedures.
const VOID: Oid = Oid(2278);
/// `record`, the result type of `RETURNS TABLE` functions with several columns.
const RECORD: Oid = Oid(2249);

/// Applies `stmts` in order, filling `report`.
pub(crate) fn apply_all(
    catalog: &mut Catalog,
    stmts: Vec<Statement>,
    report: &mut LoadReport,
) -> Result<()> {
    let mut ctx = Ctx {
        catalog,
        report,
        position: Position::default(),
    };
    for stmt in stmts {
        ctx.position = stmt.position;
        let res = ctx.apply(stmt.kind);
        let warnings = ctx.catalog.take_warnings();
        ctx.report
            .warnings
            .extend(warnings.into_iter().map(|w| LoadWarning {
                position: stmt.position,
                message: w.message,
            }));
        match res {
            Ok(Outcome::Applied) => ctx.report.applied += 1,
            Ok(Outcome::Skipped(kind)) => *ctx.report.skipped.entry(kind).or_insert(0) += 1,
            Err(err) => {
                return Err(Error::Statement {
                    position: stmt.position,
                    cause: Box::new(err),
                })
            }
        }
    }
    Ok(())
}

enum Outcome {
    Applied,
    Skipped(String),
}

struct Ctx<'a> {
    catalog: &'a mut Catalog,
    report: &'a mut LoadReport,
    position: Position,
}

fn schema_of(name: &QualifiedName) -> Option<&str> {
    name.schema.as_deref()
}

fn option_pairs(options: &[GenericOption]) -> Vec<(String, String)> {
    options
        .iter()
        .map(|o| (o.name.clone(), o.value.clone()))
        .collect()
}

fn option_changes(changes: &[OptionChange]) -> Vec<options::OptionChange> {
    changes
        .iter()
        .map(|change| match change {
            OptionChange::Add(o) => options::OptionChange::add(&o.name, &o.value),
            OptionChange::Set(o) => options::OptionChange::set(&o.name, &o.value),
            OptionChange::Drop { name, .. } => options::OptionChange::drop(name),
        })
        .collect()
}

fn mapping_user(user: &UserSpec) -> MappingUserSpec {
    match user {
        UserSpec::Public => MappingUserSpec::Public,
        // A loader has one session: its session user is the current user.
        UserSpec::CurrentUser | UserSpec::SessionUser => MappingUserSpec::CurrentUser,
        UserSpec::Role(name) => MappingUserSpec::Role(name.clone()),
    }
}

/// A resolved column type.
struct ResolvedType {
    oid: Oid,
    typmod: i32,
}

impl Ctx<'_> {
    fn warn(&mut self, message: String) {
        self.report.warnings.push(LoadWarning {
            position: self.position,
            message,
        });
    }

    fn apply(&mut self, kind: StatementKind) -> Result<Outcome> {
        match kind {
            StatementKind::CreateSchema {
                name,
                if_not_exists,
            } => {
                self.catalog.create_schema(&name, if_not_exists)?;
            }
            StatementKind::CreateExtension {
                name,
                if_not_exists,
                schema,
                version: _,
                cascade,
            } => {
                self.catalog.create_extension_with(
                    &name,
                    schema.as_deref(),
                    if_not_exists,
                    cascade,
                )?;
            }
            StatementKind::AlterExtensionMember {
                extension,
                add,
                member,
            } => return self.alter_extension_member(&extension, add, &member),
            StatementKind::CreateForeignDataWrapper {
                name,
                handler,
                validator,
                options,
            } => {
                let handler = match handler {
                    Some(f) => Some(self.catalog.resolve_function(schema_of(&f), &f.name, &[])?),
                    None => None,
                };
                let validator = match validator {
                    Some(f) => Some(self.catalog.resolve_function(
                        schema_of(&f),
                        &f.name,
                        &[Oid(1009), Oid(26)],
                    )?),
                    None => None,
                };
                self.catalog.create_foreign_data_wrapper(
                    &name,
                    handler,
                    validator,
                    &option_pairs(&options),
                )?;
            }
            StatementKind::CreateServer(server) => {
                self.catalog.create_server(&ServerDef {
                    name: server.name,
                    wrapper: server.wrapper,
                    server_type: server.server_type,
                    version: server.version,
                    options: option_pairs(&server.options),
                    if_not_exists: server.if_not_exists,
                })?;
            }
            StatementKind::AlterServer { name, action } => match action {
                AlterServerAction::Options { version, options } => {
                    self.catalog
                        .alter_server(&name, version, &option_changes(&options))?;
                }
                // Ownership is not modelled; the server must still exist.
                AlterServerAction::OwnerTo(_) => {
                    if self.catalog.server_by_name(&name).is_none() {
                        return Err(Error::UndefinedObject {
                            kind: "server",
                            name,
                        });
                    }
                    return Ok(Outcome::Skipped("ALTER SERVER OWNER TO".to_owned()));
                }
                AlterServerAction::RenameTo(new_name) => {
                    self.catalog.rename_server(&name, &new_name)?;
                }
            },
            StatementKind::CreateUserMapping {
                user,
                server,
                if_not_exists,
                options,
            } => {
                self.catalog.create_user_mapping(
                    &mapping_user(&user),
                    &server,
                    &option_pairs(&options),
                    if_not_exists,
                )?;
            }
            StatementKind::AlterUserMapping {
                user,
                server,
                options,
            } => {
                self.catalog.alter_user_mapping(
                    &mapping_user(&user),
                    &server,
                    &option_changes(&options),
                )?;
            }
            StatementKind::DropUserMapping {
                user,
                server,
                if_exists,
            } => {
                self.catalog
                    .drop_user_mapping(&mapping_user(&user), &server, if_exists)?;
            }
            StatementKind::CreateTable(table) => self.create_table(table)?,
            StatementKind::CreateType { name, definition } => {
                return self.create_type(&name, definition);
            }
            StatementKind::CreateDomain {
                name,
                data_type,
                collation,
                default,
                not_null,
                checks,
            } => {
                let ty = self.resolve_type(&data_type)?;
                let collation = match collation {
                    Some(c) => Some(self.resolve_collation(&c, ty.oid)?),
                    None => None,
                };
                self.catalog.create_domain(&DomainDef {
                    schema: name.schema.clone(),
                    name: name.name.clone(),
                    base_type: ty.oid,
                    typmod: ty.typmod,
                    collation,
                    not_null,
                    default: default.map(|d| d.to_string()),
                    checks: checks.iter().map(|c| (None, c.to_string())).collect(),
                })?;
            }
            StatementKind::CreateFunction(func) => self.create_function(func)?,
            StatementKind::CreateAggregate(agg) => self.create_aggregate(agg)?,
            StatementKind::CreateOperator { name, definition } => {
                self.create_operator(&name, &definition)?;
            }
            StatementKind::CreateView {
                name,
                or_replace,
                columns,
                query,
                check_option,
            } => {
                // A view's columns need its query analysed, which is the SQL
                // front end's job: the catalog records the query as written.
                let def = RelationDef::new(RelationKind::View, &name.name, Vec::new());
                let def = RelationDef {
                    schema: name.schema.clone(),
                    ..def
                };
                let view = objects::ViewDef {
                    query,
                    column_names: columns,
                    check_option,
                };
                self.catalog.create_view(&def, view, or_replace)?;
            }
            StatementKind::AlterTable {
                foreign: _,
                if_exists,
                name,
                actions,
            } => {
                if if_exists
                    && self
                        .catalog
                        .resolve_relation(schema_of(&name), &name.name)
                        .is_err()
                {
                    self.warn(format!("relation \"{name}\" does not exist, skipping"));
                    return Ok(Outcome::Applied);
                }
                for action in actions {
                    self.alter_table_action(&name, action)?;
                }
            }
            StatementKind::RenameTable {
                if_exists,
                name,
                new_name,
                ..
            } => {
                if if_exists
                    && self
                        .catalog
                        .resolve_relation(schema_of(&name), &name.name)
                        .is_err()
                {
                    self.warn(format!("relation \"{name}\" does not exist, skipping"));
                    return Ok(Outcome::Applied);
                }
                self.catalog
                    .rename_relation(schema_of(&name), &name.name, &new_name)?;
            }
            StatementKind::RenameColumn {
                if_exists,
                name,
                column,
                new_name,
                ..
            } => {
                if if_exists
                    && self
                        .catalog
                        .resolve_relation(schema_of(&name), &name.name)
                        .is_err()
                {
                    self.warn(format!("relation \"{name}\" does not exist, skipping"));
                    return Ok(Outcome::Applied);
                }
                self.catalog
                    .rename_column(schema_of(&name), &name.name, &column, &new_name)?;
            }
            StatementKind::Drop {
                object,
                if_exists,
                targets,
                cascade,
            } => {
                for target in targets {
                    if let Some(outcome) = self.drop(object, if_exists, &target, cascade)? {
                        return Ok(outcome);
                    }
                }
            }
            StatementKind::ImportForeignSchema {
                remote_schema,
                server,
                ..
            } => {
                return Err(Error::InvalidDefinition(format!(
                    "IMPORT FOREIGN SCHEMA \"{remote_schema}\" FROM SERVER {server} needs the remote server's catalog, which a DDL file cannot provide; import against the live server instead"
                )));
            }
            StatementKind::Set { name, values } => return self.set(&name, &values),
            StatementKind::Skipped { kind } => return Ok(Outcome::Skipped(kind)),
        }
        Ok(Outcome::Applied)
    }

    fn set(&mut self, name: &str, values: &[String]) -> Result<Outcome> {
        let value = if name == "search_path" {
            // search_path is a list of identifiers: each element is quoted
            // as needed, as PostgreSQL's flatten_set_variable_args does.
            values
                .iter()
                .map(|v| quote_identifier(v))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            values.join(", ")
        };
        let res = if values.is_empty() {
            self.catalog.reset_setting(name)
        } else {
            self.catalog.set_setting(name, &value)
        };
        match res {
            Ok(()) => Ok(Outcome::Applied),
            Err(Error::UnknownSetting { .. }) => Ok(Outcome::Skipped("SET".to_owned())),
            Err(err) => Err(err),
        }
    }

    /// Resolves a type name to its oid and typmod.
    fn resolve_type(&mut self, ty: &TypeName) -> Result<ResolvedType> {
        if ty.percent_type {
            // `table.column%TYPE`: the name's schema part is the table.
            let table = ty.name.schema.as_deref().unwrap_or_default();
            let rel = self.catalog.resolve_relation(None, table)?;
            let column = rel
                .column(&ty.name.name)
                .ok_or_else(|| Error::UndefinedObject {
                    kind: "column",
                    name: format!("{table}.{}", ty.name.name),
                })?;
            return Ok(ResolvedType {
                oid: column.type_oid,
                typmod: column.typmod,
            });
        }
        let elem = self
            .catalog
            .resolve_type(schema_of(&ty.name), &ty.name.name)?;
        let computed = typmod(elem, &ty.name.name, &ty.modifiers)?;
        if let Some(warning) = computed.warning {
            self.warn(warning);
        }
        let oid = if ty.array_dims > 0 {
            // An array of an array type is the same array type.
            let is_array = self
                .catalog
                .type_info(elem)
                .is_some_and(|t| t.category == 'A');
            if is_array {
                elem
            } else {
                self.catalog.array_type_of(elem).ok_or_else(|| {
                    Error::InvalidDefinition(format!(
                        "could not find array type for data type {}",
                        self.catalog.format_type(elem)
                    ))
                })?
            }
        } else {
            elem
        };
        Ok(ResolvedType {
            oid,
            typmod: computed.value,
        })
    }

    /// Resolves `COLLATE name` for a column of `type_oid`.
    fn resolve_collation(&self, name: &QualifiedName, type_oid: Oid) -> Result<Oid> {
        let namespace = match &name.schema {
            Some(schema) => self.catalog.namespace_oid(schema),
            None => Some(PG_CATALOG_NAMESPACE),
        };
        let collation = namespace
            .and_then(|ns| self.catalog.builtin().collation_by_name(ns, &name.name))
            .map(|c| c.oid)
            .ok_or_else(|| Error::UndefinedObject {
                kind: "collation",
                name: name.to_string(),
            })?;
        if self.catalog.type_collation(type_oid).is_invalid() {
            return Err(Error::InvalidDefinition(format!(
                "collations are not supported by type {}",
                self.catalog.format_type(type_oid)
            )));
        }
        Ok(collation)
    }

    /// One column definition; CHECK constraints go to `checks`.
    fn column_def(
        &mut self,
        table: &str,
        col: &ColumnDef,
        data_type: &TypeName,
        checks: &mut Vec<(Option<String>, String)>,
    ) -> Result<objects::ColumnDef> {
        let ty = self.resolve_type(data_type)?;
        let mut def = objects::ColumnDef {
            typmod: ty.typmod,
            options: option_pairs(&col.options),
            ..objects::ColumnDef::new(&col.name, ty.oid)
        };
        let mut nullability = None;
        for constraint in &col.constraints {
            match constraint {
                ColumnConstraint::NotNull
                | ColumnConstraint::PrimaryKey
                | ColumnConstraint::Identity => {
                    if nullability == Some(false) {
                        return Err(conflicting_null(&col.name, table));
                    }
                    nullability = Some(true);
                }
                ColumnConstraint::Null => {
                    if nullability == Some(true) {
                        return Err(conflicting_null(&col.name, table));
                    }
                    nullability = Some(false);
                }
                ColumnConstraint::Default(expr) => {
                    if def.default.is_some() {
                        return Err(Error::InvalidDefinition(format!(
                            "multiple default values specified for column \"{}\" of table \"{table}\"",
                            col.name
                        )));
                    }
                    def.default = Some(expr.to_string());
                }
                ColumnConstraint::Collate(name) => {
                    def.collation = Some(self.resolve_collation(name, ty.oid)?);
                }
                ColumnConstraint::Check(expr) => {
                    checks.push((
                        Some(format!("{table}_{}_check", col.name)),
                        expr.to_string(),
                    ));
                }
                ColumnConstraint::Generated(expr) => def.generated = Some(expr.to_string()),
                ColumnConstraint::Unique | ColumnConstraint::References(_) => {}
            }
        }
        def.not_null = nullability == Some(true);
        Ok(def)
    }

    fn create_table(&mut self, table: CreateTable) -> Result<()> {
        let kind = match (table.persistence, &table.partition_by) {
            (TablePersistence::Foreign, Some(_)) => {
                return Err(Error::InvalidDefinition(
                    "foreign tables cannot be partitioned".to_owned(),
                ))
            }
            (TablePersistence::Foreign, None) => RelationKind::ForeignTable,
            (_, Some(_)) => RelationKind::PartitionedTable,
            (_, None) => RelationKind::Table,
        };
        let mut checks = Vec::new();
        let mut columns = Vec::new();
        let mut seen = BTreeSet::new();
        for col in &table.columns {
            if !seen.insert(col.name.clone()) {
                return Err(Error::InvalidDefinition(format!(
                    "column \"{}\" specified more than once",
                    col.name
                )));
            }
        }
        let mut parents = Vec::new();
        let mut partition_bound = None;
        if let Some(partition) = &table.partition_of {
            let parent = self
                .catalog
                .resolve_relation(schema_of(&partition.parent), &partition.parent.name)?;
            if parent.kind != RelationKind::PartitionedTable {
                return Err(Error::InvalidDefinition(format!(
                    "table \"{}\" is not partitioned",
                    partition.parent.name
                )));
            }
            if !table.columns.is_empty() {
                // The partition takes the parent's columns; its own list
                // only adds constraints and defaults to them.
                let parent_columns: Vec<objects::Column> = parent.live_columns().cloned().collect();
                for col in &table.columns {
                    if !parent_columns.iter().any(|c| c.name == col.name) {
                        return Err(Error::InvalidDefinition(format!(
                            "column \"{}\" named in partition key does not exist",
                            col.name
                        )));
                    }
                }
                for pc in parent_columns {
                    let mut def = objects::ColumnDef {
                        typmod: pc.typmod,
                        collation: Some(pc.collation),
                        not_null: pc.not_null,
                        default: pc.default.clone(),
                        generated: pc.generated.clone(),
                        ..objects::ColumnDef::new(&pc.name, pc.type_oid)
                    };
                    if let Some(col) = table.columns.iter().find(|c| c.name == pc.name) {
                        def.options = option_pairs(&col.options);
                        for constraint in &col.constraints {
                            match constraint {
                                ColumnConstraint::NotNull => def.not_null = true,
                                ColumnConstraint::Default(expr) => {
                                    def.default = Some(expr.to_string());
                                }
                                ColumnConstraint::Check(expr) => checks.push((
                                    Some(format!("{}_{}_check", table.name.name, col.name)),
                                    expr.to_string(),
                                )),
                                _ => {}
                            }
                        }
                    }
                    columns.push(def);
                }
            }
            parents.push((
                partition.parent.schema.clone(),
                partition.parent.name.clone(),
            ));
            partition_bound = Some(render_bound(&partition.bound));
        } else {
            for col in &table.columns {
                let Some(data_type) = &col.data_type else {
                    continue;
                };
                columns.push(self.column_def(&table.name.name, col, data_type, &mut checks)?);
            }
            for parent in &table.inherits {
                parents.push((parent.schema.clone(), parent.name.clone()));
            }
        }
        for constraint in &table.constraints {
            match constraint {
                TableConstraint::PrimaryKey(names) => {
                    for name in names {
                        match columns.iter_mut().find(|c| &c.name == name) {
                            Some(col) => col.not_null = true,
                            None => {
                                return Err(Error::InvalidDefinition(format!(
                                    "column \"{name}\" named in key does not exist"
                                )))
                            }
                        }
                    }
                }
                TableConstraint::Check(expr) => checks.push((None, expr.to_string())),
                TableConstraint::Unique(_) | TableConstraint::ForeignKey { .. } => {}
            }
        }
        self.catalog.create_relation(&RelationDef {
            schema: table.name.schema.clone(),
            name: table.name.name.clone(),
            kind,
            columns,
            parents,
            partition_bound,
            partition_key: table.partition_by.as_ref().map(render_partition_key),
            checks,
            server: table.server.clone(),
            options: option_pairs(&table.options),
            if_not_exists: table.if_not_exists,
        })?;
        Ok(())
    }

    fn create_type(&mut self, name: &QualifiedName, definition: TypeDefinition) -> Result<Outcome> {
        match definition {
            TypeDefinition::Enum(labels) => {
                let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
                self.catalog
                    .create_enum_type(schema_of(name), &name.name, &labels)?;
            }
            TypeDefinition::Composite(attrs) => {
                let mut columns = Vec::new();
                for attr in attrs {
                    let ty = self.resolve_type(&attr.data_type)?;
                    let collation = match &attr.collation {
                        Some(c) => Some(self.resolve_collation(c, ty.oid)?),
                        None => None,
                    };
                    columns.push(objects::ColumnDef {
                        typmod: ty.typmod,
                        collation,
                        ..objects::ColumnDef::new(&attr.name, ty.oid)
                    });
                }
                self.catalog
                    .create_composite_type(schema_of(name), &name.name, columns)?;
            }
            // Base, range and shell types need C functions or subtype
            // machinery the catalog does not model; they are skipped.
            TypeDefinition::Range(_) | TypeDefinition::Base(_) | TypeDefinition::Shell => {
                return Ok(Outcome::Skipped("CREATE TYPE".to_owned()));
            }
        }
        Ok(Outcome::Applied)
    }

    fn create_function(&mut self, func: CreateFunction) -> Result<()> {
        let mut args = Vec::new();
        for arg in &func.args {
            let ty = self.resolve_type(&arg.data_type)?;
            args.push(objects::FunctionArg {
                name: arg.name.clone(),
                type_oid: ty.oid,
                mode: match arg.mode {
                    ArgMode::In => objects::ArgMode::In,
                    ArgMode::Out => objects::ArgMode::Out,
                    ArgMode::InOut => objects::ArgMode::InOut,
                    ArgMode::Variadic => objects::ArgMode::Variadic,
                },
                default: arg.default.as_ref().map(|d| d.to_string()),
            });
        }
        let (return_type, returns_set) = match &func.returns {
            None if func.procedure => (VOID, false),
            None => {
                // PostgreSQL derives the result from OUT arguments.
                let outs: Vec<Oid> = args
                    .iter()
                    .filter(|a| matches!(a.mode, objects::ArgMode::Out | objects::ArgMode::InOut))
                    .map(|a| a.type_oid)
                    .collect();
                match outs.as_slice() {
                    [] => {
                        return Err(Error::InvalidDefinition(
                            "function result type must be specified".to_owned(),
                        ))
                    }
                    [single] => (*single, false),
                    _ => (RECORD, false),
                }
            }
            Some(FunctionReturn::Type { data_type, set }) => {
                (self.resolve_type(data_type)?.oid, *set)
            }
            Some(FunctionReturn::Table(columns)) => {
                let mut types = Vec::new();
                for (name, data_type) in columns {
                    let oid = self.resolve_type(data_type)?.oid;
                    types.push(oid);
                    args.push(objects::FunctionArg {
                        name: Some(name.clone()),
                        type_oid: oid,
                        mode: objects::ArgMode::Table,
                        default: None,
                    });
                }
                match types.as_slice() {
                    [single] => (*single, true),
                    _ => (RECORD, true),
                }
            }
        };
        let language = match (&func.language, &func.body) {
            (Some(language), _) => language.clone(),
            // SQL-standard bodies imply LANGUAGE sql.
            (None, Some(objects::FunctionBody::Sql(_))) => "sql".to_owned(),
            (None, _) => return Err(Error::InvalidDefinition("no language specified".to_owned())),
        };
        let config = self.function_config(&func.config);
        self.catalog.create_function(&FunctionDef {
            schema: func.name.schema.clone(),
            name: func.name.name.clone(),
            kind: if func.procedure {
                FunctionKind::Procedure
            } else {
                FunctionKind::Function
            },
            args,
            return_type,
            returns_set,
            volatility: match func.volatility {
                Volatility::Immutable => objects::Volatility::Immutable,
                Volatility::Stable => objects::Volatility::Stable,
                Volatility::Volatile => objects::Volatility::Volatile,
            },
            strict: func.strict,
            language,
            cost: func.cost,
            rows: func.rows,
            or_replace: func.or_replace,
            body: func.body,
            security_definer: func.security_definer,
            config,
        })?;
        Ok(())
    }

    /// `proconfig` from the `SET` clauses, as `CREATE FUNCTION` builds it:
    /// one `name=value` entry per setting (a later clause for the same name
    /// replaces the earlier one), `FROM CURRENT` taking the session's value
    /// and `TO DEFAULT` removing the entry.
    fn function_config(&self, clauses: &[(String, Option<Vec<String>>)]) -> Vec<String> {
        let mut config: Vec<String> = Vec::new();
        for (name, values) in clauses {
            let name = name.to_ascii_lowercase();
            let prefix = format!("{name}=");
            config.retain(|entry| !entry.starts_with(&prefix));
            let value = match values {
                None => self.catalog.settings().text(&name),
                Some(values) if values.is_empty() => continue,
                Some(values) => values.join(", "),
            };
            config.push(format!("{prefix}{value}"));
        }
        config
    }

    fn arg_oids(&mut self, types: &[TypeName]) -> Result<Vec<Oid>> {
        types
            .iter()
            .map(|t| self.resolve_type(t).map(|r| r.oid))
            .collect()
    }

    fn def_name<'d>(definition: &'d [DefElem], name: &str) -> Option<&'d DefValue> {
        definition
            .iter()
            .find(|d| d.name == name)
            .and_then(|d| d.value.as_ref())
    }

    fn def_type(&mut self, definition: &[DefElem], name: &str) -> Result<Option<ResolvedType>> {
        match Self::def_name(definition, name) {
            Some(DefValue::Name(ty)) => Ok(Some(self.resolve_type(ty)?)),
            Some(other) => Err(Error::InvalidDefinition(format!(
                "{name} requires a type name, found {other:?}"
            ))),
            None => Ok(None),
        }
    }

    fn def_function(definition: &[DefElem], name: &str) -> Result<Option<QualifiedName>> {
        match Self::def_name(definition, name) {
            Some(DefValue::Name(ty)) => Ok(Some(ty.name.clone())),
            Some(DefValue::String(s)) => Ok(Some(QualifiedName {
                schema: None,
                name: s.clone(),
            })),
            Some(other) => Err(Error::InvalidDefinition(format!(
                "{name} requires a function name, found {other:?}"
            ))),
            None => Ok(None),
        }
    }

    fn create_aggregate(&mut self, agg: CreateAggregate) -> Result<()> {
        let args = self.arg_oids(&agg.args)?;
        let ordered = self.arg_oids(&agg.order_by)?;
        let state = self.def_type(&agg.definition, "stype")?.ok_or_else(|| {
            Error::InvalidDefinition("aggregate stype must be specified".to_owned())
        })?;
        let sfunc = Self::def_function(&agg.definition, "sfunc")?.ok_or_else(|| {
            Error::InvalidDefinition("aggregate sfunc must be specified".to_owned())
        })?;
        let mut sfunc_args = vec![state.oid];
        sfunc_args.extend(&args);
        sfunc_args.extend(&ordered);
        let transition_fn =
            self.catalog
                .resolve_function(schema_of(&sfunc), &sfunc.name, &sfunc_args)?;
        let final_fn = match Self::def_function(&agg.definition, "finalfunc")? {
            Some(f) => Some(
                self.catalog
                    .resolve_function(schema_of(&f), &f.name, &[state.oid])?,
            ),
            None => None,
        };
        let combine_fn = match Self::def_function(&agg.definition, "combinefunc")? {
            Some(f) => Some(self.catalog.resolve_function(
                schema_of(&f),
                &f.name,
                &[state.oid, state.oid],
            )?),
            None => None,
        };
        let sort_operator = match Self::def_name(&agg.definition, "sortop") {
            Some(DefValue::Operator(op)) => {
                let arg = args.first().copied().unwrap_or(Oid::INVALID);
                Some(
                    self.catalog
                        .resolve_operator(schema_of(op), &op.name, arg, arg)?,
                )
            }
            _ => None,
        };
        let initial_value = match Self::def_name(&agg.definition, "initcond") {
            Some(DefValue::String(s) | DefValue::Number(s)) => Some(s.clone()),
            _ => None,
        };
        let return_type = match final_fn {
            Some(f) => self
                .catalog
                .proc_info(f)
                .map_or(state.oid, |p| p.return_type),
            None => state.oid,
        };
        let hypothetical = agg.definition.iter().any(|d| d.name == "hypothetical");
        let mut all_args = args;
        all_args.extend(&ordered);
        self.catalog.create_aggregate(&AggregateDef {
            schema: agg.name.schema.clone(),
            name: agg.name.name.clone(),
            arg_types: all_args,
            transition_fn,
            state_type: state.oid,
            final_fn,
            combine_fn,
            initial_value,
            sort_operator,
            return_type,
            kind: match (agg.order_by.is_empty(), hypothetical) {
                (true, _) => AggregateKind::Normal,
                (false, false) => AggregateKind::OrderedSet,
                (false, true) => AggregateKind::Hypothetical,
            },
            or_replace: agg.or_replace,
        })?;
        Ok(())
    }

    fn create_operator(&mut self, name: &QualifiedName, definition: &[DefElem]) -> Result<()> {
        let left = self.def_type(definition, "leftarg")?.map(|t| t.oid);
        let right = self
            .def_type(definition, "rightarg")?
            .map(|t| t.oid)
            .ok_or_else(|| {
                Error::InvalidDefinition(
                    "operator right argument type must be specified".to_owned(),
                )
            })?;
        let function = match Self::def_function(definition, "function")? {
            Some(f) => f,
            None => Self::def_function(definition, "procedure")?.ok_or_else(|| {
                Error::InvalidDefinition("operator function must be specified".to_owned())
            })?,
        };
        let fn_args: Vec<Oid> = left.into_iter().chain([right]).collect();
        let function =
            self.catalog
                .resolve_function(schema_of(&function), &function.name, &fn_args)?;
        let op_name = |key: &str| match Self::def_name(definition, key) {
            Some(DefValue::Operator(op)) => Some(op.name.clone()),
            _ => None,
        };
        self.catalog.create_operator(&OperatorDef {
            schema: name.schema.clone(),
            name: name.name.clone(),
            left,
            right,
            function,
            commutator: op_name("commutator"),
            negator: op_name("negator"),
            hashes: definition.iter().any(|d| d.name == "hashes"),
            merges: definition.iter().any(|d| d.name == "merges"),
        })?;
        Ok(())
    }

    fn alter_extension_member(
        &mut self,
        extension: &str,
        add: bool,
        member: &ExtensionMember,
    ) -> Result<Outcome> {
        let object = match member {
            ExtensionMember::Function { name, args }
            | ExtensionMember::Aggregate { name, args } => {
                let args = self.arg_oids(args)?;
                ObjectRef {
                    class: ObjectClass::Proc,
                    oid: self
                        .catalog
                        .resolve_function(schema_of(name), &name.name, &args)?,
                }
            }
            ExtensionMember::Operator { name, left, right } => {
                let left = match left {
                    Some(t) => self.resolve_type(t)?.oid,
                    None => Oid::INVALID,
                };
                let right = match right {
                    Some(t) => self.resolve_type(t)?.oid,
                    None => Oid::INVALID,
                };
                ObjectRef {
                    class: ObjectClass::Operator,
                    oid: self
                        .catalog
                        .resolve_operator(schema_of(name), &name.name, left, right)?,
                }
            }
            ExtensionMember::Type(ty) | ExtensionMember::Domain(ty) => ObjectRef {
                class: ObjectClass::Type,
                oid: self.resolve_type(ty)?.oid,
            },
            ExtensionMember::Cast { source, target } => {
                let source = self.resolve_type(source)?.oid;
                let target = self.resolve_type(target)?.oid;
                let cast = self.catalog.builtin().cast(source, target).ok_or_else(|| {
                    Error::UndefinedObject {
                        kind: "cast",
                        name: format!(
                            "from type {} to type {}",
                            self.catalog.format_type(source),
                            self.catalog.format_type(target)
                        ),
                    }
                })?;
                ObjectRef {
                    class: ObjectClass::Cast,
                    oid: cast.oid,
                }
            }
            ExtensionMember::OperatorClass { .. }
            | ExtensionMember::OperatorFamily { .. }
            | ExtensionMember::Other(_) => {
                // Operator classes and families and non-routine objects do
                // not take part in postgres_fdw's shippability test.
                let verb = if add { "ADD" } else { "DROP" };
                return Ok(Outcome::Skipped(format!("ALTER EXTENSION {verb}")));
            }
        };
        if add {
            self.catalog.alter_extension_add_member(extension, object)?;
        } else {
            self.catalog
                .alter_extension_drop_member(extension, object)?;
        }
        Ok(Outcome::Applied)
    }

    fn alter_table_action(
        &mut self,
        table: &QualifiedName,
        action: AlterTableAction,
    ) -> Result<()> {
        let schema = schema_of(table);
        match action {
            AlterTableAction::Options(changes) => {
                self.catalog.alter_foreign_table_options(
                    schema,
                    &table.name,
                    &option_changes(&changes),
                )?;
            }
            AlterTableAction::AddColumn {
                if_not_exists,
                column,
            } => {
                let exists = self
                    .catalog
                    .resolve_relation(schema, &table.name)?
                    .column(&column.name)
                    .is_some();
                if exists && if_not_exists {
                    self.warn(format!(
                        "column \"{}\" of relation \"{}\" already exists, skipping",
                        column.name, table.name
                    ));
                    return Ok(());
                }
                let Some(data_type) = &column.data_type else {
                    return Ok(());
                };
                let mut checks = Vec::new();
                let def = self.column_def(&table.name, &column, data_type, &mut checks)?;
                self.catalog.add_column(schema, &table.name, &def)?;
            }
            AlterTableAction::DropColumn { name, if_exists } => {
                self.catalog
                    .drop_column(schema, &table.name, &name, if_exists)?;
            }
            AlterTableAction::AlterColumnType {
                name,
                data_type,
                collation,
            } => {
                let ty = self.resolve_type(&data_type)?;
                let collation = match collation {
                    Some(c) => self.resolve_collation(&c, ty.oid)?,
                    None => self.catalog.type_collation(ty.oid),
                };
                self.catalog
                    .alter_column(schema, &table.name, &name, |col| {
                        col.type_oid = ty.oid;
                        col.typmod = ty.typmod;
                        col.collation = collation;
                    })?;
            }
            AlterTableAction::SetNotNull { name, not_null } => {
                self.catalog
                    .alter_column(schema, &table.name, &name, |col| col.not_null = not_null)?;
            }
            AlterTableAction::SetDefault { name, default } => {
                let default = default.map(|d| d.to_string());
                self.catalog
                    .alter_column(schema, &table.name, &name, |col| col.default = default)?;
            }
            AlterTableAction::ColumnOptions { name, options } => {
                self.catalog.alter_column_options(
                    schema,
                    &table.name,
                    &name,
                    &option_changes(&options),
                )?;
            }
            AlterTableAction::AttachPartition { partition, bound } => {
                self.catalog.attach_partition(
                    schema,
                    &table.name,
                    schema_of(&partition),
                    &partition.name,
                    &render_bound(&bound),
                )?;
            }
            AlterTableAction::DetachPartition(partition) => {
                self.catalog.detach_partition(
                    schema,
                    &table.name,
                    schema_of(&partition),
                    &partition.name,
                )?;
            }
            // ADD CONSTRAINT, OWNER TO, ... change nothing the planner reads.
            AlterTableAction::Other(_) => {}
        }
        Ok(())
    }

    /// Drops one target; `Some(outcome)` ends the statement early.
    fn drop(
        &mut self,
        object: DropObjectKind,
        if_exists: bool,
        target: &DropTarget,
        cascade: bool,
    ) -> Result<Option<Outcome>> {
        let name = &target.name;
        let schema = schema_of(name);
        match object {
            DropObjectKind::Schema => self.catalog.drop_schema(&name.name, if_exists, cascade)?,
            DropObjectKind::Extension => {
                self.catalog
                    .drop_extension(&name.name, if_exists, cascade)?;
            }
            DropObjectKind::Server => self.catalog.drop_server(&name.name, if_exists, cascade)?,
            DropObjectKind::ForeignTable => self.catalog.drop_relation(
                RelationKind::ForeignTable,
                schema,
                &name.name,
                if_exists,
                cascade,
            )?,
            DropObjectKind::Table => self.catalog.drop_relation(
                RelationKind::Table,
                schema,
                &name.name,
                if_exists,
                cascade,
            )?,
            DropObjectKind::View => {
                self.catalog.drop_relation(
                    RelationKind::View,
                    schema,
                    &name.name,
                    if_exists,
                    cascade,
                )?;
            }
            DropObjectKind::Type | DropObjectKind::Domain => {
                self.catalog
                    .drop_type(schema, &name.name, if_exists, cascade)?;
            }
            DropObjectKind::Function | DropObjectKind::Aggregate => {
                let args = match &target.args {
                    Some(args) => {
                        let types: Vec<TypeName> = args.iter().flatten().cloned().collect();
                        self.arg_oids(&types)?
                    }
                    None => self.unique_function_args(name)?,
                };
                self.catalog
                    .drop_function(schema, &name.name, &args, if_exists)?;
            }
            DropObjectKind::Operator => {
                let (left, right) = match target.args.as_deref() {
                    Some([left, right]) => (left.clone(), right.clone()),
                    _ => (None, None),
                };
                let left = match &left {
                    Some(t) => self.resolve_type(t)?.oid,
                    None => Oid::INVALID,
                };
                let right = match &right {
                    Some(t) => self.resolve_type(t)?.oid,
                    None => Oid::INVALID,
                };
                self.catalog
                    .drop_operator(schema, &name.name, left, right, if_exists)?;
            }
        }
        Ok(None)
    }

    /// The input types of the only user function called `name`, for a
    /// DROP FUNCTION without an argument list.
    fn unique_function_args(&self, name: &QualifiedName) -> Result<Vec<Oid>> {
        let namespace = name
            .schema
            .as_deref()
            .and_then(|s| self.catalog.namespace_oid(s));
        let matches: Vec<Vec<Oid>> = self
            .catalog
            .functions()
            .filter(|f| f.name == name.name && namespace.is_none_or(|ns| f.schema == ns))
            .map(objects::Function::input_types)
            .collect();
        match matches.as_slice() {
            [single] => Ok(single.clone()),
            [] => Ok(Vec::new()),
            _ => Err(Error::InvalidDefinition(format!(
                "function name \"{name}\" is not unique"
            ))),
        }
    }
}

fn conflicting_null(column: &str, table: &str) -> Error {
    Error::InvalidDefinition(format!(
        "conflicting NULL/NOT NULL declarations for column \"{column}\" of table \"{table}\""
    ))
}

/// A partition bound as PostgreSQL prints it (`pg_get_expr` of relpartbound).
fn render_bound(bound: &PartitionBound) -> String {
    let list = |exprs: &[super::ast::Expr]| {
        exprs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match bound {
        PartitionBound::Default => "DEFAULT".to_owned(),
        PartitionBound::List(values) => format!("FOR VALUES IN ({})", list(values)),
        PartitionBound::Range { from, to } => {
            format!("FOR VALUES FROM ({}) TO ({})", list(from), list(to))
        }
        PartitionBound::Hash { modulus, remainder } => {
            format!("FOR VALUES WITH (modulus {modulus}, remainder {remainder})")
        }
    }
}

/// A partition key as `pg_get_partkeydef` prints it.
fn render_partition_key(key: &PartitionBy) -> String {
    let strategy = match key.strategy {
        PartitionStrategy::Range => "RANGE",
        PartitionStrategy::List => "LIST",
        PartitionStrategy::Hash => "HASH",
    };
    let keys: Vec<String> = key.keys.iter().map(ToString::to_string).collect();
    format!("{strategy} ({})", keys.join(", "))
}

/// PostgreSQL's `quote_identifier` without the keyword check: quotes a
/// name unless it is a plain lower-case identifier.
fn quote_identifier(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}
