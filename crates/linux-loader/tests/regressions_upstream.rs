// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! One test per weak point known in upstream rust-vmm linux-loader (0.13 / 0.14), driven through
//! this crate's upstream-compatible API — the path a VMM takes when it swaps the dependency — so
//! each test proves the drop-in path is fixed, not only the crate underneath.
//!
//! Where a crate-level test covers the weak point in more depth, the doc comment names it.
//! Every rejected load is also checked to leave guest memory byte-identical.
//!
//! | weak point | test |
//! |---|---|
//! | EOF reads looping (CVE-2022-23523 class) | `eof_before_claimed_length_is_an_error_not_a_loop` |
//! | last PT_NOTE overriding the PVH result | `later_pt_note_does_not_erase_the_pvh_entry` |
//! | highmem checked only on the raw entry | `highmem_is_checked_for_every_segment` |
//! | BSS left unzeroed | `bss_is_zeroed_and_counted_in_kernel_end` |
//! | p_filesz > p_memsz | `filesz_greater_than_memsz_is_rejected` |
//! | short bzImage header read | `short_bzimage_header_is_rejected` |
//! | code32_start truncation above 4 GiB | `load_address_above_4g_is_rejected_not_truncated` |
//! | kernel_end ignoring init_size (x86) | `bzimage_needs_free_covers_init_size` |
//! | kernel_end ignoring image_size (arm64) | `arm64_kernel_end_covers_image_size` |
//! | DTB copied without validation | `dtb_is_validated_before_it_is_copied` |
//! | end-of-RAM off-by-one in configurators | `configurators_accept_a_structure_ending_on_the_last_byte` |
//! | `BootParams::add_*` panic / allocation on sparse addresses | `boot_params_add_refuses_sparse_and_wrapping_addresses` |
//! | cmdline accepting NUL / control bytes | `cmdline_refuses_nul_and_control_bytes` |

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::sync::mpsc;
use std::time::Duration;

use linux_loader::configurator::{BootConfigurator, BootParams};
use linux_loader::loader::{Error, KernelLoader};
use vm_memory::bitmap::BitmapSlice;
use vm_memory::{
    Bytes, GuestAddress, GuestMemoryMmap, ReadVolatile, VolatileMemoryError, VolatileSlice,
};

/// Guest memory size: the synthetic kernels load at 1 MiB (bzImage), 2 MiB (ELF) and 0 (Image).
const MEM_SIZE: usize = 0x40_0000;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Guest memory filled with 0xa5, so unzeroed BSS and stray writes show.
fn mem() -> GuestMemoryMmap {
    let m = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), MEM_SIZE)]).unwrap();
    m.write_slice(&vec![0xa5; MEM_SIZE], GuestAddress(0))
        .unwrap();
    m
}

fn snapshot(m: &GuestMemoryMmap) -> Vec<u8> {
    let mut buf = vec![0u8; MEM_SIZE];
    m.read_slice(&mut buf, GuestAddress(0)).unwrap();
    buf
}

/// Runs `f` on fresh memory and asserts it left the memory byte-identical.
fn untouched<T>(f: impl FnOnce(&GuestMemoryMmap) -> T) -> T {
    let m = mem();
    let before = snapshot(&m);
    let r = f(&m);
    assert!(
        snapshot(&m) == before,
        "guest memory changed by a rejected call"
    );
    r
}

fn patch(image: &[u8], at: usize, bytes: &[u8]) -> Vec<u8> {
    let mut v = image.to_vec();
    v[at..at + bytes.len()].copy_from_slice(bytes);
    v
}

/// A reader whose `seek(End)` claims more bytes than it holds: the file shrank under the VMM,
/// or a tenant handed it a FIFO-backed image.
struct LyingReader {
    inner: Cursor<Vec<u8>>,
    claimed_len: u64,
}

impl Read for LyingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl ReadVolatile for LyingReader {
    fn read_volatile<B: BitmapSlice>(
        &mut self,
        buf: &mut VolatileSlice<B>,
    ) -> Result<usize, VolatileMemoryError> {
        self.inner.read_volatile(buf)
    }
}

impl Seek for LyingReader {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match pos {
            SeekFrom::End(d) => {
                let at = self.claimed_len.checked_add_signed(d).unwrap();
                self.inner.seek(SeekFrom::Start(at))
            }
            other => self.inner.seek(other),
        }
    }
}

