//! The tables an out-of-line module hands `_cffi_backend.FFI(...)`
//! (docs/protocol.md §9.2), parsed into owned data. Nothing here trusts
//! the bytes: every length, index and name is checked, and a bad table is
//! a [`DecodeError`], never a panic.

use crate::op::Word;
use std::fmt;

/// Flags of a struct/union entry (§4.2).
pub mod flags {
    /// A union.
    pub const UNION: u32 = 0x01;
    /// The cdef listed every field (positions may be checked).
    pub const CHECK_FIELDS: u32 = 0x02;
    /// `packed=True`.
    pub const PACKED: u32 = 0x04;
    /// Defined in an included module.
    pub const EXTERNAL: u32 = 0x08;
    /// No fields known.
    pub const OPAQUE: u32 = 0x10;
}

/// Where a name is in [`Tables`]' text (read it with [`Tables::name`]):
/// the tables keep every name in one string, so that reading a module of
/// thousands of names makes a handful of allocations, not thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Name {
    start: u32,
    len: u32,
}

/// A name and what the module says of it: functions, variables,
/// constants, enumerators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Global {
    /// The name.
    pub name: Name,
    /// What it is (a globals op) and the slot of its type.
    pub word: Word,
    /// The value of an integer constant or enumerator (0 otherwise).
    pub value: i128,
    /// An API module's compiler found another value than the cdef's
    /// (`value` is the compiler's): using the name is an error.
    pub disagrees: bool,
}

/// One field of a struct or union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Empty for an anonymous member.
    pub name: Name,
    /// `NOOP(slot)` or `BITFIELD(slot)`.
    pub word: Word,
    /// The width of a bit field.
    pub bits: Option<i32>,
    /// API modules: the offset and size the C compiler gives (`None`:
    /// computed by the layout, as out-of-line modules always are).
    pub given: Option<(u64, Option<u64>)>,
}

/// A struct or union entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructUnion {
    /// The stored name (`foo`, `$foo`, `$1`; §4.2).
    pub name: Name,
    /// Its primary slot in `types`.
    pub slot: i32,
    /// The bits of [`flags`].
    pub flags: u32,
    /// Its fields, in order, in [`Tables::fields`] (none when opaque or
    /// external).
    pub fields: std::ops::Range<usize>,
    /// What the tables say of its size and alignment (§4.2).
    pub size: RecordSize,
}

/// A struct entry's size and alignment (§4.2): out-of-line modules always
/// say "lay it out now"; API modules give the compiler's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordSize {
    /// Laid out from the fields when realized (size −2).
    #[default]
    Compute,
    /// The compiler's size, and alignment if known (−1: computed).
    Given {
        /// `sizeof`.
        size: u64,
        /// The alignment, `None` when the table says −1.
        align: Option<u64>,
    },
    /// Unknown (−1: opaque or external).
    Unknown,
}

impl RecordSize {
    /// From the C table's `size` and `alignment` words.
    pub fn from_raw(size: u64, align: i32) -> RecordSize {
        match size as i64 {
            -2 => RecordSize::Compute,
            -1 => RecordSize::Unknown,
            _ => RecordSize::Given {
                size,
                align: u64::try_from(align).ok(),
            },
        }
    }
}

/// An enum entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumEntry {
    /// The stored name (§4.2 naming).
    pub name: Name,
    /// Its primary slot in `types`.
    pub slot: i32,
    /// The primitive number of the base integer type.
    pub prim: i32,
    /// The enumerator names, comma-separated, in order (their values are
    /// globals); see [`Tables::enumerators`].
    pub enumerators: Name,
}

/// A typedef name and the slot of its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typename {
    /// The typedef name.
    pub name: Name,
    /// The slot of the type it names.
    pub slot: i32,
}

