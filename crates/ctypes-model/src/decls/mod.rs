//! Declarations by name: what `cdef()` declared, resolved into types.

use crate::error::{ModelError, ModelErrorKind};
use crate::record::RecordKind;
use crate::types::{Type, TypeId, TypeTable};
use crate::written::Written;
use cdef_parse::{
    Cdef, DeclKind, Expr, MacroValue, Predeclared, Quals, SmolStr, Span, TypeExpr, TypeNames,
    Warning, WarningKind,
};
/// The other maps of declarations: Fx-hashed as [`IndexMap`], unordered.
type HashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;

/// The maps of declarations by name: insertion-ordered, Fx-hashed (names
/// come from the program's own cdef text, and are looked up on every
/// declaration and type string).
pub(crate) type IndexMap<K, V> = indexmap::IndexMap<K, V, rustc_hash::FxBuildHasher>;

/// The names every cdef knows without declaring them, with what they
/// stand for on this system (cffi's "common types"; Windows adds its own
/// family of names, which this table leaves out off Windows): `FILE` is
/// the opaque `struct _IO_FILE`, `bool` is `_Bool`.
pub const COMMON_TYPES: &[(&str, &str)] = &[("FILE", "struct _IO_FILE"), ("bool", "_Bool")];

/// Options of one `cdef()` call.
#[derive(Debug, Clone, Copy, Default)]
pub struct CdefOptions {
    /// `override=True`: later declarations replace earlier ones silently.
    pub override_: bool,
    /// `packed=True`: every struct of this call is packed.
    pub packed: bool,
    /// `pack=N`: field alignments capped at N in every struct of this call.
    pub pack: Option<u64>,
    /// `embedding_api()`: every function of this call is exported, its
    /// body calling Python (an `extern "Python+C"` function, F-09.01).
    pub dllexport: bool,
}

/// What a name was declared as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    /// A function; the id is of the *pointer* to its function type, which
    /// is what cffi hands out for it.
    Function(TypeId),
    /// A global variable of this type.
    Variable(TypeId),
    /// An integer constant (`#define`, `static const`) and its value.
    IntConstant(i128),
    /// A constant whose value only the C compiler knows (`static const
    /// float x = 1.5;`, `const double c;`, `static const int n;`): usable
    /// in API mode; an in-line ABI library refuses it (F-04.06).
    CompilerConstant(TypeId),
    /// An enumerator of a partial enum (`enum e { A, B, ... };`): only the
    /// C compiler knows its value. Holds the enum type (F-04.05).
    PartialEnumerator(TypeId),
}

