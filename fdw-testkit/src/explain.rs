//! EXPLAIN's text format parsed into a tree.
//!
//! The text format is what postgres_fdw's regression outputs and the spec
//! show, so its lines are kept byte-exact ([`Explain::lines`]); the tree
//! gives each node its name, costs and detail lines (`Output:`,
//! `Relations:`, `Remote SQL:`, `Filter:`, ...).
//!
//! Layout rules of the text format: the root node starts at column 0 and
//! its details at column 2; a child node is a line `->  Name` whose arrow
//! is at column `c`, and its details are at column `c + 6`; `InitPlan`,
//! `SubPlan` and `CTE` labels sit at their parent's detail column above the
//! child they name. A value holding a newline (a string literal in remote
//! SQL) continues on lines of their own; those are joined back to it.

use std::fmt;

use anyhow::{bail, Context, Result};

/// A parsed `EXPLAIN (VERBOSE)` in text format.
#[derive(Debug, Clone, PartialEq)]
pub struct Explain {
    /// The output lines, exactly as PostgreSQL printed them.
    pub lines: Vec<String>,
    /// The top plan node.
    pub root: PlanNode,
}

/// One plan node.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanNode {
    /// The node line without arrow and costs, e.g.
    /// `Foreign Scan on public.ft1` or `Hash Join`.
    pub name: String,
    /// The `InitPlan 1 (returns $0)` / `SubPlan 1` / `CTE x` label above the
    /// node, if any.
    pub label: Option<String>,
    /// Estimates, when EXPLAIN ran with `COSTS ON`.
    pub costs: Option<Costs>,
    /// Detail lines in order.
    pub details: Vec<Detail>,
    /// Child nodes in order.
    pub children: Vec<PlanNode>,
}

/// One `Key: value` line of a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// E.g. `Remote SQL`.
    pub key: String,
    /// The rest of the line after `": "`; continuation lines are appended
    /// after a newline.
    pub value: String,
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.value)
    }
}

/// `(cost=S..T rows=R width=W)` of a node.
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    /// Startup cost.
    pub startup: f64,
    /// Total cost.
    pub total: f64,
    /// Estimated rows.
    pub rows: f64,
    /// Estimated average row width in bytes.
    pub width: u64,
    /// The text inside the parentheses, e.g. `cost=100.00..146.86 rows=1 width=47`.
    pub text: String,
}

impl Explain {
    /// Parses the rows of `EXPLAIN (VERBOSE, FORMAT TEXT)`, one line each.
    ///
    /// # Errors
    ///
    /// When the lines do not have the text format's shape.
    pub fn parse(lines: Vec<String>) -> Result<Explain> {
        let root = Parser { lines: &lines }.parse()?;
        Ok(Explain { lines, root })
    }

    /// All nodes, parents before children (depth-first, in output order).
    pub fn nodes(&self) -> Vec<&PlanNode> {
        let mut out = Vec::new();
        fn walk<'a>(node: &'a PlanNode, out: &mut Vec<&'a PlanNode>) {
            out.push(node);
            for child in &node.children {
                walk(child, out);
            }
        }
        walk(&self.root, &mut out);
        out
    }

    /// Every detail with key `key`, in output order.
    pub fn details(&self, key: &str) -> Vec<&str> {
        self.nodes()
            .into_iter()
            .flat_map(|n| n.details.iter())
            .filter(|d| d.key == key)
            .map(|d| d.value.as_str())
            .collect()
    }

    /// Every `Remote SQL:` value, in output order.
    pub fn remote_sql(&self) -> Vec<&str> {
        self.details("Remote SQL")
    }

    /// The `key: value` lines whose key is one of `keys`, in output order.
    pub fn lines_with_keys(&self, keys: &[&str]) -> Vec<String> {
        self.nodes()
            .into_iter()
            .flat_map(|n| n.details.iter())
            .filter(|d| keys.contains(&d.key.as_str()))
            .map(Detail::to_string)
            .collect()
    }
}

impl PlanNode {
    /// The first detail with key `key`.
    pub fn detail(&self, key: &str) -> Option<&str> {
        self.details
            .iter()
            .find(|d| d.key == key)
            .map(|d| d.value.as_str())
    }
}

struct Parser<'a> {
    lines: &'a [String],
}

/// A node being built, with the column its details start at.
struct Open {
    node: PlanNode,
    detail_col: usize,
}

impl Parser<'_> {
    fn parse(&self) -> Result<PlanNode> {
        let first = self.lines.first().context("empty EXPLAIN output")?;
        let (name, costs) = split_node_line(first)?;
        let mut stack = vec![Open {
            node: PlanNode {
                name,
                label: None,
                costs,
                details: Vec::new(),
                children: Vec::new(),
            },
            detail_col: 2,
        }];
        let mut label: Option<String> = None;
        // Where a continuation line goes: the last detail of the top node.
        let mut last_was_detail = false;
        for line in &self.lines[1..] {
            let col = line.len() - line.trim_start_matches(' ').len();
            let text = &line[col..];
            if let Some(rest) = text.strip_prefix("->  ") {
                // Close the nodes this child is not below.
                while stack.len() > 1 && stack.last().is_some_and(|o| o.detail_col > col) {
                    close(&mut stack);
                }
                let (name, costs) = split_node_line(rest)?;
                stack.push(Open {
                    node: PlanNode {
                        name,
                        label: label.take(),
                        costs,
                        details: Vec::new(),
                        children: Vec::new(),
                    },
                    detail_col: col + 6,
                });
                last_was_detail = false;
                continue;
            }
            let owner = stack.iter().rposition(|o| o.detail_col == col);
            match owner {
                Some(depth) if is_label(text) => {
                    stack.truncate_to(depth + 1);
                    label = Some(text.to_owned());
                    last_was_detail = false;
                }
                Some(depth) if detail_key(text).is_some() => {
                    stack.truncate_to(depth + 1);
                    let (key, value) = detail_key(text).unwrap_or_default();
                    if let Some(open) = stack.last_mut() {
                        open.node.details.push(Detail {
                            key: key.to_owned(),
                            value: value.to_owned(),
                        });
                    }
                    last_was_detail = true;
                }
                _ if last_was_detail => {
                    if let Some(detail) = stack.last_mut().and_then(|o| o.node.details.last_mut()) {
                        detail.value.push('\n');
                        detail.value.push_str(line);
                    }
                }
                _ => bail!("unexpected EXPLAIN line {line:?}"),
            }
        }
        while stack.len() > 1 {
            close(&mut stack);
        }
        match stack.pop() {
            Some(open) => Ok(open.node),
            None => bail!("EXPLAIN parser lost its root"),
        }
    }
}

