// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Pattern-filled guest memory with dirty-page tracking.
//!
//! Every byte starts as [`pattern`]`(addr)`, a non-zero, position-dependent value, so a
//! misplaced write, a skipped zero fill and a write of the wrong bytes all show. vm-memory marks
//! each page written through its API in an [`AtomicBitmap`]; the crates under test have no
//! `unsafe`, so that API is the only way they can write, and a clean bitmap proves a rejected
//! load wrote nothing — in microseconds, even for the 128 MiB the real-kernel sweeps need.
//! [`Harness::restore`] puts the pattern back on the dirty pages only.

use std::cell::RefCell;

use loader_core::{GuestRange, Segment};
use vm_memory::bitmap::AtomicBitmap;
use vm_memory::{Bytes, GuestAddress, GuestMemoryBackend, GuestMemoryMmap, GuestMemoryRegion};

/// Guest memory with a dirty bitmap.
pub type Mem = GuestMemoryMmap<AtomicBitmap>;

/// Period of the fill pattern: a prime, so the pattern never lines up with pages or segments.
const BLOCK_LEN: usize = 4099;

const fn make_block() -> [u8; BLOCK_LEN] {
    let mut b = [0u8; BLOCK_LEN];
    let mut i = 0;
    while i < BLOCK_LEN {
        // 1..=255: never 0, so zero fill is always visible.
        b[i] = ((i * 167 + (i >> 7) * 13 + 0x5b) % 255 + 1) as u8;
        i += 1;
    }
    b
}

static BLOCK: [u8; BLOCK_LEN] = make_block();

/// Bytes of pattern one vm-memory call writes or compares (plus one period, so any start
/// offset has a full window).
const WINDOW: usize = 1 << 20;

/// [`BLOCK`] repeated over `WINDOW + BLOCK_LEN` bytes: `&tiled()[addr % BLOCK_LEN..][..n]` is the
/// pattern of `n <= WINDOW` bytes at `addr`.
fn tiled() -> &'static [u8] {
    static TILED: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TILED.get_or_init(|| {
        BLOCK
            .iter()
            .copied()
            .cycle()
            .take(WINDOW + BLOCK_LEN)
            .collect()
    })
}

/// The pattern of `n <= WINDOW` bytes starting at `addr`.
fn pattern_at(addr: u64, n: usize) -> &'static [u8] {
    let off = (addr % BLOCK_LEN as u64) as usize;
    &tiled()[off..off + n]
}

/// The byte every address holds before a load.
pub fn pattern(addr: u64) -> u8 {
    BLOCK[(addr % BLOCK_LEN as u64) as usize]
}

/// The regions of the small harness the fuzz targets share: 3 MiB from 0, a 512 KiB hole, then
/// 512 KiB more (3.5 MiB mapped). The synthetic fixtures load at 1 MiB (bzImage), 2 MiB (ELF)
/// and 0 / 2 MiB (arm64 / riscv64 Image), so seeds load; offsets push segments into the hole.
pub const SMALL_REGIONS: &[(u64, usize)] = &[(0, 0x30_0000), (0x38_0000, 0x8_0000)];

/// Start of the hole in [`SMALL_REGIONS`].
pub const SMALL_HOLE: GuestRange = GuestRange {
    start: GuestAddress(0x30_0000),
    len: 0x8_0000,
};

