// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The ELF loader's error type.

use crate::parse::Class;

/// Why an ELF image was rejected or could not be loaded.
///
/// # Compatibility with upstream linux-loader
///
/// VMMs match upstream's `linux_loader::loader::elf::Error` variants by name — Firecracker, for
/// one, falls back to the bzImage loader on `elf::Error::InvalidElfMagicNumber`. So:
///
/// * Every variant upstream has keeps its name **and its shape** (a unit variant), so patterns
///   and comparisons written against upstream compile and behave unchanged. Upstream returned
///   some of them for I/O details this loader handles differently; those are still defined but
///   never returned (each says so).
/// * Checks upstream does not make get new variants that carry the offending field and value.
/// * The enum is deliberately **not** `#[non_exhaustive]`: upstream's is not, and adding the
///   attribute would break every exhaustive `match` a VMM has today. Adding a variant is
///   therefore a breaking change of this crate, made only with a minor version bump.
/// * Upstream derived `PartialEq` and `Eq`, and VMM tests use `assert_eq!` on these errors; so do
///   we ([`loader_core::Error`] compares the I/O errors it carries by kind and message).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    // ---- upstream's variants -------------------------------------------------------------
    /// Upstream: an ELF note alignment that is not a power of two. Notes are always 4-byte
    /// aligned here, so this is never returned.
    #[error("ELF note alignment is not a power of two")]
    Align,
    /// `EI_DATA` is `ELFDATA2MSB`: a big-endian image (x86 kernels are little-endian).
    #[error("ELF header: EI_DATA is 2 (big-endian); x86 kernels are little-endian")]
    BigEndianElfOnLittle,
    /// The image does not start with `\x7fELF` — not an ELF file (a bzImage, say).
    #[error("ELF header: magic is not \\x7fELF — not an ELF image?")]
    InvalidElfMagicNumber,
    /// `e_phentsize` differs from the program header size of the image's class (56 bytes for
    /// ELF64, 32 for ELF32).
    #[error(
        "ELF header: e_phentsize does not match the class (expected 56 for ELF64, 32 for ELF32)"
    )]
    InvalidProgramHeaderSize,
    /// `e_phoff` points into the ELF header itself, or the program header table's end overflows.
    #[error("ELF header: e_phoff points inside the ELF header or the table end overflows")]
    InvalidProgramHeaderOffset,
    /// `kernel_offset + p_paddr` does not fit in 64 bits.
    #[error("a PT_LOAD p_paddr plus the kernel offset overflows 64 bits")]
    InvalidProgramHeaderAddress,
    /// The entry point (plus the kernel offset) lies below the high-memory start address
    /// (upstream's check, kept; every segment is also checked, see [`Error::BelowHighmem`]).
    #[error("the ELF entry point lies below the high-memory start address")]
    InvalidEntryAddress,
    /// `kernel_offset + e_entry` does not fit in 64 bits.
    #[error("the ELF entry point plus the kernel offset overflows 64 bits")]
    Overflow,
    /// The image is shorter than its ELF header (52 bytes for ELF32, 64 for ELF64), or the
    /// header bytes could not be parsed.
    #[error("ELF header: image is shorter than the ELF header — truncated image?")]
    ReadElfHeader,
    /// Upstream: copying a segment failed. Segment copies go through the plan executor here and
    /// fail as [`Error::Plan`], so this is never returned.
    #[error("unable to read the kernel image")]
    ReadKernelImage,
    /// The program header bytes handed to the parser are fewer than `e_phnum * e_phentsize`, or
    /// could not be parsed.
    #[error("ELF program headers: fewer bytes than e_phnum * e_phentsize — truncated image?")]
    ReadProgramHeader,
    /// Upstream: seeking to a segment failed. Reported as [`Error::Plan`] here; never returned.
    #[error("unable to seek to the kernel start")]
    SeekKernelStart,
    /// Upstream: seeking to the ELF header failed. Reported as [`Error::Plan`] here; never
    /// returned.
    #[error("unable to seek to the ELF start")]
    SeekElfStart,
    /// Upstream: seeking to the program headers failed. Reported as [`Error::Plan`] here; never
    /// returned.
    #[error("unable to seek to the program headers")]
    SeekProgramHeader,
    /// Upstream: seeking to a note failed. Reported as [`Error::Plan`] here; never returned.
    #[error("unable to seek to a note header")]
    SeekNoteHeader,
    /// A `PT_NOTE` segment ends inside a 12-byte note header.
    #[error("ELF note segment ends inside a note header — malformed notes")]
    ReadNoteHeader,
    /// The `XEN_ELFNOTE_PHYS32_ENTRY` note's descriptor is shorter than the 4-byte entry.
    #[error("PVH note (Xen, type 18): descriptor shorter than 4 bytes")]
    InvalidPvhNote,

    // ---- new checks ------------------------------------------------------------------------
    /// `EI_CLASS` is neither `ELFCLASS32` (1) nor `ELFCLASS64` (2).
    #[error("ELF header: EI_CLASS is {class}, expected 1 (ELF32) or 2 (ELF64)")]
    UnsupportedClass {
        /// The `EI_CLASS` byte.
        class: u8,
    },
    /// `EI_DATA` is neither `ELFDATA2LSB` (1) nor `ELFDATA2MSB` (2).
    #[error("ELF header: EI_DATA is {ei_data}, expected 1 (little-endian)")]
    InvalidDataEncoding {
        /// The `EI_DATA` byte.
        ei_data: u8,
    },
    /// `e_machine` is not x86 for the image's class (ELF64 needs `EM_X86_64`, ELF32 `EM_386`).
    #[error(
        "ELF header: e_machine is {machine} for an {class} image; expected 62 (x86_64) for \
         ELF64 or 3 (i386) for ELF32"
    )]
    UnsupportedMachine {
        /// The `e_machine` value.
        machine: u16,
        /// The image's class.
        class: Class,
    },
    /// `e_type` is neither `ET_EXEC` nor `ET_DYN`: not a loadable kernel (an object file?).
    #[error("ELF header: e_type is {e_type}, expected 2 (ET_EXEC) or 3 (ET_DYN)")]
    UnsupportedType {
        /// The `e_type` value.
        e_type: u16,
    },
    /// `e_phnum` exceeds [`crate::limits::MAX_PROGRAM_HEADERS`].
    #[error("ELF header: e_phnum is {count}, more than the limit of {max}")]
    TooManyProgramHeaders {
        /// The `e_phnum` value.
        count: u16,
        /// The limit.
        max: u16,
    },
    /// The program header table extends past the end of the image.
    #[error(
        "ELF program headers at {phoff:#x} ({size:#x} bytes) extend past the end of the image \
         ({file_len:#x} bytes)"
    )]
    ProgramHeadersOutsideFile {
        /// `e_phoff`.
        phoff: u64,
        /// `e_phnum * e_phentsize`.
        size: u64,
        /// Length of the image.
        file_len: u64,
    },
    /// The image has no `PT_LOAD` segment with memory to load.
    #[error("ELF image has no PT_LOAD segment with a non-zero p_memsz — nothing to load")]
    NoLoadableSegments,
    /// A `PT_LOAD` segment's `p_filesz` exceeds its `p_memsz`.
    #[error("program header {index}: p_filesz {filesz:#x} exceeds p_memsz {memsz:#x}")]
    FileSizeExceedsMemSize {
        /// Index of the program header.
        index: usize,
        /// `p_filesz`.
        filesz: u64,
        /// `p_memsz`.
        memsz: u64,
    },
    /// A `PT_LOAD` segment's guest address plus `p_memsz` does not fit in 64 bits.
    #[error("program header {index}: guest address {addr:#x} + p_memsz {memsz:#x} overflows")]
    SegmentAddressOverflow {
        /// Index of the program header.
        index: usize,
        /// Guest address of the segment (`p_paddr` plus the kernel offset).
        addr: u64,
        /// `p_memsz`.
        memsz: u64,
    },
    /// A segment's `p_offset + p_filesz` does not fit in 64 bits.
    #[error("program header {index}: p_offset {offset:#x} + p_filesz {filesz:#x} overflows")]
    FileRangeOverflow {
        /// Index of the program header.
        index: usize,
        /// `p_offset`.
        offset: u64,
        /// `p_filesz`.
        filesz: u64,
    },
    /// A segment's file bytes extend past the end of the image.
    #[error(
        "program header {index}: file bytes {offset:#x}+{filesz:#x} extend past the end of the \
         image ({file_len:#x} bytes) — truncated image?"
    )]
    SegmentOutsideFile {
        /// Index of the program header.
        index: usize,
        /// `p_offset`.
        offset: u64,
        /// `p_filesz`.
        filesz: u64,
        /// Length of the image.
        file_len: u64,
    },
    /// Two `PT_LOAD` segments occupy the same guest memory.
    #[error(
        "program headers {first} ({first_start:#x}..{first_end:#x}) and {second} \
         ({second_start:#x}..{second_end:#x}) overlap in guest memory"
    )]
    SegmentsOverlap {
        /// Index of the first program header.
        first: usize,
        /// Its first guest address.
        first_start: u64,
        /// One past its last guest address.
        first_end: u64,
        /// Index of the second program header.
        second: usize,
        /// Its first guest address.
        second_start: u64,
        /// One past its last guest address.
        second_end: u64,
    },
    /// A `PT_LOAD` segment starts below the high-memory start address.
    #[error(
        "program header {index}: guest address {addr:#x} is below the high-memory start \
         {highmem:#x}"
    )]
    BelowHighmem {
        /// Index of the program header.
        index: usize,
        /// Guest address of the segment.
        addr: u64,
        /// The high-memory start address.
        highmem: u64,
    },
    /// `e_entry` lies in no `PT_LOAD` segment's file bytes.
    #[error("ELF header: e_entry {entry:#x} lies in no PT_LOAD segment's file bytes")]
    EntryOutsideSegments {
        /// `e_entry`.
        entry: u64,
    },
    /// The PVH entry from the `XEN_ELFNOTE_PHYS32_ENTRY` note lies in no `PT_LOAD` segment's
    /// file bytes.
    #[error("PVH note: entry {entry:#x} lies in no PT_LOAD segment's file bytes")]
    PvhEntryOutsideSegments {
        /// The entry the note carries.
        entry: u32,
    },
    /// A `PT_NOTE` segment is larger than [`crate::limits::MAX_NOTE_SEGMENT_BYTES`].
    #[error("program header {index}: PT_NOTE p_filesz {filesz:#x} exceeds the limit of {max:#x}")]
    NoteSegmentTooLarge {
        /// Index of the program header.
        index: usize,
        /// `p_filesz`.
        filesz: u64,
        /// The limit.
        max: u64,
    },
    /// The image has more `PT_NOTE` segments than [`crate::limits::MAX_NOTE_SEGMENTS`].
    #[error("ELF image has more than {max} PT_NOTE segments")]
    TooManyNoteSegments {
        /// The limit.
        max: usize,
    },
    /// A note's name or descriptor extends past the end of its `PT_NOTE` segment.
    #[error(
        "ELF note at offset {offset:#x} of its segment: name ({namesz:#x} bytes) and descriptor \
         ({descsz:#x} bytes) extend past the segment end ({len:#x})"
    )]
    NoteOverrun {
        /// Offset of the note header inside the segment.
        offset: u64,
        /// `n_namesz`.
        namesz: u32,
        /// `n_descsz`.
        descsz: u32,
        /// Length of the segment.
        len: u64,
    },
    /// goblin and this crate's own field decoding disagree about a header field — a parser
    /// bug, reported instead of trusting either.
    #[error("ELF {what}: goblin and the field decoder disagree — refusing the image")]
    ParserMismatch {
        /// The structure whose decodings differ.
        what: &'static str,
    },
    /// Streaming load: the ELF header and program header table do not end within the first
    /// [`crate::limits::MAX_STREAM_HEADER_BYTES`] of the stream, which cannot seek back to them.
    #[error(
        "ELF program headers at {phoff:#x} ({size:#x} bytes) do not end within the first {max:#x} \
         bytes of the stream"
    )]
    ProgramHeadersBeyondStreamPrefix {
        /// `e_phoff`.
        phoff: u64,
        /// `e_phnum * e_phentsize`.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Streaming load: the notes, which a stream only reaches after writing segments, are
    /// malformed (or give a PVH entry outside the segments); guest memory in `written` already
    /// holds this load's segments.
    #[error(
        "ELF notes read while streaming are invalid: {source} (guest range {:#x}..{:#x} was \
         already written)",
        written.start.0,
        written.end_or_max()
    )]
    NotesAfterWrite {
        /// The guest memory the load wrote.
        written: loader_core::GuestRange,
        /// What was wrong with the notes.
        source: Box<Error>,
    },
    /// Reading the image failed, or the load plan was rejected or failed while executing
    /// (a segment outside guest memory, a read error while copying).
    #[error(transparent)]
    Plan(#[from] loader_core::Error),
}

/// Result alias for ELF loading.
pub type Result<T> = std::result::Result<T, Error>;
