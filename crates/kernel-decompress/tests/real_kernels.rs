// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Real data: the payloads of Debian's and the built bzImages, the built EFI zboot image, and a
//! built kernel recompressed by the Debian command-line tools.
//!
//! Kernels come from the cache (`cargo xtask fixtures fetch` / `build`): missing ones are
//! SKIPPED loudly locally and fail under `CI=true`. CLI tools likewise: a missing tool is a loud
//! skip locally and a failure under CI (install: gzip zstd lz4 xz-utils bzip2 lzop).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use std::io::Read;
use std::time::Instant;

use kernel_decompress::{Compression, Limits, decoder, detect};
use test_kernels::{Kernel, require};

/// The payload of a bzImage (protocol 2.08+) and its trailer.
fn bzimage_payload(image: &[u8]) -> (&[u8], u32) {
    let setup_sects = match image[0x1f1] {
        0 => 4,
        n => usize::from(n),
    };
    let offset = u32::from_le_bytes(image[0x248..0x24c].try_into().unwrap()) as usize;
    let len = u32::from_le_bytes(image[0x24c..0x250].try_into().unwrap()) as usize;
    let start = (setup_sects + 1) * 512 + offset;
    let payload = &image[start..start + len];
    let trailer = u32::from_le_bytes(payload[len - 4..].try_into().unwrap());
    (payload, trailer)
}

/// Decompresses everything, comparing with `expected` when given; returns the length.
fn decode_all(c: Compression, input: &[u8], expected: Option<&[u8]>, what: &str) -> u64 {
    let start = Instant::now();
    let mut d = decoder(c, input, Limits::default()).unwrap();
    let mut out = Vec::new();
    d.read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    eprintln!(
        "{what}: {c} {} -> {} bytes in {:?} (debug build)",
        input.len(),
        out.len(),
        start.elapsed()
    );
    if let Some(expected) = expected {
        assert!(out == expected, "{what}: output differs from the reference");
    }
    out.len() as u64
}

#[test]
fn debian_amd64_bzimage_lz4_payload_is_debians_vmlinux() {
    let (Some(bz), Some(vmlinux)) = (
        require(Kernel::DebianAmd64Bzimage),
        require(Kernel::DebianAmd64Vmlinux),
    ) else {
        return;
    };
    let image = std::fs::read(bz).unwrap();
    let reference = std::fs::read(vmlinux).unwrap();
    let (payload, trailer) = bzimage_payload(&image);
    assert_eq!(detect(payload), Some(Compression::Lz4Legacy));
    let n = decode_all(
        Compression::Lz4Legacy,
        payload,
        Some(&reference),
        "Debian amd64 bzImage",
    );
    assert_eq!(n, u64::from(trailer));
}

#[test]
fn built_bzimage_payloads() {
    for (kernel, c) in [
        (Kernel::BuiltX86_64BzImageGzip, Compression::Gzip),
        (Kernel::BuiltX86_64BzImageXz, Compression::Xz),
        (Kernel::BuiltX86_64BzImageZstd, Compression::Zstd),
    ] {
        let Some(path) = require(kernel) else {
            continue;
        };
        let image = std::fs::read(path).unwrap();
        let (payload, trailer) = bzimage_payload(&image);
        assert_eq!(detect(payload), Some(c), "{kernel:?}");
        let mut d = decoder(
            c,
            payload,
            Limits::new().with_expected_size(Some(u64::from(trailer))),
        )
        .unwrap();
        let mut out = Vec::new();
        d.read_to_end(&mut out).unwrap();
        assert_eq!(out.len() as u64, u64::from(trailer), "{kernel:?}");
        assert_eq!(&out[..4], b"\x7fELF", "{kernel:?}");
    }
}

#[test]
fn built_arm64_zboot_payload_is_an_arm64_image() {
    // The zboot kernel is built with its own configuration (config-zboot), so its Image is not
    // byte-identical to the plain built Image; check that it is an arm64 Image of the size the
    // gzip trailer (ISIZE) states.
    let Some(zboot) = require(Kernel::BuiltArm64Zboot) else {
        return;
    };
    let zboot = std::fs::read(zboot).unwrap();
    assert_eq!(&zboot[4..8], b"zimg");
    let offset = u32::from_le_bytes(zboot[8..12].try_into().unwrap()) as usize;
    let size = u32::from_le_bytes(zboot[12..16].try_into().unwrap()) as usize;
    let name = &zboot[0x18..0x20];
    let name = &name[..name.iter().position(|&b| b == 0).unwrap()];
    let c = Compression::from_zboot_name(name).unwrap();
    let payload = &zboot[offset..offset + size];
    let isize = u32::from_le_bytes(payload[size - 4..].try_into().unwrap());
    let mut out = Vec::new();
    decoder(
        c,
        payload,
        Limits::new().with_expected_size(Some(u64::from(isize))),
    )
    .unwrap()
    .read_to_end(&mut out)
    .unwrap();
    assert_eq!(&out[0x38..0x3c], b"ARM\x64");
}

#[test]
fn built_arm64_image_recompressed_by_the_debian_tools() {
    let Some(path) = require(Kernel::BuiltArm64Image) else {
        return;
    };
    let image = std::fs::read(&path).unwrap();
    let cases: [(&str, &[&str], Compression); 8] = [
        ("gzip", &["-9", "-c"], Compression::Gzip),
        ("zstd", &["-19", "-c"], Compression::Zstd),
        ("lz4", &["-l", "-9", "-c"], Compression::Lz4Legacy),
        ("lz4", &["-9", "-c"], Compression::Lz4Frame),
        (
            "xz",
            &["--check=crc32", "--arm64", "--lzma2=preset=6", "-c"],
            Compression::Xz,
        ),
        ("lzma", &["-9", "-c"], Compression::Lzma),
        ("bzip2", &["-9", "-c"], Compression::Bzip2),
        ("lzop", &["-9", "-c"], Compression::Lzo),
    ];
    for (tool, args, c) in cases {
        let Some(mut compressed) = test_kernels::cli(tool, args, &std::fs::read(&path).unwrap())
        else {
            continue;
        };
        assert_eq!(detect(&compressed), Some(c), "{tool} {args:?}");
        decode_all(c, &compressed, Some(&image), &format!("{tool} {args:?}"));
        // With the kernel's size trailer appended, as its build does.
        compressed.extend_from_slice(&(image.len() as u32).to_le_bytes());
        decode_all(
            c,
            &compressed,
            Some(&image),
            &format!("{tool} {args:?} + trailer"),
        );
    }
}
