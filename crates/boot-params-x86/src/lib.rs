// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! x86 boot structures for VMMs: the Linux zero page ([`bootparam::boot_params`]), the setup
//! header, e820 entries and `setup_data` nodes, and the PVH [`start_info::hvm_start_info`] with
//! its memory map and module list.
//!
//! The layouts mirror the kernel's and Xen's headers byte for byte (`#[repr(C, packed)]` where C
//! says `packed`), keep their names, and keep rust-vmm `linux-loader`'s field names and types, so
//! VMM code written against `linux_loader::loader::bootparam` compiles unchanged. Each type derives
//! zerocopy's `FromBytes + IntoBytes + KnownLayout + Immutable`, has its size and field offsets
//! checked at compile time against the specs, and implements `vm_memory::ByteValued` for
//! `read_obj`/`write_obj`.
//!
//! ```
//! use boot_params_x86::bootparam::{boot_e820_entry, boot_params, setup_header, E820_RAM};
//! use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
//!
//! // The first bytes of a bzImage (a fake one here).
//! let mut image = vec![0u8; 0x400];
//! image[0x1fe..0x200].copy_from_slice(&0xaa55u16.to_le_bytes());
//! image[0x202..0x206].copy_from_slice(b"HdrS");
//! image[0x206..0x208].copy_from_slice(&0x020fu16.to_le_bytes());
//!
//! let hdr = setup_header::from_image_prefix(&image)?;
//! assert_eq!(hdr.protocol_version(), Some(0x020f));
//!
//! let mut params = boot_params::default();
//! params.hdr = hdr;
//! params.hdr.type_of_loader = 0xff;
//! params.hdr.cmd_line_ptr = 0x2_0000;
//! params.e820_table[0] = boot_e820_entry { addr: 0, size: 0x9_fc00, type_: E820_RAM };
//! params.e820_entries = 1;
//!
//! let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x10_0000)])?;
//! mem.write_obj(params, GuestAddress(0x7000))?;
//! let back: boot_params = mem.read_obj(GuestAddress(0x7000))?;
//! assert_eq!(back, params);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! On top of the layouts, the crate builds and places every structure the kernel reads at entry:
//! [`e820`] (memory map → sorted, merged e820 table, overflow chained as `SETUP_E820_EXT`),
//! [`setup_data`] (typed, linked, 8-byte aligned chain), [`zero_page`] (the loader's fields of
//! `boot_params` from the kernel's setup header), [`pvh`] (`hvm_start_info` and the
//! [`PvhBootConfigurator`]), [`linux`] (the [`LinuxBootConfigurator`]), [`initrd`] (top-down
//! placement, loading through loader-core's executor), and [`layout`], which plans all of it in
//! one call and writes it with one writer that checks every range before the first byte:
//!
//! ```
//! use boot_params_x86::layout::{EntryState, LayoutPlanner};
//! use boot_params_x86::MemoryMap;
//! use loader_core::{EntryPoints, GuestRange, KernelLoaderResult, StreamSource};
//! use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
//!
//! let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 64 << 20)])?;
//! // What a kernel loader returned: a vmlinux at 16 MiB with a 64-bit entry point.
//! let kernel = KernelLoaderResult {
//!     kernel_load: GuestAddress(0x100_0000),
//!     kernel_end: 0x180_0000,
//!     loaded: GuestRange::new(GuestAddress(0x100_0000), 0x80_0000),
//!     entry: EntryPoints { linux_64: Some(GuestAddress(0x100_0000)), ..EntryPoints::default() },
//!     needs_free: GuestRange::new(GuestAddress(0x100_0000), 0x80_0000),
//! };
//! let map = MemoryMap::from_guest_memory(&mem).with_e820_reserved(GuestAddress(0x9_fc00), 0x6_0400);
//! let initrd = vec![0x42u8; 4096];
//! let layout = LayoutPlanner::new(kernel, map)
//!     .cmdline(b"console=ttyS0")
//!     .initrd_size(initrd.len() as u64)
//!     .rng_seed(&[7; 32])
//!     .plan()?;
//! layout.write_with_initrd(&mem, &mut StreamSource::new(&initrd[..]))?;
//! assert_eq!(layout.entry(), EntryState::Linux64 { rip: 0x100_0000, rsi: 0x7000 });
//! assert_eq!(mem.read_obj::<u8>(layout.initrd().unwrap().start)?, 0x42);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `unsafe` appears in one private module only, the `ByteValued` bridge, where each impl is tied
//! at compile time to the zerocopy derives that prove it sound.

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
mod byte_valued;
pub mod e820;
mod error;
mod header;
pub mod initrd;
pub mod layout;
pub mod limits;
pub mod linux;
pub mod pvh;
pub mod setup_data;
pub mod start_info;
mod writer;
pub mod zero_page;

pub use e820::{E820Table, MemoryMap, ReservedRange};
pub use error::{Error, RangeName, WriteError};
pub use initrd::{load_initrd, place_initrd};
pub use layout::{BootProtocol, EntryState, LayoutPlanner, NamedRange, X86Layout};
pub use linux::LinuxBootConfigurator;
pub use pvh::{PvhBootConfigurator, StartInfoBuilder};
pub use setup_data::{PlacedSetupData, SetupDataChain, SetupDataEntry};
pub use zero_page::{ZeroPageBuilder, vmlinux_setup_header};
