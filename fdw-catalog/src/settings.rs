//! Planner and session settings (cost GUCs, `enable_*`, formats, `search_path`).
//!
//! Each setting has PostgreSQL's default, range and value syntax for the
//! major version; [`Settings::set`] takes a value as `SET name = 'value'`
//! would (units such as `64MB` included) and fails with PostgreSQL's
//! message. Only explicitly set values are stored, so a snapshot lists
//! what differs from a fresh server.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::options::{parse_bool, parse_int_number, parse_real, split_identifier_string, to_int4};

/// A setting's value, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingValue {
    /// A boolean setting.
    Bool(bool),
    /// An integer setting, in its base unit (kB, 8 kB blocks, or none).
    Int(i32),
    /// A floating-point setting.
    Real(f64),
    /// An enum or string setting, in its canonical spelling.
    Text(String),
}

/// The unit an integer setting is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    None,
    Kb,
    Blocks,
}

/// How a string setting is checked and canonicalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextCheck {
    Any,
    SearchPath,
    DateStyle,
    TimeZone,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Bool(bool),
    Int {
        default: i32,
        min: i32,
        max: i32,
        unit: Unit,
    },
    Real {
        default: f64,
        min: f64,
        max: f64,
    },
    Enum {
        default: &'static str,
        values: &'static [&'static str],
    },
    Text {
        default: &'static str,
        check: TextCheck,
    },
}

/// One setting of one range of majors.
#[derive(Debug, Clone, Copy)]
struct Def {
    name: &'static str,
    kind: Kind,
    since: u32,
}

const fn on(name: &'static str) -> Def {
    Def {
        name,
        kind: Kind::Bool(true),
        since: 0,
    }
}

const fn real(name: &'static str, default: f64, min: f64) -> Def {
    Def {
        name,
        kind: Kind::Real {
            default,
            min,
            max: f64::MAX,
        },
        since: 0,
    }
}

const fn int(name: &'static str, default: i32, min: i32, max: i32, unit: Unit) -> Def {
    Def {
        name,
        kind: Kind::Int {
            default,
            min,
            max,
            unit,
        },
        since: 0,
    }
}

const fn since(def: Def, major: u32) -> Def {
    Def {
        since: major,
        ..def
    }
}

