//! The C source of an API-mode extension module (docs/api-mode.md): the
//! support header, the user's source verbatim, the type-context tables of
//! docs/protocol.md §4 with the sizes and offsets left to the C compiler,
//! one wrapper per function, accessors for variables and constants, the
//! `extern "Python"` functions of §8, and the module's init function.
//!
//! The tables come from the same [`Plan`] the out-of-line `.py` writer
//! uses, in C mode: the slots are the ones the original gives the same
//! declarations, so a module we generate loads in either `_cffi_backend`.

mod embedding;
mod records;
mod wrapper;

use ctypes_model::written::{Quals, Shape, Written, WrittenFunction};
use ctypes_model::{
    CompilerType, Declarations, Listing, Primitive, RecordKind, Space, Type, TypeId, TypeTable,
};
use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use type_context::encode::{function_of, record_fields, EncodeError, Mode, Plan, SlotExpr};
use type_context::op::{Op, Word};

/// The support header every generated module starts with.
const SUPPORT_H: &str = include_str!("support.h");

/// Why a module cannot be generated, by the exception cffi raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmitError {
    /// `TypeError`: an opaque type where a complete one is needed.
    Type(String),
    /// `NotImplementedError`: a declaration API mode cannot lay out.
    NotImplemented(String),
    /// `VerificationError`.
    Verification(String),
    /// `OverflowError`.
    Overflow(String),
}

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EmitError::Type(m)
            | EmitError::NotImplemented(m)
            | EmitError::Verification(m)
            | EmitError::Overflow(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for EmitError {}

impl From<EncodeError> for EmitError {
    fn from(e: EncodeError) -> EmitError {
        match e {
            EncodeError::Verification(m) | EncodeError::Missing(m) => EmitError::Verification(m),
            EncodeError::Overflow(m) => EmitError::Overflow(m),
        }
    }
}

/// The version tag of a module with no feature beyond the first (§2).
pub const VERSION_BASE: u32 = 0x2601;
/// The tag of a module whose wrappers convert `char16_t`/`char32_t`.
pub const VERSION_CHAR16: u32 = 0x2801;

/// What the generator needs besides the declarations.
#[derive(Debug, Clone, Copy)]
pub struct ModuleSource<'a> {
    /// The full, possibly dotted, module name (`pkg._foo`).
    pub module_name: &'a str,
    /// The user's C source, pasted verbatim.
    pub preamble: &'a str,
    /// An embedding library's init code (`embedding_api()` was called,
    /// F-09.07): the module starts Python on its first call.
    pub embedding: Option<&'a str>,
}

