// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Errors of this crate.

/// What went wrong while validating, parsing, patching, serializing or placing a device tree.
///
/// Validation errors name the blob offset they are about (`offset`: bytes from the start of the
/// blob) and the offending values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The blob is shorter than the FDT header.
    #[error("DTB is {len:#x} bytes, shorter than its {needed:#x}-byte header — truncated?")]
    HeaderTruncated {
        /// Bytes available.
        len: u64,
        /// Bytes the header needs.
        needed: u64,
    },
    /// The header's magic is not `0xd00dfeed`.
    #[error("DTB header at 0x0: magic is {found:#010x}, expected 0xd00dfeed — not a device tree?")]
    BadMagic {
        /// The big-endian value found.
        found: u32,
    },
    /// `totalsize` is larger than the bytes given.
    #[error(
        "DTB header: totalsize {totalsize:#x} exceeds the {len:#x} bytes available — truncated?"
    )]
    TotalSizePastEnd {
        /// The header's `totalsize`.
        totalsize: u64,
        /// Bytes available.
        len: u64,
    },
    /// `totalsize` is smaller than the header itself.
    #[error(
        "DTB header: totalsize {totalsize:#x} is smaller than the {header_size:#x}-byte header"
    )]
    TotalSizeTooSmall {
        /// The header's `totalsize`.
        totalsize: u64,
        /// Size of the header for this version.
        header_size: u64,
    },
    /// The blob (or the blob a serialization would produce) exceeds the size limit.
    #[error("DTB is {size:#x} bytes, more than the {max:#x} allowed (booting.rst: at most 2 MiB)")]
    TooLarge {
        /// Size of the blob.
        size: u64,
        /// [`MAX_DTB_SIZE`](crate::limits::MAX_DTB_SIZE).
        max: u64,
    },
    /// The blob's version cannot be read by a version-17 reader.
    #[error(
        "DTB header: version {version}, last_comp_version {last_comp_version}; this reader \
         handles versions 16 and 17"
    )]
    UnsupportedVersion {
        /// The header's `version`.
        version: u32,
        /// The header's `last_comp_version`.
        last_comp_version: u32,
    },
    /// The memory reservation block is misaligned or outside the blob.
    #[error(
        "DTB memory reservation block at {offset:#x} is misaligned or outside totalsize {totalsize:#x}"
    )]
    ReserveMapOutOfRange {
        /// The header's `off_mem_rsvmap`, or the offset of the entry that does not fit.
        offset: u64,
        /// The header's `totalsize`.
        totalsize: u64,
    },
    /// The memory reservation block has more entries than the limit.
    #[error("DTB memory reservation block has more than {max} entries")]
    TooManyReserveEntries {
        /// [`MAX_RESERVE_ENTRIES`](crate::limits::MAX_RESERVE_ENTRIES).
        max: usize,
    },
    /// The structure block is misaligned or outside the blob.
    #[error(
        "DTB structure block {offset:#x}+{size:#x} is misaligned or outside totalsize {totalsize:#x}"
    )]
    StructBlockOutOfRange {
        /// The header's `off_dt_struct`.
        offset: u64,
        /// The header's `size_dt_struct`.
        size: u64,
        /// The header's `totalsize`.
        totalsize: u64,
    },
    /// The strings block is outside the blob.
    #[error("DTB strings block {offset:#x}+{size:#x} is outside totalsize {totalsize:#x}")]
    StringsBlockOutOfRange {
        /// The header's `off_dt_strings`.
        offset: u64,
        /// The header's `size_dt_strings`.
        size: u64,
        /// The header's `totalsize`.
        totalsize: u64,
    },
    /// A token that is not allowed where it appears (or is unknown).
    #[error("DTB structure block at {offset:#x}: unexpected token {token:#x}")]
    UnexpectedToken {
        /// Blob offset of the token.
        offset: u64,
        /// The token.
        token: u32,
    },
    /// The structure block ends (by `FDT_END` or by running out) while nodes are still open.
    #[error("DTB structure block at {offset:#x}: ends with {depth} node(s) still open")]
    UnterminatedNode {
        /// Blob offset where the block ended.
        offset: u64,
        /// Nodes left open.
        depth: usize,
    },
    /// A node or property name is not NUL-terminated inside its block.
    #[error("DTB at {offset:#x}: name is not NUL-terminated inside its block")]
    UnterminatedName {
        /// Blob offset of the name.
        offset: u64,
    },
    /// A node or property name is empty (except the root's), too long, or holds a byte outside
    /// printable ASCII.
    #[error(
        "DTB at {offset:#x}: invalid node or property name (empty, too long or not printable ASCII)"
    )]
    BadName {
        /// Blob offset of the name (for serialization: of the node or property being written).
        offset: u64,
    },
    /// A property's value runs past the structure block.
    #[error("DTB property at {offset:#x}: value of {len:#x} bytes runs past the structure block")]
    PropertyOutOfRange {
        /// Blob offset of the `FDT_PROP` token.
        offset: u64,
        /// The property's length.
        len: u64,
    },
    /// A property's name offset is outside the strings block.
    #[error("DTB property at {offset:#x}: name offset {nameoff:#x} is outside the strings block")]
    BadStringOffset {
        /// Blob offset of the `FDT_PROP` token.
        offset: u64,
        /// The property's `nameoff`.
        nameoff: u64,
    },
    /// Nodes are nested deeper than the limit.
    #[error("DTB at {offset:#x}: nodes nested deeper than {max}")]
    DepthLimit {
        /// Blob offset of the node that is too deep (0 when serializing).
        offset: u64,
        /// [`MAX_DEPTH`](crate::limits::MAX_DEPTH).
        max: usize,
    },
    /// The tree has more nodes than the limit.
    #[error("DTB has more than {max} nodes")]
    TooManyNodes {
        /// [`MAX_NODES`](crate::limits::MAX_NODES).
        max: usize,
    },
    /// The tree has more properties than the limit.
    #[error("DTB has more than {max} properties")]
    TooManyProperties {
        /// [`MAX_PROPERTIES`](crate::limits::MAX_PROPERTIES).
        max: usize,
    },
    /// A string property value (bootargs, stdout-path) contains a NUL byte.
    #[error("/chosen {property}: value contains a NUL byte")]
    InteriorNul {
        /// The property being set.
        property: &'static str,
    },
    /// The initrd range ends before it starts.
    #[error("initrd range {start:#x}..{end:#x} ends before it starts")]
    BadInitrdRange {
        /// `linux,initrd-start`.
        start: u64,
        /// `linux,initrd-end`.
        end: u64,
    },
    /// The root's `#address-cells` / `#size-cells` cannot describe memory (address 1 or 2 cells,
    /// size 1 or 2 cells).
    #[error(
        "root node: #address-cells {address_cells} / #size-cells {size_cells} are not supported for /memory"
    )]
    UnsupportedCells {
        /// The root's `#address-cells` (2 when absent).
        address_cells: u32,
        /// The root's `#size-cells` (1 when absent).
        size_cells: u32,
    },
    /// A memory address or size does not fit in the root's cell count.
    #[error("/memory: value {value:#x} does not fit in {cells} cell(s)")]
    CellOverflow {
        /// The value.
        value: u64,
        /// The number of 32-bit cells available.
        cells: u32,
    },
    /// The kernel's range is not inside one RAM region.
    #[error("placement: the kernel range {start:#x}..{end:#x} is not inside one RAM region")]
    KernelOutsideRam {
        /// Start of the kernel's `needs_free` range.
        start: u64,
        /// One past its end.
        end: u64,
    },
    /// No RAM after the kernel can hold the initrd.
    #[error("placement: no free RAM after the kernel for an initrd of {size:#x} bytes")]
    NoRoomForInitrd {
        /// Size of the initrd.
        size: u64,
    },
    /// No RAM after the kernel (and initrd) can hold the DTB.
    #[error("placement: no free RAM after the kernel and initrd for a DTB of {size:#x} bytes")]
    NoRoomForDtb {
        /// Size of the DTB.
        size: u64,
    },
    /// The boot configurator refused the write (bounds or guest-memory failure).
    #[error(transparent)]
    Configurator(#[from] loader_core::configurator::Error),
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
