// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The pure half of the loader: setup-header bytes in, a validated description out.

use boot_params_x86::bootparam::{
    BOOT_FLAG, HDRS_MAGIC, LOADED_HIGH, XLF_CAN_BE_LOADED_ABOVE_4G, XLF_KERNEL_64, setup_header,
};

use crate::error::{Error, Result};
use crate::limits::{MAX_KERNEL_VERSION_LEN, MAX_PROTECTED_MODE_SIZE, MAX_SETUP_SECTS};

/// Boot protocol 2.00: `"HdrS"`, `loadflags`, `code32_start`, `kernel_version`.
pub const PROTOCOL_2_00: u16 = 0x0200;
/// Boot protocol 2.04: `syssize` grows to four bytes and can be trusted.
pub const PROTOCOL_2_04: u16 = 0x0204;
/// Boot protocol 2.05: `kernel_alignment` and `relocatable_kernel`.
pub const PROTOCOL_2_05: u16 = 0x0205;
/// Boot protocol 2.08: `payload_offset` and `payload_length`.
pub const PROTOCOL_2_08: u16 = 0x0208;
/// Boot protocol 2.10: `pref_address`, `init_size`, `min_alignment`.
pub const PROTOCOL_2_10: u16 = 0x020a;
/// Boot protocol 2.12: `xloadflags`.
pub const PROTOCOL_2_12: u16 = 0x020c;

/// Where the compressed kernel (`vmlinux.bin` compressed) sits in the image file (protocol
/// 2.08+), for extracting the vmlinux without running the decompressor stub.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Payload {
    /// File offset of the first payload byte: the protected-mode kernel's offset plus
    /// `payload_offset`.
    pub file_offset: u64,
    /// `payload_length`.
    pub len: u64,
}

/// What a bzImage's setup header says, validated: everything needed to plan a load.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BzImageInfo {
    /// The setup header exactly as the image has it (`code32_start` is the default load
    /// address).
    pub setup_header: setup_header,
    /// Boot protocol version, e.g. `0x020f` for 2.15.
    pub protocol: u16,
    /// File offset of the protected-mode kernel: `(setup_sects + 1) * 512`, where a
    /// `setup_sects` of 0 means 4.
    pub kernel_file_offset: u64,
    /// Bytes of protected-mode kernel to load: `syssize * 16` (protocol 2.04+), or the rest of
    /// the file for older protocols, whose `syssize` cannot be trusted. See the crate docs.
    pub kernel_len: u64,
    /// Whether the protected-mode kernel may load at other addresses than `code32_start`
    /// (protocol 2.05+ and `relocatable_kernel` nonzero).
    pub relocatable: bool,
    /// `kernel_alignment` for a relocatable kernel (a power of two), else `None`.
    pub kernel_alignment: Option<u64>,
    /// `pref_address` (protocol 2.10+, nonzero): where a non-relocatable kernel runs, and the
    /// lowest address a relocatable one runs at.
    pub pref_address: Option<u64>,
    /// `init_size` (protocol 2.10+; 0 before): memory from the runtime start address the kernel
    /// needs while it decompresses and sets itself up.
    pub init_size: u64,
    /// `XLF_KERNEL_64` (protocol 2.12+): the kernel has a 64-bit entry at load address + 0x200.
    pub kernel_64: bool,
    /// `XLF_CAN_BE_LOADED_ABOVE_4G` (protocol 2.12+).
    pub can_load_above_4g: bool,
    /// Where the compressed payload is (protocol 2.08+ with a nonzero `payload_length`).
    pub payload: Option<Payload>,
    /// The kernel version string, when it was inside `header_bytes`, NUL-terminated within
    /// [`MAX_KERNEL_VERSION_LEN`] bytes and printable ASCII. For diagnostics only.
    pub kernel_version: Option<String>,
}

