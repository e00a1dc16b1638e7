//! The SQL dialect the front end parses with: sqlparser's PostgreSQL
//! dialect, corrected where its grammar differs from PostgreSQL 15's in
//! ways that postgres_fdw's own output (and so real queries) hit.
//!
//! * `expr COLLATE name` after anything but a plain name: sqlparser 0.63
//!   gives `COLLATE` an infix precedence but no infix parser, so
//!   `'x'::text COLLATE "C"` (which postgres_fdw prints) fails to parse.
//! * `1_000`: digit separators are PostgreSQL 16; in 15 this is `1` with
//!   the column alias `_000`.
//! * `f(a, VARIADIC arr)`: sqlparser has no variadic argument; the argument
//!   parses as [`Expr::Prefixed`] with the prefix [`VARIADIC_PREFIX`]
//!   (sqlparser only makes `Prefixed` for `_charset'...'` introducers,
//!   whose prefix starts with `_`).
//! * `COLLATION FOR (x)`: [`Expr::Prefixed`] with the prefix
//!   [`COLLATION_FOR_PREFIX`], the call `pg_collation_for(x)` in SQL syntax.
//! * `trim([BOTH|LEADING|TRAILING] [chars] FROM x, ...)` with the characters
//!   left out, and `trim(x, chars)`: gram.y's whole `trim_list`, as an
//!   [`Expr::Trim`] whose `expr` and `trim_characters` are the call's
//!   arguments in order (`trim_what` only for the one-argument `c FROM x`).
//! * `substring(x SIMILAR p ESCAPE e)` and `substring(x FOR n FROM m)`:
//!   gram.y's `substr_list`; both build the same call as `substring(x FROM
//!   p FOR e)`, so they parse as that [`Expr::Substring`]. A `SIMILAR` not
//!   followed by `TO` ends an expression instead of starting `SIMILAR TO`.
//! * `substr(...)`, `ceil(...)`, `floor(...)`, `convert(...)`: ordinary
//!   function calls ([`Expr::Function`]), not sqlparser's special forms
//!   (its `SUBSTR` is `substring`, a different `pg_proc` entry).
//! * `x [NOT] BETWEEN SYMMETRIC a AND b` (and `ASYMMETRIC`): sqlparser has
//!   no flag for it, so the symmetric form parses as the expansion
//!   `transformAExprBetween` makes, `x BETWEEN a AND b OR x BETWEEN b AND a`
//!   (`x NOT BETWEEN a AND b AND x NOT BETWEEN b AND a`).
//!
//! Token-level corrections (user-defined operators, `0x1F`, row-locking
//! strengths) are made before parsing, in [`crate::parse`].
//!
//! For speed only, the commonest prefixes (a number or string literal, a
//! plain column reference) are parsed directly, where sqlparser would
//! first try each as a typed literal (`DATE '...'`) and format an error
//! when that fails; the tree is exactly the one sqlparser builds (see
//! `PostgresDialect::parse_simple_prefix`).
//!
//! Everything else is delegated to [`PostgreSqlDialect`] unchanged, and
//! [`Dialect::dialect`] reports the PostgreSQL dialect so sqlparser's
//! internal dialect checks behave as for it.

use std::any::TypeId;
use std::cell::Cell;

use sqlparser::ast::{BinaryOperator, Expr, Ident, ObjectName, Value, ValueWithSpan};
use sqlparser::dialect::{Dialect, PostgreSqlDialect, Precedence};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// The [`Expr::Prefixed`] prefix of an argument written `VARIADIC arr`.
pub const VARIADIC_PREFIX: &str = "VARIADIC";

/// The [`Expr::Prefixed`] prefix of `COLLATION FOR (x)`.
pub const COLLATION_FOR_PREFIX: &str = "COLLATION FOR";

/// sqlparser's PostgreSQL dialect with the corrections listed in the
/// module documentation.
#[derive(Debug)]
pub struct PostgresDialect {
    base: PostgreSqlDialect,
    /// Set while [`PostgresDialect::depth_allows_prefix`] probes the
    /// parser's recursion limit: the prefix hook then fails at once.
    probing: Cell<bool>,
    /// Set once [`PostgresDialect::depth_allows_prefix`] has refused: the
    /// direct paths are then off (see
    /// [`PostgresDialect::parse_simple_prefix`]).
    refused: Cell<bool>,
    /// Whether the commonest prefixes take the direct path (off only to
    /// test that path against sqlparser's own).
    shortcuts: bool,
}

impl Default for PostgresDialect {
    fn default() -> PostgresDialect {
        PostgresDialect {
            base: PostgreSqlDialect {},
            probing: Cell::new(false),
            refused: Cell::new(false),
            shortcuts: true,
        }
    }
}

