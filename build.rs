//! Link the executables position-dependent on Linux: a PIE binary of this size
//! carries ~38,000 relative relocations that the loader applies (and page-faults
//! in) before `main`, ~0.4 ms of every one-shot `search` or `count` on the
//! benchmark machine. The library and tests are unaffected.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.contains("linux-gnu") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
