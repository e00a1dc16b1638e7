//! Type modifiers to typmods, as the built-in types' `typmodin` functions
//! compute them.
//!
//! The grammar has already rewritten SQL-standard spellings (`varchar(10)`
//! is `pg_catalog.varchar` with modifier 10, `interval day to second(2)` is
//! `pg_catalog.interval` with a range mask and a precision), so this only
//! needs the resolved type and the raw modifiers.

use fdw_core::Oid;

use crate::error::{Error, Result};

/// `VARHDRSZ`: the varlena header that character and numeric typmods include.
const VARHDRSZ: i64 = 4;
/// `MaxAttrSize`: the longest `varchar(n)` / `char(n)`.
const MAX_ATTR_SIZE: i64 = 10 * 1024 * 1024;
/// `MAX_TIMESTAMP_PRECISION` and `MAX_INTERVAL_PRECISION`.
const MAX_TIME_PRECISION: i64 = 6;
/// `NUMERIC_MAX_PRECISION`.
const NUMERIC_MAX_PRECISION: i64 = 1000;
/// `NUMERIC_MIN_SCALE` / `NUMERIC_MAX_SCALE` (PostgreSQL 15 allows negative scales).
const NUMERIC_MIN_SCALE: i64 = -1000;
const NUMERIC_MAX_SCALE: i64 = 1000;
/// `INTERVAL_FULL_RANGE` and `INTERVAL_FULL_PRECISION` of `datetime.h`.
pub const INTERVAL_FULL_RANGE: i64 = 0x7FFF;
const INTERVAL_FULL_PRECISION: i64 = 0xFFFF;

const BPCHAR: Oid = Oid(1042);
const VARCHAR: Oid = Oid(1043);
const TIME: Oid = Oid(1083);
const TIMESTAMP: Oid = Oid(1114);
const TIMESTAMPTZ: Oid = Oid(1184);
const INTERVAL: Oid = Oid(1186);
const TIMETZ: Oid = Oid(1266);
const BIT: Oid = Oid(1560);
const VARBIT: Oid = Oid(1562);
const NUMERIC: Oid = Oid(1700);

/// A computed typmod and the warning PostgreSQL would print on the way
/// (a precision reduced to the maximum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typmod {
    /// The typmod; -1 when no modifiers were given.
    pub value: i32,
    /// A warning such as "TIMESTAMP(9) precision reduced to maximum allowed, 6".
    pub warning: Option<String>,
}

/// The typmod of type `type_oid` (named `type_name` in messages) with
/// modifiers `mods`.
///
/// # Errors
///
/// [`Error::InvalidDefinition`] with PostgreSQL's message when the type
/// takes no modifiers or refuses these.
pub fn typmod(type_oid: Oid, type_name: &str, mods: &[i64]) -> Result<Typmod> {
    let plain = |value: i64| Typmod {
        value: i32::try_from(value).unwrap_or(-1),
        warning: None,
    };
    if mods.is_empty() {
        return Ok(plain(-1));
    }
    let invalid = |message: String| Err(Error::InvalidDefinition(message));
    match type_oid {
        BPCHAR | VARCHAR => {
            let name = if type_oid == BPCHAR {
                "char"
            } else {
                "varchar"
            };
            let [len] = mods else {
                return invalid("invalid type modifier".to_owned());
            };
            if *len < 1 {
                return invalid(format!("length for type {name} must be at least 1"));
            }
            if *len > MAX_ATTR_SIZE {
                return invalid(format!(
                    "length for type {name} cannot exceed {MAX_ATTR_SIZE}"
                ));
            }
            Ok(plain(len + VARHDRSZ))
        }
        BIT | VARBIT => {
            let name = if type_oid == BIT { "bit" } else { "varbit" };
            let [len] = mods else {
                return invalid("invalid type modifier".to_owned());
            };
            let max = MAX_ATTR_SIZE * 8;
            if *len < 1 {
                return invalid(format!("length for type {name} must be at least 1"));
            }
            if *len > max {
                return invalid(format!("length for type {name} cannot exceed {max}"));
            }
            Ok(plain(*len))
        }
        NUMERIC => {
            let (precision, scale) = match mods {
                [p] => (*p, 0),
                [p, s] => (*p, *s),
                _ => return invalid("invalid NUMERIC type modifier".to_owned()),
            };
            if !(1..=NUMERIC_MAX_PRECISION).contains(&precision) {
                return invalid(format!(
                    "NUMERIC precision {precision} must be between 1 and {NUMERIC_MAX_PRECISION}"
                ));
            }
            if !(NUMERIC_MIN_SCALE..=NUMERIC_MAX_SCALE).contains(&scale) {
                return invalid(format!(
                    "NUMERIC scale {scale} must be between {NUMERIC_MIN_SCALE} and {NUMERIC_MAX_SCALE}"
                ));
            }
            Ok(plain(((precision << 16) | (scale & 0x7ff)) + VARHDRSZ))
        }
        TIME | TIMETZ | TIMESTAMP | TIMESTAMPTZ => {
            let (base, zone) = match type_oid {
                TIME => ("TIME", ""),
                TIMETZ => ("TIME", " WITH TIME ZONE"),
                TIMESTAMP => ("TIMESTAMP", ""),
                _ => ("TIMESTAMP", " WITH TIME ZONE"),
            };
            let [precision] = mods else {
                return invalid("invalid type modifier".to_owned());
            };
            if *precision < 0 {
                return invalid(format!(
                    "{base}({precision}){zone} precision must not be negative"
                ));
            }
            if *precision > MAX_TIME_PRECISION {
                return Ok(Typmod {
                    value: MAX_TIME_PRECISION as i32,
                    warning: Some(format!(
                        "{base}({precision}){zone} precision reduced to maximum allowed, {MAX_TIME_PRECISION}"
                    )),
                });
            }
            Ok(plain(*precision))
        }
        INTERVAL => interval_typmod(mods),
        _ => invalid(format!(
            "type modifier is not allowed for type \"{type_name}\""
        )),
    }
}

