//! Structs, unions and enums: their definitions and the layout of their
//! fields, computed as the C compiler does (GCC/Clang rules for the
//! System V targets).
//!
//! Layouts are computed lazily, on first need, like cffi builds its types:
//! `struct a { struct b x; }; struct b { int y; };` is fine as long as
//! `struct b` is complete by the time `struct a`'s size is asked.

use crate::types::{Type, TypeId, TypeTable};
use crate::{BitfieldRule, PrimitiveKind};
use cdef_parse::SmolStr;
use std::fmt;
use std::sync::OnceLock;

pub use cdef_parse::RecordKind;

/// The identity of a struct or union. Records are nominal: two
/// declarations are two types even with the same fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub(crate) u32);

/// The identity of an enum type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumId(pub(crate) u32);

/// A struct or union.
#[derive(Debug)]
pub struct RecordDef {
    /// Struct or union.
    pub kind: RecordKind,
    /// The C name cffi prints: `struct foo`, a typedef name for an anonymous
    /// struct, or `struct $1`.
    pub name: String,
    /// The fields; `None` while the type is opaque.
    pub body: Option<RecordBodyDef>,
    pub(crate) layout: OnceLock<Result<Layout, LayoutError>>,
}

/// The fields of a struct or union and what changes their layout.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordBodyDef {
    /// The fields, in order.
    pub fields: Vec<FieldDef>,
    /// `...;`: the real layout is the C compiler's (API mode).
    pub partial: bool,
    /// `packed=True` or `__attribute__((packed))`: every field at
    /// alignment 1.
    pub packed: bool,
    /// `pack=N` or `#pragma pack(N)`: field alignments capped at N.
    pub pack: Option<u64>,
    /// `__attribute__((aligned(N)))` on the struct.
    pub aligned: Option<u64>,
    /// An explicit size and alignment (from a generated module's tables,
    /// or `complete_struct_or_union(..., totalsize, totalalignment)`),
    /// replacing the computed ones.
    pub total: Option<(u64, u64)>,
    /// The bit-field layout rules to follow instead of the target's
    /// (`complete_struct_or_union`'s `sflags`).
    pub bitfields: Option<crate::BitfieldRule>,
    /// Bit fields numbered from the other end of their storage unit, as
    /// on a target of the other byte order (`complete_struct_or_union`'s
    /// endianness flags): `CField.bitshift` becomes the unit's width
    /// minus the field's width minus the usual shift.
    pub foreign_byte_order: bool,
}

/// One declared field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// The name; `None` for unnamed bit fields and anonymous members.
    pub name: Option<SmolStr>,
    /// The field's type.
    pub ty: TypeId,
    /// The width, for a bit field.
    pub bits: Option<u64>,
    /// `__attribute__((packed))` on the field.
    pub packed: bool,
    /// `__attribute__((aligned(N)))` on the field.
    pub aligned: Option<u64>,
    /// An explicit byte offset (from a generated module's tables, or
    /// `complete_struct_or_union()`), replacing the computed one.
    pub offset: Option<u64>,
}

/// Where each field of a record sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// `sizeof`.
    pub size: u64,
    /// `_Alignof`.
    pub align: u64,
    /// One entry per declared field, in order.
    pub fields: Vec<FieldLayout>,
}

/// The position of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLayout {
    /// Byte offset of the field (for a bit field: of the aligned storage
    /// unit of its declared type that holds its first bit).
    pub offset: u64,
    /// Position of the first bit from the start of the record, for bit
    /// fields.
    pub bit_offset: Option<u64>,
    /// A flexible array member (`T x[]` last): no size of its own.
    pub flexible: bool,
}

impl FieldLayout {
    /// cffi's `CField.bitshift`: -1 for plain fields, -2 for flexible
    /// arrays, else the shift of the first bit inside the storage unit.
    pub fn bitshift(&self) -> i64 {
        match self.bit_offset {
            Some(bit) => (bit - self.offset * 8) as i64,
            None if self.flexible => -2,
            None => -1,
        }
    }
}

