//! Compiles the C test helpers behind `_cffi_backend._testfunc(n)`
//! (src/backend/testfuncs.c) and the one export of the API-mode table
//! Rust cannot write (src/capi/shim.c: a `long double` result) into the
//! module.

fn main() {
    println!("cargo:rerun-if-changed=src/backend/testfuncs.c");
    println!("cargo:rerun-if-changed=src/capi/shim.c");
    cc::Build::new()
        .file("src/backend/testfuncs.c")
        .file("src/capi/shim.c")
        .std("c99")
        .warnings(true)
        .extra_warnings(true)
        .compile("cffipy_testfuncs");
}
