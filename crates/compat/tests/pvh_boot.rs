// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! A PVH boot as x86 VMMs write it against upstream: load a vmlinux with `Elf`, take the PVH
//! entry from `pvh_boot_cap`, fill `hvm_start_info` with a memory map and an initrd module, and
//! write all three with `PvhBootConfigurator`.

// Test code: unwrap/expect and literal arithmetic are how VMM code reads.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

use std::fs::File;

use linux_loader::cmdline::Cmdline;
use linux_loader::configurator::pvh::PvhBootConfigurator;
use linux_loader::configurator::{BootConfigurator, BootParams, Error as BootConfiguratorError};
use linux_loader::loader::elf::start_info::{
    hvm_memmap_table_entry, hvm_modlist_entry, hvm_start_info,
};
use linux_loader::loader::elf::{Elf, PvhBootCapability};
use linux_loader::loader::{KernelLoader, load_cmdline};
use vm_memory::{Address, Bytes, GuestAddress, GuestMemoryMmap};

const MEM_SIZE: u64 = 128 << 20;
const XEN_HVM_START_MAGIC_VALUE: u32 = 0x336e_c578;
const E820_RAM: u32 = 1;
const E820_RESERVED: u32 = 2;
const PVH_INFO_START: GuestAddress = GuestAddress(0x6000);
const MODLIST_START: GuestAddress = GuestAddress(0x6040);
const MEMMAP_START: GuestAddress = GuestAddress(0x7000);
const CMDLINE_START: GuestAddress = GuestAddress(0x2_0000);
const INITRD_START: u64 = 0x400_0000;
const INITRD_SIZE: u64 = 0x1000;

