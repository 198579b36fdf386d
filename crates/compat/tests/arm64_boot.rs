// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! An arm64 boot as aarch64 VMMs write it against upstream: `PE::load` an `Image` at a 2 MiB
//! aligned base, then put the DTB in guest memory with `load_dtb` or `FdtBootConfigurator`.
//! Upstream compiles `loader::pe` only on aarch64/riscv64 hosts; ours builds everywhere, so this
//! runs on the x86 CI host too.

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
use std::io::Cursor;

use linux_loader::configurator::fdt::FdtBootConfigurator;
use linux_loader::configurator::{BootConfigurator, BootParams};
use linux_loader::loader::pe::{PE, arm64_image_header, load_dtb};
use linux_loader::loader::{Error as LoaderError, KernelLoader};
use vm_memory::{Address, ByteValued, Bytes, GuestAddress, GuestMemoryMmap};

const DRAM_START: u64 = 0x4000_0000;
const MEM_SIZE: u64 = 64 << 20;
const FDT_MAX_SIZE: usize = 0x20_0000;

fn fixture(name: &str) -> String {
    format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn guest_memory() -> GuestMemoryMmap {
    GuestMemoryMmap::from_ranges(&[(GuestAddress(DRAM_START), MEM_SIZE as usize)]).unwrap()
}

/// Where aarch64 VMMs put the DTB: the top of RAM, minus its maximum size.
fn fdt_addr() -> GuestAddress {
    GuestAddress(DRAM_START + MEM_SIZE - FDT_MAX_SIZE as u64)
}

#[test]
fn arm64_image_and_dtb_with_load_dtb() {
    let mem = guest_memory();
    let mut kernel = File::open(fixture("pe/arm64.Image")).unwrap();
    let result = PE::load(&mem, Some(GuestAddress(DRAM_START)), &mut kernel, None).unwrap();
    // The kernel is entered at its load address with x0 = DTB address.
    assert_eq!(result.kernel_load.raw_value() % 0x20_0000, 0);
    assert!(result.kernel_end > result.kernel_load.raw_value());

    // The loaded bytes start with the Image header VMMs may read back.
    let header: arm64_image_header = mem.read_obj(result.kernel_load).unwrap();
    assert_eq!(u32::from_le(header.magic), 0x644d_5241); // "ARM\x64"

    let mut dtb = File::open(fixture("dtb/minimal.dtb")).unwrap();
    load_dtb(&mem, fdt_addr(), &mut dtb).unwrap();
    let magic: u32 = mem.read_obj(fdt_addr()).unwrap();
    assert_eq!(u32::from_be(magic), 0xd00d_feed);
}

/// A DTB as a `ByteValued` blob, as VMMs pass it to `BootParams::new`.
#[derive(Clone, Copy)]
#[repr(C)]
struct Fdt([u8; 0x200]);
// SAFETY: a byte array: no padding, every bit pattern valid (how VMMs wrap DTB bytes).
#[allow(unsafe_code)]
unsafe impl ByteValued for Fdt {}

#[test]
fn arm64_dtb_with_fdt_boot_configurator() {
    let mem = guest_memory();
    let bytes = std::fs::read(fixture("dtb/minimal.dtb")).unwrap();
    let mut blob = Fdt([0; 0x200]);
    blob.0[..bytes.len()].copy_from_slice(&bytes);
    let params = BootParams::new::<Fdt>(&blob, fdt_addr());
    FdtBootConfigurator::write_bootparams::<GuestMemoryMmap>(&params, &mem).unwrap();
    let mut back = vec![0u8; bytes.len()];
    mem.read_slice(&mut back, fdt_addr()).unwrap();
    assert_eq!(back, bytes);
}

#[test]
fn riscv64_image_loads_through_the_same_api() {
    let mem = guest_memory();
    let mut kernel = File::open(fixture("pe/riscv64.Image")).unwrap();
    let result = PE::load(&mem, Some(GuestAddress(DRAM_START)), &mut kernel, None).unwrap();
    assert!(result.kernel_end > result.kernel_load.raw_value());
}

#[test]
fn pe_errors_match_upstream_variants() {
    use linux_loader::loader::pe::Error as PeError;
    let mem = guest_memory();
    let mut kernel = File::open(fixture("pe/arm64-bad-magic.Image")).unwrap();
    assert!(matches!(
        PE::load(&mem, Some(GuestAddress(DRAM_START)), &mut kernel, None),
        Err(LoaderError::Pe(PeError::InvalidImageMagicNumber))
    ));
    // A DTB address that is not 8-byte aligned or a DTB over 2 MiB is refused.
    let mut huge = Cursor::new(vec![0u8; FDT_MAX_SIZE + 1]);
    assert!(matches!(
        load_dtb(&mem, fdt_addr(), &mut huge),
        Err(LoaderError::Pe(PeError::DtbTooBig))
    ));
}

#[test]
fn debian_arm64_image() {
    let Some(path) = test_kernels::require(test_kernels::Kernel::DebianArm64Image) else {
        return;
    };
    let mem: GuestMemoryMmap =
        GuestMemoryMmap::from_ranges(&[(GuestAddress(DRAM_START), 128 << 20)]).unwrap();
    let mut kernel = File::open(path).unwrap();
    let result = PE::load(&mem, Some(GuestAddress(DRAM_START)), &mut kernel, None).unwrap();
    // booting.rst: image_size covers BSS, so kernel_end lies past the file's end.
    let file_len =
        std::fs::metadata(test_kernels::find(test_kernels::Kernel::DebianArm64Image).unwrap())
            .unwrap()
            .len();
    assert!(result.kernel_end > result.kernel_load.raw_value() + file_len);
}