/// The settings this crate knows, in PostgreSQL's spelling.
const DEFS: &[Def] = &[
    // Planner method configuration.
    since(on("enable_async_append"), 14),
    on("enable_bitmapscan"),
    on("enable_gathermerge"),
    since(on("enable_group_by_reordering"), 17),
    on("enable_hashagg"),
    on("enable_hashjoin"),
    since(on("enable_incremental_sort"), 13),
    on("enable_indexonlyscan"),
    on("enable_indexscan"),
    on("enable_material"),
    since(on("enable_memoize"), 14),
    on("enable_mergejoin"),
    on("enable_nestloop"),
    on("enable_parallel_append"),
    on("enable_parallel_hash"),
    on("enable_partition_pruning"),
    Def {
        name: "enable_partitionwise_aggregate",
        kind: Kind::Bool(false),
        since: 0,
    },
    Def {
        name: "enable_partitionwise_join",
        kind: Kind::Bool(false),
        since: 0,
    },
    since(on("enable_presorted_aggregate"), 16),
    on("enable_seqscan"),
    on("enable_sort"),
    on("enable_tidscan"),
    // Planner cost constants.
    real("seq_page_cost", 1.0, 0.0),
    real("random_page_cost", 4.0, 0.0),
    real("cpu_tuple_cost", 0.01, 0.0),
    real("cpu_index_tuple_cost", 0.005, 0.0),
    real("cpu_operator_cost", 0.0025, 0.0),
    real("parallel_tuple_cost", 0.1, 0.0),
    real("parallel_setup_cost", 1000.0, 0.0),
    real("jit_above_cost", 100_000.0, -1.0),
    real("jit_inline_above_cost", 500_000.0, -1.0),
    real("jit_optimize_above_cost", 500_000.0, -1.0),
    int(
        "min_parallel_table_scan_size",
        1024,
        0,
        i32::MAX / 3,
        Unit::Blocks,
    ),
    int(
        "min_parallel_index_scan_size",
        64,
        0,
        i32::MAX / 3,
        Unit::Blocks,
    ),
    int("effective_cache_size", 524_288, 1, i32::MAX, Unit::Blocks),
    // Resource usage.
    int("work_mem", 4096, 64, i32::MAX, Unit::Kb),
    int("maintenance_work_mem", 65_536, 1024, i32::MAX, Unit::Kb),
    Def {
        name: "hash_mem_multiplier",
        kind: Kind::Real {
            default: 2.0,
            min: 1.0,
            max: 1000.0,
        },
        since: 13,
    },
    // Other planner options.
    int("default_statistics_target", 100, 1, 10_000, Unit::None),
    Def {
        name: "constraint_exclusion",
        kind: Kind::Enum {
            default: "partition",
            values: &["partition", "on", "off"],
        },
        since: 0,
    },
    Def {
        name: "cursor_tuple_fraction",
        kind: Kind::Real {
            default: 0.1,
            min: 0.0,
            max: 1.0,
        },
        since: 0,
    },
    int("from_collapse_limit", 8, 1, i32::MAX, Unit::None),
    int("join_collapse_limit", 8, 1, i32::MAX, Unit::None),
    on("geqo"),
    int("geqo_threshold", 12, 2, i32::MAX, Unit::None),
    on("jit"),
    int("max_parallel_workers_per_gather", 2, 0, 1024, Unit::None),
    on("parallel_leader_participation"),
    Def {
        name: "plan_cache_mode",
        kind: Kind::Enum {
            default: "auto",
            values: &["auto", "force_generic_plan", "force_custom_plan"],
        },
        since: 0,
    },
    // Client connection defaults.
    Def {
        name: "search_path",
        kind: Kind::Text {
            default: "\"$user\", public",
            check: TextCheck::SearchPath,
        },
        since: 0,
    },
    Def {
        name: "DateStyle",
        kind: Kind::Text {
            default: "ISO, MDY",
            check: TextCheck::DateStyle,
        },
        since: 0,
    },
    Def {
        name: "IntervalStyle",
        kind: Kind::Enum {
            default: "postgres",
            values: &["postgres", "postgres_verbose", "sql_standard", "iso_8601"],
        },
        since: 0,
    },
    Def {
        name: "TimeZone",
        kind: Kind::Text {
            default: "GMT",
            check: TextCheck::TimeZone,
        },
        since: 0,
    },
    int("extra_float_digits", 1, -15, 3, Unit::None),
    Def {
        name: "quote_all_identifiers",
        kind: Kind::Bool(false),
        since: 0,
    },
    on("standard_conforming_strings"),
    // Preset options. PostgreSQL 15 shows `lc_collate` read-only (the
    // database's default collation, fixed by initdb/CREATE DATABASE); here
    // it describes the local database, so it can be set. The default is
    // "unknown" rather than a guess: text ordering is only evaluated while
    // planning when the collation is known to be `C` or `POSIX`.
    Def {
        name: "lc_collate",
        kind: Kind::Text {
            default: "unknown",
            check: TextCheck::Any,
        },
        since: 0,
    },
    Def {
        name: "application_name",
        kind: Kind::Text {
            default: "",
            check: TextCheck::Any,
        },
        since: 0,
    },
    Def {
        name: "postgres_fdw.application_name",
        kind: Kind::Text {
            default: "",
            check: TextCheck::Any,
        },
        since: 15,
    },
];

/// [`DEFS`]' names with their places, sorted by name with ASCII case
/// ignored and then by place: settings are read by name many times per
/// query, and a scan of every definition was a measurable cost.
fn defs_by_name() -> &'static [(&'static str, usize)] {
    static INDEX: std::sync::OnceLock<Vec<(&'static str, usize)>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: Vec<(&'static str, usize)> = DEFS
            .iter()
            .enumerate()
            .map(|(at, d)| (d.name, at))
            .collect();
        index.sort_by(|a, b| cmp_ignore_ascii_case(a.0, b.0).then(a.1.cmp(&b.1)));
        index
    })
}

