// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Errors of the plan executor and the bounded readers.

use crate::GuestRange;

/// What went wrong while validating or executing a load plan, or reading image headers.
///
/// Every variant names the segment (by its index in the plan) or the field it is about, with the
/// offending values, so a VMM operator can tell which part of which image is at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The plan has more segments than [`crate::limits::MAX_SEGMENTS`].
    #[error("load plan has more than {max} segments")]
    TooManySegments {
        /// The limit.
        max: usize,
    },
    /// A segment's file bytes are longer than the memory they are loaded into.
    #[error("segment {index}: file length {file_len:#x} exceeds its memory length {mem_len:#x}")]
    FileLenExceedsMemLen {
        /// Index of the segment in the plan.
        index: usize,
        /// Bytes taken from the image.
        file_len: u64,
        /// Bytes of guest memory the segment occupies.
        mem_len: u64,
    },
    /// `addr + mem_len` does not fit in 64 bits.
    #[error("segment {index}: guest address {addr:#x} + length {len:#x} overflows")]
    AddressOverflow {
        /// Index of the segment in the plan.
        index: usize,
        /// Guest address of the segment.
        addr: u64,
        /// Memory length of the segment.
        len: u64,
    },
    /// `file_offset + file_len` does not fit in 64 bits.
    #[error("segment {index}: file offset {offset:#x} + length {len:#x} overflows")]
    FileRangeOverflow {
        /// Index of the segment in the plan.
        index: usize,
        /// File offset of the segment.
        offset: u64,
        /// File length of the segment.
        len: u64,
    },
    /// A segment's file bytes extend past the end of the image.
    #[error(
        "segment {index}: file bytes {offset:#x}..{end:#x} extend past the end of the image \
         ({source_len:#x} bytes) — truncated image?"
    )]
    SegmentOutsideSource {
        /// Index of the segment in the plan.
        index: usize,
        /// First file byte of the segment.
        offset: u64,
        /// One past the last file byte of the segment.
        end: u64,
        /// Length of the image.
        source_len: u64,
    },
    /// A segment's guest range is not entirely backed by guest memory.
    #[error("segment {index}: guest range {addr:#x}..{end:#x} is not backed by guest memory")]
    SegmentOutsideMemory {
        /// Index of the segment in the plan.
        index: usize,
        /// First guest address of the segment.
        addr: u64,
        /// One past the last guest address of the segment.
        end: u64,
    },
    /// A segment starts below the high-memory start address the VMM asked for.
    #[error("segment {index}: guest address {addr:#x} is below the high-memory start {highmem:#x}")]
    BelowHighmem {
        /// Index of the segment in the plan.
        index: usize,
        /// Guest address of the segment.
        addr: u64,
        /// The high-memory start address.
        highmem: u64,
    },
    /// Two segments occupy the same guest memory.
    #[error(
        "segments {first} ({first_addr:#x}..{first_end:#x}) and {second} \
         ({second_addr:#x}..{second_end:#x}) overlap in guest memory"
    )]
    SegmentsOverlap {
        /// Index of the lower segment.
        first: usize,
        /// Its first guest address.
        first_addr: u64,
        /// One past its last guest address.
        first_end: u64,
        /// Index of the higher segment.
        second: usize,
        /// Its first guest address.
        second_addr: u64,
        /// One past its last guest address.
        second_end: u64,
    },
    /// Two segments read overlapping file bytes from a forward-only source, which cannot go back.
    #[error(
        "segments {first} and {second} read overlapping file bytes (at {offset:#x}) from a \
         forward-only source"
    )]
    StreamOverlap {
        /// Index of the segment that comes first in the file.
        first: usize,
        /// Index of the segment that starts inside it.
        second: usize,
        /// File offset where the second segment starts.
        offset: u64,
    },
    /// The image ended or failed while a segment was being copied into guest memory.
    ///
    /// Only forward-only sources (decompressor streams), whose length is unknown up front, can
    /// fail this way after writing began; `written` then says which guest range holds bytes of
    /// this load.
    #[error(
        "segment {index}: reading {len:#x} bytes at file offset {offset:#x} failed: {source}{}",
        written.map(|r| format!(" (guest range {:#x}..{:#x} was already written)", r.start.0, r.end_or_max())).unwrap_or_default()
    )]
    SourceRead {
        /// Index of the segment being copied.
        index: usize,
        /// File offset being read.
        offset: u64,
        /// Bytes requested.
        len: u64,
        /// Hull of the guest memory written by this load before the failure, if any.
        written: Option<GuestRange>,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Guest memory refused a write the plan had validated (for example a region unmapped since).
    #[error("segment {index}: writing guest memory at {addr:#x} failed: {source}")]
    GuestWrite {
        /// Index of the segment being written.
        index: usize,
        /// Guest address of the failed write.
        addr: u64,
        /// Hull of the guest memory written by this load before the failure, if any.
        written: Option<GuestRange>,
        /// The vm-memory error.
        #[source]
        source: vm_memory::GuestMemoryError,
    },
    /// Fewer bytes were available than a header read needs.
    #[error(
        "{what}: need {len:#x} bytes at offset {offset:#x}, but only {available:#x} are there — \
         truncated image?"
    )]
    Truncated {
        /// What was being read, e.g. "ELF program headers".
        what: &'static str,
        /// Offset of the read.
        offset: u64,
        /// Bytes needed.
        len: u64,
        /// Bytes available at that offset.
        available: u64,
    },
    /// Seeking or reading the image failed for a reason other than its end.
    #[error("{what}: I/O error at offset {offset:#x}: {source}")]
    Io {
        /// What was being read.
        what: &'static str,
        /// Offset of the failed operation.
        offset: u64,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// Errors compare equal when they are the same variant with the same values; the I/O and
/// guest-memory errors inside, which have no equality of their own, compare by their `Debug`
/// rendering (kind and message). Upstream's error enums derive `PartialEq` and VMM tests
/// `assert_eq!` on them, so every format error that wraps this one can derive it too.
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        format!("{self:?}") == format!("{other:?}")
    }
}

impl Eq for Error {}

/// Result alias for loader-core operations.
pub type Result<T> = std::result::Result<T, Error>;