/// Why a record cannot be laid out (raised when its size is needed, as
/// cffi does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayoutError {
    /// The record is opaque (no fields known).
    Opaque(String),
    /// The record is partial: only the C compiler knows its layout.
    Partial(String),
    /// A field's type has no size (`field 'struct a.x' has ctype 'struct
    /// b' of unknown size`).
    UnknownFieldSize {
        /// `struct a.x`
        field: String,
        /// The field's C type name.
        ctype: String,
    },
    /// A bit field of a type that cannot be one.
    BadBitFieldType {
        /// `struct a.x`
        field: String,
        /// The field's C type name.
        ctype: String,
    },
    /// A bit field wider than its type.
    BitFieldTooWide {
        /// `struct a.x`
        field: String,
        /// The width.
        bits: u64,
        /// The field's C type name.
        ctype: String,
    },
    /// A named bit field of width 0.
    NamedZeroWidth(String),
    /// The record contains itself by value.
    Recursive(String),
    /// A bit field given an explicit offset.
    FixedOffsetBitField(String),
    /// A packed bit field that would share bits of a storage unit begun
    /// by the previous field, which gcc lays out differently (cffi
    /// refuses it).
    PackedBitFieldReuse(String),
    /// An explicit size smaller than the fields need.
    TooSmall {
        /// The record's C name.
        name: String,
        /// The size given.
        size: u64,
        /// Where the fields end.
        needed: u64,
    },
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutError::Opaque(name) => write!(f, "'{name}' is opaque"),
            LayoutError::Partial(name) => {
                write!(f, "'{name}' has '...;' fields: its layout is only known after compilation (API mode)")
            }
            LayoutError::UnknownFieldSize { field, ctype } => {
                write!(f, "field '{field}' has ctype '{ctype}' of unknown size")
            }
            LayoutError::BadBitFieldType { field, ctype } => {
                write!(
                    f,
                    "field '{field}' declared as '{ctype}' cannot be a bit field"
                )
            }
            LayoutError::BitFieldTooWide { field, bits, ctype } => {
                write!(f, "bit field '{field}' is declared '{ctype}:{bits}', which exceeds the width of the type")
            }
            LayoutError::NamedZeroWidth(field) => {
                write!(f, "field '{field}' is declared with :0")
            }
            LayoutError::Recursive(name) => {
                write!(f, "recursive structure declaration for '{name}'")
            }
            LayoutError::PackedBitFieldReuse(field) => write!(
                f,
                "with 'packed', gcc would compile field '{field}' to reuse some bits in the previous field"
            ),
            LayoutError::FixedOffsetBitField(field) => {
                write!(
                    f,
                    "field '{field}' is a bitfield, but a fixed offset is specified"
                )
            }
            LayoutError::TooSmall { name, size, needed } => {
                write!(
                    f,
                    "{name} cannot be of size {size}: there are fields at least up to {needed}"
                )
            }
        }
    }
}

impl std::error::Error for LayoutError {}

/// An enum type.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// The C name: `enum foo`, a typedef name, or `enum $1`.
    pub name: String,
    /// The enumerators and their values, in order; empty while opaque.
    pub values: Vec<(SmolStr, i128)>,
    /// The integer type that holds the values.
    pub underlying: crate::Primitive,
    /// True if values come from the C compiler (`...`).
    pub partial: bool,
    /// False until the `{...}` body is seen.
    pub complete: bool,
}

impl EnumDef {
    /// The first enumerator whose value is `value`, as cffi shows an enum
    /// value (F-05.08, F-03.42).
    pub fn name_of(&self, value: i128) -> Option<&str> {
        self.values
            .iter()
            .find(|(_, v)| *v == value)
            .map(|(name, _)| name.as_str())
    }
}

/// A field as users reach it: anonymous members' fields inlined, offsets
/// from the start of the outermost record (what `ctype.fields` lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatField {
    /// The field's name.
    pub name: String,
    /// Its type.
    pub ty: TypeId,
    /// Byte offset (of the storage unit, for a bit field).
    pub offset: u64,
    /// For bit fields: the position of the first bit from the start of the
    /// outermost record.
    pub bit_offset: Option<u64>,
    /// cffi's `CField.bitshift` (see [`FieldLayout::bitshift`]).
    pub bitshift: i64,
    /// The width of a bit field, else -1.
    pub bitsize: i64,
    /// 1 for union members after the first, else 0.
    pub flags: i64,
}

