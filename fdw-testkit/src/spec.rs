//! The spec's verified examples (`postgres_fdw.md` §6.2) as a regression
//! set for the oracle, and the per-version differences it sees.
//!
//! The examples live in `data/spec_examples.txt` (format described at its
//! top), the schema in `data/spec_schema_remote.sql` and
//! `data/spec_schema_local.sql`. [`SpecRun::start`] builds the schema on one
//! PostgreSQL version, [`SpecRun::observe`] explains every example in one
//! session, and [`render_differences`] prints what differs from the
//! expected (15.18) lines in a stable text form that the tests compare with
//! the checked-in `data/spec_differences/pg<major>.txt`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{bail, Context, Result};

use crate::oracle::{CostsMode, Oracle};
use crate::psql::Outcome;

/// The examples file, compiled in.
pub const EXAMPLES: &str = include_str!("../data/spec_examples.txt");
/// DDL and data of the remote database.
pub const REMOTE_SCHEMA: &str = include_str!("../data/spec_schema_remote.sql");
/// DDL of the local database; `{loopback}` stands for the connection
/// options of the remote database.
pub const LOCAL_SCHEMA: &str = include_str!("../data/spec_schema_local.sql");

/// The EXPLAIN detail keys an example's expected lines list completely.
pub const ASSERTED_KEYS: [&str; 4] = ["Relations", "Remote SQL", "Filter", "Batch Size"];

/// One example: a query and the EXPLAIN lines it must produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// `V001` … `V128`.
    pub id: String,
    /// The query as the spec gives it.
    pub query: String,
    /// Session settings `(name, value)` the example needs.
    pub settings: Vec<(String, String)>,
    /// Expected lines (see the file's header), placeholders unresolved.
    pub expected: Vec<String>,
}

/// What the oracle printed for one example, in the expected lines' form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The example's id.
    pub id: String,
    /// The example's query.
    pub query: String,
    /// Expected lines with placeholders resolved.
    pub expected: Vec<String>,
    /// Observed lines in the same form (a `[plan top: ...]` line when the
    /// example asserts one, then the asserted keys' lines); an error is one
    /// line `ERROR <sqlstate>: <message>`.
    pub observed: Vec<String>,
    /// The top plan node's name (empty when the query failed).
    pub plan_top: String,
}

impl Observation {
    /// Whether the observed lines equal the expected ones.
    pub fn holds(&self) -> bool {
        self.expected == self.observed
    }
}

/// The spec's schema built on one PostgreSQL version.
#[derive(Debug)]
pub struct SpecRun {
    /// The oracle holding the schema.
    pub oracle: Oracle,
    /// Local setup statements the version rejected (`statement`, `error`),
    /// e.g. options that do not exist yet in older versions.
    pub setup_errors: Vec<(String, String)>,
}

/// Parses the examples file format.
///
/// # Errors
///
/// On a malformed entry (no query, an unknown line before the first `##`).
pub fn parse_examples(text: &str) -> Result<Vec<Example>> {
    let mut examples: Vec<Example> = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        let at = || format!("spec examples line {}", line_no + 1);
        if let Some(id) = line.strip_prefix("## ") {
            examples.push(Example {
                id: id.trim().to_owned(),
                query: String::new(),
                settings: Vec::new(),
                expected: Vec::new(),
            });
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some(example) = examples.last_mut() else {
            bail!("{}: text before the first entry", at());
        };
        if let Some(expected) = line.strip_prefix("    ") {
            example.expected.push(expected.to_owned());
        } else if let Some(setting) = line.strip_prefix("set: ") {
            let (name, value) = setting
                .split_once(" = ")
                .with_context(|| format!("{}: expected `set: name = value`", at()))?;
            example
                .settings
                .push((name.trim().to_owned(), value.trim().to_owned()));
        } else {
            if !example.expected.is_empty() {
                bail!(
                    "{}: query text after expected lines in {}",
                    at(),
                    example.id
                );
            }
            if !example.query.is_empty() {
                example.query.push('\n');
            }
            example.query.push_str(line);
        }
    }
    if let Some(bad) = examples
        .iter()
        .find(|e| e.query.is_empty() || e.expected.is_empty())
    {
        bail!("spec example {} lacks a query or expected lines", bad.id);
    }
    Ok(examples)
}

