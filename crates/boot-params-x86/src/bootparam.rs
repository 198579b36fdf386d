// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Raw layouts of the x86 Linux boot protocol: the zero page (`boot_params`), the setup header,
//! e820 entries and `setup_data` nodes.
//!
//! These mirror Linux's `arch/x86/include/uapi/asm/bootparam.h` (6.1) and the headers it includes
//! (`linux/screen_info.h`, `linux/apm_bios.h`, `linux/edd.h`, `asm/ist.h`, `video/edid.h`), with the
//! kernel's names, field types and `packed` attributes. Offsets are documented in
//! `Documentation/x86/boot.rst` (setup header) and `Documentation/x86/zero-page.rst` (zero page);
//! every struct's size and the documented field offsets are checked at compile time at the bottom
//! of this file.
//!
//! Names, field names, field types and constant types follow rust-vmm `linux-loader`'s bindgen
//! output (`linux_loader::loader::bootparam`), so VMM code such as
//! `params.hdr.type_of_loader = 0xff; params.e820_table[i].type_ = E820_RAM;` compiles unchanged.
//! That is why the kernel's `#define` constants are all `u32` here, as bindgen emits them.
//!
//! This module holds layouts and constants only; reading a header out of image bytes lives in
//! [`setup_header::from_image_prefix`].

#![allow(non_camel_case_types, non_upper_case_globals, non_snake_case)]

use zerocopy::{FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout};

// --- setup_data / setup_indirect types (bootparam.h) ---

/// `setup_data` type: end of list marker (never used in a node).
pub const SETUP_NONE: u32 = 0;
/// `setup_data` type: extra e820 entries beyond the 128 of the zero page.
pub const SETUP_E820_EXT: u32 = 1;
/// `setup_data` type: a flattened device tree blob.
pub const SETUP_DTB: u32 = 2;
/// `setup_data` type: PCI option ROM images.
pub const SETUP_PCI: u32 = 3;
/// `setup_data` type: EFI runtime mappings (kexec).
pub const SETUP_EFI: u32 = 4;
/// `setup_data` type: Apple device properties.
pub const SETUP_APPLE_PROPERTIES: u32 = 5;
/// `setup_data` type: Jailhouse platform information ([`JAILHOUSE_SETUP_REQUIRED_VERSION`]).
pub const SETUP_JAILHOUSE: u32 = 6;
/// `setup_data` type: confidential computing blob.
pub const SETUP_CC_BLOB: u32 = 7;
/// `setup_data` type: IMA measurement buffer from the previous kernel ([`ima_setup_data`]).
pub const SETUP_IMA: u32 = 8;
/// `setup_data` type: random seed for the kernel's RNG.
pub const SETUP_RNG_SEED: u32 = 9;
/// `setup_data` type: kexec handover state (kernels newer than the 6.1 header mirrored here).
pub const SETUP_KEXEC_KHO: u32 = 10;
/// Highest `setup_data` type known to Linux 6.1 (later kernels raise it with
/// [`SETUP_KEXEC_KHO`]).
pub const SETUP_ENUM_MAX: u32 = SETUP_RNG_SEED;
/// Flag ORed into a type to say the node holds a [`setup_indirect`].
pub const SETUP_INDIRECT: u32 = 1 << 31;
/// Highest valid `setup_data` type value, indirect flag included.
pub const SETUP_TYPE_MAX: u32 = SETUP_ENUM_MAX | SETUP_INDIRECT;

// --- ram_size flags ---

/// `ram_size`: mask of the ramdisk start (obsolete).
pub const RAMDISK_IMAGE_START_MASK: u16 = 0x07FF;
/// `ram_size`: prompt for the ramdisk (obsolete).
pub const RAMDISK_PROMPT_FLAG: u16 = 0x8000;
/// `ram_size`: load the ramdisk (obsolete).
pub const RAMDISK_LOAD_FLAG: u16 = 0x4000;

// --- loadflags ---

/// `loadflags`: the protected-mode code is loaded at 0x100000.
pub const LOADED_HIGH: u8 = 1 << 0;
/// `loadflags`: set by the kernel when KASLR is enabled.
pub const KASLR_FLAG: u8 = 1 << 1;
/// `loadflags`: ask the kernel not to print early messages.
pub const QUIET_FLAG: u8 = 1 << 5;
/// `loadflags`: obsolete; do not reload segment registers in the 32-bit entry.
pub const KEEP_SEGMENTS: u8 = 1 << 6;
/// `loadflags`: `heap_end_ptr` is valid.
pub const CAN_USE_HEAP: u8 = 1 << 7;

// --- xloadflags ---

/// `xloadflags`: the kernel has the legacy 64-bit entry point at load address + 0x200.
pub const XLF_KERNEL_64: u16 = 1 << 0;
/// `xloadflags`: kernel, boot_params, cmdline and ramdisk may live above 4 GiB.
pub const XLF_CAN_BE_LOADED_ABOVE_4G: u16 = 1 << 1;
/// `xloadflags`: the kernel supports the 32-bit EFI handover entry point.
pub const XLF_EFI_HANDOVER_32: u16 = 1 << 2;
/// `xloadflags`: the kernel supports the 64-bit EFI handover entry point.
pub const XLF_EFI_HANDOVER_64: u16 = 1 << 3;
/// `xloadflags`: the kernel supports kexec EFI boot with EFI runtime support.
pub const XLF_EFI_KEXEC: u16 = 1 << 4;
/// `xloadflags`: the kernel supports 5-level paging.
pub const XLF_5LEVEL: u16 = 1 << 5;
/// `xloadflags`: 5-level paging is enabled.
pub const XLF_5LEVEL_ENABLED: u16 = 1 << 6;
/// `xloadflags`: memory encryption support (kernels newer than 6.1; as in linux-loader 0.14).
pub const XLF_MEM_ENCRYPTION: u16 = 1 << 7;