/// The C source of the module `source.module_name` for `decls`, which
/// includes the API-mode modules `included` (name, declarations).
pub fn c_module(
    types: &mut TypeTable,
    decls: &Declarations,
    source: ModuleSource<'_>,
    included: &[(&str, &Declarations)],
) -> Result<String, EmitError> {
    let listing = decls.listing();
    let theirs: Vec<Listing> = included.iter().map(|(_, d)| d.listing()).collect();
    let plan = Plan::build(types, decls, &theirs, Mode::C)?;
    let named_pointers = named_pointers(types, &listing);
    let gen = Generator {
        types,
        decls,
        plan: &plan,
        module_name: source.module_name,
        named_pointers,
        unnamed_records: plan
            .records
            .iter()
            .chain(&plan.enums)
            .any(|(n, _)| n.starts_with('$')),
        names: std::cell::RefCell::default(),
    };
    gen.check(&listing)?;
    let their_constants: HashSet<&str> = theirs
        .iter()
        .flat_map(|l| l.constants.iter().map(|(n, _)| n.as_str()))
        .chain(theirs.iter().flat_map(|l| {
            l.partial_enumerators
                .iter()
                .map(|(n, _)| n.as_str())
                .chain(l.compiler_macros.iter().map(String::as_str))
        }))
        .collect();

    // Written once, into a buffer sized for it: a module of thousands of
    // functions is megabytes of text (about 1.3 KB per function).
    let estimate = SUPPORT_H.len()
        + source.preamble.len()
        + 1400 * (listing.functions.len() + listing.extern_python.len())
        + 400 * (listing.constants.len() + listing.variables.len() + plan.records.len())
        + 80 * plan.words.len()
        + 4096;
    let mut out = String::with_capacity(estimate);
    if source.embedding.is_some() {
        // Before Python.h: no limited API, and the start-up path's hooks.
        out.push_str("#define _CFFI_USE_EMBEDDING\n");
    }
    out.push_str(SUPPORT_H);
    out.push_str("\n/************************************************************/\n\n");
    out.push_str(source.preamble);
    out.push_str("\n\n/************************************************************/\n\n");
    gen.write_types(&mut out);

    // Globals, built with the code they point at.
    let mut globals: Vec<Global> = Vec::new();
    let (mut version, mut flags_word) = match source.embedding {
        // An embedding module always says it calls Python (§8).
        Some(_) => (embedding::VERSION_EMBEDDING, 1),
        None => (VERSION_BASE, 0),
    };

    let mut enumerators: BTreeSet<&str> = BTreeSet::new();
    for (_, id) in &plan.enums {
        if plan.external.contains(id) {
            continue;
        }
        if let Type::Enum(eid) = gen.types.get(*id) {
            for (name, _) in &gen.types.enum_def(*eid).values {
                enumerators.insert(name);
            }
        }
    }
    for (name, _) in &listing.partial_enumerators {
        if !their_constants.contains(name.as_str()) {
            enumerators.insert(name);
        }
    }
    // An integer constant or enumerator: its getter and its global.
    let int_constant = |out: &mut String, globals: &mut Vec<Global>, name: &str, op, expected| {
        out.push_str(&int_getter(name, expected));
        globals.push(Global::new(name, getter(name), Word::new(op, -1).0));
    };
    for name in &enumerators {
        int_constant(&mut out, &mut globals, name, Op::Enum, None);
    }
    for (name, value) in &listing.constants {
        if enumerators.contains(name.as_str()) || their_constants.contains(name.as_str()) {
            continue;
        }
        int_constant(&mut out, &mut globals, name, Op::ConstantInt, Some(*value));
    }
    for name in &listing.compiler_macros {
        if !their_constants.contains(name.as_str()) {
            int_constant(&mut out, &mut globals, name, Op::ConstantInt, None);
        }
    }
    for (name, id) in &listing.compiler_constants {
        let w = decls.written(Space::Constant, name, *id);
        if gen.is_integer(&w) {
            int_constant(&mut out, &mut globals, name, Op::ConstantInt, None);
        } else {
            out.push_str(&gen.value_getter(name, &w));
            globals.push(Global::new(
                name,
                getter(name),
                Word::new(Op::Constant, gen.slot(&w)).0,
            ));
        }
    }
    for (name, ptr) in &listing.functions {
        let raw = decls.written(Space::Function, name, function_of(gen.types, *ptr));
        let Shape::Function(f) = raw.shape(gen.types) else {
            continue;
        };
        if f.variadic {
            let fnptr = Written::pointer(*ptr, raw.clone(), Quals::NONE);
            out.push_str(&gen.value_getter(name, &fnptr));
            globals.push(Global::new(
                name,
                getter(name),
                Word::new(Op::Constant, gen.slot(&fnptr)).0,
            ));
            continue;
        }
        gen.nameable(name, &f)?;
        if wrapper::function(&gen, name, &f, &mut out) {
            version = version.max(VERSION_CHAR16);
        }
        let op = match f.args.len() {
            0 => Op::CpythonBltnN,
            1 => Op::CpythonBltnO,
            _ => Op::CpythonBltnV,
        };
        let mut g = Global::new(
            name,
            format!("(void *)_cffi_f_{name}"),
            Word::new(op, gen.slot(&raw)).0,
        );
        g.extra = format!("(void *)_cffi_d_{name}");
        if f.args.len() > 1 {
            g.fast = Some(format!("(void *)_cffipy_fast_{name}"));
        }
        globals.push(g);
    }
    for (name, id) in &listing.variables {
        let w = decls.written(Space::Variable, name, *id);
        out.push_str(&gen.variable_accessor(name, &w));
        globals.push(Global::new(
            name,
            format!("(void *)_cffi_var_{name}"),
            Word::new(Op::GlobalVarF, gen.slot(&w)).0,
        ));
    }
    for (name, ptr, plus_c) in &listing.extern_python {
        let raw = decls.written(Space::ExternPython, name, function_of(gen.types, *ptr));
        let fnptr = Written::pointer(*ptr, raw.clone(), Quals::NONE);
        let Shape::Function(f) = raw.shape(gen.types) else {
            continue;
        };
        let storage = match (*plus_c, source.embedding) {
            (false, _) => "static ",
            (true, None) => "",
            // `embedding_api()` functions are the library's exports.
            (true, Some(_)) => "CFFI_DLLEXPORT ",
        };
        out.push_str(&wrapper::extern_python(&gen, name, &f, storage));
        flags_word |= 1;
        let mut g = Global::new(
            name,
            format!("(void *)&_cffi_externpy__{name}"),
            Word::new(Op::ExternPython, gen.slot(&fnptr)).0,
        );
        g.extra = format!("(void *){name}");
        globals.push(g);
    }
    globals.sort_by(|a, b| a.name.cmp(&b.name));

    let (fields, records) = gen.records(&mut out);
    write_table(
        &mut out,
        "static const struct _cffi_global_s _cffi_globals[]",
        globals.iter().map(|g| {
            format!(
                "  {{ \"{}\", {}, {}, {} }},\n",
                g.name,
                g.address,
                op_text(g.word),
                g.extra
            )
        }),
    );
    write_table(
        &mut out,
        "static const struct _cffi_field_s _cffi_fields[]",
        fields.iter(),
    );
    write_table(
        &mut out,
        "static const struct _cffi_struct_union_s _cffi_struct_unions[]",
        records.iter(),
    );
    let enums = gen.enums();
    write_table(
        &mut out,
        "static const struct _cffi_enum_s _cffi_enums[]",
        enums.iter(),
    );
    write_table(
        &mut out,
        "static const struct _cffi_typename_s _cffi_typenames[]",
        plan.typenames
            .iter()
            .map(|(name, slot)| format!("  {{ \"{name}\", {slot} }},\n")),
    );
    if !included.is_empty() {
        out.push_str("static const char *const _cffi_includes[] = {\n");
        for (name, _) in included {
            let _ = writeln!(out, "  \"{name}\",");
        }
        out.push_str("  NULL\n};\n\n");
    }
    let table = |name: &str, n: usize| {
        if n == 0 {
            "NULL".to_owned()
        } else {
            name.to_owned()
        }
    };
    // The fast wrappers, parallel to the globals (cffi-py's extension).
    let any_fast = globals.iter().any(|g| g.fast.is_some());
    if any_fast {
        out.push_str("static void *const _cffipy_fast[] = {\n");
        for g in &globals {
            let _ = writeln!(out, "  {},", g.fast.as_deref().unwrap_or("0"));
        }
        out.push_str("};\n\n");
    }
    let _ = write!(
        out,
        "static const struct _cffipy_context_s _cffi_context = {{ {{\n  \
         _cffi_types,\n  {},\n  {},\n  {},\n  {},\n  {},\n  \
         {} /* globals */, {} /* structs and unions */, {} /* enums */, {} /* typenames */,\n  \
         {},\n  {} /* types */,\n  {flags_word} | _CFFIPY_F_EXTENSION /* flags */\n}}, \
         {{ 1, {} }} }};\n#define _cffi_type_context (_cffi_context.ctx)\n\n",
        table("_cffi_globals", globals.len()),
        table("_cffi_fields", fields.len()),
        table("_cffi_struct_unions", records.len()),
        table("_cffi_enums", enums.len()),
        table("_cffi_typenames", plan.typenames.len()),
        globals.len(),
        records.len(),
        enums.len(),
        plan.typenames.len(),
        if included.is_empty() {
            "NULL"
        } else {
            "_cffi_includes"
        },
        plan.words.len(),
        if any_fast { "_cffipy_fast" } else { "NULL" },
    );
    let base = source
        .module_name
        .rsplit('.')
        .next()
        .unwrap_or(source.module_name);
    let _ = write!(
        out,
        "#ifdef __GNUC__\n#  pragma GCC visibility push(default)\n#endif\n\
         PyMODINIT_FUNC\nPyInit_{base}(void)\n{{\n  \
         return _cffi_init(\"{}\", {version:#x}, &_cffi_type_context);\n}}\n\
         #ifdef __GNUC__\n#  pragma GCC visibility pop\n#endif\n",
        source.module_name
    );
    if let Some(code) = source.embedding {
        out.push_str(&embedding::tail(source.module_name, base, code));
    }
    Ok(out)
}

