//! Operator classes and families over the whole catalog: built-in ones and
//! those of created extensions (user `CREATE OPERATOR CLASS` is not loaded,
//! see `ddl`), with the types they apply to taken from the whole catalog
//! too, so a user enum finds the polymorphic `enum_ops` and an extension's
//! type finds its extension's class (`GetDefaultOpClass`,
//! `get_opfamily_member`, `get_op_btree_interpretation`'s scan).

use crate::builtin::{AmopInfo, CastContext, CastMethod, OpclassInfo, TypeKind};
use crate::Catalog;
use fdw_core::Oid;

/// Domains over domains are finite; the bound only guards corrupt data.
const MAX_DOMAIN_DEPTH: usize = 32;

impl Catalog {
    /// The default operator class of access method `method` for
    /// `type_oid`, built-in or from a created extension, chosen as
    /// `GetDefaultOpClass` does: the class for exactly the type under any
    /// domains; else the only default class whose input type the type is
    /// binary coercible to (see
    /// [`is_binary_coercible`](Self::is_binary_coercible)), preferring one
    /// whose input type is the preferred type of the type's category. So a
    /// user enum gets `enum_ops` (`anyenum`), a composite `record_ops`, an
    /// array `array_ops`, `cube` the `cube` extension's `cube_ops`.
    pub fn default_opclass(&self, method: Oid, type_oid: Oid) -> Option<&OpclassInfo> {
        let base = self.base_type_of(type_oid);
        // A class for exactly the type decides alone (two of them: none),
        // so the binary-coercibility tests below, which cost far more, are
        // only made when there is none. The built-in ones are found through
        // the index by (method, input type).
        let mut exact = self.builtin().default_opclasses_for(method, base).chain(
            self.extension_opclasses()
                .filter(|c| c.method == method && c.is_default && c.input_type == base),
        );
        if let Some(found) = exact.next() {
            return if exact.next().is_none() {
                Some(found)
            } else {
                None
            };
        }
        let category = self.type_info(base).map(|t| t.category);
        let mut preferred = (0, None);
        let mut compatible = (0, None);
        for class in self.opclasses_of_method(method) {
            if self.is_binary_coercible(base, class.input_type) {
                let input = self.type_info(class.input_type);
                if input.is_some_and(|t| t.is_preferred && Some(t.category) == category) {
                    preferred = (preferred.0 + 1, Some(class));
                } else if preferred.0 == 0 {
                    compatible = (compatible.0 + 1, Some(class));
                }
            }
        }
        match (preferred, compatible) {
            ((1, found), _) | ((0, _), (1, found)) => found,
            _ => None,
        }
    }

    /// The operator of operator family `family` for operand types (`left`,
    /// `right`) and `strategy`, built-in or from a created extension
    /// (`get_opfamily_member`).
    pub fn amop(&self, family: Oid, left: Oid, right: Oid, strategy: i16) -> Option<&AmopInfo> {
        self.builtin()
            .amop(family, left, right, strategy)
            .or_else(|| {
                self.extension_amops().find(|a| {
                    a.family == family
                        && a.left == left
                        && a.right == right
                        && a.strategy == strategy
                })
            })
    }

    /// Every operator family entry of `operator`, built-in ones first, then
    /// those of created extensions.
    pub fn amops_of_operator(&self, operator: Oid) -> Vec<&AmopInfo> {
        self.builtin()
            .amops_of_operator(operator)
            .chain(self.extension_amops().filter(|a| a.operator == operator))
            .collect()
    }

    /// True when a value of `source` can be used as `target` without any
    /// work (`IsBinaryCoercible`), over built-in, extension and user types:
    /// the same type under any domains, a polymorphic target the source
    /// fits (`anyarray`, `anyenum`, `anyrange`, `record` ...), or an
    /// implicit binary-coercible cast.
    pub fn is_binary_coercible(&self, source: Oid, target: Oid) -> bool {
        const ANY: Oid = Oid(2276);
        const ANYELEMENT: Oid = Oid(2283);
        const ANYARRAY: Oid = Oid(2277);
        const ANYNONARRAY: Oid = Oid(2776);
        const ANYENUM: Oid = Oid(3500);
        const ANYRANGE: Oid = Oid(3831);
        const ANYMULTIRANGE: Oid = Oid(4537);
        const ANYCOMPATIBLEARRAY: Oid = Oid(5078);
        const ANYCOMPATIBLENONARRAY: Oid = Oid(5079);
        const ANYCOMPATIBLERANGE: Oid = Oid(5080);
        const ANYCOMPATIBLEMULTIRANGE: Oid = Oid(4538);
        const RECORD: Oid = Oid(2249);
        const RECORDARRAY: Oid = Oid(2287);
        if source == target || target == ANY || target == ANYELEMENT {
            return true;
        }
        let source = self.base_type_of(source);
        if source == target {
            return true;
        }
        let Some(ty) = self.type_info(source) else {
            return false;
        };
        let is_composite = |t: Oid| {
            self.type_info(t)
                .is_some_and(|t| t.kind == TypeKind::Composite)
        };
        let polymorphic = match target {
            ANYARRAY | ANYCOMPATIBLEARRAY => Some(ty.is_array()),
            ANYNONARRAY | ANYCOMPATIBLENONARRAY => Some(!ty.is_array()),
            ANYENUM => Some(ty.kind == TypeKind::Enum),
            ANYRANGE | ANYCOMPATIBLERANGE => Some(ty.kind == TypeKind::Range),
            ANYMULTIRANGE | ANYCOMPATIBLEMULTIRANGE => Some(ty.kind == TypeKind::Multirange),
            RECORD => Some(ty.kind == TypeKind::Composite),
            RECORDARRAY => Some(ty.is_array() && is_composite(ty.elem)),
            _ => None,
        };
        if polymorphic == Some(true) {
            return true;
        }
        let implicit_binary = |method: CastMethod, context: CastContext| {
            method == CastMethod::Binary && context == CastContext::Implicit
        };
        if let Some(c) = self.builtin().cast(source, target) {
            return implicit_binary(c.method, c.context);
        }
        self.extensions()
            .filter_map(|ext| self.extension_objects(ext.oid))
            .flat_map(|objs| objs.casts.iter())
            .find(|c| c.source == source && c.target == target)
            .is_some_and(|c| implicit_binary(c.method, c.context))
    }

