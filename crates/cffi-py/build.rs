//! Compiles the C test helpers behind `_cffi_backend._testfunc(n)`
//! (src/backend/testfuncs.c) into the module.

fn main() {
    println!("cargo:rerun-if-changed=src/backend/testfuncs.c");
    cc::Build::new()
        .file("src/backend/testfuncs.c")
        .std("c99")
        .warnings(true)
        .extra_warnings(true)
        .compile("cffipy_testfuncs");
}
