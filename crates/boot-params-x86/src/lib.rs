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
//! `unsafe` appears in one private module only, the `ByteValued` bridge, where each impl is tied
//! at compile time to the zerocopy derives that prove it sound.

pub mod bootparam;
mod byte_valued;
mod error;
mod header;
pub mod start_info;

pub use error::Error;