/// Parses and validates a bzImage's setup header.
///
/// `header_bytes` is a prefix of the image starting at byte 0, at least up to the end of the
/// setup header (0x26c); pass the whole setup code (up to [`crate::limits::MAX_SETUP_BYTES`]) to
/// also get the kernel version string. `file_len` is the length of the whole image. A pure
/// function of its inputs: nothing is read or written.
///
/// # Errors
///
/// The header checks in order: [`Error::SetupHeader`] (too short), [`Error::BadBootFlag`],
/// [`Error::BadHeaderMagic`], [`Error::ProtocolTooOld`], [`Error::NotLoadedHigh`],
/// [`Error::SetupTooLarge`], [`Error::EmptyKernel`], [`Error::KernelTooLarge`],
/// [`Error::PayloadTruncated`], [`Error::BadKernelAlignment`], [`Error::PayloadOutsideKernel`].
///
/// # Example
///
/// ```
/// let image = std::fs::read(concat!(
///     env!("CARGO_MANIFEST_DIR"),
///     "/../../fixtures/bzimage/minimal-64.bzImage"
/// ))?;
/// let info = kernel_bzimage::parse(&image, image.len() as u64)?;
/// assert_eq!(info.protocol, 0x020f);
/// assert_eq!((info.kernel_file_offset, info.kernel_len), (0xa00, 0x1000));
/// assert_eq!(info.kernel_version.as_deref(), Some("6.1.0-synthetic (xtask) #1 SMP"));
///
/// // A truncated image is rejected; upstream loaded whatever was there.
/// assert!(matches!(
///     kernel_bzimage::parse(&image[..0x1000], 0x1000),
///     Err(kernel_bzimage::Error::PayloadTruncated { offset: 0xa00, needed: 0x1000, file_len: 0x1000 })
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse(header_bytes: &[u8], file_len: u64) -> Result<BzImageInfo> {
    let hdr = setup_header::from_image_prefix(header_bytes)?;

    if hdr.boot_flag != BOOT_FLAG {
        return Err(Error::BadBootFlag {
            found: hdr.boot_flag,
        });
    }
    if hdr.header != HDRS_MAGIC {
        return Err(Error::BadHeaderMagic { found: hdr.header });
    }
    let protocol = hdr.version;
    if protocol < PROTOCOL_2_00 {
        return Err(Error::ProtocolTooOld { version: protocol });
    }
    if hdr.loadflags & LOADED_HIGH == 0 {
        return Err(Error::NotLoadedHigh {
            loadflags: hdr.loadflags,
        });
    }
    let setup_sects = hdr.setup_sects_effective();
    if setup_sects > MAX_SETUP_SECTS {
        return Err(Error::SetupTooLarge {
            setup_sects,
            max: MAX_SETUP_SECTS,
        });
    }
    let kernel_file_offset = u64::from(hdr.protected_mode_offset());
    let kernel_len = kernel_len(&hdr, protocol, kernel_file_offset, file_len)?;

    let relocatable = protocol >= PROTOCOL_2_05 && hdr.relocatable_kernel != 0;
    let kernel_alignment = if relocatable {
        let alignment = hdr.kernel_alignment;
        if !alignment.is_power_of_two() {
            return Err(Error::BadKernelAlignment { alignment });
        }
        Some(u64::from(alignment))
    } else {
        None
    };

    let payload = if protocol >= PROTOCOL_2_08 && hdr.payload_length != 0 {
        let (offset, len) = (hdr.payload_offset, hdr.payload_length);
        let end = u64::from(offset).saturating_add(u64::from(len));
        if end > kernel_len {
            return Err(Error::PayloadOutsideKernel {
                offset,
                len,
                kernel_len,
            });
        }
        Some(Payload {
            // Both terms are bounded (offset < 33 KiB, payload inside a kernel of at most 1 GiB).
            file_offset: kernel_file_offset.saturating_add(u64::from(offset)),
            len: u64::from(len),
        })
    } else {
        None
    };

    let at_least_2_10 = protocol >= PROTOCOL_2_10;
    let at_least_2_12 = protocol >= PROTOCOL_2_12;
    Ok(BzImageInfo {
        setup_header: hdr,
        protocol,
        kernel_file_offset,
        kernel_len,
        relocatable,
        kernel_alignment,
        pref_address: (at_least_2_10 && hdr.pref_address != 0).then_some(hdr.pref_address),
        init_size: if at_least_2_10 {
            u64::from(hdr.init_size)
        } else {
            0
        },
        kernel_64: at_least_2_12 && hdr.has_xloadflag(XLF_KERNEL_64),
        can_load_above_4g: at_least_2_12 && hdr.has_xloadflag(XLF_CAN_BE_LOADED_ABOVE_4G),
        payload,
        kernel_version: kernel_version(header_bytes, &hdr, kernel_file_offset),
    })
}

