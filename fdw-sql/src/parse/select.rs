//! A recursive-descent parser for the common subset of `SELECT`, building
//! exactly the tree (spans included) that sqlparser's parser builds from
//! the same tokens with [`super::PostgresDialect`], or `None` for anything
//! outside the subset, and the caller then hands the same tokens to
//! sqlparser.
//!
//! Why: sqlparser's statement parser was the largest single cost of
//! planning a query from its text. For every prefix of an expression it
//! first tries a typed literal (`DATE '...'`), it asks the dialect at each
//! step through dynamic calls, and it moves its large `Expr` by value
//! through every level of its Pratt loop. Here the tokens decide directly
//! which node to build, and nothing is tried and thrown away.
//!
//! The subset (everything else, and any syntax error, is `None`):
//!
//! * `;`-separated statements `SELECT [ALL | DISTINCT] items [FROM tables]
//!   [WHERE e] [GROUP BY e, ...] [HAVING e] [ORDER BY e [ASC | DESC]
//!   [NULLS FIRST | LAST], ...] [LIMIT e] [OFFSET e]` (`OFFSET` first too);
//! * items `*`, `t.*`, `e`, `e [AS] alias`;
//! * tables `name [.name ...] [[AS] alias]` (a name part may be a keyword,
//!   except those that start another kind of table factor), separated by
//!   `,` or joined by `[INNER | LEFT [OUTER] | RIGHT [OUTER] | FULL
//!   [OUTER]] JOIN ... ON e`;
//! * expressions: names (plain, quoted, qualified; a keyword as a name
//!   only where sqlparser's typed-literal attempt visibly fails), numbers,
//!   strings, `$n`, `NULL`/`TRUE`/`FALSE`, `DATE`/`TIMESTAMP`/`TIMESTAMPTZ
//!   '...'`, `( e )`, the binary operators `OR AND = <> != < <= > >= ~ ~*
//!   !~ !~* || + - * / %`, `[NOT] LIKE`/`ILIKE`, `[NOT] IN (list)`, `[NOT]
//!   BETWEEN`, `IS [NOT] NULL|TRUE|FALSE|UNKNOWN`, `IS [NOT] DISTINCT
//!   FROM`, unary `-`/`+`/`NOT`, `op ANY|ALL (e)`, `e::type` and `CAST(e
//!   AS type)` for common type names (with `[]`), `CASE`, `ARRAY[...]`,
//!   calls `f(args)`, `f()`, `f(*)`, and `CURRENT_DATE`, `CURRENT_USER`
//!   and the like without parentheses.
//!
//! The single-table benchmark query's parse went from about 123,000
//! instructions to 63,000 (callgrind, release build), and to about 36,000
//! once the parser read borrowed, whitespace-free tokens ([`Tok`]), built
//! expressions in their boxes instead of moving them through each level
//! and lone leaves without a box (the join query's: 64,000 to 38,000);
//! the fast path takes
//! about three quarters of the distinct `SELECT`s of the repository's
//! corpora and four fifths of the golden cases.
//!
//! Precedence and associativity are sqlparser's with the PostgreSQL
//! dialect's values (not gram.y's), because the tree must be sqlparser's.
//! Wherever sqlparser would consult something this parser does not model
//! (a typed literal, a keyword with special meaning, a dialect hook), the
//! parser gives up. Nesting is bounded by [`MAX_DEPTH`], far below the
//! parser recursion limit, so a deep text takes sqlparser's path and gets
//! its error.
//!
//! `tests` checks the trees (`Debug`, which includes spans) against
//! sqlparser's on the repository's query corpora and on generated text.

use sqlparser::ast::helpers::attached_token::AttachedToken;
use sqlparser::ast::{
    Array, ArrayElemTypeDef, BinaryOperator, CaseWhen, CastKind, CharacterLength, DataType,
    Distinct, ExactNumberInfo, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList,
    FunctionArguments, GroupByExpr, Ident, Join, JoinConstraint, JoinOperator, LimitClause,
    ObjectName, ObjectNamePart, Offset, OffsetRows, OrderBy, OrderByExpr, OrderByKind,
    OrderByOptions, OrderBySort, Query, Select, SelectFlavor, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, Statement, TableAlias, TableFactor, TableWithJoins,
    TimezoneInfo, TypedString, UnaryOperator, Value, ValueWithSpan, WildcardAdditionalOptions,
};
use sqlparser::keywords::{Keyword, RESERVED_FOR_COLUMN_ALIAS};
use std::borrow::Cow;

use sqlparser::tokenizer::{Span, Token, TokenWithSpan, Whitespace, Word};

/// The keywords that may follow a `FROM` list here (the clauses of the
/// subset); anything else after a table is left to sqlparser.
const CLAUSES_AFTER_FROM: &[Keyword] = &[
    Keyword::WHERE,
    Keyword::GROUP,
    Keyword::HAVING,
    Keyword::ORDER,
    Keyword::LIMIT,
    Keyword::OFFSET,
];

/// How deeply expressions may nest here; deeper text is left to sqlparser
/// (whose recursion limit is far above this).
const MAX_DEPTH: usize = 32;

// sqlparser's PostgreSQL precedences (dialect/postgresql.rs).
const PREC_OR: u8 = 10;
const PREC_AND: u8 = 20;
const PREC_NOT: u8 = 30;
const PREC_IS: u8 = 40;
const PREC_EQ: u8 = 50;
const PREC_LIKE: u8 = 60;
const PREC_OTHER: u8 = 70;
const PREC_PLUS: u8 = 80;
const PREC_MUL: u8 = 90;
const PREC_CAST: u8 = 140;

/// A token as the fast parser reads it: sqlparser's token with its
/// strings left empty, its span, and its text (a word's, a number's, a
/// string's or a placeholder's; empty for the others), borrowed where it
/// can be.
///
/// Why: the tree keeps the text of only some tokens (names, literals),
/// and a keyword's text never; the lexer ([`super::lexer::fast_tokens`])
/// slices it from the query text instead of allocating a copy in each
/// token that the parser would copy again and then free.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tok<'a> {
    /// The token, its `String`s empty.
    pub(super) token: Token,
    pub(super) span: Span,
    pub(super) text: Cow<'a, str>,
}

impl<'a> Tok<'a> {
    /// sqlparser's token: the text put back into it.
    pub(super) fn into_full(self) -> TokenWithSpan {
        let text = self.text;
        let token = match self.token {
            Token::Word(word) => Token::Word(Word {
                value: text.into_owned(),
                ..word
            }),
            Token::Number(_, long) => Token::Number(text.into_owned(), long),
            Token::SingleQuotedString(_) => Token::SingleQuotedString(text.into_owned()),
            Token::Placeholder(_) => Token::Placeholder(text.into_owned()),
            other => other,
        };
        TokenWithSpan::new(token, self.span)
    }

    /// [`Self::into_full`] of a copy (without copying the token first).
    fn full(&self) -> TokenWithSpan {
        let token = match &self.token {
            Token::Word(word) => Token::Word(Word {
                value: self.string(),
                quote_style: word.quote_style,
                keyword: word.keyword,
            }),
            Token::Number(_, long) => Token::Number(self.string(), *long),
            Token::SingleQuotedString(_) => Token::SingleQuotedString(self.string()),
            Token::Placeholder(_) => Token::Placeholder(self.string()),
            other => other.clone(),
        };
        TokenWithSpan::new(token, self.span)
    }

    /// The token's text, owned.
    fn string(&self) -> String {
        String::from(&*self.text)
    }

    /// `token` as the fast parser reads it, its text borrowed from it.
    fn of(token: &'a TokenWithSpan) -> Tok<'a> {
        let (stripped, text) = match &token.token {
            Token::Word(word) => (
                Token::Word(Word {
                    value: String::new(),
                    quote_style: word.quote_style,
                    keyword: word.keyword,
                }),
                word.value.as_str(),
            ),
            Token::Number(n, long) => (Token::Number(String::new(), *long), n.as_str()),
            Token::SingleQuotedString(s) => (Token::SingleQuotedString(String::new()), s.as_str()),
            Token::Placeholder(s) => (Token::Placeholder(String::new()), s.as_str()),
            other => (other.clone(), ""),
        };
        Tok {
            token: stripped,
            span: token.span,
            text: Cow::Borrowed(text),
        }
    }
}

/// sqlparser's tokens as the fast parser reads them ([`Tok`]), without
/// whitespace; `None` when they hold a comment (which may be an optimizer
/// hint to sqlparser) or an end-of-file token.
pub(super) fn strip(tokens: &[TokenWithSpan]) -> Option<Vec<Tok<'_>>> {
    let mut toks = Vec::with_capacity(tokens.len());
    for token in tokens {
        match &token.token {
            Token::Whitespace(Whitespace::Space | Whitespace::Tab | Whitespace::Newline) => {}
            Token::Whitespace(_) | Token::EOF => return None,
            _ => toks.push(Tok::of(token)),
        }
    }
    Some(toks)
}

