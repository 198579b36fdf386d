// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Loading a vmlinux from a forward-only stream (a decompressor), with no whole-image buffer.

use std::io::{self, Cursor, ErrorKind, Read};

use loader_core::{GuestRange, StreamSource};
use vm_memory::{GuestAddress, GuestMemoryBackend};

use crate::error::{Error, Result};
use crate::limits::MAX_STREAM_HEADER_BYTES;
use crate::load::{Elf, ElfLoad};
use crate::note::find_pvh_entry;
use crate::parse::{parse_ehdr, parse_phdrs};
use crate::plan::{NoteSegment, plan};
use crate::raw::Elf64_Ehdr;

impl Elf {
    /// Loads a vmlinux read from a forward-only stream — a decompressor's output, say —
    /// without buffering the image.
    ///
    /// Same placement rules and result as [`Elf::load_detailed`]. The stream is read once, front
    /// to back:
    ///
    /// 1. The ELF header and the program header table are read into a buffer; the table must end
    ///    within the first [`MAX_STREAM_HEADER_BYTES`] (a vmlinux's follows the ELF header), else
    ///    [`Error::ProgramHeadersBeyondStreamPrefix`].
    /// 2. The load is planned and the whole plan validated against guest memory — and against
    ///    `stream_len` when the caller knows the stream's length (the kernel's size trailer) —
    ///    before anything is written: every header error leaves guest memory untouched.
    /// 3. The buffered bytes are replayed and the rest of the stream is copied segment by
    ///    segment, in file-offset order, through loader-core's
    ///    [`StreamSource`](loader_core::StreamSource) (a 64 KiB bounce buffer).
    ///
    /// A stream failing part-way (truncated, corrupt, a decompression bomb) is an
    /// [`Error::Plan`] holding loader-core's `SourceRead`, whose `written` names the guest range
    /// already written.
    ///
    /// **PVH notes** are the one check that cannot come first: in a vmlinux the `PT_NOTE` bytes
    /// lie far into the file (inside the first `PT_LOAD` segment on Debian's kernel), after
    /// bytes that have to be written already. They are captured from the stream as it passes
    /// (bounded by [`MAX_NOTE_SEGMENT_BYTES`](crate::limits::MAX_NOTE_SEGMENT_BYTES) per
    /// segment) and scanned once the segments are in; malformed notes or a PVH entry outside the
    /// segments are then [`Error::NotesAfterWrite`], naming the guest range written. Note
    /// segments past the last loaded byte are read to (and the stream no further).
    pub fn load_from_stream<R: Read, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        mut stream: R,
        highmem_start_address: Option<GuestAddress>,
        stream_len: Option<u64>,
    ) -> Result<ElfLoad> {
        // The ELF header: 64 bytes, fewer if the stream is shorter (parse_ehdr then says so).
        let mut prefix = vec![0u8; size_of::<Elf64_Ehdr>()];
        let got = loader_core::read_full(&mut stream, &mut prefix).map_err(header_io)?;
        prefix.truncate(got);
        let header = parse_ehdr(&prefix)?;

        let size = header.phdrs_size();
        let table_end = header
            .phoff
            .checked_add(size)
            .ok_or(Error::InvalidProgramHeaderOffset)?;
        if table_end > MAX_STREAM_HEADER_BYTES {
            return Err(Error::ProgramHeadersBeyondStreamPrefix {
                phoff: header.phoff,
                size,
                max: MAX_STREAM_HEADER_BYTES,
            });
        }
        let table_end_usize =
            usize::try_from(table_end).map_err(|_| Error::InvalidProgramHeaderOffset)?;
        if prefix.len() < table_end_usize {
            let have = prefix.len();
            prefix.resize(table_end_usize, 0);
            let rest = prefix.get_mut(have..).unwrap_or_default();
            let got = loader_core::read_full(&mut stream, rest).map_err(header_io)?;
            if got < rest.len() {
                return Err(Error::ProgramHeadersOutsideFile {
                    phoff: header.phoff,
                    size,
                    file_len: u64::try_from(have.saturating_add(got)).unwrap_or(u64::MAX),
                });
            }
        }
        let table = loader_core::read_at(&prefix, header.phoff, size, "ELF program headers")?;
        let phdrs = parse_phdrs(&header, table)?;

        let elf_plan = plan(
            &header,
            &phdrs,
            kernel_offset,
            highmem_start_address,
            stream_len,
        )?;
        // Everything checkable is checked before the first write.
        elf_plan.plan.validate(guest_mem, stream_len, true)?;

        let tee = NoteTee::new(Cursor::new(prefix).chain(stream), &elf_plan.notes);
        let mut source = StreamSource::new(tee);
        let summary = elf_plan.plan.execute(guest_mem, &mut source)?;

        // The notes: already captured, or further on in the stream.
        let written = summary.span;
        let after_write = |source: Error| Error::NotesAfterWrite {
            written,
            source: Box::new(source),
        };
        let mut tee = source.into_inner();
        tee.finish().map_err(|e| {
            after_write(Error::Plan(loader_core::Error::Io {
                what: "ELF notes after the last segment",
                offset: tee.pos,
                source: e,
            }))
        })?;
        let mut pvh_note = None;
        for window in &tee.windows {
            let entry = find_pvh_entry(&window.bytes).map_err(after_write)?;
            pvh_note = pvh_note.or(entry);
        }
        elf_plan.outcome(pvh_note, summary).map_err(after_write)
    }
}

