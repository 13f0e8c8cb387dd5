//! Records completed from explicit arguments, as `_cffi_backend`'s
//! `complete_struct_or_union(ctype, fields, tp, totalsize,
//! totalalignment, sflags, pack)` does (F-10.18): the `sflags` bits
//! choose the bit-field rules, packing and byte order (F-10.20), and with
//! [`SF_STD_FIELD_POS`] the given offsets, size and alignment are checked
//! against the computed ones instead of replacing them.

use crate::record::{FieldDef, Layout, LayoutError, RecordBodyDef, RecordId};
use crate::types::{TypeId, TypeTable};
use crate::BitfieldRule;
use cdef_parse::SmolStr;
use std::fmt;

/// `sflags` bit: MSVC bit-field layout.
pub const SF_MSVC_BITFIELDS: i64 = 0x01;
/// `sflags` bit: GCC-on-ARM bit-field layout.
pub const SF_GCC_ARM_BITFIELDS: i64 = 0x02;
/// `sflags` bit: GCC-on-x86 bit-field layout.
pub const SF_GCC_X86_BITFIELDS: i64 = 0x10;
/// `sflags` bit: big-endian bit-field numbering.
pub const SF_GCC_BIG_ENDIAN: i64 = 0x04;
/// `sflags` bit: little-endian bit-field numbering.
pub const SF_GCC_LITTLE_ENDIAN: i64 = 0x40;
/// `sflags` bit: packed (every field at alignment 1).
pub const SF_PACKED: i64 = 0x08;
/// `sflags` bit: explicit offsets must match the computed ones.
pub const SF_STD_FIELD_POS: i64 = 0x80;

/// What the `sflags` of `complete_struct_or_union` ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordFlags {
    /// The bit-field rules asked for; `None`: the target's.
    pub bitfields: Option<BitfieldRule>,
    /// [`SF_PACKED`]: every field at alignment 1.
    pub packed: bool,
    /// The byte-order bit of the other byte order than the machine's:
    /// bit fields are numbered from the other end of their unit.
    pub foreign_byte_order: bool,
    /// [`SF_STD_FIELD_POS`]: explicit positions are checked, not used.
    pub check_positions: bool,
}

impl RecordFlags {
    /// Decodes `sflags` for a machine of the given byte order. The first
    /// bit-field rule present wins, in the order MSVC, GCC-on-ARM,
    /// GCC-on-x86; the machine's own byte-order bit changes nothing (it is
    /// only documented); other bits are ignored, as in cffi.
    pub fn from_sflags(sflags: i64, big_endian: bool) -> RecordFlags {
        let has = |bit: i64| sflags & bit != 0;
        let bitfields = if has(SF_MSVC_BITFIELDS) {
            Some(BitfieldRule::Msvc)
        } else if has(SF_GCC_ARM_BITFIELDS) {
            Some(BitfieldRule::GccArm)
        } else if has(SF_GCC_X86_BITFIELDS) {
            Some(BitfieldRule::Gcc)
        } else {
            None
        };
        let foreign = if big_endian {
            SF_GCC_LITTLE_ENDIAN
        } else {
            SF_GCC_BIG_ENDIAN
        };
        RecordFlags {
            bitfields,
            packed: has(SF_PACKED),
            foreign_byte_order: has(foreign),
            check_positions: has(SF_STD_FIELD_POS),
        }
    }
}

/// One field as `complete_struct_or_union` is given it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenField {
    /// The name; `None` for an unnamed field (an empty name).
    pub name: Option<String>,
    /// The field's type.
    pub ty: TypeId,
    /// The width of a bit field; `None` for a plain field.
    pub bits: Option<u64>,
    /// The byte offset given; `None` to have it computed.
    pub offset: Option<u64>,
}

/// The arguments of `complete_struct_or_union` after the record itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenRecord {
    /// The fields, in order.
    pub fields: Vec<GivenField>,
    /// `totalsize`, if given.
    pub total_size: Option<u64>,
    /// `totalalignment`, if given.
    pub total_align: Option<u64>,
    /// The decoded `sflags`.
    pub flags: RecordFlags,
    /// `pack`; `None` or `Some(0)` for no packing limit.
    pub pack: Option<u64>,
}

/// Which given position differs from the computed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// The offset of the named field (`""` for an unnamed one).
    Offset(String),
    /// `totalsize`.
    TotalSize,
    /// `totalalignment`.
    TotalAlignment,
}

