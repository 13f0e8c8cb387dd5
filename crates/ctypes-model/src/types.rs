//! Interned types: a [`TypeId`] per distinct type, sizes, alignments and
//! the canonical C names cffi prints.

use crate::record::{EnumDef, EnumId, RecordBodyDef, RecordDef, RecordId, RecordKind};
use crate::{Primitive, Target};
use rustc_hash::FxHashMap;

mod collect;

/// The identity of an interned type. Two ids from the same [`TypeTable`]
/// are equal exactly when the types are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(u32);

impl TypeId {
    /// The index of this type in its table (dense, from 0).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A calling convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CallConv {
    /// The platform's default C convention.
    #[default]
    Default,
}

/// A C function type: what a function pointer points to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FunctionType {
    /// Parameter types, already adjusted (arrays and functions decay to
    /// pointers, qualifiers dropped).
    pub args: Vec<TypeId>,
    /// The result type.
    pub result: TypeId,
    /// True if the function takes `...` after its fixed parameters.
    pub variadic: bool,
    /// The calling convention.
    pub abi: CallConv,
}

/// A C type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// `void`
    Void,
    /// A primitive type.
    Primitive(Primitive),
    /// A pointer to the given type. A pointer to a [`Type::Function`] is
    /// what cffi calls a "function" ctype.
    Pointer(TypeId),
    /// An array; `len` is `None` for `T[]`.
    Array {
        /// The item type.
        item: TypeId,
        /// The number of items, if known.
        len: Option<u64>,
    },
    /// A function type (not a pointer to one).
    Function(FunctionType),
    /// A struct or union (nominal: see [`TypeTable::new_record`]).
    Record(RecordId),
    /// An enum (nominal).
    Enum(EnumId),
}

/// The store of interned types for one target.
///
/// Interning makes type identity cheap and lets callers keep per-type data
/// (such as a libffi call interface) in a side table indexed by
/// [`TypeId::index`].
#[derive(Debug)]
pub struct TypeTable {
    target: Target,
    types: Vec<Type>,
    /// Type → id. Fx hashing: the keys are small and trusted, and
    /// interning is on every declaration's path.
    index: FxHashMap<Type, TypeId>,
    records: Vec<RecordDef>,
    /// For each record, the records whose body holds it by value (directly
    /// or in an array): their layouts depend on its own. Entries of
    /// replaced bodies may stay: they only cost a needless re-layout.
    containers: Vec<Vec<RecordId>>,
    enums: Vec<EnumDef>,
    /// The predeclared `FILE`, once made.
    file: Option<TypeId>,
    /// Slots freed by [`TypeTable::collect`], reused before the vectors
    /// grow (see `collect.rs`).
    free: collect::FreeSlots,
}

impl TypeTable {
    /// An empty table for `target`.
    pub fn new(target: Target) -> TypeTable {
        TypeTable {
            target,
            types: Vec::new(),
            index: FxHashMap::default(),
            records: Vec::new(),
            containers: Vec::new(),
            enums: Vec::new(),
            file: None,
            free: collect::FreeSlots::default(),
        }
    }

    /// The predeclared `FILE`: C's `struct _IO_FILE`, opaque, shown as
    /// `FILE` (F-01.88); one per table, so every declaration set sharing
    /// the table sees the same type.
    pub fn file_record(&mut self) -> TypeId {
        if let Some(id) = self.file {
            return id;
        }
        let id = self.new_record(RecordKind::Struct, "FILE".to_owned());
        self.file = Some(id);
        id
    }

    /// The target this table lays types out for.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The id of `ty`, adding it if it is new.
    pub fn intern(&mut self, ty: Type) -> TypeId {
        if let Some(&id) = self.index.get(&ty) {
            return id;
        }
        // A freed slot is reused unless the new type refers to a freed
        // slot itself (only a stale id can; reusing the slot could make
        // the type refer to itself).
        let reuse = !self.free.types.is_empty() && !self.refers_to_free(&ty);
        let id = match if reuse { self.free.types.pop() } else { None } {
            Some(slot) => {
                self.free.is_free[slot as usize] = false;
                self.types[slot as usize] = ty.clone();
                TypeId(slot)
            }
            None => {
                let id = TypeId(u32::try_from(self.types.len()).expect("fewer than 2**32 types"));
                self.types.push(ty.clone());
                self.free.is_free.push(false);
                id
            }
        };
        self.index.insert(ty, id);
        id
    }

