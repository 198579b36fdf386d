// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Wire-struct behaviour seen from outside the crate: guest-memory round trips, byte offsets,
//! zeroed defaults, and the upstream-compatible way VMMs fill these structs in.

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use boot_params_x86::bootparam::*;
use boot_params_x86::start_info::*;
use vm_memory::{ByteValued, Bytes, GuestAddress, GuestMemoryMmap};
use zerocopy::IntoBytes;

fn guest_memory() -> GuestMemoryMmap {
    GuestMemoryMmap::from_ranges(&[(GuestAddress(0), 0x10_0000)]).unwrap()
}

/// A zero page with something distinctive in every region.
fn busy_params() -> boot_params {
    let mut params = boot_params::default();
    params.screen_info.orig_video_isVGA = VIDEO_TYPE_VLFB;
    params.acpi_rsdp_addr = 0x000e_0000;
    params.ext_cmd_line_ptr = 1;
    params.efi_info.efi_memmap_hi = 0xdead_beef;
    params.hdr.type_of_loader = 0xff;
    params.hdr.loadflags |= LOADED_HIGH | CAN_USE_HEAP;
    params.hdr.cmd_line_ptr = 0x2_0000;
    params.hdr.setup_data = 0x1234_5678_9abc_def0;
    for (i, entry) in params.e820_table.iter_mut().enumerate() {
        *entry = boot_e820_entry {
            addr: (i as u64) << 32,
            size: 0x1000 + i as u64,
            type_: E820_RAM,
        };
    }
    params.e820_entries = E820_MAX_ENTRIES_ZEROPAGE as u8;
    params.eddbuf[5].params.checksum = 0x5a;
    params._pad9[275] = 0xa5;
    params
}

#[test]
fn boot_params_round_trips_through_guest_memory() {
    let mem = guest_memory();
    let params = busy_params();
    mem.write_obj(params, GuestAddress(0x7000)).unwrap();
    let back: boot_params = mem.read_obj(GuestAddress(0x7000)).unwrap();
    assert_eq!(back, params);

    // The bytes in guest memory are exactly the struct's bytes, last byte included.
    let mut raw = [0u8; 4096];
    mem.read_slice(&mut raw, GuestAddress(0x7000)).unwrap();
    assert_eq!(&raw[..], params.as_bytes());
    assert_eq!(raw[0xfff], 0xa5);
}

#[test]
fn pvh_structs_round_trip_through_guest_memory() {
    let mem = guest_memory();
    let start_info = hvm_start_info {
        magic: XEN_HVM_START_MAGIC_VALUE,
        version: 1,
        flags: 0,
        nr_modules: 1,
        modlist_paddr: 0x6040,
        cmdline_paddr: 0x2_0000,
        rsdp_paddr: 0xe_0000,
        memmap_paddr: 0x6060,
        memmap_entries: 2,
        reserved: 0,
    };
    let module = hvm_modlist_entry {
        paddr: 0x80_0000,
        size: 0x1234,
        cmdline_paddr: 0,
        reserved: 0,
    };
    let ram = hvm_memmap_table_entry {
        addr: 0,
        size: 0x9_fc00,
        type_: XEN_HVM_MEMMAP_TYPE_RAM,
        reserved: 0,
    };
    mem.write_obj(start_info, GuestAddress(0x6000)).unwrap();
    mem.write_obj(module, GuestAddress(0x6040)).unwrap();
    mem.write_obj(ram, GuestAddress(0x6060)).unwrap();
    assert_eq!(
        mem.read_obj::<hvm_start_info>(GuestAddress(0x6000))
            .unwrap(),
        start_info
    );
    assert_eq!(
        mem.read_obj::<hvm_modlist_entry>(GuestAddress(0x6040))
            .unwrap(),
        module
    );
    assert_eq!(
        mem.read_obj::<hvm_memmap_table_entry>(GuestAddress(0x6060))
            .unwrap(),
        ram
    );
    // The magic sits little-endian at offset 0.
    let mut magic = [0u8; 4];
    mem.read_slice(&mut magic, GuestAddress(0x6000)).unwrap();
    assert_eq!(magic, [0x78, 0xc5, 0x6e, 0x33]);
}

