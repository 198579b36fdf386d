// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The bzImage loader's error type.

/// Why a bzImage was rejected or could not be loaded.
///
/// # Compatibility with upstream linux-loader
///
/// * Every variant upstream's `linux_loader::loader::bzimage::Error` has keeps its name and its
///   unit shape, so patterns written against upstream compile unchanged. Upstream reported
///   every malformed header as [`Error::InvalidBzImage`]; here each check has its own
///   data-carrying variant instead, so `InvalidBzImage` is defined but never returned —
///   [`Error::is_invalid_bzimage`] answers "would upstream have said `InvalidBzImage`?". The
///   `Seek*`/`Read*` variants are likewise never returned: reads go through loader-core and
///   fail as [`Error::Plan`] (or [`Error::SetupHeader`] for a short header).
/// * Upstream's high-memory check failed with the loader-level
///   `linux_loader::loader::Error::InvalidKernelStartAddress`; this crate reports
///   [`Error::BelowHighmem`] with both addresses, and the umbrella crate maps it back.
/// * Like upstream's (and `kernel_elf::Error`), the enum is not `#[non_exhaustive]`, so VMMs'
///   exhaustive matches keep compiling; a new variant is a breaking change of this crate.
/// * `PartialEq`/`Eq` are derived as upstream's; [`loader_core::Error`] compares the I/O errors
///   it carries by kind and message.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    // ---- upstream's variants -------------------------------------------------------------
    /// Upstream: any malformed header. The checks here report specific variants (see
    /// [`Error::is_invalid_bzimage`]), so this is never returned.
    #[error("invalid bzImage")]
    InvalidBzImage,
    /// The load address plus the kernel's size (or its runtime start plus `init_size`) does not
    /// fit in 64 bits.
    #[error("bzImage: load address plus kernel size overflows 64 bits")]
    Overflow,
    /// Upstream: reading the setup header failed. A short image is
    /// [`Error::SetupHeader`] here and an I/O error [`Error::Plan`]; never returned.
    #[error("unable to read the bzImage header")]
    ReadBzImageHeader,
    /// Upstream: reading the protected-mode kernel failed. Reported as [`Error::Plan`] here;
    /// never returned.
    #[error("unable to read the bzImage compressed kernel")]
    ReadBzImageCompressedKernel,
    /// Upstream: seeking to the image end failed. Reported as [`Error::Plan`] here; never
    /// returned.
    #[error("unable to seek to the bzImage end")]
    SeekBzImageEnd,
    /// Upstream: seeking to the setup header failed. Reported as [`Error::Plan`] here; never
    /// returned.
    #[error("unable to seek to the bzImage header")]
    SeekBzImageHeader,
    /// Upstream: seeking to the protected-mode kernel failed. Reported as [`Error::Plan`] here;
    /// never returned.
    #[error("unable to seek to the bzImage compressed kernel")]
    SeekBzImageCompressedKernel,
    /// Upstream: the image is shorter than its setup code. Reported as
    /// [`Error::PayloadTruncated`] here; never returned.
    #[error("bzImage is shorter than its setup code")]
    Underflow,

    // ---- new checks ------------------------------------------------------------------------
    /// The image is too short to hold the setup header (it ends before 0x26c).
    #[error(transparent)]
    SetupHeader(#[from] boot_params_x86::Error),
    /// `boot_flag` (0x1fe) is not 0xaa55.
    #[error(
        "bzImage setup header at 0x1f1: boot_flag is {found:#06x}, expected 0xaa55 — not a bzImage?"
    )]
    BadBootFlag {
        /// The `boot_flag` value.
        found: u16,
    },
    /// `header` (0x202) is not `"HdrS"`: a pre-2.00 zImage, or not a kernel at all.
    #[error(
        "bzImage setup header at 0x1f1: header magic at 0x202 is {found:#010x}, expected \
         0x53726448 (\"HdrS\") — a pre-2.00 zImage, or not a bzImage?"
    )]
    BadHeaderMagic {
        /// The little-endian `header` value.
        found: u32,
    },
    /// The boot protocol version (0x206) is below 2.00, which cannot describe a bzImage.
    #[error(
        "bzImage setup header: boot protocol version is {version:#06x}, at least 0x0200 (2.00) is \
         needed to load high"
    )]
    ProtocolTooOld {
        /// The `version` field.
        version: u16,
    },
    /// `loadflags` (0x211) lacks `LOADED_HIGH`: a zImage whose protected-mode code loads at
    /// 0x10000, which this loader does not support.
    #[error(
        "bzImage setup header: loadflags is {loadflags:#04x} without LOADED_HIGH (0x01) — a \
         zImage loading at 0x10000, not a bzImage"
    )]
    NotLoadedHigh {
        /// The `loadflags` value.
        loadflags: u8,
    },
    /// `setup_sects` exceeds [`crate::limits::MAX_SETUP_SECTS`].
    #[error(
        "bzImage setup header: setup_sects is {setup_sects}, more than the limit of {max} — \
         corrupt header?"
    )]
    SetupTooLarge {
        /// The `setup_sects` value.
        setup_sects: u8,
        /// The limit.
        max: u8,
    },
    /// The protected-mode part is empty (`syssize` is 0, or a pre-2.04 image ends at its setup
    /// code): there is no kernel to load.
    #[error("bzImage: the protected-mode kernel at file offset {offset:#x} is empty (syssize 0)")]
    EmptyKernel {
        /// File offset of the protected-mode kernel.
        offset: u64,
    },
    /// `syssize * 16` exceeds [`crate::limits::MAX_PROTECTED_MODE_SIZE`].
    #[error(
        "bzImage setup header: syssize says the protected-mode kernel is {size:#x} bytes, more \
         than the limit of {max:#x} — corrupt header?"
    )]
    KernelTooLarge {
        /// `syssize * 16`.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The image ends before the protected-mode kernel `syssize` describes (upstream loaded the
    /// truncated image).
    #[error(
        "bzImage: protected-mode kernel at file offset {offset:#x} needs {needed:#x} bytes \
         (syssize * 16) but the image is only {file_len:#x} bytes — truncated image?"
    )]
    PayloadTruncated {
        /// File offset of the protected-mode kernel, `(setup_sects + 1) * 512`.
        offset: u64,
        /// Bytes the protected-mode kernel needs.
        needed: u64,
        /// Length of the image.
        file_len: u64,
    },
    /// A relocatable kernel's `kernel_alignment` (0x230) is not a power of two.
    #[error(
        "bzImage setup header: kernel_alignment is {alignment:#x}, not a power of two — corrupt \
         header?"
    )]
    BadKernelAlignment {
        /// The `kernel_alignment` value.
        alignment: u32,
    },
    /// `payload_offset`/`payload_length` (2.08+) point outside the protected-mode kernel.
    #[error(
        "bzImage setup header: payload {offset:#x}+{len:#x} lies outside the protected-mode \
         kernel ({kernel_len:#x} bytes)"
    )]
    PayloadOutsideKernel {
        /// `payload_offset`.
        offset: u32,
        /// `payload_length`.
        len: u32,
        /// Length of the protected-mode kernel.
        kernel_len: u64,
    },
    /// A relocatable kernel was asked to load at an address that is not a multiple of its
    /// `kernel_alignment` (other than its default load address, `code32_start`).
    #[error(
        "bzImage: load address {addr:#x} is not a multiple of the kernel's kernel_alignment \
         {alignment:#x}"
    )]
    MisalignedLoadAddress {
        /// The requested load address.
        addr: u64,
        /// The kernel's `kernel_alignment`.
        alignment: u64,
    },
    /// A non-relocatable kernel was asked to load somewhere other than its `code32_start`.
    #[error(
        "bzImage: the kernel is not relocatable (relocatable_kernel 0 or protocol < 2.05) and \
         must load at {required:#x}, not {addr:#x}"
    )]
    NonRelocatableAddress {
        /// The requested load address.
        addr: u64,
        /// The only address it can load at (the header's `code32_start`).
        required: u64,
    },
    /// The load address lies below the high-memory start address.
    #[error("bzImage: load address {addr:#x} is below the high-memory start {highmem:#x}")]
    BelowHighmem {
        /// The load address.
        addr: u64,
        /// The high-memory start address.
        highmem: u64,
    },
    /// The load address does not fit in `code32_start`, a 32-bit field (upstream truncated it
    /// silently).
    #[error(
        "bzImage: load address {addr:#x} is at or above 4 GiB and cannot be stored in the 32-bit \
         code32_start field"
    )]
    LoadAddressAbove4G {
        /// The load address.
        addr: u64,
    },
    /// The kernel would extend above 4 GiB but does not set `XLF_CAN_BE_LOADED_ABOVE_4G`.
    #[error(
        "bzImage: kernel at {addr:#x}..{end:#x} crosses 4 GiB but does not set \
         XLF_CAN_BE_LOADED_ABOVE_4G"
    )]
    KernelAbove4G {
        /// The load address.
        addr: u64,
        /// One past the kernel's last byte.
        end: u64,
    },
    /// Reading the image failed, or the load plan was rejected or failed while executing
    /// (the kernel outside guest memory, a read error while copying).
    #[error(transparent)]
    Plan(#[from] loader_core::Error),
    /// The image has no payload fields to find the vmlinux with: protocol before 2.08, or a
    /// zero `payload_length`.
    #[cfg(feature = "vmlinux")]
    #[error(
        "bzImage protocol {protocol:#06x} has no payload_offset/payload_length (2.08+ needed) — \
         cannot extract the vmlinux"
    )]
    NoPayload {
        /// The boot protocol version.
        protocol: u16,
    },
    /// The payload is too short to hold a compressed stream and its size trailer.
    #[cfg(feature = "vmlinux")]
    #[error("bzImage payload of {len} bytes is too short to be a compressed vmlinux")]
    PayloadTooShort {
        /// `payload_length`.
        len: u64,
    },
    /// The payload starts with no known compression magic.
    #[cfg(feature = "vmlinux")]
    #[error("bzImage payload at {offset:#x} starts with {magic:02x?}, no known compression magic")]
    UnknownPayloadCompression {
        /// File offset of the payload.
        offset: u64,
        /// Its first bytes.
        magic: [u8; 4],
    },
    /// Setting up the decompressor failed (unsupported or disabled codec, a size trailer above
    /// the limit, a bad stream header). Failures while streaming come as [`Error::Vmlinux`]
    /// wrapping loader-core's `SourceRead`; [`kernel_decompress::Error::find`] digs them out.
    #[cfg(feature = "vmlinux")]
    #[error("bzImage payload: {0}")]
    Decompress(#[from] kernel_decompress::Error),
    /// The vmlinux was loaded, but the rest of the payload (decoded after the segments to verify
    /// the codec's checksum and the size trailer) is corrupt: guest memory in `written` holds
    /// bytes from a damaged stream and must not be booted.
    #[cfg(feature = "vmlinux")]
    #[error(
        "bzImage payload is corrupt past the loaded segments: {source} (guest range \
         {:#x}..{:#x} was already written)",
        written.start.0,
        written.end_or_max()
    )]
    PayloadAfterWrite {
        /// The guest memory the load wrote.
        written: loader_core::GuestRange,
        /// What the decompressor found.
        source: kernel_decompress::Error,
    },
    /// Loading the extracted vmlinux failed (bad ELF headers, the plan rejected, the stream
    /// failing part-way).
    #[cfg(feature = "vmlinux")]
    #[error("vmlinux in the bzImage: {0}")]
    Vmlinux(#[from] kernel_elf::Error),
}

impl Error {
    /// Whether upstream linux-loader would have reported this failure as its catch-all
    /// `InvalidBzImage`: a setup header that does not describe a loadable bzImage (bad boot
    /// flag or magic, old protocol, not loaded high) or is otherwise malformed.
    pub fn is_invalid_bzimage(&self) -> bool {
        matches!(
            self,
            Error::InvalidBzImage
                | Error::BadBootFlag { .. }
                | Error::BadHeaderMagic { .. }
                | Error::ProtocolTooOld { .. }
                | Error::NotLoadedHigh { .. }
                | Error::SetupTooLarge { .. }
                | Error::EmptyKernel { .. }
                | Error::KernelTooLarge { .. }
                | Error::BadKernelAlignment { .. }
                | Error::PayloadOutsideKernel { .. }
        )
    }
}

/// Result alias for bzImage loading.
pub type Result<T> = std::result::Result<T, Error>;