// --- e820 ---

/// Number of `e820_table` entries in the zero page.
pub const E820_MAX_ENTRIES_ZEROPAGE: usize = 128;
/// Oldest `jailhouse_setup_data` version Linux 6.1 accepts.
pub const JAILHOUSE_SETUP_REQUIRED_VERSION: u32 = 1;

/// e820 type: usable RAM (kernel `E820_TYPE_RAM`).
pub const E820_RAM: u32 = 1;
/// e820 type: reserved, not usable by the OS.
pub const E820_RESERVED: u32 = 2;
/// e820 type: ACPI reclaimable memory (tables).
pub const E820_ACPI: u32 = 3;
/// e820 type: ACPI non-volatile storage.
pub const E820_NVS: u32 = 4;
/// e820 type: memory with detected errors.
pub const E820_UNUSABLE: u32 = 5;
/// e820 type: persistent memory (ACPI 6.0).
pub const E820_PMEM: u32 = 7;
/// e820 type: legacy persistent RAM (non-standard).
pub const E820_PRAM: u32 = 12;

// --- edd.h ---

/// Zero-page offset of `eddbuf_entries`.
pub const EDDNR: u16 = 0x1e9;
/// Zero-page offset of `eddbuf`.
pub const EDDBUF: u16 = 0xd00;
/// Number of [`edd_info`] entries in the zero page.
pub const EDDMAXNR: usize = 6;
/// Size of the fixed part of [`edd_info`] before its `params`.
pub const EDDEXTSIZE: usize = 8;
/// Size of [`edd_device_params`].
pub const EDDPARMSIZE: usize = 74;
/// BIOS int 13h function: check extensions present.
pub const CHECKEXTENSIONSPRESENT: u8 = 0x41;
/// BIOS int 13h function: get device parameters.
pub const GETDEVICEPARAMETERS: u8 = 0x48;
/// BIOS int 13h function: legacy get device parameters.
pub const LEGACYGETDEVICEPARAMETERS: u8 = 0x08;
/// EDD magic passed to int 13h.
pub const EDDMAGIC1: u16 = 0x55AA;
/// EDD magic returned by int 13h.
pub const EDDMAGIC2: u16 = 0xAA55;
/// BIOS int 13h function: read sectors.
pub const READ_SECTORS: u8 = 0x02;
/// Offset of the disk signature in an MBR.
pub const EDD_MBR_SIG_OFFSET: u16 = 0x1B8;
/// Zero-page offset of `edd_mbr_sig_buffer`.
pub const EDD_MBR_SIG_BUF: u16 = 0x290;
/// Number of MBR signatures in the zero page.
pub const EDD_MBR_SIG_MAX: usize = 16;
/// Zero-page offset of `edd_mbr_sig_buf_entries`.
pub const EDD_MBR_SIG_NR_BUF: u16 = 0x1ea;
/// `edd_info::interface_support`: fixed disk access subset.
pub const EDD_EXT_FIXED_DISK_ACCESS: u16 = 1 << 0;
/// `edd_info::interface_support`: device locking and ejecting subset.
pub const EDD_EXT_DEVICE_LOCKING_AND_EJECTING: u16 = 1 << 1;
/// `edd_info::interface_support`: enhanced disk drive support subset.
pub const EDD_EXT_ENHANCED_DISK_DRIVE_SUPPORT: u16 = 1 << 2;
/// `edd_info::interface_support`: 64-bit extensions.
pub const EDD_EXT_64BIT_EXTENSIONS: u16 = 1 << 3;
/// `edd_device_params::info_flags`: DMA boundary errors handled transparently.
pub const EDD_INFO_DMA_BOUNDARY_ERROR_TRANSPARENT: u16 = 1 << 0;
/// `edd_device_params::info_flags`: geometry valid.
pub const EDD_INFO_GEOMETRY_VALID: u16 = 1 << 1;
/// `edd_device_params::info_flags`: removable.
pub const EDD_INFO_REMOVABLE: u16 = 1 << 2;
/// `edd_device_params::info_flags`: write with verify supported.
pub const EDD_INFO_WRITE_VERIFY: u16 = 1 << 3;
/// `edd_device_params::info_flags`: media change notification.
pub const EDD_INFO_MEDIA_CHANGE_NOTIFICATION: u16 = 1 << 4;
/// `edd_device_params::info_flags`: lockable.
pub const EDD_INFO_LOCKABLE: u16 = 1 << 5;
/// `edd_device_params::info_flags`: no media present.
pub const EDD_INFO_NO_MEDIA_PRESENT: u16 = 1 << 6;
/// `edd_device_params::info_flags`: use int 13h function 50h.
pub const EDD_INFO_USE_INT13_FN50: u16 = 1 << 7;

