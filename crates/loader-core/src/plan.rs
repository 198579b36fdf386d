// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Load plans: what a loader wants written, checked as a whole before any byte is written.

use vm_memory::{GuestAddress, GuestMemoryBackend};

use crate::error::{Error, Result};
use crate::limits::MAX_SEGMENTS;
use crate::range::{GuestRange, fits_in_memory};
use crate::source::SegmentSource;

/// One contiguous piece of a kernel image and where it goes.
///
/// `file_len` bytes starting at `file_offset` in the image are copied to `guest_addr`; the
/// remaining `mem_len - file_len` bytes of guest memory (an ELF segment's BSS, say) are zeroed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Segment {
    /// Offset of the first byte in the image.
    pub file_offset: u64,
    /// Bytes taken from the image.
    pub file_len: u64,
    /// Where the segment starts in guest memory.
    pub guest_addr: GuestAddress,
    /// Bytes of guest memory the segment occupies (file bytes plus zero fill).
    pub mem_len: u64,
}

impl Segment {
    /// The guest memory the segment occupies.
    pub fn guest_range(&self) -> GuestRange {
        GuestRange::new(self.guest_addr, self.mem_len)
    }
}

/// What a validated plan will write, known before any write happens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanSummary {
    /// The smallest range covering every segment (empty when the plan has none).
    pub span: GuestRange,
    /// Bytes copied from the image.
    pub file_bytes: u64,
    /// Bytes of guest memory zero-filled.
    pub zero_bytes: u64,
}

/// An ordered list of segments plus the constraints they must meet.
///
/// Loaders build a plan from the image headers alone; [`LoadPlan::execute`] then checks the whole
/// plan against guest memory and the image and only afterwards streams the bytes in. This is the
/// only code in the workspace that writes kernel bytes into guest memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadPlan {
    segments: Vec<Segment>,
    highmem_start: Option<GuestAddress>,
}

impl LoadPlan {
    /// An empty plan with no high-memory constraint.
    pub fn new() -> Self {
        Self::default()
    }

    /// Requires every segment to start at or above `highmem` (upstream's
    /// `highmem_start_address`, checked here for every segment rather than only the entry point).
    pub fn with_highmem_start(mut self, highmem: Option<GuestAddress>) -> Self {
        self.highmem_start = highmem;
        self
    }

    /// The high-memory start address, if any.
    pub fn highmem_start(&self) -> Option<GuestAddress> {
        self.highmem_start
    }

    /// Appends a segment after checking what can be checked without guest memory: the segment
    /// count limit, `file_len <= mem_len`, and that neither range overflows.
    pub fn push(&mut self, segment: Segment) -> Result<()> {
        let index = self.segments.len();
        if index >= MAX_SEGMENTS {
            return Err(Error::TooManySegments { max: MAX_SEGMENTS });
        }
        if segment.file_len > segment.mem_len {
            return Err(Error::FileLenExceedsMemLen {
                index,
                file_len: segment.file_len,
                mem_len: segment.mem_len,
            });
        }
        if segment.guest_range().end().is_none() {
            return Err(Error::AddressOverflow {
                index,
                addr: segment.guest_addr.0,
                len: segment.mem_len,
            });
        }
        if segment.file_offset.checked_add(segment.file_len).is_none() {
            return Err(Error::FileRangeOverflow {
                index,
                offset: segment.file_offset,
                len: segment.file_len,
            });
        }
        self.segments.push(segment);
        Ok(())
    }

    /// The segments, in the order they were pushed.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Checks the whole plan without writing anything.
    ///
    /// Every segment must lie at or above the high-memory start, inside guest memory (across
    /// contiguous regions, exact at the end of RAM) and, when `source_len` is known, inside the
    /// image; no two segments may share guest memory. With `forward_only`, the file ranges must
    /// not overlap either, because a stream cannot go back.
    pub fn validate<M: GuestMemoryBackend>(
        &self,
        mem: &M,
        source_len: Option<u64>,
        forward_only: bool,
    ) -> Result<PlanSummary> {
        let mut summary = PlanSummary::default();
        for (index, seg) in self.segments.iter().enumerate() {
            let range = seg.guest_range();
            let end = range.end().ok_or(Error::AddressOverflow {
                index,
                addr: seg.guest_addr.0,
                len: seg.mem_len,
            })?;
            if let Some(highmem) = self.highmem_start {
                if seg.guest_addr < highmem {
                    return Err(Error::BelowHighmem {
                        index,
                        addr: seg.guest_addr.0,
                        highmem: highmem.0,
                    });
                }
            }
            if !fits_in_memory(mem, range) {
                return Err(Error::SegmentOutsideMemory {
                    index,
                    addr: seg.guest_addr.0,
                    end: end.0,
                });
            }
            let file_end =
                seg.file_offset
                    .checked_add(seg.file_len)
                    .ok_or(Error::FileRangeOverflow {
                        index,
                        offset: seg.file_offset,
                        len: seg.file_len,
                    })?;
            if let Some(source_len) = source_len {
                if file_end > source_len {
                    return Err(Error::SegmentOutsideSource {
                        index,
                        offset: seg.file_offset,
                        end: file_end,
                        source_len,
                    });
                }
            }
            if seg.file_len > seg.mem_len {
                return Err(Error::FileLenExceedsMemLen {
                    index,
                    file_len: seg.file_len,
                    mem_len: seg.mem_len,
                });
            }
            summary.span = summary.span.hull(&range);
            summary.file_bytes = summary.file_bytes.saturating_add(seg.file_len);
            summary.zero_bytes = summary
                .zero_bytes
                .saturating_add(seg.mem_len.saturating_sub(seg.file_len));
        }
        self.check_guest_overlaps()?;
        if forward_only {
            self.check_file_overlaps()?;
        }
        Ok(summary)
    }

