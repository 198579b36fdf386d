// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The zero page builder: a [`boot_params`] filled in as the x86 boot protocol asks a boot loader
//! to, from the kernel's setup header.
//!
//! The header comes from the bzImage (`setup_header::from_image_prefix`, or the bzImage loader's
//! result) and is copied as is; the builder then writes only the fields a loader owns
//! (`Documentation/x86/boot.rst`, "write" and "modify" fields): `type_of_loader`, `cmd_line_ptr`
//! (+ `ext_cmd_line_ptr`), `ramdisk_image`/`ramdisk_size` (+ `ext_*`), `setup_data`, `vid_mode`,
//! `heap_end_ptr` with `CAN_USE_HEAP`, the e820 table and `acpi_rsdp_addr`. It never writes
//! `cmdline_size`; it rejects a command line longer than it. A vmlinux has no setup header:
//! [`vmlinux_setup_header`] gives the defaults to use instead.

use loader_core::GuestRange;
use vm_memory::GuestAddress;

use crate::bootparam::{
    BOOT_FLAG, CAN_USE_HEAP, E820_MAX_ENTRIES_ZEROPAGE, HDRS_MAGIC, LOADED_HIGH, boot_e820_entry,
    boot_params, setup_header,
};
use crate::error::Error;
use crate::limits::DEFAULT_CMDLINE_SIZE;

/// `type_of_loader` for a loader without an assigned ID ("undefined", boot.rst).
pub const LOADER_TYPE_UNDEFINED: u8 = 0xff;

/// `vid_mode` meaning "normal VGA" (no `vga=` option).
pub const VID_MODE_NORMAL: u16 = 0xffff;

/// Oldest boot protocol the builder fills in: 2.02 introduced `cmd_line_ptr`.
pub const MIN_PROTOCOL: u16 = 0x0202;

/// Protocol that introduced `cmdline_size` (earlier kernels take 255 bytes).
const PROTOCOL_CMDLINE_SIZE: u16 = 0x0206;
/// Protocol that introduced `initrd_addr_max` (earlier kernels take 0x37ffffff).
const PROTOCOL_INITRD_ADDR_MAX: u16 = 0x0203;
/// Protocol that introduced `setup_data`.
pub const PROTOCOL_SETUP_DATA: u16 = 0x0209;
/// `initrd_addr_max` of kernels before protocol 2.03.
const OLD_INITRD_ADDR_MAX: u32 = 0x37ff_ffff;
/// Command line limit of kernels before protocol 2.06.
const OLD_CMDLINE_SIZE: u32 = 255;

/// The setup header to use for a kernel that has none (an ELF vmlinux).
///
/// Boot flag and "HdrS" magic, protocol 2.15 (the layout this crate mirrors), `LOADED_HIGH`,
/// `kernel_alignment` 16 MiB (what Firecracker and Cloud Hypervisor pass), `cmdline_size` 2047
/// (x86 `COMMAND_LINE_SIZE` minus the NUL) and `initrd_addr_max` 0x7fffffff (what every x86
/// kernel since 2.6.31 declares). `XLF_CAN_BE_LOADED_ABOVE_4G` is *not* set: nothing here can
/// prove the kernel supports it, so the initrd stays below 2 GiB.
pub fn vmlinux_setup_header() -> setup_header {
    setup_header {
        boot_flag: BOOT_FLAG,
        header: HDRS_MAGIC,
        version: 0x020f,
        loadflags: LOADED_HIGH,
        kernel_alignment: 0x0100_0000,
        cmdline_size: DEFAULT_CMDLINE_SIZE,
        initrd_addr_max: 0x7fff_ffff,
        vid_mode: VID_MODE_NORMAL,
        ..setup_header::default()
    }
}

/// The header's boot protocol version, if it is one this crate can fill in.
///
/// # Errors
///
/// [`Error::UnsupportedProtocol`] without the "HdrS" magic or below [`MIN_PROTOCOL`].
pub fn check_protocol(hdr: &setup_header) -> Result<u16, Error> {
    match hdr.protocol_version() {
        Some(v) if v >= MIN_PROTOCOL => Ok(v),
        version => Err(Error::UnsupportedProtocol {
            version,
            min: MIN_PROTOCOL,
        }),
    }
}