/// The statements of `toks` (tokens without whitespace, as [`strip`] or
/// [`super::lexer::fast_tokens`] make them) as sqlparser parses the
/// tokens they stand for, or `None` when they hold anything outside the
/// subset of the module documentation.
pub(super) fn parse(toks: &[Tok<'_>]) -> Option<Vec<Statement>> {
    let mut parser = FastParser {
        toks,
        at: 0,
        depth: 0,
    };
    parser.statements()
}

struct FastParser<'a> {
    /// The tokens without whitespace.
    toks: &'a [Tok<'a>],
    at: usize,
    depth: usize,
}

/// Keywords that sqlparser treats specially at the start of an
/// expression (`parse_expr_prefix_by_reserved_word`, the dialect's
/// `parse_prefix`, typed literals), or that start a clause: never a plain
/// name here.
const SPECIAL_PREFIX: &[Keyword] = &[
    Keyword::TRUE,
    Keyword::FALSE,
    Keyword::NULL,
    Keyword::CURRENT_CATALOG,
    Keyword::CURRENT_USER,
    Keyword::SESSION_USER,
    Keyword::USER,
    Keyword::CURRENT_TIMESTAMP,
    Keyword::CURRENT_TIME,
    Keyword::CURRENT_DATE,
    Keyword::LOCALTIME,
    Keyword::LOCALTIMESTAMP,
    Keyword::CASE,
    Keyword::CONVERT,
    Keyword::TRY_CONVERT,
    Keyword::CAST,
    Keyword::TRY_CAST,
    Keyword::SAFE_CAST,
    Keyword::EXISTS,
    Keyword::EXTRACT,
    Keyword::CEIL,
    Keyword::FLOOR,
    Keyword::POSITION,
    Keyword::SUBSTR,
    Keyword::SUBSTRING,
    Keyword::OVERLAY,
    Keyword::TRIM,
    Keyword::INTERVAL,
    Keyword::ARRAY,
    Keyword::NOT,
    Keyword::MATCH,
    Keyword::STRUCT,
    Keyword::PRIOR,
    Keyword::MAP,
    Keyword::LAMBDA,
    Keyword::CIRCLE,
    Keyword::BOX,
    Keyword::PATH,
    Keyword::LINE,
    Keyword::LSEG,
    Keyword::POINT,
    Keyword::POLYGON,
    Keyword::VARIADIC,
    Keyword::COLLATION,
    Keyword::XML,
    Keyword::SELECT,
    Keyword::WITH,
    Keyword::FROM,
    Keyword::WHERE,
    Keyword::VALUES,
    Keyword::TABLE,
    Keyword::ANY,
    Keyword::ALL,
    Keyword::SOME,
    Keyword::DISTINCT,
];

/// Keywords that, after a keyword used as a name, show that sqlparser's
/// typed-literal attempt on that name must fail (no data type continues
/// with them) and that the name ends there.
const SAFE_AFTER_NAME: &[Keyword] = &[
    Keyword::FROM,
    Keyword::WHERE,
    Keyword::AND,
    Keyword::OR,
    Keyword::AS,
    Keyword::IS,
    Keyword::IN,
    Keyword::NOT,
    Keyword::LIKE,
    Keyword::ILIKE,
    Keyword::BETWEEN,
    Keyword::ORDER,
    Keyword::GROUP,
    Keyword::HAVING,
    Keyword::LIMIT,
    Keyword::OFFSET,
    Keyword::THEN,
    Keyword::ELSE,
    Keyword::END,
    Keyword::WHEN,
    Keyword::ON,
    Keyword::JOIN,
    Keyword::INNER,
    Keyword::LEFT,
    Keyword::RIGHT,
    Keyword::FULL,
    Keyword::ASC,
    Keyword::DESC,
    Keyword::NULLS,
];

/// Keywords with which sqlparser starts a table factor other than a
/// table name (`parse_table_factor`); any other word is a name part.
const TABLE_FACTOR_KEYWORDS: &[Keyword] = &[
    Keyword::LATERAL,
    Keyword::TABLE,
    Keyword::UNNEST,
    Keyword::UNPIVOT,
    Keyword::JSON_TABLE,
    Keyword::OPENJSON,
    Keyword::XMLTABLE,
    Keyword::SEMANTIC_VIEW,
    Keyword::VALUES,
];

/// Function names that are keywords but that sqlparser parses as ordinary
/// calls (none is a data type, a special form or a dialect override).
const PLAIN_CALL_KEYWORDS: &[Keyword] = &[
    Keyword::COUNT,
    Keyword::SUM,
    Keyword::MAX,
    Keyword::MIN,
    Keyword::AVG,
    Keyword::COALESCE,
    Keyword::NULLIF,
    Keyword::LOWER,
    Keyword::UPPER,
    Keyword::ABS,
];

fn is_kw(token: &Token, keyword: Keyword) -> bool {
    matches!(token, Token::Word(w) if w.keyword == keyword && w.quote_style.is_none())
}

fn ident(word: &Word, token: &Tok<'_>) -> Ident {
    Ident {
        value: token.string(),
        quote_style: word.quote_style,
        span: token.span,
    }
}

