//! Reader of the embedded catalog data files (`fdw-catalog/data/pgNN.cat`),
//! written by `cargo xtask gen-catalog`.
//!
//! The format is line-oriented text so that a new minor release shows up as
//! a readable diff:
//!
//! ```text
//! fdw-builtin-catalog 1
//! server<TAB>15<TAB>150018
//! %namespace<TAB>oid<TAB>name          section header: kind, then column names
//! 11<TAB>pg_catalog                    one row per line, tab-separated
//! ...
//! %extension<TAB>name<TAB>...          an extension block; its sections follow
//! %type<TAB>member<TAB>oid<TAB>...     rows start with + (member) or - (not a member)
//! ```
//!
//! Field encodings: oids and numbers in decimal (0 is `InvalidOid`);
//! booleans `t`/`f`; catalog "char" codes as the letter; oid lists
//! space-separated; text lists comma-separated; NULL text `\N`; in text,
//! `\\`, `\t`, `\n`, `\,` (inside lists) and `\e` (an empty list element)
//! are escapes. Rows come in the order the loader indexes them (functions
//! by schema, name and argument types; operators by name, schema and
//! operand types; casts by source and target; `pg_amop` by its unique key;
//! everything else by oid). The loader sorts anyway, but sorted input makes
//! that nearly free.

use std::borrow::Cow;

use fdw_core::Oid;

use super::extension::{ExtensionObjects, ExtensionTemplate, RequiredRange};
use super::records::{
    AccessMethodInfo, AggregateInfo, AggregateKind, AmopInfo, AmopPurpose, ArgMode, CastContext,
    CastInfo, CastMethod, CollationInfo, CollationProvider, NamespaceInfo, OpclassInfo,
    OperatorInfo, OperatorKind, OpfamilyInfo, ProcInfo, ProcKind, TypeInfo, TypeKind, TypeStorage,
    Volatility,
};
use crate::{Error, Result};

/// The first line of every data file.
pub(crate) const MAGIC: &str = "fdw-builtin-catalog 1";

/// Column lists of the sections, as written by the generator. The loader
/// checks them so a generator change cannot silently shift fields.
pub(crate) mod columns {
    /// `%namespace`.
    pub(crate) const NAMESPACE: &str = "oid\tname";
    /// `%am`.
    pub(crate) const AM: &str = "oid\tname";
    /// `%type`.
    pub(crate) const TYPE: &str = "oid\tname\tnamespace\tlen\tbyval\ttype\tcategory\tpreferred\telem\tarray\trelid\tsubscript\tstorage\tcollation\tbasetype\ttypmod\tnotnull\tinput\toutput\tmodin\tmodout\tdelim";
    /// `%proc`.
    pub(crate) const PROC: &str = "oid\tname\tnamespace\tkind\tvolatile\tstrict\tretset\trettype\targtypes\tallargtypes\targmodes\targnames\tvariadic\tnargdefaults\tcost\trows\tleakproof\tsupport";
    /// `%operator`.
    pub(crate) const OPERATOR: &str = "oid\tname\tnamespace\tkind\tleft\tright\tresult\tcode\tcom\tnegate\trest\tjoin\tcanmerge\tcanhash";
    /// `%cast`.
    pub(crate) const CAST: &str = "oid\tsource\ttarget\tfunc\tcontext\tmethod";
    /// `%aggregate`.
    pub(crate) const AGGREGATE: &str = "fnoid\tkind\tndirect\ttransfn\tfinalfn\tcombinefn\tserialfn\tdeserialfn\tmtransfn\tminvtransfn\tmfinalfn\tfinalextra\tmfinalextra\tfinalmodify\tmfinalmodify\tsortop\ttranstype\ttransspace\tmtranstype\tmtransspace\tinitval\tminitval";
    /// `%collation`.
    pub(crate) const COLLATION: &str =
        "oid\tname\tnamespace\tprovider\tdeterministic\tencoding\tcollate";
    /// `%opfamily`.
    pub(crate) const OPFAMILY: &str = "oid\tmethod\tname\tnamespace";
    /// `%opclass`.
    pub(crate) const OPCLASS: &str =
        "oid\tmethod\tname\tnamespace\tfamily\tintype\tdefault\tkeytype";
    /// `%amop`.
    pub(crate) const AMOP: &str =
        "oid\tfamily\tleft\tright\tstrategy\tpurpose\toperator\tmethod\tsortfamily";
    /// `%extension`.
    pub(crate) const EXTENSION: &str =
        "name\tversion\trelocatable\tschema\trequires\toid\tspan\tnamespace\trequired";
}

