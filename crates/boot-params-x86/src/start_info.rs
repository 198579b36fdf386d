// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Raw layouts of the x86 PVH direct boot ABI: `hvm_start_info` and the tables it points to.
//!
//! These mirror Xen's `xen/include/public/arch-x86/hvm/start_info.h` (also in Linux as
//! `include/xen/interface/hvm/start_info.h`). A PVH kernel is entered in 32-bit protected mode
//! with paging off and `%ebx` holding the guest-physical address of an [`hvm_start_info`].
//! Every address field is little-endian; 0 means "not present".
//!
//! Names and field types follow rust-vmm `linux-loader`'s bindgen output
//! (`linux_loader::loader::elf::start_info`); C's `type` field is spelled `type_`.

#![allow(non_camel_case_types)]

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Value of [`hvm_start_info::magic`]: `"xEn3"` with the 0x80 bit of the `E` set.
pub const XEN_HVM_START_MAGIC_VALUE: u32 = 0x336e_c578;

/// Current version of [`hvm_start_info`]; version 1 added `memmap_paddr` and `memmap_entries`.
pub const XEN_HVM_START_INFO_VERSION: u32 = 1;

/// Memory map type: usable RAM.
pub const XEN_HVM_MEMMAP_TYPE_RAM: u32 = 1;
/// Memory map type: reserved.
pub const XEN_HVM_MEMMAP_TYPE_RESERVED: u32 = 2;
/// Memory map type: ACPI reclaimable.
pub const XEN_HVM_MEMMAP_TYPE_ACPI: u32 = 3;
/// Memory map type: ACPI non-volatile storage.
pub const XEN_HVM_MEMMAP_TYPE_NVS: u32 = 4;
/// Memory map type: unusable.
pub const XEN_HVM_MEMMAP_TYPE_UNUSABLE: u32 = 5;
/// Memory map type: disabled.
pub const XEN_HVM_MEMMAP_TYPE_DISABLED: u32 = 6;
/// Memory map type: persistent memory.
pub const XEN_HVM_MEMMAP_TYPE_PMEM: u32 = 7;

/// Start-of-day structure passed to a PVH guest in `%ebx`.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct hvm_start_info {
    /// [`XEN_HVM_START_MAGIC_VALUE`].
    pub magic: u32,
    /// Version of this structure ([`XEN_HVM_START_INFO_VERSION`]).
    pub version: u32,
    /// `SIF_*` flags.
    pub flags: u32,
    /// Number of entries in the module list.
    pub nr_modules: u32,
    /// Guest-physical address of an array of [`hvm_modlist_entry`].
    pub modlist_paddr: u64,
    /// Guest-physical address of the NUL-terminated command line.
    pub cmdline_paddr: u64,
    /// Guest-physical address of the ACPI RSDP.
    pub rsdp_paddr: u64,
    /// (Version 1+) guest-physical address of an array of [`hvm_memmap_table_entry`].
    pub memmap_paddr: u64,
    /// (Version 1+) number of memory map entries; 0 if no map is provided.
    pub memmap_entries: u32,
    /// (Version 1+) must be zero.
    pub reserved: u32,
}

/// One module (e.g. an initrd) of the PVH module list.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct hvm_modlist_entry {
    /// Guest-physical address of the module.
    pub paddr: u64,
    /// Size of the module in bytes.
    pub size: u64,
    /// Guest-physical address of the module's NUL-terminated command line, or 0.
    pub cmdline_paddr: u64,
    /// Reserved.
    pub reserved: u64,
}

/// One entry of the PVH memory map.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct hvm_memmap_table_entry {
    /// Base guest-physical address of the region.
    pub addr: u64,
    /// Size of the region in bytes.
    pub size: u64,
    /// `XEN_HVM_MEMMAP_TYPE_*` type of the region.
    pub type_: u32,
    /// Must be zero.
    pub reserved: u32,
}

// Layout checks against the offset diagrams in start_info.h.
const _: () = assert!(core::mem::size_of::<hvm_start_info>() == 56);
const _: () = assert!(core::mem::size_of::<hvm_modlist_entry>() == 32);
const _: () = assert!(core::mem::size_of::<hvm_memmap_table_entry>() == 24);

/// Asserts `offset_of!($ty, $field) == $off` at compile time, for each pair.
macro_rules! assert_offsets {
    ($ty:ty; $($field:ident = $off:expr),+ $(,)?) => {
        $(const _: () = assert!(core::mem::offset_of!($ty, $field) == $off);)+
    };
}

assert_offsets!(hvm_start_info;
    magic = 0, version = 4, flags = 8, nr_modules = 12, modlist_paddr = 16,
    cmdline_paddr = 24, rsdp_paddr = 32, memmap_paddr = 40, memmap_entries = 48,
    reserved = 52,
);
assert_offsets!(hvm_modlist_entry; paddr = 0, size = 8, cmdline_paddr = 16, reserved = 24);
assert_offsets!(hvm_memmap_table_entry; addr = 0, size = 8, type_ = 16, reserved = 20);
