// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Shared helpers: fixtures, pattern-filled guest memory, and an independent little-endian
//! decoding of ELF program headers to compute what guest memory must hold after a load.

#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

use std::io::Cursor;

use kernel_elf::{Elf, ElfLoad, Error};
use vm_memory::{Bytes, GuestAddress, GuestMemoryBackend, GuestMemoryMmap, GuestMemoryRegion};

pub type Mem = GuestMemoryMmap<()>;

/// Bytes of `fixtures/elf/<name>`, read at test time.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/elf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// Guest memory `[start, start + len)` filled with a non-zero pattern.
pub fn patterned(start: u64, len: usize) -> Mem {
    let mem = Mem::from_ranges(&[(GuestAddress(start), len)]).unwrap();
    let unit: Vec<u8> = (0..251u8).map(|i| i | 0x01).collect();
    let mut pattern = unit.repeat(len / unit.len() + 1);
    pattern.truncate(len);
    mem.write_slice(&pattern, GuestAddress(start)).unwrap();
    mem
}

/// Every byte of guest memory, region by region.
pub fn snapshot(mem: &Mem) -> Vec<u8> {
    let mut out = Vec::new();
    for region in mem.iter() {
        let mut buf = vec![0u8; region.len() as usize];
        mem.read_slice(&mut buf, region.start_addr()).unwrap();
        out.extend_from_slice(&buf);
    }
    out
}

/// Default test memory: 4 MiB at 0, pattern-filled.
pub fn mem() -> Mem {
    patterned(0, 0x40_0000)
}

/// Loads `image`, expecting an error; asserts guest memory is byte-identical afterwards.
pub fn load_err(
    image: &[u8],
    kernel_offset: Option<GuestAddress>,
    highmem: Option<GuestAddress>,
) -> Error {
    let mem = mem();
    load_err_in(&mem, image, kernel_offset, highmem)
}

/// As [`load_err`], in the given memory.
pub fn load_err_in(
    mem: &Mem,
    image: &[u8],
    kernel_offset: Option<GuestAddress>,
    highmem: Option<GuestAddress>,
) -> Error {
    let before = snapshot(mem);
    let err = Elf::load_detailed(mem, kernel_offset, &mut Cursor::new(image), highmem)
        .expect_err("load should fail");
    assert!(
        snapshot(mem) == before,
        "guest memory changed on error {err:?}"
    );
    err
}

/// One program header, decoded independently of the crate.
#[derive(Clone, Copy, Debug)]
pub struct Phdr {
    pub p_type: u32,
    pub offset: u64,
    pub paddr: u64,
    pub filesz: u64,
    pub memsz: u64,
}

pub fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap())
}
pub fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}
pub fn le64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// `e_entry` and the program headers of a little-endian ELF32 or ELF64 image.
pub fn decode(image: &[u8]) -> (u64, Vec<Phdr>) {
    let is64 = image[4] == 2;
    let (entry, phoff, phentsize, phnum) = if is64 {
        (
            le64(image, 24),
            le64(image, 32) as usize,
            le16(image, 54) as usize,
            le16(image, 56) as usize,
        )
    } else {
        (
            u64::from(le32(image, 24)),
            le32(image, 28) as usize,
            le16(image, 42) as usize,
            le16(image, 44) as usize,
        )
    };
    let phdrs = (0..phnum)
        .map(|i| {
            let p = phoff + i * phentsize;
            if is64 {
                Phdr {
                    p_type: le32(image, p),
                    offset: le64(image, p + 8),
                    paddr: le64(image, p + 24),
                    filesz: le64(image, p + 32),
                    memsz: le64(image, p + 40),
                }
            } else {
                Phdr {
                    p_type: le32(image, p),
                    offset: u64::from(le32(image, p + 4)),
                    paddr: u64::from(le32(image, p + 12)),
                    filesz: u64::from(le32(image, p + 16)),
                    memsz: u64::from(le32(image, p + 20)),
                }
            }
        })
        .collect();
    (entry, phdrs)
}

/// The PT_LOAD headers of an image.
pub fn loads(image: &[u8]) -> Vec<Phdr> {
    decode(image)
        .1
        .into_iter()
        .filter(|p| p.p_type == 1)
        .collect()
}

/// What memory starting at `mem_start` must hold after loading `image` at `offset` over
/// `before`: each PT_LOAD's file bytes, then zeros to `p_memsz`, everything else unchanged.
pub fn expected_memory(before: &[u8], mem_start: u64, image: &[u8], offset: u64) -> Vec<u8> {
    let mut want = before.to_vec();
    for p in loads(image) {
        let at = (offset + p.paddr - mem_start) as usize;
        let file = &image[p.offset as usize..(p.offset + p.filesz) as usize];
        want[at..at + file.len()].copy_from_slice(file);
        want[at + file.len()..at + p.memsz as usize].fill(0);
    }
    want
}

/// Loads a valid image into fresh patterned memory and checks memory holds exactly the
/// segments plus zeroed BSS, nothing else touched.
pub fn load_ok(
    image: &[u8],
    kernel_offset: Option<GuestAddress>,
    highmem: Option<GuestAddress>,
) -> ElfLoad {
    let mem = mem();
    let before = snapshot(&mem);
    let load = Elf::load_detailed(&mem, kernel_offset, &mut Cursor::new(image), highmem)
        .unwrap_or_else(|e| panic!("load failed: {e}"));
    let want = expected_memory(&before, 0, image, kernel_offset.map_or(0, |a| a.0));
    assert!(
        snapshot(&mem) == want,
        "guest memory differs from the image's segments"
    );
    load
}

/// Overwrites `bytes` at `at` in a copy of `image`.
pub fn patch(image: &[u8], at: usize, bytes: &[u8]) -> Vec<u8> {
    let mut v = image.to_vec();
    v[at..at + bytes.len()].copy_from_slice(bytes);
    v
}