// --- screen_info.h ---

/// `orig_video_isVGA`: monochrome text display.
pub const VIDEO_TYPE_MDA: u8 = 0x10;
/// `orig_video_isVGA`: CGA display.
pub const VIDEO_TYPE_CGA: u8 = 0x11;
/// `orig_video_isVGA`: EGA/VGA in monochrome mode.
pub const VIDEO_TYPE_EGAM: u8 = 0x20;
/// `orig_video_isVGA`: EGA in colour mode.
pub const VIDEO_TYPE_EGAC: u8 = 0x21;
/// `orig_video_isVGA`: VGA in colour mode.
pub const VIDEO_TYPE_VGAC: u8 = 0x22;
/// `orig_video_isVGA`: VESA VGA in graphic mode (linear frame buffer).
pub const VIDEO_TYPE_VLFB: u8 = 0x23;
/// `orig_video_isVGA`: ACER PICA-61 local S3 video.
pub const VIDEO_TYPE_PICA_S3: u8 = 0x30;
/// `orig_video_isVGA`: MIPS Magnum 4000 G364 video.
pub const VIDEO_TYPE_MIPS_G364: u8 = 0x31;
/// `orig_video_isVGA`: various SGI graphics hardware.
pub const VIDEO_TYPE_SGI: u8 = 0x33;
/// `orig_video_isVGA`: DEC TGA.
pub const VIDEO_TYPE_TGAC: u8 = 0x40;
/// `orig_video_isVGA`: Sun frame buffer.
pub const VIDEO_TYPE_SUN: u8 = 0x50;
/// `orig_video_isVGA`: Sun PCI-based frame buffer.
pub const VIDEO_TYPE_SUNPCI: u8 = 0x51;
/// `orig_video_isVGA`: PowerMacintosh frame buffer.
pub const VIDEO_TYPE_PMAC: u8 = 0x60;
/// `orig_video_isVGA`: EFI graphic mode.
pub const VIDEO_TYPE_EFI: u8 = 0x70;
/// `screen_info::flags`: no cursor.
pub const VIDEO_FLAGS_NOCURSOR: u8 = 1 << 0;
/// `screen_info::capabilities`: skip quirks.
pub const VIDEO_CAPABILITY_SKIP_QUIRKS: u32 = 1 << 0;
/// `screen_info::capabilities`: the frame buffer base is 64-bit (`ext_lfb_base` valid).
pub const VIDEO_CAPABILITY_64BIT_BASE: u32 = 1 << 1;

// --- x86_hardware_subarch (bootparam.h enum, bindgen spelling) ---

/// Values of `setup_header::hardware_subarch` (a C enum, `u32` as bindgen renders it).
pub type x86_hardware_subarch = u32;
/// Standard PC (BIOS, EFI, or a VMM following the standard boot entries).
pub const x86_hardware_subarch_X86_SUBARCH_PC: x86_hardware_subarch = 0;
/// lguest (removed from Linux).
pub const x86_hardware_subarch_X86_SUBARCH_LGUEST: x86_hardware_subarch = 1;
/// Xen PV guests.
pub const x86_hardware_subarch_X86_SUBARCH_XEN: x86_hardware_subarch = 2;
/// Intel MID platforms.
pub const x86_hardware_subarch_X86_SUBARCH_INTEL_MID: x86_hardware_subarch = 3;
/// Intel CE4100 SoC.
pub const x86_hardware_subarch_X86_SUBARCH_CE4100: x86_hardware_subarch = 4;
/// Number of subarchitectures.
pub const x86_hardware_subarch_X86_NR_SUBARCHS: x86_hardware_subarch = 5;
/// Kernel spelling of [`x86_hardware_subarch_X86_SUBARCH_PC`].
pub const X86_SUBARCH_PC: x86_hardware_subarch = x86_hardware_subarch_X86_SUBARCH_PC;
/// Kernel spelling of [`x86_hardware_subarch_X86_SUBARCH_LGUEST`].
pub const X86_SUBARCH_LGUEST: x86_hardware_subarch = x86_hardware_subarch_X86_SUBARCH_LGUEST;
/// Kernel spelling of [`x86_hardware_subarch_X86_SUBARCH_XEN`].
pub const X86_SUBARCH_XEN: x86_hardware_subarch = x86_hardware_subarch_X86_SUBARCH_XEN;
/// Kernel spelling of [`x86_hardware_subarch_X86_SUBARCH_INTEL_MID`].
pub const X86_SUBARCH_INTEL_MID: x86_hardware_subarch = x86_hardware_subarch_X86_SUBARCH_INTEL_MID;
/// Kernel spelling of [`x86_hardware_subarch_X86_SUBARCH_CE4100`].
pub const X86_SUBARCH_CE4100: x86_hardware_subarch = x86_hardware_subarch_X86_SUBARCH_CE4100;
/// Kernel spelling of [`x86_hardware_subarch_X86_NR_SUBARCHS`].
pub const X86_NR_SUBARCHS: x86_hardware_subarch = x86_hardware_subarch_X86_NR_SUBARCHS;

// --- boot protocol facts from Documentation/x86/boot.rst (not in bootparam.h) ---

