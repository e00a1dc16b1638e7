//! Object ids and the other small numbers PostgreSQL identifies things by.

use std::fmt;

/// A PostgreSQL object identifier, kept exactly as the server assigns it:
/// shippability depends on the value (built-in means below
/// [`Oid::FIRST_GENBKI_OBJECT_ID`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Oid(pub u32);

impl Oid {
    /// `InvalidOid`: "no object".
    pub const INVALID: Oid = Oid(0);
    /// First oid not assigned by hand in the catalog sources (`FirstGenbkiObjectId`).
    /// Everything below it is built in; postgres_fdw ships such objects freely.
    pub const FIRST_GENBKI_OBJECT_ID: u32 = 10_000;
    /// First oid `initdb` assigns at bootstrap time (`FirstUnpinnedObjectId`).
    pub const FIRST_UNPINNED_OBJECT_ID: u32 = 12_000;
    /// First oid handed out to user-created objects (`FirstNormalObjectId`).
    pub const FIRST_NORMAL_OBJECT_ID: u32 = 16_384;

    /// `BOOLOID`: PostgreSQL's `exprType` hard-codes it for boolean-valued
    /// node kinds (`BoolExpr`, `NullTest`, `ScalarArrayOpExpr`, ...), so the
    /// expression model needs it without asking a catalog.
    pub const BOOL_TYPE: Oid = Oid(16);
    /// `INT4OID`: the result type of `GroupingFunc`, and the type of the
    /// typmod argument of a length-coercion cast (`exprIsLengthCoercion`).
    pub const INT4_TYPE: Oid = Oid(23);
    /// `RECORDOID`: the result type of a `MULTIEXPR` sub-select.
    pub const RECORD_TYPE: Oid = Oid(2249);
    /// `DEFAULT_COLLATION_OID`: the database default collation, which the
    /// shippability walker treats specially (spec §1.5).
    pub const DEFAULT_COLLATION: Oid = Oid(100);
    /// `C_COLLATION_OID`: the collation `name`-typed expressions carry.
    pub const C_COLLATION: Oid = Oid(950);

    /// True for `InvalidOid`.
    pub fn is_invalid(self) -> bool {
        self.0 == 0
    }

    /// True when the object is built in for postgres_fdw's purposes
    /// (`is_builtin()` in shippable.c: `oid < FirstGenbkiObjectId`).
    pub fn is_builtin(self) -> bool {
        self.0 < Self::FIRST_GENBKI_OBJECT_ID
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A type modifier (`atttypmod`): -1 when the type has none.
pub type TypMod = i32;

/// A column's attribute number: 1-based for user columns, negative for
/// system columns (`ctid` is -1), 0 for a whole-row reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttrNumber(pub i16);

impl AttrNumber {
    /// The whole-row reference (`varattno = 0`).
    pub const WHOLE_ROW: AttrNumber = AttrNumber(0);
    /// `ctid`.
    pub const CTID: AttrNumber = AttrNumber(-1);
    /// `xmin`.
    pub const XMIN: AttrNumber = AttrNumber(-2);
    /// `cmin`.
    pub const CMIN: AttrNumber = AttrNumber(-3);
    /// `xmax`.
    pub const XMAX: AttrNumber = AttrNumber(-4);
    /// `cmax`.
    pub const CMAX: AttrNumber = AttrNumber(-5);
    /// `tableoid`.
    pub const TABLEOID: AttrNumber = AttrNumber(-6);

    /// True for a system column (negative attribute number).
    pub fn is_system(self) -> bool {
        self.0 < 0
    }
}

/// A 1-based range-table index (`varno`, the `N` of postgres_fdw's `rN` aliases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelIndex(pub u32);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_cut_off_is_first_genbki_object_id() {
        assert!(Oid(9_999).is_builtin());
        assert!(!Oid(10_000).is_builtin());
        assert!(!Oid(16_384).is_builtin());
    }
}
