// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The flattened device tree wire format: header layout, tokens and constants, as the
//! devicetree specification (chapter 5, "Flattened Devicetree (DTB) Format") lays them out.

use zerocopy::byteorder::big_endian::U32;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// `magic`: the first four bytes of every DTB, big-endian.
pub const FDT_MAGIC: u32 = 0xd00d_feed;
/// Structure-block token: start of a node, followed by its NUL-terminated name.
pub const FDT_BEGIN_NODE: u32 = 0x1;
/// Structure-block token: end of a node.
pub const FDT_END_NODE: u32 = 0x2;
/// Structure-block token: a property (`len`, `nameoff`, value).
pub const FDT_PROP: u32 = 0x3;
/// Structure-block token: ignored.
pub const FDT_NOP: u32 = 0x4;
/// Structure-block token: end of the structure block.
pub const FDT_END: u32 = 0x9;

/// The version this crate writes.
pub const FDT_VERSION: u32 = 17;
/// The `last_comp_version` this crate writes (version 17 blobs are readable by version-16
/// readers).
pub const FDT_LAST_COMP_VERSION: u32 = 16;
/// Size of a version-17 header (`size_dt_struct` is its last field).
pub const FDT_V17_HEADER_SIZE: usize = 40;
/// Size of a version-16 header (no `size_dt_struct`).
pub const FDT_V16_HEADER_SIZE: usize = 36;

/// The version-17 FDT header, all fields big-endian (private parsing struct: it keeps the
/// byte-order wrapper types).
#[repr(C)]
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Clone, Copy, Debug, Default)]
pub(crate) struct FdtHeader {
    pub(crate) magic: U32,
    pub(crate) totalsize: U32,
    pub(crate) off_dt_struct: U32,
    pub(crate) off_dt_strings: U32,
    pub(crate) off_mem_rsvmap: U32,
    pub(crate) version: U32,
    pub(crate) last_comp_version: U32,
    pub(crate) boot_cpuid_phys: U32,
    pub(crate) size_dt_strings: U32,
    pub(crate) size_dt_struct: U32,
}

const _: () = assert!(size_of::<FdtHeader>() == FDT_V17_HEADER_SIZE);
const _: () = assert!(std::mem::offset_of!(FdtHeader, size_dt_strings) == 32);
const _: () = assert!(std::mem::offset_of!(FdtHeader, size_dt_struct) == FDT_V16_HEADER_SIZE);