    /// The type an id stands for.
    ///
    /// # Panics
    /// If `id` comes from another table.
    pub fn get(&self, id: TypeId) -> &Type {
        &self.types[id.index()]
    }

    /// The number of interned types alive (not freed by
    /// [`TypeTable::collect`]).
    pub fn len(&self) -> usize {
        self.types.len() - self.free.types.len()
    }

    /// True if no type is alive.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `void`
    pub fn void(&mut self) -> TypeId {
        self.intern(Type::Void)
    }

    /// A primitive type.
    pub fn primitive(&mut self, p: Primitive) -> TypeId {
        self.intern(Type::Primitive(p))
    }

    /// A pointer to `item`.
    pub fn pointer(&mut self, item: TypeId) -> TypeId {
        self.intern(Type::Pointer(item))
    }

    /// A new struct or union type, opaque until [`TypeTable::complete_record`].
    pub fn new_record(&mut self, kind: RecordKind, name: String) -> TypeId {
        let def = RecordDef {
            kind,
            name,
            body: None,
            layout: std::sync::OnceLock::new(),
        };
        let id = match self.free.records.pop() {
            Some(slot) => {
                self.records[slot as usize] = def;
                RecordId(slot)
            }
            None => {
                let id =
                    RecordId(u32::try_from(self.records.len()).expect("fewer than 2**32 records"));
                self.records.push(def);
                self.containers.push(Vec::new());
                id
            }
        };
        self.intern(Type::Record(id))
    }