/// Everything a data file holds, in file order.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) major: u32,
    pub(crate) version_num: u32,
    pub(crate) namespaces: Vec<NamespaceInfo>,
    pub(crate) ams: Vec<AccessMethodInfo>,
    pub(crate) types: Vec<TypeInfo>,
    pub(crate) procs: Vec<ProcInfo>,
    pub(crate) operators: Vec<OperatorInfo>,
    pub(crate) casts: Vec<CastInfo>,
    pub(crate) aggregates: Vec<AggregateInfo>,
    pub(crate) collations: Vec<CollationInfo>,
    pub(crate) opfamilies: Vec<OpfamilyInfo>,
    pub(crate) opclasses: Vec<OpclassInfo>,
    pub(crate) amops: Vec<AmopInfo>,
    /// Filled only while parsing one extension block.
    pub(crate) extensions: Vec<ExtensionTemplate>,
    pub(crate) extension_blocks: Vec<ExtensionBlock>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Namespace,
    Am,
    Type,
    Proc,
    Operator,
    Cast,
    Aggregate,
    Collation,
    Opfamily,
    Opclass,
    Amop,
}

/// An extension block of a data file (its `%extension` line and the
/// sections after it), kept as text and parsed on first use: most programs
/// use a few extensions, and the load-time budget is tight.
#[derive(Debug)]
pub(crate) struct ExtensionBlock {
    /// The extension's name, read from the `%extension` line.
    pub(crate) name: String,
    /// The block's text.
    pub(crate) text: &'static str,
    /// 0-based line number of the `%extension` line in the file.
    pub(crate) first_line: usize,
}

/// Parses a data file up to its extension blocks, which it only splits
/// off; `major` is only used in error messages and checked against the
/// file's `server` line.
pub(crate) fn parse(major: u32, text: &'static str) -> Result<Parsed> {
    let mut out = Parsed::default();
    let mut section = Section::None;
    let mut lines = text.lines().enumerate();
    let err = |line: usize, message: String| Error::BuiltinData {
        major,
        line: line + 1,
        message,
    };
    match lines.next() {
        Some((_, MAGIC)) => {}
        _ => return Err(err(0, format!("expected \"{MAGIC}\""))),
    }
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for (idx, line) in lines {
        if line.starts_with("%extension\t") {
            let offset = line.as_ptr() as usize - text.as_ptr() as usize;
            blocks.push((idx, offset));
            continue;
        }
        if !blocks.is_empty() || line.is_empty() {
            continue;
        }
        let res = if let Some(header) = line.strip_prefix('%') {
            parse_header(&mut out, &mut section, header)
        } else if let Some(rest) = line.strip_prefix("server\t") {
            parse_server(&mut out, major, rest)
        } else {
            parse_row(&mut out, section, line)
        };
        res.map_err(|message| err(idx, message))?;
    }
    if out.major != major {
        return Err(err(1, "missing server line".to_owned()));
    }
    for (i, &(first_line, offset)) in blocks.iter().enumerate() {
        let end = blocks.get(i + 1).map_or(text.len(), |b| b.1);
        let block = text.get(offset..end).unwrap_or_default();
        let name = block
            .lines()
            .next()
            .and_then(|l| l.split_once("\t|\t"))
            .and_then(|(_, values)| values.split('\t').next())
            .ok_or_else(|| err(first_line, "extension header without name".to_owned()))?;
        out.extension_blocks.push(ExtensionBlock {
            name: unescape(name)
                .map_err(|message| err(first_line, message))?
                .into_owned(),
            text: block,
            first_line,
        });
    }
    Ok(out)
}