/// The records C cannot name but through a typedef of a pointer to them,
/// with that typedef (the first, in declaration order).
fn named_pointers(types: &TypeTable, listing: &Listing) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, id) in &listing.typedefs {
        if let Type::Pointer(to) = types.get(*id) {
            if let Type::Record(rid) = types.get(*to) {
                let record = &types.record(*rid).name;
                if record.contains('$') && !out.iter().any(|(r, _)| r == record) {
                    out.push((record.clone(), name.clone()));
                }
            }
        }
    }
    out
}

/// One entry of the globals table.
struct Global {
    name: String,
    address: String,
    word: i32,
    extra: String,
    /// cffi-py's METH_FASTCALL wrapper, if there is one.
    fast: Option<String>,
}

impl Global {
    fn new(name: &str, address: String, word: i32) -> Global {
        Global {
            name: name.to_owned(),
            address,
            word,
            extra: "(void *)0".to_owned(),
            fast: None,
        }
    }
}

fn getter(name: &str) -> String {
    format!("(void *)_cffi_const_{name}")
}

/// `static const T name[] = { ... };`, or nothing for an empty table
/// (the context then holds NULL).
fn write_table<S: AsRef<str>>(out: &mut String, head: &str, items: impl Iterator<Item = S>) {
    let mut body = String::new();
    for item in items {
        body.push_str(item.as_ref());
    }
    if body.is_empty() {
        return;
    }
    let _ = write!(out, "{head} = {{\n{body}}};\n\n");
}