thread_local! {
    static SMALL: RefCell<Option<Harness>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread's [`SMALL_REGIONS`] harness, created on first use and restored to
/// the pattern before each call.
pub fn with_small<R>(f: impl FnOnce(&Harness) -> R) -> R {
    SMALL.with(|cell| {
        let mut slot = cell.borrow_mut();
        let h = slot.get_or_insert_with(|| Harness::new(SMALL_REGIONS));
        h.restore();
        f(h)
    })
}

/// Guest memory to load into, pattern-filled, plus the checks on what a load wrote.
#[derive(Debug)]
pub struct Harness {
    mem: Mem,
}

impl Harness {
    /// Maps `regions` (`(start, len)`) and fills them with the pattern.
    pub fn new(regions: &[(u64, usize)]) -> Self {
        let ranges: Vec<(GuestAddress, usize)> = regions
            .iter()
            .map(|&(start, len)| (GuestAddress(start), len))
            .collect();
        let mem = Mem::from_ranges(&ranges).expect("map harness memory");
        let h = Self { mem };
        for &(start, len) in regions {
            h.fill(GuestRange::new(GuestAddress(start), len as u64));
        }
        h.take_dirty();
        h
    }

    /// The guest memory.
    pub fn mem(&self) -> &Mem {
        &self.mem
    }

    /// The mapped regions as ranges.
    pub fn regions(&self) -> Vec<GuestRange> {
        self.mem
            .iter()
            .map(|r| GuestRange::new(r.start_addr(), r.len()))
            .collect()
    }

    fn fill(&self, range: GuestRange) {
        let mut pos = range.start.0;
        let end = range.end_or_max();
        while pos < end {
            let n = (WINDOW as u64).min(end - pos) as usize;
            self.mem
                .write_slice(pattern_at(pos, n), GuestAddress(pos))
                .expect("fill harness memory");
            pos += n as u64;
        }
    }

    /// The pages written since the last call (coalesced, clipped to their regions), and clears
    /// the bitmap.
    pub fn take_dirty(&self) -> Vec<GuestRange> {
        let mut out: Vec<GuestRange> = Vec::new();
        for region in self.mem.iter() {
            let bitmap: &AtomicBitmap = vm_memory::MmapRegion::bitmap(region);
            let words = bitmap.get_and_reset();
            let page = (bitmap.byte_size() as u64).div_ceil(bitmap.len().max(1) as u64);
            let page = page.max(1).next_power_of_two();
            for (w, word) in words.iter().enumerate() {
                if *word == 0 {
                    continue;
                }
                for bit in 0..64u64 {
                    if word & (1 << bit) == 0 {
                        continue;
                    }
                    let index = w as u64 * 64 + bit;
                    let start = region.start_addr().0 + index * page;
                    let len = page.min(region.len().saturating_sub(index * page));
                    if len == 0 {
                        continue;
                    }
                    match out.last_mut() {
                        Some(last) if last.end_or_max() == start => last.len += len,
                        _ => out.push(GuestRange::new(GuestAddress(start), len)),
                    }
                }
            }
        }
        out
    }

    /// Puts the pattern back on every dirty page and clears the bitmap.
    pub fn restore(&self) {
        let dirty = self.take_dirty();
        for r in &dirty {
            self.fill(*r);
        }
        self.take_dirty();
    }

    /// Reads `len` bytes at `addr`.
    pub fn read(&self, addr: GuestAddress, len: u64) -> Vec<u8> {
        let mut buf = vec![0u8; len as usize];
        self.mem
            .read_slice(&mut buf, addr)
            .expect("read harness memory");
        buf
    }

    /// The bytes of `range` that differ from the pattern, as coalesced ranges.
    pub fn changed_in(&self, range: GuestRange) -> Vec<GuestRange> {
        let mut out: Vec<GuestRange> = Vec::new();
        let mut pos = range.start.0;
        let end = range.end_or_max();
        let mut buf = vec![0u8; (WINDOW as u64).min(range.len) as usize];
        while pos < end {
            let n = (WINDOW as u64).min(end - pos) as usize;
            self.mem
                .read_slice(&mut buf[..n], GuestAddress(pos))
                .expect("read harness memory");
            let want = pattern_at(pos, n);
            if buf[..n] != *want {
                for (i, (got, want)) in buf[..n].iter().zip(want).enumerate() {
                    if got != want {
                        let a = pos + i as u64;
                        match out.last_mut() {
                            Some(last) if last.end_or_max() == a => last.len += 1,
                            _ => out.push(GuestRange::new(GuestAddress(a), 1)),
                        }
                    }
                }
            }
            pos += n as u64;
        }
        out
    }

    /// Panics unless no page was written since the last restore. Clears the bitmap.
    pub fn assert_untouched(&self, ctx: &dyn std::fmt::Debug) {
        let dirty = self.take_dirty();
        if !dirty.is_empty() {
            let changed: Vec<GuestRange> = dirty.iter().flat_map(|r| self.changed_in(*r)).collect();
            panic!(
                "guest memory written on a rejected load: dirty pages {dirty:x?}, changed bytes \
                 {changed:x?}; {ctx:?}"
            );
        }
    }

    /// Panics unless the whole memory holds the pattern (slow on large memories; the dirty
    /// bitmap is the fast check).
    pub fn assert_pristine(&self, ctx: &dyn std::fmt::Debug) {
        for r in self.regions() {
            let changed = self.changed_in(r);
            assert!(
                changed.is_empty(),
                "guest memory differs from the pattern at {changed:x?}; {ctx:?}"
            );
        }
    }

    /// Panics unless every written page touches `allowed` and every changed byte lies inside
    /// `allowed`. Returns the dirty pages (the bitmap is cleared).
    pub fn assert_written_within(
        &self,
        allowed: &[GuestRange],
        ctx: &dyn std::fmt::Debug,
    ) -> Vec<GuestRange> {
        let dirty = self.take_dirty();
        for page in &dirty {
            assert!(
                allowed.iter().any(|a| a.overlaps(page)),
                "load wrote page range {page:x?} outside what it reported {allowed:x?}; {ctx:?}"
            );
            // Only the parts of the page outside every allowed range must still hold the pattern.
            for piece in uncovered(page, allowed) {
                let changed = self.changed_in(piece);
                assert!(
                    changed.is_empty(),
                    "load changed {changed:x?} outside what it reported {allowed:x?}; {ctx:?}"
                );
            }
        }
        // The caller still owns these pages: mark them dirty again so restore() refills them.
        for r in &dirty {
            mark_dirty(&self.mem, *r);
        }
        dirty
    }

    /// Panics unless `plan`'s segments were written exactly: each segment's file bytes from
    /// `data`, then zeroes to its memory length; and nothing changed outside them.
    pub fn assert_segments_written(
        &self,
        data: &[u8],
        segments: &[Segment],
        ctx: &dyn std::fmt::Debug,
    ) {
        let ranges: Vec<GuestRange> = segments.iter().map(|s| s.guest_range()).collect();
        for (i, s) in segments.iter().enumerate() {
            let file_end = s.file_offset.checked_add(s.file_len).expect("file range");
            assert!(
                file_end <= data.len() as u64,
                "segment {i} {s:x?} reads past the file ({:#x} bytes); {ctx:?}",
                data.len()
            );
            assert!(
                loader_core::fits_in_memory(&self.mem, s.guest_range()),
                "segment {i} {s:x?} is outside guest memory; {ctx:?}"
            );
            let got = self.read(s.guest_addr, s.mem_len);
            let (file_part, zero_part) = got.split_at(s.file_len as usize);
            assert!(
                file_part == &data[s.file_offset as usize..file_end as usize],
                "segment {i} {s:x?}: guest bytes differ from the file; {ctx:?}"
            );
            assert!(
                zero_part == vec![0u8; zero_part.len()].as_slice(),
                "segment {i} {s:x?}: zero fill not zeroed; {ctx:?}"
            );
        }
        self.assert_written_within(&ranges, ctx);
    }
}

/// Re-marks `range` dirty (vm-memory marks on write; reading does not).
fn mark_dirty(mem: &Mem, range: GuestRange) {
    for region in mem.iter() {
        let rr = GuestRange::new(region.start_addr(), region.len());
        if !rr.overlaps(&range) {
            continue;
        }
        let start = range.start.0.max(rr.start.0);
        let end = range.end_or_max().min(rr.end_or_max());
        let bitmap: &AtomicBitmap = vm_memory::MmapRegion::bitmap(region);
        bitmap.set_addr_range((start - rr.start.0) as usize, (end - start) as usize);
    }
}

/// The parts of `r` outside every range of `allowed`.
pub fn uncovered(r: &GuestRange, allowed: &[GuestRange]) -> Vec<GuestRange> {
    let mut pieces = vec![(r.start.0, r.end_or_max())];
    for a in allowed.iter().filter(|a| !a.is_empty()) {
        let (a0, a1) = (a.start.0, a.end_or_max());
        pieces = pieces
            .into_iter()
            .flat_map(|(p0, p1)| {
                if a1 <= p0 || p1 <= a0 {
                    vec![(p0, p1)]
                } else {
                    let mut v = Vec::new();
                    if p0 < a0 {
                        v.push((p0, a0));
                    }
                    if a1 < p1 {
                        v.push((a1, p1));
                    }
                    v
                }
            })
            .collect();
    }
    pieces
        .into_iter()
        .map(|(p0, p1)| GuestRange::new(GuestAddress(p0), p1 - p0))
        .collect()
}