/// Parses one extension block split off by [`parse`].
pub(crate) fn parse_extension(major: u32, block: &ExtensionBlock) -> Result<ExtensionTemplate> {
    let mut out = Parsed::default();
    let mut section = Section::None;
    for (idx, line) in block.text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let res = match line.strip_prefix('%') {
            Some(header) => parse_header(&mut out, &mut section, header),
            None => parse_row(&mut out, section, line),
        };
        res.map_err(|message| Error::BuiltinData {
            major,
            line: block.first_line + idx + 1,
            message,
        })?;
    }
    match (out.extensions.pop(), out.extensions.is_empty()) {
        (Some(ext), true) => Ok(ext),
        _ => Err(Error::BuiltinData {
            major,
            line: block.first_line + 1,
            message: "expected exactly one extension in the block".to_owned(),
        }),
    }
}

type RowResult = std::result::Result<(), String>;

fn parse_server(out: &mut Parsed, major: u32, rest: &str) -> RowResult {
    let mut f = Fields::new(rest);
    let file_major = f.u32()?;
    if file_major != major {
        return Err(format!("file is for PostgreSQL {file_major}"));
    }
    out.major = file_major;
    out.version_num = f.u32()?;
    f.end()
}

fn parse_header(out: &mut Parsed, section: &mut Section, header: &str) -> RowResult {
    let (kind, cols) = header.split_once('\t').unwrap_or((header, ""));
    let in_extension = !out.extensions.is_empty();
    let (next, expected) = match kind {
        "namespace" => (Section::Namespace, columns::NAMESPACE),
        "am" => (Section::Am, columns::AM),
        "type" => (Section::Type, columns::TYPE),
        "proc" => (Section::Proc, columns::PROC),
        "operator" => (Section::Operator, columns::OPERATOR),
        "cast" => (Section::Cast, columns::CAST),
        "aggregate" => (Section::Aggregate, columns::AGGREGATE),
        "collation" => (Section::Collation, columns::COLLATION),
        "opfamily" => (Section::Opfamily, columns::OPFAMILY),
        "opclass" => (Section::Opclass, columns::OPCLASS),
        "amop" => (Section::Amop, columns::AMOP),
        "extension" => {
            *section = Section::None;
            return parse_extension_header(out, cols);
        }
        _ => return Err(format!("unknown section \"{kind}\"")),
    };
    let cols = if in_extension {
        cols.strip_prefix("member\t")
            .ok_or_else(|| "extension section without member column".to_owned())?
    } else {
        cols
    };
    if cols != expected {
        return Err(format!("unexpected columns for section \"{kind}\""));
    }
    *section = next;
    Ok(())
}

fn parse_extension_header(out: &mut Parsed, line: &str) -> RowResult {
    // The header carries the column names and then, after a `|` field, the values.
    let (cols, values) = line
        .split_once("\t|\t")
        .ok_or_else(|| "extension header without values".to_owned())?;
    if cols != columns::EXTENSION {
        return Err("unexpected columns for section \"extension\"".to_owned());
    }
    let mut f = Fields::new(values);
    let name = f.text()?.into_owned();
    let default_version = f.text()?.into_owned();
    let relocatable = f.bool()?;
    let schema = f.opt_text()?;
    let requires = f.texts()?;
    let extension_oid = f.oid()?;
    let oid_span = f.u32()?;
    let template_namespace = f.oid()?;
    let mut required_ranges = Vec::new();
    for item in f.texts()? {
        let mut parts = item.split(':');
        let (Some(name), Some(base), Some(span), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("bad required range \"{item}\""));
        };
        required_ranges.push(RequiredRange {
            name: name.to_owned(),
            base: base.parse().map_err(|_| format!("bad oid \"{base}\""))?,
            span: span.parse().map_err(|_| format!("bad span \"{span}\""))?,
        });
    }
    f.end()?;
    out.extensions.push(ExtensionTemplate {
        objects: ExtensionObjects {
            name: name.clone(),
            extension_oid,
            namespace: template_namespace,
            ..ExtensionObjects::default()
        },
        name,
        default_version,
        relocatable,
        schema,
        requires,
        template_namespace,
        oid_span,
        required_ranges,
    });
    Ok(())
}

