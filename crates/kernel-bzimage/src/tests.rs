// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Tests on the committed synthetic fixtures and on Debian's real 6.1 bzImage.

use std::io::Cursor;

use boot_params_x86::bootparam::XLF_CAN_BE_LOADED_ABOVE_4G;
use loader_core::{GuestRange, KernelLoader};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

use crate::{BzImage, BzImageLoad, Error, Payload, parse};

const MEM_SIZE: usize = 0x80_0000;
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/bzimage/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{name}.bzImage")).unwrap()
}

/// The bytes guest memory starts with in every test (built once: debug builds are slow at it).
fn pattern() -> &'static [u8] {
    static PATTERN: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| (0..MEM_SIZE).map(|i| (i * 7 + 3) as u8).collect())
}

/// 8 MiB of guest memory filled with a non-zero pattern.
fn memory() -> GuestMemoryMmap<()> {
    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), MEM_SIZE)]).unwrap();
    mem.write_slice(pattern(), GuestAddress(0)).unwrap();
    mem
}

fn snapshot(mem: &GuestMemoryMmap<()>) -> Vec<u8> {
    let mut buf = vec![0u8; MEM_SIZE];
    mem.read_slice(&mut buf, GuestAddress(0)).unwrap();
    buf
}

fn load(
    image: &[u8],
    offset: Option<u64>,
    highmem: Option<u64>,
) -> (crate::Result<BzImageLoad>, GuestMemoryMmap<()>) {
    let mem = memory();
    let result = BzImage::load_detailed(
        &mem,
        offset.map(GuestAddress),
        &mut Cursor::new(image),
        highmem.map(GuestAddress),
    );
    (result, mem)
}

/// Loads and expects an error, and that guest memory still holds exactly the pattern.
fn load_err(image: &[u8], offset: Option<u64>, highmem: Option<u64>) -> Error {
    let (result, mem) = load(image, offset, highmem);
    let err = result.unwrap_err();
    assert!(
        snapshot(&mem) == pattern(),
        "guest memory changed on error {err:?}"
    );
    err
}

