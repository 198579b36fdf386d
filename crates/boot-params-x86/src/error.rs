// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Errors of this crate.

use core::fmt;

use crate::layout::BootProtocol;

/// A guest range the builders, the planner or the writer talk about.
///
/// Errors name ranges with this, so "zero page overlaps `setup_data[1]`" can be told apart from
/// "zero page overlaps VMM range 0" without parsing a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RangeName {
    /// The memory the loaded kernel needs left alone (`KernelLoaderResult::needs_free`).
    Kernel,
    /// The Linux zero page (`boot_params`).
    ZeroPage,
    /// The NUL-terminated kernel command line.
    Cmdline,
    /// The `setup_data` node at this index of the chain.
    SetupData(usize),
    /// The initial ramdisk.
    Initrd,
    /// PVH `hvm_start_info`.
    StartInfo,
    /// PVH memory map (`hvm_memmap_table_entry` array).
    Memmap,
    /// PVH module list (`hvm_modlist_entry` array).
    Modlist,
    /// The RAM region at this index of the VMM's memory map.
    Ram(usize),
    /// The reserved range at this index of the VMM's memory map.
    Reserved(usize),
    /// The VMM-occupied range at this index (page tables, GDT, ACPI tables, ...).
    Occupied(usize),
}

impl fmt::Display for RangeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeName::Kernel => f.write_str("kernel"),
            RangeName::ZeroPage => f.write_str("zero page"),
            RangeName::Cmdline => f.write_str("command line"),
            RangeName::SetupData(i) => write!(f, "setup_data[{i}]"),
            RangeName::Initrd => f.write_str("initrd"),
            RangeName::StartInfo => f.write_str("hvm_start_info"),
            RangeName::Memmap => f.write_str("PVH memory map"),
            RangeName::Modlist => f.write_str("PVH module list"),
            RangeName::Ram(i) => write!(f, "RAM region {i}"),
            RangeName::Reserved(i) => write!(f, "reserved range {i}"),
            RangeName::Occupied(i) => write!(f, "VMM range {i}"),
        }
    }
}

