//! Throughput of the bare parser, in bytes per second, on the synthetic
//! cdef of `synthetic.rs`. Criterion is an optional dependency so that
//! `cargo test` does not build it:
//!
//! ```text
//! cargo bench -p cdef-parse --features bench
//! ```
//!
//! The target (issue #3) is over 50 MB/s for `parse_cdef`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

mod synthetic;

fn parser(c: &mut Criterion) {
    let src = synthetic::synthetic_cdef(50_000);
    let mut group = c.benchmark_group("synthetic 50,000 declarations");
    group.throughput(Throughput::Bytes(src.len() as u64));
    group.sample_size(30);
    group.bench_function("tokenize", |b| {
        b.iter(|| cdef_parse::tokenize(black_box(&src)).unwrap().len());
    });
    // The syntax tree is freed outside the timing: what is measured is the
    // parse, not the allocator's work of tearing 50,000 declarations down.
    group.bench_function("parse_cdef", |b| {
        b.iter_batched(
            || (),
            |()| cdef_parse::parse_cdef(black_box(&src), &cdef_parse::Predeclared).unwrap(),
            BatchSize::PerIteration,
        );
    });
    group.finish();

    let mut group = c.benchmark_group("type string");
    for ty in [
        "int",
        "const char *",
        "int (*)(long, double *)",
        "unsigned long[16]",
    ] {
        group.bench_function(ty, |b| {
            b.iter(|| cdef_parse::parse_type(black_box(ty), &cdef_parse::Predeclared).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, parser);
criterion_main!(benches);
