// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Where segment bytes come from: a seekable image or a forward-only stream.

use std::io::{ErrorKind, Read, Seek, SeekFrom};

use vm_memory::{Bytes, GuestAddress, GuestMemoryBackend, ReadVolatile};

use crate::error::{Error, Result};
use crate::limits::{STREAM_CHUNK, ZERO_CHUNK};
use crate::plan::Segment;
use crate::range::GuestRange;

/// A source of segment bytes the executor can copy into guest memory.
///
/// Implementations decide how bytes travel; the executor decides what is written and checks it
/// first. Two are provided: [`SeekSource`] for files and other seekable readers, and
/// [`StreamSource`] for forward-only readers such as decompressors.
pub trait SegmentSource {
    /// Length of the image when it is known before reading (a file's size), or `None`.
    fn len_hint(&mut self) -> Result<Option<u64>>;

    /// Whether segments must be requested in file-offset order without going back.
    fn is_forward_only(&self) -> bool;

    /// Copies `segment.file_len` bytes at `segment.file_offset` to `segment.guest_addr`.
    ///
    /// `index` names the segment in errors, and `written` (the guest memory already written by this
    /// load) is reported if the copy fails part-way.
    fn copy_to_guest<M: GuestMemoryBackend>(
        &mut self,
        mem: &M,
        index: usize,
        segment: &Segment,
        written: Option<GuestRange>,
    ) -> Result<()>;
}

/// A seekable image (a `File`, a `Cursor`), read straight into guest memory with no bounce buffer.
#[derive(Debug)]
pub struct SeekSource<'a, F> {
    inner: &'a mut F,
    len: Option<u64>,
}

impl<'a, F: Read + ReadVolatile + Seek> SeekSource<'a, F> {
    /// Wraps a seekable reader; its length is measured (one `lseek`) when the plan is validated.
    pub fn new(inner: &'a mut F) -> Self {
        Self { inner, len: None }
    }

    /// Wraps a seekable reader whose length the caller has just measured (with
    /// [`source_end`], say), sparing the executor another `lseek`. The plan is validated
    /// against `len`; a reader that then holds fewer bytes still fails the copy with
    /// [`Error::SourceRead`] (`UnexpectedEof`), never a short segment.
    pub fn with_len(inner: &'a mut F, len: u64) -> Self {
        Self {
            inner,
            len: Some(len),
        }
    }
}

impl<F: Read + ReadVolatile + Seek> SegmentSource for SeekSource<'_, F> {
    fn len_hint(&mut self) -> Result<Option<u64>> {
        match self.len {
            Some(len) => Ok(Some(len)),
            // Every copy seeks to its segment first, so the position left at the end is fine.
            None => source_end(self.inner).map(Some),
        }
    }

    fn is_forward_only(&self) -> bool {
        false
    }

    fn copy_to_guest<M: GuestMemoryBackend>(
        &mut self,
        mem: &M,
        index: usize,
        segment: &Segment,
        written: Option<GuestRange>,
    ) -> Result<()> {
        let read_err = |offset: u64, source: std::io::Error| Error::SourceRead {
            index,
            offset,
            len: segment.file_len,
            written,
            source,
        };
        self.inner
            .seek(SeekFrom::Start(segment.file_offset))
            .map_err(|e| read_err(segment.file_offset, e))?;
        let mut done: u64 = 0;
        while done < segment.file_len {
            let remaining = segment.file_len.saturating_sub(done);
            // One call moves at most what fits in usize; a read may return fewer bytes.
            let want = usize::try_from(remaining).unwrap_or(usize::MAX);
            let addr = GuestAddress(segment.guest_addr.0.saturating_add(done));
            let at = segment.file_offset.saturating_add(done);
            let n =
                mem.read_volatile_from(addr, self.inner, want)
                    .map_err(|source| match source {
                        vm_memory::GuestMemoryError::IOError(io) => read_err(at, io),
                        other => Error::GuestWrite {
                            index,
                            addr: addr.0,
                            written,
                            source: other,
                        },
                    })?;
            if n == 0 {
                // End of file: report it instead of asking again (CVE-2022-23523 looped here).
                return Err(read_err(
                    segment.file_offset.saturating_add(done),
                    ErrorKind::UnexpectedEof.into(),
                ));
            }
            done = done.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        }
        Ok(())
    }
}

