// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! bzImage → vmlinux, streamed: Debian's kernel (LZ4 legacy payload) and the built ones (gzip, xz,
//! zstd) give the same guest memory and PVH entry as loading their vmlinux directly; bad payloads
//! get their own errors.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use std::fs::File;
use std::io::Cursor;
use std::time::Instant;

use kernel_bzimage::{BzImage, Compression, Error, Limits};
use kernel_elf::Elf;
use test_kernels::{Kernel, require};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

const MEM: usize = 256 << 20;

fn memory() -> GuestMemoryMmap<()> {
    GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), MEM)]).unwrap()
}

/// Guest memory equal over `range`.
fn same(a: &GuestMemoryMmap<()>, b: &GuestMemoryMmap<()>, start: u64, len: u64) -> bool {
    let mut x = vec![0u8; 1 << 20];
    let mut y = vec![0u8; 1 << 20];
    let mut at = start;
    while at < start + len {
        let n = ((start + len - at) as usize).min(x.len());
        a.read_slice(&mut x[..n], GuestAddress(at)).unwrap();
        b.read_slice(&mut y[..n], GuestAddress(at)).unwrap();
        if x[..n] != y[..n] {
            return false;
        }
        at += n as u64;
    }
    true
}

fn check_against_vmlinux(bzimage: Kernel, vmlinux: Kernel, compression: Compression) {
    let (Some(bz), Some(vm)) = (require(bzimage), require(vmlinux)) else {
        return;
    };
    let streamed = memory();
    let start = Instant::now();
    let load = BzImage::load_vmlinux(
        &streamed,
        None,
        &mut File::open(&bz).unwrap(),
        None,
        Limits::default(),
    )
    .unwrap();
    let took = start.elapsed();
    assert_eq!(load.payload.compression, compression);

    let direct = memory();
    let start = Instant::now();
    let reference = Elf::load_detailed(&direct, None, &mut File::open(&vm).unwrap(), None).unwrap();
    let took_direct = start.elapsed();
    eprintln!(
        "{bzimage:?}: decompress + load {:?} ({} -> {} bytes); {vmlinux:?} load {:?}; PVH {:?}",
        took,
        load.payload.payload.len,
        load.payload.vmlinux_len,
        took_direct,
        load.elf.result.entry.pvh
    );

    assert!(
        load.elf.result.entry.pvh.is_some(),
        "{bzimage:?}: no PVH entry"
    );
    assert_eq!(load.elf.result.entry.pvh, reference.result.entry.pvh);
    assert_eq!(load.elf.pvh_boot_cap, reference.pvh_boot_cap);
    assert_eq!(load.elf.result, reference.result);
    let span = reference.summary.span;
    assert!(
        same(&streamed, &direct, span.start.0, span.len),
        "{bzimage:?}: guest memory differs from the vmlinux load"
    );
}

#[test]
fn debian_amd64_bzimage_streams_to_the_same_vmlinux() {
    check_against_vmlinux(
        Kernel::DebianAmd64Bzimage,
        Kernel::DebianAmd64Vmlinux,
        Compression::Lz4Legacy,
    );
}

#[test]
fn built_bzimages_stream_to_their_vmlinux() {
    for (bz, c) in [
        (Kernel::BuiltX86_64BzImageGzip, Compression::Gzip),
        (Kernel::BuiltX86_64BzImageXz, Compression::Xz),
        (Kernel::BuiltX86_64BzImageZstd, Compression::Zstd),
    ] {
        check_against_vmlinux(bz, Kernel::BuiltX86_64Vmlinux, c);
    }
}

const PATTERN: u8 = 0x5a;

fn patterned_small() -> GuestMemoryMmap<()> {
    let mem = memory();
    // Pattern the range the kernels load into (16 MiB .. 96 MiB).
    mem.write_slice(&vec![PATTERN; 80 << 20], GuestAddress(16 << 20))
        .unwrap();
    mem
}

