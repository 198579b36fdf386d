// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `cargo xtask demo`: the first thing to run. Fetches Debian's amd64 cloud kernel if needed,
//! builds the test initramfs, lays guest memory out with our crates (kernel-bzimage,
//! loader-core, kernel-cmdline, boot-params-x86), boots it under QEMU through the 64-bit boot
//! protocol with the boot lab's firmware stub, streams the guest console to the terminal, and
//! says how long the load and the boot took.

use crate::boot;

const USAGE: &str = "usage: cargo xtask demo";

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("unknown argument `{a}`\n{USAGE}"));
    }
    if boot::locate("debian-amd64-vmlinuz").is_err() {
        println!("demo: fetching Debian's amd64 cloud kernel");
        crate::fixtures::run(&["fetch".into(), "--arch".into(), "x86_64".into()])?;
    }
    if boot::locate("initramfs-x86_64-cpio.gz").is_err() {
        println!("demo: building the test initramfs");
        crate::fixtures::run(&[
            "build".into(),
            "--arch".into(),
            "x86_64".into(),
            "--only".into(),
            "initramfs".into(),
        ])?;
    }
    let report = boot::demo()?;
    println!();
    println!("demo: kernel   {}", report.kernel);
    println!(
        "demo: load     {:.1} ms — kernel, initrd, command line and zero page placed in guest \
         memory by our crates",
        report.load.as_secs_f64() * 1e3
    );
    println!(
        "demo: boot     {:.2} s — QEMU (TCG) start to the initramfs's init marker",
        report.boot.as_secs_f64()
    );
    println!("demo: next     cargo xtask boot   (every case of the boot lab)");
    Ok(())
}
