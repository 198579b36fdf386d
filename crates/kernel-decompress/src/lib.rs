// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Streaming, bounded decompression of Linux kernel payloads, with pure-Rust decoders.
//!
//! Distribution kernels ship compressed: an x86 bzImage carries a compressed vmlinux (Debian's
//! amd64 kernel: legacy LZ4), arm64 kernels come as `Image.gz`, and Linux 6.1+ can wrap any of
//! them in an EFI zboot image. This crate turns such a payload into a forward-only
//! [`std::io::Read`] of the decompressed bytes, for loaders that stream them straight into guest
//! memory (loader-core's `StreamSource`), never holding the whole image:
//!
//! * [`detect`] recognises a format by its magic ([`Compression`]);
//! * [`decoder`] (or [`auto_decoder`]) returns a [`Decoder`] that enforces [`Limits`] as bytes
//!   flow: a stream producing more than [`Limits::max_decompressed`] is an [`Error::Bomb`],
//!   one that ends early an [`Error::Truncated`], bad data an [`Error::Corrupt`];
//! * the kernel's 4-byte uncompressed-size trailer after a payload is never decoded as data.
//!
//! ```
//! use std::io::Read;
//! use kernel_decompress::{Compression, Limits, auto_decoder, detect};
//!
//! let image = [0x1fu8; 10_000];
//! let compressed = lz4_flex::frame::FrameEncoder::new(Vec::new());
//! # let mut compressed = compressed;
//! # std::io::Write::write_all(&mut compressed, &image).unwrap();
//! let compressed = compressed.finish().unwrap();
//! assert_eq!(detect(&compressed), Some(Compression::Lz4Frame));
//!
//! let mut out = Vec::new();
//! let mut d = auto_decoder(compressed.as_slice(), Limits::default()).unwrap();
//! d.read_to_end(&mut out).unwrap();
//! assert_eq!(out, image);
//! assert_eq!(d.produced(), 10_000);
//! ```
//!
//! # Codecs
//!
//! | format | magic | feature | decoder |
//! |---|---|---|---|
//! | gzip | `1f 8b` | `gzip` | flate2 (miniz_oxide) |
//! | zstd | `28 b5 2f fd` | `zstd` | ruzstd (C libzstd with `zstd-libzstd`, see below) |
//! | LZ4 frame | `04 22 4d 18` | `lz4` | lz4_flex |
//! | LZ4 legacy (`lz4 -l`) | `02 21 4c 18` | `lz4` | this crate, on lz4_flex's block decoder |
//! | xz (BCJ filters too) | `fd 37 7a 58 5a 00` | `xz` | lzma-rust2 |
//! | lzma (`.lzma`) | `5d 00 00` | `lzma` | lzma-rust2 |
//! | bzip2 | `BZh` | `bzip2` | bzip2 (libbz2-rs-sys, a Rust port) |
//! | lzo (lzop) | `89 4c 5a 4f 00 0d 0a 1a 0a` | `lzo` | this crate (container and LZO1X) |
//!
//! All are on by default. LZO has no well-kept pure-Rust decoder (`lzokay-native` has a single
//! 0.1 release), so this crate has its own, written from the kernel's description of the LZO1X
//! instruction encoding (`Documentation/staging/lzo.rst`): safe Rust, no dependencies, every
//! literal run checked against the block's input and every back-reference against the output
//! produced, blocks capped at lzop's 256 KiB ([`limits::LZO_BLOCK`], [`Error::BlockTooLarge`]
//! above it), and every header and block checksum (adler32 or crc32) the stream declares
//! verified before a block's bytes are handed out.
//!
//! # zstd backends
//!
//! By default zstd streams go through ruzstd, in pure Rust. ruzstd leaves the frame's content
//! checksum to its caller: this crate compares it (the low 32 bits of XXH64) once the stream is
//! read to its end, and a mismatch is [`Error::Corrupt`]. ruzstd takes 1.5× (a tiny kernel's
//! payload) to 2.6× (Debian's 53 MB vmlinux) the time of the `zstd` command-line tool. The
//! non-default feature `zstd-libzstd` decodes with the reference C libzstd instead (vendored
//! and built with `cc` through zstd-safe, so cross builds need the target's C compiler and libc
//! headers), in 0.4–0.85× the tool's time; libzstd verifies the checksum itself. It allocates
//! the declared window up front (128 MiB for the kernel's `zstd -22 --ultra`, of which only the
//! part the output reaches is touched) with C `malloc`, invisible to Rust's allocator, after
//! the same [`Limits::max_window`] check. Either way a window above the limit is refused from
//! the frame header, before any decoder state exists.
//!
//! # Trailing data
//!
//! The kernel's build appends the uncompressed size (4 bytes, little-endian) after every payload
//! but gzip's (where gzip's own `ISIZE` is it). Decoding stops at each format's end: gzip, zstd,
//! xz, lzma, bzip2 and lzop at their end markers (later bytes are not read as data; lzop's is a
//! block of uncompressed size 0); LZ4 frames at the end mark (the trailer is too short to start
//! another frame); legacy LZ4, which has no end marker, recognises a size field followed by end
//! of input as the trailer and checks it against the bytes produced. Pass
//! [`Limits::expected_size`] to have any format's output size checked exactly.
//!
//! # Limits of truncation detection
//!
//! A stream that ends before its end marker is [`Error::Truncated`]. Two formats have no end
//! marker to miss: legacy LZ4 cut exactly at a block boundary, and an LZ4 frame cut at a block
//! boundary (lz4_flex treats that as the end) read as complete streams; give
//! [`Limits::expected_size`] (the kernel's trailer) to catch those.

#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::as_conversions,
        clippy::panic
    )
)]

#[cfg(any(feature = "lz4", feature = "lzo"))]
mod block;
mod decoder;
mod detect;
mod error;
pub mod limits;
#[cfg(feature = "lz4")]
mod lz4_legacy;
#[cfg(feature = "lzo")]
mod lzo;

pub use decoder::{Decoder, Limits, auto_decoder, decoder};
pub use detect::{Compression, detect};
pub use error::{Error, Result};