/// Everything declared by the `cdef()` calls of one FFI, by name.
///
/// Types are interned in a [`TypeTable`] passed to each call, which may be
/// shared with other `Declarations`.
#[derive(Debug, Clone, Default)]
pub struct Declarations {
    typedefs: IndexMap<SmolStr, TypeId>,
    functions: IndexMap<SmolStr, TypeId>,
    variables: IndexMap<SmolStr, TypeId>,
    constants: IndexMap<SmolStr, i128>,
    /// Constants the C compiler gives the value of, by type.
    compiler_constants: IndexMap<SmolStr, TypeId>,
    /// `#define X ...`: macros only API mode can reach (F-04.07).
    compiler_macros: IndexMap<SmolStr, ()>,
    /// `extern "Python"` functions (pointer to the function type) and
    /// whether they are `"Python+C"`: only API mode implements them.
    extern_python: IndexMap<SmolStr, (TypeId, bool)>,
    /// Enumerators of partial enums, with the enum type.
    partial_enumerators: IndexMap<SmolStr, TypeId>,
    /// Every enumerator of each partial enum in written order, those with
    /// a written value among them: the order C's values are named in.
    partial_enum_order: HashMap<TypeId, Vec<SmolStr>>,
    /// The qualifiers of variables declared with some (`volatile int x;`,
    /// `const int a[];`): generated C takes their addresses as such.
    variable_quals: HashMap<SmolStr, Quals>,
    /// Enumerators of partial enums declared by two enums (or as another
    /// constant): API mode cannot generate them.
    enumerator_clashes: Vec<SmolStr>,
    /// Typedefs of types only the C compiler knows (`typedef int... t;`),
    /// with the opaque record that stands for each.
    compiler_types: IndexMap<SmolStr, (TypeId, CompilerType)>,
    /// `struct`/`union`/`enum` tags, by kind and name.
    tags: IndexMap<(TagKind, SmolStr), TypeId>,
    /// While declaring: the options of the current `cdef()` call, and the
    /// types made from each body already seen (by the body's position), so
    /// that `typedef struct {...} a, *b;` makes one struct.
    current: CdefOptions,
    bodies: HashMap<u32, TypeId>,
    /// Anonymous records and enums waiting for their `$N` name.
    unnamed: Vec<TypeId>,
    /// The anonymous records and enums that got a `$N` name.
    anonymous: Vec<TypeId>,
    /// The last `N` given: numbered per FFI, as the original does, so that
    /// a module generated from the same cdef is the same text whatever
    /// the process declared before (F-08.14).
    anonymous_count: u32,
    /// The written form (see [`crate::written`]) of the declarations whose
    /// type holds qualifiers, by namespace and name; the others are plain.
    written: HashMap<Space, HashMap<SmolStr, Written>>,
    /// The qualifiers a typedef adds to what it names (`typedef const int
    /// cint;` makes `cint *` an `int const *`).
    typedef_quals: HashMap<SmolStr, Quals>,
    /// The fields whose written type holds qualifiers, by record and
    /// field index.
    written_fields: HashMap<TypeId, Vec<(usize, Written)>>,
    /// The qualifiers of the fields declared with some (`const int a;`,
    /// `void *const p;`), by record and field index: generated C must
    /// take their addresses as such.
    field_quals: HashMap<TypeId, Vec<(usize, Quals)>>,
}

/// What `typedef <kind>... name;` leaves to the C compiler (F-08.40..
/// F-08.42).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompilerType {
    /// `typedef ... t;`: any type, opaque to cffi.
    Opaque,
    /// `typedef int... t;`: an integer of the compiler's size and sign.
    Int,
    /// `typedef float... t;`: `float` or `double`.
    Float,
}

/// The namespaces of declared names, for [`Declarations::written`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Space {
    /// A typedef name.
    Typedef,
    /// A function (its written form is of the function type itself).
    Function,
    /// A global variable.
    Variable,
    /// A constant whose value the C compiler or the library holds.
    Constant,
    /// An `extern "Python"` function (the function type itself).
    ExternPython,
}

/// The namespaces of tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum TagKind {
    Struct,
    Union,
    Enum,
}

impl TypeNames for Declarations {
    fn is_type_name(&self, name: &str) -> bool {
        self.typedefs.contains_key(name) || Predeclared.is_type_name(name)
    }
}

impl cdef_parse::CompiledNames for Declarations {
    fn record_tag(&self, name: &str) -> Option<bool> {
        let key = |kind| (kind, SmolStr::new(name));
        if self.tags.contains_key(&key(TagKind::Struct)) {
            Some(false)
        } else if self.tags.contains_key(&key(TagKind::Union)) {
            Some(true)
        } else {
            None
        }
    }

    fn enum_tag(&self, name: &str) -> bool {
        self.tags.contains_key(&(TagKind::Enum, SmolStr::new(name)))
    }

    fn int_constant(&self, name: &str) -> Option<i128> {
        self.constants.get(name).copied()
    }
}

/// Why a compiled FFI's type string gave no type.
#[derive(Debug, Clone, PartialEq)]
pub enum CompiledTypeFailure {
    /// Its parser refused the text.
    Syntax(cdef_parse::CompiledTypeError),
    /// The text parsed but names no usable type.
    Model(ModelError),
}

