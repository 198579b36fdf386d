// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! An lzop payload (`CONFIG_KERNEL_LZO`): the synthetic `minimal-64.bzImage` with its gzip
//! payload replaced by `lzop -9` of the same ELF plus the kernel's size trailer, as the kernel's
//! build lays it out. `payload_info` must recognise lzop's 9-byte magic, and the streamed
//! vmlinux must load exactly as the ELF itself does.
//!
//! A missing `lzop` (Debian package `lzop`) is a loud skip locally and a failure under `CI=true`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use std::io::Cursor;

use kernel_bzimage::{BzImage, Compression, Limits, payload_info};
use kernel_elf::Elf;
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn lzo_payload_streams_to_the_same_vmlinux() {
    let elf = fixture("elf/x86_64-linux.elf");
    let mut image = fixture("bzimage/minimal-64.bzImage");
    let Some(mut payload) = test_kernels::cli("lzop", &["-9"], &elf) else {
        return;
    };
    payload.extend_from_slice(&(elf.len() as u32).to_le_bytes());

    // Put it where the gzip payload was (it is smaller) and say its length.
    let old = payload_info(&mut Cursor::new(&image)).unwrap();
    assert_eq!(old.compression, Compression::Gzip);
    let at = old.payload.file_offset as usize;
    assert!(payload.len() as u64 <= old.payload.len);
    image[at..at + old.payload.len as usize].fill(0);
    image[at..at + payload.len()].copy_from_slice(&payload);
    image[0x24c..0x250].copy_from_slice(&(payload.len() as u32).to_le_bytes());

    let info = payload_info(&mut Cursor::new(&image)).unwrap();
    assert_eq!(info.compression, Compression::Lzo);
    assert_eq!(info.vmlinux_len, elf.len() as u64);

    let streamed = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 64 << 20)]).unwrap();
    let load = BzImage::load_vmlinux(
        &streamed,
        None,
        &mut Cursor::new(&image),
        None,
        Limits::default(),
    )
    .unwrap();
    assert_eq!(load.payload.compression, Compression::Lzo);

    let direct = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 64 << 20)]).unwrap();
    let reference = Elf::load_detailed(&direct, None, &mut Cursor::new(&elf), None).unwrap();
    assert_eq!(load.elf.result, reference.result);
    let span = reference.summary.span;
    let mut a = vec![0u8; span.len as usize];
    let mut b = vec![0u8; span.len as usize];
    streamed.read_slice(&mut a, span.start).unwrap();
    direct.read_slice(&mut b, span.start).unwrap();
    assert!(a == b, "guest memory differs from the ELF's own load");
}
