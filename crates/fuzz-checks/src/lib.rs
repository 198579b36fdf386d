// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The invariants every parser in the workspace must keep on hostile bytes, written once and
//! used twice: by the cargo-fuzz targets in `fuzz/` and by the stable replay tests that run every
//! committed input under `fixtures/fuzz/<target>/` on each `cargo test`.
//!
//! Each `check_*` function takes raw input bytes and panics — which is what a fuzzer reports and
//! a test fails on — when an invariant breaks. Beyond "no panic", they assert:
//!
//! * on `Ok`, the load stays inside guest memory and the file, writes exactly the planned bytes
//!   (file bytes, then zero fill) and nothing else, and reports what it wrote;
//! * on `Err`, guest memory is untouched: no page is dirty in vm-memory's dirty bitmap;
//! * parsers agree with themselves: `parse(serialize(x)) == x` for command lines and device trees.
//!
//! Guest memory is a [`harness::Harness`]: a small pattern-filled `GuestMemoryMmap` with a hole,
//! reused between calls and restored through its dirty bitmap.
//!
//! ```
//! let elf = std::fs::read(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../../fixtures/elf/x86_64-pvh.elf"
//! ))
//! .unwrap();
//! fuzz_checks::check_elf(&elf);
//! fuzz_checks::check_elf(&elf[..100]);
//! ```
//!
//! [`sweep`] holds the truncation and header-mutation sweeps the real-kernel tests run.

// Test tooling (publish = false): a broken invariant must panic, loudly, with the values that
// broke it, and the harness does address arithmetic on small known values. The library lints
// that forbid this are for code that faces guests, which this crate only drives.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]
#![forbid(unsafe_code)]

pub mod bzimage;
pub mod cmdline;
pub mod decompress;
pub mod dtb;
pub mod elf;
pub mod harness;
pub mod image;
pub mod image_compressed;
pub mod input;
pub mod layout;
pub mod prng;
pub mod sweep;

pub use bzimage::check_bzimage;
pub use cmdline::check_cmdline;
pub use decompress::check_decompress;
pub use dtb::check_dtb;
pub use elf::check_elf;
pub use image::check_pe_image;
pub use image_compressed::check_pe_compressed;
pub use layout::check_e820_layout;

/// An invariant check: panics when `data` makes a parser break one.
pub type Check = fn(&[u8]);

/// The fuzz targets, by the name of their `fuzz/fuzz_targets/<name>.rs` file and
/// `fixtures/fuzz/<name>/` directory, with their check.
pub const TARGETS: &[(&str, Check)] = &[
    ("elf", check_elf),
    ("bzimage", check_bzimage),
    ("pe_image", check_pe_image),
    ("cmdline", check_cmdline),
    ("dtb", check_dtb),
    ("e820_layout", check_e820_layout),
    ("decompress", check_decompress),
    ("pe_compressed", check_pe_compressed),
];
