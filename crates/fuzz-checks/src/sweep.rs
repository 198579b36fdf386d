// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Truncation and header-mutation sweeps over whole kernel images.
//!
//! * **Cuts**: the image cut to `len` bytes either fails with guest memory untouched, or — when
//!   nothing past `len` is needed — loads exactly as the full image does: the same result and
//!   the same bytes in guest memory.
//! * **Mutations**: bytes of the header region are changed (seeded, reproducible) and each
//!   mutant is loaded with the same invariants the fuzz targets check.

use std::io::Cursor;
use std::ops::Range;

use loader_core::{KernelLoader, Segment};

use crate::harness::Harness;
use crate::prng::SplitMix64;

/// One kernel format as the sweeps drive it.
#[derive(Clone, Copy, Debug)]
pub struct Format {
    /// For messages.
    pub name: &'static str,
    /// Loads the image (no offset, no highmem) and renders the result, or the error.
    pub load: fn(&Harness, &[u8]) -> Result<String, String>,
    /// The segments the pure functions plan for the image (no offset, no highmem).
    pub segments: fn(&[u8]) -> Option<Vec<Segment>>,
    /// The fuzz invariant for one load (`kernel_offset`, `highmem_start_address`).
    pub check: fn(&Harness, &[u8], Option<u64>, Option<u64>) -> bool,
}

/// x86 ELF vmlinux.
pub const ELF: Format = Format {
    name: "ELF",
    load: |h, data| {
        kernel_elf::Elf::load_detailed(h.mem(), None, &mut Cursor::new(data), None)
            .map(|l| format!("{l:?}"))
            .map_err(|e| e.to_string())
    },
    segments: |data| crate::elf::pure_plan(data, None, None).map(|p| p.plan.segments().to_vec()),
    check: crate::elf::check_elf_in,
};

/// x86 bzImage.
pub const BZIMAGE: Format = Format {
    name: "bzImage",
    load: |h, data| {
        kernel_bzimage::BzImage::load_detailed(h.mem(), None, &mut Cursor::new(data), None)
            .map(|l| format!("{l:?}"))
            .map_err(|e| e.to_string())
    },
    segments: |data| {
        crate::bzimage::pure_plan(data, None, None).map(|p| p.plan.segments().to_vec())
    },
    check: crate::bzimage::check_bzimage_in,
};

/// arm64 / riscv64 `Image`.
pub const IMAGE: Format = Format {
    name: "Image",
    load: |h, data| {
        kernel_pe::PE::load(h.mem(), None, &mut Cursor::new(data), None)
            .map(|l| format!("{l:?}"))
            .map_err(|e| e.to_string())
    },
    segments: |data| crate::image::pure_plan(data, None, None).map(|p| p.plan.segments().to_vec()),
    check: crate::image::check_pe_image_in,
};

/// What a sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Inputs tried.
    pub runs: usize,
    /// Inputs that loaded.
    pub ok: usize,
    /// Inputs rejected (memory untouched).
    pub err: usize,
}

/// Guest memory regions for `data`: the full image's segments' span, rounded out to 2 MiB with
/// 2 MiB to spare on each side (so mutated addresses can land just inside or outside).
pub fn regions_for(fmt: &Format, data: &[u8]) -> Vec<(u64, usize)> {
    let segs = (fmt.segments)(data)
        .unwrap_or_else(|| panic!("{}: the full image does not plan", fmt.name));
    let span = segs
        .iter()
        .fold(segs[0].guest_range(), |acc, s| acc.hull(&s.guest_range()));
    const MIB2: u64 = 0x20_0000;
    let start = (span.start.0 & !(MIB2 - 1)).saturating_sub(MIB2);
    let end = span.end_or_max().div_ceil(MIB2) * MIB2 + MIB2;
    vec![(start, (end - start) as usize)]
}

/// Cut points: every offset below `header_end`, each segment's file start and end ±1, and
/// `random` seeded offsets in the file.
pub fn cut_points(
    fmt: &Format,
    data: &[u8],
    header_end: usize,
    random: usize,
    seed: u64,
) -> Vec<usize> {
    let len = data.len();
    let mut cuts: Vec<usize> = (0..header_end.min(len)).collect();
    for s in (fmt.segments)(data).unwrap_or_default() {
        for edge in [s.file_offset, s.file_offset + s.file_len] {
            for c in [edge.saturating_sub(1), edge, edge + 1] {
                cuts.push(c as usize);
            }
        }
    }
    let mut rng = SplitMix64::new(seed);
    for _ in 0..random {
        cuts.push(rng.below(len as u64) as usize);
    }
    cuts.push(len);
    cuts.retain(|&c| c <= len);
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// Loads `data[..cut]` for each cut and checks the cut invariant against the full image.
pub fn cut_sweep(h: &Harness, fmt: &Format, data: &[u8], cuts: &[usize]) -> Report {
    h.restore();
    let full = (fmt.load)(h, data)
        .unwrap_or_else(|e| panic!("{}: the full image does not load: {e}", fmt.name));
    let segments = (fmt.segments)(data).expect("planned");
    h.assert_segments_written(data, &segments, &format_args!("{} full image", fmt.name));
    h.restore();
    let mut report = Report::default();
    for &cut in cuts {
        report.runs += 1;
        let ctx = format!("{} cut at {cut:#x} of {:#x}", fmt.name, data.len());
        match (fmt.load)(h, &data[..cut]) {
            Err(e) => {
                report.err += 1;
                h.assert_untouched(&format_args!("{ctx}: {e}"));
            }
            Ok(result) => {
                report.ok += 1;
                assert_eq!(result, full, "{ctx}: loads, but not as the full image does");
                h.assert_segments_written(&data[..cut], &segments, &ctx);
                h.restore();
            }
        }
    }
    report
}

/// Applies `count` seeded mutations to bytes in `region` of `data` (restored after each) and
/// checks each mutant with the format's fuzz invariant.
pub fn mutation_sweep(
    h: &Harness,
    fmt: &Format,
    data: &mut [u8],
    region: Range<usize>,
    count: usize,
    seed: u64,
) -> Report {
    let mut rng = SplitMix64::new(seed);
    let file_len = data.len() as u64;
    let mut report = Report::default();
    let region = region.start..region.end.min(data.len());
    for _ in 0..count {
        let at = region.start + rng.below((region.end - region.start) as u64) as usize;
        // Aligned fields matter most: widen the write to the natural width at this offset.
        let width = match rng.below(4) {
            0 => 1,
            1 => 2,
            2 => 4,
            _ => 8,
        }
        .min(data.len() - at);
        let value: u64 = match rng.below(8) {
            0 => 0,
            1 => u64::MAX,
            2 => file_len,
            3 => file_len + 1,
            4 => rng.below(0x1000),
            5 => 1 << rng.below(64),
            6 => {
                let old = le(&data[at..at + width]);
                old ^ (1 << rng.below(width as u64 * 8))
            }
            _ => rng.next_u64(),
        };
        let saved: Vec<u8> = data[at..at + width].to_vec();
        data[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
        report.runs += 1;
        if (fmt.check)(h, data, None, None) {
            report.ok += 1;
        } else {
            report.err += 1;
        }
        h.restore();
        data[at..at + width].copy_from_slice(&saved);
    }
    h.restore();
    report
}

fn le(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0, |acc, &b| acc << 8 | u64::from(b))
}
