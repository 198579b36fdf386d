// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Benchmarks for the workspace (tier 5 of the test plan): every kernel format loaded by our
//! crates, by a raw copy of the same bytes into the same guest memory (the limit), and by
//! upstream rust-vmm `linux-loader` 0.14 from crates.io, in one criterion run; the boot
//! structures around a load; and the peak heap of a load, measured by a counting allocator.
//!
//! `cargo bench -p benches` runs the benches; `cargo xtask bench` runs them and writes the
//! table into the README; `cargo test -p benches` checks the peak heap.
//!
//! ```no_run
//! let case = benches::kernels::plain_cases().into_iter().next().unwrap();
//! let mut kernel = benches::load::Prepared::new(case).unwrap();
//! let (end, peak) = benches::heap::measure(|| kernel.ours());
//! println!("kernel_end {:#x}, peak heap {peak} bytes", end.unwrap());
//! ```

// Bench tooling, not library code: panics on a broken bench set-up are the right failure, and
// arithmetic on small known sizes reads better without checked_* noise.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    // Pedantic lints that do not fit bench tooling: every function here panics or returns a
    // one-line error string for a human, and results are used or deliberately dropped.
    clippy::missing_errors_doc,
    clippy::missing_panics_doc,
    clippy::must_use_candidate
)]

pub mod compressed;
pub mod heap;
pub mod kernels;
pub mod load;
pub mod report;
pub mod structures;