/// [`DEFS`]' names with their places, sorted by name (bytes) and then by
/// place: the look-up of a name spelt as defined.
fn defs_by_exact_name() -> &'static [(&'static str, usize)] {
    static INDEX: std::sync::OnceLock<Vec<(&'static str, usize)>> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: Vec<(&'static str, usize)> = DEFS
            .iter()
            .enumerate()
            .map(|(at, d)| (d.name, at))
            .collect();
        index.sort_unstable();
        index
    })
}

/// Orders strings as their ASCII-lowercased forms would order.
fn cmp_ignore_ascii_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The settings of one session: PostgreSQL's defaults for the major
/// version, overridden by what was set.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    major: u32,
    /// Explicitly set values by canonical name.
    values: BTreeMap<&'static str, SettingValue>,
    /// `search_path` split into its entries, kept in step with `values`:
    /// every name lookup of a query reads it, and splitting it each time
    /// was a measurable part of analysis.
    search_path: Vec<String>,
    /// The settings values are read and printed with, kept in step with
    /// `values` likewise: every constant a query folds reads them.
    value_formats: ValueFormats,
}

/// The settings that decide how values are read and printed, as
/// [`Settings::text`] and friends give them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValueFormats {
    /// `DateStyle`, e.g. `ISO, MDY`.
    pub date_style: String,
    /// `IntervalStyle`, e.g. `postgres`.
    pub interval_style: String,
    /// `TimeZone` as set (empty when it is). Shared: the value settings
    /// made for every literal and every fold take it without a copy.
    pub time_zone: std::sync::Arc<str>,
    /// `extra_float_digits`.
    pub extra_float_digits: i32,
    /// [`Settings::default_collation_is_c`].
    pub default_collation_is_c: bool,
}

impl Settings {
    /// PostgreSQL `major`'s defaults.
    pub fn new(major: u32) -> Settings {
        let mut settings = Settings {
            major,
            values: BTreeMap::new(),
            search_path: Vec::new(),
            value_formats: ValueFormats::default(),
        };
        settings.refresh_derived();
        settings
    }

