//! Throughput of the cdef pipeline on a deterministic synthetic input (the
//! same one `bench/parse.py` feeds through Python): tokenizing, parsing, and
//! declaring into a model, each in MB/s.
//!
//! ```text
//! cargo run --release -p ctypes-model --example throughput
//! ```

use ctypes_model::{Declarations, Target, TypeTable};
use std::fmt::Write as _;
use std::time::Instant;

fn synthetic_cdef(n: usize) -> String {
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

fn best_of<T>(repeat: usize, mut f: impl FnMut() -> T) -> f64 {
    (0..repeat)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let src = synthetic_cdef(50_000);
    let mb = src.len() as f64 / 1e6;
    let lex = best_of(10, || cdef_parse::tokenize(&src).unwrap().len());
    let parse = best_of(10, || {
        cdef_parse::parse_cdef(&src, &cdef_parse::Predeclared)
            .unwrap()
            .decls
            .len()
    });
    let declare = best_of(10, || {
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls.cdef(&mut types, &src, &Default::default()).unwrap();
    });
    println!("input: {mb:.1} MB, 50,000 declarations");
    println!("tokenize:           {:7.1} MB/s", mb / lex);
    println!("tokenize + parse:   {:7.1} MB/s", mb / parse);
    println!("parse + declare:    {:7.1} MB/s", mb / declare);
}