    /// Rejects two non-empty segments sharing guest memory; reports the pair by plan index.
    fn check_guest_overlaps(&self) -> Result<()> {
        let mut order: Vec<usize> = (0..self.segments.len())
            .filter(|&i| self.segments.get(i).is_some_and(|s| s.mem_len > 0))
            .collect();
        order.sort_by_key(|&i| self.segments.get(i).map(|s| s.guest_addr));
        for pair in order.windows(2) {
            let (Some(&a), Some(&b)) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let (Some(sa), Some(sb)) = (self.segments.get(a), self.segments.get(b)) else {
                continue;
            };
            if sa.guest_range().overlaps(&sb.guest_range()) {
                let (first, second) = if a < b { (a, b) } else { (b, a) };
                let (fs, ss) = if a < b { (sa, sb) } else { (sb, sa) };
                return Err(Error::SegmentsOverlap {
                    first,
                    first_addr: fs.guest_addr.0,
                    first_end: fs.guest_range().end_or_max(),
                    second,
                    second_addr: ss.guest_addr.0,
                    second_end: ss.guest_range().end_or_max(),
                });
            }
        }
        Ok(())
    }

    /// Rejects two segments reading overlapping file bytes (only matters for streams).
    fn check_file_overlaps(&self) -> Result<()> {
        let order = self.file_order();
        let mut prev: Option<(usize, u64)> = None;
        for &i in &order {
            let Some(seg) = self.segments.get(i) else {
                continue;
            };
            if seg.file_len == 0 {
                continue;
            }
            if let Some((p, p_end)) = prev {
                if seg.file_offset < p_end {
                    return Err(Error::StreamOverlap {
                        first: p,
                        second: i,
                        offset: seg.file_offset,
                    });
                }
            }
            prev = Some((i, seg.file_offset.saturating_add(seg.file_len)));
        }
        Ok(())
    }

    /// Segment indices sorted by file offset (stable, so ties keep plan order).
    fn file_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.segments.len()).collect();
        order.sort_by_key(|&i| self.segments.get(i).map(|s| s.file_offset));
        order
    }

    /// Validates the plan, then copies every segment from `source` into `mem` and zero-fills the
    /// rest of each segment.
    ///
    /// Nothing is written unless the whole plan is valid, so a rejected image leaves guest memory
    /// byte-identical. Segments are written in file-offset order, which a forward-only source
    /// needs and which reads a seekable file sequentially.
    pub fn execute<M: GuestMemoryBackend, S: SegmentSource>(
        &self,
        mem: &M,
        source: &mut S,
    ) -> Result<PlanSummary> {
        let source_len = source.len_hint()?;
        let summary = self.validate(mem, source_len, source.is_forward_only())?;
        let mut written: Option<GuestRange> = None;
        for index in self.file_order() {
            let Some(seg) = self.segments.get(index) else {
                continue;
            };
            if seg.file_len > 0 {
                source.copy_to_guest(mem, index, seg, written)?;
                let copied = GuestRange::new(seg.guest_addr, seg.file_len);
                written = Some(written.map_or(copied, |w| w.hull(&copied)));
            }
            let zero_len = seg.mem_len.saturating_sub(seg.file_len);
            if zero_len > 0 {
                let zero_start = GuestAddress(seg.guest_addr.0.saturating_add(seg.file_len));
                crate::source::zero_fill(mem, index, zero_start, zero_len, written)?;
            }
            written = Some(written.map_or(seg.guest_range(), |w| w.hull(&seg.guest_range())));
        }
        Ok(summary)
    }
}