    /// The names of all settings known for this major, in PostgreSQL's spelling, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = DEFS
            .iter()
            .filter(|d| self.major >= d.since)
            .map(|d| d.name)
            .collect();
        names.sort_unstable_by_key(|n| n.to_ascii_lowercase());
        names
    }

    /// The first definition in [`DEFS`] named `name` (ASCII case ignored)
    /// that this major has.
    fn def(&self, name: &str) -> Result<&'static Def> {
        // The name as spelt in DEFS (how the planner and the value
        // evaluators ask) is found by a plain byte comparison; as no two
        // names differ only in case (a test checks), its definitions are
        // the ones the case-blind search below would find, in DEFS order.
        let exact = defs_by_exact_name();
        let first = exact.partition_point(|&(key, _)| key < name);
        if let Some(def) = exact
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(key, _)| key == name)
            .filter_map(|&(_, at)| DEFS.get(at))
            .find(|d| self.major >= d.since)
        {
            return Ok(def);
        }
        let index = defs_by_name();
        let first = index.partition_point(|&(key, _)| cmp_ignore_ascii_case(key, name).is_lt());
        index
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(key, _)| key.eq_ignore_ascii_case(name))
            .filter_map(|&(_, at)| DEFS.get(at))
            .find(|d| self.major >= d.since)
            .ok_or_else(|| Error::UnknownSetting {
                name: name.to_string(),
            })
    }

    fn default_value(&self, def: &Def) -> SettingValue {
        match def.kind {
            Kind::Bool(b) => SettingValue::Bool(b),
            Kind::Int { default, .. } => SettingValue::Int(default),
            Kind::Real { default, .. } => {
                // hash_mem_multiplier's default went from 1.0 to 2.0 in 15.
                if def.name == "hash_mem_multiplier" && self.major < 15 {
                    SettingValue::Real(1.0)
                } else {
                    SettingValue::Real(default)
                }
            }
            Kind::Enum { default, .. } | Kind::Text { default, .. } => {
                SettingValue::Text(default.to_string())
            }
        }
    }

    /// The current value of `name` (case-insensitive).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownSetting`] for a name this major does not have.
    pub fn get(&self, name: &str) -> Result<SettingValue> {
        let def = self.def(name)?;
        Ok(self
            .values
            .get(def.name)
            .cloned()
            .unwrap_or_else(|| self.default_value(def)))
    }

    /// Sets `name` from text as `SET name = 'value'` would.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownSetting`] for an unknown name; [`Error::InvalidValue`]
    /// with PostgreSQL's message for a value the setting refuses.
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        let def = self.def(name)?;
        let parsed = parse_setting(def, value)?;
        self.values.insert(def.name, parsed);
        self.refresh_derived();
        Ok(())
    }

    /// Returns `name` to its default (`RESET name`).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownSetting`] for an unknown name.
    pub fn reset(&mut self, name: &str) -> Result<()> {
        let def = self.def(name)?;
        self.values.remove(def.name);
        self.refresh_derived();
        Ok(())
    }

    /// The explicitly set settings as canonical text, by name: what a
    /// snapshot stores; [`set`](Self::set) reads each back unchanged.
    pub fn explicit_values(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .map(|(name, value)| (name.to_string(), canonical_text(value)))
            .collect()
    }

    /// The value as `SHOW name` prints it (memory with the largest exact unit).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownSetting`] for an unknown name.
    pub fn show(&self, name: &str) -> Result<String> {
        let def = self.def(name)?;
        let value = self.get(def.name)?;
        Ok(match (&value, def.kind) {
            (SettingValue::Int(v), Kind::Int { unit, .. }) if unit != Unit::None => {
                show_memory(i64::from(*v) * if unit == Unit::Blocks { 8 } else { 1 })
            }
            _ => canonical_text(&value),
        })
    }

    fn real(&self, name: &str) -> f64 {
        match self.get(name) {
            Ok(SettingValue::Real(v)) => v,
            _ => 0.0,
        }
    }

    fn int(&self, name: &str) -> i32 {
        match self.get(name) {
            Ok(SettingValue::Int(v)) => v,
            _ => 0,
        }
    }

    /// `seq_page_cost`.
    pub fn seq_page_cost(&self) -> f64 {
        self.real("seq_page_cost")
    }

    /// `random_page_cost`.
    pub fn random_page_cost(&self) -> f64 {
        self.real("random_page_cost")
    }

    /// `cpu_tuple_cost`.
    pub fn cpu_tuple_cost(&self) -> f64 {
        self.real("cpu_tuple_cost")
    }

    /// `cpu_index_tuple_cost`.
    pub fn cpu_index_tuple_cost(&self) -> f64 {
        self.real("cpu_index_tuple_cost")
    }

    /// `cpu_operator_cost`.
    pub fn cpu_operator_cost(&self) -> f64 {
        self.real("cpu_operator_cost")
    }

    /// `parallel_setup_cost`.
    pub fn parallel_setup_cost(&self) -> f64 {
        self.real("parallel_setup_cost")
    }

    /// `parallel_tuple_cost`.
    pub fn parallel_tuple_cost(&self) -> f64 {
        self.real("parallel_tuple_cost")
    }

    /// `effective_cache_size` in 8 kB blocks.
    pub fn effective_cache_size(&self) -> i32 {
        self.int("effective_cache_size")
    }

    /// `work_mem` in kB.
    pub fn work_mem(&self) -> i32 {
        self.int("work_mem")
    }

    /// `extra_float_digits`.
    pub fn extra_float_digits(&self) -> i32 {
        self.int("extra_float_digits")
    }

    /// Whether `lc_collate` says the database's default collation orders
    /// text bytewise (`C` or `POSIX`, as PostgreSQL's `lc_collate_is_c`
    /// decides); false while it is unknown.
    pub fn default_collation_is_c(&self) -> bool {
        matches!(self.text("lc_collate").as_str(), "C" | "POSIX")
    }

    /// An `enable_*` (or any boolean) setting; false for an unknown name.
    pub fn enabled(&self, name: &str) -> bool {
        matches!(self.get(name), Ok(SettingValue::Bool(true)))
    }

    /// A string or enum setting's text; empty for an unknown name.
    pub fn text(&self, name: &str) -> String {
        match self.get(name) {
            Ok(value) => canonical_text(&value),
            Err(_) => String::new(),
        }
    }

    /// `search_path`, split into its entries (`$user` unexpanded, quotes removed).
    pub fn search_path(&self) -> Vec<String> {
        self.search_path.clone()
    }

    /// [`Settings::search_path`] without a copy.
    pub fn search_path_entries(&self) -> &[String] {
        &self.search_path
    }

    /// [`ValueFormats`] of the current values, without a look-up each.
    pub fn value_formats(&self) -> &ValueFormats {
        &self.value_formats
    }

    /// Recomputes what is kept in step with `values` (after any change).
    fn refresh_derived(&mut self) {
        self.search_path = self.split_search_path();
        self.value_formats = ValueFormats {
            date_style: self.text("DateStyle"),
            interval_style: self.text("IntervalStyle"),
            time_zone: self.text("TimeZone").into(),
            extra_float_digits: self.extra_float_digits(),
            default_collation_is_c: self.default_collation_is_c(),
        };
    }

    fn split_search_path(&self) -> Vec<String> {
        split_identifier_string(&self.text("search_path"), ',').unwrap_or_default()
    }
}

