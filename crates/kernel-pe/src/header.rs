// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The 64-byte arm64 and riscv64 `Image` headers, as `Documentation/arm64/booting.rst` and
//! `Documentation/riscv/boot-image-header.rst` lay them out, with upstream linux-loader's struct
//! and field names and plain integer types (all fields little-endian in the image; read them
//! with `u64::from_le` and friends).

#![allow(non_camel_case_types)]

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// arm64 `Image` header `magic` (offset 0x38): `"ARM\x64"` little-endian.
pub const ARM64_IMAGE_MAGIC: u32 = 0x644d_5241;
/// riscv64 `Image` header `magic2` (offset 0x38): `"RSC\x05"` little-endian.
pub const RISCV_IMAGE_MAGIC2: u32 = 0x0543_5352;
/// riscv64 `Image` header `magic` (offset 0x30, deprecated since header version 0.2):
/// `"RISCV\0\0\0"` little-endian.
pub const RISCV_IMAGE_MAGIC: u64 = 0x0000_0056_4353_4952;
/// The riscv64 header version that introduced `magic2` (major 0, minor 2).
pub const RISCV_HEADER_VERSION_0_2: u32 = 0x0000_0002;

/// arm64 `flags` bit 0 (and riscv64 `flags` bit 0): the kernel is big-endian.
pub const IMAGE_FLAG_BE: u64 = 1 << 0;
/// arm64 `flags` bits 1-2: kernel page size (0 unspecified, 1 4K, 2 16K, 3 64K).
pub const ARM64_IMAGE_FLAG_PAGE_SIZE_SHIFT: u32 = 1;
/// Mask of the arm64 page-size field once shifted.
pub const ARM64_IMAGE_FLAG_PAGE_SIZE_MASK: u64 = 0x3;
/// arm64 `flags` bit 3: the 2 MiB-aligned base may be anywhere in physical memory (clear: as
/// close as possible to the base of DRAM).
pub const ARM64_IMAGE_FLAG_PHYS_BASE: u64 = 1 << 3;

/// `text_offset` to assume when an arm64 header's `image_size` is 0 (kernels before 3.17).
pub const ARM64_LEGACY_TEXT_OFFSET: u64 = 0x8_0000;
/// Required alignment of the base address an `Image` is loaded `text_offset` bytes above.
pub const IMAGE_BASE_ALIGN: u64 = 0x20_0000;
/// `"MZ"`: first two bytes of an EFI-stub `Image` (the DOS header signature).
pub const DOS_MAGIC: u16 = 0x5a4d;
/// PE32+ optional-header magic.
pub const PE32PLUS_MAGIC: u16 = 0x20b;
/// COFF machine type of arm64 PE images.
pub const IMAGE_FILE_MACHINE_ARM64: u16 = 0xaa64;
/// COFF machine type of riscv64 PE images.
pub const IMAGE_FILE_MACHINE_RISCV64: u16 = 0x5064;

/// The arm64 `Image` header (booting.rst, "Call the kernel image").
#[repr(C)]
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Clone, Copy, Default, Debug)]
pub struct arm64_image_header {
    /// Executable code (`"MZ"` in its low half on EFI-stub kernels).
    pub code0: u32,
    /// Executable code.
    pub code1: u32,
    /// Image load offset from a 2 MiB-aligned base, little-endian.
    pub text_offset: u64,
    /// Effective image size (BSS included), little-endian; 0 before 3.17.
    pub image_size: u64,
    /// Kernel flags (endianness, page size, physical placement), little-endian.
    pub flags: u64,
    /// Reserved.
    pub res2: u64,
    /// Reserved.
    pub res3: u64,
    /// Reserved.
    pub res4: u64,
    /// Magic number [`ARM64_IMAGE_MAGIC`], little-endian.
    pub magic: u32,
    /// Reserved; offset of the PE header on EFI-stub kernels.
    pub res5: u32,
}

/// The riscv64 `Image` header (boot-image-header.rst).
#[repr(C)]
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Clone, Copy, Default, Debug)]
pub struct riscv64_image_header {
    /// Executable code (`"MZ"` in its low half on EFI-stub kernels).
    pub code0: u32,
    /// Executable code.
    pub code1: u32,
    /// Image load offset from a 2 MiB-aligned base, little-endian.
    pub text_offset: u64,
    /// Effective image size (BSS included), little-endian; mandatory.
    pub image_size: u64,
    /// Kernel flags (bit 0: big-endian), little-endian.
    pub flags: u64,
    /// Header version: major in bits 16-31, minor in bits 0-15.
    pub version: u32,
    /// Reserved.
    pub res1: u32,
    /// Reserved.
    pub res2: u64,
    /// Deprecated magic number [`RISCV_IMAGE_MAGIC`], little-endian.
    pub magic: u64,
    /// Magic number [`RISCV_IMAGE_MAGIC2`], little-endian.
    pub magic2: u32,
    /// Reserved; offset of the PE header on EFI-stub kernels.
    pub res3: u32,
}

/// Size of both headers.
pub const IMAGE_HEADER_SIZE: usize = 64;

const _: () = assert!(size_of::<arm64_image_header>() == IMAGE_HEADER_SIZE);
const _: () = assert!(std::mem::offset_of!(arm64_image_header, text_offset) == 0x08);
const _: () = assert!(std::mem::offset_of!(arm64_image_header, image_size) == 0x10);
const _: () = assert!(std::mem::offset_of!(arm64_image_header, flags) == 0x18);
const _: () = assert!(std::mem::offset_of!(arm64_image_header, magic) == 0x38);
const _: () = assert!(std::mem::offset_of!(arm64_image_header, res5) == 0x3c);

const _: () = assert!(size_of::<riscv64_image_header>() == IMAGE_HEADER_SIZE);
const _: () = assert!(std::mem::offset_of!(riscv64_image_header, text_offset) == 0x08);
const _: () = assert!(std::mem::offset_of!(riscv64_image_header, image_size) == 0x10);
const _: () = assert!(std::mem::offset_of!(riscv64_image_header, flags) == 0x18);
const _: () = assert!(std::mem::offset_of!(riscv64_image_header, version) == 0x20);
const _: () = assert!(std::mem::offset_of!(riscv64_image_header, magic) == 0x30);
const _: () = assert!(std::mem::offset_of!(riscv64_image_header, magic2) == 0x38);
const _: () = assert!(std::mem::offset_of!(riscv64_image_header, res3) == 0x3c);