trait TruncateTo {
    fn truncate_to(&mut self, len: usize);
}

impl TruncateTo for Vec<Open> {
    /// Closes nodes until `len` remain open.
    fn truncate_to(&mut self, len: usize) {
        while self.len() > len.max(1) {
            close(self);
        }
    }
}

fn close(stack: &mut Vec<Open>) {
    if stack.len() > 1 {
        if let Some(done) = stack.pop() {
            if let Some(parent) = stack.last_mut() {
                parent.node.children.push(done.node);
            }
        }
    }
}

fn is_label(text: &str) -> bool {
    (text.starts_with("InitPlan ") || text.starts_with("SubPlan ") || text.starts_with("CTE "))
        && detail_key(text).is_none()
}

/// `Key: value` with a key of letters, digits, spaces and a few signs.
fn detail_key(text: &str) -> Option<(&str, &str)> {
    let (key, value) = match text.split_once(": ") {
        Some(kv) => kv,
        // A detail with an empty value (`Output: ` trimmed by nobody, but
        // safe).
        None => (text.strip_suffix(':')?, ""),
    };
    let ok = key.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '/' | '(' | ')'));
    ok.then_some((key, value))
}

/// `Foreign Scan on public.ft1  (cost=100.00..146.86 rows=1 width=47)`.
fn split_node_line(text: &str) -> Result<(String, Option<Costs>)> {
    let Some(pos) = text.rfind("  (cost=") else {
        return Ok((text.to_owned(), None));
    };
    let inner = text[pos + 3..]
        .strip_suffix(')')
        .with_context(|| format!("unterminated costs in {text:?}"))?;
    let parse = || -> Option<Costs> {
        let mut parts = inner.split(' ');
        let (startup, total) = parts.next()?.strip_prefix("cost=")?.split_once("..")?;
        let rows = parts.next()?.strip_prefix("rows=")?;
        let width = parts.next()?.strip_prefix("width=")?;
        Some(Costs {
            startup: startup.parse().ok()?,
            total: total.parse().ok()?,
            rows: rows.parse().ok()?,
            width: width.parse().ok()?,
            text: inner.to_owned(),
        })
    };
    let costs = parse().with_context(|| format!("cannot parse costs in {text:?}"))?;
    Ok((text[..pos].to_owned(), Some(costs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn parses_nested_plan_with_costs_and_initplan() {
        let explain = Explain::parse(lines(
            "Limit  (cost=1.00..2.50 rows=5 width=4)\n  Output: t1.c1\n  InitPlan 1 (returns $0)\n    ->  Result  (cost=0.00..0.01 rows=1 width=4)\n          Output: 1\n  ->  Foreign Scan  (cost=100.00..146.86 rows=10 width=4)\n        Output: t1.c1\n        Relations: (public.ft3 t1) INNER JOIN (public.ft4 t2)\n        Remote SQL: SELECT r1.c1 FROM x WHERE ((c3 = 'a\nb'))\n        ->  Sort  (cost=1.00..1.00 rows=1 width=4)\n              Sort Key: x\n",
        ))
        .unwrap();
        let root = &explain.root;
        assert_eq!(root.name, "Limit");
        assert_eq!(root.costs.as_ref().unwrap().total, 2.5);
        assert_eq!(root.detail("Output"), Some("t1.c1"));
        assert_eq!(root.children.len(), 2);
        assert_eq!(
            root.children[0].label.as_deref(),
            Some("InitPlan 1 (returns $0)")
        );
        let scan = &root.children[1];
        assert_eq!(scan.name, "Foreign Scan");
        assert_eq!(
            scan.costs.as_ref().unwrap().text,
            "cost=100.00..146.86 rows=10 width=4"
        );
        assert_eq!(
            explain.remote_sql(),
            vec!["SELECT r1.c1 FROM x WHERE ((c3 = 'a\nb'))"]
        );
        assert_eq!(scan.children[0].detail("Sort Key"), Some("x"));
        assert_eq!(
            explain.lines_with_keys(&["Relations"]),
            vec!["Relations: (public.ft3 t1) INNER JOIN (public.ft4 t2)".to_owned()]
        );
    }

    #[test]
    fn parses_plan_without_costs() {
        let explain = Explain::parse(lines(
            "Foreign Scan on public.ft1\n  Output: c1\n  Remote SQL: SELECT \"C 1\" FROM \"S 1\".\"T 1\"",
        ))
        .unwrap();
        assert_eq!(explain.root.name, "Foreign Scan on public.ft1");
        assert!(explain.root.costs.is_none());
        assert_eq!(
            explain.remote_sql(),
            vec!["SELECT \"C 1\" FROM \"S 1\".\"T 1\""]
        );
    }
}