/// The commonest prefixes, which [`PostgresDialect::parse_simple_prefix`]
/// parses directly.
enum SimplePrefix {
    /// A number or a single-quoted string.
    Literal,
    /// A word that is no keyword, as a column reference (a qualified one
    /// continues in sqlparser's compound-expression loop, as it would).
    Name,
}

impl PostgresDialect {
    /// Parses a number or string literal, or a plain name, without
    /// sqlparser's speculative attempt at a typed literal, when the tokens
    /// show that attempt must fail and what sqlparser does next:
    ///
    /// * a number or `'string'`: the attempt fails at once (no data type
    ///   starts so), and sqlparser then reads the token with `parse_value`;
    /// * a word that is no keyword, followed (after any `.word` parts) by
    ///   none of `(` `[` `.` `ARRAY`: the attempt reads a user type name
    ///   with no modifiers and no array bounds, which sqlparser refuses as
    ///   a typed literal (`xml` alone is accepted, and is a keyword); then
    ///   the word has no special meaning, and unless a `(` (a call), a
    ///   string (an introducer such as `_utf8'x'`) or `->` (a lambda, which
    ///   this dialect lacks anyway) follows, it is an identifier.
    ///
    /// Not a call `f(...)`: it can fail, and sqlparser remembers where a
    /// prefix failed and, parsing there again after backtracking, answers
    /// "Expected: an expression" instead; a direct path would have to
    /// repeat that memo to give the same errors.
    ///
    /// The attempt also counts against sqlparser's recursion limit, so the
    /// direct path is taken only when that limit leaves room for it
    /// ([`PostgresDialect::depth_allows_prefix`]); otherwise sqlparser
    /// fails as it always has. And from then on the direct paths stay off:
    /// sqlparser remembers that the prefix failed at that token and, when
    /// backtracking brings it back there (with more room), fails again at
    /// once, where a direct path (which runs before that memo is read)
    /// would succeed. Refusals only happen near the limit, where speed
    /// does not matter.
    fn parse_simple_prefix(&self, parser: &mut Parser<'_>) -> Option<Result<Expr, ParserError>> {
        let kind = match &parser.peek_token_ref().token {
            Token::Number(..) | Token::SingleQuotedString(_) => SimplePrefix::Literal,
            Token::Word(word) if word.keyword == Keyword::NoKeyword && plain_name_ahead(parser) => {
                SimplePrefix::Name
            }
            _ => return None,
        };
        if self.refused.get() {
            return None;
        }
        if !self.depth_allows_prefix(parser) {
            self.refused.set(true);
            return None;
        }
        Some(match kind {
            SimplePrefix::Literal => self.parse_literal(parser).map(Expr::Value),
            SimplePrefix::Name => {
                // As sqlparser does: the word is not copied, only its ident.
                parser.advance_token();
                let token = parser.get_current_token();
                match &token.token {
                    Token::Word(word) => Ok(Expr::Identifier(word.to_ident(token.span))),
                    _ => parser.expected("an identifier", token.clone()),
                }
            }
        })
    }

    /// `parser.parse_value()` for a number or `'string'`, without its two
    /// copies of the token's text (the token, then its text again): one
    /// copy, the same value. Adjacent strings are left to `parse_value`
    /// in a dialect that concatenates them (this one does not).
    fn parse_literal(&self, parser: &mut Parser<'_>) -> Result<ValueWithSpan, ParserError> {
        if self.supports_string_literal_concatenation()
            || self.supports_string_literal_concatenation_with_newline()
        {
            return parser.parse_value();
        }
        let token = parser.peek_token_ref();
        let span = token.span;
        let value = match &token.token {
            Token::Number(number, long) => Value::Number(number.clone(), *long),
            Token::SingleQuotedString(text) => Value::SingleQuotedString(text.clone()),
            _ => return parser.parse_value(),
        };
        parser.advance_token();
        Ok(value.with_span(span))
    }

    /// Whether sqlparser's recursion limit leaves room for one more nested
    /// parse here, as its typed-literal attempt (`parse_data_type`) takes.
    /// The limit's counter is private; `parse_interval` takes one level and
    /// then asks this hook for a prefix, which fails at once while
    /// `probing` is set, consuming no token. Only the recursion error says
    /// the limit was reached.
    fn depth_allows_prefix(&self, parser: &mut Parser<'_>) -> bool {
        self.probing.set(true);
        let probe = parser.parse_interval();
        self.probing.set(false);
        !matches!(probe, Err(ParserError::RecursionLimitExceeded))
    }