/// Size of the zero page ([`boot_params`]).
pub const ZERO_PAGE_SIZE: usize = 4096;
/// Offset of the setup header in a bzImage and in [`boot_params`].
pub const SETUP_HEADER_OFFSET: usize = 0x1f1;
/// Size of [`setup_header`] as Linux 6.1 defines it (protocol 2.15).
pub const SETUP_HEADER_SIZE: usize = core::mem::size_of::<setup_header>();
/// One past the last byte of the setup header, from the start of the image or zero page.
pub const SETUP_HEADER_END: usize = 0x26c;
/// Image offset of `boot_flag`.
pub const BOOT_FLAG_OFFSET: usize = 0x1fe;
/// Required value of `boot_flag`.
pub const BOOT_FLAG: u16 = 0xAA55;
/// Image offset of `header`.
pub const HDRS_OFFSET: usize = 0x202;
/// Required value of `header`: `"HdrS"` read as a little-endian `u32`. Without it the kernel is
/// an "old" (pre-2.00) zImage.
pub const HDRS_MAGIC: u32 = u32::from_le_bytes(*b"HdrS");
/// `setup_sects` value assumed when the header says 0.
pub const DEFAULT_SETUP_SECTS: u8 = 4;
/// A "sector" of the boot protocol, whatever the medium.
pub const SECTOR_SIZE: u32 = 512;
/// Offset of the 64-bit entry point from the protected-mode load address (`XLF_KERNEL_64`).
pub const KERNEL_64_ENTRY_OFFSET: u64 = 0x200;

// ============================================================================
// Structures included by bootparam.h
// ============================================================================

/// Video mode information (`include/uapi/linux/screen_info.h`), zero-page offset 0x000.
#[repr(C, packed)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct screen_info {
    /// 0x00: cursor column.
    pub orig_x: u8,
    /// 0x01: cursor row.
    pub orig_y: u8,
    /// 0x02: extended memory size in KiB.
    pub ext_mem_k: u16,
    /// 0x04: video page.
    pub orig_video_page: u16,
    /// 0x06: video mode.
    pub orig_video_mode: u8,
    /// 0x07: text columns.
    pub orig_video_cols: u8,
    /// 0x08: `VIDEO_FLAGS_*`.
    pub flags: u8,
    /// 0x09: unused.
    pub unused2: u8,
    /// 0x0a: EGA BX register value.
    pub orig_video_ega_bx: u16,
    /// 0x0c: unused.
    pub unused3: u16,
    /// 0x0e: text lines.
    pub orig_video_lines: u8,
    /// 0x0f: display type, `VIDEO_TYPE_*`.
    pub orig_video_isVGA: u8,
    /// 0x10: font height in points.
    pub orig_video_points: u16,
    /// 0x12: frame buffer width in pixels.
    pub lfb_width: u16,
    /// 0x14: frame buffer height in pixels.
    pub lfb_height: u16,
    /// 0x16: bits per pixel.
    pub lfb_depth: u16,
    /// 0x18: frame buffer base, low 32 bits.
    pub lfb_base: u32,
    /// 0x1c: frame buffer size.
    pub lfb_size: u32,
    /// 0x20: obsolete command-line magic.
    pub cl_magic: u16,
    /// 0x22: obsolete command-line offset.
    pub cl_offset: u16,
    /// 0x24: bytes per scan line.
    pub lfb_linelength: u16,
    /// 0x26: red mask size.
    pub red_size: u8,
    /// 0x27: red field position.
    pub red_pos: u8,
    /// 0x28: green mask size.
    pub green_size: u8,
    /// 0x29: green field position.
    pub green_pos: u8,
    /// 0x2a: blue mask size.
    pub blue_size: u8,
    /// 0x2b: blue field position.
    pub blue_pos: u8,
    /// 0x2c: reserved mask size.
    pub rsvd_size: u8,
    /// 0x2d: reserved field position.
    pub rsvd_pos: u8,
    /// 0x2e: VESA protected-mode interface segment.
    pub vesapm_seg: u16,
    /// 0x30: VESA protected-mode interface offset.
    pub vesapm_off: u16,
    /// 0x32: number of video pages.
    pub pages: u16,
    /// 0x34: VESA mode attributes.
    pub vesa_attributes: u16,
    /// 0x36: `VIDEO_CAPABILITY_*`.
    pub capabilities: u32,
    /// 0x3a: frame buffer base, high 32 bits.
    pub ext_lfb_base: u32,
    /// 0x3e: reserved.
    pub _reserved: [u8; 2],
}

/// APM BIOS information (`include/uapi/linux/apm_bios.h`), zero-page offset 0x040.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct apm_bios_info {
    /// APM version.
    pub version: u16,
    /// 32-bit code segment.
    pub cseg: u16,
    /// Entry point offset.
    pub offset: u32,
    /// 16-bit code segment.
    pub cseg_16: u16,
    /// Data segment.
    pub dseg: u16,
    /// APM flags.
    pub flags: u16,
    /// 32-bit code segment length.
    pub cseg_len: u16,
    /// 16-bit code segment length.
    pub cseg_16_len: u16,
    /// Data segment length.
    pub dseg_len: u16,
}

/// Intel SpeedStep BIOS information (`arch/x86/include/uapi/asm/ist.h`), zero-page offset 0x060.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct ist_info {
    /// IST signature.
    pub signature: u32,
    /// IST command.
    pub command: u32,
    /// IST event.
    pub event: u32,
    /// IST performance level.
    pub perf_level: u32,
}