fn fixture(name: &str) -> String {
    format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn guest_memory() -> GuestMemoryMmap {
    GuestMemoryMmap::from_ranges(&[(GuestAddress(0), MEM_SIZE as usize)]).unwrap()
}

fn memmap() -> Vec<hvm_memmap_table_entry> {
    let mut memmap = Vec::new();
    let mut add = |addr: u64, size: u64, type_: u32| {
        memmap.push(hvm_memmap_table_entry {
            addr,
            size,
            type_,
            ..Default::default()
        });
    };
    add(0, 0x9_fc00, E820_RAM);
    add(0x9_fc00, 0x400, E820_RESERVED);
    add(0x10_0000, MEM_SIZE - 0x10_0000, E820_RAM);
    memmap
}

/// Writes the PVH boot structures the way Firecracker and Cloud Hypervisor do.
fn configure_pvh(mem: &GuestMemoryMmap, with_initrd: bool) -> Result<(), BootConfiguratorError> {
    let mut start_info = hvm_start_info {
        magic: XEN_HVM_START_MAGIC_VALUE,
        version: 1,
        cmdline_paddr: CMDLINE_START.raw_value(),
        memmap_paddr: MEMMAP_START.raw_value(),
        ..Default::default()
    };
    let memmap = memmap();
    start_info.memmap_entries = memmap.len() as u32;

    let mut modules = Vec::new();
    if with_initrd {
        modules.push(hvm_modlist_entry {
            paddr: INITRD_START,
            size: INITRD_SIZE,
            ..Default::default()
        });
        start_info.nr_modules = modules.len() as u32;
        start_info.modlist_paddr = MODLIST_START.raw_value();
    }

    let mut boot_params = BootParams::new::<hvm_start_info>(&start_info, PVH_INFO_START);
    boot_params.set_sections::<hvm_memmap_table_entry>(&memmap, MEMMAP_START);
    if with_initrd {
        boot_params.set_modules::<hvm_modlist_entry>(&modules, MODLIST_START);
    }
    PvhBootConfigurator::write_bootparams::<GuestMemoryMmap>(&boot_params, mem)
}

#[test]
fn pvh_boot_with_memmap_and_initrd_module() {
    let mem = guest_memory();
    let mut kernel = File::open(fixture("elf/x86_64-pvh.elf")).unwrap();
    let result = Elf::load(&mem, None, &mut kernel, Some(GuestAddress(0x10_0000))).unwrap();

    // The VMM picks the PVH entry when the kernel advertises one.
    let entry = match result.pvh_boot_cap {
        PvhBootCapability::PvhEntryPresent(addr) => addr,
        other => panic!("fixture has a PVH note, got {other:?}"),
    };
    assert_eq!(entry, GuestAddress(0x20_0080));

    let mut cmdline = Cmdline::new(512).unwrap();
    cmdline.insert_str("console=ttyS0").unwrap();
    load_cmdline(&mem, CMDLINE_START, &cmdline).unwrap();

    configure_pvh(&mem, true).unwrap();

    let info: hvm_start_info = mem.read_obj(PVH_INFO_START).unwrap();
    assert_eq!(info.magic, XEN_HVM_START_MAGIC_VALUE);
    assert_eq!(info.memmap_entries, 3);
    assert_eq!(info.nr_modules, 1);
    let third: hvm_memmap_table_entry = mem.read_obj(MEMMAP_START.unchecked_add(2 * 24)).unwrap();
    assert_eq!(third.addr, 0x10_0000);
    assert_eq!(third.type_, E820_RAM);
    let module: hvm_modlist_entry = mem.read_obj(MODLIST_START).unwrap();
    assert_eq!((module.paddr, module.size), (INITRD_START, INITRD_SIZE));
}

#[test]
fn pvh_boot_without_modules() {
    let mem = guest_memory();
    configure_pvh(&mem, false).unwrap();
    let info: hvm_start_info = mem.read_obj(PVH_INFO_START).unwrap();
    assert_eq!((info.nr_modules, info.modlist_paddr), (0, 0));
}

#[test]
fn pvh_entry_is_ignored_with_a_kernel_offset_and_absent_without_a_note() {
    let mem = guest_memory();
    let mut kernel = File::open(fixture("elf/x86_64-pvh.elf")).unwrap();
    let r = Elf::load(&mem, Some(GuestAddress(0x100_0000)), &mut kernel, None).unwrap();
    assert_eq!(r.pvh_boot_cap, PvhBootCapability::PvhEntryIgnored);

    let mut kernel = File::open(fixture("elf/x86_64-linux.elf")).unwrap();
    let r = Elf::load(&mem, None, &mut kernel, None).unwrap();
    assert_eq!(r.pvh_boot_cap, PvhBootCapability::PvhEntryNotPresent);
}

#[test]
fn pvh_errors_match_upstream_variants() {
    use linux_loader::configurator::pvh::Error as PvhError;
    let mem = guest_memory();
    let start_info = hvm_start_info {
        magic: XEN_HVM_START_MAGIC_VALUE,
        version: 1,
        ..Default::default()
    };
    // No memory map at all: upstream's MemmapTableMissing.
    let params = BootParams::new(&start_info, PVH_INFO_START);
    assert!(matches!(
        PvhBootConfigurator::write_bootparams(&params, &mem),
        Err(BootConfiguratorError::Pvh(PvhError::MemmapTableMissing))
    ));
    // start_info past the end of RAM: upstream's StartInfoPastRamEnd.
    let mut params = BootParams::new(&start_info, GuestAddress(MEM_SIZE - 8));
    params.set_sections(&memmap(), MEMMAP_START);
    assert!(matches!(
        PvhBootConfigurator::write_bootparams(&params, &mem),
        Err(BootConfiguratorError::Pvh(PvhError::StartInfoPastRamEnd))
    ));
}

#[test]
fn debian_vmlinux_boots_through_pvh() {
    let Some(path) = test_kernels::require(test_kernels::Kernel::DebianAmd64Vmlinux) else {
        return;
    };
    let mem = guest_memory();
    let mut kernel = File::open(path).unwrap();
    let result =
        Elf::load::<File, GuestMemoryMmap>(&mem, None, &mut kernel, Some(GuestAddress(0x10_0000)))
            .unwrap();
    // Debian's cloud kernel has CONFIG_PVH=y.
    assert!(matches!(
        result.pvh_boot_cap,
        PvhBootCapability::PvhEntryPresent(_)
    ));
    assert!(result.kernel_end > result.kernel_load.raw_value());
    configure_pvh(&mem, true).unwrap();
}