/// The longest command line (without the NUL) the kernel accepts: `cmdline_size` from protocol
/// 2.06, 255 before.
pub fn cmdline_limit(hdr: &setup_header) -> u32 {
    if hdr.protocol_at_least(PROTOCOL_CMDLINE_SIZE) {
        hdr.cmdline_size
    } else {
        OLD_CMDLINE_SIZE
    }
}

/// The highest address the initrd's last byte may occupy: `initrd_addr_max` from protocol 2.03,
/// 0x37ffffff before.
pub fn initrd_addr_max(hdr: &setup_header) -> u64 {
    if hdr.protocol_at_least(PROTOCOL_INITRD_ADDR_MAX) {
        u64::from(hdr.initrd_addr_max)
    } else {
        u64::from(OLD_INITRD_ADDR_MAX)
    }
}

/// The command line as it goes into guest memory (with its NUL), checked against the kernel's
/// limit.
///
/// # Errors
///
/// [`Error::CmdlineHasNul`] when `cmdline` contains a NUL; [`Error::CmdlineTooLong`] when it is
/// longer than [`cmdline_limit`].
pub fn cmdline_bytes(hdr: &setup_header, cmdline: &[u8]) -> Result<Vec<u8>, Error> {
    if let Some(offset) = cmdline.iter().position(|&b| b == 0) {
        return Err(Error::CmdlineHasNul { offset });
    }
    let max = cmdline_limit(hdr);
    if u64::try_from(cmdline.len()).map_or(true, |len| len > u64::from(max)) {
        return Err(Error::CmdlineTooLong {
            len: cmdline.len(),
            max,
        });
    }
    let mut bytes = Vec::with_capacity(cmdline.len().saturating_add(1));
    bytes.extend_from_slice(cmdline);
    bytes.push(0);
    Ok(bytes)
}

/// Builds a zero page from a setup header.
#[derive(Clone, Debug)]
pub struct ZeroPageBuilder {
    hdr: setup_header,
    cmdline: Option<(GuestAddress, usize)>,
    initrd: Option<GuestRange>,
    setup_data: Option<GuestAddress>,
    e820: Vec<boot_e820_entry>,
    vid_mode: Option<u16>,
    acpi_rsdp: Option<GuestAddress>,
    type_of_loader: u8,
}

impl ZeroPageBuilder {
    /// A builder starting from `hdr` (the kernel's setup header, or [`vmlinux_setup_header`]).
    pub fn new(hdr: setup_header) -> Self {
        Self {
            hdr,
            cmdline: None,
            initrd: None,
            setup_data: None,
            e820: Vec::new(),
            vid_mode: None,
            acpi_rsdp: None,
            type_of_loader: LOADER_TYPE_UNDEFINED,
        }
    }

    /// The command line of `len` bytes (without its NUL) at `addr`.
    pub fn cmdline(mut self, addr: GuestAddress, len: usize) -> Self {
        self.cmdline = Some((addr, len));
        self
    }

    /// The initrd's guest range.
    pub fn initrd(mut self, range: GuestRange) -> Self {
        self.initrd = Some(range);
        self
    }

    /// The address of the first `setup_data` node.
    pub fn setup_data(mut self, addr: GuestAddress) -> Self {
        self.setup_data = Some(addr);
        self
    }

    /// The zero page's e820 entries (at most 128; the rest go in `SETUP_E820_EXT`).
    pub fn e820(mut self, entries: &[boot_e820_entry]) -> Self {
        self.e820 = entries.to_vec();
        self
    }

    /// `vid_mode` (default: the header's own value, the kernel's built-in default).
    pub fn vid_mode(mut self, mode: u16) -> Self {
        self.vid_mode = Some(mode);
        self
    }

    /// `acpi_rsdp_addr` (read by kernels from protocol 2.14).
    pub fn acpi_rsdp(mut self, addr: GuestAddress) -> Self {
        self.acpi_rsdp = Some(addr);
        self
    }

    /// `type_of_loader` (default [`LOADER_TYPE_UNDEFINED`]).
    pub fn type_of_loader(mut self, id: u8) -> Self {
        self.type_of_loader = id;
        self
    }

