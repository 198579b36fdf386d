// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Initrd placement (pure) and loading (through loader-core's executor).
//!
//! [`place_initrd`] picks the highest page-aligned address where the initrd fits inside usable
//! RAM, below a limit (the kernel's `initrd_addr_max`, 4 GiB, or none) and outside every range to
//! avoid (the kernel's needed-free range, boot structures, VMM data). [`load_initrd`] streams the
//! bytes into guest memory as a one-segment [`LoadPlan`], so initrd bytes, like kernel bytes,
//! reach guest memory only through loader-core's executor and are checked before any is written.

use loader_core::{GuestRange, LoadPlan, PlanSummary, Segment, SegmentSource};
use vm_memory::{GuestAddress, GuestMemoryBackend};

use crate::e820::E820Table;
use crate::error::{Error, WriteError};
use crate::setup_data::align_down;

/// Alignment of a placed initrd.
pub const INITRD_ALIGN: u64 = 0x1000;

/// Lowest address the planner places an initrd at: the first megabyte holds the real-mode area,
/// the boot structures and the BIOS/EBDA ranges.
pub const INITRD_MIN_ADDR: u64 = 0x10_0000;

/// The highest [`INITRD_ALIGN`]-aligned range of `size` bytes inside usable RAM of `e820`, at or
/// above `min_addr`, ending at or below `max_end`, and overlapping none of `avoid`.
///
/// # Errors
///
/// [`Error::InitrdEmpty`] for `size == 0`; [`Error::InitrdDoesNotFit`] when no such range exists.
pub fn place_initrd(
    size: u64,
    e820: &E820Table,
    avoid: &[GuestRange],
    min_addr: u64,
    max_end: u64,
) -> Result<GuestRange, Error> {
    if size == 0 {
        return Err(Error::InitrdEmpty);
    }
    let not_found = Error::InitrdDoesNotFit {
        size,
        min: min_addr,
        max_end,
    };
    let mut ram: Vec<GuestRange> = e820.usable_ram().collect();
    ram.sort_by_key(|r| core::cmp::Reverse(r.start));
    for region in ram {
        let lo = region.start.0.max(min_addr);
        let mut hi = region.end_or_max().min(max_end);
        // Each pass either returns or lowers `hi` below the start of an avoided range, so it
        // runs at most `avoid.len() + 1` times.
        while let Some(top) = hi.checked_sub(size) {
            let start = align_down(top, INITRD_ALIGN);
            if start < lo {
                break;
            }
            let candidate = GuestRange::new(GuestAddress(start), size);
            let blocker = avoid
                .iter()
                .filter(|a| a.overlaps(&candidate))
                .map(|a| a.start.0)
                .min();
            match blocker {
                None => return Ok(candidate),
                Some(blocked_at) => hi = blocked_at,
            }
        }
    }
    Err(not_found)
}

/// Streams an initrd of `range.len` bytes from `source` into guest memory at `range.start`,
/// through a one-segment [`LoadPlan`].
///
/// Use [`loader_core::StreamSource`] for a plain `Read` and [`loader_core::SeekSource`] for a
/// file. The plan is checked (inside guest memory; for a seekable source, the source's exact
/// length) before any byte is written; a forward-only source that ends early fails with
/// [`WriteError::Initrd`] after writing part of `range`.
///
/// # Errors
///
/// [`Error::InitrdEmpty`] for an empty range, [`Error::InitrdSizeMismatch`] when the source's
/// known length differs from `range.len`, and loader-core's executor errors.
pub fn load_initrd<M: GuestMemoryBackend, S: SegmentSource>(
    mem: &M,
    range: GuestRange,
    source: &mut S,
) -> Result<PlanSummary, WriteError> {
    let plan = initrd_plan(range)?;
    if let Some(actual) = source.len_hint()? {
        if actual != range.len {
            return Err(Error::InitrdSizeMismatch {
                planned: range.len,
                actual,
            }
            .into());
        }
    }
    Ok(plan.execute(mem, source)?)
}

/// The one-segment plan that loads an initrd into `range`.
pub(crate) fn initrd_plan(range: GuestRange) -> Result<LoadPlan, WriteError> {
    if range.is_empty() {
        return Err(Error::InitrdEmpty.into());
    }
    let mut plan = LoadPlan::new();
    plan.push(Segment {
        file_offset: 0,
        file_len: range.len,
        guest_addr: range.start,
        mem_len: range.len,
    })?;
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::e820::MemoryMap;

    fn r(start: u64, len: u64) -> GuestRange {
        GuestRange::new(GuestAddress(start), len)
    }

    #[test]
    fn top_down_page_aligned_below_limit_and_around_obstacles() {
        let map = MemoryMap::new()
            .with_ram(GuestAddress(0), 0x8000_0000)
            .with_ram(GuestAddress(0x1_0000_0000), 0x4000_0000);
        let t = E820Table::build(&map).unwrap();
        // Below a 2 GiB limit: the top of low RAM.
        assert_eq!(
            place_initrd(0x1800, &t, &[], INITRD_MIN_ADDR, 0x8000_0000),
            Ok(r(0x7fff_e000, 0x1800))
        );
        // No limit: the top of high RAM.
        assert_eq!(
            place_initrd(0x1000, &t, &[], INITRD_MIN_ADDR, u64::MAX),
            Ok(r(0x1_3fff_f000, 0x1000))
        );
        // An obstacle at the top pushes it below.
        let avoid = [r(0x7f00_0000, 0x100_0000), r(0x7e00_0000, 0x10)];
        assert_eq!(
            place_initrd(0x10_0000, &t, &avoid, INITRD_MIN_ADDR, 0x8000_0000),
            Ok(r(0x7ef0_0000, 0x10_0000))
        );
        // A bigger one does not fit in that gap either, and goes below the second obstacle.
        assert_eq!(
            place_initrd(0x100_0000, &t, &avoid, INITRD_MIN_ADDR, 0x8000_0000),
            Ok(r(0x7d00_0000, 0x100_0000))
        );
        assert_eq!(
            place_initrd(0, &t, &[], 0, u64::MAX),
            Err(Error::InitrdEmpty)
        );
        assert_eq!(
            place_initrd(0x8000_0000, &t, &[], INITRD_MIN_ADDR, 0x8000_0000),
            Err(Error::InitrdDoesNotFit {
                size: 0x8000_0000,
                min: INITRD_MIN_ADDR,
                max_end: 0x8000_0000
            })
        );
    }
}