#[test]
fn zero_page_fields_land_at_their_documented_offsets() {
    let mut params = boot_params::default();
    params.hdr.setup_sects = 0x11;
    params.hdr.boot_flag = BOOT_FLAG;
    params.hdr.header = HDRS_MAGIC;
    params.hdr.type_of_loader = 0xff;
    params.hdr.cmd_line_ptr = 0x0403_0201;
    params.hdr.ramdisk_image = 0x0807_0605;
    params.hdr.kernel_info_offset = 0x0c0b_0a09;
    params.e820_entries = 3;
    params.acpi_rsdp_addr = 0x1122_3344_5566_7788;
    params.ext_cmd_line_ptr = 0x99;
    params.e820_table[0].addr = 0x0102_0304_0506_0708;
    params.e820_table[1].type_ = E820_ACPI;
    params.e820_table[127].type_ = E820_NVS;
    params.eddbuf[0].device = 0x80;
    let b = params.as_bytes();

    assert_eq!(b[0x1f1], 0x11);
    assert_eq!(b[0x1fe..0x200], [0x55, 0xaa]);
    assert_eq!(&b[0x202..0x206], b"HdrS");
    assert_eq!(b[0x210], 0xff);
    assert_eq!(b[0x228..0x22c], [1, 2, 3, 4]);
    assert_eq!(b[0x218..0x21c], [5, 6, 7, 8]);
    assert_eq!(b[0x268..0x26c], [9, 10, 11, 12]);
    assert_eq!(b[0x1e8], 3);
    assert_eq!(b[0x070..0x078], 0x1122_3344_5566_7788u64.to_le_bytes());
    assert_eq!(b[0x0c8], 0x99);
    assert_eq!(b[0x2d0..0x2d8], 0x0102_0304_0506_0708u64.to_le_bytes());
    assert_eq!(b[0x2d0 + 20 + 16], E820_ACPI as u8);
    assert_eq!(b[0x2d0 + 127 * 20 + 16], E820_NVS as u8);
    assert_eq!(b[0xd00], 0x80);

    // Nothing else was touched.
    let nonzero = b.iter().filter(|&&x| x != 0).count();
    assert_eq!(
        nonzero,
        1 + 2 + 4 + 1 + 4 + 4 + 4 + 1 + 8 + 1 + 8 + 1 + 1 + 1
    );
}

#[test]
fn pvh_fields_land_at_their_documented_offsets() {
    let info = hvm_start_info {
        memmap_entries: 0x0102_0304,
        ..Default::default()
    };
    assert_eq!(info.as_bytes()[48..52], [4, 3, 2, 1]);
    let entry = hvm_memmap_table_entry {
        type_: XEN_HVM_MEMMAP_TYPE_ACPI,
        ..Default::default()
    };
    assert_eq!(entry.as_bytes()[16], 3);
}

#[test]
fn defaults_are_all_zero() {
    fn zero<T: IntoBytes + zerocopy::Immutable + Default>() -> bool {
        T::default().as_bytes().iter().all(|&b| b == 0)
    }
    assert!(zero::<boot_params>());
    assert!(zero::<setup_header>());
    assert!(zero::<boot_e820_entry>());
    assert!(zero::<setup_data>());
    assert!(zero::<setup_indirect>());
    assert!(zero::<ima_setup_data>());
    assert!(zero::<screen_info>());
    assert!(zero::<apm_bios_info>());
    assert!(zero::<ist_info>());
    assert!(zero::<edid_info>());
    assert!(zero::<sys_desc_table>());
    assert!(zero::<olpc_ofw_header>());
    assert!(zero::<efi_info>());
    assert!(zero::<edd_device_params>());
    assert!(zero::<edd_info>());
    assert!(zero::<hvm_start_info>());
    assert!(zero::<hvm_modlist_entry>());
    assert!(zero::<hvm_memmap_table_entry>());
    assert_eq!(boot_params::default().as_bytes().len(), 4096);
}

