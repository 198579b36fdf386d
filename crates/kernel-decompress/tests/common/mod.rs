// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Encoders for test inputs: every codec the crate decodes, produced in-test by the Rust
//! encoders (no CLI needed), plus the kernel's trailer and legacy-LZ4 layout.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use std::io::Write;

use kernel_decompress::Compression;

/// Compressible, non-trivial data: a kernel-like mix of text, code-ish bytes and zero runs.
pub(crate) fn sample(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut x: u32 = 0x1234_5678;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        match x % 4 {
            0 => out.extend_from_slice(b"Linux version 6.1.0 (debian-kernel@lists.debian.org) "),
            1 => out.extend_from_slice(&[0u8; 97]),
            _ => out.extend_from_slice(&x.to_le_bytes()),
        }
    }
    out.truncate(len);
    out
}

/// `data` compressed as `c` (without any trailer).
pub(crate) fn compress(c: Compression, data: &[u8]) -> Vec<u8> {
    match c {
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        Compression::Zstd => {
            ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
        }
        Compression::Lz4Frame => {
            // With a content checksum, as the `lz4` tool writes frames.
            let info = lz4_flex::frame::FrameInfo::new().content_checksum(true);
            let mut e = lz4_flex::frame::FrameEncoder::with_frame_info(info, Vec::new());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        Compression::Lz4Legacy => lz4_legacy(data),
        Compression::Xz => {
            let mut w =
                lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(6))
                    .unwrap();
            w.write_all(data).unwrap();
            w.finish().unwrap()
        }
        Compression::Lzma => {
            // What `lzma -9` does with a pipe: size unknown (all ones), end marker.
            let opts = lzma_rust2::LzmaOptions::with_preset(6);
            let mut w = lzma_rust2::LzmaWriter::new_use_header(Vec::new(), &opts, None).unwrap();
            w.write_all(data).unwrap();
            w.finish().unwrap()
        }
        Compression::Bzip2 => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        }
        other => panic!("no encoder for {other}"),
    }
}

/// The legacy LZ4 format of `lz4 -l`: magic, then `[u32 size][block]` per 8 MiB of input.
pub(crate) fn lz4_legacy(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x02, 0x21, 0x4c, 0x18];
    for chunk in data.chunks(8 << 20) {
        let block = lz4_flex::block::compress(chunk);
        out.extend_from_slice(&(block.len() as u32).to_le_bytes());
        out.extend_from_slice(&block);
    }
    out
}

/// The kernel's `size_append`: the uncompressed size, 4 bytes little-endian.
pub(crate) fn with_trailer(mut compressed: Vec<u8>, uncompressed_len: usize) -> Vec<u8> {
    compressed.extend_from_slice(&(uncompressed_len as u32).to_le_bytes());
    compressed
}

/// Every codec this build decodes.
pub(crate) const DECODED: [Compression; 7] = [
    Compression::Gzip,
    Compression::Zstd,
    Compression::Lz4Frame,
    Compression::Lz4Legacy,
    Compression::Xz,
    Compression::Lzma,
    Compression::Bzip2,
];
