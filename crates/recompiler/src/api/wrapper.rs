//! The C functions generated per function declaration: the direct call
//! (`_cffi_d_NAME`, the C function itself behind `ffi.addressof(lib,
//! "NAME")`), the CPython wrapper (`_cffi_f_NAME`, docs/protocol.md §6.3),
//! and the bodies of `extern "Python"` functions (§8).

use super::Generator;
use ctypes_model::written::{Quals, Shape, Written, WrittenFunction};
use ctypes_model::{CompilerType, Primitive, PrimitiveKind, Type};
use std::fmt::Write as _;

/// How a value of one type crosses between Python and C.
enum Conv {
    /// An integer: by size and signedness.
    Int,
    /// `_Bool`, `char`, `wchar_t`, `char16_t`, `char32_t`, `float`,
    /// `double`, `long double`: a converter named after the type.
    Named(&'static str),
    /// `T *`: a cdata, or an initializer for a temporary array.
    Pointer,
    /// A function pointer: a cdata only.
    FunctionPointer,
    /// A struct, union, enum or complex: through its ctype.
    ByType,
    /// `void` (results only).
    Void,
}

fn conv(g: &Generator<'_>, w: &Written) -> Conv {
    match w.shape(g.types) {
        Shape::Pointer(to, _) if matches!(to.shape(g.types), Shape::Function(_)) => {
            Conv::FunctionPointer
        }
        Shape::Pointer(..) | Shape::Array(..) | Shape::CompilerArray(..) => Conv::Pointer,
        Shape::Function(_) => Conv::FunctionPointer,
        Shape::Leaf(id) => match g.types.get(id) {
            _ if g.compiler_kind(id) == Some(CompilerType::Int) => Conv::Int,
            _ if g.compiler_kind(id) == Some(CompilerType::Float) => Conv::Named("double"),
            Type::Void => Conv::Void,
            Type::Primitive(p) => match (p, p.kind()) {
                (Primitive::Bool, _) => Conv::Named("_Bool"),
                (_, PrimitiveKind::Signed | PrimitiveKind::Unsigned) => Conv::Int,
                (Primitive::Char, _) => Conv::Named("char"),
                (Primitive::WChar, _) => Conv::Named("wchar_t"),
                (Primitive::Char16, _) => Conv::Named("char16_t"),
                (Primitive::Char32, _) => Conv::Named("char32_t"),
                (Primitive::Float, _) => Conv::Named("float"),
                (Primitive::Double, _) => Conv::Named("double"),
                (Primitive::LongDouble, _) => Conv::Named("long_double"),
                _ => Conv::ByType,
            },
            Type::Record(_) | Type::Enum(_) => Conv::ByType,
            Type::Pointer(_) | Type::Array { .. } => Conv::Pointer,
            Type::Function(_) => Conv::FunctionPointer,
        },
    }
}

fn is_char16(c: &Conv) -> bool {
    matches!(c, Conv::Named("char16_t" | "char32_t"))
}

/// `RET NAME(A0 x0, A1 x1)` with the parameters named `{prefix}{k}`.
fn signature(g: &Generator<'_>, name: &str, f: &WrittenFunction, prefix: &str) -> String {
    let params: Vec<String> = f
        .args
        .iter()
        .enumerate()
        .map(|(k, a)| g.c_decl(a, &format!("{prefix}{k}")))
        .collect();
    let params = if params.is_empty() {
        "void".to_owned()
    } else {
        params.join(", ")
    };
    g.c_decl(&f.result, &format!("{name}({params})"))
}

fn call(name: &str, f: &WrittenFunction) -> String {
    let args: Vec<String> = (0..f.args.len()).map(|k| format!("x{k}")).collect();
    format!("{name}({})", args.join(", "))
}

/// Appends the direct function and the CPython wrapper of a
/// non-variadic function to `s`; returns true if they convert `char16_t`
/// or `char32_t` (version 0x2801).
pub(crate) fn function(g: &Generator<'_>, name: &str, f: &WrittenFunction, s: &mut String) -> bool {
    let mut char16 = false;
    let void = matches!(conv(g, &f.result), Conv::Void);
    // The direct function.
    let _ = writeln!(
        s,
        "static {}\n{{\n  {}{};\n}}\n",
        signature(g, &format!("_cffi_d_{name}"), f, "x"),
        if void { "" } else { "return " },
        call(name, f)
    );
    // The wrapper. With two or more parameters, the body is a
    // METH_FASTCALL function (what cffi-py's backend calls), and the
    // METH_VARARGS wrapper the protocol wants unpacks the tuple into it.
    let n = f.args.len();
    let (head, unpack) = match n {
        0 => (
            format!("_cffi_f_{name}(PyObject *self, PyObject *noarg)"),
            String::new(),
        ),
        1 => (
            format!("_cffi_f_{name}(PyObject *self, PyObject *arg0)"),
            String::new(),
        ),
        n => {
            let mut unpack = format!("  _CFFIPY_CHECK_ARGS(\"{name}\", {n});\n");
            for k in 0..n {
                let _ = writeln!(unpack, "  arg{k} = args[{k}];");
            }
            (
                format!(
                    "_cffipy_fast_{name}(PyObject *self, PyObject *const *args, Py_ssize_t nargs, \
                     PyObject *kwnames)"
                ),
                unpack,
            )
        }
    };
    let convs: Vec<Conv> = f.args.iter().map(|a| conv(g, a)).collect();
    let scratch = convs.iter().any(|c| matches!(c, Conv::Pointer));
    let fail = if scratch { "goto done" } else { "return NULL" };
    let _ = writeln!(s, "static PyObject *\n{head}\n{{");
    for (k, a) in f.args.iter().enumerate() {
        let _ = writeln!(s, "  {};", g.c_decl(a, &format!("x{k}")));
    }
    if !void {
        let _ = writeln!(s, "  {};", g.c_decl(&f.result, "result"));
    }
    if f.args.len() > 1 {
        for k in 0..f.args.len() {
            let _ = writeln!(s, "  PyObject *arg{k};");
        }
    }
    if convs.iter().any(|c| matches!(c, Conv::Int)) {
        s.push_str("  long long v;\n");
    }
    if scratch {
        s.push_str("  _CFFIPY_SCRATCH;\n");
    }
    s.push_str("  (void)self;\n");
    if f.args.is_empty() {
        s.push_str("  (void)noarg;\n");
    }
    s.push_str(&unpack);
    for (k, (a, c)) in f.args.iter().zip(&convs).enumerate() {
        char16 |= is_char16(c);
        let ty = g.c_name(a);
        match c {
            // A type name without commas can go through the macros.
            Conv::Int if !ty.contains(',') => {
                let _ = writeln!(s, "  _CFFIPY_TO_INT(x{k}, arg{k}, {ty}, {fail})");
            }
            Conv::Named(conv_name) if !ty.contains(',') => {
                let _ = writeln!(
                    s,
                    "  _CFFIPY_TO(x{k}, arg{k}, {ty}, _cffi_to_c_{conv_name}, {fail});"
                );
            }
            Conv::Int | Conv::Named(_) => {
                let convert = match c {
                    Conv::Named(conv_name) => format!("({ty})_cffi_to_c_{conv_name}(arg{k})"),
                    _ => format!("_cffi_to_c_int(arg{k}, {ty})"),
                };
                let _ = writeln!(
                    s,
                    "  x{k} = {convert};\n  if (x{k} == ({ty})-1 && PyErr_Occurred())\n    {fail};"
                );
            }
            Conv::FunctionPointer => {
                let _ = writeln!(
                    s,
                    "  x{k} = ({ty})_cffi_to_c_pointer(arg{k}, _cffi_type({}));\n  \
                     if (x{k} == ({ty})NULL && PyErr_Occurred())\n    {fail};",
                    g.slot(a)
                );
            }
            Conv::Pointer => {
                let _ = writeln!(
                    s,
                    "  _CFFIPY_TO_PTR(x{k}, arg{k}, _cffi_type({}), {fail});",
                    g.slot(a)
                );
            }
            Conv::ByType => {
                let _ = writeln!(
                    s,
                    "  _CFFIPY_TO_BY_TYPE(x{k}, arg{k}, _cffi_type({}), {fail});",
                    g.slot(a)
                );
            }
            Conv::Void => {}
        }
    }
    let _ = writeln!(
        s,
        "  _CFFIPY_CALL({}{});",
        if void { "" } else { "result = " },
        call(name, f)
    );
    let rc = conv(g, &f.result);
    char16 |= is_char16(&rc);
    let result = match rc {
        Conv::Void => "(Py_INCREF(Py_None), Py_None)".to_owned(),
        Conv::Int => format!("_cffi_from_c_int(result, {})", g.c_name(&f.result)),
        Conv::Named("long_double") => format!(
            "_cffi_from_c_deref((char *)&result, _cffi_type({}))",
            g.slot(&f.result)
        ),
        Conv::Named(n) => format!("_cffi_from_c_{n}(result)"),
        Conv::Pointer | Conv::FunctionPointer => format!(
            "_cffi_from_c_pointer((char *)result, _cffi_type({}))",
            g.slot(&f.result)
        ),
        Conv::ByType => {
            let struct_like = matches!(f.result.shape(g.types), Shape::Leaf(id)
                if matches!(g.types.get(id), Type::Record(_)));
            format!(
                "{}((char *)&result, _cffi_type({}))",
                if struct_like {
                    "_cffi_from_c_struct"
                } else {
                    "_cffi_from_c_deref"
                },
                g.slot(&f.result)
            )
        }
    };
    if scratch {
        let _ = writeln!(
            s,
            "  pyresult = {result};\n done:\n  _cffi_scratch_free(&scratch);\n  return pyresult;\n}}\n"
        );
    } else {
        let _ = writeln!(s, "  return {result};\n}}\n");
    }
    if n > 1 {
        let _ = writeln!(
            s,
            "static PyObject *\n_cffi_f_{name}(PyObject *self, PyObject *args)\n{{\n  \
             PyObject *a[{n}];\n  \
             if (!PyArg_UnpackTuple(args, \"{name}\", {n}, {n}, {}))\n    return NULL;\n  \
             return _cffipy_fast_{name}(self, a, {n}, NULL);\n}}\n",
            (0..n)
                .map(|k| format!("&a[{k}]"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    char16
}

/// The record and the C function of an `extern "Python"` declaration
/// (`storage`: `static `, nothing for `"Python+C"`, or the export macro of
/// an embedding library):
/// the arguments go into 8-byte slots (structs, unions and `long double`
/// by address), the result comes back at the start of the same buffer.
pub(crate) fn extern_python(
    g: &Generator<'_>,
    name: &str,
    f: &WrittenFunction,
    storage: &str,
) -> String {
    let void = matches!(conv(g, &f.result), Conv::Void);
    let mut s = String::new();
    let size = if void {
        "0".to_owned()
    } else {
        format!("sizeof({})", g.c_name(&f.result))
    };
    let _ = writeln!(
        s,
        "static struct _cffi_externpy_s _cffi_externpy__{name} =\n  {{ \"{}.{name}\", {size}, 0, 0 }};\n",
        g.module_name
    );
    let slots = f.args.len().max(1) * 8;
    let _ = writeln!(
        s,
        "{storage}{}\n{{\n  union {{ char c[{slots}]; long double ld; void *p;{} }} buf;\n  char *p = buf.c;",
        signature(g, name, f, "a"),
        if void {
            String::new()
        } else {
            format!(" {};", g.c_decl(&f.result, "r"))
        }
    );
    for (k, a) in f.args.iter().enumerate() {
        let by_address = match a.shape(g.types) {
            Shape::Leaf(id) => matches!(
                g.types.get(id),
                Type::Record(_) | Type::Primitive(Primitive::LongDouble)
            ),
            _ => false,
        };
        let ptr = Written::Pointer(Box::new(a.clone()), Quals::NONE);
        if by_address {
            let pp = Written::Pointer(Box::new(ptr), Quals::NONE);
            let _ = writeln!(s, "  *({})(p + {}) = &a{k};", g.c_name(&pp), 8 * k);
        } else {
            let _ = writeln!(s, "  *({})(p + {}) = a{k};", g.c_name(&ptr), 8 * k);
        }
    }
    let _ = writeln!(s, "  _cffi_call_python(&_cffi_externpy__{name}, p);");
    if void {
        s.push_str("}\n\n");
    } else {
        let ptr = Written::Pointer(Box::new(f.result.clone()), Quals::NONE);
        let _ = writeln!(s, "  return *({})p;\n}}\n", g.c_name(&ptr));
    }
    s
}
