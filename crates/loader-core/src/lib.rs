// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The core every kernel format in this workspace builds on.
//!
//! A loader reads only the header bytes it needs, parses them, and describes what it wants
//! written as a [`LoadPlan`]: segments of (file offset, file length, guest address, memory
//! length). [`LoadPlan::execute`] is the one place kernel bytes enter guest memory: it checks the
//! whole plan first — every segment inside guest memory and inside the image, no overlaps, nothing
//! below the high-memory start — and only then streams each segment from the source, zero-filling
//! past its file bytes. A rejected plan leaves guest memory byte-identical.
//!
//! ```
//! use std::io::Cursor;
//! use loader_core::{LoadPlan, Segment, SeekSource};
//! use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
//!
//! let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x10000)]).unwrap();
//! let mut image = Cursor::new(vec![0xAAu8; 0x200]);
//!
//! let mut plan = LoadPlan::new();
//! // 0x100 bytes from offset 0x100, followed by 0x80 bytes of zero fill (a BSS).
//! plan.push(Segment {
//!     file_offset: 0x100,
//!     file_len: 0x100,
//!     guest_addr: GuestAddress(0x1000),
//!     mem_len: 0x180,
//! })
//! .unwrap();
//! let summary = plan.execute(&mem, &mut SeekSource::new(&mut image)).unwrap();
//! assert_eq!(summary.file_bytes, 0x100);
//! assert_eq!(summary.zero_bytes, 0x80);
//! assert_eq!(mem.read_obj::<u8>(GuestAddress(0x10ff)).unwrap(), 0xAA);
//! assert_eq!(mem.read_obj::<u8>(GuestAddress(0x1100)).unwrap(), 0);
//!
//! // A segment past the end of guest memory is rejected before anything is written.
//! let mut bad = LoadPlan::new();
//! bad.push(Segment { file_offset: 0, file_len: 0x10, guest_addr: GuestAddress(0x2000), mem_len: 0x10 })
//!     .unwrap();
//! bad.push(Segment { file_offset: 0, file_len: 0x10, guest_addr: GuestAddress(0xfff8), mem_len: 0x10 })
//!     .unwrap();
//! assert!(matches!(
//!     bad.execute(&mem, &mut SeekSource::new(&mut image)),
//!     Err(loader_core::Error::SegmentOutsideMemory { index: 1, .. })
//! ));
//! assert_eq!(mem.read_obj::<u8>(GuestAddress(0x2000)).unwrap(), 0);
//! ```
//!
//! Also here: the arch-neutral [`KernelLoader`] trait and [`KernelLoaderResult`], the
//! [`configurator`] module ([`BootConfigurator`](configurator::BootConfigurator) and
//! [`BootParams`](configurator::BootParams) with upstream linux-loader's API, minus its panics),
//! the bounded readers every parser uses ([`read_at`], [`read_exact_at`]), and the [`limits`].

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

mod byte_valued;
pub mod configurator;
mod error;
pub mod limits;
mod loader;
mod plan;
mod range;
mod source;

pub use error::{Error, Result};
pub use loader::{EntryPoints, KernelLoader, KernelLoaderResult};
pub use plan::{LoadPlan, PlanSummary, Segment};
pub use range::{GuestRange, fits_in_memory};
pub use source::{
    SeekSource, SegmentSource, StreamSource, read_at, read_at_least, read_exact_at, read_full,
    source_end, source_len,
};

#[cfg(test)]
mod tests;
