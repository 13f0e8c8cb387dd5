//! `cargo xtask layout-check`: the type model against the C compiler.
//!
//! Random struct and union declarations (nested records, arrays, bit
//! fields of every integer type and width including `:0`, packed and
//! `#pragma pack`, aligned fields, anonymous members, flexible arrays) are
//! laid out by `ctypes-model` and compiled by the system C compiler into a
//! program that prints `sizeof`, `_Alignof`, every `offsetof`, and the
//! first bit of every bit field (found by setting the field and scanning
//! the bytes). Any difference is reported with the declaration.

use ctypes_model::{Declarations, Target, Type, TypeTable};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Integer types usable as bit fields, with their width in bits.
const INT_TYPES: &[(&str, u64)] = &[
    ("char", 8),
    ("signed char", 8),
    ("unsigned char", 8),
    ("short", 16),
    ("unsigned short", 16),
    ("int", 32),
    ("unsigned int", 32),
    ("long", 64),
    ("unsigned long", 64),
    ("long long", 64),
    ("unsigned long long", 64),
    ("_Bool", 1),
];
const OTHER_TYPES: &[&str] = &["float", "double", "void *", "char *", "int (*)(int)"];

struct Gen {
    rng: Rng,
    /// Records declared so far in this batch, usable as field types.
    done: Vec<String>,
    counter: usize,
    long_bits: u64,
}

impl Gen {
    fn field_name(&mut self) -> String {
        self.counter += 1;
        format!("f{}", self.counter)
    }

    /// A plain field declaration (no bit field).
    fn plain_field(&mut self, depth: u32) -> String {
        let name = self.field_name();
        let base = match self.rng.below(10) {
            0..=4 => INT_TYPES[self.rng.below(INT_TYPES.len() as u64 - 1) as usize]
                .0
                .to_owned(),
            5 | 6 => OTHER_TYPES[self.rng.below(OTHER_TYPES.len() as u64) as usize].to_owned(),
            _ if !self.done.is_empty() => {
                self.done[self.rng.below(self.done.len() as u64) as usize].clone()
            }
            _ => "int".to_owned(),
        };
        let decl = if base.contains("(*)") {
            base.replace("(*)", &format!("(*{name})"))
        } else {
            format!("{base} {name}")
        };
        let decl = if self.rng.chance(20) && !base.contains("(*)") {
            format!("{decl}[{}]", 1 + self.rng.below(4))
        } else {
            decl
        };
        if depth < 2 && self.rng.chance(8) {
            return format!(
                "{decl} __attribute__((aligned({})))",
                1 << self.rng.below(5)
            );
        }
        decl
    }

    fn bit_field(&mut self) -> String {
        let (ty, width) = INT_TYPES[self.rng.below(INT_TYPES.len() as u64) as usize];
        // `long` is as wide as the target says.
        let width = if ty.ends_with("long") && !ty.ends_with("long long") {
            self.long_bits
        } else {
            width
        };
        let bits = self.rng.below(width + 1);
        if bits == 0 || self.rng.chance(15) {
            format!("{ty} : {bits}")
        } else {
            format!("{ty} {} : {bits}", self.field_name())
        }
    }

    /// The inside of a record body.
    fn body(&mut self, depth: u32, allow_flexible: bool) -> String {
        let mut s = String::new();
        let n = 1 + self.rng.below(6);
        for _ in 0..n {
            let field = match self.rng.below(10) {
                0..=4 => self.plain_field(depth),
                5..=7 => self.bit_field(),
                _ if depth < 2 => {
                    let kw = if self.rng.chance(50) {
                        "struct"
                    } else {
                        "union"
                    };
                    let inner = self.body(depth + 1, false);
                    if self.rng.chance(50) {
                        format!("{kw} {{ {inner} }}")
                    } else {
                        format!("{kw} {{ {inner} }} {}", self.field_name())
                    }
                }
                _ => self.plain_field(depth),
            };
            s.push_str(&field);
            s.push_str("; ");
        }
        if allow_flexible && self.rng.chance(10) {
            // C wants a named member before a flexible array.
            let (named, flexible) = (self.field_name(), self.field_name());
            let _ = write!(s, "char {named}; int {flexible}[]; ");
        }
        s
    }