/// Upstream's loaders read with `read_volatile` in a loop that did not stop at end of file, so a
/// reader running dry before its claimed length spun forever (CVE-2022-23523). Here the load
/// ends with an error, within a deadline. Crate-level:
/// `kernel-elf/tests/regressions.rs::regression_eof_before_claimed_length_errors_instead_of_looping`.
#[test]
fn eof_before_claimed_length_is_an_error_not_a_loop() {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // The data segment claims 0x10000 bytes the file lacks; the reader claims to have them.
        let image = fixture("elf/segment-past-eof.elf");
        let claimed_len = image.len() as u64 + 0x1_0000;
        let m = mem();
        let mut reader = LyingReader {
            inner: Cursor::new(image),
            claimed_len,
        };
        let r = linux_loader::loader::Elf::load(&m, None, &mut reader, None);
        tx.send(r.map(|_| ())).unwrap();
    });
    let r = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the load did not finish: looping on EOF");
    assert!(
        matches!(
            &r,
            Err(Error::Elf(linux_loader::loader::elf::Error::Plan(
                linux_loader::loader_core::Error::SourceRead { index: 1, source, .. }
            ))) if source.kind() == std::io::ErrorKind::UnexpectedEof
        ),
        "{r:?}"
    );
}

/// Upstream set `pvh_boot_cap` once per `PT_NOTE` segment, so a later note segment without the
/// PVH note reset an earlier `PvhEntryPresent`. `x86_64-pvh.elf` has the PVH note in its first
/// `PT_NOTE` and an unrelated one in its second. Crate-level:
/// `kernel-elf/tests/regressions.rs::regression_later_pt_note_does_not_erase_pvh_entry`.
#[test]
fn later_pt_note_does_not_erase_the_pvh_entry() {
    use linux_loader::loader::elf::PvhBootCapability;
    let m = mem();
    let image = fixture("elf/x86_64-pvh.elf");
    let r = linux_loader::loader::Elf::load(&m, None, &mut Cursor::new(&image), None).unwrap();
    assert_eq!(
        r.pvh_boot_cap,
        PvhBootCapability::PvhEntryPresent(GuestAddress(0x20_0080))
    );
    assert_eq!(r.entry.pvh, Some(GuestAddress(0x20_0080)));
}

/// Upstream compared only the raw `e_entry` with `highmem_start_address`: with the entry moved
/// into the data segment (0x201010), the text segment at 0x200000 was written below high memory
/// 0x201000. Crate-level: `kernel-elf/tests/regressions.rs::regression_highmem_checked_for_every_segment_not_only_the_entry`
/// and `regression_highmem_checked_on_relocated_addresses`.
#[test]
fn highmem_is_checked_for_every_segment() {
    let image = patch(
        &fixture("elf/x86_64-linux.elf"),
        24,
        &0x20_1010u64.to_le_bytes(),
    );
    let r = untouched(|m| {
        linux_loader::loader::Elf::load(
            m,
            None,
            &mut Cursor::new(&image),
            Some(GuestAddress(0x20_1000)),
        )
    });
    assert!(
        matches!(
            r,
            Err(Error::Elf(linux_loader::loader::elf::Error::BelowHighmem {
                index: 0,
                addr: 0x20_0000,
                highmem: 0x20_1000
            }))
        ),
        "{r:?}"
    );
}

/// Upstream copied `p_filesz` bytes and left the rest of `p_memsz` (the BSS) as it found it, and
/// its `kernel_end` stopped at the file bytes. Crate-level:
/// `kernel-elf/tests/regressions.rs::regression_bss_zeroed_over_dirty_memory`.
#[test]
fn bss_is_zeroed_and_counted_in_kernel_end() {
    let m = mem();
    let image = fixture("elf/x86_64-linux.elf");
    let r = linux_loader::loader::Elf::load(&m, None, &mut Cursor::new(&image), None).unwrap();
    // PT_LOAD #1: file 0x400, paddr 0x201000, filesz 0x80, memsz 0x1000.
    let mut bss = vec![0xffu8; 0x1000 - 0x80];
    m.read_slice(&mut bss, GuestAddress(0x20_1080)).unwrap();
    assert!(bss.iter().all(|&b| b == 0), "BSS not zeroed");
    assert_eq!(r.kernel_end, 0x20_2000);
    let after: u8 = m.read_obj(GuestAddress(0x20_2000)).unwrap();
    assert_eq!(after, 0xa5, "zeroed past the BSS");
}

