// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Loads x86 bzImage kernels into guest memory.
//!
//! ```
//! use std::fs::File;
//! use kernel_bzimage::BzImage;
//! use loader_core::KernelLoader;
//! use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
//!
//! let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x200_0000)]).unwrap();
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/bzimage/minimal-64.bzImage");
//! let mut image = File::open(path).unwrap();
//!
//! let load = BzImage::load_detailed(&mem, None, &mut image, Some(GuestAddress(0x10_0000))).unwrap();
//! assert_eq!(load.result.kernel_load, GuestAddress(0x10_0000)); // code32_start
//! assert_eq!(load.result.kernel_end, 0x10_1000); // load + syssize * 16
//! assert_eq!(load.result.entry.linux_32, Some(GuestAddress(0x10_0000)));
//! assert_eq!(load.result.entry.linux_64, Some(GuestAddress(0x10_0200))); // XLF_KERNEL_64
//! assert_eq!({ load.setup_header.code32_start }, 0x10_0000);
//! assert_eq!((load.protocol, load.init_size), (0x020f, 0x40_0000));
//! // The kernel decompresses at pref_address (0x1000000), init_size bytes: keep that free.
//! assert_eq!(load.result.needs_free.end_or_max(), 0x140_0000);
//! assert_eq!(load.kernel_version.as_deref(), Some("6.1.0-synthetic (xtask) #1 SMP"));
//!
//! // Upstream's trait call, at another 2 MiB-aligned address.
//! let result = BzImage::load(&mem, Some(GuestAddress(0x20_0000)), &mut image, None).unwrap();
//! assert_eq!(result.entry.linux_64, Some(GuestAddress(0x20_0200)));
//!
//! // A misaligned address is refused before anything is written.
//! let before: u8 = mem.read_obj(GuestAddress(0x30_0000)).unwrap();
//! assert!(matches!(
//!     BzImage::load(&mem, Some(GuestAddress(0x30_0000)), &mut image, None),
//!     Err(kernel_bzimage::Error::MisalignedLoadAddress { addr: 0x30_0000, alignment: 0x20_0000 })
//! ));
//! assert_eq!(mem.read_obj::<u8>(GuestAddress(0x30_0000)).unwrap(), before);
//! ```
//!
//! # How a load goes
//!
//! Parse, plan, then write — and only the last step touches guest memory:
//!
//! 1. Two small bounded reads into stack buffers: the boot sector and setup header (0x280
//!    bytes), then the kernel version string the header points at (at most
//!    [`limits::MAX_KERNEL_VERSION_LEN`] + 1 bytes, inside the setup code) — with exact reads: a
//!    short image is an error, never a partially filled header.
//! 2. Pure functions: [`parse`] validates the setup header against the image length and
//!    returns a [`BzImageInfo`]; [`BzImageInfo::plan`] checks the requested placement and
//!    returns a [`BzImagePlan`] with a one-segment [`loader_core::LoadPlan`].
//! 3. [`loader_core::LoadPlan::execute`] checks the plan against guest memory and the image,
//!    then copies the protected-mode kernel in. Kernel bytes reach guest memory nowhere else.
//!
//! # What is loaded, and the numbers reported
//!
//! The protected-mode kernel is `syssize * 16` bytes at file offset `(setup_sects + 1) * 512`
//! (`setup_sects` 0 means 4). Linux's build (`arch/x86/boot/header.S`: `syssize = ZO__edata / 16`;
//! `_edata` is 512-byte aligned and includes the CRC-32; `arch/x86/boot/tools/build.c` writes
//! exactly `_edata` bytes after the setup sectors) makes that an exact length, so an image
//! shorter than it is truncated and rejected, and bytes after it — such as the Authenticode
//! signature of a distribution's signed vmlinuz — are not loaded. For boot protocols before
//! 2.04, whose `syssize` cannot be trusted, the rest of the file is loaded.
//!
//! * `kernel_load` — the load address: `kernel_offset`, or `code32_start` when `None`.
//! * `kernel_end` — `kernel_load` + the protected-mode size: the end of what was loaded, as
//!   upstream defines it. It does **not** include `init_size`.
//! * `needs_free` — the loaded kernel plus `init_size` bytes from the runtime start address,
//!   where the kernel decompresses itself (see [`BzImageInfo::plan`]). Place the zero page,
//!   command line and initrd outside it.
//! * `entry.linux_32` — the load address; `entry.linux_64` — load address + 0x200 when the
//!   kernel sets `XLF_KERNEL_64` (protocol 2.12+).
//!
//! # Differences from upstream linux-loader (0.13 / 0.14)
//!
//! Same type name, trait and error variant names; the umbrella crate re-exports them at
//! `linux_loader::loader::bzimage`. Deliberately different:
//!
//! * **Exact reads.** Upstream ignored a short read of the setup header and parsed zeroes.
//! * **Full header validation**, each check with its own variant: `boot_flag` 0xAA55 (upstream
//!   did not check it), `"HdrS"`, version ≥ 2.00, `LOADED_HIGH`, `setup_sects` limit,
//!   `syssize` against the file (upstream loaded a truncated image), a power-of-two
//!   `kernel_alignment`, the payload inside the kernel.
//! * **Placement checks**: a relocatable kernel at an address other than `code32_start` must
//!   be aligned to `kernel_alignment`; a non-relocatable one loads only at `code32_start`; the
//!   load address — not `code32_start` — is compared with `highmem_start_address`; a load
//!   address at or above 4 GiB is an error rather than silently truncated into `code32_start`.
//! * **Loaded length** is `syssize * 16`, not the rest of the file (see above), so on a signed
//!   kernel `kernel_end` is smaller than upstream's by the signature's size.
//! * **Validation before writing**: nothing is written unless the whole load checks out.
//! * **More results**: 64-bit entry, protocol, `init_size` and `needs_free`, the kernel version
//!   string and the payload location ([`BzImageLoad`]).
//! * **All hosts**: no `cfg(target_arch)`; an aarch64 host can load a bzImage.

#![forbid(unsafe_code)]
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

mod error;
pub mod limits;
mod load;
mod parse;
mod plan;
#[cfg(feature = "vmlinux")]
mod vmlinux;

pub use error::{Error, Result};
#[cfg(feature = "vmlinux")]
pub use kernel_decompress::{Compression, Limits};
pub use load::{BzImage, BzImageLoad};
pub use parse::{
    BzImageInfo, PROTOCOL_2_00, PROTOCOL_2_04, PROTOCOL_2_05, PROTOCOL_2_08, PROTOCOL_2_10,
    PROTOCOL_2_12, Payload, parse,
};
pub use plan::BzImagePlan;
#[cfg(feature = "vmlinux")]
pub use vmlinux::{PayloadInfo, VmlinuxLoad, extract_vmlinux, payload_info};

#[cfg(test)]
mod tests;