fn canonical_text(value: &SettingValue) -> String {
    match value {
        SettingValue::Bool(true) => "on".to_string(),
        SettingValue::Bool(false) => "off".to_string(),
        SettingValue::Int(v) => v.to_string(),
        SettingValue::Real(v) => v.to_string(),
        SettingValue::Text(t) => t.clone(),
    }
}

fn show_memory(kb: i64) -> String {
    const UNITS: [(&str, i64); 4] = [
        ("TB", 1024 * 1024 * 1024),
        ("GB", 1024 * 1024),
        ("MB", 1024),
        ("kB", 1),
    ];
    for (unit, size) in UNITS {
        if kb != 0 && kb % size == 0 {
            return format!("{}{unit}", kb / size);
        }
    }
    format!("{kb}kB")
}

fn invalid_value(def: &Def, value: &str) -> Error {
    Error::InvalidValue {
        name: def.name.to_string(),
        message: format!("invalid value for parameter \"{}\": \"{value}\"", def.name),
    }
}

fn parse_setting(def: &Def, value: &str) -> Result<SettingValue> {
    match def.kind {
        Kind::Bool(_) => {
            parse_bool(value)
                .map(SettingValue::Bool)
                .ok_or_else(|| Error::InvalidValue {
                    name: def.name.to_string(),
                    message: format!("parameter \"{}\" requires a Boolean value", def.name),
                })
        }
        Kind::Int { min, max, unit, .. } => {
            let v = parse_int_with_unit(value, unit).ok_or_else(|| invalid_value(def, value))?;
            if v < min || v > max {
                let unit = match unit {
                    Unit::None => "",
                    Unit::Kb => " kB",
                    Unit::Blocks => " 8kB",
                };
                return Err(Error::InvalidValue {
                    name: def.name.to_string(),
                    message: format!(
                        "{v}{unit} is outside the valid range for parameter \"{}\" ({min}{unit} .. {max}{unit})",
                        def.name
                    ),
                });
            }
            Ok(SettingValue::Int(v))
        }
        Kind::Real { min, max, .. } => {
            let v = parse_real(value).ok_or_else(|| invalid_value(def, value))?;
            if v < min || v > max {
                return Err(Error::InvalidValue {
                    name: def.name.to_string(),
                    message: format!(
                        "{} is outside the valid range for parameter \"{}\" ({} .. {})",
                        format_g(v),
                        def.name,
                        format_g(min),
                        format_g(max)
                    ),
                });
            }
            Ok(SettingValue::Real(v))
        }
        Kind::Enum { values, .. } => values
            .iter()
            .find(|v| v.eq_ignore_ascii_case(value.trim()))
            .map(|v| SettingValue::Text((*v).to_string()))
            .ok_or_else(|| invalid_value(def, value)),
        Kind::Text { check, .. } => {
            let text = match check {
                TextCheck::Any => Some(value.to_string()),
                TextCheck::SearchPath => {
                    split_identifier_string(value, ',').map(|_| value.to_string())
                }
                TextCheck::DateStyle => canonical_datestyle(value),
                TextCheck::TimeZone => check_timezone(value),
            };
            text.map(SettingValue::Text)
                .ok_or_else(|| invalid_value(def, value))
        }
    }
}

