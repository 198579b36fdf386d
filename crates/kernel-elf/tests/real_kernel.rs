// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Tier-2 test: Debian's 6.1 cloud amd64 vmlinux (extracted from its bzImage), from the kernel
//! cache `cargo xtask fixtures fetch` fills. Expectations are computed from the file itself with
//! a few lines of little-endian decoding independent of the crate.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

mod common;

use std::fs::File;
use std::time::Instant;

use common::{decode, le32, loads};
use kernel_elf::{Class, Elf, Machine, PvhBootCapability};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

/// The PVH entry of the first `"Xen"` note of type 18 in any PT_NOTE segment, decoded by hand.
fn pvh_entry_by_hand(image: &[u8]) -> Option<u64> {
    for p in decode(image).1.iter().filter(|p| p.p_type == 4) {
        let notes = &image[p.offset as usize..(p.offset + p.filesz) as usize];
        let mut at = 0;
        while at + 12 <= notes.len() {
            let namesz = le32(notes, at) as usize;
            let descsz = le32(notes, at + 4) as usize;
            let n_type = le32(notes, at + 8);
            let name = at + 12;
            let desc = name + namesz.div_ceil(4) * 4;
            if n_type == 18 && &notes[name..name + namesz] == b"Xen\0" {
                return Some(u64::from(le32(notes, desc)));
            }
            at = desc + descsz.div_ceil(4) * 4;
        }
    }
    None
}

#[test]
fn debian_amd64_vmlinux_loads_byte_for_byte() {
    let Some(path) = test_kernels::require(test_kernels::Kernel::DebianAmd64Vmlinux) else {
        return;
    };
    let image = std::fs::read(&path).unwrap();
    let (entry, _) = decode(&image);
    let segments = loads(&image);
    assert!(!segments.is_empty());
    let kernel_end = segments.iter().map(|p| p.paddr + p.memsz).max().unwrap();
    let pvh = pvh_entry_by_hand(&image).expect("Debian's kernel has CONFIG_PVH=y");

    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 128 << 20)]).unwrap();
    // Dirty memory so BSS zeroing (if any segment has one) is observable.
    let dirt = vec![0xa5u8; 1 << 20];
    for mib in 0..128u64 {
        mem.write_slice(&dirt, GuestAddress(mib << 20)).unwrap();
    }

    let started = Instant::now();
    let load = Elf::load_detailed(
        &mem,
        None,
        &mut File::open(&path).unwrap(),
        Some(GuestAddress(0x10_0000)),
    )
    .unwrap();
    eprintln!(
        "Debian amd64 vmlinux: {} bytes loaded in {:?}; entry {:#x}, PVH entry {:#x}, kernel_end {:#x}",
        load.summary.file_bytes,
        started.elapsed(),
        entry,
        pvh,
        kernel_end
    );

    assert_eq!(load.class, Class::Elf64);
    assert_eq!(load.machine, Machine::X86_64);
    assert_eq!(load.result.kernel_load, GuestAddress(entry));
    assert_eq!(load.result.entry.linux_64, Some(GuestAddress(entry)));
    assert_eq!(load.result.kernel_end, kernel_end);
    assert_eq!(
        load.pvh_boot_cap,
        PvhBootCapability::PvhEntryPresent(GuestAddress(pvh))
    );
    assert_eq!(load.result.entry.pvh, Some(GuestAddress(pvh)));
    assert_eq!(
        load.summary.file_bytes,
        segments.iter().map(|p| p.filesz).sum::<u64>()
    );

    for p in &segments {
        let mut got = vec![0u8; p.memsz as usize];
        mem.read_slice(&mut got, GuestAddress(p.paddr)).unwrap();
        let file = &image[p.offset as usize..(p.offset + p.filesz) as usize];
        assert!(
            got[..file.len()] == *file,
            "segment at {:#x} differs from the file",
            p.paddr
        );
        assert!(
            got[file.len()..].iter().all(|&b| b == 0),
            "BSS of segment at {:#x} not zeroed",
            p.paddr
        );
    }
}

#[test]
fn debian_amd64_vmlinux_with_offset_ignores_pvh() {
    let Some(path) = test_kernels::require(test_kernels::Kernel::DebianAmd64Vmlinux) else {
        return;
    };
    let image = std::fs::read(&path).unwrap();
    let (entry, _) = decode(&image);
    let pvh = pvh_entry_by_hand(&image).unwrap();

    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 128 << 20)]).unwrap();
    let offset = 0x200_0000;
    let load = Elf::load_detailed(
        &mem,
        Some(GuestAddress(offset)),
        &mut File::open(&path).unwrap(),
        None,
    )
    .unwrap();
    assert_eq!(load.result.kernel_load, GuestAddress(entry + offset));
    assert_eq!(load.pvh_boot_cap, PvhBootCapability::PvhEntryIgnored);
    assert_eq!(load.pvh_note_entry, Some(GuestAddress(pvh)));
}