/// Upstream accepted `p_filesz > p_memsz` and wrote `p_filesz` bytes over what followed the
/// segment. Crate-level: `kernel-elf/tests/regressions.rs::regression_filesz_greater_than_memsz_rejected`.
#[test]
fn filesz_greater_than_memsz_is_rejected() {
    let image = fixture("elf/filesz-gt-memsz.elf");
    let r = untouched(|m| linux_loader::loader::Elf::load(m, None, &mut Cursor::new(&image), None));
    assert!(
        matches!(
            r,
            Err(Error::Elf(
                linux_loader::loader::elf::Error::FileSizeExceedsMemSize {
                    index: 1,
                    filesz: 0x80,
                    memsz: 0x40
                }
            ))
        ),
        "{r:?}"
    );
}

/// Upstream read the setup header with one `read_volatile` and parsed zeroes after a short read.
/// Crate-level: `kernel-bzimage/src/tests.rs::regression_short_header_read`.
#[cfg(feature = "bzimage")]
#[test]
fn short_bzimage_header_is_rejected() {
    use linux_loader::loader::bzimage::{BzImage, Error as BzError};
    let image = fixture("bzimage/truncated-header.bzImage");
    let r = untouched(|m| BzImage::load(m, None, &mut Cursor::new(&image), None));
    // The inner error is boot-params-x86's, which the umbrella does not name; its Debug does.
    let Err(Error::Bzimage(BzError::SetupHeader(inner))) = &r else {
        panic!("{r:?}");
    };
    assert_eq!(
        format!("{inner:?}"),
        "SetupHeaderTruncated { offset: 497, needed: 123, available: 31 }"
    );
}

/// Upstream stored `kernel_offset` into the 32-bit `code32_start` with `as u32`, so an address at
/// or above 4 GiB was silently truncated. Crate-level:
/// `kernel-bzimage/src/tests.rs::regression_code32_start_truncation_above_4g`.
#[cfg(feature = "bzimage")]
#[test]
fn load_address_above_4g_is_rejected_not_truncated() {
    use linux_loader::loader::bzimage::{BzImage, Error as BzError};
    let image = fixture("bzimage/minimal-64.bzImage");
    let addr = 0x1_0020_0000;
    let r =
        untouched(|m| BzImage::load(m, Some(GuestAddress(addr)), &mut Cursor::new(&image), None));
    assert!(
        matches!(
            r,
            Err(Error::Bzimage(BzError::LoadAddressAbove4G {
                addr: 0x1_0020_0000
            }))
        ),
        "{r:?}"
    );
}

/// Upstream's `kernel_end` for a bzImage is the end of the loaded file, so VMMs placed the
/// initrd or boot structures where the kernel decompresses itself (`init_size` bytes from its
/// runtime address). `kernel_end` keeps upstream's meaning; `needs_free` covers `init_size`.
/// Crate-level: `kernel-bzimage/src/tests.rs::regression_kernel_end_ignoring_init_size`.
#[cfg(feature = "bzimage")]
#[test]
fn bzimage_needs_free_covers_init_size() {
    use linux_loader::loader::bzimage::BzImage;
    let m = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x200_0000)]).unwrap();
    let image = fixture("bzimage/minimal-64.bzImage");
    let r = BzImage::load(&m, None, &mut Cursor::new(&image), None).unwrap();
    assert_eq!(r.kernel_load, GuestAddress(0x10_0000));
    assert_eq!(r.kernel_end, 0x10_1000);
    // Runtime start max(align_up(0x100000, 2 MiB), pref_address 0x1000000) + init_size 0x400000.
    assert_eq!(r.needs_free.end_or_max(), 0x140_0000);
    assert!(r.needs_free.contains_range(&r.loaded));
    let hdr = r.setup_header.unwrap();
    assert_eq!({ hdr.init_size }, 0x40_0000);
}

/// Upstream's arm64 `kernel_end` stopped at the file's end, though `image_size` (0x2000 here,
/// the file being 0xa00) covers the BSS the kernel clears at boot: a DTB or initrd placed right
/// after `kernel_end` was wiped. Here `kernel_end` covers `image_size` and the BSS is zeroed.
#[cfg(feature = "pe")]
#[test]
fn arm64_kernel_end_covers_image_size() {
    use linux_loader::loader::pe::PE;
    let m = mem();
    let image = fixture("pe/arm64.Image");
    let r = PE::load(
        &m,
        Some(GuestAddress(0x20_0000)),
        &mut Cursor::new(&image),
        None,
    )
    .unwrap();
    assert_eq!(r.kernel_load, GuestAddress(0x20_0000));
    assert_eq!(r.kernel_end, 0x20_2000);
    let mut bss = vec![0xffu8; 0x2000 - 0xa00];
    m.read_slice(&mut bss, GuestAddress(0x20_0a00)).unwrap();
    assert!(bss.iter().all(|&b| b == 0), "BSS not zeroed");
}

