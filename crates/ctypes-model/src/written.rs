//! Types as a module builder sees them: qualifiers kept where cffi's
//! model keeps them.
//!
//! At run time `const char *` and `char *` are one type (one [`TypeId`],
//! one ctype). The generator of out-of-line modules must still tell them
//! apart, because the original cffi gives each its own entry in the type
//! table, and a generated module is compared byte for byte with the
//! original's. cffi keeps qualifiers in one place only: a pointer carries
//! the qualifiers of what it points to (`int const *`). Qualifiers on a
//! declaration itself (`const int x;`, `char *const p;`), on array items
//! once the array is named, and on function results are dropped.
//!
//! A [`Written`] is canonical: a type with no qualifier anywhere inside is
//! always [`Written::Plain`], so equal written types compare equal.

use crate::types::{Type, TypeId, TypeTable};
pub use cdef_parse::Quals;

/// A type with the qualifiers a module builder keeps (see the module
/// documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Written {
    /// The run-time type: no qualifier anywhere inside.
    Plain(TypeId),
    /// A pointer to a qualified (or qualifier-holding) type.
    Pointer(Box<Written>, Quals),
    /// An array whose items hold qualifiers.
    Array(Box<Written>, Option<u64>),
    /// An array of length `[...]`: the C compiler gives the length of the
    /// array object the C expression names (`arr`, `*(t *)0`; a field's
    /// is `->name` until its record is known, see
    /// [`Written::with_array_object`]). At run time it is `T[]`.
    CompilerArray(Box<Written>, String),
    /// A function type whose result or parameters hold qualifiers.
    Function(Box<WrittenFunction>),
}

/// The parts of a [`Written::Function`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WrittenFunction {
    /// The parameters, adjusted as C adjusts them.
    pub args: Vec<Written>,
    /// The result.
    pub result: Written,
    /// True for `, ...`.
    pub variadic: bool,
}

/// One level of a [`Written`] type, for walking it.
#[derive(Debug, Clone)]
pub enum Shape {
    /// `void`, a primitive, a struct, union or enum.
    Leaf(TypeId),
    /// A pointer to the first, which is qualified by the second.
    Pointer(Written, Quals),
    /// An array of the item, of the length if known.
    Array(Written, Option<u64>),
    /// An array whose length the C compiler gives: the item, and the C
    /// expression of the array object.
    CompilerArray(Written, String),
    /// A function type.
    Function(WrittenFunction),
}

impl Written {
    /// Calls `f` with every type id inside (its plain parts).
    pub fn for_each_id(&self, f: &mut dyn FnMut(TypeId)) {
        match self {
            Written::Plain(id) => f(*id),
            Written::Pointer(w, _) | Written::Array(w, _) | Written::CompilerArray(w, _) => {
                w.for_each_id(f);
            }
            Written::Function(func) => {
                for a in &func.args {
                    a.for_each_id(f);
                }
                func.result.for_each_id(f);
            }
        }
    }

    /// A pointer to `to`, itself qualified by `quals`; `id` is the
    /// run-time pointer type.
    pub fn pointer(id: TypeId, to: Written, quals: Quals) -> Written {
        match to {
            Written::Plain(_) if quals == Quals::NONE => Written::Plain(id),
            to => Written::Pointer(Box::new(to), quals),
        }
    }

    /// An array of `item`; `id` is the run-time array type.
    pub fn array(id: TypeId, item: Written, len: Option<u64>) -> Written {
        match item {
            Written::Plain(_) => Written::Plain(id),
            item => Written::Array(Box::new(item), len),
        }
    }

    /// A function type; `id` is the run-time function type.
    pub fn function(id: TypeId, f: WrittenFunction) -> Written {
        if matches!(f.result, Written::Plain(_))
            && f.args.iter().all(|a| matches!(a, Written::Plain(_)))
        {
            Written::Plain(id)
        } else {
            Written::Function(Box::new(f))
        }
    }

