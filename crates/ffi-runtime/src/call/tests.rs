//! Call interfaces against libffi and the direct calls against
//! libffi, on mixed shapes.

use super::*;
use crate::Library;
use ctypes_model::{Declarations, Target};

fn interface(src: &str, name: &str) -> (TypeTable, CallInterface) {
    let mut types = TypeTable::new(Target::host());
    let mut decls = Declarations::new();
    decls.cdef(&mut types, src, &Default::default()).unwrap();
    let f = decls.function_type(&types, name).unwrap();
    let cif = CallInterface::new(&types, f).unwrap();
    (types, cif)
}

#[test]
fn calls_strlen_and_labs() {
    let libc = Library::open(None, 0).unwrap();
    let (_, cif) = interface("size_t strlen(const char *);", "strlen");
    assert_eq!(cif.args(), &[Scalar::Pointer]);
    let text = b"hello\0";
    let mut arg = Slot::default();
    arg.write_ptr(text.as_ptr().cast());
    let mut ret = Slot::default();
    // SAFETY: strlen(const char *) with a NUL-terminated string.
    unsafe {
        cif.call(
            libc.symbol("strlen").unwrap(),
            &mut [arg.as_mut_ptr()],
            ret.as_mut_ptr(),
        );
    };
    assert_eq!(ret.read_result_int(8, false), 5);

    let (_, cif) = interface("long labs(long);", "labs");
    let mut arg = Slot::default();
    arg.write_int(-(1 << 40), 8);
    // SAFETY: labs(long) with a long.
    unsafe {
        cif.call(
            libc.symbol("labs").unwrap(),
            &mut [arg.as_mut_ptr()],
            ret.as_mut_ptr(),
        );
    };
    assert_eq!(ret.read_result_int(8, true), 1 << 40);
}

// Functions of mixed shapes, called both directly and through libffi.
// (Their parameters are just positions: single letters read best.)
#[allow(clippy::many_single_char_names)]
extern "C" fn mixed(a: i8, b: f64, c: u16, d: f32, e: i64, f: *const u8, g: f64) -> f32 {
    // SAFETY: the tests pass a readable byte.
    let byte = unsafe { *f };
    (f64::from(a) * 1000.0 + b + f64::from(c) + f64::from(d) + e as f64 + f64::from(byte) + g)
        as f32
}
#[allow(clippy::many_single_char_names)]
extern "C" fn narrow(a: i8, b: u8, c: i16, d: u16, e: i32, f: u32) -> i16 {
    (i64::from(a) + i64::from(b) + i64::from(c) + i64::from(d) + i64::from(e) + i64::from(f)) as i16
}
#[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
extern "C" fn most(
    a: i64,
    b: f64,
    c: i64,
    d: f64,
    e: i64,
    f: f64,
    g: i64,
    h: f64,
    i: i64,
    j: f64,
    k: i64,
    l: f64,
    m: f64,
    n: f64,
) -> f64 {
    let ints = [a, c, e, g, i, k]
        .iter()
        .enumerate()
        .map(|(n, v)| *v << n)
        .sum::<i64>();
    let floats = [b, d, f, h, j, l, m, n]
        .iter()
        .enumerate()
        .map(|(n, v)| v * f64::from(n as u32 + 1))
        .sum::<f64>();
    ints as f64 + floats
}
#[allow(clippy::many_single_char_names)]
extern "C" fn seven(a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32) -> u8 {
    (a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g) as u8
}

/// Calls `code` through `cif` both ways with the slots `args`; both
/// results (as 16 bytes) must agree, and are returned.
fn both_ways(cif: &mut CallInterface, code: *const c_void, args: &mut [Slot]) -> Slot {
    let mut results = [Slot::default(); 2];
    let direct = cif.direct.clone();
    for (way, result) in results.iter_mut().enumerate() {
        cif.direct = if way == 0 { direct.clone() } else { None };
        let mut ptrs: Vec<*mut c_void> = args.iter_mut().map(Slot::as_mut_ptr).collect();
        // SAFETY: each test passes the function `code` its own
        // declaration describes, with arguments of those types.
        unsafe { cif.call(code, &mut ptrs, result.as_mut_ptr()) };
    }
    cif.direct = direct;
    assert_eq!(
        results[0].read_int_sized(8, false),
        results[1].read_int_sized(8, false)
    );
    if let Some(registered) = by_registers(cif, code, args) {
        assert_eq!(
            registered.read_int_sized(8, false),
            results[1].read_int_sized(8, false)
        );
    }
    results[0]
}