    /// One top-level declaration: `(text, tag)`.
    fn declaration(&mut self, index: usize) -> (String, String) {
        let is_union = self.rng.chance(20);
        let kw = if is_union { "union" } else { "struct" };
        let tag = format!("{kw} r{index}");
        let body = self.body(0, !is_union);
        let packed = if self.rng.chance(10) {
            " __attribute__((packed))"
        } else {
            ""
        };
        let text = format!("{tag} {{ {body}}}{packed};");
        let text = if self.rng.chance(10) {
            let n = 1 << self.rng.below(4);
            format!("#pragma pack(push, {n})\n{text}\n#pragma pack(pop)")
        } else {
            text
        };
        (text, tag)
    }
}

/// What the model says, and what the C program must print, for a batch.
struct Batch {
    decls: Vec<(String, String)>,
}

/// True when record `rid`'s layout fails as cffi's does too: a packed bit
/// field that gcc would lay out over the previous field's bits, in the
/// record or in one it holds (directly or in arrays).
fn refused_as_cffi_does(types: &TypeTable, rid: ctypes_model::RecordId) -> bool {
    match types.layout(rid) {
        Err(ctypes_model::LayoutError::PackedBitFieldReuse(_)) => true,
        Err(ctypes_model::LayoutError::UnknownFieldSize { .. }) => {
            let Some(body) = &types.record(rid).body else {
                return false;
            };
            body.fields.iter().any(|f| {
                let mut ty = f.ty;
                while let Type::Array { item, .. } = *types.get(ty) {
                    ty = item;
                }
                matches!(*types.get(ty), Type::Record(inner) if refused_as_cffi_does(types, inner))
            })
        }
        Ok(_) | Err(_) => false,
    }
}

/// What the model says for each declaration of `batch`; `None` for one it
/// refuses as cffi does (a packed bit field that gcc would lay out over
/// the previous field's bits), which is left out of the comparison.
fn model_lines(batch: &Batch, target: Target) -> Result<Vec<Option<Vec<String>>>, String> {
    let mut types = TypeTable::new(target);
    let mut decls = Declarations::new();
    let mut out = Vec::with_capacity(batch.decls.len());
    for (text, tag) in &batch.decls {
        decls
            .cdef(&mut types, text, &Default::default())
            .map_err(|e| format!("{e}\n{text}"))?;
        let id = decls
            .parse_type(&mut types, tag)
            .map_err(|e| e.to_string())?;
        let Type::Record(rid) = *types.get(id) else {
            return Err(format!("{tag} is not a record"));
        };
        if refused_as_cffi_does(&types, rid) {
            out.push(None);
            continue;
        }
        let layout = types.layout(rid).map_err(|e| format!("{e}\n{text}"))?;
        let mut lines = vec![format!("size {} align {}", layout.size, layout.align)];
        for f in types.flat_fields(rid).map_err(|e| e.to_string())? {
            match f.bit_offset {
                Some(bit) => lines.push(format!("{} bit {bit}", f.name)),
                None => lines.push(format!("{} offset {}", f.name, f.offset)),
            }
        }
        out.push(Some(lines));
    }
    Ok(out)
}