/// Raw EDID block (`include/uapi/video/edid.h`), zero-page offset 0x140.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct edid_info {
    /// The 128 EDID bytes.
    pub dummy: [u8; 128],
}

/// Enhanced Disk Drive device parameters (`include/uapi/linux/edd.h`).
///
/// The C `interface_path` and `device_path` members are unions of bus- and device-specific
/// structs; they are kept here as raw byte arrays of the union's size.
#[repr(C, packed)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct edd_device_params {
    /// Size of this structure as filled in by the BIOS.
    pub length: u16,
    /// `EDD_INFO_*` flags.
    pub info_flags: u16,
    /// Default number of cylinders.
    pub num_default_cylinders: u32,
    /// Default number of heads.
    pub num_default_heads: u32,
    /// Sectors per track.
    pub sectors_per_track: u32,
    /// Total number of sectors.
    pub number_of_sectors: u64,
    /// Bytes per sector.
    pub bytes_per_sector: u16,
    /// Device parameter table extension pointer.
    pub dpte_ptr: u32,
    /// 0xBEDD when the device path information is present.
    pub key: u16,
    /// Length of the device path information (44).
    pub device_path_info_length: u8,
    /// Reserved.
    pub reserved2: u8,
    /// Reserved.
    pub reserved3: u16,
    /// Host bus type, ASCII (`"ISA"`, `"PCI"`, ...).
    pub host_bus_type: [u8; 4],
    /// Interface type, ASCII (`"ATA"`, `"SCSI"`, ...).
    pub interface_type: [u8; 8],
    /// Bus-specific interface path (C union).
    pub interface_path: [u8; 8],
    /// Interface-specific device path (C union).
    pub device_path: [u8; 16],
    /// Reserved.
    pub reserved4: u8,
    /// Checksum of the device path information.
    pub checksum: u8,
}

/// One Enhanced Disk Drive entry (`include/uapi/linux/edd.h`); six of them at zero-page 0xd00.
#[repr(C, packed)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct edd_info {
    /// BIOS device number.
    pub device: u8,
    /// EDD version.
    pub version: u8,
    /// `EDD_EXT_*` flags.
    pub interface_support: u16,
    /// Legacy maximum cylinder.
    pub legacy_max_cylinder: u16,
    /// Legacy maximum head.
    pub legacy_max_head: u8,
    /// Legacy sectors per track.
    pub legacy_sectors_per_track: u8,
    /// Extended device parameters.
    pub params: edd_device_params,
}

// ============================================================================
// bootparam.h
// ============================================================================

/// Header of a node in the `setup_data` linked list (`hdr.setup_data` points at the first).
///
/// In C the header is followed by a flexible `data[len]` array; here the struct is the 16-byte
/// header only, and the payload is written right after it.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct setup_data {
    /// Guest-physical address of the next node, 0 at the end of the list.
    pub next: u64,
    /// `SETUP_*` type of this node.
    pub type_: u32,
    /// Length of the payload following this header.
    pub len: u32,
}

/// Payload of a `setup_data` node whose type has [`SETUP_INDIRECT`] set.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct setup_indirect {
    /// `SETUP_*` type of the data pointed to.
    pub type_: u32,
    /// Reserved, must be zero.
    pub reserved: u32,
    /// Length of the data.
    pub len: u64,
    /// Guest-physical address of the data.
    pub addr: u64,
}