/// `parse_int` with PostgreSQL's memory units (`B`, `kB`, `MB`, `GB`,
/// `TB`, case-sensitive) for settings kept in kB or 8 kB blocks.
fn parse_int_with_unit(value: &str, unit: Unit) -> Option<i32> {
    let (number, rest) = parse_int_number(value)?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let suffix = rest.trim_end_matches(|c: char| c.is_ascii_whitespace());
    if suffix.is_empty() {
        return to_int4(number);
    }
    // Multipliers in kB; blocks divide by 8 afterwards.
    const TABLE: [(&str, f64); 5] = [
        ("TB", 1024.0 * 1024.0 * 1024.0),
        ("GB", 1024.0 * 1024.0),
        ("MB", 1024.0),
        ("kB", 1.0),
        ("B", 1.0 / 1024.0),
    ];
    let base = match unit {
        Unit::None => return None,
        Unit::Kb => 1.0,
        Unit::Blocks => 8.0,
    };
    let idx = TABLE.iter().position(|(u, _)| *u == suffix)?;
    let mut converted = number * TABLE.get(idx)?.1 / base;
    // A fractional value is rounded to a multiple of the next smaller unit.
    if let Some((_, smaller)) = TABLE.get(idx + 1) {
        let step = smaller / base;
        converted = (converted / step).round_ties_even() * step;
    }
    to_int4(converted)
}

/// DateStyle's check: an output style and/or an ordering, canonicalized
/// as PostgreSQL prints it (`ISO, MDY`).
fn canonical_datestyle(value: &str) -> Option<String> {
    let parts = split_identifier_string(value, ',')?;
    let mut style: Option<&str> = None;
    let mut order: Option<&str> = None;
    for part in &parts {
        let (new_style, new_order) = match part.as_str() {
            "iso" => (Some("ISO"), None),
            "sql" => (Some("SQL"), None),
            "postgres" => (Some("Postgres"), None),
            "german" => (Some("German"), Some("DMY")),
            "ymd" => (None, Some("YMD")),
            "dmy" | "euro" | "european" => (None, Some("DMY")),
            "mdy" | "us" | "noneuro" | "noneuropean" => (None, Some("MDY")),
            "default" => (Some("ISO"), Some("MDY")),
            _ => return None,
        };
        if let Some(s) = new_style {
            if style.is_some_and(|old| old != s) {
                return None;
            }
            style = Some(s);
        }
        if let Some(o) = new_order {
            if part != "german" && order.is_some_and(|old| old != o) {
                return None;
            }
            if part != "german" || order.is_none() {
                order = Some(o);
            }
        }
    }
    Some(format!(
        "{}, {}",
        style.unwrap_or("ISO"),
        order.unwrap_or("MDY")
    ))
}

/// A plausibility check for TimeZone without a time-zone database: a
/// zone name (`UTC`, `Europe/Berlin`, `Etc/GMT+3`) or a numeric offset.
fn check_timezone(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let numeric = v
        .trim_start_matches(['+', '-'])
        .split(':')
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let named = v.split('/').all(|part| {
        !part.is_empty()
            && part.starts_with(|c: char| c.is_ascii_alphabetic())
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-'))
    });
    (numeric || named).then(|| v.to_string())
}

