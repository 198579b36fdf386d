// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Build, parse and validate Linux kernel command lines, and (with the `vm-memory` feature) write
//! them into guest memory.
//!
//! ```
//! use kernel_cmdline::{Cmdline, Error};
//!
//! // Build one, as with rust-vmm linux-loader's `Cmdline`.
//! let mut cl = Cmdline::new(2048)?;
//! cl.insert("console", "ttyS0")?;
//! cl.insert_str("reboot=k panic=1")?;
//! cl.add_virtio_mmio_device(0x1000, 0xd000_0000_u64, 5, None)?;
//! cl.insert_init_args("--single")?;
//! assert_eq!(
//!     cl.as_cstring()?.as_bytes_with_nul(),
//!     b"console=ttyS0 reboot=k panic=1 virtio_mmio.device=4K@0xd0000000:5 -- --single\0"
//! );
//!
//! // Parse one, then inspect and edit it.
//! let mut cl = Cmdline::try_from("console=tty0 root=/dev/vda ro -- init_arg", 2048)?;
//! assert_eq!(cl.get("root").and_then(|p| p.value()), Some("/dev/vda"));
//! assert_eq!(cl.remove("ro"), 1);
//! assert_eq!(cl.boot_args(), "console=tty0 root=/dev/vda");
//! assert_eq!(cl.init_args(), "init_arg");
//!
//! // What the kernel would misread is refused, with where and why.
//! assert_eq!(
//!     Cmdline::try_from("console=ttyS0\0evil", 2048),
//!     Err(Error::ControlByte { offset: 13, value: 0 })
//! );
//! # Ok::<(), Error>(())
//! ```
//!
//! # Compared with rust-vmm `linux-loader`
//!
//! [`Cmdline`] and [`Error`] keep upstream's method names, signatures and error variants, so code
//! using `linux_loader::cmdline` compiles unchanged against the umbrella crate's re-export. The
//! differences:
//!
//! - [`Cmdline::try_from`] rejects control bytes (NUL included), non-ASCII bytes, unbalanced
//!   double quotes and a second standalone `--`, and a line that starts with `--`; upstream takes
//!   any text.
//! - The builder rejects text that would break the command line's structure: an unclosed quote
//!   ([`Error::UnbalancedQuote`]), a standalone `--` in boot or init arguments
//!   ([`Error::UnexpectedSeparator`], [`Error::DuplicateSeparator`]), an empty key
//!   ([`Error::EmptyKey`]). Inserting whitespace-only text changes nothing instead of adding a
//!   trailing space.
//! - Capacities above [`limits::MAX_CMDLINE_CAPACITY`] are refused.
//! - Equality compares boot and init arguments, so two command lines holding only different init
//!   arguments are no longer equal.
//! - New: [`Cmdline::capacity`], [`Cmdline::len`], [`Cmdline::boot_args`],
//!   [`Cmdline::init_args`], [`Cmdline::params`], [`Cmdline::get`], [`Cmdline::remove`].
//! - [`Cmdline::add_virtio_mmio_device`] takes its base address as any [`RawAddress`] (`u64`,
//!   or `vm_memory::GuestAddress` with the `vm-memory` feature).
//! - `load_cmdline` (feature `vm-memory`) lives here, accepts a `CStr`/`CString` as well as a
//!   `Cmdline`, checks the range across all memory regions and writes nothing on error.

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

mod cmdline;
mod error;
pub mod limits;
mod load;
mod scan;

pub use cmdline::{Cmdline, Param, Params, RawAddress};
pub use error::{Error, Result};
pub use load::CmdlineBytes;
#[cfg(feature = "vm-memory")]
pub use load::{LoadError, load_cmdline};

#[cfg(all(doctest, feature = "vm-memory"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