    /// The zero page.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedProtocol`] for a header below protocol 2.02;
    /// [`Error::CmdlineTooLong`] for a command line past the header's `cmdline_size`;
    /// [`Error::SetupDataUnsupported`] for `setup_data` below protocol 2.09;
    /// [`Error::TooMany`] for more than 128 e820 entries.
    pub fn build(&self) -> Result<boot_params, Error> {
        let version = check_protocol(&self.hdr)?;
        if self.e820.len() > E820_MAX_ENTRIES_ZEROPAGE {
            return Err(Error::TooMany {
                what: "zero-page e820 entries",
                count: self.e820.len(),
                max: E820_MAX_ENTRIES_ZEROPAGE,
            });
        }
        let mut params = boot_params {
            hdr: self.hdr,
            ..boot_params::default()
        };
        let hdr = &mut params.hdr;
        hdr.type_of_loader = self.type_of_loader;
        if let Some(mode) = self.vid_mode {
            hdr.vid_mode = mode;
        }
        // boot.rst, "Sample boot configuration": the setup heap ends at 0xe000 for a high-loaded
        // kernel of protocol 2.02+ (0x9800 otherwise); heap_end_ptr is that minus 0x200.
        let heap_end: u16 = if hdr.has_loadflag(LOADED_HIGH) {
            0xe000
        } else {
            0x9800
        };
        hdr.heap_end_ptr = heap_end.saturating_sub(0x200);
        hdr.loadflags |= CAN_USE_HEAP;

        let (cmd_lo, cmd_hi) = match self.cmdline {
            Some((addr, len)) => {
                let max = cmdline_limit(&self.hdr);
                if u64::try_from(len).map_or(true, |l| l > u64::from(max)) {
                    return Err(Error::CmdlineTooLong { len, max });
                }
                split(addr.0)
            }
            None => (0, 0),
        };
        hdr.cmd_line_ptr = cmd_lo;
        params.ext_cmd_line_ptr = cmd_hi;

        let (img_lo, img_hi, size_lo, size_hi) = match self.initrd {
            Some(r) => {
                let (a, b) = split(r.start.0);
                let (c, d) = split(r.len);
                (a, b, c, d)
            }
            None => (0, 0, 0, 0),
        };
        params.hdr.ramdisk_image = img_lo;
        params.hdr.ramdisk_size = size_lo;
        params.ext_ramdisk_image = img_hi;
        params.ext_ramdisk_size = size_hi;

        params.hdr.setup_data = match self.setup_data {
            Some(_) if version < PROTOCOL_SETUP_DATA => {
                return Err(Error::SetupDataUnsupported { version });
            }
            Some(addr) => addr.0,
            None => 0,
        };

        for (slot, entry) in params.e820_table.iter_mut().zip(&self.e820) {
            *slot = *entry;
        }
        // At most 128 entries (checked above).
        params.e820_entries = u8::try_from(self.e820.len()).unwrap_or(u8::MAX);
        if let Some(rsdp) = self.acpi_rsdp {
            params.acpi_rsdp_addr = rsdp.0;
        }
        Ok(params)
    }
}