/// The C text of a table word.
pub(crate) fn op_text(word: i32) -> String {
    let w = Word(word);
    let name = match w.op() {
        Some(op) => op_macro(op),
        None => return format!("(_cffi_opcode_t){word}"),
    };
    format!("_CFFI_OP({name}, {})", w.arg())
}

fn op_macro(op: Op) -> &'static str {
    match op {
        Op::Primitive => "_CFFI_OP_PRIMITIVE",
        Op::Pointer => "_CFFI_OP_POINTER",
        Op::Array => "_CFFI_OP_ARRAY",
        Op::OpenArray => "_CFFI_OP_OPEN_ARRAY",
        Op::StructUnion => "_CFFI_OP_STRUCT_UNION",
        Op::Enum => "_CFFI_OP_ENUM",
        Op::Function => "_CFFI_OP_FUNCTION",
        Op::FunctionEnd => "_CFFI_OP_FUNCTION_END",
        Op::Noop => "_CFFI_OP_NOOP",
        Op::Bitfield => "_CFFI_OP_BITFIELD",
        Op::Typename => "21",
        Op::CpythonBltnV => "_CFFI_OP_CPYTHON_BLTN_V",
        Op::CpythonBltnN => "_CFFI_OP_CPYTHON_BLTN_N",
        Op::CpythonBltnO => "_CFFI_OP_CPYTHON_BLTN_O",
        Op::Constant => "_CFFI_OP_CONSTANT",
        Op::ConstantInt => "_CFFI_OP_CONSTANT_INT",
        Op::GlobalVar => "33",
        Op::DlopenFunc => "35",
        Op::DlopenConst => "37",
        Op::GlobalVarF => "_CFFI_OP_GLOBAL_VAR_F",
        Op::ExternPython => "_CFFI_OP_EXTERN_PYTHON",
    }
}

/// The getter of an integer constant or enumerator (§4.1): the value as
/// 64 bits, 1 when it is not positive, 2 more when the cdef wrote another
/// value than the compiler's.
fn int_getter(name: &str, expected: Option<i128>) -> String {
    let mut s = format!(
        "static int _cffi_const_{name}(unsigned long long *o)\n{{\n  \
         int n = (({name}) <= 0);\n  \
         *o = (unsigned long long)(({name}) | 0);  /* an integer, not a float */\n"
    );
    if let Some(v) = expected {
        let nonpos = i32::from(v <= 0);
        let bits = v as u64;
        let _ = write!(
            s,
            "  if (n != {nonpos} || *o != {bits:#x}ULL)  /* the cdef says {v} */\n    n |= 2;\n"
        );
    }
    s.push_str("  return n;\n}\n\n");
    s
}

