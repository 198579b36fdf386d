// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Names upstream linux-loader's public paths for the loaders and boot structures; if one goes
//! missing this file stops compiling. (The full per-version path list is the compat crate's job.)

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(all(feature = "elf", feature = "bzimage", feature = "pe"))]

use std::fs::File;
use std::io::Cursor;

use linux_loader::configurator::{BootConfigurator, BootParams};
use linux_loader::loader::{KernelLoader, KernelLoaderResult};
use vm_memory::{GuestAddress, GuestMemoryMmap};

#[allow(dead_code)]
fn upstream_paths_exist() {
    let _: Option<linux_loader::loader::elf::Elf> = None;
    let _: Option<linux_loader::loader::Elf> = None;
    let _ = linux_loader::loader::elf::PvhBootCapability::PvhEntryNotPresent;
    let _: linux_loader::loader::elf::start_info::hvm_start_info = Default::default();
    let _: linux_loader::start_info::hvm_memmap_table_entry = Default::default();
    let _: linux_loader::loader::bootparam::boot_params = Default::default();
    let _: linux_loader::bootparam::setup_header = Default::default();
    let _: linux_loader::bootparam::boot_e820_entry = Default::default();
    let _: Option<linux_loader::loader::bzimage::BzImage> = None;
    let _: Option<linux_loader::loader::pe::PE> = None;
    let _: linux_loader::loader::pe::arm64_image_header = Default::default();
    let _: linux_loader::loader::pe::riscv64_image_header = Default::default();
    let _: linux_loader::elf::Elf64_Ehdr = Default::default();
    let _: linux_loader::elf::elf64_hdr = Default::default();
    let _: linux_loader::elf::Elf64_Phdr = Default::default();
    let _: linux_loader::elf::elf64_phdr = Default::default();
    let _: Option<linux_loader::configurator::linux::LinuxBootConfigurator> = None;
    let _: Option<linux_loader::configurator::pvh::PvhBootConfigurator> = None;
    let _: Option<linux_loader::configurator::fdt::FdtBootConfigurator> = None;
    let _ = linux_loader::configurator::linux::Error::ZeroPagePastRamEnd;
    let _ = linux_loader::configurator::pvh::Error::MemmapTableMissing;
    let _ = linux_loader::configurator::fdt::Error::WriteFDTToMemory;
    let _ = linux_loader::loader::elf::Error::InvalidElfMagicNumber;
    let _ = linux_loader::loader::bzimage::Error::InvalidBzImage;
    let _ = linux_loader::loader::pe::Error::InvalidImageMagicNumber;
    let _ = |mem: &GuestMemoryMmap, f: &mut File| {
        linux_loader::loader::pe::load_dtb(mem, GuestAddress(0), f)
    };
}

fn fixture(path: &str) -> Cursor<Vec<u8>> {
    let p = format!("{}/../../fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    Cursor::new(std::fs::read(p).unwrap())
}

fn mem() -> GuestMemoryMmap {
    GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x400_0000)]).unwrap()
}

#[test]
fn elf_reports_upstream_fields() {
    let m = mem();
    let r: KernelLoaderResult =
        linux_loader::loader::Elf::load(&m, None, &mut fixture("elf/x86_64-pvh.elf"), None)
            .unwrap();
    assert_eq!(r.kernel_load, GuestAddress(0x200010));
    assert_eq!(
        r.pvh_boot_cap,
        linux_loader::loader::PvhBootCapability::PvhEntryPresent(GuestAddress(0x200080))
    );
    assert_eq!(r.setup_header, None);
    assert_eq!(r.kernel_end, 0x202000);
}

#[test]
fn bzimage_reports_setup_header_and_maps_highmem_error() {
    let m = mem();
    let r = linux_loader::loader::bzimage::BzImage::load(
        &m,
        None,
        &mut fixture("bzimage/minimal-64.bzImage"),
        None,
    )
    .unwrap();
    let hdr = r
        .setup_header
        .expect("bzImage results carry the setup header");
    assert_eq!({ hdr.code32_start }, 0x100000);
    assert_eq!(r.kernel_load, GuestAddress(0x100000));
    assert_eq!(r.entry.linux_64, Some(GuestAddress(0x100200)));
    // Upstream reports a load address below highmem as InvalidKernelStartAddress.
    assert_eq!(
        linux_loader::loader::bzimage::BzImage::load(
            &m,
            None,
            &mut fixture("bzimage/minimal-64.bzImage"),
            Some(GuestAddress(0x200000)),
        ),
        Err(linux_loader::loader::Error::InvalidKernelStartAddress)
    );
}

#[test]
fn elf_errors_wrap_like_upstream() {
    let m = mem();
    assert_eq!(
        linux_loader::loader::Elf::load(&m, None, &mut fixture("elf/bad-magic.elf"), None),
        Err(linux_loader::loader::Error::Elf(
            linux_loader::loader::elf::Error::InvalidElfMagicNumber
        ))
    );
}

#[test]
fn pe_loads_arm64_image_on_any_host() {
    let m = mem();
    let r = linux_loader::loader::pe::PE::load(
        &m,
        Some(GuestAddress(0x20_0000)),
        &mut fixture("pe/arm64.Image"),
        None,
    )
    .unwrap();
    // kernel_end covers image_size (0x2000), not just the 0xa00-byte file.
    assert_eq!(r.kernel_end, 0x20_2000);
}

#[test]
fn configurators_at_upstream_paths_write() {
    let m = mem();
    let params = linux_loader::bootparam::boot_params::default();
    let bp = BootParams::new(&params, GuestAddress(0x7000));
    linux_loader::configurator::linux::LinuxBootConfigurator::write_bootparams(&bp, &m).unwrap();
}
