// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Compressed Images: `Image.gz` (Debian's), zstd / LZ4 frame / LZ4 legacy recompressions, EFI
//! zboot (the built one, and a synthetic one around another codec) load exactly like the plain
//! Image; bad streams get their own errors, guest memory untouched where the invariant says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use std::io::{Cursor, Write};
use std::time::Instant;

use kernel_pe::kernel_decompress::{self, Compression, Limits};
use kernel_pe::{Error, PE};
use loader_core::KernelLoader;
use test_kernels::{Kernel, require};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

const BASE: u64 = 0x4000_0000;
const SIZE: usize = 64 << 20;
const LOAD: GuestAddress = GuestAddress(0x4020_0000);
const PATTERN: u8 = 0xc3;

fn memory() -> GuestMemoryMmap<()> {
    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(BASE), SIZE)]).unwrap();
    mem.write_slice(&vec![PATTERN; SIZE], GuestAddress(BASE))
        .unwrap();
    mem
}

fn snapshot(mem: &GuestMemoryMmap<()>) -> Vec<u8> {
    let mut buf = vec![0u8; SIZE];
    mem.read_slice(&mut buf, GuestAddress(BASE)).unwrap();
    buf
}

fn untouched(mem: &GuestMemoryMmap<()>) -> bool {
    snapshot(mem).iter().all(|&b| b == PATTERN)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn lz4_legacy(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x02, 0x21, 0x4c, 0x18];
    for chunk in data.chunks(8 << 20) {
        let block = lz4_flex::block::compress(chunk);
        out.extend_from_slice(&(block.len() as u32).to_le_bytes());
        out.extend_from_slice(&block);
    }
    out
}

