// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! arm64 and riscv64 Linux `Image` loading, on every host.
//!
//! [`PE`] reads the first [`MAX_HEADER_BYTES`](limits::MAX_HEADER_BYTES) of an image, parses them
//! with [`parse_image_header`] (a pure function: the 64-byte `Image` header, its flags, and the
//! PE/COFF headers of an EFI stub, checked through goblin on those bounded bytes), plans one
//! segment covering `image_size` with [`plan_image`], and hands the plan to
//! [`loader_core::LoadPlan::execute`], which checks it against guest memory before writing.
//!
//! ```
//! use std::io::Cursor;
//! use kernel_pe::{Arch, PE};
//! use loader_core::KernelLoader;
//! use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
//!
//! // A minimal arm64 Image: 64-byte header, 0x1000 bytes in the file, image_size 0x3000.
//! let mut image = vec![0u8; 0x1000];
//! image[0x10..0x18].copy_from_slice(&0x3000u64.to_le_bytes()); // image_size
//! image[0x18..0x20].copy_from_slice(&0x2u64.to_le_bytes()); // flags: LE, 4K pages
//! image[0x38..0x3c].copy_from_slice(b"ARM\x64"); // magic
//! image[0x100] = 0xaa;
//!
//! let info = kernel_pe::parse_image_header(&image).unwrap();
//! assert_eq!(info.arch, Arch::Arm64);
//! assert_eq!(info.page_size.bytes(), Some(0x1000));
//!
//! let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0x4000_0000), 0x40_0000)]).unwrap();
//! let result = PE::load(&mem, Some(GuestAddress(0x4020_0000)), &mut Cursor::new(&image), None)
//!     .unwrap();
//! assert_eq!(result.kernel_load, GuestAddress(0x4020_0000)); // text_offset 0
//! assert_eq!(result.kernel_end, 0x4020_3000); // covers image_size, BSS included
//! assert_eq!(result.entry.image, Some(GuestAddress(0x4020_0000)));
//! assert_eq!(mem.read_obj::<u8>(GuestAddress(0x4020_0100)).unwrap(), 0xaa);
//!
//! // A base that is not 2 MiB aligned is refused before anything is written.
//! let err = PE::load(&mem, Some(GuestAddress(0x4010_0000)), &mut Cursor::new(&image), None);
//! assert!(matches!(err, Err(kernel_pe::Error::InvalidBaseAddrAlignment)));
//! ```
//!
//! [`load_dtb`] (upstream's `loader::pe::load_dtb`) validates a DTB with `boot-fdt` and writes
//! it through `boot-fdt`'s configurator. Compressed images (`Image.gz`, `.zst`, `.lz4`, EFI
//! zboot...) are recognised by [`probe`]; the plain loader refuses them with
//! [`Error::CompressedImage`], and `PE::load_compressed` (feature `decompress`, default)
//! decompresses them straight into guest memory, validating the whole `image_size` range first.

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
#[cfg(feature = "decompress")]
mod compressed;
mod error;
pub mod header;
pub mod limits;
mod load;
mod parse;

#[cfg(feature = "decompress")]
pub use compressed::{
    CompressedImage, CompressedLoad, ZbootHeader, locate_compressed, parse_zboot_header,
};
pub use error::{Error, Result};
pub use header::{arm64_image_header, riscv64_image_header};
#[cfg(feature = "decompress")]
pub use kernel_decompress;
pub use load::{ImagePlan, PE, load_dtb, plan_image};
pub use parse::{
    Arch, Compression, EfiStub, ImageFormat, ImageInfo, PageSize, parse_image_header, probe,
};

#[cfg(test)]
mod tests;