fn c_program(batch: &Batch, model: &[Vec<String>]) -> String {
    let mut c = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <string.h>\n\
         static int first_bit(const unsigned char *p, size_t n) {\n\
         for (size_t i = 0; i < n * 8; i++) if (p[i / 8] >> (i % 8) & 1) return (int)i;\n\
         return -1; }\n",
    );
    for (text, _) in &batch.decls {
        c.push_str(text);
        c.push('\n');
    }
    c.push_str("int main(void) {\n");
    for (i, ((_, tag), lines)) in batch.decls.iter().zip(model).enumerate() {
        let _ = writeln!(
            c,
            "  printf(\"#{i}\\nsize %zu align %zu\\n\", sizeof({tag}), _Alignof({tag}));"
        );
        for line in &lines[1..] {
            let name = line.split_whitespace().next().expect("a field name");
            if line.contains(" bit ") {
                let _ = writeln!(
                    c,
                    "  {{ {tag} v; memset(&v, 0, sizeof v); v.{name} = ~0; \
                     printf(\"{name} bit %d\\n\", first_bit((unsigned char *)&v, sizeof v)); }}"
                );
            } else {
                let _ = writeln!(
                    c,
                    "  printf(\"{name} offset %zu\\n\", offsetof({tag}, {name}));"
                );
            }
        }
    }
    c.push_str("  return 0;\n}\n");
    c
}

/// Runs `count` random declarations in batches; returns the number checked.
pub fn run(
    count: usize,
    seed: u64,
    work: &Path,
    target: Target,
    cc_args: &[&str],
) -> Result<usize, String> {
    fs::create_dir_all(work).map_err(|e| e.to_string())?;
    let mut gen = Gen {
        rng: Rng(seed | 1),
        done: Vec::new(),
        counter: 0,
        long_bits: u64::from(target.long_size) * 8,
    };
    let batch_size = 1000;
    let mut checked = 0;
    let mut index = 0;
    while checked < count {
        let n = batch_size.min(count - checked);
        gen.done.clear();
        let mut batch = Batch {
            decls: Vec::with_capacity(n),
        };
        for _ in 0..n {
            let (text, tag) = gen.declaration(index);
            // Only complete, non-flexible records can be nested by value.
            if !text.contains("[]") {
                gen.done.push(tag.clone());
            }
            batch.decls.push((text, tag));
            index += 1;
        }
        // Records the model refuses (as cffi does) leave the comparison,
        // with those that contain them.
        let verdicts = model_lines(&batch, target)?;
        let (batch, model): (Vec<_>, Vec<_>) = batch
            .decls
            .into_iter()
            .zip(verdicts)
            .filter_map(|(decl, lines)| Some((decl, lines?)))
            .unzip();
        if batch.len() < n {
            eprintln!(
                "layout-check: {} of {n} refused as cffi refuses them (packed bit fields over earlier bits)",
                n - batch.len()
            );
        }
        let batch = Batch { decls: batch };
        let text = compile_and_run(work, "layout_check", &c_program(&batch, &model), cc_args)?;
        let mut compiled: Vec<Vec<String>> = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') {
                compiled.push(Vec::new());
            } else if let Some(last) = compiled.last_mut() {
                last.push(line.to_owned());
            }
        }
        for (i, (m, c)) in model.iter().zip(&compiled).enumerate() {
            if m != c {
                return Err(format!(
                    "layout differs from the C compiler for:\n{}\nmodel:    {m:?}\ncompiler: {c:?}",
                    batch.decls[i].0
                ));
            }
        }
        if compiled.len() != model.len() {
            return Err(format!(
                "the program printed {} records, expected {}",
                compiled.len(),
                model.len()
            ));
        }
        checked += n;
    }
    Ok(checked)
}