    /// True if nothing inside is qualified.
    pub fn is_plain(&self) -> bool {
        matches!(self, Written::Plain(_))
    }

    /// The outermost level.
    pub fn shape(&self, types: &TypeTable) -> Shape {
        match self {
            Written::Plain(id) => match types.get(*id) {
                Type::Pointer(item) => Shape::Pointer(Written::Plain(*item), Quals::NONE),
                Type::Array { item, len } => Shape::Array(Written::Plain(*item), *len),
                Type::Function(f) => Shape::Function(WrittenFunction {
                    args: f.args.iter().map(|a| Written::Plain(*a)).collect(),
                    result: Written::Plain(f.result),
                    variadic: f.variadic,
                }),
                Type::Void | Type::Primitive(_) | Type::Record(_) | Type::Enum(_) => {
                    Shape::Leaf(*id)
                }
            },
            Written::Pointer(to, q) => Shape::Pointer((**to).clone(), *q),
            Written::Array(item, len) => Shape::Array((**item).clone(), *len),
            Written::CompilerArray(item, object) => {
                Shape::CompilerArray((**item).clone(), object.clone())
            }
            Written::Function(f) => Shape::Function((**f).clone()),
        }
    }

    /// True if a `[...]` length is anywhere inside.
    pub fn has_compiler_length(&self) -> bool {
        match self {
            Written::Plain(_) => false,
            Written::Pointer(to, _) => to.has_compiler_length(),
            Written::Array(item, _) => item.has_compiler_length(),
            Written::CompilerArray(..) => true,
            Written::Function(f) => {
                f.result.has_compiler_length() || f.args.iter().any(Written::has_compiler_length)
            }
        }
    }

    /// Names the array object of each `[...]` level, from the outside in:
    /// `object` for this one, `object[0]` for its items. A field's object
    /// `->name` becomes `((T *)0)->name` given `record` = `T`.
    #[must_use]
    pub fn with_array_object(&self, object: &str, record: Option<&str>) -> Written {
        if !self.has_compiler_length() {
            return self.clone();
        }
        let object = match (object.strip_prefix("->"), record) {
            (Some(field), Some(r)) => format!("(({r} *)0)->{field}"),
            _ => object.to_owned(),
        };
        match self {
            Written::CompilerArray(item, _) => Written::CompilerArray(
                Box::new(item.with_array_object(&format!("{object}[0]"), None)),
                object,
            ),
            Written::Array(item, len) => Written::Array(
                Box::new(item.with_array_object(&format!("{object}[0]"), None)),
                *len,
            ),
            other => other.clone(),
        }
    }

    /// The name cffi's model (the builder's, not the run time's) prints
    /// for it: `char const *`, `char * __restrict *`, `char const (*)[4]`,
    /// `int(*)(void)` where a ctype prints `int(*)()`.
    pub fn c_name(&self, types: &TypeTable) -> String {
        self.c_name_parts(types).0
    }

    /// A C declaration of `name` with this type: `char const *name`,
    /// `int (*name)[3]`; `name` may itself be a declarator such as
    /// `f(void)`.
    pub fn c_decl(&self, types: &TypeTable, name: &str) -> String {
        with_declarator(self.c_name_parts(types), name)
    }

