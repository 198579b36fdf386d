// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Truncation and header-mutation sweeps over whole kernels: the Debian cloud kernels from the
//! kernel cache (tier 2: loudly SKIPPED locally when missing, a failure under `CI=true`) and the
//! committed synthetic fixtures (always).
//!
//! * Cuts: every offset in the first 4 KiB (header, program headers or setup header, EFI stub
//!   headers), each segment's file start and end ±1, and 64 seeded random offsets. Each cut image
//!   either fails with guest memory untouched (no dirty page), or — when nothing past the cut is
//!   needed — loads exactly as the full image does: same result, same bytes.
//! * Mutations: 1,000 seeded writes of 1, 2, 4 or 8 bytes (edge values, bit flips, random) into
//!   the header region, each mutant checked with the fuzz targets' invariants (Ok: exactly the
//!   planned bytes inside guest memory and the file; Err: memory untouched).
//!
//! Runtime (debug build, this machine): printed per kernel; the whole file stays under a minute.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use std::time::Instant;

use fuzz_checks::harness::Harness;
use fuzz_checks::sweep::{self, Format, Report};
use test_kernels::Kernel;

/// Every offset below this is a cut point.
const HEADER_REGION: usize = 4096;
/// Seeded random cut points per image.
const RANDOM_CUTS: usize = 64;
/// Seeded header mutations per format, on the synthetic fixtures (each a few KiB, so a mutant
/// that loads costs microseconds).
const MUTATIONS: usize = 1000;
/// Seeded header mutations per real kernel. About half the mutants load, and each such load
/// copies, checks and restores tens of MiB (~50 ms in a debug build), so 1,000 per kernel would
/// take a minute and a half; 250 keep the whole file under half a minute.
const REAL_MUTATIONS: usize = 250;
const SEED: u64 = 0x6c69_6e75_785f_6c64; // "linux_ld"

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Runs both sweeps on one image and prints what they did.
fn sweep(
    name: &str,
    fmt: &Format,
    mut data: Vec<u8>,
    mutate: std::ops::Range<usize>,
    mutations: usize,
) -> (Report, Report) {
    let started = Instant::now();
    let h = Harness::new(&sweep::regions_for(fmt, &data));
    let cuts = sweep::cut_points(fmt, &data, HEADER_REGION, RANDOM_CUTS, SEED);
    let cut = sweep::cut_sweep(&h, fmt, &data, &cuts);
    let cut_time = started.elapsed();
    let mutated = sweep::mutation_sweep(&h, fmt, &mut data, mutate, mutations, SEED);
    h.assert_pristine(&name);
    eprintln!(
        "{name}: {} cuts ({} ok, {} rejected) in {:.1?}; {} mutations ({} ok, {} rejected) in {:.1?}",
        cut.runs,
        cut.ok,
        cut.err,
        cut_time,
        mutated.runs,
        mutated.ok,
        mutated.err,
        started.elapsed() - cut_time
    );
    assert!(cut.ok >= 1, "{name}: the uncut image must load");
    assert!(cut.err >= 1, "{name}: some cut must be rejected");
    (cut, mutated)
}

/// The program-header table's end: the header region worth mutating in an ELF.
fn elf_header_end(data: &[u8]) -> usize {
    let h = kernel_elf::parse_ehdr(&data[..64]).unwrap();
    (h.phoff + h.phdrs_size()) as usize
}

#[test]
fn sweep_debian_vmlinux() {
    let Some(path) = test_kernels::require(Kernel::DebianAmd64Vmlinux) else {
        return;
    };
    let data = std::fs::read(path).unwrap();
    let end = elf_header_end(&data);
    sweep("Debian vmlinux", &sweep::ELF, data, 0..end, REAL_MUTATIONS);
}

#[test]
fn sweep_debian_bzimage() {
    let Some(path) = test_kernels::require(Kernel::DebianAmd64Bzimage) else {
        return;
    };
    let data = std::fs::read(path).unwrap();
    // The setup header: 0x1f1 up to the end of the 2.15 header.
    sweep(
        "Debian bzImage",
        &sweep::BZIMAGE,
        data,
        0x1f1..0x270,
        REAL_MUTATIONS,
    );
}

#[test]
fn sweep_debian_arm64_image() {
    let Some(path) = test_kernels::require(Kernel::DebianArm64Image) else {
        return;
    };
    let data = std::fs::read(path).unwrap();
    // The Image header, the DOS stub and the PE/COFF headers with the section table.
    sweep(
        "Debian arm64 Image",
        &sweep::IMAGE,
        data,
        0..0x200,
        REAL_MUTATIONS,
    );
}