/// Upstream's `load_dtb` and `FdtBootConfigurator` copied any bytes into guest memory; a broken
/// DTB only failed inside the guest. Crate-level:
/// `boot-fdt/tests/dtb.rs::regression_configurator_refuses_a_non_dtb`.
#[cfg(feature = "pe")]
#[test]
fn dtb_is_validated_before_it_is_copied() {
    use linux_loader::configurator::fdt::FdtBootConfigurator;
    use linux_loader::loader::pe::{Error as PeError, load_dtb};
    for bad in ["bad-magic", "struct-out-of-range", "unterminated-node"] {
        let dtb = fixture(&format!("dtb/{bad}.dtb"));
        let r = untouched(|m| load_dtb(m, GuestAddress(0x10_0000), &mut Cursor::new(&dtb)));
        assert!(
            matches!(r, Err(Error::Pe(PeError::InvalidDtb(_)))),
            "{bad}: {r:?}"
        );
        let params = BootParams {
            header: dtb.clone(),
            ..BootParams::new(&0u8, GuestAddress(0x10_0000))
        };
        let r = untouched(|m| FdtBootConfigurator::write_bootparams(&params, m));
        assert!(
            matches!(
                r,
                Err(linux_loader::configurator::Error::Fdt(
                    linux_loader::configurator::fdt::Error::InvalidFdt
                ))
            ),
            "{bad}: {r:?}"
        );
    }
    // The valid one goes in.
    let m = mem();
    let dtb = fixture("dtb/minimal.dtb");
    load_dtb(&m, GuestAddress(0x10_0000), &mut Cursor::new(&dtb)).unwrap();
    let mut back = vec![0u8; dtb.len()];
    m.read_slice(&mut back, GuestAddress(0x10_0000)).unwrap();
    assert_eq!(back, dtb);
}

/// Upstream's configurators checked `checked_offset(addr, len)`, which fails when the structure
/// ends exactly on the last byte of RAM — an off-by-one that refused valid layouts — while one
/// byte further must still fail. Crate-level:
/// `boot-params-x86/tests/configurators.rs::linux_zero_page_may_end_on_the_last_byte_of_ram`,
/// `pvh_structures_may_end_on_the_last_byte_of_ram`, and boot-fdt's configurator tests.
#[test]
fn configurators_accept_a_structure_ending_on_the_last_byte() {
    use linux_loader::bootparam::boot_params;
    use linux_loader::configurator::linux::LinuxBootConfigurator;
    use linux_loader::configurator::pvh::PvhBootConfigurator;
    use linux_loader::start_info::{hvm_memmap_table_entry, hvm_start_info};
    let end = MEM_SIZE as u64;

    // Linux: the 4 KiB zero page.
    let zp = boot_params::default();
    let m = mem();
    LinuxBootConfigurator::write_bootparams(&BootParams::new(&zp, GuestAddress(end - 0x1000)), &m)
        .unwrap();
    let r = untouched(|m| {
        LinuxBootConfigurator::write_bootparams(&BootParams::new(&zp, GuestAddress(end - 0xfff)), m)
    });
    assert!(
        matches!(
            r,
            Err(linux_loader::configurator::Error::Linux(
                linux_loader::configurator::linux::Error::ZeroPagePastRamEnd
            ))
        ),
        "{r:?}"
    );

    // PVH: hvm_start_info (56 bytes) on the last byte, its memory map just below.
    let memmap = [
        hvm_memmap_table_entry {
            addr: 0,
            size: 0x9_fc00,
            type_: 1,
            reserved: 0,
        },
        hvm_memmap_table_entry {
            addr: 0x10_0000,
            size: end - 0x10_0000,
            type_: 1,
            reserved: 0,
        },
    ];
    let memmap_at = end - 56 - 48;
    let pvh_params = |start_info_at: u64| {
        let si = hvm_start_info {
            magic: 0x336e_c578,
            version: 1,
            memmap_paddr: memmap_at,
            memmap_entries: 2,
            ..Default::default()
        };
        let mut p = BootParams::new(&si, GuestAddress(start_info_at));
        p.set_sections(&memmap, GuestAddress(memmap_at));
        p
    };
    let m = mem();
    PvhBootConfigurator::write_bootparams(&pvh_params(end - 56), &m).unwrap();
    let back: hvm_start_info = m.read_obj(GuestAddress(end - 56)).unwrap();
    assert_eq!({ back.memmap_entries }, 2);
    let r = untouched(|m| PvhBootConfigurator::write_bootparams(&pvh_params(end - 55), m));
    assert!(
        matches!(r, Err(linux_loader::configurator::Error::Pvh(_))),
        "{r:?}"
    );

    // FDT: a DTB ending on the last byte.
    #[cfg(feature = "pe")]
    {
        use linux_loader::configurator::fdt::FdtBootConfigurator;
        let dtb = fixture("dtb/minimal.dtb");
        let at = |a: u64| BootParams {
            header: dtb.clone(),
            ..BootParams::new(&0u8, GuestAddress(a))
        };
        let m = mem();
        FdtBootConfigurator::write_bootparams(&at(end - dtb.len() as u64), &m).unwrap();
        let r = untouched(|m| {
            FdtBootConfigurator::write_bootparams(&at(end - dtb.len() as u64 + 1), m)
        });
        assert!(
            matches!(
                r,
                Err(linux_loader::configurator::Error::Fdt(
                    linux_loader::configurator::fdt::Error::FDTPastRamEnd
                ))
            ),
            "{r:?}"
        );
    }
}