/// The real-mode kernel header, at offset 0x1f1 of a bzImage and of [`boot_params`].
///
/// Offsets in the field docs are from the start of the image (`Documentation/x86/boot.rst`).
#[repr(C, packed)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct setup_header {
    /// 0x1f1: size of the setup code in 512-byte sectors; 0 means 4.
    pub setup_sects: u8,
    /// 0x1f2: if set, the root is mounted read-only.
    pub root_flags: u16,
    /// 0x1f4 (2.04+): size of the protected-mode code in 16-byte paragraphs.
    pub syssize: u32,
    /// 0x1f8: obsolete.
    pub ram_size: u16,
    /// 0x1fa: video mode control.
    pub vid_mode: u16,
    /// 0x1fc: default root device number.
    pub root_dev: u16,
    /// 0x1fe: 0xAA55 ([`BOOT_FLAG`]).
    pub boot_flag: u16,
    /// 0x200 (2.00+): jump instruction.
    pub jump: u16,
    /// 0x202 (2.00+): `"HdrS"` ([`HDRS_MAGIC`]).
    pub header: u32,
    /// 0x206 (2.00+): boot protocol version, e.g. 0x020f for 2.15.
    pub version: u16,
    /// 0x208 (2.00+): boot loader real-mode hook.
    pub realmode_swtch: u32,
    /// 0x20c (2.00+): obsolete load-low segment.
    pub start_sys_seg: u16,
    /// 0x20e (2.00+): pointer to the kernel version string, minus 0x200.
    pub kernel_version: u16,
    /// 0x210 (2.00+): boot loader identifier (0xff: undefined).
    pub type_of_loader: u8,
    /// 0x211 (2.00+): `LOADED_HIGH`, `KASLR_FLAG`, `QUIET_FLAG`, `KEEP_SEGMENTS`, `CAN_USE_HEAP`.
    pub loadflags: u8,
    /// 0x212 (2.00+): bytes to move to high memory (with `realmode_swtch`).
    pub setup_move_size: u16,
    /// 0x214 (2.00+): 32-bit protected-mode entry point.
    pub code32_start: u32,
    /// 0x218 (2.00+): initrd load address, low 32 bits.
    pub ramdisk_image: u32,
    /// 0x21c (2.00+): initrd size, low 32 bits.
    pub ramdisk_size: u32,
    /// 0x220 (2.00+): obsolete.
    pub bootsect_kludge: u32,
    /// 0x224 (2.01+): end of the setup heap, minus 0x200.
    pub heap_end_ptr: u16,
    /// 0x226 (2.02+): extended boot loader version.
    pub ext_loader_ver: u8,
    /// 0x227 (2.02+): extended boot loader type.
    pub ext_loader_type: u8,
    /// 0x228 (2.02+): kernel command line address, low 32 bits.
    pub cmd_line_ptr: u32,
    /// 0x22c (2.03+): highest address the initrd may occupy.
    pub initrd_addr_max: u32,
    /// 0x230 (2.05+): physical alignment required for a relocatable kernel.
    pub kernel_alignment: u32,
    /// 0x234 (2.05+): nonzero if the kernel is relocatable.
    pub relocatable_kernel: u8,
    /// 0x235 (2.10+): minimum alignment, as a power of two.
    pub min_alignment: u8,
    /// 0x236 (2.12+): `XLF_*` flags.
    pub xloadflags: u16,
    /// 0x238 (2.06+): maximum command line size, without the terminating NUL.
    pub cmdline_size: u32,
    /// 0x23c (2.07+): `X86_SUBARCH_*`.
    pub hardware_subarch: u32,
    /// 0x240 (2.07+): subarchitecture-specific data.
    pub hardware_subarch_data: u64,
    /// 0x248 (2.08+): offset of the compressed payload from the protected-mode code.
    pub payload_offset: u32,
    /// 0x24c (2.08+): length of the compressed payload.
    pub payload_length: u32,
    /// 0x250 (2.09+): guest-physical address of the first [`setup_data`] node.
    pub setup_data: u64,
    /// 0x258 (2.10+): preferred load address of a relocatable kernel.
    pub pref_address: u64,
    /// 0x260 (2.10+): linear memory the kernel needs during initialization.
    pub init_size: u32,
    /// 0x264 (2.11+): offset of the EFI handover entry point.
    pub handover_offset: u32,
    /// 0x268 (2.15+): offset of `kernel_info` from the protected-mode code.
    pub kernel_info_offset: u32,
}

/// Obsolete system description table, zero-page offset 0x0a0.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct sys_desc_table {
    /// Number of valid bytes in `table`.
    pub length: u16,
    /// Table contents.
    pub table: [u8; 14],
}

/// OLPC Open Firmware header, zero-page offset 0x0b0.
#[repr(C, packed)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct olpc_ofw_header {
    /// Open Firmware signature.
    pub ofw_magic: u32,
    /// Open Firmware version.
    pub ofw_version: u32,
    /// Callback into Open Firmware.
    pub cif_handler: u32,
    /// Interrupt descriptor table.
    pub irq_desc_table: u32,
}

/// EFI system table and memory map location, zero-page offset 0x1c0.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct efi_info {
    /// `"EL32"` or `"EL64"`.
    pub efi_loader_signature: u32,
    /// EFI system table address, low 32 bits.
    pub efi_systab: u32,
    /// Size of one EFI memory descriptor.
    pub efi_memdesc_size: u32,
    /// EFI memory descriptor version.
    pub efi_memdesc_version: u32,
    /// EFI memory map address, low 32 bits.
    pub efi_memmap: u32,
    /// EFI memory map size.
    pub efi_memmap_size: u32,
    /// EFI system table address, high 32 bits.
    pub efi_systab_hi: u32,
    /// EFI memory map address, high 32 bits.
    pub efi_memmap_hi: u32,
}

/// One entry of the e820 memory map of the boot protocol.
#[repr(C, packed)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct boot_e820_entry {
    /// First guest-physical address of the range.
    pub addr: u64,
    /// Length of the range in bytes.
    pub size: u64,
    /// `E820_*` type of the range.
    pub type_: u32,
}

/// Payload of a [`SETUP_IMA`] `setup_data` node: the IMA buffer of the previous kernel.
#[repr(C, packed)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct ima_setup_data {
    /// Guest-physical address of the buffer.
    pub addr: u64,
    /// Size of the buffer.
    pub size: u64,
}