    /// The dialect without the direct paths of
    /// [`PostgresDialect::parse_simple_prefix`], to test them against.
    #[cfg(test)]
    fn without_shortcuts() -> PostgresDialect {
        PostgresDialect {
            shortcuts: false,
            ..PostgresDialect::default()
        }
    }
}

/// Whether the word at the parser's position is a plain name for
/// [`PostgresDialect::parse_simple_prefix`]: `word(.word)*` followed by
/// none of `(` `[` `.` `ARRAY`, and the word itself not followed by `(`,
/// a string or `->`.
fn plain_name_ahead(parser: &Parser<'_>) -> bool {
    let next = &parser.peek_nth_token_ref(1).token;
    if matches!(
        next,
        Token::LParen
            | Token::SingleQuotedString(_)
            | Token::DoubleQuotedString(_)
            | Token::HexStringLiteral(_)
            | Token::Arrow
    ) {
        return false;
    }
    let mut at = 1;
    loop {
        match &parser.peek_nth_token_ref(at).token {
            Token::Period => {
                if !matches!(parser.peek_nth_token_ref(at + 1).token, Token::Word(_)) {
                    return false;
                }
                at += 2;
            }
            Token::LParen | Token::LBracket => return false,
            Token::Word(word) if word.keyword == Keyword::ARRAY => return false,
            _ => return true,
        }
    }
}

impl Dialect for PostgresDialect {
    fn dialect(&self) -> TypeId {
        self.base.dialect()
    }

    fn parse_prefix(&self, parser: &mut Parser<'_>) -> Option<Result<Expr, ParserError>> {
        if self.probing.get() {
            // `depth_allows_prefix`'s probe: fail without consuming.
            return Some(Err(ParserError::ParserError(String::new())));
        }
        let [first, second, third] = parser.peek_tokens_ref::<3>();
        let paren = second.token == Token::LParen;
        if is_keyword(&first.token, Keyword::VARIADIC) {
            return Some(parse_variadic(parser));
        }
        if is_keyword(&first.token, Keyword::TRIM) && paren {
            return Some(parse_trim(parser));
        }
        if is_keyword(&first.token, Keyword::SUBSTRING) && paren {
            return Some(parse_substring(parser));
        }
        if paren && PLAIN_FUNCTIONS.iter().any(|k| is_keyword(&first.token, *k)) {
            return Some(parse_plain_call(parser));
        }
        if is_keyword(&first.token, Keyword::COLLATION)
            && is_keyword(&second.token, Keyword::FOR)
            && third.token == Token::LParen
        {
            return Some(parse_collation_for(parser));
        }
        if self.shortcuts {
            if let Some(expr) = self.parse_simple_prefix(parser) {
                return Some(expr);
            }
        }
        self.base.parse_prefix(parser)
    }