impl FlatField {
    /// Set for union members after the first (bit 0 of [`FlatField::flags`]):
    /// list initializers skip them.
    pub fn is_later_union_member(&self) -> bool {
        self.flags & 1 != 0
    }

    /// For a bit field: its shift inside the storage unit at
    /// [`FlatField::offset`] and its width, as the [`crate::bitfield`]
    /// functions take them.
    pub fn bit_field(&self) -> Option<(u32, u32)> {
        let width = u32::try_from(self.bitsize).ok()?;
        Some((self.bitshift as u32, width))
    }
}

/// Places one field by MSVC's rules: bit fields share a storage unit only
/// with neighbours of the same type size while they fit; `:0` ends a run
/// (and does nothing else); any other field ends the run too.
/// Bytes holding `bits` bits (saturating: no C object is that large).
fn bytes_of(bits: u128) -> u64 {
    u64::try_from(bits.div_ceil(8)).unwrap_or(u64::MAX)
}

/// The bits of `bytes` bytes.
fn bits_of(bytes: u64) -> u128 {
    u128::from(bytes) * 8
}

fn place_msvc(
    bits: Option<u64>,
    fsize: u64,
    align: u64,
    is_union: bool,
    bit_pos: &mut u128,
    size: &mut u64,
    run: &mut Option<(u64, u64, u64)>,
) -> FieldLayout {
    if is_union {
        *size = (*size).max(fsize);
        return FieldLayout {
            offset: 0,
            bit_offset: bits.map(|_| 0),
            flexible: false,
        };
    }
    let Some(bits) = bits else {
        *run = None;
        let offset = align_up(bytes_of(*bit_pos), align);
        *bit_pos = bits_of(offset + fsize);
        return FieldLayout {
            offset,
            bit_offset: None,
            flexible: false,
        };
    };
    if bits == 0 {
        *run = None;
        return FieldLayout {
            offset: bytes_of(*bit_pos),
            bit_offset: None,
            flexible: false,
        };
    }
    if let Some((start, unit, used)) = run {
        if *unit == fsize && *used + bits <= fsize * 8 {
            let first = *start * 8 + *used;
            *used += bits;
            return FieldLayout {
                offset: *start,
                bit_offset: Some(first),
                flexible: false,
            };
        }
    }
    let start = align_up(bytes_of(*bit_pos), align);
    *run = Some((start, fsize, bits));
    *bit_pos = bits_of(start + fsize);
    FieldLayout {
        offset: start,
        bit_offset: Some(start * 8),
        flexible: false,
    }
}

fn align_up(value: u64, align: u64) -> u64 {
    value.div_ceil(align) * align
}

impl TypeTable {
    /// The layout of a struct or union, computed on first use.
    pub fn layout(&self, id: RecordId) -> Result<&Layout, LayoutError> {
        self.layout_guarded(id, &mut Vec::new())
    }

    /// True when the record's layout is not the one its fields would get
    /// by the target's rules: explicit positions or totals (from
    /// `complete_struct_or_union` or a generated module's tables) that
    /// differ from the natural ones, or an anonymous struct or union
    /// member (cffi's "custom field positions"). libffi cannot describe
    /// such a struct to pass it by value.
    pub fn has_custom_positions(&self, id: RecordId) -> bool {
        let rec = self.record(id);
        let Some(body) = &rec.body else {
            return false;
        };
        let anonymous_member = body.fields.iter().any(|f| {
            f.name.is_none() && f.bits.is_none() && matches!(self.get(f.ty), Type::Record(_))
        });
        if anonymous_member {
            return true;
        }
        if body.total.is_none() && body.fields.iter().all(|f| f.offset.is_none()) {
            return false;
        }
        let Ok(given) = self.layout(id) else {
            return false;
        };
        let mut natural_body = body.clone();
        natural_body.total = None;
        for f in &mut natural_body.fields {
            f.offset = None;
        }
        let natural = RecordDef {
            kind: rec.kind,
            name: rec.name.clone(),
            body: Some(natural_body),
            layout: OnceLock::new(),
        };
        match self.compute_layout(&natural, &mut vec![id]) {
            Ok(n) => n.size != given.size || n.align != given.align || n.fields != given.fields,
            Err(_) => true,
        }
    }