/// One parsed data row.
enum Row {
    Namespace(NamespaceInfo),
    Am(AccessMethodInfo),
    Type(TypeInfo),
    Proc(ProcInfo),
    Operator(OperatorInfo),
    Cast(CastInfo),
    Aggregate(AggregateInfo),
    Collation(CollationInfo),
    Opfamily(OpfamilyInfo),
    Opclass(OpclassInfo),
    Amop(AmopInfo),
}

fn parse_row(out: &mut Parsed, section: Section, line: &str) -> RowResult {
    let mut f = Fields::new(line);
    let member = if out.extensions.is_empty() {
        None
    } else {
        match f.next()? {
            "+" => Some(true),
            "-" => Some(false),
            other => return Err(format!("bad member flag \"{other}\"")),
        }
    };
    let row = match section {
        Section::None => return Err("row outside any section".to_owned()),
        Section::Namespace => Row::Namespace(NamespaceInfo {
            oid: f.oid()?,
            name: f.text()?.into_owned(),
        }),
        Section::Am => Row::Am(AccessMethodInfo {
            oid: f.oid()?,
            name: f.text()?.into_owned(),
        }),
        Section::Type => Row::Type(type_row(&mut f)?),
        Section::Proc => Row::Proc(proc_row(&mut f)?),
        Section::Operator => Row::Operator(operator_row(&mut f)?),
        Section::Cast => Row::Cast(cast_row(&mut f)?),
        Section::Aggregate => Row::Aggregate(aggregate_row(&mut f)?),
        Section::Collation => Row::Collation(collation_row(&mut f)?),
        Section::Opfamily => Row::Opfamily(OpfamilyInfo {
            oid: f.oid()?,
            method: f.oid()?,
            name: f.text()?.into_owned(),
            namespace: f.oid()?,
        }),
        Section::Opclass => Row::Opclass(OpclassInfo {
            oid: f.oid()?,
            method: f.oid()?,
            name: f.text()?.into_owned(),
            namespace: f.oid()?,
            family: f.oid()?,
            input_type: f.oid()?,
            is_default: f.bool()?,
            key_type: f.oid()?,
        }),
        Section::Amop => Row::Amop(AmopInfo {
            oid: f.oid()?,
            family: f.oid()?,
            left: f.oid()?,
            right: f.oid()?,
            strategy: f.i16()?,
            purpose: match f.letter()? {
                's' => AmopPurpose::Search,
                'o' => AmopPurpose::Order,
                c => return Err(format!("bad amoppurpose '{c}'")),
            },
            operator: f.oid()?,
            method: f.oid()?,
            sort_family: f.oid()?,
        }),
    };
    f.end()?;
    match (member, out.extensions.last_mut()) {
        (Some(member), Some(ext)) => {
            let objs = &mut ext.objects;
            let oid = match row {
                Row::Type(r) => push_oid(&mut objs.types, r, |r| r.oid),
                Row::Proc(r) => push_oid(&mut objs.procs, r, |r| r.oid),
                Row::Operator(r) => push_oid(&mut objs.operators, r, |r| r.oid),
                Row::Cast(r) => push_oid(&mut objs.casts, r, |r| r.oid),
                Row::Aggregate(r) => push_oid(&mut objs.aggregates, r, |r| r.fnoid),
                Row::Opfamily(r) => push_oid(&mut objs.opfamilies, r, |r| r.oid),
                Row::Opclass(r) => push_oid(&mut objs.opclasses, r, |r| r.oid),
                Row::Amop(r) => push_oid(&mut objs.amops, r, |r| r.oid),
                Row::Namespace(_) | Row::Am(_) | Row::Collation(_) => {
                    return Err("section not recorded for extensions".to_owned())
                }
            };
            if !member {
                objs.non_members.insert(oid);
            }
        }
        _ => match row {
            Row::Namespace(r) => out.namespaces.push(r),
            Row::Am(r) => out.ams.push(r),
            Row::Type(r) => out.types.push(r),
            Row::Proc(r) => out.procs.push(r),
            Row::Operator(r) => out.operators.push(r),
            Row::Cast(r) => out.casts.push(r),
            Row::Aggregate(r) => out.aggregates.push(r),
            Row::Collation(r) => out.collations.push(r),
            Row::Opfamily(r) => out.opfamilies.push(r),
            Row::Opclass(r) => out.opclasses.push(r),
            Row::Amop(r) => out.amops.push(r),
        },
    }
    Ok(())
}