impl Declarations {
    /// Calls `f` with every type these declarations hold: the roots they
    /// give [`TypeTable::collect`].
    pub fn for_each_type(&self, f: &mut dyn FnMut(TypeId)) {
        for map in [
            &self.typedefs,
            &self.functions,
            &self.variables,
            &self.compiler_constants,
            &self.partial_enumerators,
        ] {
            map.values().for_each(|&id| f(id));
        }
        self.extern_python.values().for_each(|&(id, _)| f(id));
        self.compiler_types.values().for_each(|&(id, _)| f(id));
        self.tags.values().for_each(|&id| f(id));
        self.bodies.values().for_each(|&id| f(id));
        self.unnamed
            .iter()
            .chain(&self.anonymous)
            .for_each(|&id| f(id));
        for written in self.written.values().flat_map(HashMap::values) {
            written.for_each_id(f);
        }
        for (&record, fields) in &self.written_fields {
            f(record);
            for (_, w) in fields {
                w.for_each_id(f);
            }
        }
        self.field_quals.keys().for_each(|&id| f(id));
    }

    /// No declarations.
    pub fn new() -> Declarations {
        Declarations::default()
    }

    /// Parses `src` and adds its declarations. All or nothing: on error,
    /// nothing of `src` is kept.
    pub fn cdef(
        &mut self,
        types: &mut TypeTable,
        src: &str,
        options: &CdefOptions,
    ) -> Result<Vec<Warning>, ModelError> {
        // Each declaration is declared as soon as it is read (the whole
        // text's syntax tree is never held), into a copy committed at the
        // end: all or nothing. The first error of meaning stops the
        // declaring, not the reading: a syntax error further on is the one
        // reported, as when the whole text was parsed first.
        let mut next = self.begun(options);
        let mut failed = None;
        let mut warnings = cdef_parse::parse_cdef_each(src, self, |batch| {
            if failed.is_none() {
                failed = batch
                    .iter()
                    .find_map(|decl| next.declare_one(types, decl).err());
            }
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        *self = next;
        // `func_t f;` with `func_t` a function typedef declares a function,
        // which needs no `extern`: the parser could not know.
        warnings.retain(|w| {
            !matches!(&w.kind, WarningKind::MissingStorageClass(name)
                if self.functions.contains_key(name.as_str()) || self.extern_python.contains_key(name.as_str()))
        });
        Ok(warnings)
    }

    /// Adds the declarations of an already parsed text (all or nothing).
    pub fn declare(
        &mut self,
        types: &mut TypeTable,
        cdef: &Cdef,
        options: &CdefOptions,
    ) -> Result<(), ModelError> {
        let mut next = self.begun(options);
        for decl in &cdef.decls {
            next.declare_one(types, decl)?;
        }
        *self = next;
        Ok(())
    }

    /// A copy of these declarations to declare a text into, with that
    /// text's options.
    fn begun(&self, options: &CdefOptions) -> Declarations {
        let mut next = self.clone();
        next.current = *options;
        next.bodies.clear();
        next
    }

    /// Declares one parsed declaration, with the options [`Self::begun`]
    /// set.
    fn declare_one(
        &mut self,
        types: &mut TypeTable,
        decl: &cdef_parse::Decl,
    ) -> Result<(), ModelError> {
        let options = self.current;
        let (kind, id, written) = match &decl.kind {
            DeclKind::Typedef(
                ty @ (TypeExpr::Opaque | TypeExpr::UnknownInt | TypeExpr::UnknownFloat),
            ) => {
                // A type only the C compiler knows (F-08.40..F-08.42):
                // an opaque struct named like the typedef, which API
                // mode turns into the compiler's integer or float.
                let kind = match ty {
                    TypeExpr::UnknownInt => CompilerType::Int,
                    TypeExpr::UnknownFloat => CompilerType::Float,
                    _ => CompilerType::Opaque,
                };
                let id = match self.compiler_types.get(&decl.name) {
                    Some(&(id, k)) if k == kind => id,
                    _ => types.new_record(RecordKind::Struct, decl.name.to_string()),
                };
                self.compiler_types.insert(decl.name.clone(), (id, kind));
                ("typedef", id, Written::Plain(id))
            }
            DeclKind::Typedef(TypeExpr::Pointer { pointee, .. })
                if matches!(**pointee, TypeExpr::Opaque) =>
            {
                // `typedef ... *t;`: a pointer to a struct nothing
                // names but the pointer typedef (stored as `$$t`).
                let record = match self.typedefs.get(&decl.name) {
                    Some(&old) => match types.get(old) {
                        Type::Pointer(r) => *r,
                        _ => types.new_record(RecordKind::Struct, format!("${}", decl.name)),
                    },
                    None => types.new_record(RecordKind::Struct, format!("${}", decl.name)),
                };
                let id = types.pointer(record);
                ("typedef", id, Written::Plain(id))
            }
            DeclKind::Typedef(ty) => {
                let (id, written, quals) = self.resolve_written(types, ty, decl.span)?;
                let written = written.with_array_object(&format!("(*({} *)0)", decl.name), None);
                name_anonymous(types, ty, id, &decl.name);
                self.number_anonymous(types);
                if quals == Quals::NONE {
                    self.typedef_quals.remove(&decl.name);
                } else {
                    self.typedef_quals.insert(decl.name.clone(), quals);
                }
                ("typedef", id, written)
            }
            DeclKind::Function(f) => {
                let (func, written) = self.resolve_function(types, f, decl.span)?;
                if options.dllexport {
                    // In `embedding_api()` every function is an export.
                    self.add_extern_python(types, &decl.name, func, written, true);
                    return Ok(());
                }
                ("function", types.pointer(func), written)
            }
            DeclKind::Variable { ty, .. } => {
                let (id, written, quals) = self.resolve_written(types, ty, decl.span)?;
                let written = written.with_array_object(&decl.name, None);
                if quals.contains(Quals::CONST)
                    && !matches!(types.get(id), Type::Function(_) | Type::Array { .. })
                {
                    // `const_t x;` with a `const` typedef: a constant,
                    // as if written `const int x;`.
                    self.compiler_constants.insert(decl.name.clone(), id);
                    self.set_written(Space::Constant, &decl.name, written);
                    return Ok(());
                }
                if let Type::Function(_) = types.get(id) {
                    if options.dllexport {
                        // An `embedding_api()` export declared through
                        // a function typedef (`fn_t my_export;`).
                        self.add_extern_python(types, &decl.name, id, written, true);
                        return Ok(());
                    }
                    // Declared through a function typedef (`func_t
                    // sin;`): a function, as in C.
                    ("function", types.pointer(id), written)
                } else if let Type::Void = types.get(id) {
                    return Err(ModelError::new(
                        ModelErrorKind::Invalid(format!(
                            "variable '{}' declared as void",
                            decl.name
                        )),
                        decl.span,
                    ));
                } else {
                    if quals == Quals::NONE {
                        self.variable_quals.remove(&decl.name);
                    } else {
                        self.variable_quals.insert(decl.name.clone(), quals);
                    }
                    ("variable", id, written)
                }
            }
            DeclKind::Macro(MacroValue::Expr(e)) => {
                let value = self.eval(e, decl.span)?;
                self.add_constant(&decl.name, value, decl.span, options.override_)?;
                return Ok(());
            }
            DeclKind::Constant { ty, value } => {
                let (id, written, _) = self.resolve_written(types, ty, decl.span)?;
                let integer = matches!(types.get(id), Type::Primitive(p) if p.is_integer());
                match value {
                    Some(e) if integer => {
                        let value = self.eval(e, decl.span)?;
                        self.add_constant(&decl.name, value, decl.span, options.override_)?;
                    }
                    // The value is the C compiler's to compute.
                    _ => {
                        self.compiler_constants.insert(decl.name.clone(), id);
                        self.set_written(Space::Constant, &decl.name, written);
                    }
                }
                return Ok(());
            }
            DeclKind::Macro(MacroValue::Dots) => {
                self.compiler_macros.insert(decl.name.clone(), ());
                return Ok(());
            }
            DeclKind::ExternPython { func, plus_c } => {
                // Only API mode gives them a body (F-07.5); the in-line
                // FFI knows them but hands none out. In `embedding_api()`
                // they are exports too.
                let (id, written) = self.resolve_function(types, func, decl.span)?;
                let plus_c = *plus_c || options.dllexport;
                self.add_extern_python(types, &decl.name, id, written, plus_c);
                return Ok(());
            }
            DeclKind::Tag(ty) => {
                self.resolve(types, ty, decl.span)?;
                self.number_anonymous(types);
                return Ok(());
            }
        };
        self.number_anonymous(types);
        let (map, space) = match kind {
            "typedef" => (&mut self.typedefs, Space::Typedef),
            "function" => (&mut self.functions, Space::Function),
            _ => (&mut self.variables, Space::Variable),
        };
        match map.get(&decl.name) {
            Some(&old) if old != id && !options.override_ => {
                return Err(ModelError::new(
                    ModelErrorKind::Duplicate {
                        kind,
                        name: decl.name.to_string(),
                    },
                    decl.span,
                ));
            }
            _ => {
                map.insert(decl.name.clone(), id);
                self.set_written(space, &decl.name, written);
            }
        }
        Ok(())
    }

    /// Parses a type string (`"int *"`, `"size_t"`, `"int(*)(int)"`)
    /// against these declarations. A function type comes back as a pointer
    /// to it, as cffi does; see [`Declarations::parse_type_raw`].
    pub fn parse_type(&mut self, types: &mut TypeTable, src: &str) -> Result<TypeId, ModelError> {
        let id = self.parse_type_raw(types, src)?;
        Ok(match types.get(id) {
            Type::Function(_) => types.pointer(id),
            _ => id,
        })
    }

    /// Parses a type string, keeping a function type as it is written
    /// (`"int(int)"` is a function type, not a pointer to one).
    pub fn parse_type_raw(
        &mut self,
        types: &mut TypeTable,
        src: &str,
    ) -> Result<TypeId, ModelError> {
        let expr = cdef_parse::parse_type(src, self)?;
        if has_compiler_length(&expr) {
            // As cffi: nothing can give the length here.
            return Err(ModelError::new(
                ModelErrorKind::CompilerLengthHere,
                Span::new(0, src.len()),
            ));
        }
        let id = self.resolve(types, &expr, Span::new(0, src.len()));
        self.number_anonymous(types);
        let id = id?;
        // cffi builds every type a type string reaches, and a type only
        // the compiler completes cannot be built in-line (F-08.40).
        let mut reached = id;
        loop {
            if let Some((name, kind)) = self.compiler_type(reached) {
                let what = match kind {
                    CompilerType::Int => "integer",
                    CompilerType::Float => "float",
                    CompilerType::Opaque => break,
                };
                return Err(ModelError::new(
                    ModelErrorKind::AfterCompilation(format!("{what} type '{name}'")),
                    Span::new(0, src.len()),
                ));
            }
            match types.get(reached) {
                Type::Pointer(t) | Type::Array { item: t, .. } => reached = *t,
                _ => break,
            }
        }
        if let Type::Array { item, len: Some(_) } = *types.get(id) {
            if types.size_of(item).is_none() {
                return Err(ModelError::new(
                    ModelErrorKind::UnknownSize(types.c_name(item)),
                    Span::new(0, src.len()),
                ));
            }
        }
        Ok(id)
    }

    /// The typedef name and kind of a type only the C compiler knows, if
    /// `id` stands for one.
    pub fn compiler_type(&self, id: TypeId) -> Option<(&str, CompilerType)> {
        self.compiler_types
            .iter()
            .find(|(_, (t, _))| *t == id)
            .map(|(name, (_, kind))| (name.as_str(), *kind))
    }

    /// The enumerators of partial enums declared twice (see
    /// `enumerator_clashes`).
    pub fn enumerator_clashes(&self) -> &[SmolStr] {
        &self.enumerator_clashes
    }

    /// All enumerators of the partial enum `id` in the order written
    /// (`EnumDef::values` holds only those with a written value).
    pub fn partial_enum_order(&self, id: TypeId) -> Option<&[SmolStr]> {
        self.partial_enum_order.get(&id).map(Vec::as_slice)
    }

    /// The qualifiers the variable `name` was declared with.
    pub fn variable_quals(&self, name: &str) -> Quals {
        self.variable_quals
            .get(name)
            .copied()
            .unwrap_or(Quals::NONE)
    }

    /// The qualifiers field `index` of the record `record` was declared
    /// with (`const` of `const int a;`).
    pub fn field_quals(&self, record: TypeId, index: usize) -> Quals {
        self.field_quals
            .get(&record)
            .and_then(|fields| fields.iter().find(|(i, _)| *i == index))
            .map_or(Quals::NONE, |(_, q)| *q)
    }

    /// The written form (see [`crate::written`]) of the declaration
    /// `name` in `space`, whose run-time type is `id` (for a function, the
    /// function type itself).
    pub fn written(&self, space: Space, name: &str, id: TypeId) -> Written {
        self.written
            .get(&space)
            .and_then(|names| names.get(name))
            .cloned()
            .unwrap_or(Written::Plain(id))
    }

    /// The written form of field `index` of the record `record`, whose
    /// run-time type is `ty`.
    pub fn written_field(&self, record: TypeId, index: usize, ty: TypeId) -> Written {
        self.written_fields
            .get(&record)
            .and_then(|fields| fields.iter().find(|(i, _)| *i == index))
            .map_or(Written::Plain(ty), |(_, w)| w.clone())
    }

    /// An `extern "Python"` function of type `func` (`plus_c`: not
    /// `static` in the generated C).
    fn add_extern_python(
        &mut self,
        types: &mut TypeTable,
        name: &str,
        func: TypeId,
        written: Written,
        plus_c: bool,
    ) {
        self.number_anonymous(types);
        self.extern_python
            .insert(SmolStr::new(name), (types.pointer(func), plus_c));
        self.set_written(Space::ExternPython, name, written);
    }

    fn set_written(&mut self, space: Space, name: &str, written: Written) {
        if written.is_plain() {
            if let Some(names) = self.written.get_mut(&space) {
                names.remove(name);
            }
        } else {
            self.written
                .entry(space)
                .or_default()
                .insert(SmolStr::new(name), written);
        }
    }

    /// Parses a compiled FFI's type string (`cdef_parse::parse_compiled_type`:
    /// the original's rules and messages; nothing new is declared),
    /// keeping a function type as it is written.
    pub fn parse_compiled_type_raw(
        &mut self,
        types: &mut TypeTable,
        src: &str,
    ) -> Result<TypeId, CompiledTypeFailure> {
        let expr =
            cdef_parse::parse_compiled_type(src, self).map_err(CompiledTypeFailure::Syntax)?;
        let span = Span::new(0, src.len());
        let id = self
            .resolve(types, &expr, span)
            .map_err(CompiledTypeFailure::Model)?;
        if let Type::Array { item, len: Some(_) } = *types.get(id) {
            if types.size_of(item).is_none() {
                return Err(CompiledTypeFailure::Model(ModelError::new(
                    ModelErrorKind::UnknownSize(types.c_name(item)),
                    span,
                )));
            }
        }
        Ok(id)
    }

    /// Looks up a declared function, variable or integer constant.
    pub fn lookup(&self, name: &str) -> Option<Declared> {
        if let Some(&id) = self.functions.get(name) {
            return Some(Declared::Function(id));
        }
        if let Some(&value) = self.constants.get(name) {
            return Some(Declared::IntConstant(value));
        }
        if let Some(&id) = self.compiler_constants.get(name) {
            return Some(Declared::CompilerConstant(id));
        }
        if let Some(&id) = self.partial_enumerators.get(name) {
            return Some(Declared::PartialEnumerator(id));
        }
        self.variables.get(name).map(|&id| Declared::Variable(id))
    }

    /// Evaluates a constant expression against the constants declared so
    /// far.
    pub fn eval(&self, expr: &Expr, span: Span) -> Result<i128, ModelError> {
        crate::consts::eval(expr, &|name| self.constants.get(name).copied(), span)
    }

    /// Records an integer constant (F-01.19): the same value again is
    /// fine, a different one is a conflict unless overriding.
    fn add_constant(
        &mut self,
        name: &str,
        value: i128,
        span: Span,
        overriding: bool,
    ) -> Result<(), ModelError> {
        match self.constants.get(name) {
            Some(&old) if old != value && !overriding => Err(ModelError::new(
                ModelErrorKind::Duplicate {
                    kind: "constant",
                    name: name.to_owned(),
                },
                span,
            )),
            _ => {
                self.constants.insert(SmolStr::new(name), value);
                Ok(())
            }
        }
    }

    /// The function type (not the pointer cffi hands out) of a declared
    /// function: what a call interface or a C prototype is built from.
    pub fn function_type(&self, types: &TypeTable, name: &str) -> Option<TypeId> {
        let ptr = *self.functions.get(name)?;
        match types.get(ptr) {
            Type::Pointer(func) => Some(*func),
            _ => None,
        }
    }

    /// The names of declared functions, variables and integer constants,
    /// in declaration order within each kind.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.functions
            .keys()
            .chain(self.variables.keys())
            .chain(self.constants.keys())
            .chain(self.compiler_constants.keys())
            .chain(self.partial_enumerators.keys())
            .map(SmolStr::as_str)
    }

    /// How many struct, union and enum tags are known (named or not).
    pub fn tag_count(&self) -> usize {
        self.tags.len()
    }

    /// Forgets the tags declared after the first `count` (a parse that
    /// named tags it may not declare).
    pub fn truncate_tags(&mut self, count: usize) {
        self.tags.truncate(count);
    }

    /// The user typedef names, in declaration order.
    pub fn typedef_names(&self) -> impl Iterator<Item = &str> {
        self.typedefs.keys().map(SmolStr::as_str)
    }

    /// The struct, union and enum tags declared or mentioned, by kind:
    /// `(structs, unions, enums)`, each sorted.
    pub fn tag_names(&self) -> (Vec<String>, Vec<String>, Vec<String>) {
        let mut out = (Vec::new(), Vec::new(), Vec::new());
        for (kind, name) in self.tags.keys() {
            match kind {
                TagKind::Struct => out.0.push(name.to_string()),
                TagKind::Union => out.1.push(name.to_string()),
                TagKind::Enum => out.2.push(name.to_string()),
            }
        }
        out.0.sort();
        out.1.sort();
        out.2.sort();
        out
    }
}

/// The in-line FFI's naming of records and enums by typedefs (F-01.60,
/// F-01.62, F-01.71): the first typedef that names a struct, union or enum
/// directly (not through a pointer) becomes its display name, whether the
/// type was anonymous or tagged (`typedef struct foo {...} foo_t;` and
/// `typedef struct foo foo_t;` both make `struct foo` print as `foo_t`).
fn name_anonymous(types: &mut TypeTable, ty: &TypeExpr, id: TypeId, name: &str) {
    if !matches!(ty, TypeExpr::Record { .. } | TypeExpr::Enum { .. }) {
        return;
    }
    match types.get(id).clone() {
        Type::Record(rid) => {
            let rec = types.record(rid);
            let keyword = if rec.kind == RecordKind::Struct {
                "struct "
            } else {
                "union "
            };
            if rec.name.starts_with(keyword) {
                types.rename_record(rid, name.to_owned());
            }
        }
        Type::Enum(eid) if types.enum_def(eid).name.starts_with("enum ") => {
            let mut def = types.enum_def(eid).clone();
            name.clone_into(&mut def.name);
            types.set_enum(eid, def);
        }
        _ => {}
    }
}

mod build;
mod include;
mod resolve;

pub use build::{Listing, Tag};
#[cfg(test)]
mod tests;

/// True if `ty` has an array of length `[...]` anywhere inside.
fn has_compiler_length(ty: &TypeExpr) -> bool {
    match ty {
        TypeExpr::Array { item, len } => {
            matches!(len, Some(cdef_parse::ArrayLen::Dots)) || has_compiler_length(item)
        }
        TypeExpr::Pointer { pointee, .. } => has_compiler_length(pointee),
        TypeExpr::Function(f) => {
            has_compiler_length(&f.result) || f.params.iter().any(|p| has_compiler_length(&p.ty))
        }
        _ => false,
    }
}