/// Well-known structs, written as a cdef would declare them, against the
/// real definitions in the system headers: `(cdef, type, fields)`.
const KNOWN: &[(&str, &str, &[&str])] = &[
    ("struct timeval { long tv_sec; long tv_usec; };", "struct timeval", &["tv_sec", "tv_usec"]),
    ("struct timespec { long tv_sec; long tv_nsec; };", "struct timespec", &["tv_sec", "tv_nsec"]),
    (
        "struct tm { int tm_sec; int tm_min; int tm_hour; int tm_mday; int tm_mon; int tm_year; int tm_wday; \
         int tm_yday; int tm_isdst; long tm_gmtoff; const char *tm_zone; };",
        "struct tm",
        &["tm_sec", "tm_mon", "tm_isdst", "tm_gmtoff", "tm_zone"],
    ),
    (
        "struct sockaddr_in { unsigned short sin_family; uint16_t sin_port; struct { uint32_t s_addr; } sin_addr; \
         unsigned char sin_zero[8]; };",
        "struct sockaddr_in",
        &["sin_family", "sin_port", "sin_addr", "sin_zero"],
    ),
    (
        "struct stat { unsigned long st_dev; unsigned long st_ino; unsigned long st_nlink; unsigned int st_mode; \
         unsigned int st_uid; unsigned int st_gid; int __pad0; unsigned long st_rdev; long st_size; \
         long st_blksize; long st_blocks; struct timespec st_atim; struct timespec st_mtim; \
         struct timespec st_ctim; long __glibc_reserved[3]; };",
        "struct stat",
        &["st_dev", "st_ino", "st_mode", "st_uid", "st_rdev", "st_size", "st_blocks", "st_atim", "st_ctim"],
    ),
];

/// Checks [`KNOWN`] (x86-64 Linux: the cdef forms are glibc's layout
/// there); returns how many structs were compared.
pub fn known_structs(work: &Path) -> Result<usize, String> {
    if !cfg!(all(target_arch = "x86_64", target_os = "linux")) {
        return Ok(0);
    }
    fs::create_dir_all(work).map_err(|e| e.to_string())?;
    let mut types = TypeTable::new(Target::host());
    let mut decls = Declarations::new();
    let mut expected = Vec::new();
    let mut c = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <time.h>\n#include <sys/time.h>\n\
         #include <sys/stat.h>\n#include <netinet/in.h>\nint main(void) {\n",
    );
    for (cdef, ty, fields) in KNOWN {
        decls
            .cdef(&mut types, cdef, &Default::default())
            .map_err(|e| format!("{ty}: {e}"))?;
        let id = decls
            .parse_type(&mut types, ty)
            .map_err(|e| e.to_string())?;
        let Type::Record(rid) = *types.get(id) else {
            return Err(format!("{ty} is not a record"));
        };
        let layout = types.layout(rid).map_err(|e| e.to_string())?;
        expected.push(format!("{ty} size {}", layout.size));
        let _ = writeln!(c, "  printf(\"{ty} size %zu\\n\", sizeof({ty}));");
        let flat = types.flat_fields(rid).map_err(|e| e.to_string())?;
        for name in *fields {
            let f = flat
                .iter()
                .find(|f| f.name == *name)
                .ok_or(format!("{ty} has no field {name}"))?;
            expected.push(format!("{ty}.{name} {}", f.offset));
            let _ = writeln!(
                c,
                "  printf(\"{ty}.{name} %zu\\n\", offsetof({ty}, {name}));"
            );
        }
    }
    c.push_str("  return 0;\n}\n");
    let output = compile_and_run(work, "known_structs", &c, &[])?;
    let actual: Vec<String> = output.lines().map(str::to_owned).collect();
    if actual != expected {
        return Err(format!(
            "well-known structs differ:\nmodel:    {expected:?}\ncompiler: {actual:?}"
        ));
    }
    Ok(KNOWN.len())
}

/// Compiles a C program with the system compiler (honouring `CC`), runs
/// it, and returns what it printed.
fn compile_and_run(
    work: &Path,
    name: &str,
    program: &str,
    cc_args: &[&str],
) -> Result<String, String> {
    let src = work.join(format!("{name}.c"));
    let exe = work.join(name);
    fs::write(&src, program).map_err(|e| e.to_string())?;
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let out = Command::new(&cc)
        .args(["-std=gnu11", "-O0", "-w"])
        .args(cc_args)
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .output()
        .map_err(|e| format!("{cc}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the C compiler rejected {}:\n{}",
            src.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let run = Command::new(&exe).output().map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&run.stdout).into_owned())
}
