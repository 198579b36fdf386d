// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! From parsed headers to a load plan: every `PT_LOAD` segment checked, placed and described.

use loader_core::{EntryPoints, GuestRange, KernelLoaderResult, LoadPlan, PlanSummary, Segment};
use vm_memory::GuestAddress;

use crate::error::{Error, Result};
use crate::limits::{MAX_NOTE_SEGMENT_BYTES, MAX_NOTE_SEGMENTS};
use crate::load::{ElfLoad, PvhBootCapability};
use crate::parse::{Class, Header, Machine, ProgramHeader};
use crate::raw::{PT_LOAD, PT_NOTE};

/// A `PT_NOTE` segment to read and scan for the PVH entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoteSegment {
    /// Index of the program header.
    pub index: usize,
    /// File offset of the notes.
    pub offset: u64,
    /// Bytes of notes (at most [`MAX_NOTE_SEGMENT_BYTES`]).
    pub len: u64,
}

/// A `PT_LOAD` segment as placed: where its file bytes end up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Placed {
    index: usize,
    /// `p_paddr .. p_paddr + p_filesz`, before the kernel offset (entry points are checked
    /// against these, as they are physical addresses of the unrelocated image).
    file_bytes: GuestRange,
    /// Guest memory the segment occupies, kernel offset included.
    guest: GuestRange,
}

/// What [`plan()`] decided: the load plan for the executor plus everything the result reports.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ElfPlan {
    /// The segments to write, each `PT_LOAD` in program-header order, with the high-memory
    /// constraint attached.
    pub plan: LoadPlan,
    /// 32- or 64-bit.
    pub class: Class,
    /// x86_64 or i386.
    pub machine: Machine,
    /// `e_entry` plus the kernel offset: upstream's `kernel_load`.
    pub entry: GuestAddress,
    /// One past the highest byte any segment occupies, BSS included.
    pub kernel_end: u64,
    /// The hull of all segments in guest memory.
    pub loaded: GuestRange,
    /// The `PT_NOTE` segments, in program-header order.
    pub notes: Vec<NoteSegment>,
    /// The kernel offset the plan was made for.
    pub kernel_offset: Option<GuestAddress>,
    placed: Vec<Placed>,
}

/// Plans the load of an ELF image whose headers are already parsed.
///
/// Each `PT_LOAD` goes to `kernel_offset + p_paddr` with `p_memsz` bytes, the part past
/// `p_filesz` zero-filled. Rejected before anything is written: `p_filesz > p_memsz`, file
/// ranges that overflow or (when `file_len` is known) pass the end of the image, guest
/// addresses that overflow, an entry point (plus offset) below `highmem` (upstream's check) and
/// any segment starting below it, overlapping segments, an entry point outside every segment's
/// file bytes, no loadable segment at all, and `PT_NOTE` segments that are too large, too many or
/// outside the image. Segments with `p_memsz == 0` are checked but not planned.
///
/// Pure: it only looks at its arguments. Guest memory bounds are checked later by
/// [`LoadPlan::execute`].
pub fn plan(
    header: &Header,
    phdrs: &[ProgramHeader],
    kernel_offset: Option<GuestAddress>,
    highmem: Option<GuestAddress>,
    file_len: Option<u64>,
) -> Result<ElfPlan> {
    let offset = kernel_offset.map_or(0, |a| a.0);
    let entry = GuestAddress(offset.checked_add(header.entry).ok_or(Error::Overflow)?);
    if highmem.is_some_and(|h| entry < h) {
        return Err(Error::InvalidEntryAddress);
    }

    let mut placed: Vec<Placed> = Vec::new();
    let mut notes = Vec::new();
    for (index, ph) in phdrs.iter().enumerate() {
        if ph.p_type != PT_LOAD && ph.p_type != PT_NOTE {
            continue;
        }
        // A note segment is read into memory, so its size limit comes before everything else.
        if ph.p_type == PT_NOTE && ph.p_filesz > MAX_NOTE_SEGMENT_BYTES {
            return Err(Error::NoteSegmentTooLarge {
                index,
                filesz: ph.p_filesz,
                max: MAX_NOTE_SEGMENT_BYTES,
            });
        }
        if ph.p_type == PT_LOAD && ph.p_filesz > ph.p_memsz {
            return Err(Error::FileSizeExceedsMemSize {
                index,
                filesz: ph.p_filesz,
                memsz: ph.p_memsz,
            });
        }
        let file_end = ph
            .p_offset
            .checked_add(ph.p_filesz)
            .ok_or(Error::FileRangeOverflow {
                index,
                offset: ph.p_offset,
                filesz: ph.p_filesz,
            })?;
        if let Some(file_len) = file_len {
            if file_end > file_len {
                return Err(Error::SegmentOutsideFile {
                    index,
                    offset: ph.p_offset,
                    filesz: ph.p_filesz,
                    file_len,
                });
            }
        }
        if ph.p_type == PT_NOTE {
            if ph.p_filesz > 0 {
                if notes.len() >= MAX_NOTE_SEGMENTS {
                    return Err(Error::TooManyNoteSegments {
                        max: MAX_NOTE_SEGMENTS,
                    });
                }
                notes.push(NoteSegment {
                    index,
                    offset: ph.p_offset,
                    len: ph.p_filesz,
                });
            }
            continue;
        }

        let addr = offset
            .checked_add(ph.p_paddr)
            .ok_or(Error::InvalidProgramHeaderAddress)?;
        let guest = GuestRange::new(GuestAddress(addr), ph.p_memsz);
        if guest.end().is_none() {
            return Err(Error::SegmentAddressOverflow {
                index,
                addr,
                memsz: ph.p_memsz,
            });
        }
        if ph.p_memsz == 0 {
            continue;
        }
        if let Some(highmem) = highmem {
            if guest.start < highmem {
                return Err(Error::BelowHighmem {
                    index,
                    addr,
                    highmem: highmem.0,
                });
            }
        }
        placed.push(Placed {
            index,
            file_bytes: GuestRange::new(GuestAddress(ph.p_paddr), ph.p_filesz),
            guest,
        });
    }
    if placed.is_empty() {
        return Err(Error::NoLoadableSegments);
    }
    check_overlaps(&placed)?;
    if !placed.iter().any(|p| contains(&p.file_bytes, header.entry)) {
        return Err(Error::EntryOutsideSegments {
            entry: header.entry,
        });
    }

    let mut plan = LoadPlan::new().with_highmem_start(highmem);
    let mut loaded = GuestRange::default();
    let mut kernel_end = 0;
    for p in &placed {
        let Some(ph) = phdrs.get(p.index) else {
            continue;
        };
        plan.push(Segment {
            file_offset: ph.p_offset,
            file_len: ph.p_filesz,
            guest_addr: p.guest.start,
            mem_len: p.guest.len,
        })?;
        loaded = loaded.hull(&p.guest);
        kernel_end = kernel_end.max(p.guest.end_or_max());
    }

    Ok(ElfPlan {
        plan,
        class: header.class,
        machine: header.machine,
        entry,
        kernel_end,
        loaded,
        notes,
        kernel_offset,
        placed,
    })
}

