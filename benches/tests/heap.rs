// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Peak heap during a load, counted by the crate's allocator: under 64 KiB for every plain
//! format, and not growing with the kernel (a committed fixture of a few KiB against Debian's
//! kernels of 14 to 53 MB).
//!
//! Debian's kernels come through `test_kernels::require`: skipped loudly locally, a failure under
//! `CI=true`. The tiny built kernels are measured when the cache has them.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use benches::heap;
use benches::kernels::{Case, Format, built_artifacts};
use benches::load::Prepared;
use test_kernels::Kernel;

/// The goal for a plain (uncompressed) load.
const MAX_PEAK: usize = 64 * 1024;

/// What a bigger kernel may add to the peak: a few more program headers and segments, a longer
/// version string — never anything proportional to the image.
const SIZE_INDEPENDENT_SLACK: usize = 1024;

/// Every bounded header read of our loaders fits in this many bytes (bzImage setup code
/// 33 KiB, Image header 4 KiB, ELF header and program headers far less).
const HEADER_READS: usize = 64 * 1024;

/// A committed fixture padded with zeros to [`HEADER_READS`] bytes, so its header buffers are
/// as large as a real kernel's (a shorter file shrinks them) and only the kernel's size differs.
/// Trailing bytes are outside every plan of these fixtures, except that an `Image` covers its
/// whole file.
fn padded_fixture(rel: &str) -> PathBuf {
    let mut bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures")
            .join(rel),
    )
    .unwrap();
    bytes.resize(bytes.len().max(HEADER_READS), 0);
    let dir = std::env::temp_dir().join(format!("benches-heap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(rel.replace('/', "-"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Loads `path` once, returns the peak heap of our load.
fn peak_of(name: &str, path: PathBuf, format: Format) -> usize {
    let size = std::fs::metadata(&path).unwrap().len();
    let case = Case {
        name: name.to_owned(),
        path,
        kind: format,
        size,
    };
    let mut kernel = Prepared::new(case).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (result, peak) = heap::measure(|| kernel.ours());
    result.unwrap_or_else(|e| panic!("{name}: our load failed: {e}"));
    eprintln!("peak heap: {name:<32} {size:>10} bytes file  {peak:>6} bytes heap");
    assert!(
        peak < MAX_PEAK,
        "{name}: peak heap {peak} bytes during the load, goal < {MAX_PEAK}"
    );
    peak
}

/// The (padded) fixture's peak, then every real kernel of the same format: each under the goal and at
/// most the fixture's peak plus a size-independent slack.
fn check_format(format: Format, fixture_rel: &str, debian: Kernel, built_kind: &str) {
    let padded = padded_fixture(fixture_rel);
    let small = peak_of(fixture_rel, padded.clone(), format);
    let _ = std::fs::remove_file(padded);
    let mut kernels: Vec<(String, PathBuf)> = Vec::new();
    if let Some(path) = test_kernels::require(debian) {
        kernels.push((format!("{debian:?}"), path));
    }
    let built: Vec<_> = built_artifacts()
        .into_iter()
        .filter(|(a, _)| a.kind == built_kind)
        .map(|(a, p)| (a.name, p))
        .collect();
    if built.is_empty() {
        eprintln!(
            "SKIPPED (peak heap): no built {built_kind} kernel; run `cargo xtask fixtures build`"
        );
    }
    kernels.extend(built);
    for (name, path) in kernels {
        let peak = peak_of(&name, path, format);
        assert!(
            peak <= small + SIZE_INDEPENDENT_SLACK,
            "{name}: peak heap {peak} bytes grows with the kernel: {fixture_rel} needs {small}"
        );
    }
}

#[test]
fn elf_peak_heap_is_small_and_size_independent() {
    check_format(
        Format::Elf,
        "elf/x86_64-pvh.elf",
        Kernel::DebianAmd64Vmlinux,
        "vmlinux",
    );
}

#[test]
fn bzimage_peak_heap_is_small_and_size_independent() {
    check_format(
        Format::BzImage,
        "bzimage/minimal-64.bzImage",
        Kernel::DebianAmd64Bzimage,
        "bzImage",
    );
}

#[test]
fn image_peak_heap_is_small_and_size_independent() {
    check_format(
        Format::Image,
        "pe/arm64.Image",
        Kernel::DebianArm64Image,
        "image",
    );
}

#[test]
fn measure_counts_what_is_live_at_once() {
    // Memory this thread frees but did not allocate (the harness's) must not hide the peak.
    let foreign = std::thread::spawn(|| vec![0u8; 50_000]).join().unwrap();
    drop(foreign);
    let ((), peak) = heap::measure(|| {
        let a: Vec<u8> = Vec::with_capacity(black_box(10_000));
        black_box(&a);
        drop(a);
        let b: Vec<u8> = Vec::with_capacity(black_box(3_000));
        black_box(&b);
        drop(b);
    });
    assert_eq!(peak, 10_000);
}