fn lz4_frame(data: &[u8]) -> Vec<u8> {
    let mut e = lz4_flex::frame::FrameEncoder::new(Vec::new());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A zboot container as the kernel's build lays it out: header, then the payload and (for
/// non-gzip) its size trailer.
fn zboot(payload: &[u8], comp_type: &str, uncompressed: usize) -> Vec<u8> {
    let mut out = vec![0u8; 0x1000];
    out[0..2].copy_from_slice(b"MZ");
    out[4..8].copy_from_slice(b"zimg");
    out[8..12].copy_from_slice(&0x1000u32.to_le_bytes());
    out[12..16].copy_from_slice(&(payload.len() as u32).to_le_bytes());
    out[0x18..0x18 + comp_type.len()].copy_from_slice(comp_type.as_bytes());
    out.extend_from_slice(payload);
    if comp_type != "gzip" {
        out.extend_from_slice(&(uncompressed as u32).to_le_bytes());
    }
    out
}

/// Loads `compressed` and checks guest memory and the result equal the plain Image's load.
fn same_as_plain(plain: &[u8], compressed: &[u8], what: &str) {
    let a = memory();
    let expected = PE::load(&a, Some(LOAD), &mut Cursor::new(plain), None).unwrap();
    let b = memory();
    let start = Instant::now();
    let got = PE::load_compressed(
        &b,
        Some(LOAD),
        &mut Cursor::new(compressed),
        None,
        Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{what}: {e}"));
    eprintln!(
        "{what}: {} -> {} bytes loaded in {:?} (debug build)",
        compressed.len(),
        got.decompressed_len,
        start.elapsed()
    );
    assert_eq!(got.result, expected, "{what}");
    assert_eq!(got.decompressed_len, plain.len() as u64, "{what}");
    assert!(snapshot(&a) == snapshot(&b), "{what}: guest memory differs");
}

#[test]
fn debian_arm64_image_gz() {
    let (Some(gz), Some(image)) = (
        require(Kernel::DebianArm64ImageGz),
        require(Kernel::DebianArm64Image),
    ) else {
        return;
    };
    same_as_plain(
        &std::fs::read(image).unwrap(),
        &std::fs::read(gz).unwrap(),
        "Debian arm64 Image.gz",
    );
}

#[test]
fn every_codec_and_zboot_on_a_built_image() {
    for kernel in [Kernel::BuiltArm64Image, Kernel::BuiltRiscv64Image] {
        let Some(path) = require(kernel) else {
            continue;
        };
        let image = std::fs::read(path).unwrap();
        let zst = ruzstd::encoding::compress_to_vec(
            image.as_slice(),
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        let legacy = lz4_legacy(&image);
        same_as_plain(&image, &gzip(&image), &format!("{kernel:?} .gz"));
        same_as_plain(&image, &zst, &format!("{kernel:?} .zst"));
        same_as_plain(
            &image,
            &lz4_frame(&image),
            &format!("{kernel:?} .lz4 frame"),
        );
        same_as_plain(&image, &legacy, &format!("{kernel:?} .lz4 legacy"));
        same_as_plain(
            &image,
            &zboot(&legacy, "lz4", image.len()),
            &format!("{kernel:?} zboot lz4"),
        );
        same_as_plain(
            &image,
            &zboot(&zst, "zstd22", image.len()),
            &format!("{kernel:?} zboot zstd22"),
        );
        same_as_plain(
            &image,
            &zboot(&gzip(&image), "gzip", image.len()),
            &format!("{kernel:?} zboot gzip"),
        );
    }
}

#[test]
fn built_arm64_zboot() {
    let Some(path) = require(Kernel::BuiltArm64Zboot) else {
        return;
    };
    let file = std::fs::read(path).unwrap();
    let z = kernel_pe::parse_zboot_header(&file).unwrap();
    assert_eq!(z.comp_type_str(), "gzip");
    let mem = memory();
    let load = PE::load_compressed(
        &mem,
        Some(LOAD),
        &mut Cursor::new(&file),
        None,
        Limits::default(),
    )
    .unwrap();
    assert_eq!(load.image.zboot, Some(z));
    assert_eq!(
        load.result.entry.image,
        Some(GuestAddress(LOAD.0 + load.info.text_offset))
    );
    let magic: [u8; 4] = mem
        .read_obj(GuestAddress(load.result.kernel_load.0 + 0x38))
        .unwrap();
    assert_eq!(&magic, b"ARM\x64");
}

/// A small arm64 Image: header, some code, image_size covering a BSS.
fn small_image() -> Vec<u8> {
    let mut image = vec![0u8; 0x3000];
    image[0x10..0x18].copy_from_slice(&0x8000u64.to_le_bytes());
    image[0x18..0x20].copy_from_slice(&0x2u64.to_le_bytes());
    image[0x38..0x3c].copy_from_slice(b"ARM\x64");
    for (i, b) in image[0x40..].iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    image
}

#[test]
fn small_images_through_each_container() {
    let image = small_image();
    same_as_plain(&image, &gzip(&image), "small .gz");
    same_as_plain(
        &image,
        &lz4_frame(&image),
        "small .lz4 frame (size from image_size)",
    );
    same_as_plain(
        &image,
        &zboot(&lz4_legacy(&image), "lz4", image.len()),
        "small zboot lz4",
    );
}

#[test]
fn bad_header_in_the_stream_leaves_memory_untouched() {
    let mut image = small_image();
    image[0x38] = b'X';
    let mem = memory();
    assert_eq!(
        PE::load_compressed(
            &mem,
            Some(LOAD),
            &mut Cursor::new(gzip(&image)),
            None,
            Limits::default()
        ),
        Err(Error::InvalidImageMagicNumber)
    );
    assert!(untouched(&mem));
}

#[test]
fn misaligned_base_and_outside_memory_leave_memory_untouched() {
    let image = small_image();
    let gz = gzip(&image);
    let mem = memory();
    assert_eq!(
        PE::load_compressed(
            &mem,
            Some(GuestAddress(0x4010_0000)),
            &mut Cursor::new(&gz),
            None,
            Limits::default()
        ),
        Err(Error::InvalidBaseAddrAlignment)
    );
    let err = PE::load_compressed(
        &mem,
        Some(GuestAddress(BASE + SIZE as u64)),
        &mut Cursor::new(&gz),
        None,
        Limits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Plan(loader_core::Error::SegmentOutsideMemory { .. })
        ),
        "{err:?}"
    );
    assert!(untouched(&mem));
}

#[test]
fn bomb_is_refused_before_writing_when_the_size_is_stated() {
    let image = small_image();
    let mem = memory();
    assert_eq!(
        PE::load_compressed(
            &mem,
            Some(LOAD),
            &mut Cursor::new(gzip(&image)),
            None,
            Limits::new().with_max_decompressed(0x1000)
        ),
        Err(Error::Decompress(kernel_decompress::Error::Bomb {
            compression: Compression::Gzip,
            limit: 0x1000
        }))
    );
    assert!(untouched(&mem));
}

#[test]
fn bomb_mid_stream_names_the_written_range() {
    // LZ4 frames state no size: the limit trips while streaming.
    let image = small_image();
    let mem = memory();
    let err = PE::load_compressed(
        &mem,
        Some(LOAD),
        &mut Cursor::new(lz4_frame(&image)),
        None,
        Limits::new().with_max_decompressed(0x2000),
    )
    .unwrap_err();
    assert!(
        matches!(
            kernel_decompress::Error::find(&err),
            Some(kernel_decompress::Error::Bomb { limit: 0x2000, .. })
        ),
        "{err:?}"
    );
    assert!(matches!(
        err,
        Error::Plan(loader_core::Error::SourceRead { .. })
    ));
    // The first 0x1000 bytes (header read) plus what streamed before the limit tripped.
    assert_eq!(err.written().map(|w| w.start), Some(LOAD));
}

#[test]
fn truncated_stream_names_the_written_range() {
    let image = small_image();
    let mut gz = gzip(&image);
    // Cut the deflate data but keep a plausible ISIZE at the end.
    let isize = gz[gz.len() - 4..].to_vec();
    gz.truncate(gz.len() / 2);
    gz.extend_from_slice(&isize);
    let mem = memory();
    let err = PE::load_compressed(
        &mem,
        Some(LOAD),
        &mut Cursor::new(&gz),
        None,
        Limits::default(),
    )
    .unwrap_err();
    let found = kernel_decompress::Error::find(&err);
    assert!(
        matches!(
            found,
            Some(
                kernel_decompress::Error::Truncated {
                    compression: Compression::Gzip,
                    ..
                } | kernel_decompress::Error::Corrupt {
                    compression: Compression::Gzip,
                    ..
                }
            )
        ),
        "{err:?}"
    );
}

#[test]
fn stream_longer_than_image_size() {
    // An LZ4 frame (no stated size) decompressing past image_size.
    let mut image = small_image();
    image[0x10..0x18].copy_from_slice(&0x2000u64.to_le_bytes()); // image_size < file
    let mem = memory();
    let err = PE::load_compressed(
        &mem,
        Some(LOAD),
        &mut Cursor::new(lz4_frame(&image)),
        None,
        Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::PayloadAfterWrite { .. }), "{err:?}");
    assert_eq!(err.written().map(|w| w.start), Some(LOAD));
}

#[test]
fn zboot_header_errors() {
    let image = small_image();
    let mut z = zboot(&gzip(&image), "gzip", image.len());
    z[0x18..0x1c].copy_from_slice(b"lzz\0");
    assert!(matches!(
        kernel_pe::parse_zboot_header(&z),
        Err(Error::ZbootUnknownCompression { .. })
    ));
    let mut z = zboot(&gzip(&image), "gzip", image.len());
    z[12..16].copy_from_slice(&0x10_0000u32.to_le_bytes());
    let mem = memory();
    assert!(matches!(
        PE::load_compressed(
            &mem,
            Some(LOAD),
            &mut Cursor::new(&z),
            None,
            Limits::default()
        ),
        Err(Error::ZbootPayloadOutsideFile {
            offset: 0x1000,
            size: 0x10_0000,
            ..
        })
    ));
    assert!(untouched(&mem));
    assert_eq!(
        PE::load_compressed(
            &mem,
            Some(LOAD),
            &mut Cursor::new(&image),
            None,
            Limits::default()
        ),
        Err(Error::NotCompressed)
    );
}
