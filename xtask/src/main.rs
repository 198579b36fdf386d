// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `cargo xtask`: the workspace's automation. Every CI step is a command a person can run.

// Tooling, not library code: panics on broken invariants of the host are acceptable here,
// and byte arithmetic on small, known values reads better without checked_* noise.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod bench;
mod boot;
mod ci;
mod coverage;
mod demo;
mod fixtures;
mod fuzz;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  demo                  boot Debian's cloud kernel from memory laid out by our crates (start here)
  boot [--case NAME]    boot every case of the boot lab under QEMU (--list: the cases)
  bench [--quick]       run the benchmarks, print the table, write it into README.md
  ci                    run everything CI runs (fmt, clippy, tests, docs, deny, cross checks)
  coverage [--update]   line coverage per crate (cargo-llvm-cov) against coverage-ratchet.toml
  fixtures fetch        fetch Debian's cloud kernels into the kernel cache
  fixtures build        build the tiny test kernels and initramfs images
  fixtures regen        regenerate the committed synthetic images under fixtures/
  fuzz [--secs N] [--target T]
                        run each fuzz target N s (default 10), then replay fixtures/fuzz/
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bench") => bench::run(&args[1..]),
        Some("boot") => boot::run(&args[1..]),
        Some("ci") => ci::run(&args[1..]),
        Some("coverage") => coverage::run(&args[1..]),
        Some("demo") => demo::run(&args[1..]),
        Some("fixtures") => fixtures::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}
