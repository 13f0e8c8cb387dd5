//! Declarations made from outside a cdef text: from the tables of a module
//! the original cffi (or we) generated, whose types are already built.
//! Each method declares one name; a name declared twice differently is a
//! duplicate, as in a cdef.

use super::{Declarations, TagKind};
use crate::error::{ModelError, ModelErrorKind};
use crate::TypeId;
use indexmap::IndexMap;

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
    map: &mut IndexMap<String, V>,
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
            map.insert(name.to_owned(), value);
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
        match self.tags.get(&(kind, name.to_owned())) {
            Some(&old) if old != id => Err(ModelError {
                kind: ModelErrorKind::Duplicate {
                    kind: "type",
                    name: name.to_owned(),
                },
                span: None,
            }),
            _ => {
                self.tags.insert((kind, name.to_owned()), id);
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