/// A forward-only reader (a decompressor, a pipe), moved into guest memory through a bounded
/// buffer of [`STREAM_CHUNK`] bytes.
///
/// Segments are served in file-offset order; bytes between segments are read and discarded.
#[derive(Debug)]
pub struct StreamSource<R> {
    inner: R,
    position: u64,
    buf: Vec<u8>,
}

impl<R: Read> StreamSource<R> {
    /// Wraps a reader positioned at file offset 0.
    pub fn new(inner: R) -> Self {
        Self::with_position(inner, 0)
    }

    /// Wraps a reader whose next byte is at file offset `position` (for example after the caller
    /// consumed the headers it parsed).
    pub fn with_position(inner: R, position: u64) -> Self {
        Self {
            inner,
            position,
            buf: Vec::new(),
        }
    }

    /// The file offset of the next byte the reader will return.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Gives back the reader.
    pub fn into_inner(self) -> R {
        self.inner
    }

    fn skip_to(&mut self, offset: u64) -> std::io::Result<()> {
        let gap = offset.saturating_sub(self.position);
        let skipped = std::io::copy(&mut (&mut self.inner).take(gap), &mut std::io::sink())?;
        self.position = self.position.saturating_add(skipped);
        if skipped < gap {
            return Err(ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }
}

impl<R: Read> SegmentSource for StreamSource<R> {
    fn len_hint(&mut self) -> Result<Option<u64>> {
        Ok(None)
    }

    fn is_forward_only(&self) -> bool {
        true
    }

    fn copy_to_guest<M: GuestMemoryBackend>(
        &mut self,
        mem: &M,
        index: usize,
        segment: &Segment,
        written: Option<GuestRange>,
    ) -> Result<()> {
        if segment.file_offset < self.position {
            return Err(Error::StreamOverlap {
                first: index,
                second: index,
                offset: segment.file_offset,
            });
        }
        let read_err = |offset: u64, source: std::io::Error| Error::SourceRead {
            index,
            offset,
            len: segment.file_len,
            written,
            source,
        };
        self.skip_to(segment.file_offset)
            .map_err(|e| read_err(self.position, e))?;
        if self.buf.is_empty() {
            self.buf.resize(STREAM_CHUNK, 0);
        }
        let mut done: u64 = 0;
        while done < segment.file_len {
            let remaining = segment.file_len.saturating_sub(done);
            let want = usize::try_from(remaining)
                .unwrap_or(usize::MAX)
                .min(self.buf.len());
            let Some(chunk) = self.buf.get_mut(..want) else {
                break;
            };
            // What this load has written if the read fails now: earlier segments plus the part
            // of this one already copied.
            let written_now = || {
                let hull = GuestRange::new(segment.guest_addr, done);
                if done == 0 {
                    written
                } else {
                    Some(written.map_or(hull, |w| w.hull(&hull)))
                }
            };
            let n = loop {
                match self.inner.read(chunk) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(source) => {
                        return Err(Error::SourceRead {
                            index,
                            offset: self.position,
                            len: segment.file_len,
                            written: written_now(),
                            source,
                        });
                    }
                }
            };
            if n == 0 {
                return Err(Error::SourceRead {
                    index,
                    offset: self.position,
                    len: segment.file_len,
                    written: written_now(),
                    source: ErrorKind::UnexpectedEof.into(),
                });
            }
            let addr = GuestAddress(segment.guest_addr.0.saturating_add(done));
            let bytes = chunk.get(..n).unwrap_or_default();
            mem.write_slice(bytes, addr)
                .map_err(|source| Error::GuestWrite {
                    index,
                    addr: addr.0,
                    written,
                    source,
                })?;
            let n64 = u64::try_from(n).unwrap_or(u64::MAX);
            done = done.saturating_add(n64);
            self.position = self.position.saturating_add(n64);
        }
        Ok(())
    }
}

static ZEROS: [u8; ZERO_CHUNK] = [0; ZERO_CHUNK];

/// Zeroes `len` bytes of guest memory at `addr` (the part of a segment past its file bytes).
pub(crate) fn zero_fill<M: GuestMemoryBackend>(
    mem: &M,
    index: usize,
    addr: GuestAddress,
    len: u64,
    written: Option<GuestRange>,
) -> Result<()> {
    let mut done: u64 = 0;
    while done < len {
        let n = usize::try_from(len.saturating_sub(done))
            .unwrap_or(ZERO_CHUNK)
            .min(ZERO_CHUNK);
        let at = GuestAddress(addr.0.saturating_add(done));
        mem.write_slice(ZEROS.get(..n).unwrap_or_default(), at)
            .map_err(|source| Error::GuestWrite {
                index,
                addr: at.0,
                written,
                source,
            })?;
        done = done.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
    }
    Ok(())
}

/// The length of a seekable image, leaving its position at the end: one `lseek` for callers
/// whose next read seeks anyway ([`read_exact_at`], [`read_at`], [`SeekSource`] all do).
pub fn source_end<F: Seek + ?Sized>(src: &mut F) -> Result<u64> {
    src.seek(SeekFrom::End(0)).map_err(|source| Error::Io {
        what: "image length",
        offset: 0,
        source,
    })
}

/// The length of a seekable image, leaving its position at the start.
pub fn source_len<F: Seek + ?Sized>(src: &mut F) -> Result<u64> {
    let len = source_end(src)?;
    src.seek(SeekFrom::Start(0)).map_err(|source| Error::Io {
        what: "image length",
        offset: 0,
        source,
    })?;
    Ok(len)
}

/// Reads until `buf` is full or the reader ends, retrying interrupted reads; returns the bytes
/// read. The one read loop every parser and stream adapter in the workspace uses.
pub fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0usize;
    while let Some(rest) = buf.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match r.read(rest) {
            Ok(0) => break,
            Ok(n) => filled = filled.saturating_add(n),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Fills `buf` with the image bytes at `offset`, exactly: a short image is a
/// [`Error::Truncated`] naming `what`, never a partially filled buffer (upstream's bzImage
/// loader ignored short reads).
pub fn read_exact_at<F: Read + Seek + ?Sized>(
    src: &mut F,
    offset: u64,
    buf: &mut [u8],
    what: &'static str,
) -> Result<()> {
    let len = buf.len();
    read_at_least(src, offset, buf, len, what).map(|_| ())
}

/// Reads the image bytes at `offset` into `buf` until it is full or the image ends, and returns
/// how many were read; fewer than `min` is an [`Error::Truncated`] naming `what` (for `min`
/// bytes). For a read that takes what is there beyond a part that must be: an ELF header and the
/// program headers that usually follow it, in one read.
pub fn read_at_least<F: Read + Seek + ?Sized>(
    src: &mut F,
    offset: u64,
    buf: &mut [u8],
    min: usize,
    what: &'static str,
) -> Result<usize> {
    src.seek(SeekFrom::Start(offset))
        .map_err(|source| Error::Io {
            what,
            offset,
            source,
        })?;
    let filled = read_full(src, buf).map_err(|source| Error::Io {
        what,
        offset,
        source,
    })?;
    let min = min.min(buf.len());
    if filled < min {
        return Err(Error::Truncated {
            what,
            offset,
            len: u64::try_from(min).unwrap_or(u64::MAX),
            available: u64::try_from(filled).unwrap_or(u64::MAX),
        });
    }
    Ok(filled)
}

/// The bounded slice `bytes[offset .. offset + len]`, or [`Error::Truncated`] naming `what`.
///
/// Parsers read every field through this (or through zerocopy reads of slices obtained from it),
/// so an offset from a hostile header can never index out of bounds.
pub fn read_at<'a>(bytes: &'a [u8], offset: u64, len: u64, what: &'static str) -> Result<&'a [u8]> {
    let truncated = || Error::Truncated {
        what,
        offset,
        len,
        available: u64::try_from(bytes.len())
            .unwrap_or(u64::MAX)
            .saturating_sub(offset),
    };
    let start = usize::try_from(offset).map_err(|_| truncated())?;
    let n = usize::try_from(len).map_err(|_| truncated())?;
    let end = start.checked_add(n).ok_or_else(truncated)?;
    bytes.get(start..end).ok_or_else(truncated)
}