/// What the generator reads while it writes.
pub(crate) struct Generator<'a> {
    pub(crate) types: &'a TypeTable,
    pub(crate) decls: &'a Declarations,
    pub(crate) plan: &'a Plan,
    pub(crate) module_name: &'a str,
    /// C names of the records only a pointer typedef names, and that
    /// typedef: C spells the record through it.
    named_pointers: Vec<(String, String)>,
    /// True if some struct, union or enum of the module may have no C
    /// name (`$1`): only then can a type fail to be spelled.
    unnamed_records: bool,
    /// The spelling of each type met so far (see `name_parts`).
    names: std::cell::RefCell<rustc_hash::FxHashMap<Written, (String, usize)>>,
}

impl Generator<'_> {
    /// The slot of a type the plan collected.
    pub(crate) fn slot(&self, w: &Written) -> i32 {
        self.plan.at(w) as i32
    }

    /// The C name of a written type, for casts and declarations.
    pub(crate) fn c_name(&self, w: &Written) -> String {
        self.spell(self.name_parts(w).0)
    }

    /// A C declaration of `name` with the written type.
    pub(crate) fn c_decl(&self, w: &Written, name: &str) -> String {
        self.spell(ctypes_model::written::with_declarator(
            self.name_parts(w),
            name,
        ))
    }

    /// `Written::c_name_parts`, once per type: a module spells the same
    /// few types thousands of times.
    fn name_parts(&self, w: &Written) -> (String, usize) {
        if let Some(parts) = self.names.borrow().get(w) {
            return parts.clone();
        }
        let parts = w.c_name_parts(self.types);
        self.names.borrow_mut().insert(w.clone(), parts.clone());
        parts
    }

    /// A pointer to a struct only a pointer typedef names (`typedef
    /// struct {...} *t;`, `typedef ... *t;`) is spelled by that typedef.
    fn spell(&self, mut text: String) -> String {
        if self.named_pointers.is_empty() {
            return text;
        }
        for (record, typedef) in &self.named_pointers {
            let pointer = format!("{record} *");
            if text.contains(&pointer) {
                text = text.replace(&pointer, &format!("{typedef} "));
            }
        }
        text
    }

    /// True for the integer types cffi converts as integers (`_Bool` and
    /// `typedef int...` included, characters not).
    pub(crate) fn is_integer(&self, w: &Written) -> bool {
        matches!(w.shape(self.types), Shape::Leaf(id)
            if self.compiler_kind(id) == Some(CompilerType::Int)
                || matches!(self.types.get(id), Type::Primitive(p)
                    if p.is_integer() || *p == Primitive::Bool))
    }

    /// Refuses a function whose parameter or result type C cannot spell
    /// (a pointer to a pointer to an anonymous struct, say), as the
    /// original does.
    fn nameable(&self, name: &str, f: &WrittenFunction) -> Result<(), EmitError> {
        if !self.unnamed_records {
            return Ok(());
        }
        let unnamed = |w: &Written| {
            let spelled = self.c_name(w);
            spelled.contains('$').then_some(spelled)
        };
        for a in &f.args {
            if let Some(t) = unnamed(a) {
                return Err(EmitError::Verification(format!(
                    "function {name}: in argument of {name}: unknown type name '{t}'"
                )));
            }
        }
        if let Some(t) = unnamed(&f.result) {
            return Err(EmitError::Verification(format!(
                "function {name}: in result of {name}: unknown type name '{t}'"
            )));
        }
        Ok(())
    }

    /// What kind of compiler-completed typedef `id` stands for, if any.
    pub(crate) fn compiler_kind(&self, id: TypeId) -> Option<CompilerType> {
        self.decls.compiler_type(id).map(|(_, k)| k)
    }

    /// The generation-time refusals of F-08.49, by declaration.
    fn check(&self, listing: &Listing) -> Result<(), EmitError> {
        if let Some(name) = self.decls.enumerator_clashes().first() {
            return Err(EmitError::Verification(format!(
                "duplicate declaration of const '{name}'"
            )));
        }
        for (name, ptr) in &listing.functions {
            let f = function_of(self.types, *ptr);
            if let Type::Function(ft) = self.types.get(f) {
                if let Some(rid) = self.opaque_record(ft.result) {
                    return Err(EmitError::Type(format!(
                        "function {name}: '{}' is used as result type, but is opaque",
                        self.types.record(rid).name
                    )));
                }
            }
        }
        for (name, id) in &self.plan.records {
            if self.plan.external.contains(id) {
                continue;
            }
            let Type::Record(rid) = *self.types.get(*id) else {
                continue;
            };
            let rec = self.types.record(rid);
            let Some(body) = rec.body.as_ref() else {
                continue;
            };
            let key = match rec.kind {
                RecordKind::Struct => "struct",
                RecordKind::Union => "union",
            };
            let short = name.trim_start_matches('$');
            if let Some(p) = body.pack.filter(|p| *p > 1) {
                return Err(EmitError::NotImplemented(format!(
                    "{key} {short}: '{}' is declared with 'pack={p}'; only 0 or 1 are supported \
                     in API mode (try to use \"...;\", which does not require a 'pack' \
                     declaration)",
                    rec.name
                )));
            }
            for f in record_fields(self.types, self.decls, *id, Mode::C) {
                let Some(ty) = by_value(&f.ty, self.types) else {
                    continue;
                };
                if self.opaque_record(ty).is_some() {
                    return Err(EmitError::Type(format!(
                        "{key} {short}: field '{short}.{}' is of an opaque type (not declared in \
                         cdef())",
                        f.name
                    )));
                }
            }
        }
        Ok(())
    }

    fn opaque_record(&self, id: TypeId) -> Option<ctypes_model::RecordId> {
        if matches!(self.decls.compiler_type(id), Some((_, k)) if k != CompilerType::Opaque) {
            return None;
        }
        match self.types.get(id) {
            Type::Record(rid) if self.types.record(*rid).body.is_none() => Some(*rid),
            _ => None,
        }
    }

    /// The type table, one word per line with the type's name.
    fn write_types(&self, out: &mut String) {
        let mut names: Vec<Option<String>> = vec![None; self.plan.words.len()];
        for (w, _) in &self.plan.order {
            names[self.plan.at(w)] = Some(self.c_name(w));
        }
        let lengths = self.plan.length_slots();
        out.push_str("static void *_cffi_types[] = {\n");
        if self.plan.words.is_empty() {
            out.push_str("  0\n");
        }
        for (i, word) in self.plan.words.iter().enumerate() {
            let text = match self.plan.exprs.get(&i) {
                Some(SlotExpr::Primitive(e)) => format!("_CFFI_OP(_CFFI_OP_PRIMITIVE, {e})"),
                Some(SlotExpr::Length(e)) => format!("(_cffi_opcode_t)({e})"),
                None if lengths.contains(&i) => format!("(_cffi_opcode_t)({word})"),
                None => op_text(*word),
            };
            let _ = write!(out, "/* {i:3} */ {text},");
            if let Some(name) = &names[i] {
                let _ = write!(out, " /* {} */", name.replace("*/", "* /"));
            }
            out.push('\n');
        }
        out.push_str("};\n\n");
    }

    /// `static void _cffi_const_NAME(char *o)`: stores the value of a
    /// non-integer constant (or of a variadic function's address).
    fn value_getter(&self, name: &str, w: &Written) -> String {
        let ptr = Written::Pointer(Box::new(w.clone()), Quals::NONE);
        format!(
            "static void _cffi_const_{name}(char *o)\n{{\n  *({})o = {name};\n}}\n\n",
            self.c_name(&ptr)
        )
    }

    /// `static T *_cffi_var_NAME(void)`: the address of a variable; an
    /// array of unknown length hands out its first item's.
    fn variable_accessor(&self, name: &str, w: &Written) -> String {
        let (target, amp) = match w.shape(self.types) {
            Shape::Array(item, None) => (item, ""),
            _ => (w.clone(), "&"),
        };
        let ptr = Written::Pointer(Box::new(target), self.decls.variable_quals(name));
        format!(
            "static {}\n{{\n  return {amp}({name});\n}}\n\n",
            self.c_decl(&ptr, &format!("_cffi_var_{name}(void)"))
        )
    }
}

/// The struct, union, enum or primitive a field of type `w` holds by
/// value (through arrays), if any.
fn by_value(w: &Written, types: &TypeTable) -> Option<TypeId> {
    match w.shape(types) {
        Shape::Array(item, _) | Shape::CompilerArray(item, _) => by_value(&item, types),
        Shape::Leaf(id) => Some(id),
        Shape::Pointer(..) | Shape::Function(_) => None,
    }
}