/// Calls `code` through `cif`'s places with the values of the slots
/// `args` put in registers, as a caller of `call_registers` does; `None`
/// for an interface without places.
fn by_registers(cif: &CallInterface, code: *const c_void, args: &[Slot]) -> Option<Slot> {
    let direct = cif.direct()?;
    let mut regs = Registers::default();
    for ((&place, &kind), slot) in direct.places().iter().zip(cif.args()).zip(args) {
        let [lo_word, hi_word] = slot.words();
        let (lo, hi) = match kind {
            Scalar::Int { size, signed } => (slot.read_int_sized(size, signed) as u64, 0),
            Scalar::F32 => (u64::from(slot.read_f32().to_bits()), 0),
            _ => (lo_word, hi_word),
        };
        regs.put(place, lo, hi);
    }
    // SAFETY: as for `cif.call` in the callers.
    Some(unsafe { direct.call(code, &regs, crate::NoRelease) })
}

#[test]
// The same computation on the same values: bit-equal results.
#[allow(clippy::float_cmp)]
fn direct_calls_agree_with_libffi() {
    let (_, mut cif) = interface(
        "float mixed(signed char, double, unsigned short, float, long long, unsigned char *, double);",
        "mixed",
    );
    assert_eq!(
        cif.direct.is_some(),
        cfg!(any(target_arch = "x86_64", target_arch = "aarch64"))
    );
    let byte = 7u8;
    let mut args = [Slot::default(); 7];
    args[0].write_int(-3, 1);
    args[1].write_f64(0.5);
    args[2].write_int(65535, 2);
    args[3].write_f32(0.25);
    args[4].write_int(-(1 << 40), 8);
    args[5].write_ptr((&raw const byte).cast());
    args[6].write_f64(100.0);
    let r = both_ways(&mut cif, mixed as *const c_void, &mut args);
    assert_eq!(
        r.read_f32(),
        mixed(-3, 0.5, 65535, 0.25, -(1 << 40), &raw const byte, 100.0)
    );

    let (_, mut cif) = interface(
        "short narrow(signed char, unsigned char, short, unsigned short, int, unsigned int);",
        "narrow",
    );
    let values: [(i128, u32); 6] = [
        (-128, 1),
        (255, 1),
        (-32768, 2),
        (65535, 2),
        (-7, 4),
        (4_000_000_000, 4),
    ];
    let mut args = values.map(|(v, size)| {
        let mut s = Slot::default();
        s.write_int(v, size);
        s
    });
    let r = both_ways(&mut cif, narrow as *const c_void, &mut args);
    assert_eq!(
        r.read_result_int(2, true),
        i128::from(narrow(-128, 255, -32768, 65535, -7, 4_000_000_000))
    );

    let (_, mut cif) = interface(
        "double most(long long, double, long long, double, long long, double, long long, double, long long, double, long long, double, double, double);",
        "most",
    );
    assert_eq!(
        cif.direct.is_some(),
        cfg!(any(target_arch = "x86_64", target_arch = "aarch64"))
    );
    let mut args = [Slot::default(); 14];
    for (i, slot) in args.iter_mut().enumerate() {
        if [0, 2, 4, 6, 8, 10].contains(&i) {
            slot.write_int(i as i128 - 5, 8);
        } else {
            slot.write_f64(i as f64 * 0.5);
        }
    }
    let r = both_ways(&mut cif, most as *const c_void, &mut args);
    assert_eq!(
        r.read_f64(),
        most(-5, 0.5, -3, 1.5, -1, 2.5, 1, 3.5, 3, 4.5, 5, 5.5, 6.0, 6.5)
    );

    // Seven integer arguments: one goes on the stack (x86-64 System V
    // only; elsewhere libffi), so the plan is not for registers only.
    let (_, mut cif) = interface(
        "unsigned char seven(int, int, int, int, int, int, int);",
        "seven",
    );
    assert_eq!(
        cif.direct.is_some(),
        cfg!(all(target_arch = "x86_64", not(windows)))
    );
    assert!(cif.direct().is_none());
    let mut args = [Slot::default(); 7];
    for (i, slot) in args.iter_mut().enumerate() {
        slot.write_int(i as i128 * 10 + 1, 4);
    }
    let r = both_ways(&mut cif, seven as *const c_void, &mut args);
    assert_eq!(
        r.read_result_int(1, false),
        i128::from(seven(1, 11, 21, 31, 41, 51, 61))
    );
}