    fn parse_infix(
        &self,
        parser: &mut Parser<'_>,
        expr: &Expr,
        precedence: u8,
    ) -> Option<Result<Expr, ParserError>> {
        if let Some(negated) = symmetric_between_ahead(parser) {
            return Some(parse_symmetric_between(self, parser, expr, negated));
        }
        if parser.parse_keyword(Keyword::COLLATE) {
            return Some(
                parser
                    .parse_object_name(false)
                    .map(|collation| Expr::Collate {
                        expr: Box::new(expr.clone()),
                        collation,
                    }),
            );
        }
        self.base.parse_infix(parser, expr, precedence)
    }

    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        self.base.identifier_quote_style(identifier)
    }

    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        self.base.is_delimited_identifier_start(ch)
    }

    fn is_identifier_start(&self, ch: char) -> bool {
        self.base.is_identifier_start(ch)
    }

    fn is_identifier_part(&self, ch: char) -> bool {
        self.base.is_identifier_part(ch)
    }

    fn supports_unicode_string_literal(&self) -> bool {
        self.base.supports_unicode_string_literal()
    }

    fn is_reserved_for_identifier(&self, kw: Keyword) -> bool {
        self.base.is_reserved_for_identifier(kw)
    }

    fn is_table_alias(&self, kw: &Keyword, parser: &mut Parser<'_>) -> bool {
        self.base.is_table_alias(kw, parser)
    }

    fn is_custom_operator_part(&self, ch: char) -> bool {
        self.base.is_custom_operator_part(ch)
    }

    fn get_next_precedence(&self, parser: &Parser<'_>) -> Option<Result<u8, ParserError>> {
        let [first, second] = parser.peek_tokens_ref::<2>();
        if is_keyword(&first.token, Keyword::SIMILAR) && !is_keyword(&second.token, Keyword::TO) {
            // Only `substring(x SIMILAR p ESCAPE e)` has a bare SIMILAR.
            return Some(Ok(0));
        }
        self.base.get_next_precedence(parser)
    }

    fn supports_filter_during_aggregation(&self) -> bool {
        self.base.supports_filter_during_aggregation()
    }

    fn supports_group_by_expr(&self) -> bool {
        self.base.supports_group_by_expr()
    }

    fn supports_alter_user_as_alter_role(&self) -> bool {
        self.base.supports_alter_user_as_alter_role()
    }

    fn prec_value(&self, prec: Precedence) -> u8 {
        self.base.prec_value(prec)
    }

    fn allow_extract_custom(&self) -> bool {
        self.base.allow_extract_custom()
    }

    fn allow_extract_single_quotes(&self) -> bool {
        self.base.allow_extract_single_quotes()
    }

    fn supports_create_index_with_clause(&self) -> bool {
        self.base.supports_create_index_with_clause()
    }

    fn supports_explain_with_utility_options(&self) -> bool {
        self.base.supports_explain_with_utility_options()
    }

    fn supports_listen_notify(&self) -> bool {
        self.base.supports_listen_notify()
    }

    fn supports_exclude_constraint(&self) -> bool {
        self.base.supports_exclude_constraint()
    }

    fn supports_factorial_operator(&self) -> bool {
        self.base.supports_factorial_operator()
    }

    fn supports_bitwise_shift_operators(&self) -> bool {
        self.base.supports_bitwise_shift_operators()
    }

    fn supports_comment_on(&self) -> bool {
        self.base.supports_comment_on()
    }

    fn supports_load_extension(&self) -> bool {
        self.base.supports_load_extension()
    }

    fn supports_named_fn_args_with_colon_operator(&self) -> bool {
        self.base.supports_named_fn_args_with_colon_operator()
    }

    fn supports_named_fn_args_with_expr_name(&self) -> bool {
        self.base.supports_named_fn_args_with_expr_name()
    }

    fn supports_empty_projections(&self) -> bool {
        self.base.supports_empty_projections()
    }

    fn supports_nested_comments(&self) -> bool {
        self.base.supports_nested_comments()
    }

    fn supports_string_escape_constant(&self) -> bool {
        self.base.supports_string_escape_constant()
    }

    fn supports_numeric_literal_underscores(&self) -> bool {
        // PostgreSQL 16 added `1_000`; in 15 it is `1` with the alias `_000`.
        false
    }

    fn supports_array_typedef_with_brackets(&self) -> bool {
        self.base.supports_array_typedef_with_brackets()
    }

    fn supports_geometric_types(&self) -> bool {
        self.base.supports_geometric_types()
    }

    fn supports_order_by_using_operator(&self) -> bool {
        self.base.supports_order_by_using_operator()
    }

    fn supports_set_names(&self) -> bool {
        self.base.supports_set_names()
    }

    fn supports_alter_column_type_using(&self) -> bool {
        self.base.supports_alter_column_type_using()
    }

    fn supports_left_associative_joins_without_parens(&self) -> bool {
        self.base.supports_left_associative_joins_without_parens()
    }

    fn supports_notnull_operator(&self) -> bool {
        self.base.supports_notnull_operator()
    }

    fn supports_interval_options(&self) -> bool {
        self.base.supports_interval_options()
    }

    fn supports_insert_table_alias(&self) -> bool {
        self.base.supports_insert_table_alias()
    }

    fn supports_create_table_like_parenthesized(&self) -> bool {
        self.base.supports_create_table_like_parenthesized()
    }

    fn supports_select_wildcard_with_alias(&self) -> bool {
        self.base.supports_select_wildcard_with_alias()
    }

    fn supports_comma_separated_trim(&self) -> bool {
        self.base.supports_comma_separated_trim()
    }

    fn supports_xml_expressions(&self) -> bool {
        self.base.supports_xml_expressions()
    }

    fn supports_aliased_function_args(&self) -> bool {
        self.base.supports_aliased_function_args()
    }

    fn supports_comment_optimizer_hint(&self) -> bool {
        self.base.supports_comment_optimizer_hint()
    }
}

/// An unquoted word that is `keyword`.
fn is_keyword(token: &Token, keyword: Keyword) -> bool {
    matches!(token, Token::Word(word) if word.keyword == keyword && word.quote_style.is_none())
}

/// Words sqlparser parses as special expressions that PostgreSQL 15's
/// grammar leaves as ordinary function names, each with its own `pg_proc`
/// entries: `substr` is not `substring` (sqlparser's `SUBSTR` shorthand),
/// `ceil`/`floor` take any argument list, `convert(bytea, name, name)` is
/// not MySQL's `CONVERT`.
const PLAIN_FUNCTIONS: [Keyword; 4] = [
    Keyword::SUBSTR,
    Keyword::CEIL,
    Keyword::FLOOR,
    Keyword::CONVERT,
];