    /// The name, and where a declarator would go in it (the byte
    /// position [`Written::c_decl`] inserts the declared name at).
    pub fn c_name_parts(&self, types: &TypeTable) -> (String, usize) {
        match self {
            Written::Plain(id) => match self.shape(types) {
                Shape::Leaf(_) => types.c_name_parts(*id),
                Shape::Pointer(to, quals) => {
                    Written::Pointer(Box::new(to), quals).c_name_parts(types)
                }
                Shape::Array(item, len) => Written::Array(Box::new(item), len).c_name_parts(types),
                Shape::CompilerArray(item, object) => {
                    Written::CompilerArray(Box::new(item), object).c_name_parts(types)
                }
                Shape::Function(f) => Written::Function(Box::new(f)).c_name_parts(types),
            },
            Written::Pointer(to, quals) => {
                let (mut text, pos) = to.c_name_parts(types);
                let wrap = matches!(
                    to.shape(types),
                    Shape::Array(..) | Shape::CompilerArray(..) | Shape::Function(_)
                );
                let mut insert = if wrap { "(*)" } else { " *" }.to_owned();
                // cffi puts each qualifier in front, `const` first.
                for (q, word) in [
                    (Quals::CONST, "const"),
                    (Quals::VOLATILE, "volatile"),
                    (Quals::RESTRICT, "__restrict"),
                ] {
                    if quals.contains(q) {
                        insert = format!(" {word} {}", insert.trim_start());
                    }
                }
                let star = insert.find('*').map_or(insert.len(), |i| i + 1);
                text.insert_str(pos, &insert);
                (text, pos + star)
            }
            Written::Array(item, len) => {
                let (mut text, pos) = item.c_name_parts(types);
                let brackets = len.map_or_else(|| "[]".to_owned(), |n| format!("[{n}]"));
                text.insert_str(pos, &brackets);
                (text, pos)
            }
            Written::CompilerArray(item, object) => {
                let (mut text, pos) = item.c_name_parts(types);
                text.insert_str(pos, &format!("[_cffi_array_len({object})]"));
                (text, pos)
            }
            Written::Function(f) => {
                let (mut text, pos) = f.result.c_name_parts(types);
                let mut args: Vec<String> = f.args.iter().map(|a| a.c_name(types)).collect();
                if f.variadic {
                    args.push("...".to_owned());
                }
                if args.is_empty() {
                    args.push("void".to_owned());
                }
                text.insert_str(pos, &format!("({})", args.join(", ")));
                (text, pos)
            }
        }
    }
}

/// Puts the declarator `name` where [`Written::c_name_parts`] says it goes
/// (`int (*)[3]` and `p` make `int (*p)[3]`), with a space after a word.
pub fn with_declarator((mut text, pos): (String, usize), name: &str) -> String {
    let needs_space = text[..pos]
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    if needs_space {
        text.insert(pos, ' ');
        text.insert_str(pos + 1, name);
    } else {
        text.insert_str(pos, name);
    }
    text
}

#[cfg(test)]
mod tests {
    use crate::{Declarations, Space, Target, TypeTable};

    fn function(src: &str, name: &str) -> String {
        let mut types = TypeTable::new(Target::X86_64_LINUX);
        let mut decls = Declarations::new();
        decls.cdef(&mut types, src, &Default::default()).unwrap();
        let f = decls.function_type(&types, name).unwrap();
        decls.written(Space::Function, name, f).c_name(&types)
    }

    #[test]
    fn pointers_keep_the_qualifiers_of_what_they_point_to() {
        assert_eq!(
            function(
                "void f(const char *a, char *const b, const volatile char *c, \
                 char *restrict *d, const char s[], const char (*e)[4]);",
                "f"
            ),
            "void(char const *, char *, char volatile const *, char * __restrict *, \
             char const *, char const (*)[4])"
        );
    }

    #[test]
    fn typedefs_pass_their_qualifiers_on_and_results_drop_them() {
        let src = "typedef const int cint; typedef char *cp; \
                   const int g(cint *a, const cp *b, int (*c)(void));";
        assert_eq!(
            function(src, "g"),
            "int(int const *, char * const *, int(*)(void))"
        );
    }

    #[test]
    fn unqualified_types_stay_plain() {
        let mut types = TypeTable::new(Target::X86_64_LINUX);
        let mut decls = Declarations::new();
        decls
            .cdef(
                &mut types,
                "int h(char *, int (*)(int));",
                &Default::default(),
            )
            .unwrap();
        let f = decls.function_type(&types, "h").unwrap();
        assert!(decls.written(Space::Function, "h", f).is_plain());
    }
}
