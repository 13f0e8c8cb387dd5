//! Records the target triple: `cc` needs it to pick a compiler, and it is
//! only known to build scripts.
fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    println!("cargo:rustc-env=RECOMPILER_TARGET={target}");
    println!("cargo:rustc-env=RECOMPILER_HOST={host}");
}
