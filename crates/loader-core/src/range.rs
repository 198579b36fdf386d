// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Guest address ranges and the one check of a range against guest memory.

use vm_memory::{GuestAddress, GuestMemoryBackend};

/// A half-open range of guest physical memory: `start .. start + len`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GuestRange {
    /// First byte of the range.
    pub start: GuestAddress,
    /// Length in bytes.
    pub len: u64,
}

impl GuestRange {
    /// A range of `len` bytes at `start`.
    pub const fn new(start: GuestAddress, len: u64) -> Self {
        Self { start, len }
    }

    /// The range from `start` (inclusive) to `end` (exclusive); `None` if `end < start`.
    pub fn from_bounds(start: GuestAddress, end: GuestAddress) -> Option<Self> {
        end.0.checked_sub(start.0).map(|len| Self::new(start, len))
    }

    /// One past the last byte, or `None` when that does not fit in 64 bits.
    pub fn end(&self) -> Option<GuestAddress> {
        self.start.0.checked_add(self.len).map(GuestAddress)
    }

    /// One past the last byte, saturating at `u64::MAX`; for messages.
    pub fn end_or_max(&self) -> u64 {
        self.start.0.saturating_add(self.len)
    }

    /// The last byte of the range, or `None` for an empty range.
    pub fn last(&self) -> Option<GuestAddress> {
        self.len
            .checked_sub(1)
            .and_then(|n| self.start.0.checked_add(n))
            .map(GuestAddress)
    }

    /// Whether the range holds no bytes.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the two ranges share at least one byte. Empty ranges overlap nothing.
    pub fn overlaps(&self, other: &GuestRange) -> bool {
        if self.is_empty() || other.is_empty() {
            return false;
        }
        // Compare inclusive last bytes, which cannot overflow for non-empty ranges.
        match (self.last(), other.last()) {
            (Some(a_last), Some(b_last)) => self.start <= b_last && other.start <= a_last,
            // A range whose last byte overflows covers everything from its start upwards.
            (None, Some(b_last)) => self.start <= b_last,
            (Some(a_last), None) => other.start <= a_last,
            (None, None) => true,
        }
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains_range(&self, other: &GuestRange) -> bool {
        match (self.end(), other.end()) {
            (Some(a_end), Some(b_end)) => other.start >= self.start && b_end <= a_end,
            _ => false,
        }
    }

    /// The smallest range covering both.
    pub fn hull(&self, other: &GuestRange) -> GuestRange {
        if self.is_empty() {
            return *other;
        }
        if other.is_empty() {
            return *self;
        }
        let start = self.start.min(other.start);
        let end = self.end_or_max().max(other.end_or_max());
        GuestRange::new(start, end.saturating_sub(start.0))
    }
}

/// Whether every byte of `range` is backed by `mem`, across as many regions as it spans.
///
/// This is exact at both ends: a range ending on the last byte of RAM fits (upstream
/// linux-loader's `checked_offset(addr, len)` test rejects it). An empty range fits when its
/// start address is in memory or immediately after the last byte of a region.
pub fn fits_in_memory<M: GuestMemoryBackend>(mem: &M, range: GuestRange) -> bool {
    if range.end().is_none() {
        return false;
    }
    if range.is_empty() {
        return mem.address_in_range(range.start)
            || range
                .start
                .0
                .checked_sub(1)
                .is_some_and(|prev| mem.address_in_range(GuestAddress(prev)));
    }
    match usize::try_from(range.len) {
        Ok(len) => mem.check_range(range.start, len),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vm_memory::GuestMemoryMmap;

    fn r(start: u64, len: u64) -> GuestRange {
        GuestRange::new(GuestAddress(start), len)
    }

    #[test]
    fn overlap_rules() {
        assert!(r(0, 10).overlaps(&r(9, 1)));
        assert!(!r(0, 10).overlaps(&r(10, 1)));
        assert!(!r(0, 0).overlaps(&r(0, 10)));
        assert!(r(u64::MAX, 1).overlaps(&r(u64::MAX - 1, 2)));
        assert!(r(5, u64::MAX).overlaps(&r(u64::MAX, 1)));
    }

    #[test]
    fn end_and_last() {
        assert_eq!(r(u64::MAX, 1).end(), None);
        assert_eq!(r(u64::MAX, 1).last(), Some(GuestAddress(u64::MAX)));
        assert_eq!(r(4, 0).last(), None);
        assert_eq!(
            GuestRange::from_bounds(GuestAddress(4), GuestAddress(3)),
            None
        );
        assert_eq!(r(1, 2).hull(&r(10, 2)), r(1, 11));
    }

    #[test]
    fn fits_exactly_at_end_of_ram() {
        let mem = GuestMemoryMmap::<()>::from_ranges(&[
            (GuestAddress(0), 0x1000),
            (GuestAddress(0x1000), 0x1000),
        ])
        .unwrap();
        assert!(fits_in_memory(&mem, r(0x1ff0, 0x10)));
        assert!(!fits_in_memory(&mem, r(0x1ff0, 0x11)));
        // Spanning two contiguous regions is fine.
        assert!(fits_in_memory(&mem, r(0xff0, 0x20)));
        assert!(!fits_in_memory(&mem, r(u64::MAX, 1)));
        assert!(fits_in_memory(&mem, r(0x2000, 0)));
        assert!(!fits_in_memory(&mem, r(0x2001, 0)));
    }

    #[test]
    fn hole_between_regions_does_not_fit() {
        let mem = GuestMemoryMmap::<()>::from_ranges(&[
            (GuestAddress(0), 0x1000),
            (GuestAddress(0x2000), 0x1000),
        ])
        .unwrap();
        assert!(!fits_in_memory(&mem, r(0xff0, 0x20)));
        assert!(fits_in_memory(&mem, r(0x2000, 0x1000)));
    }
}