/// The zero page: the 4 KiB `struct boot_params` handed to the kernel in `%esi`/`%rsi`.
///
/// A boot loader starts from an all-zero page ([`Default`]), copies the kernel's
/// [`setup_header`] into `hdr`, and fills in the fields it owns (`type_of_loader`,
/// `cmd_line_ptr`, `ramdisk_*`, `e820_table`, ...). Offsets in the field docs are from
/// `Documentation/x86/zero-page.rst`.
#[repr(C, packed)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable)]
pub struct boot_params {
    /// 0x000: text mode or frame buffer information.
    pub screen_info: screen_info,
    /// 0x040: APM BIOS information.
    pub apm_bios_info: apm_bios_info,
    /// 0x054: padding.
    pub _pad2: [u8; 4],
    /// 0x058: physical address of the tboot shared page.
    pub tboot_addr: u64,
    /// 0x060: Intel SpeedStep BIOS information.
    pub ist_info: ist_info,
    /// 0x070: physical address of the ACPI RSDP.
    pub acpi_rsdp_addr: u64,
    /// 0x078: padding.
    pub _pad3: [u8; 8],
    /// 0x080: obsolete hd0 disk parameters.
    pub hd0_info: [u8; 16],
    /// 0x090: obsolete hd1 disk parameters.
    pub hd1_info: [u8; 16],
    /// 0x0a0: obsolete system description table.
    pub sys_desc_table: sys_desc_table,
    /// 0x0b0: OLPC Open Firmware header.
    pub olpc_ofw_header: olpc_ofw_header,
    /// 0x0c0: `ramdisk_image` high 32 bits.
    pub ext_ramdisk_image: u32,
    /// 0x0c4: `ramdisk_size` high 32 bits.
    pub ext_ramdisk_size: u32,
    /// 0x0c8: `cmd_line_ptr` high 32 bits.
    pub ext_cmd_line_ptr: u32,
    /// 0x0cc: padding.
    pub _pad4: [u8; 112],
    /// 0x13c: physical address of the confidential computing blob.
    pub cc_blob_address: u32,
    /// 0x140: video mode setup (EDID).
    pub edid_info: edid_info,
    /// 0x1c0: EFI information.
    pub efi_info: efi_info,
    /// 0x1e0: alternative memory size, in KiB.
    pub alt_mem_k: u32,
    /// 0x1e4: scratch field for the kernel setup code.
    pub scratch: u32,
    /// 0x1e8: number of valid entries in `e820_table`.
    pub e820_entries: u8,
    /// 0x1e9: number of valid entries in `eddbuf`.
    pub eddbuf_entries: u8,
    /// 0x1ea: number of valid entries in `edd_mbr_sig_buffer`.
    pub edd_mbr_sig_buf_entries: u8,
    /// 0x1eb: NumLock is enabled.
    pub kbd_status: u8,
    /// 0x1ec: secure boot is enabled in the firmware.
    pub secure_boot: u8,
    /// 0x1ed: padding.
    pub _pad5: [u8; 2],
    /// 0x1ef: nonzero in the image; a loader that copies it into the zero page is "clumsy" and
    /// the kernel then clears fields it cannot trust. Leave it zero.
    pub sentinel: u8,
    /// 0x1f0: padding.
    pub _pad6: [u8; 1],
    /// 0x1f1: the setup header.
    pub hdr: setup_header,
    /// 0x26c: padding up to 0x290.
    pub _pad7: [u8; 36],
    /// 0x290: EDD MBR signatures.
    pub edd_mbr_sig_buffer: [u32; 16],
    /// 0x2d0: the e820 memory map; `e820_entries` says how many are valid.
    pub e820_table: [boot_e820_entry; 128],
    /// 0xcd0: padding.
    pub _pad8: [u8; 48],
    /// 0xd00: EDD data.
    pub eddbuf: [edd_info; 6],
    /// 0xeec: padding up to 4096.
    pub _pad9: [u8; 276],
}

impl Default for edid_info {
    /// All zero.
    fn default() -> Self {
        Self::new_zeroed()
    }
}

impl Default for boot_params {
    /// An all-zero zero page, where every boot loader starts.
    fn default() -> Self {
        Self::new_zeroed()
    }
}

// ============================================================================
// Compile-time layout checks against bootparam.h, boot.rst and zero-page.rst
// ============================================================================

/// Asserts `size_of::<$ty>() == $size` at compile time.
macro_rules! assert_size {
    ($ty:ty, $size:expr) => {
        const _: () = assert!(core::mem::size_of::<$ty>() == $size);
    };
}

/// Asserts `offset_of!($ty, $field) == $off` at compile time, for each pair.
macro_rules! assert_offsets {
    ($ty:ty, $base:expr; $($field:ident = $off:expr),+ $(,)?) => {
        $(const _: () = assert!($base + core::mem::offset_of!($ty, $field) == $off);)+
    };
}

assert_size!(screen_info, 0x40);
assert_size!(apm_bios_info, 0x14);
assert_size!(ist_info, 0x10);
assert_size!(edid_info, 0x80);
assert_size!(edd_device_params, 74);
assert_size!(edd_info, 82);
assert_size!(setup_data, 16);
assert_size!(setup_indirect, 24);
assert_size!(setup_header, 0x7b);
assert_size!(sys_desc_table, 0x10);
assert_size!(olpc_ofw_header, 0x10);
assert_size!(efi_info, 0x20);
assert_size!(boot_e820_entry, 20);
assert_size!(ima_setup_data, 16);
assert_size!(boot_params, ZERO_PAGE_SIZE);

// The constants that describe the layout agree with it.
const _: () = assert!(SETUP_HEADER_OFFSET + SETUP_HEADER_SIZE == SETUP_HEADER_END);
const _: () = assert!(EDDEXTSIZE + EDDPARMSIZE == 82);
const _: () = assert!(core::mem::size_of::<edd_device_params>() == 74);
const _: () = assert!(HDRS_MAGIC == 0x5372_6448);

