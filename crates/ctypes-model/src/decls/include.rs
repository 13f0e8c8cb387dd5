//! `ffi.include()`: one set of declarations taking in another's types.

use super::{Declarations, Space, TagKind};
use crate::error::{ModelError, ModelErrorKind};

impl Declarations {
    /// `ffi.include(other)` (F-03.123..F-03.125): this set also knows the
    /// typedefs, struct/union/enum tags and integer constants (enumerators
    /// included) of `other`, as the same types (the table is shared), not
    /// copies. Functions, variables and constants only the compiler knows
    /// stay `other`'s; so do anonymous enums' types (their enumerators
    /// come along). A name that both declare differently is a duplicate
    /// (unless overriding); all or nothing.
    pub fn include(&mut self, other: &Declarations, override_: bool) -> Result<(), ModelError> {
        let mut next = self.clone();
        let duplicate = |kind: &'static str, name: &str| ModelError {
            kind: ModelErrorKind::Duplicate {
                kind,
                name: name.to_owned(),
            },
            span: None,
        };
        for (name, &id) in &other.typedefs {
            match next.typedefs.get(name) {
                Some(&old) if old != id && !override_ => return Err(duplicate("typedef", name)),
                _ => {
                    next.typedefs.insert(name.clone(), id);
                    next.set_written(
                        Space::Typedef,
                        name,
                        other.written(Space::Typedef, name, id),
                    );
                    match other.typedef_quals.get(name) {
                        Some(&q) => next.typedef_quals.insert(name.clone(), q),
                        None => next.typedef_quals.remove(name),
                    };
                }
            }
        }
        for ((kind, name), &id) in &other.tags {
            if *kind == TagKind::Enum && name.starts_with('$') {
                continue;
            }
            match next.tags.get(&(*kind, name.clone())) {
                Some(&old) if old != id && !override_ => return Err(duplicate("type", name)),
                _ => {
                    next.tags.insert((*kind, name.clone()), id);
                }
            }
        }
        for (name, &value) in &other.constants {
            match next.constants.get(name) {
                Some(&old) if old != value && !override_ => {
                    return Err(duplicate("constant", name))
                }
                _ => {
                    next.constants.insert(name.clone(), value);
                }
            }
        }
        // Their records are shared, and so is what their fields hold.
        for (id, fields) in &other.written_fields {
            next.written_fields.insert(*id, fields.clone());
        }
        for (id, quals) in &other.field_quals {
            next.field_quals.insert(*id, quals.clone());
        }
        for (name, entry) in &other.compiler_types {
            next.compiler_types.insert(name.clone(), *entry);
        }
        *self = next;
        Ok(())
    }
}
