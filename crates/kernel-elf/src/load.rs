// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The loader: bounded reads, the pure parse/plan steps, then the executor.

use std::fmt;
use std::io::{Read, Seek};

use loader_core::{
    KernelLoader, KernelLoaderResult, PlanSummary, SeekSource, read_at_least, read_exact_at,
};
use vm_memory::{GuestAddress, GuestMemoryBackend, ReadVolatile};

use crate::error::{Error, Result};
use crate::note::find_pvh_entry;
use crate::parse::{Class, Machine, parse_ehdr, parse_phdrs};
use crate::plan::plan;
use crate::raw::Elf64_Ehdr;

/// Bytes read from the start of an image in the first read: the ELF header (64 bytes) and room for
/// 17 64-bit program headers (56 bytes each) right after it, where linkers put the table. Debian's
/// vmlinux has 5; a table elsewhere or longer is read on its own.
const HEAD_READ: usize = 1024;

/// Whether the kernel can be started with the PVH boot protocol (upstream's type, same
/// variants, derives and `Display` text).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PvhBootCapability {
    /// The image has a `XEN_ELFNOTE_PHYS32_ENTRY` note; this is the entry it gives.
    PvhEntryPresent(GuestAddress),
    /// The image has no PVH note.
    PvhEntryNotPresent,
    /// Not determined: a kernel offset was given, and the PVH entry only holds for the
    /// unrelocated image (upstream's rule). [`ElfLoad::pvh_note_entry`] still reports the note.
    #[default]
    PvhEntryIgnored,
}

impl fmt::Display for PvhBootCapability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PvhBootCapability::PvhEntryPresent(addr) => {
                write!(f, "PVH entry point present at guest address: {:#x}", addr.0)
            }
            PvhBootCapability::PvhEntryNotPresent => f.write_str("PVH entry point not present"),
            PvhBootCapability::PvhEntryIgnored => f.write_str("PVH entry point ignored"),
        }
    }
}

/// Everything an ELF load reports: the arch-neutral result plus what only ELF knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ElfLoad {
    /// `kernel_load` is the entry point (plus offset), as upstream reports it; `kernel_end`
    /// covers BSS; `entry.linux_64` (ELF64) or `entry.linux_32` (ELF32) is the ELF entry and
    /// `entry.pvh` the PVH entry when [`pvh_boot_cap`](Self::pvh_boot_cap) is present.
    pub result: KernelLoaderResult,
    /// Upstream's `pvh_boot_cap`.
    pub pvh_boot_cap: PvhBootCapability,
    /// The entry the PVH note carries, reported even when a kernel offset makes
    /// [`pvh_boot_cap`](Self::pvh_boot_cap) `PvhEntryIgnored`.
    pub pvh_note_entry: Option<GuestAddress>,
    /// 32- or 64-bit.
    pub class: Class,
    /// x86_64 or i386.
    pub machine: Machine,
    /// Bytes copied from the image and zero-filled, and the guest memory written.
    pub summary: PlanSummary,
}

/// Raw ELF (vmlinux) kernel image loader, for x86_64 (ELF64) and i386 (ELF32) kernels.
///
/// Each `PT_LOAD` segment is placed at `p_paddr` (plus `kernel_offset` when given), its BSS
/// zeroed; the entry point is `e_entry` (plus the offset); the PVH entry comes from the
/// `XEN_ELFNOTE_PHYS32_ENTRY` note, looked up across every `PT_NOTE` segment. The whole image
/// is validated before guest memory is touched: on error guest memory is unchanged. See the
/// crate docs for the differences from upstream.
#[derive(Clone, Copy, Debug, Default)]
pub struct Elf;

impl Elf {
    /// Loads an ELF kernel and reports everything known about it.
    ///
    /// Same arguments and semantics as [`KernelLoader::load`], which returns only
    /// [`ElfLoad::result`].
    pub fn load_detailed<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<ElfLoad>
    where
        F: Read + ReadVolatile + Seek,
    {
        // Every read below seeks first, so the position `source_end` leaves does not matter.
        let file_len = loader_core::source_end(kernel_image)?;

        // The ELF header and, in one read, the program header table when it follows the header
        // closely (as linkers place it): HEAD_READ bytes, fewer when the image is shorter.
        let mut head = [0u8; HEAD_READ];
        let head_len = usize::try_from(file_len)
            .unwrap_or(usize::MAX)
            .min(head.len());
        let head = head.get_mut(..head_len).unwrap_or_default();
        let ehdr_len = size_of::<Elf64_Ehdr>();
        let got = read_at_least(kernel_image, 0, head, ehdr_len, "ELF header")?;
        let head = head.get(..got).unwrap_or_default();
        let header = parse_ehdr(head.get(..ehdr_len).unwrap_or(head))?;

        // The program header table: at most MAX_PROGRAM_HEADERS * 56 bytes.
        let size = header.phdrs_size();
        let table_end = header.phoff.checked_add(size);
        if table_end.is_none_or(|end| end > file_len) {
            return Err(Error::ProgramHeadersOutsideFile {
                phoff: header.phoff,
                size,
                file_len,
            });
        }
        let in_head = usize::try_from(header.phoff)
            .ok()
            .zip(usize::try_from(size).ok())
            .and_then(|(start, len)| head.get(start..start.checked_add(len)?));
        let phdrs = match in_head {
            Some(table) => parse_phdrs(&header, table)?,
            None => {
                let mut table =
                    vec![0u8; usize::try_from(size).map_err(|_| Error::ReadProgramHeader)?];
                read_exact_at(
                    kernel_image,
                    header.phoff,
                    &mut table,
                    "ELF program headers",
                )?;
                parse_phdrs(&header, &table)?
            }
        };

        let elf_plan = plan(
            &header,
            &phdrs,
            kernel_offset,
            highmem_start_address,
            Some(file_len),
        )?;

        // Notes: each segment at most MAX_NOTE_SEGMENT_BYTES, at most MAX_NOTE_SEGMENTS of them.
        // The first PVH entry found wins; later segments cannot erase it.
        let mut pvh_note = None;
        let mut buf = Vec::new();
        for note in &elf_plan.notes {
            buf.clear();
            buf.resize(
                usize::try_from(note.len).map_err(|_| Error::ReadNoteHeader)?,
                0,
            );
            read_exact_at(kernel_image, note.offset, &mut buf, "ELF notes")?;
            let entry = find_pvh_entry(&buf)?;
            pvh_note = pvh_note.or(entry);
        }
        // Checked before writing, so a bad PVH entry leaves guest memory untouched.
        elf_plan.pvh_capability(pvh_note)?;

        let summary = elf_plan
            .plan
            .execute(guest_mem, &mut SeekSource::with_len(kernel_image, file_len))?;
        elf_plan.outcome(pvh_note, summary)
    }
}

impl KernelLoader for Elf {
    type Error = Error;

    /// Loads a vmlinux into guest memory; see [`Elf`] and [`Elf::load_detailed`].
    ///
    /// * `kernel_offset` — added to every `p_paddr` and to the entry point; when given, the PVH
    ///   entry is reported as ignored (upstream's rule).
    /// * `highmem_start_address` — every segment, not only the entry point, must start at or
    ///   above it.
    fn load<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<KernelLoaderResult>
    where
        F: Read + ReadVolatile + Seek,
    {
        Self::load_detailed(
            guest_mem,
            kernel_offset,
            kernel_image,
            highmem_start_address,
        )
        .map(|l| l.result)
    }
}
