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

use std::io::{self, Write};

use kernel_decompress::{Compression, Error};

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
        Compression::Lzo => lzop(data),
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
pub(crate) const DECODED: [Compression; 8] = [
    Compression::Gzip,
    Compression::Zstd,
    Compression::Lz4Frame,
    Compression::Lz4Legacy,
    Compression::Xz,
    Compression::Lzma,
    Compression::Bzip2,
    Compression::Lzo,
];

// lzop, written here from the format description (the crate's decoder must read it, and the
// `lzop` CLI's output too: tests/lzo.rs compares both).

/// lzop header flags.
pub(crate) const F_ADLER32_D: u32 = 0x0000_0001;
pub(crate) const F_ADLER32_C: u32 = 0x0000_0002;
pub(crate) const F_H_EXTRA_FIELD: u32 = 0x0000_0040;
pub(crate) const F_CRC32_D: u32 = 0x0000_0100;
pub(crate) const F_CRC32_C: u32 = 0x0000_0200;
pub(crate) const F_H_FILTER: u32 = 0x0000_0800;
pub(crate) const F_H_CRC32: u32 = 0x0000_1000;

/// lzop's block size.
pub(crate) const LZOP_BLOCK: usize = 256 << 10;

/// Adler-32, one byte at a time (the definition).
pub(crate) fn adler32_ref(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// CRC-32 (IEEE), one bit at a time (the definition).
pub(crate) fn crc32_ref(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &x in data {
        c ^= u32::from(x);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// An lzop container writer with every header field settable, for building hostile streams.
#[derive(Clone, Debug)]
pub(crate) struct LzopWriter {
    pub(crate) version: u16,
    pub(crate) version_needed: u16,
    pub(crate) method: u8,
    pub(crate) level: u8,
    pub(crate) flags: u32,
    pub(crate) filter: u32,
    pub(crate) name: Vec<u8>,
    /// Uncompressed bytes per block ([`LzopWriter::stream`]).
    pub(crate) block_size: usize,
}

impl Default for LzopWriter {
    /// What `lzop -9` writes, plus a compressed-data checksum.
    fn default() -> Self {
        Self {
            version: 0x1040,
            version_needed: 0x0940,
            method: 3,
            level: 9,
            flags: 0x0300_0000 | F_ADLER32_D | F_ADLER32_C,
            filter: 0,
            name: b"vmlinux".to_vec(),
            block_size: LZOP_BLOCK,
        }
    }
}

impl LzopWriter {
    /// The header bytes after the magic, without the checksum.
    pub(crate) fn header_fields(&self) -> Vec<u8> {
        let mut h = Vec::new();
        h.extend_from_slice(&self.version.to_be_bytes());
        h.extend_from_slice(&0x20a0u16.to_be_bytes());
        if self.version >= 0x0940 {
            h.extend_from_slice(&self.version_needed.to_be_bytes());
        }
        h.push(self.method);
        if self.version >= 0x0940 {
            h.push(self.level);
        }
        h.extend_from_slice(&self.flags.to_be_bytes());
        if self.flags & F_H_FILTER != 0 {
            h.extend_from_slice(&self.filter.to_be_bytes());
        }
        h.extend_from_slice(&0o100644u32.to_be_bytes());
        h.extend_from_slice(&0x6500_0000u32.to_be_bytes());
        if self.version >= 0x0940 {
            h.extend_from_slice(&0u32.to_be_bytes());
        }
        h.push(self.name.len() as u8);
        h.extend_from_slice(&self.name);
        h
    }

    /// Magic, header and its checksum.
    pub(crate) fn header(&self) -> Vec<u8> {
        let fields = self.header_fields();
        let sum = if self.flags & F_H_CRC32 != 0 {
            crc32_ref(&fields)
        } else {
            adler32_ref(&fields)
        };
        let mut out = b"\x89LZO\x00\r\n\x1a\n".to_vec();
        out.extend_from_slice(&fields);
        out.extend_from_slice(&sum.to_be_bytes());
        out
    }

    /// One block of `data`: `lzo` as its compressed form when given and smaller, else stored.
    pub(crate) fn block(&self, out: &mut Vec<u8>, data: &[u8], lzo: Option<&[u8]>) {
        let compressed = lzo.filter(|c| c.len() < data.len());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(&(compressed.map_or(data.len(), <[u8]>::len) as u32).to_be_bytes());
        if self.flags & F_ADLER32_D != 0 {
            out.extend_from_slice(&adler32_ref(data).to_be_bytes());
        }
        if self.flags & F_CRC32_D != 0 {
            out.extend_from_slice(&crc32_ref(data).to_be_bytes());
        }
        if let Some(c) = compressed {
            if self.flags & F_ADLER32_C != 0 {
                out.extend_from_slice(&adler32_ref(c).to_be_bytes());
            }
            if self.flags & F_CRC32_C != 0 {
                out.extend_from_slice(&crc32_ref(c).to_be_bytes());
            }
        }
        out.extend_from_slice(compressed.unwrap_or(data));
    }

    /// A whole stream of `data` in blocks of `block_size` bytes, each LZO1X-compressed when that
    /// is smaller.
    pub(crate) fn stream(&self, data: &[u8]) -> Vec<u8> {
        let mut out = self.header();
        for chunk in data.chunks(self.block_size) {
            self.block(&mut out, chunk, Some(&lzo1x_compress(chunk)));
        }
        out.extend_from_slice(&[0; 4]);
        out
    }
}

/// `data` as an lzop stream (see [`LzopWriter::default`]).
pub(crate) fn lzop(data: &[u8]) -> Vec<u8> {
    LzopWriter::default().stream(data)
}

/// A greedy LZO1X compressor (4-byte hash matches, every match instruction kind but the
/// 2-byte M1), from the instruction encoding in the kernel's `Documentation/staging/lzo.rst`.
pub(crate) fn lzo1x_compress(data: &[u8]) -> Vec<u8> {
    const MAX_DISTANCE: usize = 0xbfff;
    // (literals before, distance, length) per match.
    let mut seqs: Vec<(usize, usize, usize)> = Vec::new();
    let mut table = vec![usize::MAX; 1 << 14];
    let (mut i, mut lit_start) = (0usize, 0usize);
    while i + 4 <= data.len() {
        let key = u32::from_le_bytes(data[i..i + 4].try_into().unwrap());
        let h = (key.wrapping_mul(2_654_435_761) >> 18) as usize;
        let cand = table[h];
        table[h] = i;
        if cand != usize::MAX && i - cand <= MAX_DISTANCE && data[cand..cand + 4] == data[i..i + 4]
        {
            let mut len = 4;
            while i + len < data.len() && data[cand + len] == data[i + len] {
                len += 1;
            }
            seqs.push((i - lit_start, i - cand, len));
            i += len;
            lit_start = i;
        } else {
            i += 1;
        }
    }
    let tail = data.len() - lit_start;

    fn extension(out: &mut Vec<u8>, mut x: usize) {
        while x > 255 {
            out.push(0);
            x -= 255;
        }
        out.push(x as u8);
    }
    fn long_literals(out: &mut Vec<u8>, n: usize) {
        if n - 3 <= 15 {
            out.push((n - 3) as u8);
        } else {
            out.push(0);
            extension(out, n - 18);
        }
    }

    let mut out = Vec::new();
    let mut pos = 0usize;
    let first = seqs.first().map_or(tail, |s| s.0);
    if first > 0 {
        if first <= 238 {
            out.push((17 + first) as u8);
        } else {
            long_literals(&mut out, first);
        }
        out.extend_from_slice(&data[..first]);
    }
    pos += first;
    for (k, &(_, dist, len)) in seqs.iter().enumerate() {
        let next = seqs.get(k + 1).map_or(tail, |s| s.0);
        let s = if next <= 3 { next } else { 0 };
        if (3..=8).contains(&len) && dist <= 2048 {
            let d = dist - 1;
            let t = if len <= 4 {
                0x40 | ((len - 3) << 5)
            } else {
                0x80 | ((len - 5) << 5)
            };
            out.push((t | ((d & 7) << 2) | s) as u8);
            out.push((d >> 3) as u8);
        } else if dist <= 16384 {
            if len - 2 <= 31 {
                out.push(0x20 | (len - 2) as u8);
            } else {
                out.push(0x20);
                extension(&mut out, len - 2 - 31);
            }
            out.extend_from_slice(&((((dist - 1) << 2) | s) as u16).to_le_bytes());
        } else {
            let d = dist - 16384;
            let hbit = ((d >> 14) & 1) << 3;
            if len - 2 <= 7 {
                out.push((0x10 | hbit | (len - 2)) as u8);
            } else {
                out.push((0x10 | hbit) as u8);
                extension(&mut out, len - 2 - 7);
            }
            out.extend_from_slice(&((((d & 0x3fff) << 2) | s) as u16).to_le_bytes());
        }
        pos += len;
        if next > 3 {
            long_literals(&mut out, next);
        }
        out.extend_from_slice(&data[pos..pos + next]);
        pos += next;
    }
    assert_eq!(pos, data.len());
    out.extend_from_slice(&[0x11, 0, 0]);
    out
}

/// The crate error a decoder's `io::Error` carries.
pub(crate) fn take(e: io::Error) -> Error {
    match e.into_inner().map(|b| b.downcast::<Error>()) {
        Some(Ok(e)) => *e,
        other => panic!("not a kernel_decompress::Error: {other:?}"),
    }
}