    fn layout_guarded(
        &self,
        id: RecordId,
        visiting: &mut Vec<RecordId>,
    ) -> Result<&Layout, LayoutError> {
        let rec = self.record(id);
        if let Some(done) = rec.layout.get() {
            return done.as_ref().map_err(Clone::clone);
        }
        if visiting.contains(&id) {
            return Err(LayoutError::Recursive(
                rec.name.trim_start_matches("struct ").to_owned(),
            ));
        }
        visiting.push(id);
        let computed = self.compute_layout(rec, visiting);
        visiting.pop();
        // A recursion error belongs to the outermost request; do not cache
        // it for inner records, whose own layout may be fine.
        if matches!(computed, Err(LayoutError::Recursive(_))) && !visiting.is_empty() {
            return Err(computed.unwrap_err());
        }
        rec.layout
            .get_or_init(|| computed)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Size and alignment of a field type, laying out nested records.
    fn field_size_align(
        &self,
        ty: TypeId,
        visiting: &mut Vec<RecordId>,
    ) -> Result<Option<(u64, u64)>, LayoutError> {
        match self.get(ty) {
            Type::Record(r) => match self.layout_guarded(*r, visiting) {
                Ok(l) => Ok(Some((l.size, l.align))),
                Err(e @ LayoutError::Recursive(_)) => Err(e),
                Err(_) => Ok(None),
            },
            Type::Array { item, len } => {
                let Some((size, align)) = self.field_size_align(*item, visiting)? else {
                    return Ok(None);
                };
                Ok(len
                    .and_then(|n| size.checked_mul(n))
                    .map(|total| (total, align)))
            }
            _ => Ok(self.size_of(ty).zip(self.align_of(ty))),
        }
    }

    fn compute_layout(
        &self,
        rec: &RecordDef,
        visiting: &mut Vec<RecordId>,
    ) -> Result<Layout, LayoutError> {
        let Some(body) = &rec.body else {
            return Err(LayoutError::Opaque(rec.name.clone()));
        };
        if body.partial {
            return Err(LayoutError::Partial(rec.name.clone()));
        }
        let is_union = rec.kind == RecordKind::Union;
        let rule = body.bitfields.unwrap_or(self.target().bitfields);
        // MSVC packs at 8 by default; an explicit pack always wins.
        let pack = body.pack.or(self.target().default_pack);
        // MSVC: the bit-field run in progress, as (unit start byte, unit
        // size in bytes, bits used).
        let mut msvc_run: Option<(u64, u64, u64)> = None;
        // The next free bit (structs), wide enough for any size in bytes.
        let mut bit_pos: u128 = 0;
        let mut size: u64 = 0; // bytes (unions)
        let mut max_align: u64 = 1;
        let mut fields = Vec::with_capacity(body.fields.len());
        let count = body.fields.len();
        for (i, f) in body.fields.iter().enumerate() {
            let field_name = || format!("{}.{}", rec.name, f.name.as_deref().unwrap_or(""));
            let ctype = || self.c_name(f.ty);
            // A `T[]` member: last, or anywhere with an explicit position
            // (then its items may overlap the fields after it, as in C).
            let flexible_candidate = (i + 1 == count || f.offset.is_some())
                && f.bits.is_none()
                && matches!(self.get(f.ty), Type::Array { len: None, .. });
            let (fsize, natural) = match self.field_size_align(f.ty, visiting)? {
                Some(sa) => sa,
                None if flexible_candidate => (0, self.flexible_item_align(f.ty, visiting)?),
                None => {
                    return Err(LayoutError::UnknownFieldSize {
                        field: field_name(),
                        ctype: ctype(),
                    })
                }
            };
            // GCC: under `#pragma pack(N)` a bit field keeps its type's
            // alignment capped at N even in a packed struct; other fields
            // of a packed struct are byte-aligned.
            let packed = (body.packed || f.packed) && !(f.bits.is_some() && body.pack.is_some());
            let mut align = if packed { 1 } else { natural };
            if let Some(a) = f.aligned {
                align = align.max(a);
            }
            if let Some(p) = pack {
                align = align.min(p);
            }
            if let Some(bits) = f.bits {
                if f.offset.is_some() {
                    return Err(LayoutError::FixedOffsetBitField(field_name()));
                }
                let ok_type = match self.get(f.ty) {
                    Type::Primitive(p) => matches!(
                        p.kind(),
                        PrimitiveKind::Signed
                            | PrimitiveKind::Unsigned
                            | PrimitiveKind::Char
                            | PrimitiveKind::WideChar
                            | PrimitiveKind::Bool
                    ),
                    Type::Enum(_) => true,
                    _ => false,
                };
                if !ok_type {
                    return Err(LayoutError::BadBitFieldType {
                        field: field_name(),
                        ctype: ctype(),
                    });
                }
                if bits > fsize * 8 {
                    return Err(LayoutError::BitFieldTooWide {
                        field: field_name(),
                        bits,
                        ctype: ctype(),
                    });
                }
                if bits == 0 && f.name.is_some() {
                    return Err(LayoutError::NamedZeroWidth(field_name()));
                }
            }
            if rule == BitfieldRule::Msvc {
                let placed = place_msvc(
                    f.bits,
                    fsize,
                    align,
                    is_union,
                    &mut bit_pos,
                    &mut size,
                    &mut msvc_run,
                );
                if f.bits != Some(0) {
                    max_align = max_align.max(align);
                }
                fields.push(FieldLayout {
                    flexible: flexible_candidate && fsize == 0 && f.bits.is_none(),
                    ..placed
                });
                continue;
            }
            let Some(bits) = f.bits else {
                let offset = match f.offset {
                    Some(fixed) => fixed,
                    None if is_union => 0,
                    None => align_up(bytes_of(bit_pos), align),
                };
                if is_union {
                    size = size.max(offset + fsize);
                } else {
                    // Fixed offsets may come in any order.
                    bit_pos = bit_pos.max(bits_of(offset.saturating_add(fsize)));
                }
                max_align = max_align.max(align);
                fields.push(FieldLayout {
                    offset,
                    bit_offset: None,
                    flexible: flexible_candidate && fsize == 0,
                });
                continue;
            };
            if bits == 0 {
                if f.name.is_some() {
                    return Err(LayoutError::NamedZeroWidth(field_name()));
                }
                // `:0` moves to the next unit of its type, at the type's own
                // alignment even when packed or under `#pragma pack`; on x86
                // it does not raise the record's alignment, on ARM it does.
                if !is_union {
                    bit_pos = bits_of(align_up(bytes_of(bit_pos), natural)).max(bit_pos);
                }
                if rule == BitfieldRule::GccArm {
                    max_align = max_align.max(natural);
                }
                fields.push(FieldLayout {
                    offset: bytes_of(bit_pos),
                    bit_offset: Some(bit_pos as u64),
                    flexible: false,
                });
                continue;
            }
            let unit = align * 8;
            // Bit fields sit in the first 2**64 bits: the bit arithmetic
            // below is in u64.
            let pos = bit_pos as u64;
            let start = if is_union {
                0
            } else if !packed
                && body.pack.is_none()
                && ((pos % unit) + bits).div_ceil(unit) * unit > fsize * 8
            {
                // GCC: a bit field may not span more alignment units of its
                // type than the type itself holds (with natural alignment:
                // it may not cross a unit). Packed structs and any
                // `#pragma pack` turn this rule off.
                align_up(pos, unit)
            } else {
                if !is_union && (packed || body.pack.is_some()) {
                    // Packed: the field's storage unit, aligned at most as
                    // packing allows, would hold bits of the field before
                    // it that do not end on a byte.
                    let unit_start = (pos / 8) & !(align - 1);
                    let occupied = pos - unit_start * 8;
                    if occupied + bits > fsize * 8 && occupied % 8 != 0 {
                        return Err(LayoutError::PackedBitFieldReuse(field_name()));
                    }
                }
                pos
            };
            if is_union {
                // Only the bits count; a named field's alignment then rounds
                // the union's size up.
                size = size.max(bits.div_ceil(8));
            } else {
                bit_pos = u128::from(start + bits);
            }
            if f.name.is_some() || rule == BitfieldRule::GccArm {
                max_align = max_align.max(align);
            }
            let offset = (start / unit) * align;
            fields.push(FieldLayout {
                offset,
                bit_offset: Some(start),
                flexible: false,
            });
        }
        if let Some(a) = body.aligned {
            max_align = max_align.max(a);
        }
        let raw = if is_union { size } else { bytes_of(bit_pos) };
        if let Some((total_size, total_align)) = body.total {
            if total_size < raw {
                return Err(LayoutError::TooSmall {
                    name: rec.name.clone(),
                    size: total_size,
                    needed: raw,
                });
            }
            return Ok(Layout {
                size: total_size,
                align: total_align.max(1),
                fields,
            });
        }
        // A record without fields takes one byte, as in cffi (F-10.22).
        let raw = if body.fields.is_empty() {
            raw.max(1)
        } else {
            raw
        };
        Ok(Layout {
            size: align_up(raw, max_align),
            align: max_align,
            fields,
        })
    }

    /// The named fields of a record, anonymous members flattened; unnamed
    /// bit fields are not listed.
    pub fn flat_fields(&self, id: RecordId) -> Result<Vec<FlatField>, LayoutError> {
        let mut out = Vec::new();
        self.flatten_into(id, 0, &mut out)?;
        Ok(out)
    }

    fn flatten_into(
        &self,
        id: RecordId,
        base: u64,
        out: &mut Vec<FlatField>,
    ) -> Result<(), LayoutError> {
        let layout = self.layout(id)?.clone();
        let rec = self.record(id);
        let union = rec.kind == RecordKind::Union;
        let body = rec.body.as_ref().expect("laid out, so complete");
        for (i, (f, l)) in body.fields.iter().zip(&layout.fields).enumerate() {
            let flags = i64::from(union && i > 0);
            match (&f.name, self.get(f.ty)) {
                (None, Type::Record(inner)) if f.bits.is_none() => {
                    let start = out.len();
                    self.flatten_into(*inner, base + l.offset, out)?;
                    for g in &mut out[start..] {
                        g.flags |= flags;
                    }
                }
                (None, _) => {}
                (Some(name), _) => out.push(FlatField {
                    name: name.to_string(),
                    ty: f.ty,
                    offset: base + l.offset,
                    bit_offset: l.bit_offset.map(|b| b + base * 8),
                    bitshift: match (f.bits, self.size_of(f.ty)) {
                        (Some(bits), Some(size)) if body.foreign_byte_order => {
                            (size * 8) as i64 - bits as i64 - l.bitshift()
                        }
                        _ => l.bitshift(),
                    },
                    bitsize: f.bits.map_or(-1, |b| b as i64),
                    flags,
                }),
            }
        }
        Ok(())
    }

    /// The alignment of the items of a flexible array member.
    fn flexible_item_align(
        &self,
        ty: TypeId,
        visiting: &mut Vec<RecordId>,
    ) -> Result<u64, LayoutError> {
        let Type::Array { item, .. } = self.get(ty) else {
            unreachable!("checked by the caller")
        };
        Ok(self
            .field_size_align(*item, visiting)?
            .map_or(1, |(_, a)| a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Primitive;

    #[test]
    fn an_enum_value_is_named_by_its_first_enumerator() {
        let def = EnumDef {
            name: "enum e".into(),
            values: vec![
                ("A".into(), 0),
                ("B".into(), 1),
                ("C".into(), 1),
                ("D".into(), -5),
            ],
            underlying: Primitive::Int,
            partial: false,
            complete: true,
        };
        assert_eq!(def.name_of(0), Some("A"));
        assert_eq!(def.name_of(1), Some("B"));
        assert_eq!(def.name_of(-5), Some("D"));
        assert_eq!(def.name_of(2), None);
    }

    fn flat(bitshift: i64, bitsize: i64, flags: i64) -> FlatField {
        FlatField {
            name: "f".into(),
            ty: crate::TypeTable::new(crate::Target::X86_64_LINUX).primitive(Primitive::Int),
            offset: 4,
            bit_offset: None,
            bitshift,
            bitsize,
            flags,
        }
    }

    #[test]
    fn flat_field_bit_field_and_union_flag() {
        assert_eq!(flat(-1, -1, 0).bit_field(), None);
        assert_eq!(flat(-2, -1, 0).bit_field(), None);
        assert_eq!(flat(5, 3, 0).bit_field(), Some((5, 3)));
        assert!(!flat(-1, -1, 0).is_later_union_member());
        assert!(flat(-1, -1, 1).is_later_union_member());
    }
}