/// An `Image`: the cut sweep when it has an EFI stub (whose PE headers give the file's length),
/// the mutations only otherwise (see `mutate_stubless_images`).
fn sweep_image(name: &str, data: Vec<u8>, mutations: usize) {
    let info = kernel_pe::parse_image_header(&data[..data.len().min(4096)]).unwrap();
    if info.efi_stub.is_some() {
        sweep(name, &sweep::IMAGE, data, 0..0x200, mutations);
        return;
    }
    let mut data = data;
    let h = Harness::new(&sweep::regions_for(&sweep::IMAGE, &data));
    let r = sweep::mutation_sweep(&h, &sweep::IMAGE, &mut data, 0..0x40, mutations, SEED);
    h.assert_pristine(&name);
    eprintln!(
        "{name} (no EFI stub: mutations only): {} mutations ({} ok, {} rejected)",
        r.runs, r.ok, r.err
    );
}

/// The tiny kernels `cargo xtask fixtures build` makes: small, so they get the full 1,000
/// mutations (the 12 MiB unstripped vmlinux gets the real-kernel count).
#[test]
fn sweep_built_kernels() {
    let read = |k: Kernel| test_kernels::require(k).map(|p| std::fs::read(p).unwrap());
    if let Some(data) = read(Kernel::BuiltX86_64Vmlinux) {
        let end = elf_header_end(&data);
        sweep(
            "built x86_64 vmlinux",
            &sweep::ELF,
            data,
            0..end,
            REAL_MUTATIONS,
        );
    }
    for (k, name) in [
        (Kernel::BuiltX86_64BzImageGzip, "built bzImage (gzip)"),
        (Kernel::BuiltX86_64BzImageXz, "built bzImage (xz)"),
        (Kernel::BuiltX86_64BzImageZstd, "built bzImage (zstd)"),
    ] {
        if let Some(data) = read(k) {
            sweep(name, &sweep::BZIMAGE, data, 0x1f1..0x270, MUTATIONS);
        }
    }
    if let Some(data) = read(Kernel::BuiltArm64Image) {
        sweep_image("built arm64 Image", data, MUTATIONS);
    }
    if let Some(data) = read(Kernel::BuiltRiscv64Image) {
        sweep_image("built riscv64 Image", data, MUTATIONS);
    }
}

#[test]
fn sweep_synthetic_fixtures() {
    let elf = fixture("elf/x86_64-pvh.elf");
    let end = elf_header_end(&elf);
    sweep("x86_64-pvh.elf", &sweep::ELF, elf, 0..end, MUTATIONS);
    let elf32 = fixture("elf/i386.elf");
    sweep("i386.elf", &sweep::ELF, elf32, 0..0x34 + 0x20, MUTATIONS);
    let bz = fixture("bzimage/minimal-64.bzImage");
    sweep(
        "minimal-64.bzImage",
        &sweep::BZIMAGE,
        bz,
        0x1f1..0x270,
        MUTATIONS,
    );
    let bz32 = fixture("bzimage/minimal-32.bzImage");
    sweep(
        "minimal-32.bzImage",
        &sweep::BZIMAGE,
        bz32,
        0x1f1..0x270,
        MUTATIONS,
    );
    sweep(
        "arm64.Image",
        &sweep::IMAGE,
        fixture("pe/arm64.Image"),
        0..0x200,
        MUTATIONS,
    );
}

/// An `Image` without an EFI stub (riscv64 here, or a stub-less arm64 one) says nothing about
/// its file size — `image_size` covers the BSS too — so a cut one cannot be told from a short
/// one and the cut sweep does not apply. The mutations do.
#[test]
fn mutate_stubless_images() {
    for (name, path) in [
        ("riscv64.Image", "pe/riscv64.Image"),
        ("arm64-nostub.Image", "pe/arm64-nostub.Image"),
    ] {
        let mut data = fixture(path);
        let h = Harness::new(&sweep::regions_for(&sweep::IMAGE, &data));
        let r = sweep::mutation_sweep(&h, &sweep::IMAGE, &mut data, 0..0x40, MUTATIONS, SEED);
        h.assert_pristine(&name);
        eprintln!(
            "{name}: {} mutations ({} ok, {} rejected)",
            r.runs, r.ok, r.err
        );
        assert!(r.ok >= 1 && r.err >= 1, "{name}: {r:?}");
    }
}
