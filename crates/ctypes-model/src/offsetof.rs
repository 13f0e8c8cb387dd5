//! `offsetof` paths: from a type, through field names and item indexes,
//! to the type reached and its byte offset, as `ffi.offsetof()` and
//! `ffi.addressof()` walk them.

use crate::record::LayoutError;
use crate::types::{Type, TypeId, TypeTable};
use std::fmt;

/// One step of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStep<'a> {
    /// A field of a struct or union (anonymous members' fields included).
    Name(&'a str),
    /// An item of an array, or of the memory a pointer points to.
    Index(i64),
}

/// Why a path cannot be walked. `Display` gives cffi's message; cffi
/// raises `KeyError` for [`PathError::NoField`] and `TypeError` for the
/// others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// A name applied to something other than a struct or union.
    NotARecord,
    /// A name applied to a struct or union without fields yet.
    Opaque,
    /// A name applied to a struct or union that cannot be laid out.
    Layout(LayoutError),
    /// No field of that name (the `KeyError`'s argument).
    NoField(String),
    /// A name that is a bit field, which has no byte offset.
    BitField,
    /// An index applied to something other than an array or a pointer,
    /// or to one whose items have no size.
    NotIndexable,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::NotARecord => {
                f.write_str("with a field name argument, expected a struct or union ctype")
            }
            PathError::Opaque => f.write_str("struct/union is opaque"),
            PathError::Layout(e) => e.fmt(f),
            PathError::NoField(name) => f.write_str(name),
            PathError::BitField => f.write_str("not supported for bitfields"),
            PathError::NotIndexable => f.write_str(
                "with an integer argument, expected an array ctype or a pointer to non-opaque",
            ),
        }
    }
}

impl std::error::Error for PathError {}

/// A path walk in progress: the type reached so far and its offset from
/// the start. Taking one step at a time lets a caller produce the steps
/// lazily (and fail on one) in the order they come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathWalk {
    ty: TypeId,
    offset: i128,
    first: bool,
}

impl PathWalk {
    /// A walk starting at `ty`, offset 0.
    pub fn new(ty: TypeId) -> PathWalk {
        PathWalk {
            ty,
            offset: 0,
            first: true,
        }
    }

    /// The type reached.
    pub fn ty(&self) -> TypeId {
        self.ty
    }

    /// The byte offset reached (negative indexes may make it negative).
    pub fn offset(&self) -> i128 {
        self.offset
    }

    /// The struct or union type a name step would look into now (through
    /// a pointer on the first step), if there is one.
    pub fn record_for_name(&self, types: &TypeTable) -> Option<TypeId> {
        let target = name_target(types, self.ty, self.first);
        matches!(types.get(target), Type::Record(_)).then_some(target)
    }

    /// Takes one step. A name as the first step goes through a pointer
    /// to a struct or union; an index moves by whole items.
    pub fn step(&mut self, types: &TypeTable, step: PathStep<'_>) -> Result<(), PathError> {
        let first = std::mem::replace(&mut self.first, false);
        let (ty, delta) = match step {
            PathStep::Name(name) => field_step(types, self.ty, first, name)?,
            PathStep::Index(index) => index_step(types, self.ty, index)?,
        };
        self.ty = ty;
        self.offset += delta;
        Ok(())
    }
}

/// The field `name` of the record `ty` is (or, on the first step, that
/// `ty` points to): its type and offset.
fn field_step(
    types: &TypeTable,
    ty: TypeId,
    first: bool,
    name: &str,
) -> Result<(TypeId, i128), PathError> {
    let Type::Record(rid) = types.get(name_target(types, ty, first)) else {
        return Err(PathError::NotARecord);
    };
    if types.record(*rid).body.is_none() {
        return Err(PathError::Opaque);
    }
    let fields = types.flat_fields(*rid).map_err(PathError::Layout)?;
    let Some(field) = fields.into_iter().find(|f| f.name == name) else {
        return Err(PathError::NoField(name.to_owned()));
    };
    if field.bitsize >= 0 {
        return Err(PathError::BitField);
    }
    Ok((field.ty, i128::from(field.offset)))
}

/// What a name step from `ty` looks into: on the first step, what a
/// pointer points to; else `ty` itself.
fn name_target(types: &TypeTable, ty: TypeId, first: bool) -> TypeId {
    match types.get(ty) {
        Type::Pointer(item) if first => *item,
        _ => ty,
    }
}