impl ElfPlan {
    /// Decides the PVH capability from the entry found in the notes (see
    /// [`find_pvh_entry`](crate::find_pvh_entry)), with upstream's semantics: ignored when a
    /// kernel offset is given (the PVH entry is a physical address of the unrelocated image),
    /// otherwise present or not present. A present entry must lie in a `PT_LOAD` segment's file
    /// bytes ([`Error::PvhEntryOutsideSegments`]).
    pub fn pvh_capability(&self, pvh_note: Option<u32>) -> Result<PvhBootCapability> {
        if self.kernel_offset.is_some() {
            return Ok(PvhBootCapability::PvhEntryIgnored);
        }
        let Some(entry) = pvh_note else {
            return Ok(PvhBootCapability::PvhEntryNotPresent);
        };
        if !self
            .placed
            .iter()
            .any(|p| contains(&p.file_bytes, u64::from(entry)))
        {
            return Err(Error::PvhEntryOutsideSegments { entry });
        }
        Ok(PvhBootCapability::PvhEntryPresent(GuestAddress(u64::from(
            entry,
        ))))
    }

    /// What a load following this plan reports, given the PVH note entry and the executor's
    /// summary.
    pub fn outcome(&self, pvh_note: Option<u32>, summary: PlanSummary) -> Result<ElfLoad> {
        let pvh_boot_cap = self.pvh_capability(pvh_note)?;
        let pvh = match pvh_boot_cap {
            PvhBootCapability::PvhEntryPresent(addr) => Some(addr),
            PvhBootCapability::PvhEntryNotPresent | PvhBootCapability::PvhEntryIgnored => None,
        };
        let entry = match self.class {
            Class::Elf64 => EntryPoints {
                linux_64: Some(self.entry),
                pvh,
                ..EntryPoints::default()
            },
            Class::Elf32 => EntryPoints {
                linux_32: Some(self.entry),
                pvh,
                ..EntryPoints::default()
            },
        };
        Ok(ElfLoad {
            result: KernelLoaderResult {
                kernel_load: self.entry,
                kernel_end: self.kernel_end,
                loaded: self.loaded,
                entry,
                needs_free: self.loaded,
            },
            pvh_boot_cap,
            pvh_note_entry: pvh_note.map(|e| GuestAddress(u64::from(e))),
            class: self.class,
            machine: self.machine,
            summary,
        })
    }
}

/// Whether `addr` lies inside `range`.
fn contains(range: &GuestRange, addr: u64) -> bool {
    addr >= range.start.0 && range.end().is_some_and(|end| addr < end.0)
}

/// Rejects two segments sharing guest memory, naming them by program-header index.
fn check_overlaps(placed: &[Placed]) -> Result<()> {
    let mut order: Vec<&Placed> = placed.iter().collect();
    order.sort_by_key(|p| p.guest.start);
    for pair in order.windows(2) {
        let (Some(a), Some(b)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        if a.guest.overlaps(&b.guest) {
            let (first, second) = if a.index < b.index { (a, b) } else { (b, a) };
            return Err(Error::SegmentsOverlap {
                first: first.index,
                first_start: first.guest.start.0,
                first_end: first.guest.end_or_max(),
                second: second.index,
                second_start: second.guest.start.0,
                second_end: second.guest.end_or_max(),
            });
        }
    }
    Ok(())
}