fn push_oid<T>(vec: &mut Vec<T>, row: T, oid: impl Fn(&T) -> Oid) -> Oid {
    let res = oid(&row);
    vec.push(row);
    res
}

fn type_row(f: &mut Fields<'_>) -> std::result::Result<TypeInfo, String> {
    Ok(TypeInfo {
        oid: f.oid()?,
        name: f.text()?.into_owned(),
        namespace: f.oid()?,
        len: f.i16()?,
        by_value: f.bool()?,
        kind: match f.letter()? {
            'b' => TypeKind::Base,
            'c' => TypeKind::Composite,
            'd' => TypeKind::Domain,
            'e' => TypeKind::Enum,
            'p' => TypeKind::Pseudo,
            'r' => TypeKind::Range,
            'm' => TypeKind::Multirange,
            c => return Err(format!("bad typtype '{c}'")),
        },
        category: f.letter()?,
        is_preferred: f.bool()?,
        elem: f.oid()?,
        array: f.oid()?,
        relid: f.oid()?,
        subscript: f.oid()?,
        storage: match f.letter()? {
            'p' => TypeStorage::Plain,
            'e' => TypeStorage::External,
            'm' => TypeStorage::Main,
            'x' => TypeStorage::Extended,
            c => return Err(format!("bad typstorage '{c}'")),
        },
        collation: f.oid()?,
        base_type: f.oid()?,
        typmod: f.i32()?,
        not_null: f.bool()?,
        input: f.oid()?,
        output: f.oid()?,
        modin: f.oid()?,
        modout: f.oid()?,
        delim: f.letter()?,
    })
}

fn proc_row(f: &mut Fields<'_>) -> std::result::Result<ProcInfo, String> {
    Ok(ProcInfo {
        oid: f.oid()?,
        name: f.text()?.into_owned(),
        namespace: f.oid()?,
        kind: match f.letter()? {
            'f' => ProcKind::Function,
            'a' => ProcKind::Aggregate,
            'w' => ProcKind::Window,
            'p' => ProcKind::Procedure,
            c => return Err(format!("bad prokind '{c}'")),
        },
        volatility: match f.letter()? {
            'i' => Volatility::Immutable,
            's' => Volatility::Stable,
            'v' => Volatility::Volatile,
            c => return Err(format!("bad provolatile '{c}'")),
        },
        strict: f.bool()?,
        returns_set: f.bool()?,
        return_type: f.oid()?,
        arg_types: f.oids()?,
        all_arg_types: f.oids()?,
        arg_modes: f
            .next()?
            .chars()
            .map(|c| match c {
                'i' => Ok(ArgMode::In),
                'o' => Ok(ArgMode::Out),
                'b' => Ok(ArgMode::InOut),
                'v' => Ok(ArgMode::Variadic),
                't' => Ok(ArgMode::Table),
                c => Err(format!("bad proargmode '{c}'")),
            })
            .collect::<std::result::Result<_, _>>()?,
        arg_names: f.texts()?,
        variadic: f.oid()?,
        n_arg_defaults: f.num()?,
        cost: f.num()?,
        rows: f.num()?,
        leakproof: f.bool()?,
        has_support: f.bool()?,
    })
}

