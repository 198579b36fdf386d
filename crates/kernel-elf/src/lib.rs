// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Loads x86 Linux `vmlinux` ELF images (ELF64 x86_64 and ELF32 i386) into guest memory.
//!
//! ```
//! use std::fs::File;
//! use kernel_elf::{Class, Elf, Machine, PvhBootCapability};
//! use loader_core::KernelLoader;
//! use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
//!
//! let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x40_0000)]).unwrap();
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/elf/x86_64-pvh.elf");
//! let mut image = File::open(path).unwrap();
//!
//! let load = Elf::load_detailed(&mem, None, &mut image, Some(GuestAddress(0x10_0000))).unwrap();
//! assert_eq!((load.class, load.machine), (Class::Elf64, Machine::X86_64));
//! assert_eq!(load.result.kernel_load, GuestAddress(0x20_0010)); // e_entry, as upstream reports
//! assert_eq!(load.result.entry.linux_64, Some(GuestAddress(0x20_0010)));
//! assert_eq!(load.result.kernel_end, 0x20_2000); // BSS included
//! assert_eq!(load.pvh_boot_cap, PvhBootCapability::PvhEntryPresent(GuestAddress(0x20_0080)));
//! assert_eq!(mem.read_obj::<u8>(GuestAddress(0x20_1fff)).unwrap(), 0); // BSS zeroed
//!
//! // Upstream's trait call: with a kernel offset the PVH entry is ignored.
//! let result = Elf::load(&mem, Some(GuestAddress(0x10_0000)), &mut image, None).unwrap();
//! assert_eq!(result.kernel_load, GuestAddress(0x30_0010));
//! assert_eq!(result.entry.pvh, None);
//!
//! // Not an ELF file: the variant VMMs match to fall back to the bzImage loader.
//! let mut bzimage = std::io::Cursor::new(vec![0u8; 0x1000]);
//! assert!(matches!(
//!     Elf::load(&mem, None, &mut bzimage, None),
//!     Err(kernel_elf::Error::InvalidElfMagicNumber)
//! ));
//! ```
//!
//! # How a load goes
//!
//! Parse, plan, then write — and only the last step touches guest memory:
//!
//! 1. Bounded reads: the ELF header (at most 64 bytes), the program header table (at most
//!    [`limits::MAX_PROGRAM_HEADERS`] entries) and each `PT_NOTE` segment (at most
//!    [`limits::MAX_NOTE_SEGMENT_BYTES`]). The image is never read whole into memory.
//! 2. Pure functions of those bytes: [`parse_ehdr`], [`parse_phdrs`] (goblin decodes the bounded
//!    bytes and is cross-checked against a zerocopy decoding of the same bytes), [`plan()`]
//!    and [`find_pvh_entry`]. A forward-only source (a decompressor) can drive the same steps.
//! 3. [`loader_core::LoadPlan::execute`] checks the plan against guest memory and the image,
//!    then streams each segment in and zero-fills its BSS. Kernel bytes reach guest memory
//!    nowhere else.
//!
//! A rejected image leaves guest memory byte-identical.
//!
//! # Differences from upstream linux-loader (0.13 / 0.14)
//!
//! Same type names, trait, variants and `PvhBootCapability`; the umbrella crate re-exports
//! them at `linux_loader::loader::elf`, and [`raw`] at `linux_loader::elf`. Deliberately
//! different:
//!
//! * **Validation before writing.** Upstream wrote each segment as it went and could fail
//!   half-way; here nothing is written unless the whole image checks out.
//! * **BSS is zeroed** (`p_memsz > p_filesz`), and `kernel_end` covers it; segments with
//!   `p_filesz == 0` (pure BSS) are loaded, not skipped.
//! * **Stricter checks**, each with its own error: `EI_CLASS`, `e_type`, `e_machine` (x86_64 for
//!   ELF64, i386 for ELF32), `e_phnum` limit, program headers and segments inside the file,
//!   `p_filesz <= p_memsz`, no overlapping segments, address overflow, entry point and PVH
//!   entry inside a segment's file bytes, bounded note segments, well-formed notes.
//! * **High memory**: every segment must start at or above `highmem_start_address`, not only
//!   the raw entry point (upstream compared the entry without the kernel offset).
//! * **PVH**: every `PT_NOTE` segment is scanned and the first PVH entry wins; upstream let a
//!   later note segment without one overwrite the result with `PvhEntryNotPresent`.
//! * **ELF32**: i386 vmlinux images load; upstream read every image as ELF64.
//! * **All hosts**: no `cfg(target_arch)`; an aarch64 host can load an x86 vmlinux.
//! * **Errors** carry the offending values in the new variants; upstream's variants keep their
//!   unit shape (see [`Error`]). `PartialEq` compares `Debug` renderings, because
//!   [`Error::Plan`] holds I/O errors.

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
mod error;
pub mod limits;
mod load;
mod note;
mod parse;
mod plan;
pub mod raw;
mod stream;

pub use error::{Error, Result};
pub use load::{Elf, ElfLoad, PvhBootCapability};
pub use note::find_pvh_entry;
pub use parse::{Class, Header, Machine, ProgramHeader, parse_ehdr, parse_phdrs};
pub use plan::{ElfPlan, NoteSegment, plan};

#[cfg(test)]
mod tests;