/// Item `index` of the array or pointer `ty`: its type and offset.
fn index_step(types: &TypeTable, ty: TypeId, index: i64) -> Result<(TypeId, i128), PathError> {
    let (Type::Array { item, .. } | Type::Pointer(item)) = types.get(ty) else {
        return Err(PathError::NotIndexable);
    };
    let size = types.size_of(*item).ok_or(PathError::NotIndexable)?;
    Ok((*item, i128::from(index) * i128::from(size)))
}

impl TypeTable {
    /// Walks `steps` from `ty` (see [`PathWalk::step`]): the type reached
    /// and its byte offset.
    pub fn offsetof(
        &self,
        ty: TypeId,
        steps: &[PathStep<'_>],
    ) -> Result<(TypeId, i128), PathError> {
        let mut walk = PathWalk::new(ty);
        for &step in steps {
            walk.step(self, step)?;
        }
        Ok((walk.ty(), walk.offset()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Declarations, Target};

    use PathStep::{Index, Name};

    const CDEF: &str = "
        struct inner { char c; int x; int bits : 3; };
        struct outer {
            long l;
            struct inner in;
            struct inner arr[4];
            union { short s; double d; };
            int *p;
        };
        struct opaque;
        struct holds_opaque { struct opaque *o; };
        typedef void (*fn_t)(int);
    ";

    fn setup() -> (TypeTable, Declarations) {
        let mut types = TypeTable::new(Target::X86_64_LINUX);
        let mut decls = Declarations::new();
        decls.cdef(&mut types, CDEF, &Default::default()).unwrap();
        (types, decls)
    }

    fn ty(types: &mut TypeTable, decls: &mut Declarations, text: &str) -> TypeId {
        decls.parse_type(types, text).unwrap()
    }

    #[test]
    fn names_sum_the_offsets_of_nested_fields() {
        let (mut t, mut d) = setup();
        let outer = ty(&mut t, &mut d, "struct outer");
        let int = ty(&mut t, &mut d, "int");
        let inner = ty(&mut t, &mut d, "struct inner");
        assert_eq!(
            t.offsetof(outer, &[Name("l")]),
            Ok((ty(&mut t, &mut d, "long"), 0))
        );
        assert_eq!(t.offsetof(outer, &[Name("in")]), Ok((inner, 8)));
        assert_eq!(t.offsetof(outer, &[Name("in"), Name("x")]), Ok((int, 12)));
        assert_eq!(t.offsetof(outer, &[]), Ok((outer, 0)));
    }

    #[test]
    fn anonymous_members_fields_are_reached_by_name() {
        let (mut t, mut d) = setup();
        let outer = ty(&mut t, &mut d, "struct outer");
        let double = ty(&mut t, &mut d, "double");
        // l(8) + in(12) + arr(48) = 68, union aligned to 8: 72.
        assert_eq!(t.offsetof(outer, &[Name("d")]), Ok((double, 72)));
        assert_eq!(t.offsetof(outer, &[Name("s")]).unwrap().1, 72);
    }

    #[test]
    fn indexes_move_by_whole_items_either_way() {
        let (mut t, mut d) = setup();
        let outer = ty(&mut t, &mut d, "struct outer");
        let int = ty(&mut t, &mut d, "int");
        let inner = ty(&mut t, &mut d, "struct inner");
        assert_eq!(
            t.offsetof(outer, &[Name("arr"), Index(2)]),
            Ok((inner, 20 + 24))
        );
        assert_eq!(
            t.offsetof(outer, &[Name("arr"), Index(3), Name("x")]),
            Ok((int, 20 + 36 + 4))
        );
        let int_p = ty(&mut t, &mut d, "int *");
        assert_eq!(t.offsetof(int_p, &[Index(-3)]), Ok((int, -12)));
        let arr = ty(&mut t, &mut d, "int[5]");
        assert_eq!(t.offsetof(arr, &[Index(7)]), Ok((int, 28)));
    }

    #[test]
    fn only_a_first_name_goes_through_a_pointer() {
        let (mut t, mut d) = setup();
        let p = ty(&mut t, &mut d, "struct outer *");
        let int_p = ty(&mut t, &mut d, "int *");
        assert_eq!(t.offsetof(p, &[Name("p")]), Ok((int_p, 80)));
        let pp = ty(&mut t, &mut d, "struct outer * *");
        assert_eq!(t.offsetof(pp, &[Name("l")]), Err(PathError::NotARecord));
        let arr_of_p = ty(&mut t, &mut d, "struct outer *[2]");
        assert_eq!(
            t.offsetof(arr_of_p, &[Index(1), Name("l")]),
            Err(PathError::NotARecord)
        );
    }

    #[test]
    fn name_errors() {
        let (mut t, mut d) = setup();
        let int = ty(&mut t, &mut d, "int");
        let outer = ty(&mut t, &mut d, "struct outer");
        let opaque = ty(&mut t, &mut d, "struct opaque");
        let holds = ty(&mut t, &mut d, "struct holds_opaque");
        assert_eq!(t.offsetof(int, &[Name("x")]), Err(PathError::NotARecord));
        assert_eq!(t.offsetof(opaque, &[Name("x")]), Err(PathError::Opaque));
        assert_eq!(
            t.offsetof(holds, &[Name("o"), Name("x")]),
            Err(PathError::NotARecord)
        );
        assert_eq!(
            t.offsetof(outer, &[Name("nope")]),
            Err(PathError::NoField("nope".into()))
        );
        assert_eq!(
            t.offsetof(outer, &[Name("in"), Name("bits")]),
            Err(PathError::BitField)
        );
        assert_eq!(
            PathError::NotARecord.to_string(),
            "with a field name argument, expected a struct or union ctype"
        );
        assert_eq!(PathError::Opaque.to_string(), "struct/union is opaque");
        assert_eq!(PathError::NoField("nope".into()).to_string(), "nope");
        assert_eq!(
            PathError::BitField.to_string(),
            "not supported for bitfields"
        );
    }

    #[test]
    fn a_partial_record_reports_its_layout_error() {
        let mut t = TypeTable::new(Target::X86_64_LINUX);
        let mut d = Declarations::new();
        d.cdef(&mut t, "struct part { int x; ...; };", &Default::default())
            .unwrap();
        let part = ty(&mut t, &mut d, "struct part");
        let err = t.offsetof(part, &[Name("x")]).unwrap_err();
        assert!(matches!(err, PathError::Layout(LayoutError::Partial(_))));
        assert_eq!(
            err.to_string(),
            "'struct part' has '...;' fields: its layout is only known after compilation (API mode)"
        );
    }

    #[test]
    fn index_errors() {
        let (mut t, mut d) = setup();
        let int = ty(&mut t, &mut d, "int");
        let outer = ty(&mut t, &mut d, "struct outer");
        let opaque_p = ty(&mut t, &mut d, "struct opaque *");
        let void_p = ty(&mut t, &mut d, "void *");
        let fn_t = ty(&mut t, &mut d, "fn_t");
        for start in [int, outer, opaque_p, void_p, fn_t] {
            assert_eq!(t.offsetof(start, &[Index(0)]), Err(PathError::NotIndexable));
        }
        assert_eq!(
            PathError::NotIndexable.to_string(),
            "with an integer argument, expected an array ctype or a pointer to non-opaque"
        );
    }

    #[test]
    fn a_walk_stops_at_the_first_error_and_keeps_its_place() {
        let (mut t, mut d) = setup();
        let outer = ty(&mut t, &mut d, "struct outer");
        let inner = ty(&mut t, &mut d, "struct inner");
        let mut walk = PathWalk::new(outer);
        walk.step(&t, Name("in")).unwrap();
        assert_eq!(walk.step(&t, Index(0)), Err(PathError::NotIndexable));
        assert_eq!((walk.ty(), walk.offset()), (inner, 8));
        // No longer the first step: a pointer is not gone through.
        let p = ty(&mut t, &mut d, "struct outer *");
        let mut walk = PathWalk::new(p);
        walk.step(&t, Index(1)).unwrap();
        assert_eq!(walk.offset(), 88);
        walk.step(&t, Name("l")).unwrap();
        assert_eq!((walk.offset(), walk.ty()), (88, ty(&mut t, &mut d, "long")));
    }

    #[test]
    fn the_record_a_name_would_look_into() {
        let (mut t, mut d) = setup();
        let outer = ty(&mut t, &mut d, "struct outer");
        let p = ty(&mut t, &mut d, "struct outer *");
        let int = ty(&mut t, &mut d, "int");
        let opaque = ty(&mut t, &mut d, "struct opaque");
        assert_eq!(PathWalk::new(outer).record_for_name(&t), Some(outer));
        assert_eq!(PathWalk::new(p).record_for_name(&t), Some(outer));
        assert_eq!(PathWalk::new(opaque).record_for_name(&t), Some(opaque));
        assert_eq!(PathWalk::new(int).record_for_name(&t), None);
        let mut walk = PathWalk::new(p);
        walk.step(&t, Index(0)).unwrap();
        assert_eq!(walk.record_for_name(&t), Some(outer));
        let mut walk = PathWalk::new(outer);
        walk.step(&t, Name("p")).unwrap();
        assert_eq!(walk.record_for_name(&t), None);
    }
}