/// The compiled-in examples.
///
/// # Errors
///
/// When the file is malformed.
pub fn examples() -> Result<Vec<Example>> {
    parse_examples(EXAMPLES)
}

impl SpecRun {
    /// Builds the spec's schema on PostgreSQL `major`: the remote script
    /// must succeed; local statements the version rejects are recorded in
    /// [`SpecRun::setup_errors`].
    ///
    /// # Errors
    ///
    /// When the cluster cannot start or the remote schema fails.
    pub fn start(major: u32) -> Result<SpecRun> {
        let oracle = Oracle::new(major)?;
        oracle
            .exec_remote(REMOTE_SCHEMA)
            .context("remote schema of the spec")?;
        let local = LOCAL_SCHEMA.replace("{loopback}", &oracle.connection_options());
        let setup_errors = oracle
            .try_exec_local(&local)?
            .into_iter()
            .filter_map(|(statement, outcome)| {
                outcome
                    .err()
                    .map(|err| (one_line(&statement), err.to_string()))
            })
            .collect();
        Ok(SpecRun {
            oracle,
            setup_errors,
        })
    }

    /// Explains every example (`VERBOSE, COSTS OFF`), grouped into one
    /// session per distinct settings list.
    ///
    /// # Errors
    ///
    /// When psql fails or a placeholder cannot be resolved.
    pub fn observe(&self, examples: &[Example]) -> Result<Vec<Observation>> {
        let mut groups: BTreeMap<&[(String, String)], Vec<usize>> = BTreeMap::new();
        for (idx, example) in examples.iter().enumerate() {
            groups.entry(&example.settings).or_default().push(idx);
        }
        let mut answers = vec![None; examples.len()];
        for (settings, members) in groups {
            let queries: Vec<&str> = members
                .iter()
                .map(|&i| examples[i].query.as_str())
                .collect();
            let outcomes = self
                .oracle
                .explain_all_with(&queries, CostsMode::Off, settings)?;
            for (idx, outcome) in members.into_iter().zip(outcomes) {
                answers[idx] = Some(outcome);
            }
        }
        let mut observations = Vec::new();
        for (example, answer) in examples.iter().zip(answers) {
            let Some(answer) = answer else {
                bail!("no answer for {}", example.id);
            };
            let expected = example
                .expected
                .iter()
                .map(|line| self.resolve(line))
                .collect::<Result<Vec<_>>>()?;
            let plan_top = match &answer {
                Ok(explain) => explain.root.name.clone(),
                Err(_) => String::new(),
            };
            let observed = match answer {
                Ok(explain) => {
                    let mut lines = Vec::new();
                    if expected.iter().any(|l| l.starts_with("[plan top: ")) {
                        lines.push(format!("[plan top: {}]", explain.root.name));
                    }
                    lines.extend(explain.lines_with_keys(&ASSERTED_KEYS));
                    lines
                }
                Err(err) => vec![err.to_string()],
            };
            observations.push(Observation {
                id: example.id.clone(),
                query: example.query.clone(),
                expected,
                observed,
                plan_top,
            });
        }
        Ok(observations)
    }

    /// Replaces `{oid:<table>}` with the local table's oid.
    fn resolve(&self, line: &str) -> Result<String> {
        let mut out = line.to_owned();
        while let Some(start) = out.find("{oid:") {
            let end = out[start..]
                .find('}')
                .map(|e| start + e)
                .with_context(|| format!("unterminated placeholder in {line:?}"))?;
            let table = &out[start + 5..end];
            let oid = match self
                .oracle
                .rows(&format!("SELECT '{table}'::regclass::oid"))?
            {
                Outcome::Ok(rows) => rows
                    .rows
                    .first()
                    .and_then(|r| r.first().cloned().flatten())
                    .with_context(|| format!("no oid for {table}"))?,
                Outcome::Err(err) => bail!("oid of {table}: {err}"),
            };
            out.replace_range(start..=end, &oid);
        }
        Ok(out)
    }
}