impl<'a> FastParser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.at).map(|t| &t.token)
    }

    fn peek_nth(&self, n: usize) -> Option<&'a Token> {
        self.toks.get(self.at + n).map(|t| &t.token)
    }

    fn peek_kw(&self, keyword: Keyword) -> bool {
        self.peek().is_some_and(|t| is_kw(t, keyword))
    }

    fn next(&mut self) -> Option<&'a Tok<'a>> {
        let token = self.toks.get(self.at)?;
        self.at += 1;
        Some(token)
    }

    /// Whether the next token is `token`, one without data (punctuation).
    fn peek_is(&self, token: &Token) -> bool {
        self.peek().is_some_and(|next| same_kind(next, token))
    }

    /// Steps over the next token when it is `token`, one without data.
    fn eat(&mut self, token: &Token) -> bool {
        if self.peek_is(token) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &Token) -> Option<()> {
        self.eat(token).then_some(())
    }

    fn eat_kw(&mut self, keyword: Keyword) -> bool {
        if self.peek_kw(keyword) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, keyword: Keyword) -> Option<&'a Tok<'a>> {
        if self.peek_kw(keyword) {
            self.next()
        } else {
            None
        }
    }

    fn statements(&mut self) -> Option<Vec<Statement>> {
        // Most texts hold one statement.
        let mut statements = Vec::with_capacity(1);
        loop {
            while self.eat(&Token::SemiColon) {}
            if self.peek().is_none() {
                return Some(statements);
            }
            statements.push(Statement::Query(self.query()?));
            match self.peek() {
                None | Some(Token::SemiColon) => {}
                Some(_) => return None,
            }
        }
    }

    /// A query, built in its box (as each part below is), because the
    /// parts of sqlparser's tree are large and each move copies them.
    fn query(&mut self) -> Option<Box<Query>> {
        let select = self.select()?;
        let order_by = if self.peek_kw(Keyword::ORDER) {
            self.at += 1;
            self.expect_kw(Keyword::BY)?;
            let mut exprs = Vec::with_capacity(2);
            loop {
                exprs.push(self.order_by_expr()?);
                if !self.eat(&Token::Comma) {
                    break;
                }
            }
            Some(OrderBy {
                kind: OrderByKind::Expressions(exprs),
                interpolate: None,
            })
        } else {
            None
        };
        let limit_clause = self.limit_clause()?;
        Some(Box::new(Query {
            with: None,
            body: Box::new(SetExpr::Select(select)),
            order_by,
            limit_clause,
            fetch: None,
            locks: vec![],
            for_clause: None,
            settings: None,
            format_clause: None,
            pipe_operators: vec![],
        }))
    }

    fn order_by_expr(&mut self) -> Option<OrderByExpr> {
        let expr = self.expr(0)?;
        let sort = if self.eat_kw(Keyword::ASC) {
            Some(OrderBySort::Asc)
        } else if self.eat_kw(Keyword::DESC) {
            Some(OrderBySort::Desc)
        } else {
            None
        };
        let nulls_first = if self.eat_kw(Keyword::NULLS) {
            if self.eat_kw(Keyword::FIRST) {
                Some(true)
            } else if self.eat_kw(Keyword::LAST) {
                Some(false)
            } else {
                return None;
            }
        } else {
            None
        };
        match self.peek() {
            None | Some(Token::Comma | Token::SemiColon) => {}
            Some(t) if is_kw(t, Keyword::LIMIT) || is_kw(t, Keyword::OFFSET) => {}
            Some(_) => return None,
        }
        Some(OrderByExpr {
            expr,
            options: OrderByOptions { sort, nulls_first },
            with_fill: None,
        })
    }

    /// `[LIMIT e] [OFFSET e]` or `OFFSET e [LIMIT e]`; `Some(None)` when
    /// there is none.
    fn limit_clause(&mut self) -> Option<Option<LimitClause>> {
        let mut offset = if self.eat_kw(Keyword::OFFSET) {
            Some(self.offset()?)
        } else {
            None
        };
        let limit = if self.eat_kw(Keyword::LIMIT) {
            if self.peek_kw(Keyword::ALL) {
                return None;
            }
            Some(self.expr(0)?)
        } else {
            None
        };
        if offset.is_none() && limit.is_some() && self.eat_kw(Keyword::OFFSET) {
            offset = Some(self.offset()?);
        }
        if offset.is_none() && limit.is_none() {
            return Some(None);
        }
        Some(Some(LimitClause::LimitOffset {
            limit,
            offset,
            limit_by: vec![],
        }))
    }

    fn offset(&mut self) -> Option<Offset> {
        let value = self.expr(0)?;
        if self.peek_kw(Keyword::ROW) || self.peek_kw(Keyword::ROWS) {
            return None;
        }
        Some(Offset {
            value,
            rows: OffsetRows::None,
        })
    }

    fn select(&mut self) -> Option<Box<Select>> {
        let select_token = self.expect_kw(Keyword::SELECT)?;
        let distinct = if self.eat_kw(Keyword::DISTINCT) {
            if self.peek_kw(Keyword::ON) || self.peek_kw(Keyword::ALL) {
                return None;
            }
            Some(Distinct::Distinct)
        } else if self.eat_kw(Keyword::ALL) {
            if self.peek_kw(Keyword::DISTINCT) {
                return None;
            }
            Some(Distinct::All)
        } else {
            None
        };
        // An empty projection, `TOP`, `INTO` and the like are left to
        // sqlparser.
        if self.peek_kw(Keyword::FROM) || self.peek_kw(Keyword::TOP) {
            return None;
        }
        let mut projection = Vec::with_capacity(4);
        loop {
            self.select_item(&mut projection)?;
            if !self.eat(&Token::Comma) {
                break;
            }
        }
        let mut from = Vec::with_capacity(1);
        if self.eat_kw(Keyword::FROM) {
            loop {
                from.push(self.table_with_joins()?);
                if !self.eat(&Token::Comma) {
                    break;
                }
            }
        }
        let selection = if self.eat_kw(Keyword::WHERE) {
            Some(self.boxed(0)?)
        } else {
            None
        };
        let mut group_by = Vec::with_capacity(2);
        if self.peek_kw(Keyword::GROUP) {
            self.at += 1;
            self.expect_kw(Keyword::BY)?;
            loop {
                match self.peek() {
                    Some(Token::LParen) => return None,
                    Some(t)
                        if is_kw(t, Keyword::ALL)
                            || is_kw(t, Keyword::GROUPING)
                            || is_kw(t, Keyword::CUBE)
                            || is_kw(t, Keyword::ROLLUP) =>
                    {
                        return None
                    }
                    _ => {}
                }
                group_by.push(self.expr(0)?);
                if !self.eat(&Token::Comma) {
                    break;
                }
            }
            if self.peek_kw(Keyword::WITH) || self.peek_kw(Keyword::GROUPING) {
                return None;
            }
        }
        let having = if self.eat_kw(Keyword::HAVING) {
            Some(self.boxed(0)?)
        } else {
            None
        };
        match self.peek() {
            None | Some(Token::SemiColon) => {}
            Some(t)
                if is_kw(t, Keyword::ORDER)
                    || is_kw(t, Keyword::LIMIT)
                    || is_kw(t, Keyword::OFFSET) => {}
            Some(_) => return None,
        }
        Some(Box::new(Select {
            select_token: AttachedToken(select_token.full()),
            optimizer_hints: vec![],
            distinct,
            select_modifiers: None,
            top: None,
            top_before_distinct: false,
            projection,
            exclude: None,
            into: None,
            from,
            lateral_views: vec![],
            prewhere: None,
            selection: selection.map(|e| *e),
            group_by: GroupByExpr::Expressions(group_by, vec![]),
            cluster_by: vec![],
            distribute_by: vec![],
            sort_by: vec![],
            having: having.map(|e| *e),
            named_window: vec![],
            window_before_qualify: false,
            qualify: None,
            value_table_mode: None,
            connect_by: vec![],
            flavor: SelectFlavor::Standard,
        }))
    }

    /// Whether a select item ends here (sqlparser would read no more of
    /// it).
    fn at_item_end(&self) -> bool {
        match self.peek() {
            None | Some(Token::Comma | Token::SemiColon) => true,
            Some(t) => is_kw(t, Keyword::FROM),
        }
    }

    /// A select item, pushed onto `items` (not returned, which would copy
    /// the large item once more).
    fn select_item(&mut self, items: &mut Vec<SelectItem>) -> Option<()> {
        // `*` and `name.*`, as `parse_wildcard_expr` reads them.
        if let Some(Token::Mul) = self.peek() {
            let star = self.next()?;
            if !self.at_item_end() {
                return None;
            }
            items.push(SelectItem::Wildcard(wildcard_options(star)));
            return Some(());
        }
        if let (Some(Token::Word(w)), Some(Token::Period), Some(Token::Mul)) =
            (self.peek(), self.peek_nth(1), self.peek_nth(2))
        {
            let name = self.next()?;
            self.at += 1;
            let star = self.next()?;
            if !self.at_item_end() {
                return None;
            }
            items.push(SelectItem::QualifiedWildcard(
                SelectItemQualifiedWildcardKind::ObjectName(ObjectName(vec![
                    ObjectNamePart::Identifier(ident(w, name)),
                ])),
                wildcard_options(star),
            ));
            return Some(());
        }
        let expr = self.expr(0)?;
        let explicit = self.eat_kw(Keyword::AS);
        let alias = match self.peek() {
            // `FROM`, the usual word after an item, first: the list is long.
            Some(Token::Word(w))
                if explicit
                    || (w.keyword != Keyword::FROM
                        && !RESERVED_FOR_COLUMN_ALIAS.contains(&w.keyword)) =>
            {
                let token = self.next()?;
                Some(ident(w, token))
            }
            _ if explicit => return None,
            _ => None,
        };
        if !self.at_item_end() {
            return None;
        }
        items.push(match alias {
            Some(alias) => SelectItem::ExprWithAlias { expr, alias },
            None => SelectItem::UnnamedExpr(expr),
        });
        Some(())
    }

    fn table_with_joins(&mut self) -> Option<TableWithJoins> {
        let relation = self.table_factor()?;
        let mut joins = Vec::new();
        loop {
            let kind = match self.peek() {
                Some(Token::Word(w)) if w.quote_style.is_none() => w.keyword,
                _ => break,
            };
            let make: fn(JoinConstraint) -> JoinOperator = match kind {
                Keyword::JOIN => {
                    self.at += 1;
                    JoinOperator::Join
                }
                Keyword::INNER => {
                    self.at += 1;
                    self.expect_kw(Keyword::JOIN)?;
                    JoinOperator::Inner
                }
                Keyword::LEFT | Keyword::RIGHT => {
                    self.at += 1;
                    let outer = self.eat_kw(Keyword::OUTER);
                    self.expect_kw(Keyword::JOIN)?;
                    match (kind == Keyword::LEFT, outer) {
                        (true, true) => JoinOperator::LeftOuter,
                        (true, false) => JoinOperator::Left,
                        (false, true) => JoinOperator::RightOuter,
                        (false, false) => JoinOperator::Right,
                    }
                }
                Keyword::FULL => {
                    self.at += 1;
                    let _ = self.eat_kw(Keyword::OUTER);
                    self.expect_kw(Keyword::JOIN)?;
                    JoinOperator::FullOuter
                }
                _ => break,
            };
            let relation = self.table_factor()?;
            self.expect_kw(Keyword::ON)?;
            let on = self.expr(0)?;
            if joins.capacity() == 0 {
                // Allocated once for the usual one or two joins (growing
                // from empty costs several times an allocation).
                joins = Vec::with_capacity(2);
            }
            joins.push(Join {
                relation,
                global: false,
                join_operator: make(JoinConstraint::On(on)),
            });
        }
        match self.peek() {
            None | Some(Token::Comma | Token::SemiColon) => {}
            Some(t) if CLAUSES_AFTER_FROM.iter().any(|k| is_kw(t, *k)) => {}
            Some(_) => return None,
        }
        Some(TableWithJoins { relation, joins })
    }

    fn table_factor(&mut self) -> Option<TableFactor> {
        // Names have one or two parts.
        let mut parts = Vec::with_capacity(2);
        loop {
            let token = self.next()?;
            let Token::Word(w) = &token.token else {
                return None;
            };
            // Keywords that start another kind of table factor.
            if w.quote_style.is_none() && TABLE_FACTOR_KEYWORDS.contains(&w.keyword) {
                return None;
            }
            parts.push(ObjectNamePart::Identifier(ident(w, token)));
            if !self.eat(&Token::Period) {
                break;
            }
        }
        let explicit = self.eat_kw(Keyword::AS);
        let alias = match self.peek() {
            Some(Token::Word(w))
                if explicit || w.keyword == Keyword::NoKeyword || w.quote_style.is_some() =>
            {
                let token = self.next()?;
                Some(TableAlias {
                    explicit,
                    name: ident(w, token),
                    columns: vec![],
                    at: None,
                })
            }
            _ if explicit => return None,
            _ => None,
        };
        // Table functions, column aliases, hints, samples, ... and nested
        // joins without parentheses are left to sqlparser.
        match self.peek() {
            None | Some(Token::Comma | Token::SemiColon) => {}
            Some(t) if is_kw(t, Keyword::ON) || CLAUSES_AFTER_FROM.iter().any(|k| is_kw(t, *k)) => {
            }
            Some(t)
                if [
                    Keyword::JOIN,
                    Keyword::INNER,
                    Keyword::LEFT,
                    Keyword::RIGHT,
                    Keyword::FULL,
                ]
                .iter()
                .any(|k| is_kw(t, *k)) => {}
            Some(_) => return None,
        }
        Some(TableFactor::Table {
            name: ObjectName(parts),
            alias,
            args: None,
            with_hints: vec![],
            version: None,
            partitions: vec![],
            with_ordinality: false,
            json_path: None,
            sample: None,
            index_hints: vec![],
        })
    }

    /// `parse_subexpr(precedence)`, for a place that holds the expression
    /// itself.
    fn expr(&mut self, precedence: u8) -> Option<Expr> {
        if let Some(leaf) = self.lone_leaf() {
            return Some(leaf);
        }
        self.boxed(precedence).map(|expr| *expr)
    }

    /// A literal or plain name that is the whole expression, as `boxed`
    /// would read it, or `None` (nothing read) for anything else: the
    /// usual item of a list, of a select list and of a `CASE` branch,
    /// built without the box `boxed` would make for it and then free.
    ///
    /// Whole when the next token ends any expression: `,` `)` `;` `]`,
    /// the end, or a clause word (`FROM`, `THEN`, `ELSE`, `END`, `WHEN`),
    /// after which `boxed`'s checks and `next_precedence` (0) stop at any
    /// precedence; and then `prefix` builds the leaf below (its special
    /// cases all look at a keyword or at a next token of another kind).
    fn lone_leaf(&mut self) -> Option<Expr> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let token = self.toks.get(self.at)?;
        let ends = match self.toks.get(self.at + 1).map(|next| &next.token) {
            None | Some(Token::Comma | Token::RParen | Token::SemiColon | Token::RBracket) => true,
            Some(Token::Word(w)) => {
                w.quote_style.is_none()
                    && matches!(
                        w.keyword,
                        Keyword::FROM
                            | Keyword::THEN
                            | Keyword::ELSE
                            | Keyword::END
                            | Keyword::WHEN
                    )
            }
            Some(_) => false,
        };
        if !ends {
            return None;
        }
        let leaf = match &token.token {
            Token::Word(w) if w.quote_style.is_some() || w.keyword == Keyword::NoKeyword => {
                Expr::Identifier(ident(w, token))
            }
            Token::Number(_, long) => Expr::Value(ValueWithSpan {
                value: Value::Number(token.string(), *long),
                span: token.span,
            }),
            Token::SingleQuotedString(_) => Expr::Value(ValueWithSpan {
                value: Value::SingleQuotedString(token.string()),
                span: token.span,
            }),
            Token::Placeholder(_) => Expr::Value(ValueWithSpan {
                value: Value::Placeholder(token.string()),
                span: token.span,
            }),
            _ => return None,
        };
        self.at += 1;
        Some(leaf)
    }

    /// `parse_subexpr(precedence)`, boxed: most expressions end up in a
    /// `Box` (an operand), and an `Expr` is large; building each in its
    /// box instead of moving it through every level's return value was a
    /// third of the fast parser's instructions.
    fn boxed(&mut self, precedence: u8) -> Option<Box<Expr>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut expr = self.prefix()?;
        // What sqlparser's compound-access loop, `COLLATE` and outer-join
        // checks would read after a prefix.
        match self.peek() {
            Some(Token::Period | Token::LBracket | Token::LParen) => return None,
            Some(t) if is_kw(t, Keyword::COLLATE) => return None,
            _ => {}
        }
        loop {
            let next = self.next_precedence()?;
            if precedence >= next {
                break;
            }
            expr = self.infix(expr, next)?;
        }
        self.depth -= 1;
        Some(expr)
    }

    /// sqlparser's `get_next_precedence` for the tokens of the subset;
    /// `None` for any other token that could continue an expression.
    fn next_precedence(&self) -> Option<u8> {
        let Some(token) = self.peek() else {
            return Some(0);
        };
        Some(match token {
            Token::Comma | Token::RParen | Token::SemiColon | Token::RBracket => 0,
            Token::Eq
            | Token::Neq
            | Token::Lt
            | Token::LtEq
            | Token::Gt
            | Token::GtEq
            | Token::Tilde
            | Token::TildeAsterisk
            | Token::ExclamationMarkTilde
            | Token::ExclamationMarkTildeAsterisk => PREC_EQ,
            Token::StringConcat => PREC_OTHER,
            Token::Plus | Token::Minus => PREC_PLUS,
            Token::Mul | Token::Div | Token::Mod => PREC_MUL,
            Token::DoubleColon => PREC_CAST,
            Token::Word(w) if w.quote_style.is_some() => 0,
            Token::Word(w) => match w.keyword {
                Keyword::OR => PREC_OR,
                Keyword::AND => PREC_AND,
                Keyword::IS => PREC_IS,
                Keyword::IN | Keyword::LIKE | Keyword::ILIKE => PREC_LIKE,
                Keyword::BETWEEN => match self.peek_nth(1) {
                    Some(t) if is_kw(t, Keyword::SYMMETRIC) || is_kw(t, Keyword::ASYMMETRIC) => {
                        return None
                    }
                    _ => PREC_LIKE,
                },
                Keyword::NOT => match self.peek_nth(1) {
                    Some(t) if is_kw(t, Keyword::IN) || is_kw(t, Keyword::LIKE) => PREC_LIKE,
                    Some(t) if is_kw(t, Keyword::ILIKE) => PREC_LIKE,
                    Some(t) if is_kw(t, Keyword::BETWEEN) => match self.peek_nth(2) {
                        Some(t)
                            if is_kw(t, Keyword::SYMMETRIC) || is_kw(t, Keyword::ASYMMETRIC) =>
                        {
                            return None
                        }
                        _ => PREC_LIKE,
                    },
                    Some(t) if is_kw(t, Keyword::NULL) => PREC_IS,
                    _ => return None,
                },
                Keyword::XOR
                | Keyword::AT
                | Keyword::OVERLAPS
                | Keyword::RLIKE
                | Keyword::REGEXP
                | Keyword::MATCH
                | Keyword::GLOB
                | Keyword::SIMILAR
                | Keyword::MEMBER
                | Keyword::OPERATOR
                | Keyword::DIV
                | Keyword::NOTNULL
                | Keyword::COLLATE => return None,
                _ => 0,
            },
            _ => return None,
        })
    }

    fn infix(&mut self, left: Box<Expr>, precedence: u8) -> Option<Box<Expr>> {
        let token = self.next()?;
        let op = match &token.token {
            Token::Eq => BinaryOperator::Eq,
            Token::Neq => BinaryOperator::NotEq,
            Token::Lt => BinaryOperator::Lt,
            Token::LtEq => BinaryOperator::LtEq,
            Token::Gt => BinaryOperator::Gt,
            Token::GtEq => BinaryOperator::GtEq,
            Token::StringConcat => BinaryOperator::StringConcat,
            Token::Plus => BinaryOperator::Plus,
            Token::Minus => BinaryOperator::Minus,
            Token::Mul => BinaryOperator::Multiply,
            Token::Div => BinaryOperator::Divide,
            Token::Mod => BinaryOperator::Modulo,
            Token::Tilde => BinaryOperator::PGRegexMatch,
            Token::TildeAsterisk => BinaryOperator::PGRegexIMatch,
            Token::ExclamationMarkTilde => BinaryOperator::PGRegexNotMatch,
            Token::ExclamationMarkTildeAsterisk => BinaryOperator::PGRegexNotIMatch,
            Token::DoubleColon => {
                return Some(Box::new(Expr::Cast {
                    kind: CastKind::DoubleColon,
                    expr: left,
                    data_type: self.data_type()?,
                    format: None,
                }))
            }
            Token::Word(w) => match w.keyword {
                Keyword::AND => BinaryOperator::And,
                Keyword::OR => BinaryOperator::Or,
                Keyword::IS => return self.is_suffix(left, precedence),
                Keyword::NOT | Keyword::IN | Keyword::BETWEEN | Keyword::LIKE | Keyword::ILIKE => {
                    self.at -= 1;
                    return self.negatable(left);
                }
                _ => return None,
            },
            _ => return None,
        };
        let quantifier = match self.peek() {
            Some(Token::Word(w)) if w.quote_style.is_none() => match w.keyword {
                Keyword::ANY => Some(false),
                Keyword::ALL => Some(true),
                Keyword::SOME => return None,
                _ => None,
            },
            _ => None,
        };
        if let Some(all) = quantifier {
            if !matches!(
                op,
                BinaryOperator::Gt
                    | BinaryOperator::Lt
                    | BinaryOperator::GtEq
                    | BinaryOperator::LtEq
                    | BinaryOperator::Eq
                    | BinaryOperator::NotEq
                    | BinaryOperator::PGRegexMatch
                    | BinaryOperator::PGRegexIMatch
                    | BinaryOperator::PGRegexNotMatch
                    | BinaryOperator::PGRegexNotIMatch
            ) {
                return None;
            }
            self.at += 1;
            self.expect(&Token::LParen)?;
            if starts_query(self.peek()) {
                return None;
            }
            let right = self.boxed(precedence)?;
            self.expect(&Token::RParen)?;
            return Some(Box::new(if all {
                Expr::AllOp {
                    left,
                    compare_op: op,
                    right,
                }
            } else {
                Expr::AnyOp {
                    left,
                    compare_op: op,
                    right,
                    is_some: false,
                }
            }));
        }
        Some(Box::new(Expr::BinaryOp {
            left,
            op,
            right: self.boxed(precedence)?,
        }))
    }

    fn is_suffix(&mut self, left: Box<Expr>, precedence: u8) -> Option<Box<Expr>> {
        let negated = self.eat_kw(Keyword::NOT);
        let token = self.next()?;
        let Token::Word(w) = &token.token else {
            return None;
        };
        if w.quote_style.is_some() {
            return None;
        }
        Some(Box::new(match (w.keyword, negated) {
            (Keyword::NULL, false) => Expr::IsNull(left),
            (Keyword::NULL, true) => Expr::IsNotNull(left),
            (Keyword::TRUE, false) => Expr::IsTrue(left),
            (Keyword::TRUE, true) => Expr::IsNotTrue(left),
            (Keyword::FALSE, false) => Expr::IsFalse(left),
            (Keyword::FALSE, true) => Expr::IsNotFalse(left),
            (Keyword::UNKNOWN, false) => Expr::IsUnknown(left),
            (Keyword::UNKNOWN, true) => Expr::IsNotUnknown(left),
            (Keyword::DISTINCT, _) => {
                self.expect_kw(Keyword::FROM)?;
                let right = self.boxed(precedence)?;
                if negated {
                    Expr::IsNotDistinctFrom(left, right)
                } else {
                    Expr::IsDistinctFrom(left, right)
                }
            }
            _ => return None,
        }))
    }

    /// `[NOT] IN | BETWEEN | LIKE | ILIKE` and `NOT NULL`, at the first of
    /// those tokens.
    fn negatable(&mut self, left: Box<Expr>) -> Option<Box<Expr>> {
        let negated = self.eat_kw(Keyword::NOT);
        if negated && self.eat_kw(Keyword::NULL) {
            return Some(Box::new(Expr::IsNotNull(left)));
        }
        let token = self.next()?;
        let Token::Word(w) = &token.token else {
            return None;
        };
        if w.quote_style.is_some() {
            return None;
        }
        let expr = left;
        match w.keyword {
            Keyword::IN => {
                self.expect(&Token::LParen)?;
                if starts_query(self.peek())
                    || matches!(self.peek(), Some(Token::LParen | Token::RParen))
                {
                    return None;
                }
                let list = self.expr_list()?;
                self.expect(&Token::RParen)?;
                Some(Box::new(Expr::InList {
                    expr,
                    list,
                    negated,
                }))
            }
            Keyword::BETWEEN => {
                let low = self.boxed(PREC_LIKE)?;
                self.expect_kw(Keyword::AND)?;
                let high = self.boxed(PREC_LIKE)?;
                Some(Box::new(Expr::Between {
                    expr,
                    negated,
                    low,
                    high,
                }))
            }
            Keyword::LIKE | Keyword::ILIKE => {
                if self.peek_kw(Keyword::ANY) {
                    return None;
                }
                let pattern = self.boxed(PREC_LIKE)?;
                if self.peek_kw(Keyword::ESCAPE) {
                    return None;
                }
                Some(Box::new(if w.keyword == Keyword::LIKE {
                    Expr::Like {
                        negated,
                        any: false,
                        expr,
                        pattern,
                        escape_char: None,
                    }
                } else {
                    Expr::ILike {
                        negated,
                        any: false,
                        expr,
                        pattern,
                        escape_char: None,
                    }
                }))
            }
            _ => None,
        }
    }

    /// `e, e, ...` (at least one).
    fn expr_list(&mut self) -> Option<Vec<Expr>> {
        let mut list = Vec::with_capacity(4);
        loop {
            list.push(self.expr(0)?);
            if !self.eat(&Token::Comma) {
                return Some(list);
            }
        }
    }

    fn value(token: &Tok<'_>, value: Value) -> Box<Expr> {
        Box::new(Expr::Value(ValueWithSpan {
            value,
            span: token.span,
        }))
    }

    fn prefix(&mut self) -> Option<Box<Expr>> {
        let token = self.next()?;
        match &token.token {
            Token::Number(_, long) => {
                Some(Self::value(token, Value::Number(token.string(), *long)))
            }
            Token::SingleQuotedString(_) => {
                if matches!(self.peek(), Some(Token::SingleQuotedString(_))) {
                    return None;
                }
                Some(Self::value(
                    token,
                    Value::SingleQuotedString(token.string()),
                ))
            }
            Token::Placeholder(_) => Some(Self::value(token, Value::Placeholder(token.string()))),
            Token::Minus | Token::Plus => {
                let op = if token.token == Token::Minus {
                    UnaryOperator::Minus
                } else {
                    UnaryOperator::Plus
                };
                Some(Box::new(Expr::UnaryOp {
                    op,
                    expr: self.boxed(PREC_MUL)?,
                }))
            }
            Token::LParen => {
                // A subquery is sqlparser's.
                if starts_query(self.peek()) {
                    return None;
                }
                let inner = self.boxed(0)?;
                self.expect(&Token::RParen)?;
                Some(Box::new(Expr::Nested(inner)))
            }
            Token::Word(w) => self.word_prefix(w, token),
            _ => None,
        }
    }

    fn word_prefix(&mut self, w: &'a Word, token: &'a Tok<'a>) -> Option<Box<Expr>> {
        if w.quote_style.is_none() {
            match w.keyword {
                Keyword::NULL => return Some(Self::value(token, Value::Null)),
                Keyword::TRUE => return Some(Self::value(token, Value::Boolean(true))),
                Keyword::FALSE => return Some(Self::value(token, Value::Boolean(false))),
                Keyword::CASE => return self.case(token),
                // sqlparser's `parse_time_functions` and the SQL-standard
                // user functions: calls without an argument list.
                Keyword::CURRENT_DATE
                | Keyword::CURRENT_TIMESTAMP
                | Keyword::CURRENT_TIME
                | Keyword::LOCALTIME
                | Keyword::LOCALTIMESTAMP
                | Keyword::CURRENT_USER
                | Keyword::SESSION_USER
                | Keyword::USER
                | Keyword::CURRENT_CATALOG => {
                    if self.peek_is(&Token::LParen) {
                        return None;
                    }
                    return Some(Box::new(Expr::Function(Function {
                        name: ObjectName(vec![ObjectNamePart::Identifier(ident(w, token))]),
                        uses_odbc_syntax: false,
                        parameters: FunctionArguments::None,
                        args: FunctionArguments::None,
                        filter: None,
                        null_treatment: None,
                        over: None,
                        within_group: vec![],
                    })));
                }
                // Typed literals `DATE '...'`, `TIMESTAMP[TZ] '...'`.
                Keyword::DATE | Keyword::TIMESTAMP | Keyword::TIMESTAMPTZ => {
                    if let Some(Token::SingleQuotedString(_)) = self.peek() {
                        let literal = self.next()?;
                        if matches!(self.peek(), Some(Token::SingleQuotedString(_))) {
                            return None;
                        }
                        let data_type = match w.keyword {
                            Keyword::DATE => DataType::Date,
                            Keyword::TIMESTAMP => DataType::Timestamp(None, TimezoneInfo::None),
                            _ => DataType::Timestamp(None, TimezoneInfo::Tz),
                        };
                        return Some(Box::new(Expr::TypedString(TypedString {
                            data_type,
                            value: ValueWithSpan {
                                value: Value::SingleQuotedString(literal.string()),
                                span: literal.span,
                            },
                            uses_odbc_syntax: false,
                        })));
                    }
                }
                Keyword::CAST => return self.cast(),
                Keyword::NOT => {
                    if self.peek_kw(Keyword::EXISTS) {
                        return None;
                    }
                    return Some(Box::new(Expr::UnaryOp {
                        op: UnaryOperator::Not,
                        expr: self.boxed(PREC_NOT)?,
                    }));
                }
                Keyword::ARRAY => {
                    self.expect(&Token::LBracket)?;
                    let elem = if self.peek_is(&Token::RBracket) {
                        Vec::new()
                    } else {
                        if self.peek_is(&Token::LBracket) {
                            return None;
                        }
                        self.expr_list()?
                    };
                    self.expect(&Token::RBracket)?;
                    return Some(Box::new(Expr::Array(Array { elem, named: true })));
                }
                _ => {}
            }
        }
        let keyword = w.quote_style.is_none() && w.keyword != Keyword::NoKeyword;
        match self.peek() {
            Some(Token::LParen) => {
                if keyword && !PLAIN_CALL_KEYWORDS.contains(&w.keyword) {
                    return None;
                }
                self.call(ident(w, token))
            }
            Some(Token::Period) => {
                if keyword {
                    return None;
                }
                // Qualified names have two parts mostly; `vec![first]` would
                // grow at the second.
                let mut parts = Vec::with_capacity(2);
                parts.push(ident(w, token));
                while self.eat(&Token::Period) {
                    let part = self.next()?;
                    let Token::Word(pw) = &part.token else {
                        return None;
                    };
                    parts.push(ident(pw, part));
                }
                if matches!(self.peek(), Some(Token::LParen | Token::LBracket)) {
                    return None;
                }
                if self.peek_kw(Keyword::ARRAY) {
                    return None;
                }
                Some(Box::new(Expr::CompoundIdentifier(parts)))
            }
            next => {
                if keyword {
                    if SPECIAL_PREFIX.contains(&w.keyword) {
                        return None;
                    }
                    match next {
                        Some(Token::Word(nw)) => {
                            if nw.quote_style.is_some() || !SAFE_AFTER_NAME.contains(&nw.keyword) {
                                return None;
                            }
                        }
                        None
                        | Some(
                            Token::Comma
                            | Token::RParen
                            | Token::SemiColon
                            | Token::Eq
                            | Token::Neq
                            | Token::Lt
                            | Token::LtEq
                            | Token::Gt
                            | Token::GtEq
                            | Token::Plus
                            | Token::Minus
                            | Token::Mul
                            | Token::Div
                            | Token::Mod
                            | Token::StringConcat
                            | Token::DoubleColon,
                        ) => {}
                        Some(_) => return None,
                    }
                } else if matches!(
                    next,
                    Some(
                        Token::SingleQuotedString(_)
                            | Token::DoubleQuotedString(_)
                            | Token::HexStringLiteral(_)
                            | Token::Number(..)
                            | Token::Arrow
                            | Token::LBracket
                    )
                ) || next.is_some_and(|t| is_kw(t, Keyword::ARRAY))
                {
                    return None;
                }
                Some(Box::new(Expr::Identifier(ident(w, token))))
            }
        }
    }

    /// `name(args)`, at the `(`.
    fn call(&mut self, name: Ident) -> Option<Box<Expr>> {
        self.expect(&Token::LParen)?;
        let mut args = Vec::new();
        if !self.eat(&Token::RParen) {
            args = Vec::with_capacity(2);
            match self.peek() {
                Some(t)
                    if is_kw(t, Keyword::DISTINCT)
                        || is_kw(t, Keyword::ALL)
                        || is_kw(t, Keyword::NULL)
                        || is_kw(t, Keyword::ABSENT)
                        || is_kw(t, Keyword::RETURNING)
                        || starts_query(Some(t)) =>
                {
                    return None
                }
                _ => {}
            }
            loop {
                if self.peek_is(&Token::Mul)
                    && self
                        .peek_nth(1)
                        .is_some_and(|t| matches!(t, Token::Comma | Token::RParen))
                {
                    self.at += 1;
                    args.push(FunctionArg::Unnamed(FunctionArgExpr::Wildcard));
                } else {
                    if let (Some(Token::Word(_)), Some(next)) = (self.peek(), self.peek_nth(1)) {
                        if matches!(
                            next,
                            Token::RArrow | Token::Assignment | Token::Colon | Token::Eq
                        ) {
                            return None;
                        }
                    }
                    args.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(self.expr(0)?)));
                }
                if !self.eat(&Token::Comma) {
                    break;
                }
            }
            self.expect(&Token::RParen)?;
        }
        match self.peek() {
            Some(t)
                if [
                    Keyword::WITHIN,
                    Keyword::FILTER,
                    Keyword::RESPECT,
                    Keyword::IGNORE,
                    Keyword::OVER,
                ]
                .iter()
                .any(|k| is_kw(t, *k)) =>
            {
                return None
            }
            Some(Token::SingleQuotedString(_) | Token::Number(..)) => return None,
            _ => {}
        }
        Some(Box::new(Expr::Function(Function {
            name: ObjectName(vec![ObjectNamePart::Identifier(name)]),
            uses_odbc_syntax: false,
            parameters: FunctionArguments::None,
            args: FunctionArguments::List(FunctionArgumentList {
                duplicate_treatment: None,
                args,
                clauses: vec![],
            }),
            filter: None,
            null_treatment: None,
            over: None,
            within_group: vec![],
        })))
    }

    /// `CASE ... END`, after `CASE`.
    fn case(&mut self, case_token: &'a Tok<'a>) -> Option<Box<Expr>> {
        let operand = if self.eat_kw(Keyword::WHEN) {
            None
        } else {
            let operand = self.boxed(0)?;
            self.expect_kw(Keyword::WHEN)?;
            Some(operand)
        };
        let mut conditions = Vec::with_capacity(2);
        loop {
            let condition = self.expr(0)?;
            self.expect_kw(Keyword::THEN)?;
            let result = self.expr(0)?;
            conditions.push(CaseWhen { condition, result });
            if !self.eat_kw(Keyword::WHEN) {
                break;
            }
        }
        let else_result = if self.eat_kw(Keyword::ELSE) {
            Some(self.boxed(0)?)
        } else {
            None
        };
        let end_token = self.expect_kw(Keyword::END)?;
        Some(Box::new(Expr::Case {
            case_token: AttachedToken(case_token.full()),
            end_token: AttachedToken(end_token.full()),
            operand,
            conditions,
            else_result,
        }))
    }

    /// `CAST(e AS type)`, after `CAST`.
    fn cast(&mut self) -> Option<Box<Expr>> {
        self.expect(&Token::LParen)?;
        let expr = self.boxed(0)?;
        self.expect_kw(Keyword::AS)?;
        let data_type = self.data_type()?;
        self.expect(&Token::RParen)?;
        Some(Box::new(Expr::Cast {
            kind: CastKind::Cast,
            expr,
            data_type,
            format: None,
        }))
    }

    /// An unsigned integer literal, as `parse_literal_uint` reads it.
    fn uint(&mut self) -> Option<u64> {
        let token = self.next()?;
        match &token.token {
            Token::Number(_, false) if token.text.bytes().all(|b| b.is_ascii_digit()) => {
                token.text.parse().ok()
            }
            _ => None,
        }
    }

    /// The common data types, as `parse_data_type` reads them.
    fn data_type(&mut self) -> Option<DataType> {
        let token = self.next()?;
        let Token::Word(w) = &token.token else {
            return None;
        };
        let paren = self.peek_is(&Token::LParen);
        let data_type = if w.quote_style.is_some() || w.keyword == Keyword::NoKeyword {
            if matches!(self.peek(), Some(Token::Period | Token::LParen)) {
                return None;
            }
            DataType::Custom(
                ObjectName(vec![ObjectNamePart::Identifier(ident(w, token))]),
                vec![],
            )
        } else {
            match w.keyword {
                Keyword::INT if !paren => DataType::Int(None),
                Keyword::INTEGER if !paren => DataType::Integer(None),
                Keyword::BIGINT if !paren => DataType::BigInt(None),
                Keyword::SMALLINT if !paren => DataType::SmallInt(None),
                Keyword::INT4 if !paren => DataType::Int4(None),
                Keyword::INT8 if !paren => DataType::Int8(None),
                Keyword::TEXT if !paren => DataType::Text,
                Keyword::DATE => DataType::Date,
                Keyword::BOOLEAN => DataType::Boolean,
                Keyword::BOOL => DataType::Bool,
                Keyword::FLOAT8 => DataType::Float8,
                Keyword::TIMESTAMPTZ if !paren => DataType::Timestamp(None, TimezoneInfo::Tz),
                Keyword::TIMESTAMP if !paren => {
                    if self.peek_kw(Keyword::WITH) || self.peek_kw(Keyword::WITHOUT) {
                        return None;
                    }
                    DataType::Timestamp(None, TimezoneInfo::None)
                }
                Keyword::NUMERIC => DataType::Numeric(self.precision_scale()?),
                Keyword::VARCHAR => DataType::Varchar(if self.eat(&Token::LParen) {
                    let length = self.uint()?;
                    self.expect(&Token::RParen)?;
                    Some(CharacterLength::IntegerLength { length, unit: None })
                } else {
                    None
                }),
                _ => return None,
            }
        };
        // `type[]` (PostgreSQL's array types; sizes are left to sqlparser).
        let mut data_type = data_type;
        while self.peek_is(&Token::LBracket)
            && self
                .peek_nth(1)
                .is_some_and(|t| same_kind(t, &Token::RBracket))
        {
            self.at += 2;
            data_type = DataType::Array(ArrayElemTypeDef::SquareBracket(Box::new(data_type), None));
        }
        match self.peek() {
            Some(Token::LBracket | Token::LParen | Token::Period) => return None,
            Some(t)
                if is_kw(t, Keyword::ARRAY)
                    || is_kw(t, Keyword::UNSIGNED)
                    || is_kw(t, Keyword::SIGNED) =>
            {
                return None
            }
            _ => {}
        }
        Some(data_type)
    }

    fn precision_scale(&mut self) -> Option<ExactNumberInfo> {
        if !self.eat(&Token::LParen) {
            return Some(ExactNumberInfo::None);
        }
        let precision = self.uint()?;
        let info = if self.eat(&Token::Comma) {
            let scale = self.uint()?;
            ExactNumberInfo::PrecisionAndScale(precision, i64::try_from(scale).ok()?)
        } else {
            ExactNumberInfo::Precision(precision)
        };
        self.expect(&Token::RParen)?;
        Some(info)
    }
}