/// A position given with [`SF_STD_FIELD_POS`] that is not the computed
/// one; its `Display` is cffi's `ffi.error` message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionMismatch {
    /// The record's C name.
    pub record: String,
    /// What differs.
    pub position: Position,
    /// The computed value (what cffi's message calls the cdef's).
    pub computed: u64,
    /// The value given (what cffi's message calls the C compiler's).
    pub given: u64,
}

impl fmt::Display for PositionMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let record = &self.record;
        match &self.position {
            Position::Offset(name) => write!(f, "{record}: wrong offset for field '{name}'")?,
            Position::TotalSize => write!(f, "{record}: wrong total size")?,
            Position::TotalAlignment => write!(f, "{record}: wrong total alignment")?,
        }
        write!(
            f,
            " (cdef says {}, but C compiler says {}). fix it or use \"...;\" as the last field in the cdef for {record} to make it flexible",
            self.computed, self.given
        )
    }
}

impl std::error::Error for PositionMismatch {}

/// Why [`TypeTable::complete_record_as_given`] failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompleteError {
    /// The fields cannot be laid out (cffi raises `TypeError`).
    Layout(LayoutError),
    /// A checked position differs (cffi raises `ffi.error`).
    Position(PositionMismatch),
}

impl fmt::Display for CompleteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompleteError::Layout(e) => e.fmt(f),
            CompleteError::Position(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CompleteError {}

impl GivenRecord {
    /// The record body these arguments describe: with
    /// [`RecordFlags::check_positions`] the given offsets are left out
    /// (they are checked, not used), and the totals are never in it.
    pub fn body(&self) -> RecordBodyDef {
        let fields = self
            .fields
            .iter()
            .map(|f| FieldDef {
                name: f.name.as_deref().map(SmolStr::new),
                ty: f.ty,
                bits: f.bits,
                packed: false,
                aligned: None,
                offset: f.offset.filter(|_| !self.flags.check_positions),
            })
            .collect();
        RecordBodyDef {
            fields,
            partial: false,
            packed: self.flags.packed,
            pack: self.pack.filter(|&p| p > 0),
            aligned: None,
            total: None,
            bitfields: self.flags.bitfields,
            foreign_byte_order: self.flags.foreign_byte_order,
        }
    }

    /// [`SF_STD_FIELD_POS`]: the given offsets (of fields other than bit
    /// fields), then size, then alignment must be those of `layout`,
    /// computed for `record`; the first that is not is the error.
    pub fn check_positions(&self, record: &str, layout: &Layout) -> Result<(), PositionMismatch> {
        let mismatch = |position, computed, given| PositionMismatch {
            record: record.to_owned(),
            position,
            computed,
            given,
        };
        for (field, placed) in self.fields.iter().zip(&layout.fields) {
            match field.offset {
                Some(given) if field.bits.is_none() && given != placed.offset => {
                    let name = field.name.clone().unwrap_or_default();
                    return Err(mismatch(Position::Offset(name), placed.offset, given));
                }
                _ => {}
            }
        }
        match (self.total_size, self.total_align) {
            (Some(size), _) if size != layout.size => {
                Err(mismatch(Position::TotalSize, layout.size, size))
            }
            (_, Some(align)) if align != layout.align => {
                Err(mismatch(Position::TotalAlignment, layout.align, align))
            }
            _ => Ok(()),
        }
    }
}

impl TypeTable {
    /// Completes record `id` as `complete_struct_or_union` does: lays the
    /// fields out with [`GivenRecord::body`] (layout errors show now),
    /// then either checks the given positions ([`SF_STD_FIELD_POS`]) or
    /// lets a given size or alignment replace the computed one. On a
    /// failed check the record stays completed with the computed layout.
    pub fn complete_record_as_given(
        &mut self,
        id: RecordId,
        given: &GivenRecord,
    ) -> Result<(), CompleteError> {
        let body = given.body();
        self.complete_record(id, body.clone());
        let layout = self.layout(id).map_err(CompleteError::Layout)?;
        if given.flags.check_positions {
            return given
                .check_positions(&self.record(id).name, layout)
                .map_err(CompleteError::Position);
        }
        if given.total_size.is_none() && given.total_align.is_none() {
            return Ok(());
        }
        let total = (
            given.total_size.unwrap_or(layout.size),
            given.total_align.unwrap_or(layout.align),
        );
        self.complete_record(
            id,
            RecordBodyDef {
                total: Some(total),
                ..body
            },
        );
        self.layout(id).map(drop).map_err(CompleteError::Layout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Primitive, RecordKind, Target, Type};

    const LE: bool = false;
    const BE: bool = true;

    #[test]
    fn no_flags_ask_for_nothing() {
        assert_eq!(RecordFlags::from_sflags(0, LE), RecordFlags::default());
        assert_eq!(RecordFlags::from_sflags(0, BE), RecordFlags::default());
    }

    #[test]
    fn each_bit_field_rule_flag_and_their_precedence() {
        let rule = |sflags| RecordFlags::from_sflags(sflags, LE).bitfields;
        assert_eq!(rule(SF_MSVC_BITFIELDS), Some(BitfieldRule::Msvc));
        assert_eq!(rule(SF_GCC_ARM_BITFIELDS), Some(BitfieldRule::GccArm));
        assert_eq!(rule(SF_GCC_X86_BITFIELDS), Some(BitfieldRule::Gcc));
        assert_eq!(
            rule(SF_MSVC_BITFIELDS | SF_GCC_ARM_BITFIELDS | SF_GCC_X86_BITFIELDS),
            Some(BitfieldRule::Msvc)
        );
        assert_eq!(
            rule(SF_GCC_ARM_BITFIELDS | SF_GCC_X86_BITFIELDS),
            Some(BitfieldRule::GccArm)
        );
    }

    #[test]
    fn packed_and_field_position_flags() {
        let packed = RecordFlags::from_sflags(SF_PACKED, LE);
        assert!(packed.packed && !packed.check_positions);
        let check = RecordFlags::from_sflags(SF_STD_FIELD_POS, LE);
        assert!(check.check_positions && !check.packed);
    }

    #[test]
    fn only_the_other_byte_order_is_foreign() {
        let foreign = |sflags, big| RecordFlags::from_sflags(sflags, big).foreign_byte_order;
        assert!(foreign(SF_GCC_BIG_ENDIAN, LE));
        assert!(!foreign(SF_GCC_LITTLE_ENDIAN, LE));
        assert!(foreign(SF_GCC_LITTLE_ENDIAN, BE));
        assert!(!foreign(SF_GCC_BIG_ENDIAN, BE));
    }

    #[test]
    fn unknown_bits_are_ignored() {
        let all_unknown = !(SF_MSVC_BITFIELDS
            | SF_GCC_ARM_BITFIELDS
            | SF_GCC_X86_BITFIELDS
            | SF_GCC_BIG_ENDIAN
            | SF_GCC_LITTLE_ENDIAN
            | SF_PACKED
            | SF_STD_FIELD_POS);
        assert_eq!(
            RecordFlags::from_sflags(all_unknown, LE),
            RecordFlags::default()
        );
    }

    /// A new struct `struct s` in a fresh x86-64 table, with `int` and
    /// `char` interned.
    fn table() -> (TypeTable, RecordId, TypeId, TypeId) {
        let mut t = TypeTable::new(Target::X86_64_LINUX);
        let id = t.new_record(RecordKind::Struct, "struct s".into());
        let Type::Record(rid) = *t.get(id) else {
            unreachable!()
        };
        let int = t.primitive(Primitive::Int);
        let char_ = t.primitive(Primitive::Char);
        (t, rid, int, char_)
    }

    fn field(name: &str, ty: TypeId, bits: Option<u64>, offset: Option<u64>) -> GivenField {
        GivenField {
            name: (!name.is_empty()).then(|| name.to_owned()),
            ty,
            bits,
            offset,
        }
    }

    fn given(fields: Vec<GivenField>, sflags: i64) -> GivenRecord {
        GivenRecord {
            fields,
            total_size: None,
            total_align: None,
            flags: RecordFlags::from_sflags(sflags, LE),
            pack: None,
        }
    }

    fn size_align(t: &TypeTable, rid: RecordId) -> (u64, u64) {
        let l = t.layout(rid).unwrap();
        (l.size, l.align)
    }

    /// `struct s` completed from `g` in a fresh table: the table and the
    /// record.
    fn completed(g: &GivenRecord) -> (TypeTable, RecordId) {
        let (mut t, rid, _, _) = table();
        t.complete_record_as_given(rid, g).unwrap();
        (t, rid)
    }

    /// The size and alignment of `struct s` completed from `g`.
    fn laid_out(g: &GivenRecord) -> (u64, u64) {
        let (t, rid) = completed(g);
        size_align(&t, rid)
    }

    /// The bit positions of the fields of `struct s` completed from `g`.
    fn bit_shifts(g: &GivenRecord) -> Vec<i64> {
        let (t, rid) = completed(g);
        t.flat_fields(rid)
            .unwrap()
            .iter()
            .map(|f| f.bitshift)
            .collect()
    }

    #[test]
    fn fields_are_laid_out_with_the_targets_rules() {
        let (mut t, rid, int, char_) = table();
        let g = given(
            vec![field("c", char_, None, None), field("i", int, None, None)],
            0,
        );
        t.complete_record_as_given(rid, &g).unwrap();
        let l = t.layout(rid).unwrap();
        assert_eq!(l.fields[1].offset, 4);
        assert_eq!((l.size, l.align), (8, 4));
    }

    #[test]
    fn packed_flag_packs() {
        let (mut t, rid, int, char_) = table();
        let g = given(
            vec![field("c", char_, None, None), field("i", int, None, None)],
            SF_PACKED,
        );
        t.complete_record_as_given(rid, &g).unwrap();
        assert_eq!(t.layout(rid).unwrap().fields[1].offset, 1);
        assert_eq!(size_align(&t, rid), (5, 1));
    }

    #[test]
    fn pack_caps_alignment_and_zero_means_none() {
        let (_, _, int, char_) = table();
        let mut g = given(
            vec![field("c", char_, None, None), field("i", int, None, None)],
            0,
        );
        g.pack = Some(2);
        assert_eq!(laid_out(&g), (6, 2));
        g.pack = Some(0);
        assert_eq!(laid_out(&g), (8, 4));
    }

    #[test]
    fn msvc_flag_changes_bit_field_units() {
        // `char a:4; int b:4;`: GCC shares one int-aligned unit, MSVC
        // starts a new unit for the other type size.
        let (_, _, int, char_) = table();
        let fields = vec![
            field("a", char_, Some(4), None),
            field("b", int, Some(4), None),
        ];
        assert_eq!(laid_out(&given(fields.clone(), 0)), (4, 4));
        assert_eq!(laid_out(&given(fields, SF_MSVC_BITFIELDS)), (8, 4));
    }

    #[test]
    fn arm_flag_lets_unnamed_bit_fields_align_the_record() {
        let (_, _, int, char_) = table();
        let fields = vec![field("c", char_, None, None), field("", int, Some(3), None)];
        assert_eq!(
            laid_out(&given(fields.clone(), SF_GCC_X86_BITFIELDS)),
            (2, 1)
        );
        assert_eq!(laid_out(&given(fields, SF_GCC_ARM_BITFIELDS)), (4, 4));
    }

    #[test]
    fn foreign_byte_order_numbers_bits_from_the_other_end() {
        let (_, _, int, _) = table();
        let fields = vec![
            field("a", int, Some(3), None),
            field("b", int, Some(5), None),
        ];
        assert_eq!(bit_shifts(&given(fields.clone(), 0)), [0, 3]);
        assert_eq!(bit_shifts(&given(fields, SF_GCC_BIG_ENDIAN)), [29, 24]);
    }

    #[test]
    fn given_offsets_are_used_without_the_check() {
        let (mut t, rid, int, char_) = table();
        let fields = vec![
            field("c", char_, None, Some(0)),
            field("i", int, None, Some(8)),
        ];
        t.complete_record_as_given(rid, &given(fields, 0)).unwrap();
        assert_eq!(t.layout(rid).unwrap().fields[1].offset, 8);
        assert_eq!(size_align(&t, rid), (12, 4));
    }

    #[test]
    fn given_totals_replace_the_computed_ones_without_the_check() {
        let (mut t, rid, int, _) = table();
        let mut g = given(vec![field("i", int, None, None)], 0);
        g.total_size = Some(16);
        t.complete_record_as_given(rid, &g).unwrap();
        assert_eq!(size_align(&t, rid), (16, 4));
        let (mut t, rid, int, _) = table();
        let mut g = given(vec![field("i", int, None, None)], 0);
        g.total_align = Some(8);
        t.complete_record_as_given(rid, &g).unwrap();
        assert_eq!(size_align(&t, rid), (4, 8));
    }

    #[test]
    fn a_given_size_too_small_is_a_layout_error() {
        let (mut t, rid, int, _) = table();
        let mut g = given(vec![field("i", int, None, None)], 0);
        g.total_size = Some(2);
        let err = t.complete_record_as_given(rid, &g).unwrap_err();
        assert_eq!(
            err.to_string(),
            "struct s cannot be of size 2: there are fields at least up to 4"
        );
        assert!(matches!(err, CompleteError::Layout(_)));
    }

    #[test]
    fn layout_errors_show_at_completion() {
        let (mut t, rid, int, _) = table();
        let g = given(vec![field("i", int, Some(33), None)], 0);
        let err = t.complete_record_as_given(rid, &g).unwrap_err();
        assert_eq!(
            err,
            CompleteError::Layout(LayoutError::BitFieldTooWide {
                field: "struct s.i".into(),
                bits: 33,
                ctype: "int".into(),
            })
        );
    }

    #[test]
    fn checked_positions_that_match_pass() {
        let (mut t, rid, int, char_) = table();
        let mut g = given(
            vec![
                field("c", char_, None, Some(0)),
                field("i", int, None, Some(4)),
            ],
            SF_STD_FIELD_POS,
        );
        g.total_size = Some(8);
        g.total_align = Some(4);
        t.complete_record_as_given(rid, &g).unwrap();
        assert_eq!(size_align(&t, rid), (8, 4));
    }

    #[test]
    fn a_checked_offset_that_differs_is_refused_and_not_used() {
        let (mut t, rid, int, char_) = table();
        let g = given(
            vec![
                field("c", char_, None, Some(0)),
                field("i", int, None, Some(2)),
            ],
            SF_STD_FIELD_POS,
        );
        let err = t.complete_record_as_given(rid, &g).unwrap_err();
        assert_eq!(
            err,
            CompleteError::Position(PositionMismatch {
                record: "struct s".into(),
                position: Position::Offset("i".into()),
                computed: 4,
                given: 2,
            })
        );
        assert_eq!(
            err.to_string(),
            "struct s: wrong offset for field 'i' (cdef says 4, but C compiler says 2). fix it or use \"...;\" as the last field in the cdef for struct s to make it flexible"
        );
        // The record stays completed with the computed layout.
        assert_eq!(t.layout(rid).unwrap().fields[1].offset, 4);
    }

    #[test]
    fn an_unnamed_fields_offset_is_named_empty() {
        let (mut t, rid, int, _) = table();
        let g = given(vec![field("", int, None, Some(1))], SF_STD_FIELD_POS);
        let err = t.complete_record_as_given(rid, &g).unwrap_err();
        assert!(err.to_string().starts_with(
            "struct s: wrong offset for field '' (cdef says 0, but C compiler says 1)."
        ));
    }

    #[test]
    fn bit_fields_and_ungiven_offsets_are_not_checked() {
        let (mut t, rid, int, _) = table();
        let g = given(
            vec![
                field("a", int, Some(3), Some(100)),
                field("b", int, None, None),
            ],
            SF_STD_FIELD_POS,
        );
        t.complete_record_as_given(rid, &g).unwrap();
    }

    #[test]
    fn a_checked_total_size_that_differs_is_refused() {
        let (mut t, rid, int, _) = table();
        let mut g = given(vec![field("i", int, None, None)], SF_STD_FIELD_POS);
        g.total_size = Some(16);
        g.total_align = Some(1);
        let err = t.complete_record_as_given(rid, &g).unwrap_err();
        // Size is checked before alignment, and not used.
        assert_eq!(
            err.to_string(),
            "struct s: wrong total size (cdef says 4, but C compiler says 16). fix it or use \"...;\" as the last field in the cdef for struct s to make it flexible"
        );
        assert_eq!(size_align(&t, rid), (4, 4));
    }

    #[test]
    fn a_checked_total_alignment_that_differs_is_refused() {
        let (mut t, rid, int, _) = table();
        let mut g = given(vec![field("i", int, None, None)], SF_STD_FIELD_POS);
        g.total_size = Some(4);
        g.total_align = Some(8);
        let err = t.complete_record_as_given(rid, &g).unwrap_err();
        assert_eq!(
            err.to_string(),
            "struct s: wrong total alignment (cdef says 4, but C compiler says 8). fix it or use \"...;\" as the last field in the cdef for struct s to make it flexible"
        );
    }

    #[test]
    fn offsets_are_checked_before_totals() {
        let (mut t, rid, int, _) = table();
        let mut g = given(vec![field("i", int, None, Some(4))], SF_STD_FIELD_POS);
        g.total_size = Some(16);
        let err = t.complete_record_as_given(rid, &g).unwrap_err();
        assert!(matches!(
            err,
            CompleteError::Position(PositionMismatch {
                position: Position::Offset(_),
                ..
            })
        ));
    }
}
