//! Sets `cfg(direct_io)` when the direct-I/O writer is built: on Linux, with the `direct-io` feature.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(direct_io)");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if linux && std::env::var_os("CARGO_FEATURE_DIRECT_IO").is_some() {
        println!("cargo::rustc-cfg=direct_io");
    }
}