#[test]
fn every_wire_struct_is_byte_valued() {
    /// Builds a `T` from a byte pattern both ways (zerocopy, and ByteValued's mutable byte view)
    /// and checks they agree with each other and with ByteValued's byte view.
    fn check<T>()
    where
        T: ByteValued + zerocopy::FromBytes + IntoBytes + zerocopy::Immutable,
        T: PartialEq + std::fmt::Debug + Default,
    {
        let pattern: Vec<u8> = (0..size_of::<T>()).map(|i| (i % 251) as u8 + 1).collect();
        let via_zerocopy = T::read_from_bytes(&pattern).unwrap();
        let mut via_byte_valued = T::default();
        via_byte_valued.as_mut_slice().copy_from_slice(&pattern);
        assert_eq!(via_byte_valued, via_zerocopy);
        assert_eq!(ByteValued::as_slice(&via_zerocopy), &pattern[..]);
        assert_eq!(via_zerocopy.as_bytes(), &pattern[..]);
    }
    check::<boot_params>();
    check::<setup_header>();
    check::<boot_e820_entry>();
    check::<setup_data>();
    check::<setup_indirect>();
    check::<ima_setup_data>();
    check::<screen_info>();
    check::<apm_bios_info>();
    check::<ist_info>();
    check::<edid_info>();
    check::<sys_desc_table>();
    check::<olpc_ofw_header>();
    check::<efi_info>();
    check::<edd_device_params>();
    check::<edd_info>();
    check::<hvm_start_info>();
    check::<hvm_modlist_entry>();
    check::<hvm_memmap_table_entry>();
}

/// The shape of the code VMMs (Firecracker, Cloud Hypervisor) write against
/// `linux_loader::loader::bootparam`: it must compile unchanged.
#[test]
#[allow(
    clippy::field_reassign_with_default,
    clippy::clone_on_copy,
    reason = "written the way VMM code is, to prove that it compiles"
)]
fn upstream_style_vmm_code_compiles() {
    const KERNEL_BOOT_FLAG_MAGIC: u16 = 0xaa55;
    const KERNEL_HDR_MAGIC: u32 = 0x5372_6448;
    const KERNEL_LOADER_OTHER: u8 = 0xff;
    const KERNEL_MIN_ALIGNMENT_BYTES: u32 = 0x0100_0000;

    fn add_e820_entry(params: &mut boot_params, addr: u64, size: u64, mem_type: u32) -> bool {
        if params.e820_entries as usize >= params.e820_table.len() {
            return false;
        }
        params.e820_table[params.e820_entries as usize].addr = addr;
        params.e820_table[params.e820_entries as usize].size = size;
        params.e820_table[params.e820_entries as usize].type_ = mem_type;
        params.e820_entries += 1;
        true
    }

    let mut params: boot_params = Default::default();
    params.hdr.type_of_loader = KERNEL_LOADER_OTHER;
    params.hdr.boot_flag = KERNEL_BOOT_FLAG_MAGIC;
    params.hdr.header = KERNEL_HDR_MAGIC;
    params.hdr.cmd_line_ptr = 0x2_0000u64 as u32;
    params.hdr.cmdline_size = 12;
    params.hdr.kernel_alignment = KERNEL_MIN_ALIGNMENT_BYTES;
    // linux-loader 0.13's constants were u32, so VMM code written for it casts; the cast must
    // still compile now that the constants have the field's type (as in 0.14).
    #[allow(clippy::unnecessary_cast)]
    {
        params.hdr.loadflags |= KEEP_SEGMENTS as u8;
    }
    params.hdr.hardware_subarch = x86_hardware_subarch_X86_SUBARCH_PC;
    params.hdr.ramdisk_image = 0x80_0000;
    params.hdr.ramdisk_size = 0x1000;
    assert!(add_e820_entry(&mut params, 0, 0x9_fc00, E820_RAM));
    assert!(add_e820_entry(&mut params, 0x9_fc00, 0x400, E820_RESERVED));
    let copy = params;
    let clone = copy.clone();
    assert_eq!(clone, params);
    assert_eq!({ clone.e820_entries }, 2);
    assert_eq!({ params.e820_table[1].type_ }, E820_RESERVED);
    // Debug works on the packed layouts.
    assert!(format!("{:?}", params.hdr).contains("type_of_loader: 255"));

    let mut start_info = hvm_start_info::default();
    start_info.magic = XEN_HVM_START_MAGIC_VALUE;
    start_info.version = 1;
    let entry = hvm_memmap_table_entry {
        addr: 0,
        size: 0x1000,
        type_: E820_RAM,
        reserved: 0,
    };
    assert_eq!(start_info.magic, 0x336e_c578);
    assert_eq!(entry.type_, XEN_HVM_MEMMAP_TYPE_RAM);
}
