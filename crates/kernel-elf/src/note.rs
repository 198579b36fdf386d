// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! ELF notes: finding the PVH entry point.

use zerocopy::FromBytes;

use crate::error::{Error, Result};
use crate::raw::{Elf64_Nhdr, XEN_ELFNOTE_PHYS32_ENTRY};

/// Name of the note owner that carries the PVH entry, with its NUL (`n_namesz` = 4).
const XEN_NOTE_NAME: &[u8; 4] = b"Xen\0";

/// Alignment of a note's name and descriptor. Linux emits notes with 4-byte alignment on every
/// architecture (`include/linux/elfnote.h`), ELF64 included.
const NOTE_ALIGN: u64 = 4;

/// Size of a note header (`n_namesz`, `n_descsz`, `n_type`), the same for ELF32 and ELF64.
const NHDR_SIZE: u64 = 12;

/// Scans the bytes of one `PT_NOTE` segment for the PVH entry point.
///
/// Returns the address carried by the first note named `"Xen"` of type
/// `XEN_ELFNOTE_PHYS32_ENTRY` (18): the first four bytes of its descriptor, little-endian (x86_64
/// kernels emit an 8-byte descriptor whose low half is the entry). Every note in the segment is
/// checked, not just those before the PVH note: a header cut short is
/// [`Error::ReadNoteHeader`], a name or descriptor past the segment end [`Error::NoteOverrun`],
/// and a PVH note whose descriptor is shorter than 4 bytes [`Error::InvalidPvhNote`]. Padding
/// after the last note's descriptor may be missing.
pub fn find_pvh_entry(note_bytes: &[u8]) -> Result<Option<u32>> {
    let len = u64::try_from(note_bytes.len()).unwrap_or(u64::MAX);
    let mut offset: u64 = 0;
    let mut found = None;
    while offset < len {
        let header = loader_core::read_at(note_bytes, offset, NHDR_SIZE, "ELF note header")
            .map_err(|_| Error::ReadNoteHeader)?;
        let nhdr = Elf64_Nhdr::read_from_bytes(header).map_err(|_| Error::ReadNoteHeader)?;
        let namesz = u32::from_le(nhdr.n_namesz);
        let descsz = u32::from_le(nhdr.n_descsz);
        let n_type = u32::from_le(nhdr.n_type);

        let overrun = Error::NoteOverrun {
            offset,
            namesz,
            descsz,
            len,
        };
        // Computed in u64 and checked, so hostile sizes cannot wrap around.
        let name_start = offset.checked_add(NHDR_SIZE);
        let desc_start = name_start.and_then(|s| s.checked_add(align_up(namesz)));
        let desc_end = desc_start.and_then(|s| s.checked_add(u64::from(descsz)));
        let next = desc_start.and_then(|s| s.checked_add(align_up(descsz)));
        let (Some(name_start), Some(desc_start), Some(desc_end), Some(next)) =
            (name_start, desc_start, desc_end, next)
        else {
            return Err(overrun);
        };
        if desc_end > len {
            return Err(overrun);
        }

        if n_type == XEN_ELFNOTE_PHYS32_ENTRY {
            let name = loader_core::read_at(note_bytes, name_start, u64::from(namesz), "note name")
                .map_err(|_| Error::ReadNoteHeader)?;
            if name == XEN_NOTE_NAME {
                if descsz < 4 {
                    return Err(Error::InvalidPvhNote);
                }
                let desc = loader_core::read_at(note_bytes, desc_start, 4, "PVH entry")
                    .map_err(|_| Error::InvalidPvhNote)?;
                let entry = <[u8; 4]>::try_from(desc).map_err(|_| Error::InvalidPvhNote)?;
                found = found.or(Some(u32::from_le_bytes(entry)));
            }
        }
        offset = next;
    }
    Ok(found)
}

/// `n` rounded up to [`NOTE_ALIGN`], computed in 64 bits so it cannot overflow.
fn align_up(n: u32) -> u64 {
    u64::from(n).div_ceil(NOTE_ALIGN).saturating_mul(NOTE_ALIGN)
}