/// Maps an I/O error while reading the headers.
fn header_io(source: io::Error) -> Error {
    Error::Plan(loader_core::Error::Io {
        what: "ELF headers from a stream",
        offset: 0,
        source,
    })
}

/// One note segment being captured.
#[derive(Debug)]
struct Window {
    offset: u64,
    end: u64,
    bytes: Vec<u8>,
}

/// Passes the stream through, copying the bytes of the `PT_NOTE` segments as they go by.
#[derive(Debug)]
struct NoteTee<R> {
    inner: R,
    pos: u64,
    windows: Vec<Window>,
}

impl<R: Read> NoteTee<R> {
    fn new(inner: R, notes: &[NoteSegment]) -> Self {
        let windows = notes
            .iter()
            .map(|n| Window {
                offset: n.offset,
                end: n.offset.saturating_add(n.len),
                // Bounded by MAX_NOTE_SEGMENT_BYTES, checked by `plan`.
                bytes: Vec::with_capacity(usize::try_from(n.len).unwrap_or(0)),
            })
            .collect();
        Self {
            inner,
            pos: 0,
            windows,
        }
    }

    /// Reads on until every note window is complete (only when a note lies past the last
    /// loaded byte); an early end of stream is `UnexpectedEof`.
    fn finish(&mut self) -> io::Result<()> {
        let Some(end) = self.windows.iter().map(|w| w.end).max() else {
            return Ok(());
        };
        let mut buf = [0u8; 4096];
        while self.pos < end {
            let want = usize::try_from(end.saturating_sub(self.pos))
                .unwrap_or(buf.len())
                .min(buf.len());
            let chunk = buf.get_mut(..want).unwrap_or_default();
            if self.read(chunk)? == 0 {
                return Err(ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for NoteTee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let start = self.pos;
        let end = start.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        for w in &mut self.windows {
            let from = w.offset.max(start);
            let to = w.end.min(end);
            if from < to {
                let (Ok(a), Ok(b)) = (
                    usize::try_from(from.saturating_sub(start)),
                    usize::try_from(to.saturating_sub(start)),
                ) else {
                    continue;
                };
                w.bytes.extend_from_slice(buf.get(a..b).unwrap_or_default());
            }
        }
        self.pos = end;
        Ok(n)
    }
}

impl Error {
    /// For errors reported after guest memory was written (a stream failing part-way, notes
    /// found invalid after the segments were streamed in): the guest range written.
    pub fn written(&self) -> Option<GuestRange> {
        match self {
            Error::NotesAfterWrite { written, .. } => Some(*written),
            Error::Plan(loader_core::Error::SourceRead { written, .. })
            | Error::Plan(loader_core::Error::GuestWrite { written, .. }) => *written,
            _ => None,
        }
    }
}
