// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The one place boot structures are written into guest memory.
//!
//! Both configurators and [`crate::layout::X86Layout::write`] go through here: every range is
//! checked against guest memory (exact at the end of RAM, with loader-core's `fits_in_memory`)
//! and against every other range before the first byte is written.

use loader_core::{GuestRange, fits_in_memory};
use vm_memory::{Bytes, GuestAddress, GuestMemoryBackend};

use crate::error::{Error, RangeName};
use crate::setup_data::u64_of;

/// Bytes to write at a guest address.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Blob<'a> {
    pub(crate) name: RangeName,
    pub(crate) start: GuestAddress,
    pub(crate) bytes: &'a [u8],
}

impl Blob<'_> {
    /// The guest range the blob covers.
    pub(crate) fn range(&self) -> Result<GuestRange, Error> {
        checked_range(self.name, self.start, u64_of(self.bytes.len()))
    }
}

/// A range whose end fits in 64 bits.
pub(crate) fn checked_range(
    name: RangeName,
    start: GuestAddress,
    len: u64,
) -> Result<GuestRange, Error> {
    let range = GuestRange::new(start, len);
    match range.end() {
        Some(_) => Ok(range),
        None => Err(Error::AddressOverflow {
            name,
            start: start.0,
            len,
        }),
    }
}

/// The first pair (in list order) of ranges sharing a byte.
pub(crate) fn check_disjoint(ranges: &[(RangeName, GuestRange)]) -> Result<(), Error> {
    for (i, (a_name, a)) in ranges.iter().enumerate() {
        for (b_name, b) in ranges.iter().skip(i.saturating_add(1)) {
            if a.overlaps(b) {
                return Err(Error::RangesOverlap {
                    first: *a_name,
                    first_start: a.start.0,
                    first_end: a.end_or_max(),
                    second: *b_name,
                    second_start: b.start.0,
                    second_end: b.end_or_max(),
                });
            }
        }
    }
    Ok(())
}

/// Whether `range` is backed by guest memory, as an error naming it.
pub(crate) fn check_fits<M: GuestMemoryBackend>(
    mem: &M,
    name: RangeName,
    range: GuestRange,
) -> Result<(), Error> {
    if fits_in_memory(mem, range) {
        Ok(())
    } else {
        Err(Error::OutsideMemory {
            name,
            start: range.start.0,
            end: range.end_or_max(),
        })
    }
}

/// Checks every blob against guest memory, then all blobs and `others` against each other.
pub(crate) fn validate<M: GuestMemoryBackend>(
    mem: &M,
    blobs: &[Blob<'_>],
    others: &[(RangeName, GuestRange)],
) -> Result<(), Error> {
    let mut ranges = Vec::with_capacity(blobs.len().saturating_add(others.len()));
    for blob in blobs {
        let range = blob.range()?;
        check_fits(mem, blob.name, range)?;
        ranges.push((blob.name, range));
    }
    ranges.extend_from_slice(others);
    check_disjoint(&ranges)
}

/// Writes blobs that [`validate`] accepted, in order.
pub(crate) fn write_validated<M: GuestMemoryBackend>(
    mem: &M,
    blobs: &[Blob<'_>],
) -> Result<(), Error> {
    for blob in blobs {
        mem.write_slice(blob.bytes, blob.start)
            .map_err(|_| Error::GuestWrite {
                name: blob.name,
                addr: blob.start.0,
            })?;
    }
    Ok(())
}