fn put_u16(image: &mut [u8], at: usize, v: u16) {
    image[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(image: &mut [u8], at: usize, v: u32) {
    image[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn le16(b: &[u8], at: usize) -> u64 {
    u64::from(b[at]) | u64::from(b[at + 1]) << 8
}

fn le32(b: &[u8], at: usize) -> u64 {
    le16(b, at) | le16(b, at + 2) << 16
}

fn le64(b: &[u8], at: usize) -> u64 {
    le32(b, at) | le32(b, at + 4) << 32
}

fn range(start: u64, end: u64) -> GuestRange {
    GuestRange::new(GuestAddress(start), end - start)
}

// ---- valid fixtures ------------------------------------------------------------------------

#[test]
fn minimal_64_loads_at_code32_start() {
    let image = fixture("minimal-64");
    let (result, mem) = load(&image, None, Some(0x10_0000));
    let load = result.unwrap();
    let r = load.result;
    assert_eq!(r.kernel_load, GuestAddress(0x10_0000));
    assert_eq!(r.kernel_end, 0x10_1000);
    assert_eq!(r.loaded, range(0x10_0000, 0x10_1000));
    assert_eq!(r.entry.linux_32, Some(GuestAddress(0x10_0000)));
    assert_eq!(r.entry.linux_64, Some(GuestAddress(0x10_0200)));
    assert_eq!((r.entry.pvh, r.entry.image), (None, None));
    // Runtime start max(align_up(0x100000, 2 MiB), pref_address 0x1000000), init_size 4 MiB.
    assert_eq!(load.runtime_start, GuestAddress(0x100_0000));
    assert_eq!(r.needs_free, range(0x10_0000, 0x140_0000));
    assert_eq!(load.protocol, 0x020f);
    assert_eq!(load.init_size, 0x40_0000);
    assert_eq!({ load.setup_header.code32_start }, 0x10_0000);
    assert_eq!(
        load.kernel_version.as_deref(),
        Some("6.1.0-synthetic (xtask) #1 SMP")
    );
    assert_eq!(
        load.payload,
        Some(Payload {
            file_offset: 0xd00,
            len: 0x497
        })
    );
    assert_eq!(load.summary.file_bytes, 0x1000);
    assert_eq!(load.summary.zero_bytes, 0);

    // Guest memory: the protected-mode part, and nothing else changed.
    let mut expected = pattern().to_vec();
    expected[0x10_0000..0x10_1000].copy_from_slice(&image[0xa00..0x1a00]);
    assert!(snapshot(&mem) == expected);
}

#[test]
fn returned_setup_header_is_the_image_header_with_code32_start_set() {
    let image = fixture("minimal-64");
    let (result, _mem) = load(&image, Some(0x20_0000), None);
    let load = result.unwrap();
    let mut expected = parse(&image, image.len() as u64).unwrap().setup_header;
    assert_eq!({ expected.code32_start }, 0x10_0000);
    expected.code32_start = 0x20_0000;
    assert_eq!(load.setup_header, expected);
    assert_eq!(load.result.entry.linux_64, Some(GuestAddress(0x20_0200)));
    // Still below pref_address: the kernel runs at 0x1000000.
    assert_eq!(load.result.needs_free, range(0x20_0000, 0x140_0000));
}

#[test]
fn trait_load_returns_the_detailed_result() {
    let image = fixture("minimal-64");
    let mem = memory();
    let result = BzImage::load(&mem, None, &mut Cursor::new(&image), None).unwrap();
    let (detailed, _mem) = load(&image, None, None);
    assert_eq!(result, detailed.unwrap().result);
}

#[test]
fn minimal_32_has_only_a_32_bit_entry() {
    let image = fixture("minimal-32");
    let (result, mem) = load(&image, None, None);
    let load = result.unwrap();
    assert_eq!(load.protocol, 0x020a);
    assert_eq!(load.result.entry.linux_32, Some(GuestAddress(0x10_0000)));
    assert_eq!(load.result.entry.linux_64, None);
    assert_eq!(load.result.kernel_end, 0x10_1000);
    assert_eq!(
        load.payload,
        Some(Payload {
            file_offset: 0xd00,
            len: 0x297
        })
    );
    let mut bytes = vec![0u8; 0x1000];
    mem.read_slice(&mut bytes, GuestAddress(0x10_0000)).unwrap();
    assert_eq!(bytes, image[0xa00..0x1a00]);
}

#[test]
fn setup_sects_zero_means_four() {
    let image = fixture("setup-sects-zero");
    assert_eq!(image[0x1f1], 0);
    let info = parse(&image, image.len() as u64).unwrap();
    assert_eq!((info.kernel_file_offset, info.kernel_len), (0xa00, 0x1000));
    let (result, mem) = load(&image, None, None);
    let (reference, ref_mem) = load(&fixture("minimal-64"), None, None);
    let (load, reference) = (result.unwrap(), reference.unwrap());
    assert_eq!(load.result, reference.result);
    assert!(snapshot(&mem) == snapshot(&ref_mem));
}

#[test]
fn non_relocatable_loads_only_at_code32_start() {
    let image = fixture("non-relocatable");
    let (result, _mem) = load(&image, None, None);
    let load = result.unwrap();
    assert_eq!(load.result.kernel_load, GuestAddress(0x10_0000));
    // Runs at pref_address whatever the load address.
    assert_eq!(load.runtime_start, GuestAddress(0x100_0000));
    assert_eq!(load.result.needs_free, range(0x10_0000, 0x140_0000));
    // Explicitly asking for code32_start is fine too.
    assert!(load.result == self::load(&image, Some(0x10_0000), None).0.unwrap().result);

    assert_eq!(
        load_err(&image, Some(0x20_0000), None),
        Error::NonRelocatableAddress {
            addr: 0x20_0000,
            required: 0x10_0000
        }
    );
}

#[test]
fn relocatable_load_address_must_be_aligned() {
    let image = fixture("minimal-64");
    for addr in [0x18_0000, 0x20_1000, 0x30_0000] {
        assert_eq!(
            load_err(&image, Some(addr), None),
            Error::MisalignedLoadAddress {
                addr,
                alignment: 0x20_0000
            }
        );
    }
    let (result, _mem) = load(&image, Some(0x40_0000), None);
    assert_eq!(result.unwrap().result.kernel_load, GuestAddress(0x40_0000));
}

#[test]
fn runtime_start_above_pref_address_follows_the_load_address() {
    let image = fixture("minimal-64");
    let info = parse(&image, image.len() as u64).unwrap();
    let plan = info.plan(Some(GuestAddress(0x120_0000)), None).unwrap();
    assert_eq!(plan.runtime_start, GuestAddress(0x120_0000));
    assert_eq!(plan.result.needs_free, range(0x120_0000, 0x160_0000));
    assert_eq!(plan.plan.segments().len(), 1);
    let seg = plan.plan.segments()[0];
    assert_eq!(
        (seg.file_offset, seg.file_len, seg.guest_addr, seg.mem_len),
        (0xa00, 0x1000, GuestAddress(0x120_0000), 0x1000)
    );
}

#[test]
fn trailing_bytes_after_syssize_are_not_loaded() {
    // Like the Authenticode signature appended to a signed vmlinuz.
    let mut image = fixture("minimal-64");
    image.extend_from_slice(&[0xee; 0x5c0]);
    let (result, mem) = load(&image, None, None);
    assert_eq!(result.unwrap().result.kernel_end, 0x10_1000);
    let mut expected = pattern().to_vec();
    expected[0x10_0000..0x10_1000].copy_from_slice(&image[0xa00..0x1a00]);
    assert!(snapshot(&mem) == expected);
}

#[test]
fn protocol_before_2_04_loads_the_rest_of_the_file() {
    let mut image = fixture("minimal-64");
    put_u16(&mut image, 0x206, 0x0203);
    put_u32(&mut image, 0x1f4, 0x7); // ram_size/garbage in the upper half: ignored.
    image.extend_from_slice(&[0xee; 0x10]);
    let info = parse(&image, image.len() as u64).unwrap();
    assert_eq!(info.kernel_len, 0x1010);
    assert!(!info.relocatable && !info.kernel_64 && !info.can_load_above_4g);
    assert_eq!(
        (info.init_size, info.payload, info.pref_address),
        (0, None, None)
    );
    let (result, _mem) = load(&image, None, None);
    let load = result.unwrap();
    assert_eq!(load.result.kernel_end, 0x10_1010);
    assert_eq!(load.result.needs_free, load.result.loaded);
    assert_eq!(
        load_err(&image, Some(0x20_0000), None),
        Error::NonRelocatableAddress {
            addr: 0x20_0000,
            required: 0x10_0000
        }
    );
}

// ---- header errors ------------------------------------------------------------------------

#[test]
fn bad_boot_flag() {
    let err = load_err(&fixture("bad-boot-flag"), None, None);
    assert_eq!(err, Error::BadBootFlag { found: 0x55aa });
    assert!(err.is_invalid_bzimage());
    assert_eq!(
        err.to_string(),
        "bzImage setup header at 0x1f1: boot_flag is 0x55aa, expected 0xaa55 — not a bzImage?"
    );
}

#[test]
fn bad_hdrs_magic() {
    let err = load_err(&fixture("bad-hdrs-magic"), None, None);
    assert_eq!(
        err,
        Error::BadHeaderMagic {
            found: u32::from_le_bytes(*b"hdrS")
        }
    );
    assert!(err.is_invalid_bzimage());
}

#[test]
fn old_protocol() {
    let err = load_err(&fixture("old-protocol"), None, None);
    assert_eq!(err, Error::ProtocolTooOld { version: 0x01ff });
    assert!(err.is_invalid_bzimage());
}

#[test]
fn not_loaded_high() {
    let err = load_err(&fixture("not-loaded-high"), None, None);
    assert_eq!(err, Error::NotLoadedHigh { loadflags: 0 });
    assert!(err.is_invalid_bzimage());
}

#[test]
fn setup_sects_above_limit() {
    let mut image = fixture("minimal-64");
    image[0x1f1] = 65;
    assert_eq!(
        load_err(&image, None, None),
        Error::SetupTooLarge {
            setup_sects: 65,
            max: 64
        }
    );
}

#[test]
fn syssize_zero_is_an_empty_kernel() {
    let mut image = fixture("minimal-64");
    put_u32(&mut image, 0x1f4, 0);
    assert_eq!(
        load_err(&image, None, None),
        Error::EmptyKernel { offset: 0xa00 }
    );
}

#[test]
fn huge_syssize_is_rejected_before_the_file_check() {
    let mut image = fixture("minimal-64");
    put_u32(&mut image, 0x1f4, u32::MAX);
    assert_eq!(
        load_err(&image, None, None),
        Error::KernelTooLarge {
            size: 0xf_ffff_fff0,
            max: 1 << 30
        }
    );
}

#[test]
fn kernel_alignment_must_be_a_power_of_two() {
    for alignment in [0, 0x30_0000, 0x20_0001] {
        let mut image = fixture("minimal-64");
        put_u32(&mut image, 0x230, alignment);
        assert_eq!(
            load_err(&image, None, None),
            Error::BadKernelAlignment { alignment }
        );
    }
    // A non-relocatable kernel's alignment is not used, so it is not checked.
    let mut image = fixture("non-relocatable");
    put_u32(&mut image, 0x230, 0x30_0000);
    assert!(
        load(&image, None, None)
            .0
            .is_ok_and(|l| l.runtime_start.0 == 0x100_0000)
    );
}

#[test]
fn payload_must_lie_inside_the_kernel() {
    let mut image = fixture("minimal-64");
    put_u32(&mut image, 0x24c, 0xd01);
    assert_eq!(
        load_err(&image, None, None),
        Error::PayloadOutsideKernel {
            offset: 0x300,
            len: 0xd01,
            kernel_len: 0x1000
        }
    );
    // Ending exactly at the kernel's end is fine.
    put_u32(&mut image, 0x24c, 0xd00);
    let info = parse(&image, image.len() as u64).unwrap();
    assert_eq!(
        info.payload,
        Some(Payload {
            file_offset: 0xd00,
            len: 0xd00
        })
    );
}

#[test]
fn kernel_version_string_is_bounded_and_printable() {
    let image = fixture("minimal-64");
    // The loader reads the header and then only the string's window; parse sees the whole setup
    // code. Both must agree on every image.
    let version = |image: &[u8]| {
        let parsed = parse(image, image.len() as u64).unwrap().kernel_version;
        let (loaded, _) = load(image, None, None);
        assert_eq!(loaded.unwrap().kernel_version, parsed);
        parsed
    };
    assert_eq!(
        version(&image).as_deref(),
        Some("6.1.0-synthetic (xtask) #1 SMP")
    );
    let mut no_pointer = image.clone();
    put_u16(&mut no_pointer, 0x20e, 0);
    assert_eq!(version(&no_pointer), None);
    // Pointing into the protected-mode kernel (past the setup code).
    let mut outside = image.clone();
    put_u16(&mut outside, 0x20e, 0x800);
    assert_eq!(version(&outside), None);
    let mut unprintable = image.clone();
    unprintable[0x502] = 0x07;
    assert_eq!(version(&unprintable), None);
    let mut unterminated = image.clone();
    unterminated[0x500..0xa00].fill(b'x');
    assert_eq!(version(&unterminated), None);
    // A string whose NUL is the last byte of the setup code is reported; one cut by the end of
    // the setup code is not, even though the protected-mode kernel that follows has a NUL.
    let mut at_end = image.clone();
    put_u16(&mut at_end, 0x20e, 0xa00 - 0x200 - 4);
    at_end[0x9fc..0xa00].copy_from_slice(b"6.1\0");
    assert_eq!(version(&at_end).as_deref(), Some("6.1"));
    let mut cut = at_end.clone();
    cut[0x9ff] = b'x';
    assert_eq!(version(&cut), None);
    // The header alone (no setup code) parses; the string is just not available.
    assert_eq!(
        parse(&image[..0x26c], image.len() as u64)
            .unwrap()
            .kernel_version,
        None
    );
}

// ---- placement errors ---------------------------------------------------------------------

#[test]
fn load_outside_guest_memory_is_a_plan_error() {
    let err = load_err(&fixture("minimal-64"), Some(MEM_SIZE as u64), None);
    assert!(
        matches!(
            err,
            Error::Plan(loader_core::Error::SegmentOutsideMemory {
                index: 0,
                addr: 0x80_0000,
                end: 0x80_1000
            })
        ),
        "{err:?}"
    );
}

#[test]
fn kernel_crossing_4g_needs_xlf_can_be_loaded_above_4g() {
    let mut image = fixture("minimal-64");
    put_u32(&mut image, 0x214, 0xffff_f800); // default load address just below 4 GiB
    let info = parse(&image, image.len() as u64).unwrap();
    let plan = info.plan(None, None).unwrap();
    assert_eq!(plan.result.kernel_end, 0x1_0000_0800);

    let xloadflags = u16::from_le_bytes([image[0x236], image[0x237]]);
    put_u16(&mut image, 0x236, xloadflags & !XLF_CAN_BE_LOADED_ABOVE_4G);
    let info = parse(&image, image.len() as u64).unwrap();
    assert_eq!(
        info.plan(None, None).unwrap_err(),
        Error::KernelAbove4G {
            addr: 0xffff_f800,
            end: 0x1_0000_0800
        }
    );
}

#[test]
fn init_range_overflow_is_reported() {
    let mut image = fixture("minimal-64");
    image[0x258..0x260].copy_from_slice(&(u64::MAX - 0xfff).to_le_bytes()); // pref_address
    assert_eq!(load_err(&image, None, None), Error::Overflow);
}

// ---- regressions for upstream weak points ---------------------------------------------------

/// Upstream read the setup header with one `read_volatile` and ignored a short read.
#[test]
fn regression_short_header_read() {
    let err = load_err(&fixture("truncated-header"), None, None);
    assert_eq!(
        err,
        Error::SetupHeader(boot_params_x86::Error::SetupHeaderTruncated {
            offset: 0x1f1,
            needed: 0x7b,
            available: 0x1f,
        })
    );
    // Every prefix ending inside the header is rejected the same way.
    let image = fixture("minimal-64");
    for len in [0, 0x1f1, 0x200, 0x26b] {
        assert!(
            matches!(
                load_err(&image[..len], None, None),
                Error::SetupHeader(boot_params_x86::Error::SetupHeaderTruncated { .. })
            ),
            "prefix of {len:#x} bytes"
        );
    }
}

/// Upstream loaded `file_len - setup_size` bytes, whatever `syssize` said.
#[test]
fn regression_truncated_bzimage_loaded() {
    assert_eq!(
        load_err(&fixture("truncated-payload"), None, None),
        Error::PayloadTruncated {
            offset: 0xa00,
            needed: 0x1_0000,
            file_len: 0x1a00
        }
    );
    // Every prefix of a valid image that cuts the protected-mode kernel is rejected.
    let image = fixture("minimal-64");
    for len in (0x26c..image.len()).step_by(0x10).chain([image.len() - 1]) {
        let err = parse(&image[..len.min(0x1000)], len as u64).unwrap_err();
        assert_eq!(
            err,
            Error::PayloadTruncated {
                offset: 0xa00,
                needed: 0x1000,
                file_len: len as u64
            },
            "prefix of {len:#x} bytes"
        );
    }
    for len in [0x26c, 0xa00, 0x19ff] {
        assert!(matches!(
            load_err(&image[..len], None, None),
            Error::PayloadTruncated { .. }
        ));
    }
}

/// Upstream stored the load address into the 32-bit `code32_start` with `as u32`.
#[test]
fn regression_code32_start_truncation_above_4g() {
    let image = fixture("minimal-64");
    for addr in [0x1_0000_0000, 0x1_0010_0000, !0x1f_ffff_u64] {
        assert_eq!(
            load_err(&image, Some(addr), None),
            Error::LoadAddressAbove4G { addr }
        );
    }
}

/// Upstream compared `code32_start`, not the load address, with `highmem_start_address`.
#[test]
fn regression_highmem_checked_against_code32_start() {
    let image = fixture("minimal-64");
    // Load address 0 below highmem 0x100000, while code32_start (0x100000) is not: upstream
    // accepted this and wrote below high memory.
    assert_eq!(
        load_err(&image, Some(0), Some(0x10_0000)),
        Error::BelowHighmem {
            addr: 0,
            highmem: 0x10_0000
        }
    );
    // Load address above highmem while code32_start is below it: upstream refused a valid load.
    let (result, _mem) = load(&image, Some(0x40_0000), Some(0x20_0000));
    assert_eq!(result.unwrap().result.kernel_load, GuestAddress(0x40_0000));
    // The default address is checked too.
    assert_eq!(
        load_err(&image, None, Some(0x10_0001)),
        Error::BelowHighmem {
            addr: 0x10_0000,
            highmem: 0x10_0001
        }
    );
}

/// Upstream's `kernel_end` is all it reported: nothing said that the kernel decompresses into
/// `init_size` bytes far past it.
#[test]
fn regression_kernel_end_ignoring_init_size() {
    let (result, _mem) = load(&fixture("minimal-64"), None, None);
    let r = result.unwrap().result;
    assert_eq!(r.kernel_end, 0x10_1000);
    assert_eq!(r.needs_free.start, r.kernel_load);
    assert_eq!(r.needs_free.end_or_max(), 0x100_0000 + 0x40_0000);
    assert!(r.needs_free.contains_range(&r.loaded));
}

#[test]
fn upstream_variants_keep_their_names() {
    // Patterns written against upstream's enum compile against this one.
    for err in [
        Error::InvalidBzImage,
        Error::Overflow,
        Error::ReadBzImageHeader,
        Error::ReadBzImageCompressedKernel,
        Error::SeekBzImageEnd,
        Error::SeekBzImageHeader,
        Error::SeekBzImageCompressedKernel,
        Error::Underflow,
    ] {
        let upstream_named = matches!(
            err,
            Error::InvalidBzImage
                | Error::Overflow
                | Error::ReadBzImageHeader
                | Error::ReadBzImageCompressedKernel
                | Error::SeekBzImageEnd
                | Error::SeekBzImageHeader
                | Error::SeekBzImageCompressedKernel
                | Error::Underflow
        );
        assert!(upstream_named);
    }
    assert!(Error::InvalidBzImage.is_invalid_bzimage());
    assert!(
        !Error::PayloadTruncated {
            offset: 0,
            needed: 1,
            file_len: 0
        }
        .is_invalid_bzimage()
    );
}

// ---- the real kernel ----------------------------------------------------------------------

/// Debian's 6.1 cloud amd64 vmlinuz. Expectations are decoded here from the file's own header
/// bytes, independently of the crate's parser.
#[test]
fn debian_amd64_bzimage() {
    let Some(path) = test_kernels::require(test_kernels::Kernel::DebianAmd64Bzimage) else {
        return;
    };
    let image = std::fs::read(&path).unwrap();
    let file_len = image.len() as u64;

    let setup_sects = match image[0x1f1] {
        0 => 4,
        n => u64::from(n),
    };
    let pm_offset = (setup_sects + 1) * 512;
    let pm_len = le32(&image, 0x1f4) * 16;
    let version = le16(&image, 0x206);
    let code32_start = le32(&image, 0x214);
    let alignment = le32(&image, 0x230);
    let xloadflags = le16(&image, 0x236);
    let pref_address = le64(&image, 0x258);
    let init_size = le32(&image, 0x260);
    let payload_offset = le32(&image, 0x248);
    let payload_length = le32(&image, 0x24c);
    assert_eq!(version, 0x020f, "Debian's 6.1 kernel speaks protocol 2.15");
    assert_ne!(image[0x234], 0, "relocatable");
    assert_eq!(xloadflags & 1, 1, "XLF_KERNEL_64");
    // The file holds the protected-mode kernel and then its Authenticode signature.
    assert!(pm_offset + pm_len < file_len);

    let load_at = |offset: Option<u64>| {
        let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x200_0000)]).unwrap();
        let result = BzImage::load_detailed(
            &mem,
            offset.map(GuestAddress),
            &mut std::fs::File::open(&path).unwrap(),
            Some(GuestAddress(0x10_0000)),
        )
        .unwrap();
        (result, mem)
    };

    let (load, mem) = load_at(None);
    let addr = code32_start;
    let r = load.result;
    assert_eq!(r.kernel_load, GuestAddress(addr));
    assert_eq!(r.kernel_end, addr + pm_len);
    assert_eq!(r.entry.linux_32, Some(GuestAddress(addr)));
    assert_eq!(r.entry.linux_64, Some(GuestAddress(addr + 0x200)));
    assert_eq!(load.protocol, 0x020f);
    assert_eq!(load.init_size, init_size);
    let runtime = ((addr + alignment - 1) & !(alignment - 1)).max(pref_address);
    assert_eq!(load.runtime_start, GuestAddress(runtime));
    assert_eq!(r.needs_free, range(addr, runtime + init_size));
    assert!(r.needs_free.end_or_max() > r.kernel_end);
    assert_eq!({ load.setup_header.code32_start } as u64, addr);
    assert_eq!(
        load.payload,
        Some(Payload {
            file_offset: pm_offset + payload_offset,
            len: payload_length
        })
    );
    let kernel_version = load.kernel_version.unwrap();
    assert!(kernel_version.starts_with("6.1"), "{kernel_version}");

    let mut loaded = vec![0u8; pm_len as usize];
    mem.read_slice(&mut loaded, GuestAddress(addr)).unwrap();
    assert!(loaded == image[pm_offset as usize..(pm_offset + pm_len) as usize]);
    // Nothing past the protected-mode kernel (the signature) was written.
    let mut after = [0xffu8; 0x5c0];
    mem.read_slice(&mut after, GuestAddress(addr + pm_len))
        .unwrap();
    assert!(after.iter().all(|&b| b == 0));

    // At a 2 MiB-aligned address of the VMM's choosing.
    let (load, _mem) = load_at(Some(0x20_0000));
    assert_eq!(load.result.entry.linux_64, Some(GuestAddress(0x20_0200)));
    assert_eq!(load.result.kernel_end, 0x20_0000 + pm_len);
    assert_eq!({ load.setup_header.code32_start }, 0x20_0000);

    // Every check that failed on a real header would be caught here; a truncated copy is not
    // loaded.
    let truncated = &image[..(pm_offset + pm_len - 1) as usize];
    assert_eq!(
        load_err(truncated, None, None),
        Error::PayloadTruncated {
            offset: pm_offset,
            needed: pm_len,
            file_len: pm_offset + pm_len - 1
        }
    );
}