/// `name(args)` for a word in [`PLAIN_FUNCTIONS`], as the ordinary call
/// [`Expr::Function`].
fn parse_plain_call(parser: &mut Parser<'_>) -> Result<Expr, ParserError> {
    // As sqlparser does: the word is not copied, only its ident.
    parser.advance_token();
    let token = parser.get_current_token();
    let Token::Word(word) = &token.token else {
        return parser.expected("a function name", token.clone());
    };
    let name = ObjectName::from(vec![word.to_ident(token.span)]);
    parser.parse_function(name)
}

/// `VARIADIC arg`, as [`Expr::Prefixed`] (the analyzer accepts it only as
/// a call's last argument, as gram.y does).
fn parse_variadic(parser: &mut Parser<'_>) -> Result<Expr, ParserError> {
    let keyword = parser.next_token();
    let value = parser.parse_expr()?;
    Ok(Expr::Prefixed {
        prefix: Ident::with_span(keyword.span, VARIADIC_PREFIX),
        value: Box::new(value),
    })
}

/// `COLLATION FOR (x)`, as [`Expr::Prefixed`].
fn parse_collation_for(parser: &mut Parser<'_>) -> Result<Expr, ParserError> {
    let keyword = parser.next_token();
    parser.expect_keyword_is(Keyword::FOR)?;
    parser.expect_token(&Token::LParen)?;
    let value = parser.parse_expr()?;
    parser.expect_token(&Token::RParen)?;
    Ok(Expr::Prefixed {
        prefix: Ident::with_span(keyword.span, COLLATION_FOR_PREFIX),
        value: Box::new(Expr::Nested(Box::new(value))),
    })
}

/// gram.y's `TRIM '(' [BOTH|LEADING|TRAILING] trim_list ')'`, where
/// `trim_list` is `a FROM list` (the call `f(list..., a)`), `FROM list` or
/// `list`.
fn parse_trim(parser: &mut Parser<'_>) -> Result<Expr, ParserError> {
    parser.next_token();
    parser.expect_token(&Token::LParen)?;
    let trim_where = match &parser.peek_token_ref().token {
        Token::Word(word)
            if word.quote_style.is_none()
                && matches!(
                    word.keyword,
                    Keyword::BOTH | Keyword::LEADING | Keyword::TRAILING
                ) =>
        {
            Some(parser.parse_trim_where()?)
        }
        _ => None,
    };
    let (mut args, what) = if parser.parse_keyword(Keyword::FROM) {
        (parser.parse_comma_separated(Parser::parse_expr)?, None)
    } else {
        let first = parser.parse_expr()?;
        if parser.parse_keyword(Keyword::FROM) {
            (
                parser.parse_comma_separated(Parser::parse_expr)?,
                Some(first),
            )
        } else if parser.consume_token(&Token::Comma) {
            let mut args = vec![first];
            args.extend(parser.parse_comma_separated(Parser::parse_expr)?);
            (args, None)
        } else {
            (vec![first], None)
        }
    };
    parser.expect_token(&Token::RParen)?;
    // `c FROM x` keeps sqlparser's own shape; longer lists go in order.
    let (trim_what, extra) = match what {
        Some(what) if args.len() == 1 => (Some(Box::new(what)), None),
        Some(what) => (None, Some(what)),
        None => (None, None),
    };
    args.extend(extra);
    let mut args = args.into_iter();
    let Some(expr) = args.next() else {
        return parser.expected("an expression", parser.peek_token());
    };
    let rest: Vec<Expr> = args.collect();
    Ok(Expr::Trim {
        expr: Box::new(expr),
        trim_where,
        trim_what,
        trim_characters: if rest.is_empty() { None } else { Some(rest) },
    })
}

/// gram.y's `SUBSTRING '(' substr_list ')'` and `SUBSTRING '(' args ')'`.
fn parse_substring(parser: &mut Parser<'_>) -> Result<Expr, ParserError> {
    parser.next_token();
    parser.expect_token(&Token::LParen)?;
    let expr = parser.parse_expr()?;
    let mut from = None;
    let mut count = None;
    let mut special = false;
    if parser.parse_keyword(Keyword::FROM) {
        from = Some(parser.parse_expr()?);
        if parser.parse_keyword(Keyword::FOR) {
            count = Some(parser.parse_expr()?);
        }
    } else if parser.parse_keyword(Keyword::FOR) {
        count = Some(parser.parse_expr()?);
        if parser.parse_keyword(Keyword::FROM) {
            from = Some(parser.parse_expr()?);
        }
    } else if parser.parse_keyword(Keyword::SIMILAR) {
        // The same call as `FROM p FOR e`: substring(x, p, e).
        from = Some(parser.parse_expr()?);
        parser.expect_keyword_is(Keyword::ESCAPE)?;
        count = Some(parser.parse_expr()?);
    } else if parser.consume_token(&Token::Comma) {
        special = true;
        from = Some(parser.parse_expr()?);
        if parser.consume_token(&Token::Comma) {
            count = Some(parser.parse_expr()?);
        }
    }
    parser.expect_token(&Token::RParen)?;
    Ok(Expr::Substring {
        expr: Box::new(expr),
        substring_from: from.map(Box::new),
        substring_for: count.map(Box::new),
        special,
        shorthand: false,
    })
}

