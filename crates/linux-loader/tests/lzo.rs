// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `probe` and `load_any` on lzop-compressed kernels (`vmlinux.lzo`, `Image.lzo`), made from the
//! committed fixtures by `lzop -9` as the kernel's build runs it. They load to the same guest
//! bytes as the uncompressed fixtures.
//!
//! A missing `lzop` (Debian package `lzop`) is a loud skip locally and a failure under `CI=true`.

#![cfg(feature = "probe")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Cursor;

use kernel_decompress::Compression;
use linux_loader::probe::{Arch, Format, LoadOptions, load_any, probe};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// `lzop -9 < fixture`, or `None` when `lzop` is missing (a failure under CI).
fn lzop_9(path: &str) -> Option<Vec<u8>> {
    test_kernels::cli("lzop", &["-9"], &fixture(path))
}

fn mem() -> GuestMemoryMmap {
    GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x400_0000)]).unwrap()
}

fn read(m: &GuestMemoryMmap, at: u64, len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    m.read_slice(&mut buf, GuestAddress(at)).unwrap();
    buf
}

#[test]
fn probes_and_loads_an_lzop_vmlinux() {
    let Some(lzo) = lzop_9("elf/x86_64-pvh.elf") else {
        return;
    };
    let info = probe(&mut Cursor::new(lzo.clone())).unwrap();
    assert_eq!(info.format, Format::Compressed);
    assert_eq!(info.inner, Some(Format::ElfVmlinux));
    assert_eq!(info.compression, Some(Compression::Lzo));
    assert_eq!(info.arch, Some(Arch::X86_64));
    assert_eq!(info.pvh_entry, Some(GuestAddress(0x200080)));

    let (packed, plain) = (mem(), mem());
    let loaded = load_any(&packed, &mut Cursor::new(lzo), &LoadOptions::default()).unwrap();
    let reference = load_any(
        &plain,
        &mut Cursor::new(fixture("elf/x86_64-pvh.elf")),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(loaded.loaded_as, Format::ElfVmlinux);
    assert_eq!(loaded.result, reference.result);
    assert_eq!(read(&packed, 0, 0x40_0000), read(&plain, 0, 0x40_0000));
}

#[test]
fn probes_and_loads_an_lzop_arm64_image() {
    let Some(lzo) = lzop_9("pe/arm64.Image") else {
        return;
    };
    let info = probe(&mut Cursor::new(lzo.clone())).unwrap();
    assert_eq!(info.format, Format::Compressed);
    assert_eq!(info.inner, Some(Format::Arm64Image));
    assert_eq!(info.compression, Some(Compression::Lzo));

    let opts = LoadOptions::default().with_kernel_offset(Some(GuestAddress(0x20_0000)));
    let (packed, plain) = (mem(), mem());
    let loaded = load_any(&packed, &mut Cursor::new(lzo), &opts).unwrap();
    load_any(&plain, &mut Cursor::new(fixture("pe/arm64.Image")), &opts).unwrap();
    assert_eq!(loaded.result.kernel_end, 0x20_2000);
    assert_eq!(
        read(&packed, 0x20_0000, 0x2000),
        read(&plain, 0x20_0000, 0x2000)
    );
}
