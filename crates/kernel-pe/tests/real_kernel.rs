// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Tier-2 tests on Debian's 6.1 cloud arm64 kernel (`cargo xtask fixtures fetch`) and the riscv64
//! `Image` built from Debian's linux-source (`cargo xtask fixtures build`), from the kernel cache.
//! Missing kernels are skipped loudly locally and fail under `CI=true`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

use std::fs::File;

use kernel_pe::{Arch, Compression, Error, PE, parse_image_header};
use loader_core::{GuestRange, KernelLoader};
use test_kernels::{Kernel, require};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

const RAM_START: u64 = 0x4000_0000;
const RAM_LEN: u64 = 0x400_0000; // 64 MiB
const BASE: u64 = 0x4020_0000; // where QEMU's virt machine boots it in the boot lab

fn le64(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().unwrap())
}

#[test]
fn debian_arm64_image_loads_byte_exact_with_bss() {
    let Some(path) = require(Kernel::DebianArm64Image) else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    // Facts from the file's own header.
    let text_offset = le64(&bytes, 0x08);
    let image_size = le64(&bytes, 0x10);
    let flags = le64(&bytes, 0x18);
    assert_eq!(&bytes[0x38..0x3c], b"ARM\x64");
    assert!(
        image_size > bytes.len() as u64,
        "Debian's Image has BSS past the file"
    );

    let info = parse_image_header(&bytes[..4096]).unwrap();
    assert_eq!(info.arch, Arch::Arm64);
    assert_eq!(
        (info.text_offset, info.image_size, info.flags),
        (text_offset, image_size, flags)
    );
    assert_eq!(&bytes[..2], b"MZ");
    let stub = info.efi_stub.expect("Debian's arm64 Image is an EFI stub");
    assert_eq!(stub.machine, 0xaa64);
    assert_eq!(
        u64::from(stub.pe_offset),
        u64::from(u32::from_le_bytes(bytes[0x3c..0x40].try_into().unwrap()))
    );
    assert!(stub.entry_point < stub.size_of_image);

    let mem =
        GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(RAM_START), RAM_LEN as usize)]).unwrap();
    // Poison what the BSS will cover, to see it zeroed.
    let load = BASE + text_offset;
    let bss_start = load + bytes.len() as u64;
    let bss_len = (load + image_size - bss_start) as usize;
    mem.write_slice(&vec![0xa5; bss_len], GuestAddress(bss_start))
        .unwrap();

    let mut file = File::open(&path).unwrap();
    let r = PE::load(&mem, Some(GuestAddress(BASE)), &mut file, None).unwrap();
    assert_eq!(r.kernel_load, GuestAddress(load));
    assert_eq!(
        r.kernel_end,
        load + image_size,
        "kernel_end covers image_size, BSS included"
    );
    assert_eq!(r.entry.image, Some(GuestAddress(load)));
    assert_eq!(
        r.needs_free,
        GuestRange::new(GuestAddress(load), image_size)
    );

    let mut back = vec![0u8; bytes.len()];
    mem.read_slice(&mut back, GuestAddress(load)).unwrap();
    assert!(back == bytes, "guest memory differs from the file");
    let mut bss = vec![0xffu8; bss_len];
    mem.read_slice(&mut bss, GuestAddress(bss_start)).unwrap();
    assert!(bss.iter().all(|&b| b == 0), "BSS not zeroed");
}

#[test]
fn debian_arm64_image_gz_is_reported_as_gzip() {
    let Some(path) = require(Kernel::DebianArm64ImageGz) else {
        return;
    };
    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(RAM_START), 0x10_0000)]).unwrap();
    let e = PE::load(
        &mem,
        Some(GuestAddress(RAM_START)),
        &mut File::open(&path).unwrap(),
        None,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            Error::CompressedImage {
                format: Compression::Gzip
            }
        ),
        "{e:?}"
    );
    let mut first = vec![0u8; 0x1000];
    mem.read_slice(&mut first, GuestAddress(RAM_START)).unwrap();
    assert!(
        first.iter().all(|&b| b == 0),
        "guest memory written on error"
    );
}

#[test]
fn built_riscv64_image_loads_byte_exact_with_bss() {
    let Some(path) = require(Kernel::BuiltRiscv64Image) else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    // Facts from the file's own header (Documentation/riscv/boot-image-header.rst).
    assert_eq!(&bytes[0x38..0x3c], b"RSC\x05");
    let text_offset = le64(&bytes, 0x08);
    let image_size = le64(&bytes, 0x10);
    assert!(image_size >= bytes.len() as u64);
    let info = parse_image_header(&bytes[..4096]).unwrap();
    assert_eq!(info.arch, Arch::Riscv64);
    assert_eq!(
        (info.text_offset, info.image_size),
        (text_offset, image_size)
    );

    // As on QEMU's virt machine: RAM at 0x8000_0000, the kernel 2 MiB in (OpenSBI before it).
    let ram = 0x8000_0000u64;
    let base = ram + 0x20_0000;
    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(ram), RAM_LEN as usize)]).unwrap();
    let load = base + text_offset;
    let bss_start = load + bytes.len() as u64;
    let bss_len = (load + image_size - bss_start) as usize;
    mem.write_slice(&vec![0xa5; bss_len], GuestAddress(bss_start))
        .unwrap();

    let r = PE::load(
        &mem,
        Some(GuestAddress(base)),
        &mut File::open(&path).unwrap(),
        None,
    )
    .unwrap();
    assert_eq!(r.kernel_load, GuestAddress(load));
    assert_eq!(r.kernel_end, load + image_size);
    assert_eq!(r.entry.image, Some(GuestAddress(load)));
    let mut back = vec![0u8; bytes.len()];
    mem.read_slice(&mut back, GuestAddress(load)).unwrap();
    assert!(back == bytes, "guest memory differs from the file");
    let mut bss = vec![0xffu8; bss_len];
    mem.read_slice(&mut bss, GuestAddress(bss_start)).unwrap();
    assert!(bss.iter().all(|&b| b == 0), "BSS not zeroed");
}