/// Every table of one module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tables {
    /// The type words (an `ARRAY` word is followed by its raw length).
    pub types: Vec<Word>,
    /// Names of functions, variables and constants.
    pub globals: Vec<Global>,
    /// Structs and unions.
    pub struct_unions: Vec<StructUnion>,
    /// The fields of every struct and union, one after the other.
    pub fields: Vec<Field>,
    /// Enums.
    pub enums: Vec<EnumEntry>,
    /// Typedef names.
    pub typenames: Vec<Typename>,
    /// Every name, one after the other.
    text: String,
}

/// What is wrong with a module's tables, or with realizing them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A table's bytes or shape are malformed: what, and where.
    Malformed(String),
    /// The module asks for what cffi reports as `ffi.error`.
    Ffi(String),
    /// What cffi reports as `NotImplementedError`.
    NotImplemented(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Malformed(what) => write!(f, "malformed type tables: {what}"),
            DecodeError::Ffi(msg) | DecodeError::NotImplemented(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for DecodeError {}

fn malformed(what: impl Into<String>) -> DecodeError {
    DecodeError::Malformed(what.into())
}

/// A 4-byte big-endian signed integer at `at` of `b`.
fn int_at(b: &[u8], at: usize, what: &str) -> Result<i32, DecodeError> {
    Word::from_bytes(b.get(at..).unwrap_or_default())
        .map(|w| w.0)
        .ok_or_else(|| malformed(format!("{what}: {} bytes, too short", b.len())))
}

impl Tables {
    /// Parses the constructor's keywords: `types` as bytes, `globals` as
    /// (bytes, int) pairs, each struct/union as its list of bytes items,
    /// `enums` and `typenames` as bytes.
    pub fn parse(
        types: &[u8],
        globals: &[(&[u8], i128)],
        struct_unions: &[Vec<&[u8]>],
        enums: &[&[u8]],
        typenames: &[&[u8]],
    ) -> Result<Tables, DecodeError> {
        let mut t = Tables::with_types(types)?;
        t.globals.reserve(globals.len());
        for (b, value) in globals {
            t.add_global(b, *value)?;
        }
        t.struct_unions.reserve(struct_unions.len());
        for items in struct_unions {
            t.add_struct(items)?;
        }
        for b in enums {
            t.add_enum(b)?;
        }
        for b in typenames {
            t.add_typename(b)?;
        }
        Ok(t)
    }

    /// Tables with these type words and no entries yet; the `add_*`
    /// methods read the entries one by one, so that a caller holding them
    /// in another form (Python tuples) needs no copy of its own.
    pub fn with_types(types: &[u8]) -> Result<Tables, DecodeError> {
        if types.len() % 4 != 0 {
            return Err(malformed(format!(
                "_types has {} bytes, not a multiple of 4",
                types.len()
            )));
        }
        Ok(Tables {
            types: types.chunks_exact(4).filter_map(Word::from_bytes).collect(),
            ..Tables::default()
        })
    }

    /// One `_globals` entry: its bytes (word, name) and its value.
    pub fn add_global(&mut self, b: &[u8], value: i128) -> Result<(), DecodeError> {
        let word = Word(int_at(b, 0, "_globals")?);
        let name = self.add_name(&b[4..], "_globals")?;
        self.globals.push(Global {
            name,
            word,
            value,
            disagrees: false,
        });
        Ok(())
    }

    /// One global of an API module's C table (§4.1): its name, its word,
    /// and for an integer constant the value its getter gave and whether
    /// the compiler disagreed with the cdef.
    pub fn push_global(
        &mut self,
        name: &[u8],
        word: Word,
        value: i128,
        disagrees: bool,
    ) -> Result<(), DecodeError> {
        let name = self.add_name(name, "globals")?;
        self.globals.push(Global {
            name,
            word,
            value,
            disagrees,
        });
        Ok(())
    }

    /// One struct or union of an API module's C table (§4.2), with its
    /// fields (name, word, offset, size; `(u64)-1` for unknown) when it
    /// has some.
    pub fn push_struct<'n>(
        &mut self,
        name: &[u8],
        slot: i32,
        flags: u32,
        size: RecordSize,
        fields: impl IntoIterator<Item = (&'n [u8], Word, u64, u64)>,
    ) -> Result<(), DecodeError> {
        let name = self.add_name(name, "struct_unions")?;
        let first = self.fields.len();
        for (fname, word, offset, fsize) in fields {
            let fname = self.add_name(fname, "fields")?;
            let bitfield = word.op() == Some(crate::op::Op::Bitfield);
            let bits = if bitfield {
                Some(i32::try_from(fsize).map_err(|_| malformed("a bit field's width"))?)
            } else {
                None
            };
            let given = (offset as i64 != -1)
                .then(|| (offset, (!bitfield && fsize as i64 != -1).then_some(fsize)));
            self.fields.push(Field {
                name: fname,
                word,
                bits,
                given,
            });
        }
        self.struct_unions.push(StructUnion {
            name,
            slot,
            flags,
            fields: first..self.fields.len(),
            size,
        });
        Ok(())
    }

    /// One enum of an API module's C table (§4.4).
    pub fn push_enum(
        &mut self,
        name: &[u8],
        slot: i32,
        prim: i32,
        enumerators: &[u8],
    ) -> Result<(), DecodeError> {
        let entry = EnumEntry {
            slot,
            prim,
            name: self.add_name(name, "enums")?,
            enumerators: self.add_name(enumerators, "enums")?,
        };
        self.enums.push(entry);
        Ok(())
    }

    /// One typedef name of an API module's C table (§4.5).
    pub fn push_typename(&mut self, name: &[u8], slot: i32) -> Result<(), DecodeError> {
        let name = self.add_name(name, "typenames")?;
        self.typenames.push(Typename { name, slot });
        Ok(())
    }

    /// The type words of an API module's C table, copied, with room for
    /// `globals` globals and `text` bytes of names.
    pub fn from_words(words: Vec<Word>, globals: usize, text: usize) -> Tables {
        Tables {
            types: words,
            globals: Vec::with_capacity(globals),
            text: String::with_capacity(text),
            ..Tables::default()
        }
    }

    /// One `_enums` entry.
    pub fn add_enum(&mut self, b: &[u8]) -> Result<(), DecodeError> {
        let rest = b
            .get(8..)
            .ok_or_else(|| malformed("_enums: an entry is too short"))?;
        let (name, list) = match rest.iter().position(|&c| c == 0) {
            Some(nul) => (&rest[..nul], &rest[nul + 1..]),
            None => (rest, &[][..]),
        };
        let entry = EnumEntry {
            slot: int_at(b, 0, "_enums")?,
            prim: int_at(b, 4, "_enums")?,
            name: self.add_name(name, "_enums")?,
            enumerators: self.add_name(list, "_enums")?,
        };
        self.enums.push(entry);
        Ok(())
    }

    /// One `_typenames` entry.
    pub fn add_typename(&mut self, b: &[u8]) -> Result<(), DecodeError> {
        let slot = int_at(b, 0, "_typenames")?;
        let name = self.add_name(&b[4..], "_typenames")?;
        self.typenames.push(Typename { name, slot });
        Ok(())
    }

    /// The text of a name.
    pub fn name(&self, n: Name) -> &str {
        let start = n.start as usize;
        self.text
            .get(start..start + n.len as usize)
            .unwrap_or_default()
    }

    /// The fields of a struct or union entry.
    pub fn fields_of(&self, s: &StructUnion) -> &[Field] {
        self.fields.get(s.fields.clone()).unwrap_or_default()
    }

    /// The enumerator names of an enum entry.
    pub fn enumerators(&self, e: &EnumEntry) -> impl Iterator<Item = &str> {
        let list = self.name(e.enumerators);
        list.split(',').filter(move |_| !list.is_empty())
    }

    /// The global named `name` (globals are sorted by name; the search
    /// does not rely on it).
    pub fn global(&self, name: &str) -> Option<&Global> {
        self.globals.iter().find(|g| self.name(g.name) == name)
    }

    fn add_name(&mut self, b: &[u8], what: &str) -> Result<Name, DecodeError> {
        let s = std::str::from_utf8(b)
            .map_err(|_| malformed(format!("{what}: a name is not UTF-8")))?;
        let start = u32::try_from(self.text.len())
            .ok()
            .filter(|&n| u32::try_from(b.len()).is_ok_and(|l| n.checked_add(l).is_some()))
            .ok_or_else(|| malformed(format!("{what}: the names exceed 4 GiB")))?;
        self.text.push_str(s);
        Ok(Name {
            start,
            len: b.len() as u32,
        })
    }

    /// One `_struct_unions` entry: its head, then one item per field.
    pub fn add_struct(&mut self, items: &[&[u8]]) -> Result<(), DecodeError> {
        let Some(head) = items.first() else {
            return Err(malformed("_struct_unions: an empty entry"));
        };
        let slot = int_at(head, 0, "_struct_unions")?;
        let flags = int_at(head, 4, "_struct_unions")? as u32;
        let name = self.add_name(head.get(8..).unwrap_or_default(), "_struct_unions")?;
        let first = self.fields.len();
        for b in &items[1..] {
            let word = Word(int_at(b, 0, "a field")?);
            let (bits, name_at) = if word.op() == Some(crate::op::Op::Bitfield) {
                (Some(int_at(b, 4, "a bit field")?), 8)
            } else {
                (None, 4)
            };
            let name = self.add_name(&b[name_at..], "a field")?;
            self.fields.push(Field {
                name,
                word,
                bits,
                given: None,
            });
        }
        self.struct_unions.push(StructUnion {
            name,
            slot,
            flags,
            fields: first..self.fields.len(),
            size: RecordSize::Compute,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::op::Op;

    #[test]
    fn the_worked_example_parses() {
        let t = Tables::parse(
            b"\x00\x00\x0F\x0D\x00\x00\x13\x03",
            &[(b"\xFF\xFF\xFF\x1FANSWER", 42), (b"\x00\x00\x03\x23add", 0)],
            &[vec![
                b"\x00\x00\x00\x13\x00\x00\x00\x02$point_t",
                b"\x00\x00\x04\x11x",
                b"\x00\x00\x17\x13\x00\x00\x00\x03y",
            ]],
            &[b"\x00\x00\x00\x10\x00\x00\x00\x16color\x00RED,GREEN,BLUE"],
            &[b"\x00\x00\x00\x12cb_t"],
        )
        .unwrap();
        assert_eq!(t.types[1].op(), Some(Op::Pointer));
        assert_eq!(t.global("ANSWER").map(|g| g.value), Some(42));
        let s = &t.struct_unions[0];
        assert_eq!(
            (t.name(s.name), s.slot, s.flags),
            ("$point_t", 19, flags::CHECK_FIELDS)
        );
        assert_eq!(t.fields_of(s)[1].bits, Some(3));
        assert_eq!(t.name(t.fields_of(s)[1].name), "y");
        assert_eq!(
            t.enumerators(&t.enums[0]).collect::<Vec<_>>(),
            ["RED", "GREEN", "BLUE"]
        );
        assert_eq!(
            (t.name(t.typenames[0].name), t.typenames[0].slot),
            ("cb_t", 18)
        );
    }

    #[test]
    fn short_or_odd_bytes_are_errors() {
        assert!(Tables::parse(b"\x00\x00\x01", &[], &[], &[], &[]).is_err());
        assert!(Tables::parse(b"", &[(b"\x00\x00", 0)], &[], &[], &[]).is_err());
        assert!(Tables::parse(b"", &[], &[vec![]], &[], &[]).is_err());
        assert!(Tables::parse(b"", &[], &[vec![b"\x00\x00\x00\x13"]], &[], &[]).is_err());
        assert!(Tables::parse(b"", &[], &[], &[b"\x00\x00\x00"], &[]).is_err());
        assert!(Tables::parse(b"", &[], &[], &[], &[b"\xFF"]).is_err());
    }
}