/// `Some(negated)` when the next tokens are `[NOT] BETWEEN [A]SYMMETRIC`.
fn symmetric_between_ahead(parser: &Parser<'_>) -> Option<bool> {
    let [first, second, third] = parser.peek_tokens_ref::<3>();
    let symmetric = |token: &Token| {
        is_keyword(token, Keyword::SYMMETRIC) || is_keyword(token, Keyword::ASYMMETRIC)
    };
    if is_keyword(&first.token, Keyword::BETWEEN) && symmetric(&second.token) {
        Some(false)
    } else if is_keyword(&first.token, Keyword::NOT)
        && is_keyword(&second.token, Keyword::BETWEEN)
        && symmetric(&third.token)
    {
        Some(true)
    } else {
        None
    }
}

/// `x [NOT] BETWEEN [A]SYMMETRIC a AND b`; the symmetric form expanded as
/// `transformAExprBetween` does.
fn parse_symmetric_between(
    dialect: &PostgresDialect,
    parser: &mut Parser<'_>,
    expr: &Expr,
    negated: bool,
) -> Result<Expr, ParserError> {
    if negated {
        parser.expect_keyword_is(Keyword::NOT)?;
    }
    parser.expect_keyword_is(Keyword::BETWEEN)?;
    let symmetric = parser.parse_keyword(Keyword::SYMMETRIC);
    if !symmetric {
        parser.expect_keyword_is(Keyword::ASYMMETRIC)?;
    }
    let precedence = dialect.prec_value(Precedence::Between);
    let low = parser.parse_subexpr(precedence)?;
    parser.expect_keyword_is(Keyword::AND)?;
    let high = parser.parse_subexpr(precedence)?;
    let between = |low: &Expr, high: &Expr| Expr::Between {
        expr: Box::new(expr.clone()),
        negated,
        low: Box::new(low.clone()),
        high: Box::new(high.clone()),
    };
    if !symmetric {
        return Ok(between(&low, &high));
    }
    Ok(Expr::Nested(Box::new(Expr::BinaryOp {
        left: Box::new(between(&low, &high)),
        op: if negated {
            BinaryOperator::And
        } else {
            BinaryOperator::Or
        },
        right: Box::new(between(&high, &low)),
    })))
}

#[cfg(test)]
mod tests {
    use sqlparser::ast::{Expr, SelectItem, SetExpr, Statement};
    use sqlparser::parser::Parser;

    use super::PostgresDialect;

    fn first_item(sql: &str) -> SelectItem {
        let mut stmts = Parser::parse_sql(&PostgresDialect::default(), sql).unwrap();
        let Statement::Query(query) = stmts.remove(0) else {
            panic!("not a query");
        };
        let SetExpr::Select(select) = *query.body else {
            panic!("not a select");
        };
        select.projection[0].clone()
    }

    #[test]
    fn collate_after_a_cast_parses() {
        let SelectItem::UnnamedExpr(Expr::Collate { expr, collation }) =
            first_item("SELECT 'x'::text COLLATE \"C\"")
        else {
            panic!("no COLLATE");
        };
        assert!(matches!(*expr, Expr::Cast { .. }));
        assert_eq!(collation.to_string(), "\"C\"");
    }