    /// The type under any domains, over the whole catalog.
    fn base_type_of(&self, type_oid: Oid) -> Oid {
        let mut oid = type_oid;
        for _ in 0..MAX_DOMAIN_DEPTH {
            match self.type_info(oid) {
                Some(t) if t.kind == TypeKind::Domain => oid = t.base_type,
                _ => break,
            }
        }
        oid
    }

    /// The default operator classes of `method`: built-in, then created
    /// extensions'.
    fn opclasses_of_method(&self, method: Oid) -> impl Iterator<Item = &OpclassInfo> + '_ {
        self.builtin().default_opclasses_of_method(method).chain(
            self.extension_opclasses()
                .filter(move |c| c.method == method && c.is_default),
        )
    }

    /// The operator classes of created extensions.
    fn extension_opclasses(&self) -> impl Iterator<Item = &OpclassInfo> + '_ {
        self.extensions()
            .filter_map(|ext| self.extension_objects(ext.oid))
            .flat_map(|objs| objs.opclasses.iter())
    }

    /// The operator family entries of created extensions.
    fn extension_amops(&self) -> impl Iterator<Item = &AmopInfo> + '_ {
        self.extensions()
            .filter_map(|ext| self.extension_objects(ext.oid))
            .flat_map(|objs| objs.amops.iter())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::builtin::BTREE_AM_OID;

    const HASH_AM: Oid = Oid(405);

    fn catalog() -> Catalog {
        let mut cat = Catalog::new(15).unwrap();
        crate::ddl::load(
            &mut cat,
            "CREATE EXTENSION cube;\n\
             CREATE TYPE mood AS ENUM ('sad', 'happy');\n\
             CREATE DOMAIN mood_d AS mood;\n\
             CREATE TYPE comp AS (a int4);",
        )
        .unwrap();
        cat
    }

    #[test]
    fn user_and_extension_types_find_their_default_classes() {
        let cat = catalog();
        let ty = |name: &str| cat.resolve_type(None, name).unwrap();
        let class = |method, name: &str| cat.default_opclass(method, ty(name)).unwrap();
        // Polymorphic built-in classes serve user types.
        assert_eq!(class(BTREE_AM_OID, "mood").name, "enum_ops");
        assert_eq!(class(BTREE_AM_OID, "mood_d").name, "enum_ops");
        assert_eq!(class(HASH_AM, "mood").name, "enum_ops");
        assert_eq!(class(BTREE_AM_OID, "comp").name, "record_ops");
        let mood_array = cat.array_type_of(ty("mood")).unwrap();
        assert_eq!(
            cat.default_opclass(BTREE_AM_OID, mood_array).unwrap().name,
            "array_ops"
        );
        // An extension's type finds its extension's class and operators.
        let cube = class(BTREE_AM_OID, "cube");
        assert_eq!(
            (cube.name.as_str(), cube.input_type),
            ("cube_ops", ty("cube"))
        );
        let lt = cat
            .amop(cube.family, cube.input_type, cube.input_type, 1)
            .unwrap();
        assert_eq!(cat.operator_info(lt.operator).unwrap().name, "<");
        assert!(cat
            .amops_of_operator(lt.operator)
            .iter()
            .any(|a| a.family == cube.family && a.strategy == 1));
        assert!(cat.default_opclass(HASH_AM, ty("cube")).is_none());
        // Built-in types are unchanged: varchar gets text_ops.
        assert_eq!(
            cat.default_opclass(BTREE_AM_OID, Oid(1043)).unwrap().name,
            "text_ops"
        );
    }

    #[test]
    fn binary_coercibility_covers_user_types() {
        let cat = catalog();
        let mood = cat.resolve_type(None, "mood").unwrap();
        let mood_d = cat.resolve_type(None, "mood_d").unwrap();
        assert!(cat.is_binary_coercible(mood, Oid(3500)));
        assert!(cat.is_binary_coercible(mood_d, Oid(3500)));
        assert!(cat.is_binary_coercible(mood_d, mood));
        assert!(!cat.is_binary_coercible(mood, Oid(25)));
        assert!(cat.is_binary_coercible(Oid(1043), Oid(25)));
        assert!(!cat.is_binary_coercible(Oid(23), Oid(20)));
    }
}
