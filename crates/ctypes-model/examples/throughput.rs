//! Throughput of the cdef pipeline on a deterministic synthetic input (the
//! same one `bench/parse.py` feeds through Python): tokenizing, parsing, and
//! declaring into a model, each in MB/s.
//!
//! ```text
//! cargo run --release -p ctypes-model --example throughput
//! cargo run --release -p ctypes-model --example throughput -- --allocs FILE DECLS
//! ```
//!
//! `--allocs` counts the heap allocations of parsing, and of parsing and
//! declaring, a file's text of `DECLS` declarations (per declaration).

use ctypes_model::{Declarations, Target, TypeTable};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting allocations (for `--allocs`).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Allocations made by `f`.
fn allocations<T>(f: impl FnOnce() -> T) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    std::hint::black_box(f());
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

// The parser's own benchmark input, shared rather than copied.
#[path = "../../cdef-parse/benches/synthetic.rs"]
mod synthetic;
use synthetic::synthetic_cdef;

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
    if std::env::args().nth(1).as_deref() == Some("--declare-file") {
        // For profilers: parse and declare a file's text, many times.
        let path = std::env::args().nth(2).expect("a file");
        let src = std::fs::read_to_string(path).unwrap();
        let n = std::env::args().nth(3).map_or(100, |n| n.parse().unwrap());
        for _ in 0..n {
            let mut types = TypeTable::new(Target::host());
            let mut decls = Declarations::new();
            decls.cdef(&mut types, &src, &Default::default()).unwrap();
            std::hint::black_box((types, decls));
        }
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("--allocs") {
        let path = std::env::args().nth(2).expect("a file");
        let src = std::fs::read_to_string(path).unwrap();
        let n: f64 = std::env::args().nth(3).map_or(1.0, |n| n.parse().unwrap());
        let parse = allocations(|| cdef_parse::parse_cdef(&src, &cdef_parse::Predeclared).unwrap());
        let declare = allocations(|| {
            let mut types = TypeTable::new(Target::host());
            let mut decls = Declarations::new();
            decls.cdef(&mut types, &src, &Default::default()).unwrap();
            (types, decls)
        });
        println!(
            "allocations per declaration: parse {:.2}, parse + declare {:.2}",
            parse as f64 / n,
            declare as f64 / n
        );
        return;
    }
    let src = synthetic_cdef(50_000);
    let mb = src.len() as f64 / 1e6;
    if std::env::args().nth(1).as_deref() == Some("--parse-only") {
        // For profilers: only the parser, many times.
        let n = std::env::args().nth(2).map_or(100, |n| n.parse().unwrap());
        for _ in 0..n {
            std::hint::black_box(cdef_parse::parse_cdef(&src, &cdef_parse::Predeclared).unwrap());
        }
        return;
    }
    let lex = best_of(30, || cdef_parse::tokenize(&src).unwrap().len());
    let parse = best_of(30, || {
        cdef_parse::parse_cdef(&src, &cdef_parse::Predeclared)
            .unwrap()
            .decls
            .len()
    });
    let declare = best_of(30, || {
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls.cdef(&mut types, &src, &Default::default()).unwrap();
    });
    println!("input: {mb:.1} MB, 50,000 declarations");
    println!("tokenize:           {:7.1} MB/s", mb / lex);
    println!("tokenize + parse:   {:7.1} MB/s", mb / parse);
    println!("parse + declare:    {:7.1} MB/s", mb / declare);
}