    /// Gives a record its fields (or replaces them); its layout is
    /// computed on first use.
    pub fn complete_record(&mut self, id: RecordId, body: RecordBodyDef) {
        for f in &body.fields {
            if let Some(inner) = self.record_by_value(f.ty) {
                let list = &mut self.containers[inner.0 as usize];
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        self.records[id.0 as usize].body = Some(body);
        // This record and every record holding it by value, at any depth,
        // must be laid out again (only those: the table is shared by every
        // FFI of the process, so a sweep of all records would make each
        // declaration cost more than the one before).
        let mut stack = vec![id];
        let mut seen = std::collections::HashSet::new();
        while let Some(r) = stack.pop() {
            if !seen.insert(r) {
                continue;
            }
            self.records[r.0 as usize].layout = std::sync::OnceLock::new();
            stack.extend(self.containers[r.0 as usize].iter().copied());
        }
    }

    /// The record a value of type `ty` holds inline: itself, or the item of
    /// an array (of arrays...) of it.
    fn record_by_value(&self, ty: TypeId) -> Option<RecordId> {
        match self.get(ty) {
            Type::Record(r) => Some(*r),
            Type::Array { item, .. } => self.record_by_value(*item),
            _ => None,
        }
    }

    /// Renames a record (an anonymous struct named by its typedef).
    pub fn rename_record(&mut self, id: RecordId, name: String) {
        self.records[id.0 as usize].name = name;
    }

    /// The definition of a record.
    pub fn record(&self, id: RecordId) -> &RecordDef {
        &self.records[id.0 as usize]
    }

    /// A new enum type.
    pub fn new_enum(&mut self, def: EnumDef) -> TypeId {
        let id = match self.free.enums.pop() {
            Some(slot) => {
                self.enums[slot as usize] = def;
                EnumId(slot)
            }
            None => {
                let id = EnumId(u32::try_from(self.enums.len()).expect("fewer than 2**32 enums"));
                self.enums.push(def);
                id
            }
        };
        self.intern(Type::Enum(id))
    }

    /// The definition of an enum.
    pub fn enum_def(&self, id: EnumId) -> &EnumDef {
        &self.enums[id.0 as usize]
    }

    /// Replaces an enum's definition (completing an opaque one, renaming).
    pub fn set_enum(&mut self, id: EnumId, def: EnumDef) {
        self.enums[id.0 as usize] = def;
    }

    /// Size in bytes; `None` for types without a size (`void`, functions,
    /// arrays of unknown length, opaque records) or whose size overflows.
    pub fn size_of(&self, id: TypeId) -> Option<u64> {
        match self.get(id) {
            Type::Void | Type::Function(_) => None,
            Type::Primitive(p) => Some(u64::from(p.size(&self.target))),
            Type::Pointer(_) => Some(u64::from(self.target.pointer_size)),
            Type::Array { item, len } => self.size_of(*item)?.checked_mul((*len)?),
            Type::Record(r) => self.layout(*r).ok().map(|l| l.size),
            Type::Enum(e) => Some(u64::from(self.enum_def(*e).underlying.size(&self.target))),
        }
    }

    /// Alignment in bytes; `None` where there is no size to align.
    pub fn align_of(&self, id: TypeId) -> Option<u64> {
        match self.get(id) {
            Type::Void | Type::Function(_) => None,
            Type::Primitive(p) => Some(u64::from(p.align(&self.target))),
            Type::Pointer(_) => Some(u64::from(self.target.pointer_size)),
            Type::Array { item, .. } => self.align_of(*item),
            Type::Record(r) => self.layout(*r).ok().map(|l| l.align),
            Type::Enum(e) => Some(u64::from(self.enum_def(*e).underlying.align(&self.target))),
        }
    }

    /// The canonical C name of a type, exactly as cffi prints it
    /// (`"int"`, `"char * *"`, `"int(*)[3]"`, `"int(*)(long, ...)"`).
    pub fn c_name(&self, id: TypeId) -> String {
        self.c_name_parts(id).0
    }

    /// A C declaration of `name` with this type, as a C compiler reads it:
    /// `int abs(int)` for a function type, `int(*fp)(long)` for a function
    /// pointer, `char *names[3]` for an array of pointers.
    pub fn c_decl(&self, id: TypeId, name: &str) -> String {
        let (mut text, pos) = self.c_name_parts(id);
        let needs_space = text[..pos]
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let name = if needs_space {
            format!(" {name}")
        } else {
            name.to_owned()
        };
        text.insert_str(pos, &name);
        text
    }

    /// The C name with the place where a declarator name would go: pointer
    /// and array derivations insert themselves there (C's inside-out
    /// declarator syntax).
    pub fn c_name_parts(&self, id: TypeId) -> (String, usize) {
        match self.get(id) {
            Type::Void => ("void".to_owned(), 4),
            Type::Record(r) => {
                let name = self.record(*r).name.clone();
                let len = name.len();
                (name, len)
            }
            Type::Enum(e) => {
                let name = self.enum_def(*e).name.clone();
                let len = name.len();
                (name, len)
            }
            Type::Primitive(p) => (p.name().to_owned(), p.name().len()),
            Type::Pointer(item) => {
                let (mut text, pos) = self.c_name_parts(*item);
                let wrap = matches!(self.get(*item), Type::Array { .. } | Type::Function(_));
                let insert = if wrap { "(*)" } else { " *" };
                text.insert_str(pos, insert);
                (text, pos + 2)
            }
            Type::Array { item, len } => {
                let (mut text, pos) = self.c_name_parts(*item);
                let brackets = len.map_or_else(|| "[]".to_owned(), |n| format!("[{n}]"));
                text.insert_str(pos, &brackets);
                (text, pos)
            }
            Type::Function(f) => {
                let (mut text, pos) = self.c_name_parts(f.result);
                let mut args: Vec<String> = f.args.iter().map(|&a| self.c_name(a)).collect();
                if f.variadic {
                    args.push("...".to_owned());
                }
                text.insert_str(pos, &format!("({})", args.join(", ")));
                (text, pos)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_gives_equal_ids_for_equal_types() {
        let mut t = TypeTable::new(Target::X86_64_LINUX);
        let int = t.primitive(Primitive::Int);
        let p1 = t.pointer(int);
        let p2 = t.pointer(int);
        assert_eq!(p1, p2);
        assert_ne!(p1, int);
        let long = t.primitive(Primitive::Long);
        assert_ne!(t.pointer(long), p1);
    }

    #[test]
    fn canonical_names_compose_like_cffi() {
        // F-02.24..F-02.27: the spellings cffi prints.
        let mut t = TypeTable::new(Target::X86_64_LINUX);
        let int = t.primitive(Primitive::Int);
        let long = t.primitive(Primitive::Long);
        let char_ = t.primitive(Primitive::Char);
        let char_p = t.pointer(char_);
        let char_pp = t.pointer(char_p);
        assert_eq!(t.c_name(char_pp), "char * *");
        let arr3 = t.intern(Type::Array {
            item: int,
            len: Some(3),
        });
        let p_arr3 = t.pointer(arr3);
        assert_eq!(t.c_name(p_arr3), "int(*)[3]");
        let int_p = t.pointer(int);
        let arr_of_ptr = t.intern(Type::Array {
            item: int_p,
            len: Some(3),
        });
        assert_eq!(t.c_name(arr_of_ptr), "int *[3]");
        let open = t.intern(Type::Array {
            item: int,
            len: None,
        });
        let p_open = t.pointer(open);
        assert_eq!(t.c_name(p_open), "int(*)[]");
        let f = t.intern(Type::Function(FunctionType {
            args: vec![long],
            result: int,
            variadic: false,
            abi: CallConv::Default,
        }));
        let fp = t.pointer(f);
        assert_eq!(t.c_name(fp), "int(*)(long)");
        let fpp = t.pointer(fp);
        assert_eq!(t.c_name(fpp), "int(* *)(long)");
        let arr_fp = t.intern(Type::Array {
            item: fp,
            len: Some(5),
        });
        assert_eq!(t.c_name(arr_fp), "int(*[5])(long)");
        let g = t.intern(Type::Function(FunctionType {
            args: vec![int],
            result: fp,
            variadic: false,
            abi: CallConv::Default,
        }));
        let gp = t.pointer(g);
        assert_eq!(t.c_name(gp), "int(*(*)(int))(long)");
        let v = t.intern(Type::Function(FunctionType {
            args: vec![char_p],
            result: char_p,
            variadic: true,
            abi: CallConv::Default,
        }));
        let vp = t.pointer(v);
        assert_eq!(t.c_name(vp), "char *(*)(char *, ...)");
        let none = t.intern(Type::Function(FunctionType {
            args: vec![],
            result: int,
            variadic: false,
            abi: CallConv::Default,
        }));
        let nonep = t.pointer(none);
        assert_eq!(t.c_name(nonep), "int(*)()");
    }

    #[test]
    fn declarations_put_the_name_inside() {
        let mut t = TypeTable::new(Target::X86_64_LINUX);
        let int = t.primitive(Primitive::Int);
        let f = t.intern(Type::Function(FunctionType {
            args: vec![int],
            result: int,
            variadic: false,
            abi: CallConv::Default,
        }));
        assert_eq!(t.c_decl(f, "abs"), "int abs(int)");
        let fp = t.pointer(f);
        assert_eq!(t.c_decl(fp, "fp"), "int(*fp)(int)");
        let ip = t.pointer(int);
        let arr = t.intern(Type::Array {
            item: ip,
            len: Some(3),
        });
        assert_eq!(t.c_decl(arr, "names"), "int *names[3]");
    }

    #[test]
    fn sizes_and_alignments() {
        let mut t = TypeTable::new(Target::I686_LINUX);
        let ll = t.primitive(Primitive::LongLong);
        let arr = t.intern(Type::Array {
            item: ll,
            len: Some(4),
        });
        assert_eq!(t.size_of(arr), Some(32));
        assert_eq!(t.align_of(arr), Some(4));
        let p = t.pointer(arr);
        assert_eq!(t.size_of(p), Some(4));
        let v = t.void();
        assert_eq!(t.size_of(v), None);
        let huge = t.intern(Type::Array {
            item: arr,
            len: Some(u64::MAX),
        });
        assert_eq!(t.size_of(huge), None);
    }
}