fn operator_row(f: &mut Fields<'_>) -> std::result::Result<OperatorInfo, String> {
    Ok(OperatorInfo {
        oid: f.oid()?,
        name: f.text()?.into_owned(),
        namespace: f.oid()?,
        kind: match f.letter()? {
            'b' => OperatorKind::Binary,
            'l' => OperatorKind::Prefix,
            'r' => OperatorKind::Postfix,
            c => return Err(format!("bad oprkind '{c}'")),
        },
        left: f.oid()?,
        right: f.oid()?,
        result: f.oid()?,
        code: f.oid()?,
        commutator: f.oid()?,
        negator: f.oid()?,
        restrict: f.oid()?,
        join: f.oid()?,
        can_merge: f.bool()?,
        can_hash: f.bool()?,
    })
}

fn cast_row(f: &mut Fields<'_>) -> std::result::Result<CastInfo, String> {
    Ok(CastInfo {
        oid: f.oid()?,
        source: f.oid()?,
        target: f.oid()?,
        func: f.oid()?,
        context: match f.letter()? {
            'e' => CastContext::Explicit,
            'a' => CastContext::Assignment,
            'i' => CastContext::Implicit,
            c => return Err(format!("bad castcontext '{c}'")),
        },
        method: match f.letter()? {
            'f' => CastMethod::Function,
            'b' => CastMethod::Binary,
            'i' => CastMethod::InOut,
            c => return Err(format!("bad castmethod '{c}'")),
        },
    })
}

fn aggregate_row(f: &mut Fields<'_>) -> std::result::Result<AggregateInfo, String> {
    Ok(AggregateInfo {
        fnoid: f.oid()?,
        kind: match f.letter()? {
            'n' => AggregateKind::Normal,
            'o' => AggregateKind::OrderedSet,
            'h' => AggregateKind::Hypothetical,
            c => return Err(format!("bad aggkind '{c}'")),
        },
        num_direct_args: f.i16()?,
        transfn: f.oid()?,
        finalfn: f.oid()?,
        combinefn: f.oid()?,
        serialfn: f.oid()?,
        deserialfn: f.oid()?,
        mtransfn: f.oid()?,
        minvtransfn: f.oid()?,
        mfinalfn: f.oid()?,
        finalextra: f.bool()?,
        mfinalextra: f.bool()?,
        finalmodify: f.letter()?,
        mfinalmodify: f.letter()?,
        sortop: f.oid()?,
        transtype: f.oid()?,
        transspace: f.i32()?,
        mtranstype: f.oid()?,
        mtransspace: f.i32()?,
        initval: f.opt_text()?,
        minitval: f.opt_text()?,
    })
}

fn collation_row(f: &mut Fields<'_>) -> std::result::Result<CollationInfo, String> {
    Ok(CollationInfo {
        oid: f.oid()?,
        name: f.text()?.into_owned(),
        namespace: f.oid()?,
        provider: match f.letter()? {
            'd' => CollationProvider::Default,
            'c' => CollationProvider::Libc,
            'i' => CollationProvider::Icu,
            c => return Err(format!("bad collprovider '{c}'")),
        },
        deterministic: f.bool()?,
        encoding: f.i32()?,
        collate: f.text()?.into_owned(),
    })
}

/// A cursor over the tab-separated fields of one line. A byte scan beats
/// `str::split` here: fields are a few bytes long and the loader's budget
/// is a few milliseconds for the whole file.
struct Fields<'a> {
    rest: Option<&'a str>,
}

impl<'a> Fields<'a> {
    fn new(line: &'a str) -> Self {
        Fields { rest: Some(line) }
    }