/// C's `%g`: six significant digits, exponent form for very large or small numbers.
fn format_g(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let exp = v.abs().log10().floor();
    if !(-4.0..6.0).contains(&exp) {
        let s = format!("{v:.5e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = trim_fraction(mantissa);
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    #[allow(clippy::cast_possible_truncation, reason = "exp is within -4..6 here")]
    let decimals = (5 - exp as i32).max(0) as usize;
    trim_fraction(&format!("{v:.decimals$}")).to_string()
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_names_differ_only_in_case() {
        // `Settings::def` relies on it: an exact match finds the same
        // definitions as the case-blind search.
        for a in DEFS {
            for b in DEFS {
                assert!(
                    a.name == b.name || !a.name.eq_ignore_ascii_case(b.name),
                    "{} / {}",
                    a.name,
                    b.name
                );
            }
        }
        let settings = Settings::new(15);
        for d in DEFS {
            let upper = d.name.to_ascii_uppercase();
            assert_eq!(
                settings.def(d.name).ok().map(|d| d.name),
                settings.def(&upper).ok().map(|d| d.name)
            );
        }
    }

    #[test]
    fn indexed_definitions_match_a_scan() {
        let scan = |major: u32, name: &str| {
            DEFS.iter()
                .find(|d| d.name.eq_ignore_ascii_case(name) && major >= d.since)
                .map(|d| d.name)
        };
        let mut names: Vec<String> = DEFS.iter().map(|d| d.name.to_owned()).collect();
        names.extend(DEFS.iter().map(|d| d.name.to_ascii_uppercase()));
        names.extend(["", "no_such_setting", "zzz", "a", "DateStylé"].map(str::to_owned));
        for major in 12..=17 {
            let settings = Settings::new(major);
            for name in &names {
                assert_eq!(
                    settings.def(name).ok().map(|d| d.name),
                    scan(major, name),
                    "{major} {name}"
                );
            }
        }
    }

    #[test]
    fn search_path_follows_set_and_reset() {
        let mut s = Settings::new(15);
        assert_eq!(s.search_path(), ["$user", "public"]);
        s.set("search_path", "a, \"B\" ,c").ok();
        assert_eq!(s.search_path_entries(), ["a", "B", "c"]);
        s.reset("SEARCH_PATH").ok();
        assert_eq!(s.search_path(), ["$user", "public"]);
    }

    #[test]
    fn defaults_of_15() {
        let s = Settings::new(15);
        assert_eq!(s.cpu_operator_cost(), 0.0025);
        assert_eq!(s.work_mem(), 4096);
        assert!(s.enabled("enable_seqscan"));
        assert!(!s.enabled("enable_partitionwise_join"));
        assert_eq!(s.search_path(), ["$user", "public"]);
        assert_eq!(
            s.names()
                .iter()
                .filter(|n| n.starts_with("enable_"))
                .count(),
            20
        );
    }

    #[test]
    fn memory_units_convert_to_the_base_unit() {
        let mut s = Settings::new(15);
        s.set("work_mem", "64MB").unwrap();
        assert_eq!(s.work_mem(), 65536);
        assert_eq!(s.show("work_mem").unwrap(), "64MB");
        s.set("effective_cache_size", "4GB").unwrap();
        assert_eq!(s.effective_cache_size(), 524_288);
        assert!(s.set("work_mem", "64mb").is_err());
    }

    #[test]
    fn range_errors_use_postgres_text() {
        let mut s = Settings::new(15);
        assert_eq!(
            s.set("work_mem", "10").unwrap_err().to_string(),
            "10 kB is outside the valid range for parameter \"work_mem\" (64 kB .. 2147483647 kB)"
        );
        assert_eq!(
            s.set("seq_page_cost", "-1").unwrap_err().to_string(),
            "-1 is outside the valid range for parameter \"seq_page_cost\" (0 .. 1.79769e+308)"
        );
    }

    #[test]
    fn datestyle_is_canonicalized() {
        let mut s = Settings::new(15);
        s.set("datestyle", "sql, dmy").unwrap();
        assert_eq!(s.text("DateStyle"), "SQL, DMY");
        assert!(s.set("DateStyle", "ISO, SQL").is_err());
    }

    #[test]
    fn lc_collate_is_unknown_until_set() {
        let mut s = Settings::new(15);
        assert_eq!(s.show("lc_collate").unwrap(), "unknown");
        assert!(!s.default_collation_is_c());
        s.set("LC_COLLATE", "C").unwrap();
        assert!(s.default_collation_is_c());
        s.set("lc_collate", "POSIX").unwrap();
        assert!(s.default_collation_is_c());
        s.set("lc_collate", "en_US.UTF-8").unwrap();
        assert!(!s.default_collation_is_c());
    }

    #[test]
    fn version_gates_settings() {
        assert!(Settings::new(15).get("enable_presorted_aggregate").is_err());
        assert!(Settings::new(16).get("enable_presorted_aggregate").is_ok());
    }
}