#[test]
fn calls_a_double_function() {
    let libm = Library::open(Some("libm.so.6"), 0).unwrap();
    let (_, cif) = interface("double sqrt(double);", "sqrt");
    let mut arg = Slot::default();
    arg.write_f64(2.0);
    let mut ret = Slot::default();
    // SAFETY: sqrt(double) with a double.
    unsafe {
        cif.call(
            libm.symbol("sqrt").unwrap(),
            &mut [arg.as_mut_ptr()],
            ret.as_mut_ptr(),
        );
    };
    assert!((ret.read_f64() - std::f64::consts::SQRT_2).abs() < 1e-15);
}

#[test]
fn narrow_results_are_sign_extended() {
    let mut s = Slot::default();
    s.write_int(0xff, 8);
    assert_eq!(s.read_result_int(1, true), -1);
    assert_eq!(s.read_result_int(1, false), 255);
}

#[test]
fn complex_is_refused_with_a_reason() {
    let mut types = TypeTable::new(Target::host());
    let mut decls = Declarations::new();
    decls
        .cdef(&mut types, "double _Complex f(int);", &Default::default())
        .unwrap();
    let f = decls.function_type(&types, "f").unwrap();
    let err = CallInterface::new(&types, f).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("ctype '_cffi_double_complex_t' not supported as return value"),
        "{err}"
    );
}

