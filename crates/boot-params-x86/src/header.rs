// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Bounded read of the setup header out of image bytes, and pure accessors over its fields.
//!
//! Nothing here judges whether the header describes a loadable kernel — the bzImage loader does
//! that. These functions only turn bytes into a typed header and answer questions about its
//! fields without panicking on any input.

use zerocopy::FromBytes;

use crate::Error;
use crate::bootparam::{
    BOOT_FLAG, DEFAULT_SETUP_SECTS, HDRS_MAGIC, SECTOR_SIZE, SETUP_HEADER_END, SETUP_HEADER_OFFSET,
    SETUP_HEADER_SIZE, setup_header,
};

impl setup_header {
    /// Reads the setup header out of the first bytes of a kernel image.
    ///
    /// `image` starts at the image's byte 0 and must extend at least to the end of the header
    /// (0x26c); only bytes 0x1f1..0x26c are read. The fields are taken as they are — no magic or
    /// version is checked.
    ///
    /// # Errors
    ///
    /// [`Error::SetupHeaderTruncated`] if `image` is shorter than 0x26c bytes.
    ///
    /// # Example
    ///
    /// ```
    /// use boot_params_x86::Error;
    /// use boot_params_x86::bootparam::setup_header;
    ///
    /// let mut image = vec![0u8; 0x400];
    /// image[0x1fe..0x200].copy_from_slice(&0xaa55u16.to_le_bytes());
    /// assert!(setup_header::from_image_prefix(&image)?.has_boot_flag());
    ///
    /// assert_eq!(
    ///     setup_header::from_image_prefix(&image[..0x200]),
    ///     Err(Error::SetupHeaderTruncated { offset: 0x1f1, needed: 0x7b, available: 0xf })
    /// );
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_image_prefix(image: &[u8]) -> Result<Self, Error> {
        let truncated = Error::SetupHeaderTruncated {
            offset: SETUP_HEADER_OFFSET,
            needed: SETUP_HEADER_SIZE,
            available: image.len().saturating_sub(SETUP_HEADER_OFFSET),
        };
        let bytes = image
            .get(SETUP_HEADER_OFFSET..SETUP_HEADER_END)
            .ok_or_else(|| truncated.clone())?;
        Self::read_from_bytes(bytes).map_err(|_| truncated)
    }

    /// Whether `boot_flag` holds the 0xAA55 magic.
    pub fn has_boot_flag(&self) -> bool {
        self.boot_flag == BOOT_FLAG
    }

    /// Whether `header` holds the `"HdrS"` magic, i.e. the kernel speaks boot protocol 2.00 or
    /// later.
    pub fn has_hdrs_magic(&self) -> bool {
        self.header == HDRS_MAGIC
    }

    /// The boot protocol version (e.g. `0x020f` for 2.15), or `None` for an "old" kernel whose
    /// header lacks the `"HdrS"` magic and whose `version` field is therefore meaningless.
    pub fn protocol_version(&self) -> Option<u16> {
        self.has_hdrs_magic().then_some(self.version)
    }

    /// Whether the kernel speaks at least boot protocol `version` (e.g. `0x0206`).
    pub fn protocol_at_least(&self, version: u16) -> bool {
        self.protocol_version().is_some_and(|v| v >= version)
    }

    /// `setup_sects`, with the protocol's rule that 0 means 4.
    pub fn setup_sects_effective(&self) -> u8 {
        match self.setup_sects {
            0 => DEFAULT_SETUP_SECTS,
            n => n,
        }
    }

    /// File offset of the protected-mode kernel: the boot sector plus the setup sectors,
    /// `(setup_sects_effective() + 1) * 512`.
    pub fn protected_mode_offset(&self) -> u32 {
        // At most 256 * 512: the saturating operations never saturate.
        u32::from(self.setup_sects_effective())
            .saturating_add(1)
            .saturating_mul(SECTOR_SIZE)
    }

    /// `syssize` converted from 16-byte paragraphs to bytes (meaningful for protocol 2.04+).
    pub fn syssize_bytes(&self) -> u64 {
        // At most (2^32 - 1) * 16: never saturates.
        u64::from(self.syssize).saturating_mul(16)
    }

    /// Whether every bit of `flags` (`LOADED_HIGH`, `CAN_USE_HEAP`, ...) is set in `loadflags`.
    pub fn has_loadflag(&self, flags: u8) -> bool {
        self.loadflags & flags == flags
    }

    /// Whether every bit of `flags` (`XLF_KERNEL_64`, `XLF_CAN_BE_LOADED_ABOVE_4G`, ...) is set
    /// in `xloadflags`. Only meaningful for protocol 2.12+, where the field exists.
    pub fn has_xloadflag(&self, flags: u16) -> bool {
        self.xloadflags & flags == flags
    }

