// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! A drop-in replacement for rust-vmm's [`linux-loader`](https://crates.io/crates/linux-loader)
//! 0.13 / 0.14, built on the workspace's focused crates.
//!
//! Code written for upstream compiles unchanged: the module paths, type names, function
//! signatures, struct fields and error variant names are upstream's. What differs is what happens
//! inside: every image is fully validated and its whole load plan checked before the first byte
//! is written, so a rejected image leaves guest memory untouched; BSS is zeroed and `kernel_end`
//! covers it; command lines with NUL or control bytes are refused; configurators accept a
//! structure ending exactly on the last byte of RAM. The results also carry what upstream leaves
//! VMMs to guess: the loaded range, an entry point per boot protocol, and the range the kernel
//! needs left free.
//!
//! ```
//! use linux_loader::cmdline::Cmdline;
//! use linux_loader::loader::load_cmdline;
//! use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
//!
//! let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x10_0000)]).unwrap();
//! let mut cmdline = Cmdline::new(256).unwrap();
//! cmdline.insert_str("console=ttyS0 reboot=k panic=1").unwrap();
//! cmdline.insert_init_args("--verbose").unwrap();
//! load_cmdline(&mem, GuestAddress(0x2_0000), &cmdline).unwrap();
//!
//! let expected = b"console=ttyS0 reboot=k panic=1 -- --verbose\0";
//! let mut buf = [0u8; 44];
//! mem.read_slice(&mut buf, GuestAddress(0x2_0000)).unwrap();
//! assert_eq!(&buf, expected);
//! ```
//!
//! Each piece is also its own crate, for VMMs that want one: `loader-core`, `kernel-cmdline`,
//! `kernel-elf`, `kernel-bzimage`, `kernel-pe`, `boot-params-x86`, `boot-fdt`.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::as_conversions,
        clippy::panic
    )
)]

pub mod bootparam;
pub mod cmdline;
pub mod configurator;
#[cfg(feature = "elf")]
pub mod elf;
pub mod loader;
#[cfg(feature = "probe")]
pub mod probe;

/// The PVH `hvm_start_info` layouts (upstream's top-level `linux_loader::start_info`).
pub use boot_params_x86::start_info;

pub use loader_core;
#[cfg(feature = "probe")]
pub use probe::{ImageInfo, LoadOptions, LoadedKernel, load_any, probe};

/// The README's example, compiled and run as a doctest so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
