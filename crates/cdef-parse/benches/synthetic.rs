//! The deterministic synthetic cdef the parser benchmarks read (the same
//! shape `bench/parse.py` feeds through Python): functions, typedefs,
//! macros, function-pointer parameters and constants, in turn.

use std::fmt::Write as _;

/// `n` declarations, one per line.
pub fn synthetic_cdef(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = match i % 5 {
            0 => writeln!(s, "int func_{i}(int a, const char *b, double c);"),
            1 => writeln!(s, "typedef unsigned long type_{i}_t;"),
            2 => writeln!(s, "#define CONST_{i} {i}"),
            3 => writeln!(
                s,
                "void *ptr_func_{i}(void *p, size_t n, long (*cb)(int, long));"
            ),
            _ => writeln!(s, "static const int SCONST_{i} = {i};"),
        };
    }
    s
}
