// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! A 64-bit bzImage boot as x86 VMMs write it against upstream: `BzImage::load`, copy the
//! image's `setup_header` into `boot_params`, fill the loader fields and the e820 map, write the
//! zero page with `LinuxBootConfigurator`, enter at `kernel_load + 0x200`.

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

use linux_loader::bootparam::{boot_e820_entry, boot_params};
use linux_loader::cmdline::Cmdline;
use linux_loader::configurator::linux::LinuxBootConfigurator;
use linux_loader::configurator::{BootConfigurator, BootParams};
use linux_loader::loader::bzimage::BzImage;
use linux_loader::loader::{KernelLoader, KernelLoaderResult, load_cmdline};
use vm_memory::{Address, Bytes, GuestAddress, GuestMemoryMmap};

const MEM_SIZE: u64 = 256 << 20;
const HIMEM_START: GuestAddress = GuestAddress(0x10_0000);
const ZERO_PAGE_START: GuestAddress = GuestAddress(0x7000);
const CMDLINE_START: GuestAddress = GuestAddress(0x2_0000);
const KERNEL_LOADER_OTHER: u8 = 0xff;
const E820_RAM: u32 = 1;

fn fixture(name: &str) -> String {
    format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn add_e820_entry(params: &mut boot_params, addr: u64, size: u64, mem_type: u32) {
    params.e820_table[params.e820_entries as usize] = boot_e820_entry {
        addr,
        size,
        type_: mem_type,
    };
    params.e820_entries += 1;
}

/// Loads `kernel` and writes cmdline + zero page; returns the load result and the 64-bit entry.
fn boot_bzimage(mem: &GuestMemoryMmap, kernel: &mut File) -> (KernelLoaderResult, GuestAddress) {
    let result = BzImage::load(mem, None, kernel, Some(HIMEM_START)).unwrap();

    let mut cmdline = Cmdline::new(2048).unwrap();
    cmdline
        .insert_str("console=ttyS0 reboot=k panic=1")
        .unwrap();
    load_cmdline(mem, CMDLINE_START, &cmdline).unwrap();

    let mut params = boot_params::default();
    if let Some(hdr) = result.setup_header {
        params.hdr = hdr;
    }
    params.hdr.type_of_loader = KERNEL_LOADER_OTHER;
    params.hdr.cmd_line_ptr = CMDLINE_START.raw_value() as u32;
    params.hdr.cmdline_size = cmdline.as_cstring().unwrap().as_bytes().len() as u32;
    add_e820_entry(&mut params, 0, 0x9_fc00, E820_RAM);
    add_e820_entry(
        &mut params,
        HIMEM_START.raw_value(),
        MEM_SIZE - HIMEM_START.raw_value(),
        E820_RAM,
    );
    LinuxBootConfigurator::write_bootparams::<GuestMemoryMmap>(
        &BootParams::new::<boot_params>(&params, ZERO_PAGE_START),
        mem,
    )
    .unwrap();

    // The 64-bit entry point sits 0x200 past the protected-mode kernel.
    let entry = result.kernel_load.checked_add(0x200).unwrap();
    (result, entry)
}

fn guest_memory() -> GuestMemoryMmap {
    GuestMemoryMmap::from_ranges(&[(GuestAddress(0), MEM_SIZE as usize)]).unwrap()
}

#[test]
fn synthetic_bzimage_64_bit_boot() {
    let mem = guest_memory();
    let mut kernel = File::open(fixture("bzimage/minimal-64.bzImage")).unwrap();
    let (result, entry) = boot_bzimage(&mem, &mut kernel);

    // fixtures/README.md: code32_start 0x100000, setup_sects 4, version 0x020f.
    assert_eq!(result.kernel_load, GuestAddress(0x10_0000));
    assert_eq!(entry, GuestAddress(0x10_0200));
    let hdr = result.setup_header.unwrap();
    assert_eq!({ hdr.version }, 0x020f);
    assert_eq!({ hdr.setup_sects }, 4);

    let zero_page: boot_params = mem.read_obj(ZERO_PAGE_START).unwrap();
    assert_eq!({ zero_page.hdr.boot_flag }, 0xaa55);
    assert_eq!({ zero_page.hdr.type_of_loader }, KERNEL_LOADER_OTHER);
    assert_eq!({ zero_page.hdr.code32_start }, 0x10_0000);
    assert_eq!({ zero_page.e820_entries }, 2);
    let mut cmdline = [0u8; 31];
    mem.read_slice(&mut cmdline, CMDLINE_START).unwrap();
    assert_eq!(&cmdline, b"console=ttyS0 reboot=k panic=1\0");
}

#[test]
fn debian_bzimage_64_bit_boot() {
    let Some(path) = test_kernels::require(test_kernels::Kernel::DebianAmd64Bzimage) else {
        return;
    };
    let mem = guest_memory();
    let mut kernel = File::open(path).unwrap();
    let (result, entry) = boot_bzimage(&mem, &mut kernel);
    let hdr = result.setup_header.unwrap();
    // Debian 6.1: boot protocol 2.15, a 64-bit entry, loaded at 1 MiB.
    assert_eq!({ hdr.version }, 0x020f);
    assert_eq!(result.kernel_load, HIMEM_START);
    assert_eq!(entry, GuestAddress(0x10_0200));
    assert!(result.kernel_end > HIMEM_START.raw_value());
    let zero_page: boot_params = mem.read_obj(ZERO_PAGE_START).unwrap();
    assert_eq!({ zero_page.hdr.header }, 0x5372_6448);
}
