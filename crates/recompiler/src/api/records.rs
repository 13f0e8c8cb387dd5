//! The struct, union and enum tables of a generated module, with the
//! C the compiler checks them with: sizes, alignments and offsets as
//! `sizeof`/`offsetof` expressions (docs/protocol.md §4.2 to §4.4).

use super::{op_text, Generator};
use ctypes_model::written::{Shape, Written};
use ctypes_model::{RecordKind, SmolStr, Type};
use std::fmt::Write as _;
use type_context::encode::{record_fields, Mode};
use type_context::op::{Op, Word};
use type_context::tables::flags;

impl Generator<'_> {
    /// The field and struct tables, and the compile-time checks and
    /// alignment probes they refer to (appended to `code`).
    pub(super) fn records(&self, code: &mut String) -> (Vec<String>, Vec<String>) {
        let file = self.plan.records.iter().find(|(n, _)| n == "_IO_FILE");
        let mut fields: Vec<String> = Vec::new();
        let mut entries: Vec<String> = Vec::new();
        for (name, id) in &self.plan.records {
            let Type::Record(rid) = *self.types.get(*id) else {
                continue;
            };
            let rec = self.types.record(rid);
            let primary = self.slot(&Written::Plain(*id));
            let mut flag = 0;
            if rec.kind == RecordKind::Union {
                flag |= flags::UNION;
            }
            let external = self.plan.external.contains(id);
            let body = rec
                .body
                .as_ref()
                .filter(|_| file.is_none_or(|(_, f)| f != id));
            let Some(body) = body.filter(|_| !external) else {
                if body.is_none() {
                    flag |= flags::OPAQUE;
                }
                if external {
                    flag |= flags::EXTERNAL;
                }
                entries.push(format!(
                    "  {{ \"{name}\", {primary}, {flag:#x}, (size_t)-1, -1, -1, 0 }},\n"
                ));
                continue;
            };
            let planned = record_fields(self.types, self.decls, *id, Mode::C);
            let anonymous = body
                .fields
                .iter()
                .any(|f| f.name.is_none() && f.bits.is_none());
            if !body.partial && !anonymous {
                flag |= flags::CHECK_FIELDS;
            }
            if body.packed || body.pack == Some(1) {
                flag |= flags::PACKED;
            }
            // A record C cannot name (`$1`) is laid out by the runtime,
            // unless a pointer typedef names it.
            let c_name = (!rec.name.contains('$')).then_some(rec.name.as_str());
            let named_ptr = self
                .named_pointers
                .iter()
                .find(|(r, _)| *r == rec.name)
                .map(|(_, t)| t.as_str());
            let first = fields.len();
            for f in &planned {
                let word = match f.bits {
                    Some(_) => Word::new(Op::Bitfield, self.slot(&f.ty)).0,
                    None => Word::new(Op::Noop, self.slot(&f.ty)).0,
                };
                let open = matches!(f.ty.shape(self.types), Shape::Array(_, None));
                let (offset, size) = match (c_name, f.bits) {
                    (_, Some(bits)) => ("(size_t)-1".to_owned(), format!("{bits} /* bits */")),
                    (None, None) if named_ptr.is_some() => {
                        let p = named_ptr.unwrap_or_default();
                        (
                            format!(
                                "(size_t)(((char *)&(({p})4096)->{}) - (char *)4096)",
                                f.name
                            ),
                            if open {
                                "(size_t)-1".to_owned()
                            } else {
                                format!("sizeof((({p})0)->{})", f.name)
                            },
                        )
                    }
                    (None, None) => ("(size_t)-1".to_owned(), "(size_t)-1".to_owned()),
                    (Some(c), None) => (
                        format!("offsetof({c}, {})", f.name),
                        if open {
                            "(size_t)-1".to_owned()
                        } else {
                            format!("sizeof((({c} *)0)->{})", f.name)
                        },
                    ),
                };
                fields.push(format!(
                    "  {{ \"{}\", {offset}, {size}, {} }},\n",
                    f.name,
                    op_text(word)
                ));
            }
            let (size, align) = match c_name {
                None if named_ptr.is_some() => (
                    format!("sizeof(*({})0)", named_ptr.unwrap_or_default()),
                    "-1 /* unknown alignment */".to_owned(),
                ),
                None => ("(size_t)-2".to_owned(), "-2".to_owned()),
                Some(c) => {
                    let probe = align_probe(c);
                    code.push_str(&self.field_checks(c, &planned));
                    let _ = writeln!(code, "struct {probe} {{ char x; {c} y; }};\n");
                    (
                        format!("sizeof({c})"),
                        format!("(int)offsetof(struct {probe}, y)"),
                    )
                }
            };
            entries.push(format!(
                "  {{ \"{name}\", {primary}, {flag:#x}, {size}, {align}, {first}, {} }},\n",
                planned.len()
            ));
        }
        (fields, entries)
    }

    /// A function the compiler checks the declared field types with:
    /// integers need only be integers, other fields must match exactly
    /// (F-08.37).
    fn field_checks(&self, c_name: &str, planned: &[type_context::encode::PlannedField]) -> String {
        let mut s = format!(
            "_CFFI_UNUSED_FN static void {}({c_name} *p)\n{{\n  (void)p;\n",
            check_fn(c_name)
        );
        for f in planned {
            if f.name.is_empty() || self.c_name(&f.ty).contains('$') {
                // An unnamed bit field, or a type C cannot spell (`struct
                // $1`): nothing to check.
                continue;
            }
            if f.bits.is_some() || self.is_integer(&f.ty) {
                let _ = writeln!(s, "  (void)((p->{}) | 0);", f.name);
            } else {
                let ptr = Written::Pointer(Box::new(f.ty.clone()), f.quals);
                let _ = writeln!(
                    s,
                    "  {{ {} = &p->{}; (void)tmp; }}",
                    self.c_decl(&ptr, "tmp"),
                    f.name
                );
            }
        }
        s.push_str("}\n\n");
        s
    }

    /// The enum table: the integer type the compiler chose for each, and
    /// the enumerators in written order.
    pub(super) fn enums(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, id) in &self.plan.enums {
            let Type::Enum(eid) = self.types.get(*id) else {
                continue;
            };
            let def = self.types.enum_def(*eid);
            // A partial enum's names in written order, as C's values are
            // named by the first enumerator holding each.
            let names: Vec<&str> = match self.decls.partial_enum_order(*id) {
                Some(order) if def.partial => order.iter().map(SmolStr::as_str).collect(),
                _ => def.values.iter().map(|(n, _)| n.as_str()).collect(),
            };
            let names: Vec<&str> = names.into_iter().filter(|n| !n.is_empty()).collect();
            out.push(format!(
                "  {{ \"{name}\", {}, {}, \"{}\" }},\n",
                self.slot(&Written::Plain(*id)),
                self.enum_prim(&def.name, def),
                names.join(",")
            ));
        }
        out
    }

    /// The underlying integer of an enum: the compiler's, when C can name
    /// the enum.
    fn enum_prim(&self, c_name: &str, def: &ctypes_model::EnumDef) -> String {
        if c_name.contains('$') {
            let size = def.underlying.size(self.types.target());
            let signed = def.underlying.is_signed(self.types.target());
            return format!("_cffi_prim_int({size}, {})", i32::from(signed));
        }
        format!("_cffi_prim_int(sizeof({c_name}), (({c_name})-1) <= 0)")
    }
}

/// An identifier for a C type name: `struct foo` → `s_foo`, a typedef
/// `foo_t` → `t_foo_t` (kinds apart, so names cannot collide).
fn ident_of(c_name: &str) -> String {
    let (kind, rest) = match c_name.split_once(' ') {
        Some(("struct", r)) => ("s", r),
        Some(("union", r)) => ("u", r),
        Some(("enum", r)) => ("e", r),
        _ => ("t", c_name),
    };
    let rest: String = rest
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{kind}_{rest}")
}

fn align_probe(c_name: &str) -> String {
    format!("_cffi_align_{}", ident_of(c_name))
}

fn check_fn(c_name: &str) -> String {
    format!("_cffi_checkfld_{}", ident_of(c_name))
}