/// `intervaltypmodin`: the first modifier is the range mask, the second
/// the fractional-second precision.
fn interval_typmod(mods: &[i64]) -> Result<Typmod> {
    let invalid = || {
        Err(Error::InvalidDefinition(
            "invalid INTERVAL type modifier".to_owned(),
        ))
    };
    let encode = |precision: i64, range: i64| -> i32 {
        i32::try_from(((range & INTERVAL_FULL_RANGE) << 16) | (precision & 0xFFFF)).unwrap_or(-1)
    };
    match mods {
        [range] => {
            if *range == INTERVAL_FULL_RANGE {
                return Ok(Typmod {
                    value: -1,
                    warning: None,
                });
            }
            Ok(Typmod {
                value: encode(INTERVAL_FULL_PRECISION, *range),
                warning: None,
            })
        }
        [range, precision] => {
            if *precision < 0 {
                return Err(Error::InvalidDefinition(format!(
                    "INTERVAL({precision}) precision must not be negative"
                )));
            }
            if *precision > MAX_TIME_PRECISION {
                return Ok(Typmod {
                    value: encode(MAX_TIME_PRECISION, *range),
                    warning: Some(format!(
                        "INTERVAL({precision}) precision reduced to maximum allowed, {MAX_TIME_PRECISION}"
                    )),
                });
            }
            Ok(Typmod {
                value: encode(*precision, *range),
                warning: None,
            })
        }
        _ => invalid(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(oid: Oid, mods: &[i64]) -> i32 {
        typmod(oid, "t", mods).unwrap().value
    }

    #[test]
    fn computes_postgres_typmods() {
        // Values as PostgreSQL 15 stores them in pg_attribute.atttypmod.
        assert_eq!(value(VARCHAR, &[10]), 14);
        assert_eq!(value(BPCHAR, &[1]), 5);
        assert_eq!(value(NUMERIC, &[5, 2]), 327_686);
        assert_eq!(value(NUMERIC, &[7]), 458_756);
        assert_eq!(value(NUMERIC, &[]), -1);
        assert_eq!(value(TIMESTAMPTZ, &[3]), 3);
        assert_eq!(value(BIT, &[4]), 4);
        // interval(3), interval year, interval day to second(2).
        assert_eq!(value(INTERVAL, &[INTERVAL_FULL_RANGE, 3]), 2_147_418_115);
        assert_eq!(value(INTERVAL, &[4]), 327_679);
        assert_eq!(value(INTERVAL, &[7176, 2]), 470_286_338);
    }

    #[test]
    fn refuses_out_of_range_modifiers() {
        let err = typmod(VARCHAR, "varchar", &[0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "length for type varchar must be at least 1"
        );
        let err = typmod(NUMERIC, "numeric", &[1001]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "NUMERIC precision 1001 must be between 1 and 1000"
        );
        let err = typmod(Oid(25), "text", &[3]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "type modifier is not allowed for type \"text\""
        );
    }

    #[test]
    fn reduces_excess_time_precision_with_a_warning() {
        let res = typmod(TIMESTAMP, "timestamp", &[9]).unwrap();
        assert_eq!(res.value, 6);
        assert_eq!(
            res.warning.as_deref(),
            Some("TIMESTAMP(9) precision reduced to maximum allowed, 6")
        );
    }
}