    /// Whether `relocatable_kernel` is set (protocol 2.05+).
    pub fn is_relocatable(&self) -> bool {
        self.relocatable_kernel != 0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, clippy::unwrap_used)]

    use super::*;
    use crate::bootparam::{CAN_USE_HEAP, LOADED_HIGH, XLF_CAN_BE_LOADED_ABOVE_4G, XLF_KERNEL_64};

    fn header() -> setup_header {
        setup_header::default()
    }

    #[test]
    fn truncated_prefixes_report_available_bytes() {
        let image = [0u8; SETUP_HEADER_END];
        for len in [
            0,
            1,
            SETUP_HEADER_OFFSET,
            SETUP_HEADER_OFFSET + 1,
            SETUP_HEADER_END - 1,
        ] {
            assert_eq!(
                setup_header::from_image_prefix(&image[..len]),
                Err(Error::SetupHeaderTruncated {
                    offset: 0x1f1,
                    needed: 0x7b,
                    available: len.saturating_sub(0x1f1),
                }),
                "prefix of {len} bytes",
            );
        }
        assert_eq!(setup_header::from_image_prefix(&image), Ok(header()));
    }

    #[test]
    fn reads_exactly_the_header_bytes() {
        // Bytes before 0x1f1 and from 0x26c on must not leak into the header.
        let mut image = [0xeeu8; 0x300];
        image[SETUP_HEADER_OFFSET..SETUP_HEADER_END].fill(0);
        image[0x1f1] = 0x1b; // setup_sects
        image[0x202..0x206].copy_from_slice(b"HdrS");
        image[0x206..0x208].copy_from_slice(&0x020fu16.to_le_bytes());
        image[0x268..0x26c].copy_from_slice(&0x1234_5678u32.to_le_bytes());
        let hdr = setup_header::from_image_prefix(&image).unwrap();
        assert_eq!(hdr.setup_sects, 0x1b);
        assert_eq!(hdr.protocol_version(), Some(0x020f));
        assert!(hdr.protocol_at_least(0x020c));
        assert!(!hdr.protocol_at_least(0x0210));
        assert_eq!({ hdr.kernel_info_offset }, 0x1234_5678);
        let mut expected = header();
        expected.setup_sects = 0x1b;
        expected.header = HDRS_MAGIC;
        expected.version = 0x020f;
        expected.kernel_info_offset = 0x1234_5678;
        assert_eq!(hdr, expected);
    }

    #[test]
    fn old_kernels_have_no_protocol_version() {
        let mut hdr = header();
        hdr.version = 0x020f;
        assert_eq!(hdr.protocol_version(), None);
        assert!(!hdr.protocol_at_least(0x0200));
        assert!(!hdr.has_hdrs_magic());
    }

    #[test]
    fn setup_sects_zero_means_four() {
        let mut hdr = header();
        assert_eq!(hdr.setup_sects_effective(), 4);
        assert_eq!(hdr.protected_mode_offset(), 5 * 512);
        hdr.setup_sects = 0x1b;
        assert_eq!(hdr.setup_sects_effective(), 0x1b);
        assert_eq!(hdr.protected_mode_offset(), 0x1c * 512);
        hdr.setup_sects = u8::MAX;
        assert_eq!(hdr.protected_mode_offset(), 256 * 512);
    }

    #[test]
    fn syssize_is_in_paragraphs() {
        let mut hdr = header();
        hdr.syssize = 0x1000;
        assert_eq!(hdr.syssize_bytes(), 0x10000);
        hdr.syssize = u32::MAX;
        assert_eq!(hdr.syssize_bytes(), u64::from(u32::MAX) * 16);
    }

    #[test]
    fn flag_accessors_need_every_bit() {
        let mut hdr = header();
        hdr.loadflags = 0x81; // LOADED_HIGH | CAN_USE_HEAP
        hdr.xloadflags = 0x3; // XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G
        hdr.relocatable_kernel = 1;
        assert!(hdr.has_loadflag(LOADED_HIGH));
        assert!(hdr.has_loadflag(LOADED_HIGH | CAN_USE_HEAP));
        assert!(!hdr.has_loadflag(crate::bootparam::QUIET_FLAG));
        assert!(hdr.has_xloadflag(XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G));
        assert!(!hdr.has_xloadflag(XLF_KERNEL_64 | crate::bootparam::XLF_EFI_HANDOVER_64));
        assert!(hdr.is_relocatable());
        assert!(!hdr.has_boot_flag());
        hdr.boot_flag = BOOT_FLAG;
        assert!(hdr.has_boot_flag());
    }
}