    fn next(&mut self) -> std::result::Result<&'a str, String> {
        let s = self.rest.ok_or_else(|| "too few fields".to_owned())?;
        match s.bytes().position(|b| b == b'\t') {
            Some(i) => {
                let (head, tail) = s.split_at(i);
                // The tab is one byte, so this stays on a char boundary.
                self.rest = tail.get(1..);
                Ok(head)
            }
            None => {
                self.rest = None;
                Ok(s)
            }
        }
    }

    fn end(&mut self) -> RowResult {
        match self.rest {
            None => Ok(()),
            Some(_) => Err("too many fields".to_owned()),
        }
    }

    fn num<T: std::str::FromStr>(&mut self) -> std::result::Result<T, String> {
        let s = self.next()?;
        s.parse().map_err(|_| format!("bad number \"{s}\""))
    }

    fn u32(&mut self) -> std::result::Result<u32, String> {
        self.num()
    }

    fn i16(&mut self) -> std::result::Result<i16, String> {
        self.num()
    }

    fn i32(&mut self) -> std::result::Result<i32, String> {
        self.num()
    }

    fn oid(&mut self) -> std::result::Result<Oid, String> {
        parse_oid(self.next()?).map(Oid)
    }

    fn bool(&mut self) -> std::result::Result<bool, String> {
        match self.next()? {
            "t" => Ok(true),
            "f" => Ok(false),
            s => Err(format!("bad boolean \"{s}\"")),
        }
    }

    fn letter(&mut self) -> std::result::Result<char, String> {
        let s = self.next()?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(format!("expected one character, got \"{s}\"")),
        }
    }

    fn text(&mut self) -> std::result::Result<Cow<'a, str>, String> {
        unescape(self.next()?)
    }

    fn opt_text(&mut self) -> std::result::Result<Option<String>, String> {
        let s = self.next()?;
        if s == "\\N" {
            Ok(None)
        } else {
            unescape(s).map(|s| Some(s.into_owned()))
        }
    }

    fn oids(&mut self) -> std::result::Result<Vec<Oid>, String> {
        let s = self.next()?;
        if s.is_empty() {
            return Ok(Vec::new());
        }
        s.split(' ')
            .map(|o| o.parse().map(Oid).map_err(|_| format!("bad oid \"{o}\"")))
            .collect()
    }

    fn texts(&mut self) -> std::result::Result<Vec<String>, String> {
        let s = self.next()?;
        if s.is_empty() {
            return Ok(Vec::new());
        }
        split_list(s)
            .into_iter()
            .map(|item| {
                if item == "\\e" {
                    Ok(String::new())
                } else {
                    unescape(item).map(Cow::into_owned)
                }
            })
            .collect()
    }
}

/// A decimal oid. Most fields are oids, and this is faster than the
/// generic `str::parse`, which matters for the load-time budget.
fn parse_oid(s: &str) -> std::result::Result<u32, String> {
    let mut value: u32 = 0;
    if s.is_empty() || s.len() > 10 {
        return Err(format!("bad oid \"{s}\""));
    }
    for b in s.bytes() {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return Err(format!("bad oid \"{s}\""));
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(digit)))
            .ok_or_else(|| format!("bad oid \"{s}\""))?;
    }
    Ok(value)
}

/// Splits a comma-separated list at commas not escaped by a backslash.
fn split_list(s: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            items.push(&s[start..i]);
            start = i + 1;
        }
    }
    items.push(&s[start..]);
    items
}

fn unescape(s: &str) -> std::result::Result<Cow<'_, str>, String> {
    if !s.contains('\\') {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(',') => out.push(','),
            other => return Err(format!("bad escape \"\\{}\"", other.unwrap_or(' '))),
        }
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_text_and_lists() {
        assert_eq!(unescape("a\\tb\\\\c\\,d").unwrap(), "a\tb\\c,d");
        assert_eq!(split_list("a,b\\,c,\\e"), vec!["a", "b\\,c", "\\e"]);
        let mut f = Fields::new("x,\\e,y\\,z");
        assert_eq!(f.texts().unwrap(), vec!["x", "", "y,z"]);
    }

    #[test]
    fn rejects_wrong_magic_and_major() {
        assert!(matches!(
            parse(15, "nope\n"),
            Err(Error::BuiltinData { line: 1, .. })
        ));
        let text = format!("{MAGIC}\nserver\t14\t140000\n").leak();
        assert!(matches!(
            parse(15, text),
            Err(Error::BuiltinData { line: 2, .. })
        ));
    }

    #[test]
    fn reports_line_of_bad_row() {
        let text = format!(
            "{MAGIC}\nserver\t15\t150000\n%namespace\t{}\n11\n",
            columns::NAMESPACE
        );
        match parse(15, text.leak()) {
            Err(Error::BuiltinData { line, message, .. }) => {
                assert_eq!(line, 4);
                assert_eq!(message, "too few fields");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