fn untouched(mem: &GuestMemoryMmap<()>) -> bool {
    let mut buf = vec![0u8; 80 << 20];
    mem.read_slice(&mut buf, GuestAddress(16 << 20)).unwrap();
    buf.iter().all(|&b| b == PATTERN)
}

#[test]
fn bomb_limit_is_checked_before_writing() {
    let Some(bz) = require(Kernel::BuiltX86_64BzImageZstd) else {
        return;
    };
    let mem = patterned_small();
    let err = BzImage::load_vmlinux(
        &mem,
        None,
        &mut File::open(&bz).unwrap(),
        None,
        Limits::new().with_max_decompressed(1 << 20),
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::Decompress(kernel_decompress::Error::Bomb {
            compression: Compression::Zstd,
            limit: 1 << 20
        })
    );
    assert!(untouched(&mem));
}

#[test]
fn corrupt_payload_mid_stream_names_the_written_range() {
    let Some(bz) = require(Kernel::BuiltX86_64BzImageGzip) else {
        return;
    };
    let mut image = std::fs::read(&bz).unwrap();
    let info = kernel_bzimage::payload_info(&mut Cursor::new(&image)).unwrap();
    let mid = (info.payload.file_offset + info.payload.len / 2) as usize;
    for b in &mut image[mid..mid + 256] {
        *b ^= 0xff;
    }
    let mem = patterned_small();
    let err = BzImage::load_vmlinux(
        &mem,
        None,
        &mut Cursor::new(&image),
        None,
        Limits::default(),
    )
    .unwrap_err();
    // Deflate decodes the damaged bytes into garbage; decoding the whole payload catches it
    // (here the output overruns the size trailer; otherwise gzip's CRC would).
    let Error::PayloadAfterWrite { written, source } = &err else {
        panic!("{err:?}");
    };
    assert!(
        matches!(
            source,
            kernel_decompress::Error::Corrupt {
                compression: Compression::Gzip,
                ..
            } | kernel_decompress::Error::SizeMismatch {
                compression: Compression::Gzip,
                ..
            }
        ),
        "{source:?}"
    );
    assert_eq!(written.start, GuestAddress(16 << 20));
}

#[test]
fn truncated_payload_mid_stream() {
    let Some(bz) = require(Kernel::BuiltX86_64BzImageXz) else {
        return;
    };
    let mut image = std::fs::read(&bz).unwrap();
    let info = kernel_bzimage::payload_info(&mut Cursor::new(&image)).unwrap();
    // Keep the header and trailer consistent but zero the second half of the xz stream, as if
    // the file had been cut and padded.
    let mid = (info.payload.file_offset + info.payload.len / 2) as usize;
    let end = (info.payload.file_offset + info.payload.len - 4) as usize;
    image[mid..end].fill(0);
    let mem = patterned_small();
    let err = BzImage::load_vmlinux(
        &mem,
        None,
        &mut Cursor::new(&image),
        None,
        Limits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            kernel_decompress::Error::find(&err),
            Some(kernel_decompress::Error::Corrupt {
                compression: Compression::Xz,
                ..
            })
        ),
        "{err}"
    );
    let Error::Vmlinux(elf) = &err else {
        panic!("{err:?}");
    };
    assert!(elf.written().is_some());
}

#[test]
fn not_a_compressed_payload() {
    // A payload with no compression magic.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/bzimage/minimal-64.bzImage"
    );
    let mut image = std::fs::read(path).unwrap();
    let info = kernel_bzimage::payload_info(&mut Cursor::new(&image)).unwrap();
    let at = info.payload.file_offset as usize;
    image[at..at + 4].copy_from_slice(b"\x7fELF");
    let mem = patterned_small();
    let err = BzImage::load_vmlinux(
        &mem,
        None,
        &mut Cursor::new(&image),
        None,
        Limits::default(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::UnknownPayloadCompression {
            offset: info.payload.file_offset,
            magic: *b"\x7fELF"
        }
    );
    assert!(untouched(&mem));
}