// screen_info.h comments.
assert_offsets!(screen_info, 0;
    orig_x = 0x00, ext_mem_k = 0x02, orig_video_page = 0x04, orig_video_mode = 0x06,
    flags = 0x08, orig_video_ega_bx = 0x0a, orig_video_lines = 0x0e, orig_video_isVGA = 0x0f,
    orig_video_points = 0x10, lfb_width = 0x12, lfb_base = 0x18, lfb_size = 0x1c,
    cl_magic = 0x20, lfb_linelength = 0x24, red_size = 0x26, rsvd_pos = 0x2d,
    vesapm_seg = 0x2e, pages = 0x32, vesa_attributes = 0x34, capabilities = 0x36,
    ext_lfb_base = 0x3a, _reserved = 0x3e,
);

// edd.h: the unions sit after the fixed part; the checksum is the last byte.
assert_offsets!(edd_device_params, 0;
    number_of_sectors = 0x10, dpte_ptr = 0x1a, key = 0x1e, host_bus_type = 0x24,
    interface_type = 0x28, interface_path = 0x30, device_path = 0x38, reserved4 = 0x48,
    checksum = 0x49,
);
assert_offsets!(edd_info, 0; params = 8);

// Documentation/x86/boot.rst, "The Real-Mode Kernel Header" (offsets from the image start).
assert_offsets!(setup_header, SETUP_HEADER_OFFSET;
    setup_sects = 0x1f1, root_flags = 0x1f2, syssize = 0x1f4, ram_size = 0x1f8,
    vid_mode = 0x1fa, root_dev = 0x1fc, boot_flag = 0x1fe, jump = 0x200, header = 0x202,
    version = 0x206, realmode_swtch = 0x208, start_sys_seg = 0x20c, kernel_version = 0x20e,
    type_of_loader = 0x210, loadflags = 0x211, setup_move_size = 0x212, code32_start = 0x214,
    ramdisk_image = 0x218, ramdisk_size = 0x21c, bootsect_kludge = 0x220,
    heap_end_ptr = 0x224, ext_loader_ver = 0x226, ext_loader_type = 0x227,
    cmd_line_ptr = 0x228, initrd_addr_max = 0x22c, kernel_alignment = 0x230,
    relocatable_kernel = 0x234, min_alignment = 0x235, xloadflags = 0x236,
    cmdline_size = 0x238, hardware_subarch = 0x23c, hardware_subarch_data = 0x240,
    payload_offset = 0x248, payload_length = 0x24c, setup_data = 0x250,
    pref_address = 0x258, init_size = 0x260, handover_offset = 0x264,
    kernel_info_offset = 0x268,
);
const _: () = assert!(
    core::mem::offset_of!(setup_header, boot_flag) + SETUP_HEADER_OFFSET == BOOT_FLAG_OFFSET
);
const _: () =
    assert!(core::mem::offset_of!(setup_header, header) + SETUP_HEADER_OFFSET == HDRS_OFFSET);

// Documentation/x86/zero-page.rst and the offset comments of bootparam.h.
assert_offsets!(boot_params, 0;
    screen_info = 0x000, apm_bios_info = 0x040, _pad2 = 0x054, tboot_addr = 0x058,
    ist_info = 0x060, acpi_rsdp_addr = 0x070, _pad3 = 0x078, hd0_info = 0x080,
    hd1_info = 0x090, sys_desc_table = 0x0a0, olpc_ofw_header = 0x0b0,
    ext_ramdisk_image = 0x0c0, ext_ramdisk_size = 0x0c4, ext_cmd_line_ptr = 0x0c8,
    _pad4 = 0x0cc, cc_blob_address = 0x13c, edid_info = 0x140, efi_info = 0x1c0,
    alt_mem_k = 0x1e0, scratch = 0x1e4, e820_entries = 0x1e8, eddbuf_entries = 0x1e9,
    edd_mbr_sig_buf_entries = 0x1ea, kbd_status = 0x1eb, secure_boot = 0x1ec,
    _pad5 = 0x1ed, sentinel = 0x1ef, _pad6 = 0x1f0, hdr = 0x1f1, _pad7 = 0x26c,
    edd_mbr_sig_buffer = 0x290, e820_table = 0x2d0, _pad8 = 0xcd0, eddbuf = 0xd00,
    _pad9 = 0xeec,
);
// The array lengths are the kernel's constants, and the edd.h offsets agree.
const _: () = assert!(core::mem::size_of::<[boot_e820_entry; 128]>() == 0xa00);
const _: () = assert!(E820_MAX_ENTRIES_ZEROPAGE == 128 && EDD_MBR_SIG_MAX == 16 && EDDMAXNR == 6);
const _: () =
    assert!(core::mem::offset_of!(boot_params, eddbuf_entries) == 0x1e9 && EDDNR == 0x1e9);
const _: () = assert!(core::mem::offset_of!(boot_params, eddbuf) == 0xd00 && EDDBUF == 0xd00);
const _: () = assert!(EDD_MBR_SIG_BUF == 0x290 && EDD_MBR_SIG_NR_BUF == 0x1ea);
// `hdr.cmd_line_ptr` lands at absolute 0x228 of the zero page, as boot.rst says.
const _: () = assert!(
    core::mem::offset_of!(boot_params, hdr) + core::mem::offset_of!(setup_header, cmd_line_ptr)
        == 0x228
);
