// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `probe` and `load_any` on every committed fixture format: what probe says must match the
//! fixture's documented facts (fixtures/README.md), and load_any must load it as that format.

#![cfg(feature = "probe")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Cursor;

use kernel_decompress::Compression;
use linux_loader::probe::{Arch, Error, Format, LoadOptions, load_any, probe};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn mem() -> GuestMemoryMmap {
    let m = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x400_0000)]).unwrap();
    m.write_slice(&vec![0xa5; 0x400_0000], GuestAddress(0))
        .unwrap();
    m
}

#[test]
fn probes_an_elf_vmlinux_with_pvh() {
    let info = probe(&mut Cursor::new(fixture("elf/x86_64-pvh.elf"))).unwrap();
    assert_eq!(info.format, Format::ElfVmlinux);
    assert_eq!(info.arch, Some(Arch::X86_64));
    assert_eq!(info.compression, None);
    assert_eq!(info.pvh_entry, Some(GuestAddress(0x200080)));
    let loaded = load_any(
        &mem(),
        &mut Cursor::new(fixture("elf/x86_64-pvh.elf")),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(loaded.loaded_as, Format::ElfVmlinux);
    assert_eq!(loaded.result.entry.pvh, Some(GuestAddress(0x200080)));
}

#[test]
fn probes_a_bzimage_and_its_payload() {
    let bytes = fixture("bzimage/minimal-64.bzImage");
    let info = probe(&mut Cursor::new(bytes.clone())).unwrap();
    assert_eq!(info.format, Format::BzImage);
    assert_eq!(info.arch, Some(Arch::X86_64));
    assert_eq!(info.protocol, Some(0x020f));
    assert_eq!(info.compression, Some(Compression::Gzip));
    assert_eq!(
        info.kernel_version.as_deref(),
        Some("6.1.0-synthetic (xtask) #1 SMP")
    );
    // The payload is x86_64-linux.elf, which has no PVH note.
    assert_eq!(info.pvh_entry, None);
    let m = mem();
    let loaded = load_any(&m, &mut Cursor::new(bytes), &LoadOptions::default()).unwrap();
    assert_eq!(loaded.loaded_as, Format::BzImage);
    assert_eq!(loaded.result.entry.linux_64, Some(GuestAddress(0x100200)));
}

#[test]
fn probes_plain_compressed_and_zboot_arm64_images() {
    let plain = probe(&mut Cursor::new(fixture("pe/arm64.Image"))).unwrap();
    assert_eq!(plain.format, Format::Arm64Image);
    assert_eq!(plain.arch, Some(Arch::Arm64));
    assert_eq!(plain.memory_size, Some(0x2000));

    let gz = probe(&mut Cursor::new(fixture("pe/arm64.Image.gz"))).unwrap();
    assert_eq!(gz.format, Format::Compressed);
    assert_eq!(gz.inner, Some(Format::Arm64Image));
    assert_eq!(gz.compression, Some(Compression::Gzip));
    assert_eq!(gz.decompressed_size, Some(2560));

    let zboot = probe(&mut Cursor::new(fixture("pe/arm64-zboot.efi"))).unwrap();
    assert_eq!(zboot.format, Format::EfiZboot);
    assert_eq!(zboot.inner, Some(Format::Arm64Image));
    assert_eq!(zboot.compression, Some(Compression::Gzip));

    // All three load to the same guest bytes.
    let opts = LoadOptions::default().with_kernel_offset(Some(GuestAddress(0x20_0000)));
    let mut images = Vec::new();
    for f in ["pe/arm64.Image", "pe/arm64.Image.gz", "pe/arm64-zboot.efi"] {
        let m = mem();
        let loaded = load_any(&m, &mut Cursor::new(fixture(f)), &opts).unwrap();
        assert_eq!(loaded.result.kernel_end, 0x20_2000, "{f}");
        let mut buf = vec![0u8; 0x2000];
        m.read_slice(&mut buf, GuestAddress(0x20_0000)).unwrap();
        images.push(buf);
    }
    assert_eq!(images[0], images[1]);
    assert_eq!(images[0], images[2]);
}

#[test]
fn probes_a_riscv64_image() {
    let info = probe(&mut Cursor::new(fixture("pe/riscv64.Image"))).unwrap();
    assert_eq!(info.format, Format::Riscv64Image);
    assert_eq!(info.arch, Some(Arch::Riscv64));
}

#[test]
fn rejects_what_it_does_not_know_without_writing() {
    let m = mem();
    let junk = b"not a kernel at all, just text".to_vec();
    assert!(matches!(
        probe(&mut Cursor::new(junk.clone())),
        Err(Error::Unrecognized { first }) if first == junk[..8]
    ));
    assert!(matches!(
        load_any(&m, &mut Cursor::new(junk), &LoadOptions::default()),
        Err(Error::Unrecognized { .. })
    ));
    let mut buf = vec![0u8; 0x1000];
    m.read_slice(&mut buf, GuestAddress(0x20_0000)).unwrap();
    assert!(buf.iter().all(|&b| b == 0xa5));
}