/// Whether two tokens are the same kind: for tokens without data (the
/// punctuation `eat` and `peek_is` look for), whether they are equal, without
/// the call to `Token`'s whole `PartialEq`.
fn same_kind(a: &Token, b: &Token) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Whether the token starts a query (sqlparser tries a subquery there).
fn starts_query(token: Option<&Token>) -> bool {
    token.is_some_and(|t| {
        [
            Keyword::SELECT,
            Keyword::WITH,
            Keyword::VALUES,
            Keyword::VALUE,
            Keyword::TABLE,
            Keyword::FROM,
            Keyword::INSERT,
            Keyword::UPDATE,
            Keyword::DELETE,
            Keyword::MERGE,
        ]
        .iter()
        .any(|k| is_kw(t, *k))
    })
}

fn wildcard_options(star: &Tok<'_>) -> WildcardAdditionalOptions {
    WildcardAdditionalOptions {
        wildcard_token: AttachedToken(star.full()),
        opt_ilike: None,
        opt_exclude: None,
        opt_except: None,
        opt_replace: None,
        opt_rename: None,
        opt_alias: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{corpus_texts, xorshift_below, PostgresDialect, PARSER_RECURSION_LIMIT};
    use sqlparser::parser::Parser;

    /// Whether the fast path took `sql`; when it did, its tree must be
    /// sqlparser's, spans included (`Debug` shows them; `==` ignores them).
    fn check(sql: &str) -> bool {
        let dialect = PostgresDialect::default();
        let Ok(tokens) = crate::parse::tokenize(&dialect, sql) else {
            return false;
        };
        let fast = strip(&tokens).and_then(|toks| parse(&toks));
        // The fast lexer's tokens, when it has them, give the same answer
        // (`crate::parse` does not try sqlparser's tokens again).
        if let Some(toks) = crate::parse::lexer::fast_tokens(sql) {
            let direct = parse(&toks);
            assert_eq!(
                format!("{direct:?}"),
                format!("{fast:?}"),
                "fast tokens and sqlparser's differ on {sql:?}"
            );
        }
        let Some(fast) = fast else {
            return false;
        };
        let whole = crate::parse::parse(sql);
        assert_eq!(
            format!("{whole:?}"),
            format!("{:?}", Ok::<_, crate::Error>(&fast)),
            "parse differs from the fast path on {sql:?}"
        );
        let slow = Parser::new(&dialect)
            .with_recursion_limit(PARSER_RECURSION_LIMIT)
            .with_tokens_with_locations(tokens)
            .parse_statements();
        match slow {
            Ok(slow) => assert_eq!(
                format!("{fast:?}"),
                format!("{slow:?}"),
                "fast path differs from sqlparser on {sql:?}"
            ),
            Err(err) => panic!("fast path accepted {sql:?}, which sqlparser refuses: {err}"),
        }
        true
    }

    /// `select_item` tests `FROM` before the list of words that end an
    /// item, which must then hold it; and `Tok::full` must be
    /// `Tok::into_full` for every kind of token.
    #[test]
    fn shortcuts_agree_with_what_they_stand_for() {
        assert!(RESERVED_FOR_COLUMN_ALIAS.contains(&Keyword::FROM));
        let dialect = PostgresDialect::default();
        let sql = "SELECT a, \"b\", 1.5, 2L, 'x', $1, (c) FROM t WHERE a::int = ANY(ARRAY[1])";
        let tokens = crate::parse::tokenize(&dialect, sql).unwrap();
        let toks = strip(&tokens).unwrap();
        assert!(toks.len() > 20);
        for tok in toks {
            assert_eq!(tok.full(), tok.clone().into_full());
            assert_eq!(
                format!("{:?}", tok.full()),
                format!("{:?}", tok.into_full())
            );
        }
    }

    #[test]
    fn benchmark_queries_take_the_fast_path() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/src/lib.rs");
        let text = std::fs::read_to_string(root).unwrap();
        for name in ["SINGLE_TABLE", "THREE_TABLE_JOIN"] {
            let start = text.find(&format!("pub const {name}: &str = \"")).unwrap();
            let rest = &text[start..];
            let open = rest.find('"').unwrap() + 1;
            let close = open + rest[open..].find("\";").unwrap();
            let sql = rest[open..close].replace("\\\n", "");
            assert!(check(&sql), "{name} does not take the fast path: {sql}");
        }
    }

    #[test]
    fn common_shapes_take_the_fast_path() {
        for sql in [
            "SELECT c1 FROM ft1 WHERE c3 ~ 'x' AND c1 = ANY ('{1,2}'::int[])",
            "SELECT DISTINCT t1.*, t2.c3 AS x FROM s.ft1 t1 LEFT JOIN ft2 AS t2 ON t1.c1 = t2.c1 \
             ORDER BY t1.c1 DESC NULLS LAST, 2 LIMIT 10 OFFSET 2",
            "SELECT count(*), sum(c1) s FROM ft1 GROUP BY c2 HAVING count(*) > 1;",
            "SELECT $1::int, CAST(c1 AS numeric(10, 2)), c2::varchar(5) FROM ft1",
            "SELECT * FROM ft1 WHERE c1 NOT BETWEEN 1 AND 2 OR c3 NOT ILIKE 'a%' OR c2 IS NOT TRUE",
            "SELECT CASE c1 WHEN 1 THEN 'a' ELSE 'b' END, ARRAY[1, 2], -c1 * 2 FROM ft1; SELECT 1",
            "SELECT r.region FROM public.regions r WHERE r.d > current_date AND r.d < DATE '2024-01-01'",
        ] {
            assert!(check(sql), "{sql}");
        }
        // Nesting: within the bound here, beyond it sqlparser's.
        let nested = |n: usize| format!("SELECT {}c1{} FROM ft1", "(".repeat(n), ")".repeat(n));
        assert!(check(&nested(MAX_DEPTH - 2)));
        assert!(!check(&nested(MAX_DEPTH + 1)));
        assert!(crate::parse::parse(&nested(MAX_DEPTH + 1)).is_ok());
        // The same bound for a lone leaf (`lone_leaf`), here an argument.
        let calls = |n: usize| format!("SELECT {}c1{} FROM ft1", "f(".repeat(n), ")".repeat(n));
        assert!(check(&calls(MAX_DEPTH - 1)));
        assert!(!check(&calls(MAX_DEPTH)));
    }

    #[test]
    fn corpora_match_sqlparser() {
        let mut texts = 0;
        let mut accepted = 0;
        for text in corpus_texts() {
            let mut pieces: Vec<&str> = vec![&text];
            pieces.extend(text.lines());
            pieces.extend(text.split(';'));
            for piece in pieces {
                texts += 1;
                if check(piece) {
                    accepted += 1;
                }
            }
        }
        eprintln!("fast path: {accepted} of {texts} corpus texts");
        assert!(
            accepted > 1000,
            "only {accepted} corpus texts took the fast path"
        );
    }

    /// One of `inside` mostly, one of `outside` (just outside the subset)
    /// once in about ten draws.
    fn pick(
        next: &mut dyn FnMut(usize) -> usize,
        inside: &[&'static str],
        outside: &[&'static str],
    ) -> &'static str {
        if next(10) == 0 {
            outside[next(outside.len())]
        } else {
            inside[next(inside.len())]
        }
    }

    /// Fragments of queries in and just outside the subset, drawn at
    /// random into whole statements.
    fn generated(next: &mut dyn FnMut(usize) -> usize, depth: usize) -> String {
        const NAMES: &[&str] = &[
            "current_date",
            "current_user",
            "localtimestamp",
            "current_timestamp(2)",
            "user()",
            "c1",
            "t1.c2",
            "\"C 1\"",
            "t.\"x\"",
            "name",
            "value",
            "date",
            "id",
            "ft1.c3",
            "text",
            "user",
            "a.b.c",
            "$1",
            "x",
            "timestamp",
            "interval",
            "year",
            "key",
            "type",
            "position",
            "left",
            "current_date",
            "session_user",
            "end",
            "filter",
            "over",
            "t.date",
            "t.from",
            "\"select\"",
            "int",
            "numeric",
            "e.id",
            "point",
            "xml",
            "t.*",
        ];
        const LITERALS: &[&str] = &[
            "1",
            "10",
            "1.5",
            "'abc'",
            "'a''b'",
            "NULL",
            "TRUE",
            "false",
            "1e5",
            ".5",
            "2L",
            "DATE '2020-01-01'",
            "timestamp 'x'",
            "TIMESTAMPTZ '2020-01-01 00:00+00'",
        ];
        const LITERALS_OUT: &[&str] = &[
            "'x' 'y'",
            "x 'y'",
            "INTERVAL '1 day'",
            "DATE '2020' 'x'",
            "time '1:00'",
            "timestamp(3) 'x'",
            "timestamp with time zone 'x'",
            "date 1",
            "int '1'",
        ];
        const BINARY: &[&str] = &[
            "=",
            "<>",
            "!=",
            "<",
            "<=",
            ">",
            ">=",
            "+",
            "-",
            "*",
            "/",
            "%",
            "||",
            "AND",
            "OR",
            "~",
            "~*",
            "!~",
            "!~*",
            "LIKE",
            "NOT LIKE",
            "ILIKE",
            "NOT ILIKE",
            "IS DISTINCT FROM",
            "IS NOT DISTINCT FROM",
        ];
        const BINARY_OUT: &[&str] = &["~~", "^", "&", "XOR", "COLLATE", "NOT", "SIMILAR TO", "->"];
        const TYPES: &[&str] = &[
            "int",
            "integer",
            "bigint",
            "numeric",
            "numeric(10,2)",
            "numeric(5)",
            "text",
            "varchar(10)",
            "varchar",
            "timestamp",
            "timestamptz",
            "date",
            "boolean",
            "bool",
            "float8",
            "user_enum",
            "\"char\"",
            "smallint",
            "int4",
            "int8",
            "int[]",
            "text[][]",
        ];
        const TYPES_OUT: &[&str] = &[
            "int[3]",
            "int ARRAY",
            "timestamp with time zone",
            "text(3)",
            "double precision",
            "pg_catalog.int4",
            "int(3)",
            "numeric(1,-1)",
        ];
        if depth == 0 {
            return match next(3) {
                0 => NAMES[next(NAMES.len())].to_owned(),
                _ => pick(next, LITERALS, LITERALS_OUT).to_owned(),
            };
        }
        let sub = |next: &mut dyn FnMut(usize) -> usize| {
            let shallower = usize::from(depth > 1 && next(2) == 0);
            generated(next, depth - 1 - shallower)
        };
        match next(22) {
            0..=5 => format!(
                "{} {} {}",
                sub(next),
                pick(next, BINARY, BINARY_OUT),
                sub(next)
            ),
            6 => format!("-{}", sub(next)),
            7 => format!("NOT {}", sub(next)),
            8 => format!("({})", sub(next)),
            9 => format!(
                "{} IS {}{}",
                sub(next),
                ["", "NOT "][next(2)],
                pick(next, &["NULL", "TRUE", "FALSE", "UNKNOWN"], &["JSON", "1"])
            ),
            10 => format!(
                "{} {}IN ({}{})",
                sub(next),
                ["", "NOT "][next(2)],
                sub(next),
                pick(next, &[", 2", "", ", 'a', NULL"], &[", (SELECT 1)", ")"])
            ),
            11 => format!(
                "{} {}BETWEEN {} AND {}",
                sub(next),
                pick(next, &["", "NOT "], &["SYMMETRIC ", "NOT ASYMMETRIC "]),
                sub(next),
                sub(next)
            ),
            12 => format!("{}::{}", sub(next), pick(next, TYPES, TYPES_OUT)),
            13 => format!("CAST({} AS {})", sub(next), pick(next, TYPES, TYPES_OUT)),
            14 => format!(
                "CASE {}WHEN {} THEN {}{} END",
                ["", "c1 "][next(2)],
                sub(next),
                sub(next),
                ["", " ELSE 0"][next(2)]
            ),
            15 => format!(
                "{}({})",
                pick(
                    next,
                    &["now", "count", "f", "lower", "coalesce", "max", "\"F\""],
                    &["substr", "trim", "s.f", "date"]
                ),
                pick(
                    next,
                    &["", "*", "c1", "c1, 2", "1 + c2, 'a'"],
                    &["DISTINCT c1", "x => 1", "c1 ORDER BY c1"]
                )
            ),
            16 => format!(
                "{} {} {}({})",
                sub(next),
                ["=", "<", "<>", "+"][next(4)],
                pick(next, &["ANY", "ALL"], &["SOME", ""]),
                sub(next)
            ),
            17 => format!("ARRAY[{}{}]", sub(next), ["", ", 2", ""][next(3)]),
            18 => format!(
                "{}{}",
                sub(next),
                pick(
                    next,
                    &[""],
                    &["[1]", ".x", " AT TIME ZONE 'UTC'", " 'x'", " text"]
                )
            ),
            // Deep nesting, around the fast path's bound.
            20 if next(4) == 0 => {
                let n = 20 + next(30);
                let (open, close) = pick(next, &["(", "NOT ", "- "], &["f("]).split_at(1);
                let inner = sub(next);
                if close.is_empty() && open == "(" {
                    format!("{}{inner}{}", "(".repeat(n), ")".repeat(n))
                } else if open == "f" {
                    format!("{}{inner}{}", "f(".repeat(n), ")".repeat(n))
                } else {
                    format!("{}{inner}", format!("{open}{close}").repeat(n))
                }
            }
            19 => format!(
                "{} {} {}",
                sub(next),
                pick(next, BINARY, BINARY_OUT),
                sub(next)
            ),
            _ => sub(next),
        }
    }

    fn generated_query(next: &mut dyn FnMut(usize) -> usize) -> String {
        let e = |next: &mut dyn FnMut(usize) -> usize| {
            let depth = next(4);
            generated(next, depth)
        };
        let items = match next(6) {
            0 => "*".to_owned(),
            1 => "t1.*, c2".to_owned(),
            2 => format!("{} AS a, {}", e(next), e(next)),
            3 => format!("DISTINCT {} b", e(next)),
            4 => format!(
                "{} {}",
                e(next),
                pick(
                    next,
                    &["name", "\"x\"", "AS y", "AS from"],
                    &["from", "'s'", "AS", "AS 's'"]
                )
            ),
            _ => e(next),
        };
        let from = pick(
            next,
            &[
                "",
                " FROM ft1",
                " FROM ft1 t1",
                " FROM ft1 AS t1, ft2 t2",
                " FROM s.ft1 t1 JOIN ft2 t2 ON t1.c1 = t2.c1",
                " FROM ft1 t1 LEFT JOIN ft2 t2 ON t1.c1 = t2.c1 FULL OUTER JOIN ft3 ON true",
                " FROM ft1 t1 RIGHT OUTER JOIN ft2 ON x INNER JOIN ft3 t3 ON y",
                " FROM public.regions r, s.public AS p",
                " FROM user u JOIN name ON true",
            ],
            &[
                " FROM ft1 t1 CROSS JOIN ft2",
                " FROM ft1 t1 JOIN ft2 USING (c1)",
                " FROM f(1) t",
                " FROM ft1 t1 (a, b)",
                " FROM (SELECT 1) s",
                " FROM ft1 JOIN ft2 JOIN ft3 ON a ON b",
                " FROM unnest(a) u",
                " FROM lateral f(1)",
                " FROM table t",
                " FROM values (1)",
            ],
        );
        let mut sql = format!("SELECT {items}{from}");
        if next(2) == 0 {
            sql += &format!(" WHERE {}", e(next));
        }
        if next(5) == 0 {
            sql += &format!(" GROUP BY {}, c2", e(next));
            if next(2) == 0 {
                sql += &format!(" HAVING {}", e(next));
            }
        }
        if next(3) == 0 {
            sql += &format!(
                " ORDER BY {}{}{}",
                e(next),
                pick(next, &["", " ASC", " DESC"], &[" USING <"]),
                ["", " NULLS FIRST", " NULLS LAST"][next(3)]
            );
        }
        sql += pick(
            next,
            &[
                "",
                "",
                " LIMIT 10",
                " OFFSET 5",
                " LIMIT 1 OFFSET 2",
                " OFFSET 2 LIMIT 1",
                "; SELECT 1",
                ";",
            ],
            &[
                " LIMIT ALL",
                " FOR UPDATE",
                " UNION SELECT 2",
                " LIMIT 1, 2",
                " OFFSET 1 ROWS",
            ],
        );
        sql
    }

    #[test]
    fn generated_queries_match_sqlparser() {
        let mut next = xorshift_below(0x5e1e_c7ed);
        let mut accepted = 0;
        let total = 30_000;
        for _ in 0..total {
            let sql = generated_query(&mut next);
            if check(&sql) {
                accepted += 1;
            }
        }
        eprintln!("fast path: {accepted} of {total} generated queries");
        assert!(
            accepted > total / 5,
            "only {accepted} generated queries took the fast path"
        );
    }
}