/// The differences of one version's observations from the expected lines,
/// as stable text: a header, the rejected setup statements, then per
/// differing example its query, the expected lines missing from the
/// observation (`-`) and the observed lines not expected (`+`).
pub fn render_differences(
    major: u32,
    setup_errors: &[(String, String)],
    observations: &[Observation],
) -> String {
    let differing: Vec<&Observation> = observations.iter().filter(|o| !o.holds()).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# PostgreSQL {major}: where the oracle's EXPLAIN (VERBOSE, COSTS OFF) differs from the spec's\n\
         # 15.18 lines (data/spec_examples.txt). Checked by fdw-testkit's kit tests;\n\
         # regenerate with FDW_TESTKIT_BLESS=1 after reviewing a change.\n\
         # {} examples, {} differ, {} setup statements rejected.",
        observations.len(),
        differing.len(),
        setup_errors.len()
    );
    for (statement, error) in setup_errors {
        let _ = writeln!(out, "\nsetup: {statement}\n  {error}");
    }
    for obs in differing {
        let _ = writeln!(out, "\n## {}\n{}", obs.id, obs.query);
        let same_set = {
            let mut a = obs.expected.clone();
            let mut b = obs.observed.clone();
            a.sort();
            b.sort();
            a == b
        };
        for line in &obs.expected {
            if same_set || !obs.observed.contains(line) {
                let _ = writeln!(out, "- {line}");
            }
        }
        for line in &obs.observed {
            if same_set || !obs.expected.contains(line) {
                let _ = writeln!(out, "+ {line}");
            }
        }
        if obs.observed.is_empty() {
            let _ = writeln!(out, "+ (no such lines; plan top: {})", obs.plan_top);
        }
    }
    out
}

fn one_line(statement: &str) -> String {
    statement.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_in_examples_parse() {
        let examples = examples().unwrap();
        assert_eq!(examples.len(), 128);
        assert_eq!(examples[0].id, "V001");
        assert_eq!(examples[0].query, "SELECT * FROM ft1;");
        assert_eq!(
            examples[0].expected,
            vec![r#"Remote SQL: SELECT "C 1", c2, c3, c4, c5, c6, c7, c8 FROM "S 1"."T 1""#]
        );
    }

    #[test]
    fn parses_settings_and_rejects_orphans() {
        let examples =
            parse_examples("# c\n## A\nset: enable_sort = off\nSELECT 1\n    Remote SQL: x\n")
                .unwrap();
        assert_eq!(
            examples[0].settings,
            vec![("enable_sort".to_owned(), "off".to_owned())]
        );
        assert!(parse_examples("SELECT 1\n").is_err());
        assert!(parse_examples("## A\nSELECT 1\n").is_err());
    }

    #[test]
    fn renders_only_differences() {
        let obs = vec![
            Observation {
                id: "V1".into(),
                query: "q1".into(),
                expected: vec!["Remote SQL: a".into()],
                observed: vec!["Remote SQL: a".into()],
                plan_top: "Foreign Scan".into(),
            },
            Observation {
                id: "V2".into(),
                query: "q2".into(),
                expected: vec!["Filter: x".into(), "Remote SQL: b".into()],
                observed: vec!["Remote SQL: c".into()],
                plan_top: "Foreign Scan".into(),
            },
        ];
        let text = render_differences(13, &[("CREATE x".into(), "ERROR 1".into())], &obs);
        assert!(text.contains("# 2 examples, 1 differ, 1 setup statements rejected."));
        assert!(text.ends_with(
            "\nsetup: CREATE x\n  ERROR 1\n\n## V2\nq2\n- Filter: x\n- Remote SQL: b\n+ Remote SQL: c\n"
        ));
    }
}
