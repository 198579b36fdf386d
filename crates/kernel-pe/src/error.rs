// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Errors of this crate.

use crate::parse::{Arch, Compression};

/// Why loading an `Image` (or a DTB through [`load_dtb`](crate::load_dtb)) failed.
///
/// The unit variants are upstream linux-loader's `loader::pe::Error`, kept with the same names
/// and shapes for the same failures so VMM `match`es compile; the variants with fields are checks
/// upstream does not make.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Seeking to the end of the image (to learn its size) failed.
    #[error("PE Kernel Loader: unable to seek Image end")]
    SeekImageEnd,
    /// Seeking to the image header failed.
    #[error("PE Kernel Loader: unable to seek Image header")]
    SeekImageHeader,
    /// Seeking to the start of the DTB failed.
    #[error("PE Kernel Loader: unable to seek DTB start")]
    SeekDtbStart,
    /// Seeking to the end of the DTB (to learn its size) failed.
    #[error("PE Kernel Loader: unable to seek DTB end")]
    SeekDtbEnd,
    /// The DTB is larger than [`MAX_DTB_SIZE`](crate::limits::MAX_DTB_SIZE) (2 MiB).
    #[error("PE Kernel Loader: device tree image too big")]
    DtbTooBig,
    /// Reading the kernel into guest memory failed. Kept for upstream compatibility; this crate
    /// reports such failures as [`Error::Plan`] with the executor's details.
    #[error("PE Kernel Loader: unable to read kernel image")]
    ReadKernelImage,
    /// Reading the 64-byte image header failed, or the image is shorter than it.
    #[error(
        "PE Kernel Loader: unable to read Image header (I/O error, or image shorter than 64 bytes)"
    )]
    ReadImageHeader,
    /// Reading the DTB failed, or guest memory refused it.
    #[error("PE Kernel Loader: unable to read DTB image")]
    ReadDtbImage,
    /// The load address (`kernel_offset + text_offset`, or its end) overflows.
    #[error("PE Kernel Loader: invalid Image (load address overflows)")]
    InvalidImage,
    /// Neither the arm64 magic `"ARM\x64"` nor the riscv64 magic2 `"RSC\x05"` is at 0x38.
    #[error("PE Kernel Loader: invalid Image magic number (neither ARM\\x64 nor RSC\\x05 at 0x38)")]
    InvalidImageMagicNumber,
    /// `kernel_offset` is not 2 MiB aligned.
    #[error("PE Kernel Loader: base address not aligned to 2 MB")]
    InvalidBaseAddrAlignment,

    /// The header's flags say the kernel is big-endian; only little-endian kernels are loaded.
    #[error(
        "{arch} Image header at 0x18: flags {flags:#x} mark a big-endian kernel, which is not supported"
    )]
    BigEndianKernel {
        /// The image's architecture.
        arch: Arch,
        /// The header's `flags`.
        flags: u64,
    },
    /// A riscv64 header with `image_size` 0 (the field is mandatory there).
    #[error("riscv64 Image header at 0x10: image_size is 0, but it is mandatory")]
    ImageSizeZero,
    /// A riscv64 header older than version 0.2 (the version that introduced `magic2`).
    #[error("riscv64 Image header at 0x20: version {version:#x} is older than 0.2")]
    UnsupportedHeaderVersion {
        /// The header's `version`.
        version: u32,
    },
    /// `image_size` (or the file) exceeds [`MAX_IMAGE_SIZE`](crate::limits::MAX_IMAGE_SIZE).
    #[error("Image needs {size:#x} bytes, more than the {max:#x} allowed")]
    ImageTooLarge {
        /// The image's size in memory (larger of `image_size` and the file).
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The image is compressed; decompress it first (or enable a decompressor when one exists).
    #[error("the image is {format} — decompress it first; only uncompressed Images are loaded")]
    CompressedImage {
        /// What the image's first bytes say it is.
        format: Compression,
    },
    /// An `"MZ"` image whose PE header (at the header's `res5`/`res3` offset) does not lie after
    /// the 64-byte Image header and inside the first
    /// [`MAX_HEADER_BYTES`](crate::limits::MAX_HEADER_BYTES) of the image.
    #[error("EFI stub: PE header offset {pe_offset:#x} is outside {min:#x}..{max:#x}")]
    PeHeaderOutOfRange {
        /// The PE header offset from the Image header.
        pe_offset: u32,
        /// Smallest valid offset.
        min: u64,
        /// One past the largest offset whose headers fit in the bytes read.
        max: u64,
    },
    /// An `"MZ"` image whose PE/COFF headers do not parse (bad signature, truncated headers,
    /// unknown optional-header magic).
    #[error("EFI stub: PE/COFF header at {pe_offset:#x} is malformed")]
    PeHeaderMalformed {
        /// The PE header offset.
        pe_offset: u32,
    },
    /// The PE header's machine is not the one the Image header's magic names.
    #[error(
        "EFI stub: PE machine {machine:#06x} does not match the Image header ({expected:#06x} expected)"
    )]
    PeMachineMismatch {
        /// The COFF header's machine.
        machine: u16,
        /// The machine the Image magic implies.
        expected: u16,
    },
    /// The PE image has no PE32+ optional header.
    #[error("EFI stub: PE header at {pe_offset:#x} has no PE32+ optional header")]
    PeNotPe32Plus {
        /// The PE header offset.
        pe_offset: u32,
    },
    /// The PE entry point lies outside `SizeOfImage`.
    #[error("EFI stub: entry point RVA {entry:#x} is outside SizeOfImage {size_of_image:#x}")]
    PeEntryOutsideImage {
        /// `AddressOfEntryPoint`.
        entry: u32,
        /// `SizeOfImage`.
        size_of_image: u32,
    },
    /// The load plan was rejected or failed (image outside guest memory, below
    /// `highmem_start_address`, I/O error while copying); guest memory is untouched unless the
    /// executor says otherwise.
    #[error("PE Kernel Loader: {0}")]
    Plan(#[source] loader_core::Error),
    /// The DTB given to [`load_dtb`](crate::load_dtb) is not a valid device tree.
    #[error("PE Kernel Loader: invalid DTB: {0}")]
    InvalidDtb(#[source] boot_fdt::Error),
    /// The DTB address is not 8-byte aligned (booting.rst).
    #[error("PE Kernel Loader: DTB address {addr:#x} is not 8-byte aligned")]
    DtbMisaligned {
        /// The requested guest address.
        addr: u64,
    },
    /// [`PE::load_compressed`](crate::PE::load_compressed) was given an image that is neither a
    /// compressed stream nor an EFI zboot image.
    #[cfg(feature = "decompress")]
    #[error("not a compressed Image or EFI zboot image")]
    NotCompressed,
    /// An EFI zboot header names a compression type this crate does not know.
    #[cfg(feature = "decompress")]
    #[error("EFI zboot header at 0x18: unknown compression type {comp_type:02x?}")]
    ZbootUnknownCompression {
        /// The NUL-padded type string.
        comp_type: [u8; 32],
    },
    /// An EFI zboot header's payload (plus its size trailer) does not lie inside the file.
    #[cfg(feature = "decompress")]
    #[error(
        "EFI zboot header: payload {offset:#x}+{size:#x} (and its size trailer) extends past the \
         end of the image ({file_len:#x} bytes)"
    )]
    ZbootPayloadOutsideFile {
        /// Payload offset (u32 at 0x08).
        offset: u32,
        /// Payload size (u32 at 0x0c).
        size: u32,
        /// Length of the image.
        file_len: u64,
    },
    /// A pre-3.17 arm64 header (`image_size` 0) inside a container that does not state the
    /// decompressed size: the memory to plan is unknown.
    #[cfg(feature = "decompress")]
    #[error(
        "compressed Image with image_size 0 (pre-3.17 arm64) and no stated decompressed size — \
         decompress it first"
    )]
    UnknownDecompressedSize,
    /// Setting up the decompressor failed (unsupported or disabled codec, a stated size above
    /// the limit, a bad stream header) or the stream failed before anything was written.
    #[cfg(feature = "decompress")]
    #[error("compressed Image: {0}")]
    Decompress(#[source] kernel_decompress::Error),
    /// The image was written, but decoding the rest of the stream failed (checksum, size
    /// trailer) or found more bytes than `image_size`: guest memory in `written` holds a damaged
    /// image and must not be booted.
    #[cfg(feature = "decompress")]
    #[error(
        "compressed Image is corrupt past the loaded bytes: {source} (guest range {:#x}..{:#x} \
         was already written)",
        written.start.0,
        written.end_or_max()
    )]
    PayloadAfterWrite {
        /// The guest memory the load wrote.
        written: loader_core::GuestRange,
        /// What the decompressor found.
        source: kernel_decompress::Error,
    },
    /// The DTB does not fit in guest memory at the requested address.
    #[error(
        "PE Kernel Loader: DTB of {size:#x} bytes at {addr:#x} extends past the end of guest memory"
    )]
    DtbPastRamEnd {
        /// The requested guest address.
        addr: u64,
        /// The DTB's size.
        size: u64,
    },
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