/// The length of the protected-mode kernel, checked against the file.
///
/// Protocol 2.04+: `syssize * 16`, exactly. Linux's `arch/x86/boot/header.S` sets
/// `syssize = ZO__edata / 16`, the compressed stage's linker script rounds `_edata` (which
/// includes the 4-byte CRC-32) up to 512 bytes, and `arch/x86/boot/tools/build.c` writes the
/// setup sectors followed by exactly `_edata` bytes. So a well-formed image holds at least
/// `syssize * 16` bytes after its setup code, with no rounding slack; anything after them is
/// not kernel (Debian's signed vmlinuz carries its 0x5c0-byte Authenticode signature there) and
/// is not loaded. A shorter file is truncated and rejected.
///
/// Before 2.04 `syssize` is two bytes wide and "cannot be trusted for the size of a kernel if
/// the LOAD_HIGH flag is set" (boot.rst), so the rest of the file is the kernel, as upstream
/// loads it.
fn kernel_len(hdr: &setup_header, protocol: u16, offset: u64, file_len: u64) -> Result<u64> {
    if protocol < PROTOCOL_2_04 {
        let len = file_len.saturating_sub(offset);
        if len == 0 {
            return Err(Error::EmptyKernel { offset });
        }
        if len > MAX_PROTECTED_MODE_SIZE {
            return Err(Error::KernelTooLarge {
                size: len,
                max: MAX_PROTECTED_MODE_SIZE,
            });
        }
        return Ok(len);
    }
    let len = hdr.syssize_bytes();
    if len == 0 {
        return Err(Error::EmptyKernel { offset });
    }
    if len > MAX_PROTECTED_MODE_SIZE {
        return Err(Error::KernelTooLarge {
            size: len,
            max: MAX_PROTECTED_MODE_SIZE,
        });
    }
    if offset.checked_add(len).is_none_or(|end| end > file_len) {
        return Err(Error::PayloadTruncated {
            offset,
            needed: len,
            file_len,
        });
    }
    Ok(len)
}

/// Where the string `kernel_version` points at may lie: file offsets `start..end`, where `start`
/// is `kernel_version + 0x200` and `end` is [`MAX_KERNEL_VERSION_LEN`] + 1 bytes later, cut at
/// the end of the setup code (`setup_end`) and of the file. `None` when `kernel_version` is 0 or
/// the window is empty.
pub(crate) fn kernel_version_window(
    hdr: &setup_header,
    setup_end: u64,
    file_len: u64,
) -> Option<(u64, u64)> {
    if hdr.kernel_version == 0 {
        return None;
    }
    let start = u64::from(hdr.kernel_version).checked_add(0x200)?;
    let len = u64::try_from(MAX_KERNEL_VERSION_LEN).ok()?.checked_add(1)?;
    let end = start.checked_add(len)?.min(setup_end).min(file_len);
    (start < end).then_some((start, end))
}

/// The kernel version string at the start of `window`: non-empty printable ASCII ended by a NUL
/// inside the window.
pub(crate) fn kernel_version_in(window: &[u8]) -> Option<String> {
    let nul = window.iter().position(|&b| b == 0)?;
    let text = window.get(..nul)?;
    if text.is_empty() || !text.iter().all(|b| (0x20..=0x7e).contains(b)) {
        return None;
    }
    String::from_utf8(text.to_vec()).ok()
}

/// The kernel version string, if its whole window ([`kernel_version_window`]) is inside `bytes`
/// or its NUL is.
fn kernel_version(bytes: &[u8], hdr: &setup_header, setup_end: u64) -> Option<String> {
    let (start, end) = kernel_version_window(hdr, setup_end, u64::MAX)?;
    let start = usize::try_from(start).ok()?;
    let end = usize::try_from(end).ok()?.min(bytes.len());
    kernel_version_in(bytes.get(start..end)?)
}