/// Low and high 32 bits.
fn split(v: u64) -> (u32, u32) {
    let lo = u32::try_from(v & 0xffff_ffff).unwrap_or(0);
    let hi = u32::try_from(v >> 32).unwrap_or(0);
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bootparam::{E820_RAM, XLF_KERNEL_64};

    fn bzimage_header() -> setup_header {
        setup_header {
            boot_flag: BOOT_FLAG,
            header: HDRS_MAGIC,
            version: 0x020f,
            loadflags: LOADED_HIGH,
            cmdline_size: 0x7ff,
            initrd_addr_max: 0x7fff_ffff,
            xloadflags: XLF_KERNEL_64,
            vid_mode: 0xfffd,
            init_size: 0x200_0000,
            ..setup_header::default()
        }
    }

    #[test]
    fn fills_loader_fields_only() {
        let hdr = bzimage_header();
        let e820 = [boot_e820_entry {
            addr: 0,
            size: 0x9_fc00,
            type_: E820_RAM,
        }];
        let params = ZeroPageBuilder::new(hdr)
            .cmdline(GuestAddress(0x2_0000), 12)
            .initrd(GuestRange::new(GuestAddress(0x1_2345_6000), 0x1_0000_1000))
            .setup_data(GuestAddress(0x2_0010))
            .e820(&e820)
            .acpi_rsdp(GuestAddress(0xe_0000))
            .build()
            .unwrap();
        let mut expected_hdr = hdr;
        expected_hdr.type_of_loader = 0xff;
        expected_hdr.cmd_line_ptr = 0x2_0000;
        expected_hdr.ramdisk_image = 0x2345_6000;
        expected_hdr.ramdisk_size = 0x1000;
        expected_hdr.setup_data = 0x2_0010;
        expected_hdr.heap_end_ptr = 0xde00;
        expected_hdr.loadflags = LOADED_HIGH | CAN_USE_HEAP;
        assert_eq!(params.hdr, expected_hdr);
        assert_eq!({ params.ext_ramdisk_image }, 1);
        assert_eq!({ params.ext_ramdisk_size }, 1);
        assert_eq!({ params.ext_cmd_line_ptr }, 0);
        assert_eq!(params.e820_entries, 1);
        assert_eq!(params.e820_table[0], e820[0]);
        assert_eq!({ params.acpi_rsdp_addr }, 0xe_0000);
        // The header's own vid_mode and cmdline_size are kept.
        assert_eq!({ params.hdr.vid_mode }, 0xfffd);
        assert_eq!({ params.hdr.cmdline_size }, 0x7ff);
    }

    #[test]
    fn low_loaded_kernel_gets_the_low_heap() {
        let mut hdr = bzimage_header();
        hdr.loadflags = 0;
        let params = ZeroPageBuilder::new(hdr).vid_mode(0xffff).build().unwrap();
        assert_eq!({ params.hdr.heap_end_ptr }, 0x9600);
        assert_eq!({ params.hdr.vid_mode }, 0xffff);
        assert_eq!(params.hdr.loadflags, CAN_USE_HEAP);
        assert_eq!({ params.hdr.cmd_line_ptr }, 0);
    }

    #[test]
    fn cmdline_limits_follow_the_protocol() {
        let mut hdr = bzimage_header();
        hdr.cmdline_size = 4;
        assert_eq!(cmdline_bytes(&hdr, b"abcd"), Ok(b"abcd\0".to_vec()));
        assert_eq!(
            cmdline_bytes(&hdr, b"abcde"),
            Err(Error::CmdlineTooLong { len: 5, max: 4 })
        );
        assert_eq!(
            cmdline_bytes(&hdr, b"a\0b"),
            Err(Error::CmdlineHasNul { offset: 1 })
        );
        assert_eq!(
            ZeroPageBuilder::new(hdr)
                .cmdline(GuestAddress(0x2_0000), 5)
                .build(),
            Err(Error::CmdlineTooLong { len: 5, max: 4 })
        );
        hdr.version = 0x0205; // before cmdline_size: 255
        assert_eq!(cmdline_limit(&hdr), 255);
        assert_eq!(initrd_addr_max(&hdr), 0x7fff_ffff);
        hdr.version = 0x0202;
        assert_eq!(initrd_addr_max(&hdr), 0x37ff_ffff);
    }

    #[test]
    fn protocol_gates() {
        let mut hdr = bzimage_header();
        hdr.version = 0x0208;
        assert_eq!(
            ZeroPageBuilder::new(hdr)
                .setup_data(GuestAddress(0x3_0000))
                .build(),
            Err(Error::SetupDataUnsupported { version: 0x0208 })
        );
        hdr.version = 0x0201;
        assert_eq!(
            ZeroPageBuilder::new(hdr).build(),
            Err(Error::UnsupportedProtocol {
                version: Some(0x0201),
                min: 0x0202
            })
        );
        assert_eq!(
            ZeroPageBuilder::new(setup_header::default()).build(),
            Err(Error::UnsupportedProtocol {
                version: None,
                min: 0x0202
            })
        );
        let e820 = vec![boot_e820_entry::default(); 129];
        assert_eq!(
            ZeroPageBuilder::new(vmlinux_setup_header())
                .e820(&e820)
                .build(),
            Err(Error::TooMany {
                what: "zero-page e820 entries",
                count: 129,
                max: 128
            })
        );
    }
}