// Structs of at most 16 bytes by value, one of each eightbyte class mix
// (see `direct`), called both directly and through libffi.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct I2 {
    a: i32,
    b: i32,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct F3 {
    a: f32,
    b: f32,
    c: f32,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct ID {
    a: i32,
    b: f64,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct DL {
    a: f64,
    b: i64,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct C3 {
    a: u8,
    b: u8,
    c: u8,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct L2 {
    a: i64,
    b: i64,
}

const STRUCTS: &str = "struct i2 { int a, b; }; struct f3 { float a, b, c; };
    struct id { int a; double b; }; struct dl { double a; long long b; };
    struct c3 { unsigned char a, b, c; }; struct l2 { long long a, b; };";

#[allow(clippy::many_single_char_names)]
extern "C" fn shapes(k: i32, p: I2, f: F3, d: f64, x: ID, y: DL, c: C3) -> ID {
    ID {
        a: k + p.a * 10 + p.b * 100 + x.a + i32::from(c.a) + i32::from(c.b) * 3 + i32::from(c.c),
        b: f64::from(f.a)
            + f64::from(f.b) * 2.0
            + f64::from(f.c) * 4.0
            + d
            + x.b
            + y.a
            + y.b as f64,
    }
}
extern "C" fn flip_dl(y: DL) -> DL {
    DL {
        a: -y.a,
        b: y.b + 1,
    }
}
extern "C" fn scale_f3(f: F3, k: f32) -> F3 {
    F3 {
        a: f.a * k,
        b: f.b * k,
        c: f.c * k,
    }
}
extern "C" fn next_c3(c: C3) -> C3 {
    C3 {
        a: c.a + 1,
        b: c.b + 1,
        c: c.c + 1,
    }
}
extern "C" fn swap_i2(p: I2) -> I2 {
    I2 { a: p.b, b: p.a }
}
#[allow(clippy::many_single_char_names)]
extern "C" fn over(a: i64, b: i64, c: i64, d: i64, e: i64, s: L2) -> i64 {
    a + b * 2 + c * 3 + d * 4 + e * 5 + s.a * 6 + s.b * 7
}

/// A slot holding `v`'s bytes.
fn slot_of<T: Copy>(v: T) -> Slot {
    assert!(size_of::<T>() <= 16);
    let mut s = Slot::default();
    // SAFETY: `T` is plain `repr(C)` data of at most the slot's 16 bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(
            (&raw const v).cast::<u8>(),
            s.0.as_mut_ptr(),
            size_of::<T>(),
        );
    };
    s
}

/// The `T` whose bytes start `s`.
fn from_slot<T: Copy>(s: &Slot) -> T {
    assert!(size_of::<T>() <= 16);
    // SAFETY: the slot holds a `T` written by a call returning one.
    unsafe { s.0.as_ptr().cast::<T>().read_unaligned() }
}

/// Calls a function returning a `T` both ways; the `T`s must agree.
fn both_ways_record<T: Copy + PartialEq + std::fmt::Debug>(
    cif: &mut CallInterface,
    code: *const c_void,
    args: &mut [Slot],
) -> T {
    let direct = cif.direct.clone();
    let mut got = Vec::new();
    for way in 0..2 {
        cif.direct = if way == 0 { direct.clone() } else { None };
        let mut ret = [Slot::default(); 2];
        let mut ptrs: Vec<*mut c_void> = args.iter_mut().map(Slot::as_mut_ptr).collect();
        // SAFETY: each test passes the function `code` its own
        // declaration describes, with arguments of those types; `ret`
        // has 32 bytes.
        unsafe { cif.call(code, &mut ptrs, ret[0].as_mut_ptr()) };
        got.push(from_slot::<T>(&ret[0]));
    }
    cif.direct = direct;
    if let Some(registered) = by_registers(cif, code, args) {
        got.push(from_slot::<T>(&registered));
    }
    assert!(got.iter().all(|g| *g == got[0]), "{got:?}");
    got[0]
}

#[test]
#[allow(clippy::many_single_char_names)]
fn small_structs_travel_directly_and_agree_with_libffi() {
    let x86 = cfg!(all(target_arch = "x86_64", not(windows)));
    let (p, f, x, y, c) = (
        I2 { a: 3, b: -4 },
        F3 {
            a: 0.5,
            b: 1.5,
            c: -2.25,
        },
        ID { a: 9, b: 0.125 },
        DL {
            a: -7.5,
            b: 1 << 40,
        },
        C3 { a: 1, b: 2, c: 250 },
    );

    let src = format!("{STRUCTS} struct id shapes(int, struct i2, struct f3, double, struct id, struct dl, struct c3);");
    let (_, mut cif) = interface(&src, "shapes");
    assert_eq!(cif.direct.is_some(), x86);
    let mut k = Slot::default();
    k.write_int(-11, 4);
    let mut d = Slot::default();
    d.write_f64(1e6);
    let mut args = [
        k,
        slot_of(p),
        slot_of(f),
        d,
        slot_of(x),
        slot_of(y),
        slot_of(c),
    ];
    let r: ID = both_ways_record(&mut cif, shapes as *const c_void, &mut args);
    assert_eq!(r, shapes(-11, p, f, 1e6, x, y, c));

    let (_, mut cif) = interface(
        &format!("{STRUCTS} struct dl flip_dl(struct dl);"),
        "flip_dl",
    );
    assert_eq!(cif.direct.is_some(), x86);
    let r: DL = both_ways_record(&mut cif, flip_dl as *const c_void, &mut [slot_of(y)]);
    assert_eq!(r, flip_dl(y));

    let (_, mut cif) = interface(
        &format!("{STRUCTS} struct f3 scale_f3(struct f3, float);"),
        "scale_f3",
    );
    assert_eq!(cif.direct.is_some(), x86);
    let mut kf = Slot::default();
    kf.write_f32(3.0);
    let r: F3 = both_ways_record(&mut cif, scale_f3 as *const c_void, &mut [slot_of(f), kf]);
    assert_eq!(r, scale_f3(f, 3.0));

    let (_, mut cif) = interface(
        &format!("{STRUCTS} struct c3 next_c3(struct c3);"),
        "next_c3",
    );
    assert_eq!(cif.direct.is_some(), x86);
    let r: C3 = both_ways_record(&mut cif, next_c3 as *const c_void, &mut [slot_of(c)]);
    assert_eq!(r, next_c3(c));

    let (_, mut cif) = interface(
        &format!("{STRUCTS} struct i2 swap_i2(struct i2);"),
        "swap_i2",
    );
    assert_eq!(cif.direct.is_some(), x86);
    let r: I2 = both_ways_record(&mut cif, swap_i2 as *const c_void, &mut [slot_of(p)]);
    assert_eq!(r, swap_i2(p));

    // Five words and a two-word struct: the struct does not fit in the
    // registers left, so the convention puts it on the stack.
    let (_, mut cif) = interface(
        &format!("{STRUCTS} long long over(long long, long long, long long, long long, long long, struct l2);"),
        "over",
    );
    assert_eq!(cif.direct.is_some(), x86);
    assert!(cif.direct().is_none());
    let mut args: Vec<Slot> = (1..=5)
        .map(|i| {
            let mut s = Slot::default();
            s.write_int(i, 8);
            s
        })
        .collect();
    args.push(slot_of(L2 { a: 100, b: -1000 }));
    let r: i64 = both_ways_record(&mut cif, over as *const c_void, &mut args);
    assert_eq!(r, over(1, 2, 3, 4, 5, L2 { a: 100, b: -1000 }));
}

#[test]
fn structs_without_a_certain_class_go_through_libffi() {
    for src in [
        "struct ld { long double x; }; int f(struct ld);",
        "struct fl { int n; double d[]; }; int f(struct fl);",
    ] {
        let mut types = TypeTable::new(Target::host());
        let mut decls = Declarations::new();
        decls.cdef(&mut types, src, &Default::default()).unwrap();
        let f = decls.function_type(&types, "f").unwrap();
        if let Ok(cif) = CallInterface::new(&types, f) {
            assert!(cif.direct.is_none(), "{src}");
        }
    }
}

// Arguments on the stack and results through a hidden pointer (x86-64
// System V), called both directly and through libffi.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Big {
    a: i64,
    b: f64,
    c: i64,
}
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Ifd {
    a: i32,
    b: f32,
    c: f64,
}
extern "C" fn big_mix(k: i32, s: Big, x: f64, t: Big) -> Big {
    Big {
        a: s.a * 3 + t.c + i64::from(k),
        b: s.b + x * 2.0 - t.b,
        c: s.c - t.a,
    }
}
#[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
extern "C" fn spill_mix(
    a: i64,
    b: i64,
    c: i64,
    d: i64,
    e: i64,
    s: L2,
    g: i64,
    f: f32,
    h: i16,
) -> f64 {
    let ints = a + b * 2 + c * 3 + d * 4 + e * 5 + s.a * 6 + s.b * 7 + g * 8 + i64::from(h) * 9;
    ints as f64 + f64::from(f)
}
#[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
extern "C" fn many_floats(
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    e: f64,
    f: f64,
    g: f64,
    h: f64,
    i: f64,
    j: f32,
    k: u8,
) -> f64 {
    a + b * 2.0
        + c * 3.0
        + d * 4.0
        + e * 5.0
        + f * 6.0
        + g * 7.0
        + h * 8.0
        + i * 9.0
        + f64::from(j) * 10.0
        + f64::from(k)
}
#[allow(clippy::many_single_char_names)]
extern "C" fn shape_574(a: i64, b: i64, c: i64, d: i64, e: i64, x: f64, s: Ifd) -> f64 {
    (a + b + c + d + e) as f64 * 1000.0 + x * 100.0 + f64::from(s.a) + f64::from(s.b) * 10.0 + s.c
}

/// The bytes of `v`, in 16-byte units (any alignment holds).
fn units_of<T: Copy>(v: T) -> Vec<u128> {
    let mut units = vec![0u128; size_of::<T>().div_ceil(16)];
    // SAFETY: `T` is plain `repr(C)` data; the units have room for it.
    unsafe {
        std::ptr::copy_nonoverlapping(
            (&raw const v).cast::<u8>(),
            units.as_mut_ptr().cast::<u8>(),
            size_of::<T>(),
        );
    };
    units
}

/// Calls `code` through `cif` with the values in `args`, directly or
/// through libffi; the result as a `T`.
fn call_units<T: Copy>(
    cif: &mut CallInterface,
    code: *const c_void,
    args: &mut [Vec<u128>],
    direct: bool,
) -> T {
    let plan = cif.direct.clone();
    if !direct {
        cif.direct = None;
    }
    let mut ret = [0u128; 4];
    let mut ptrs: Vec<*mut c_void> = args.iter_mut().map(|a| a.as_mut_ptr().cast()).collect();
    // SAFETY: each test passes the function `code` its own declaration
    // describes, with arguments of those types; `ret` has 64 bytes.
    unsafe { cif.call(code, &mut ptrs, ret.as_mut_ptr().cast()) };
    cif.direct = plan;
    // SAFETY: the call wrote a `T` there.
    unsafe { ret.as_ptr().cast::<T>().read() }
}

#[test]
#[allow(clippy::float_cmp)] // the same computation on the same values
fn stack_arguments_and_hidden_results_agree_with_libffi() {
    let x86 = cfg!(all(target_arch = "x86_64", not(windows)));
    let decls = format!(
        "{STRUCTS} struct big {{ long long a; double b; long long c; }};
        struct big big_mix(int, struct big, double, struct big);
        double spill_mix(long long, long long, long long, long long, long long, struct l2, long long, float, short);
        double many_floats(double, double, double, double, double, double, double, double, double, float, unsigned char);"
    );
    let (s, t) = (
        Big {
            a: 7,
            b: 0.5,
            c: -9,
        },
        Big {
            a: 100,
            b: -2.25,
            c: 3,
        },
    );
    let (_, mut cif) = interface(&decls, "big_mix");
    assert_eq!(cif.direct.is_some(), x86);
    assert!(cif.direct().is_none());
    let mut args = vec![units_of(-4i32), units_of(s), units_of(1.5f64), units_of(t)];
    let code = big_mix as *const c_void;
    for direct in [true, false] {
        assert_eq!(
            call_units::<Big>(&mut cif, code, &mut args, direct),
            big_mix(-4, s, 1.5, t)
        );
    }
    // The struct goes on the stack; `g` still takes the last integer
    // register, `h` goes on the stack after the struct.
    let (_, mut cif) = interface(&decls, "spill_mix");
    assert_eq!(cif.direct.is_some(), x86);
    let l2 = L2 { a: 11, b: -12 };
    let mut args: Vec<Vec<u128>> = (1..=5i64).map(units_of).collect();
    args.extend([
        units_of(l2),
        units_of(13i64),
        units_of(0.25f32),
        units_of(-14i16),
    ]);
    let code = spill_mix as *const c_void;
    let want = spill_mix(1, 2, 3, 4, 5, l2, 13, 0.25, -14);
    for direct in [true, false] {
        assert_eq!(call_units::<f64>(&mut cif, code, &mut args, direct), want);
    }
    // Nine doubles and a float: two on the stack, and an integer in a
    // register after them.
    let (_, mut cif) = interface(&decls, "many_floats");
    assert_eq!(cif.direct.is_some(), x86);
    let mut args: Vec<Vec<u128>> = (1..=9).map(|i| units_of(f64::from(i) * 0.5)).collect();
    args.extend([units_of(-3.5f32), units_of(200u8)]);
    let code = many_floats as *const c_void;
    let want = many_floats(0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, -3.5, 200);
    for direct in [true, false] {
        assert_eq!(call_units::<f64>(&mut cif, code, &mut args, direct), want);
    }
}

#[test]
#[allow(clippy::float_cmp)] // the same computation on the same values
fn an_int_and_float_struct_in_the_last_integer_register_keeps_earlier_floats() {
    // libffi's bug #574 (in the libffi the wheels use): it wrote the
    // struct's vector half over `x`. The direct call is right.
    if !cfg!(all(target_arch = "x86_64", not(windows))) {
        return;
    }
    let (_, mut cif) = interface(
        "struct ifd { int a; float b; double c; };
         double shape_574(long long, long long, long long, long long, long long, double, struct ifd);",
        "shape_574",
    );
    assert!(cif.direct().is_some(), "all in registers");
    let s = Ifd {
        a: 7,
        b: 2.5,
        c: 0.25,
    };
    let mut args: Vec<Vec<u128>> = (1..=5i64).map(units_of).collect();
    args.extend([units_of(1.5f64), units_of(s)]);
    let got = call_units::<f64>(&mut cif, shape_574 as *const c_void, &mut args, true);
    assert_eq!(got, shape_574(1, 2, 3, 4, 5, 1.5, s));
}