/// Upstream's `BootParams::add_section` / `add_module` resized the list to reach any address
/// (a far address meant a huge allocation, or an abort) and panicked on an address below the
/// list start. Here the list is capped and both are errors. Crate-level:
/// `loader-core/src/tests.rs::boot_params_refuse_huge_sparse_lists`.
#[test]
fn boot_params_add_refuses_sparse_and_wrapping_addresses() {
    use linux_loader::configurator::Error as CfgError;
    use linux_loader::start_info::{hvm_memmap_table_entry, hvm_modlist_entry};
    let mut p = BootParams::new(&0u64, GuestAddress(0x1000));
    let entry = hvm_memmap_table_entry::default();
    p.add_section(&entry, Some(GuestAddress(0x6000))).unwrap();
    // 1 TiB after the list start: refused, nothing allocated.
    let r = p.add_section(&entry, Some(GuestAddress(0x6000 + (1 << 40))));
    assert!(matches!(r, Err(CfgError::ListTooLarge { .. })), "{r:?}");
    // Below the list start.
    let r = p.add_section(&entry, Some(GuestAddress(0x5000)));
    assert!(matches!(r, Err(CfgError::InvalidAddress)), "{r:?}");
    // Wrapping the address space.
    let mut q = BootParams::new(&0u64, GuestAddress(0x1000));
    let r = q.add_module(
        &hvm_modlist_entry::default(),
        Some(GuestAddress(u64::MAX - 8)),
    );
    assert!(matches!(r, Err(CfgError::Overflow)), "{r:?}");
    // The list is as it was after the one good call.
    assert_eq!(p.sections.as_ref().map(Vec::len), Some(24));
    assert_eq!(p.sections_start, Some(GuestAddress(0x6000)));
}

/// Upstream's `Cmdline` accepted NUL and other control bytes (a NUL ends the line early in the
/// kernel; the rest is silently dropped), and `load_cmdline` copied them. Crate-level:
/// `kernel-cmdline/tests/parse.rs` and `tests/builder.rs`.
#[test]
fn cmdline_refuses_nul_and_control_bytes() {
    use linux_loader::cmdline::{Cmdline, Error as ClError};
    assert_eq!(
        Cmdline::try_from("console=ttyS0\0init=/bin/evil", 100),
        Err(ClError::ControlByte {
            offset: 13,
            value: 0
        })
    );
    assert_eq!(
        Cmdline::try_from("root=/dev/vda\x1b[2J", 100),
        Err(ClError::ControlByte {
            offset: 13,
            value: 0x1b
        })
    );
    let mut cl = Cmdline::new(100).unwrap();
    let r = cl.insert_str("quiet\ninit=/bin/sh");
    assert!(r.is_err_and(|e| matches!(e, ClError::ControlByte { .. } | ClError::InvalidAscii)));
    let r = cl.insert("console", "ttyS0\0");
    assert!(r.is_err_and(|e| matches!(e, ClError::ControlByte { .. } | ClError::InvalidAscii)));
    assert!(cl.is_empty(), "a refused insert changed the line");
    let r = untouched(|m| linux_loader::loader::load_cmdline(m, GuestAddress(0x2_0000), c"a\x01b"));
    assert!(matches!(r, Err(Error::InvalidCommandLine)), "{r:?}");
}
