//! Declarations made from outside a cdef text: from the tables of a module
//! the original cffi (or we) generated, whose types are already built.
//! Each method declares one name; a name declared twice differently is a
//! duplicate, as in a cdef.

use super::IndexMap;
use super::{Declarations, TagKind};
use crate::error::{ModelError, ModelErrorKind};
use crate::TypeId;
use cdef_parse::SmolStr;

/// The namespace of a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// `struct NAME`.
    Struct,
    /// `union NAME`.
    Union,
    /// `enum NAME`.
    Enum,
}

fn insert<V: PartialEq + Copy>(
    map: &mut IndexMap<SmolStr, V>,
    kind: &'static str,
    name: &str,
    value: V,
) -> Result<(), ModelError> {
    match map.get(name) {
        Some(old) if *old != value => Err(ModelError {
            kind: ModelErrorKind::Duplicate {
                kind,
                name: name.to_owned(),
            },
            span: None,
        }),
        _ => {
            map.insert(SmolStr::new(name), value);
            Ok(())
        }
    }
}

impl Declarations {
    /// `typedef ... name;` for the type `id`.
    pub fn add_typedef(&mut self, name: &str, id: TypeId) -> Result<(), ModelError> {
        insert(&mut self.typedefs, "typedef", name, id)
    }

    /// The tag `name` (without `struct `/`union `/`enum `) for `id`.
    pub fn add_tag(&mut self, tag: Tag, name: &str, id: TypeId) -> Result<(), ModelError> {
        let kind = match tag {
            Tag::Struct => TagKind::Struct,
            Tag::Union => TagKind::Union,
            Tag::Enum => TagKind::Enum,
        };
        match self.tags.get(&(kind, SmolStr::new(name))) {
            Some(&old) if old != id => Err(ModelError {
                kind: ModelErrorKind::Duplicate {
                    kind: "type",
                    name: name.to_owned(),
                },
                span: None,
            }),
            _ => {
                self.tags.insert((kind, SmolStr::new(name)), id);
                Ok(())
            }
        }
    }

    /// A function; `ptr` is the pointer to its function type.
    pub fn add_function(&mut self, name: &str, ptr: TypeId) -> Result<(), ModelError> {
        insert(&mut self.functions, "function", name, ptr)
    }

    /// A global variable of type `id`.
    pub fn add_variable(&mut self, name: &str, id: TypeId) -> Result<(), ModelError> {
        insert(&mut self.variables, "variable", name, id)
    }

    /// An integer constant (a `#define`, an enumerator).
    pub fn add_int_constant(&mut self, name: &str, value: i128) -> Result<(), ModelError> {
        insert(&mut self.constants, "constant", name, value)
    }

    /// A constant of type `id` whose value the library (or the compiler)
    /// holds: `static const T name;`.
    pub fn add_compiler_constant(&mut self, name: &str, id: TypeId) -> Result<(), ModelError> {
        insert(&mut self.compiler_constants, "constant", name, id)
    }
}

/// Everything declared, by kind, for a generator to write out.
#[derive(Debug, Default)]
pub struct Listing {
    /// Typedef names and their types.
    pub typedefs: Vec<(String, TypeId)>,
    /// Struct, union and enum tags (without the keyword) and their types.
    pub tags: Vec<(Tag, String, TypeId)>,
    /// Functions and the pointers to their function types.
    pub functions: Vec<(String, TypeId)>,
    /// Global variables and their types.
    pub variables: Vec<(String, TypeId)>,
    /// Integer constants (`#define`, enumerators) and their values.
    pub constants: Vec<(String, i128)>,
    /// Constants whose value the library or the compiler holds.
    pub compiler_constants: Vec<(String, TypeId)>,
    /// `#define X ...`: macros only the C compiler can give a value.
    pub compiler_macros: Vec<String>,
    /// Enumerators of partial enums (`...`), with their enum type.
    pub partial_enumerators: Vec<(String, TypeId)>,
    /// `extern "Python"` functions, the pointers to their function types,
    /// and whether each is `"Python+C"`.
    pub extern_python: Vec<(String, TypeId, bool)>,
    /// Anonymous structs, unions and enums (named `$N`).
    pub anonymous: Vec<TypeId>,
}

impl Declarations {
    /// Everything declared, by kind, in declaration order.
    pub fn listing(&self) -> Listing {
        let pairs =
            |m: &IndexMap<SmolStr, TypeId>| m.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        Listing {
            typedefs: pairs(&self.typedefs),
            tags: self
                .tags
                .iter()
                .map(|((kind, name), id)| {
                    let tag = match kind {
                        TagKind::Struct => Tag::Struct,
                        TagKind::Union => Tag::Union,
                        TagKind::Enum => Tag::Enum,
                    };
                    (tag, name.to_string(), *id)
                })
                .collect(),
            functions: pairs(&self.functions),
            variables: pairs(&self.variables),
            constants: self
                .constants
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            compiler_constants: pairs(&self.compiler_constants),
            compiler_macros: self
                .compiler_macros
                .keys()
                .map(SmolStr::to_string)
                .collect(),
            partial_enumerators: pairs(&self.partial_enumerators),
            extern_python: self
                .extern_python
                .iter()
                .map(|(k, (id, plus_c))| (k.to_string(), *id, *plus_c))
                .collect(),
            anonymous: self.anonymous.clone(),
        }
    }
}