    fn first_expr(sql: &str) -> Expr {
        match first_item(sql) {
            SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => expr,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn variadic_argument_parses_as_prefixed() {
        let Expr::Function(function) = first_expr("SELECT num_nulls(VARIADIC ARRAY[1, 2])") else {
            panic!("not a call");
        };
        assert_eq!(function.to_string(), "num_nulls(VARIADIC ARRAY[1, 2])");
    }

    #[test]
    fn collation_for_parses() {
        let expr = first_expr("SELECT COLLATION FOR ('x')");
        assert!(
            matches!(&expr, Expr::Prefixed { prefix, .. } if prefix.value == "COLLATION FOR"),
            "{expr:?}"
        );
    }

    #[test]
    fn trim_without_characters_parses() {
        for sql in [
            "SELECT trim(both FROM 'x')",
            "SELECT trim(FROM 'x')",
            "SELECT trim(leading 'x', 'y')",
        ] {
            assert!(matches!(first_expr(sql), Expr::Trim { .. }), "{sql}");
        }
        let Expr::Trim {
            expr,
            trim_what,
            trim_characters,
            ..
        } = first_expr("SELECT trim(trailing 'a' FROM 'x', 'y')")
        else {
            panic!("not trim");
        };
        // gram.y: `a FROM list` calls f(list..., a).
        assert_eq!(expr.to_string(), "'x'");
        assert!(trim_what.is_none());
        assert_eq!(trim_characters.unwrap().len(), 2);
    }

    #[test]
    fn substring_similar_escape_parses_as_from_for() {
        let Expr::Substring {
            substring_from,
            substring_for,
            special,
            ..
        } = first_expr("SELECT substring('abc' SIMILAR 'a%' ESCAPE '#')")
        else {
            panic!("not substring");
        };
        assert!(!special);
        assert_eq!(substring_from.unwrap().to_string(), "'a%'");
        assert_eq!(substring_for.unwrap().to_string(), "'#'");
        let Expr::Substring {
            substring_from,
            substring_for,
            ..
        } = first_expr("SELECT substring('abc' FOR 2 FROM 1)")
        else {
            panic!("not substring");
        };
        assert_eq!(substring_from.unwrap().to_string(), "1");
        assert_eq!(substring_for.unwrap().to_string(), "2");
        assert!(matches!(
            first_expr("SELECT 'a' SIMILAR TO 'b'"),
            Expr::SimilarTo { .. }
        ));
    }

    #[test]
    fn between_symmetric_expands_as_postgres_does() {
        let expr = first_expr("SELECT 2 BETWEEN SYMMETRIC 3 AND 1");
        assert_eq!(expr.to_string(), "(2 BETWEEN 3 AND 1 OR 2 BETWEEN 1 AND 3)");
        let expr = first_expr("SELECT 2 NOT BETWEEN SYMMETRIC 3 AND 1");
        assert_eq!(
            expr.to_string(),
            "(2 NOT BETWEEN 3 AND 1 AND 2 NOT BETWEEN 1 AND 3)"
        );
        let expr = first_expr("SELECT 2 BETWEEN ASYMMETRIC 1 AND 3");
        assert_eq!(expr.to_string(), "2 BETWEEN 1 AND 3");
    }

    #[test]
    fn digit_separators_are_not_postgres_15() {
        let item = first_item("SELECT 1_000");
        assert!(
            matches!(&item, SelectItem::ExprWithAlias { alias, .. } if alias.value == "_000"),
            "{item:?}"
        );
    }

    /// Every statement and error, spans included, as sqlparser builds it
    /// with `dialect` and the recursion limit `limit`.
    fn parsed(dialect: &PostgresDialect, sql: &str, limit: usize) -> String {
        let result = Parser::new(dialect)
            .with_recursion_limit(limit)
            .try_with_sql(sql)
            .and_then(|mut parser| parser.parse_statements());
        format!("{result:?}")
    }

    #[test]
    fn simple_prefixes_parse_as_sqlparser_parses_them() {
        let fast = PostgresDialect::default();
        let slow = PostgresDialect::without_shortcuts();
        let corpus = [
            "SELECT c1, c2, t.c3, s.t.c4, \"Q\".\"c\" FROM t WHERE c1 > 10 AND c3 LIKE 'a%'",
            "SELECT 1, 1.5, 1e10, 'x', 'x' 'y', 'a'\n'b', E'x', $$d$$, x'1F', B'01', N'n'",
            "SELECT c1::numeric, c1::int[], t.c1::text COLLATE \"C\" FROM t",
            "SELECT f(c1), s.f(c1), c1[1], t.c1[1:2], c1 ARRAY, c1 ARRAY[2], c1 -> 'k'",
            "SELECT _utf8'x', _x 'y', inet '1.2.3.4', c1 'x', mood 'ok', xml '<a/>'",
            "SELECT date '2020-01-01', int '1', interval '1 day', timestamp with time zone 'x'",
            "SELECT c1 IN ('a', 'b'), c1 BETWEEN 1 AND 2, c1 IS NOT NULL, NOT c1, -c1, +1",
            "SELECT CASE WHEN c2 > 5 THEN c1 ELSE c2 END < 500, t.*, count(*), count(t.*)",
            "SELECT a.b.c.d, a.b(1), a.b.c(1), a..b, a.1, a. 'x', a.\"b\"(",
            "SELECT c1 FROM t1 JOIN t2 ON t1.c1 = t2.c1 WHERE t2.c6 = 'foo' ORDER BY c1 LIMIT 5",
            "SELECT VARIADIC c1, trim(c1), substring(c1 FROM 1), COLLATION FOR (c1)",
            "SELECT c1 FROM t WHERE c1 = ANY(ARRAY[1, 2]) AND c2 = ALL('{1}') OR c3 ~ 'x'",
            "SELECT (c1), ((c1, c2)), (SELECT c1 FROM t), EXISTS (SELECT 1), c1 + 'x'",
            "SELECT c1 c2, c1 AS c2, 'x' y, 1 z FROM t t1 WHERE c1",
            "SELECT 1 +, c1 c2 c3, 'x' (, c1 .",
            "INSERT INTO t VALUES (1, 'x', c1); UPDATE t SET c1 = c2 WHERE c3 = 'x'",
            "SELECT now(), f(), f(1, 2), \"f\"(x), f(DISTINCT x ORDER BY y), f(*), f(a := 1)",
            "SELECT count(*) FILTER (WHERE x), f(x) OVER (PARTITION BY y), f(x) WITHIN GROUP",
            "SELECT f(, f(1 +), g(1,, 2), h(x FROM y), f(VARIADIC a), f(1)(2), f(1).x, f(1)[1]",
            "SELECT IF(now(IF(now(IF(now(x, CASE WHEN f( THEN 1 END, CASE f(1) WHEN 1 THEN 2",
            "SELECT _utf8(1), xml(1), date(1), int4(1), f (1), f\n(1), -f(1), NOT f(1)",
        ];
        for sql in corpus {
            assert_eq!(parsed(&fast, sql, 200), parsed(&slow, sql, 200), "{sql}");
        }
        // Around the recursion limit: the direct path must fail exactly
        // where sqlparser's typed-literal attempt would.
        let shapes: [(&str, &str, &str); 8] = [
            ("f(", "g(1)", ")"),
            ("f(1, ", "2", ")"),
            ("(", "1", ")"),
            ("(", "c1", ")"),
            ("(", "'s'", ")"),
            ("-", "t.c1", ""),
            ("NOT ", "c1", ""),
            ("f(", "c1", ")"),
        ];
        for (open, inner, close) in shapes {
            for depth in 0..12 {
                let sql = format!(
                    "SELECT {}{inner}{}",
                    open.repeat(depth),
                    close.repeat(depth)
                );
                for limit in 1..30 {
                    assert_eq!(
                        parsed(&fast, &sql, limit),
                        parsed(&slow, &sql, limit),
                        "{sql} at limit {limit}"
                    );
                }
            }
        }
    }

    /// Every line of the repository's query corpora (and every file
    /// whole), and generated expressions, parse as sqlparser parses them:
    /// the same trees and spans, the same errors.
    #[test]
    fn corpora_parse_as_sqlparser_parses_them() {
        let fast = PostgresDialect::default();
        let slow = PostgresDialect::without_shortcuts();
        for text in crate::parse::corpus_texts() {
            if text.len() < 200_000 {
                assert_eq!(parsed(&fast, &text, 200), parsed(&slow, &text, 200));
            }
            for line in text.lines() {
                assert_eq!(parsed(&fast, line, 200), parsed(&slow, line, 200), "{line}");
            }
        }
        const FRAGMENTS: [&str; 40] = [
            "f(",
            "now()",
            "g(1)",
            "x",
            "t.x",
            "1",
            "'s'",
            "(",
            ")",
            ",",
            " + ",
            " - ",
            "*",
            "::int",
            " AND ",
            " OR ",
            "NOT ",
            "CASE ",
            " WHEN ",
            " THEN ",
            " ELSE ",
            " END",
            "IF(",
            "DISTINCT ",
            " ORDER BY ",
            " FILTER (WHERE ",
            " OVER (",
            "ARRAY[",
            "]",
            "[1]",
            ".",
            "VARIADIC ",
            " FROM ",
            "trim(",
            "substr(",
            " IS NULL",
            "date ",
            "-",
            "_x",
            "\"q\"(",
        ];
        let mut next = crate::parse::xorshift_below(0x2545_f491_4f6c_dd1d);
        for case in 0..20_000 {
            let len = 1 + next(12);
            let body: String = (0..len).map(|_| FRAGMENTS[next(FRAGMENTS.len())]).collect();
            let sql = format!("SELECT {body}");
            // A low limit now and then, to meet the depth probe's edge.
            let limit = if case % 4 == 0 { 3 + next(8) } else { 200 };
            assert_eq!(
                parsed(&fast, &sql, limit),
                parsed(&slow, &sql, limit),
                "{sql} at limit {limit}"
            );
        }
    }
}