/// What went wrong while reading x86 boot structures out of image bytes, building them, planning
/// where they go, or writing them.
///
/// Every variant names the range, field or index it is about and the values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The image ends before the end of the setup header.
    #[error(
        "bzImage setup header at {offset:#x}: needs {needed:#x} bytes, only {available:#x} \
         available — truncated image, or not a bzImage?"
    )]
    SetupHeaderTruncated {
        /// Image offset of the setup header (0x1f1).
        offset: usize,
        /// Size of the setup header.
        needed: usize,
        /// Bytes the image has at and after `offset` (0 if it ends before it).
        available: usize,
    },
    /// The setup header lacks the "HdrS" magic or speaks a boot protocol older than this crate
    /// can fill in.
    #[error(
        "setup header: boot protocol {}, need at least {min:#06x} (cmd_line_ptr) — \
         not a bzImage header?",
        match version { Some(v) => format!("{v:#06x}"), None => "unknown (no HdrS magic)".to_owned() }
    )]
    UnsupportedProtocol {
        /// The header's protocol version, `None` without the "HdrS" magic.
        version: Option<u16>,
        /// The oldest protocol supported.
        min: u16,
    },
    /// The command line contains a NUL byte (it must be given without its terminator).
    #[error("command line: NUL byte at offset {offset} (give the command line without its NUL)")]
    CmdlineHasNul {
        /// Offset of the first NUL.
        offset: usize,
    },
    /// The command line is longer than the kernel accepts (`cmdline_size`).
    #[error(
        "command line is {len} bytes, the kernel accepts at most {max} (setup header cmdline_size)"
    )]
    CmdlineTooLong {
        /// Length without the NUL.
        len: usize,
        /// The kernel's limit without the NUL.
        max: u32,
    },
    /// More input items than a limit of [`crate::limits`] allows.
    #[error("{what}: {count} given, at most {max} supported")]
    TooMany {
        /// What was counted ("RAM regions", "setup_data entries", ...).
        what: &'static str,
        /// How many were given (or produced).
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A range's end does not fit in 64 bits.
    #[error("{name}: start {start:#x} + length {len:#x} overflows")]
    AddressOverflow {
        /// The range.
        name: RangeName,
        /// Its start.
        start: u64,
        /// Its length.
        len: u64,
    },
    /// A reserved range was given the e820 type of usable RAM.
    #[error("reserved range {index}: e820 type {type_} is not a reserved type")]
    InvalidReservedType {
        /// Index of the reserved range.
        index: usize,
        /// Its type.
        type_: u32,
    },
    /// The memory map has no usable RAM.
    #[error("the memory map has no usable RAM")]
    NoRam,
    /// A `setup_data` entry has type `SETUP_NONE` (0), which ends a chain.
    #[error("setup_data entry {index}: type {type_:#x} cannot be used for a node")]
    SetupDataType {
        /// Index of the entry.
        index: usize,
        /// Its type.
        type_: u32,
    },
    /// A `setup_data` node (header included) is larger than the kernel can map.
    #[error(
        "setup_data entry {index}: node of {len:#x} bytes exceeds {max:#x} (the kernel's \
         early_memremap window)"
    )]
    SetupDataTooLarge {
        /// Index of the entry.
        index: usize,
        /// Node length, header included.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The whole `setup_data` chain is larger than its budget.
    #[error("setup_data chain of {len:#x} bytes exceeds its budget of {max:#x}")]
    SetupDataChainTooLarge {
        /// Chain length, padding included.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// The kernel's boot protocol predates `setup_data` (2.09).
    #[error("setup_data needs boot protocol 2.09, the kernel speaks {version:#06x}")]
    SetupDataUnsupported {
        /// The kernel's protocol version.
        version: u16,
    },
    /// Something that only the Linux boot protocol can carry was asked for a PVH boot.
    #[error("{what} cannot be passed to a PVH kernel (it has no setup_data)")]
    NotForPvh {
        /// What was asked for.
        what: &'static str,
    },
    /// An address lacks the alignment the protocol asks for.
    #[error("{name} at {addr:#x} is not {align:#x}-byte aligned")]
    Misaligned {
        /// The range.
        name: RangeName,
        /// Its start.
        addr: u64,
        /// The required alignment.
        align: u64,
    },
    /// A range is not entirely inside usable RAM of the memory map.
    #[error("{name} at {start:#x}..{end:#x} is not inside usable RAM of the memory map")]
    NotInRam {
        /// The range.
        name: RangeName,
        /// Its start.
        start: u64,
        /// One past its end.
        end: u64,
    },
    /// A range lies (partly) above 4 GiB, which the chosen protocol or kernel cannot reach.
    #[error(
        "{name} at {start:#x}..{end:#x} extends above 4 GiB, which the {protocol} entry or the \
         kernel (no XLF_CAN_BE_LOADED_ABOVE_4G) cannot reach"
    )]
    Above4G {
        /// The range.
        name: RangeName,
        /// Its start.
        start: u64,
        /// One past its end.
        end: u64,
        /// The protocol in use.
        protocol: BootProtocol,
    },
    /// Two ranges share guest memory.
    #[error(
        "{first} ({first_start:#x}..{first_end:#x}) overlaps {second} \
         ({second_start:#x}..{second_end:#x})"
    )]
    RangesOverlap {
        /// The first range.
        first: RangeName,
        /// Its start.
        first_start: u64,
        /// One past its end.
        first_end: u64,
        /// The second range.
        second: RangeName,
        /// Its start.
        second_start: u64,
        /// One past its end.
        second_end: u64,
    },
    /// An initrd of zero bytes was given (the kernel reads `ramdisk_size == 0` as "no initrd").
    #[error("the initrd is empty")]
    InitrdEmpty,
    /// No free, page-aligned place in RAM below the initrd limit can hold the initrd.
    #[error(
        "no free page-aligned range of {size:#x} bytes in RAM between {min:#x} and {max_end:#x} \
         for the initrd"
    )]
    InitrdDoesNotFit {
        /// The initrd's size.
        size: u64,
        /// Lowest address considered.
        min: u64,
        /// One past the highest address allowed (`initrd_addr_max + 1`, or the 4 GiB / 64-bit
        /// limit).
        max_end: u64,
    },
    /// An initrd placed by the VMM ends above the kernel's `initrd_addr_max`.
    #[error("initrd at {start:#x}..{end:#x} ends above the kernel's limit (last byte {max:#x})")]
    InitrdAboveMax {
        /// Its start.
        start: u64,
        /// One past its end.
        end: u64,
        /// The highest address the initrd may occupy.
        max: u64,
    },
    /// The initrd source's length differs from the size the layout was planned for.
    #[error("the initrd is {actual:#x} bytes, the layout was planned for {planned:#x}")]
    InitrdSizeMismatch {
        /// Size given to the planner.
        planned: u64,
        /// Size of the source.
        actual: u64,
    },
    /// An initrd source was given but the layout has no initrd.
    #[error("the layout was planned without an initrd")]
    NoInitrdPlanned,
    /// The kernel has no entry point for the requested protocol.
    #[error("the kernel has no {protocol} entry point")]
    NoEntryPoint {
        /// The protocol.
        protocol: BootProtocol,
    },
    /// A 32-bit entry point (or the structure its register points at) is above 4 GiB.
    #[error("{protocol}: {what} {addr:#x} does not fit a 32-bit register")]
    EntryAbove4G {
        /// The protocol.
        protocol: BootProtocol,
        /// Which value ("entry point", "zero page", "hvm_start_info").
        what: &'static str,
        /// The address.
        addr: u64,
    },
    /// A range to be written is not entirely backed by guest memory.
    #[error("{name} at {start:#x}..{end:#x} is not backed by guest memory")]
    OutsideMemory {
        /// The range.
        name: RangeName,
        /// Its start.
        start: u64,
        /// One past its end.
        end: u64,
    },
    /// Guest memory refused a write that was validated before.
    #[error("writing {name} at {addr:#x} to guest memory failed")]
    GuestWrite {
        /// The range.
        name: RangeName,
        /// Its start.
        addr: u64,
    },
    /// A configurator header has the wrong size for its structure.
    #[error("{name}: {len} bytes given, the structure is {expected} bytes")]
    HeaderSize {
        /// The structure.
        name: RangeName,
        /// Bytes given.
        len: usize,
        /// Its size.
        expected: usize,
    },
    /// A list's length is not a whole number of its entries.
    #[error("{name}: {len} bytes is not a whole number of {entry_size}-byte entries")]
    ListNotWholeEntries {
        /// The list.
        name: RangeName,
        /// Its length in bytes.
        len: usize,
        /// Size of one entry.
        entry_size: usize,
    },
    /// `hvm_start_info.magic` is not `XEN_HVM_START_MAGIC_VALUE`.
    #[error("hvm_start_info: magic {magic:#x}, expected 0x336ec578")]
    StartInfoMagic {
        /// The magic found.
        magic: u32,
    },
    /// `hvm_start_info.memmap_paddr` does not point at the memory map being written.
    #[error(
        "hvm_start_info: memmap_paddr {memmap_paddr:#x}, but the memory map goes to {written:#x}"
    )]
    MemmapPaddrMismatch {
        /// The header's field.
        memmap_paddr: u64,
        /// Where the memory map is written.
        written: u64,
    },
    /// `hvm_start_info.memmap_entries` disagrees with the memory map being written.
    #[error("hvm_start_info: memmap_entries {memmap_entries}, but {written} entries are written")]
    MemmapEntriesMismatch {
        /// The header's field.
        memmap_entries: u32,
        /// Entries written.
        written: usize,
    },
    /// `hvm_start_info.modlist_paddr` does not point at the module list being written.
    #[error(
        "hvm_start_info: modlist_paddr {modlist_paddr:#x}, but the module list goes to {written:#x}"
    )]
    ModlistPaddrMismatch {
        /// The header's field.
        modlist_paddr: u64,
        /// Where the module list is written (0 when there is none).
        written: u64,
    },
    /// `hvm_start_info.nr_modules` disagrees with the module list being written.
    #[error("hvm_start_info: nr_modules {nr_modules}, but {written} modules are written")]
    ModulesCountMismatch {
        /// The header's field.
        nr_modules: u32,
        /// Modules written.
        written: usize,
    },
    /// An upstream configurator error (missing list, missing address, unexpected list).
    #[error(transparent)]
    Configurator(#[from] loader_core::configurator::Error),
}

/// Why writing a layout together with its initrd failed.
///
/// Separate from [`Error`] because loader-core's executor errors carry I/O errors, which are
/// neither `Clone` nor `PartialEq`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The boot structures (or the initrd's size) were rejected; nothing was written.
    #[error(transparent)]
    Boot(#[from] Error),
    /// loader-core's executor rejected or failed the initrd segment (segment index 0). When it
    /// was rejected nothing was written; a forward-only stream ending early leaves part of the
    /// initrd range written and no boot structure written.
    #[error("initrd: {0}")]
    Initrd(#[from] loader_core::Error),
}
