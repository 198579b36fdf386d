// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Loading the committed synthetic Images (fixtures/pe) and DTBs (fixtures/dtb). Facts are read
//! from each file's own header bytes; every error case runs against pattern-filled guest memory
//! and checks that not one byte changed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

use std::io::{Cursor, Read, Seek, SeekFrom};

use kernel_pe::{
    Arch, Compression, Error, ImageFormat, PE, PageSize, arm64_image_header, load_dtb,
    parse_image_header, plan_image, probe, riscv64_image_header,
};
use loader_core::{GuestRange, KernelLoader};
use proptest::prelude::*;
use vm_memory::bitmap::BitmapSlice;
use vm_memory::{
    Bytes, GuestAddress, GuestMemoryBackend, GuestMemoryMmap, GuestMemoryRegion, ReadVolatile,
    VolatileMemoryError, VolatileSlice,
};

const RAM_START: u64 = 0x4000_0000;
const RAM_LEN: u64 = 0x60_0000; // 6 MiB: room for riscv64 text_offset 2 MiB
const BASE: u64 = 0x4020_0000;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn pattern_byte(addr: u64) -> u8 {
    (addr as u8) ^ ((addr >> 8) as u8) ^ 0x5a
}

/// The pattern repeats every 64 KiB (it depends on the low 16 address bits only).
fn tile() -> Vec<u8> {
    (0..0x1_0000u64).map(pattern_byte).collect()
}

fn mem_at(start: u64, len: u64) -> GuestMemoryMmap {
    assert_eq!((start | len) & 0xffff, 0, "test memory is 64 KiB aligned");
    let m = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(start), len as usize)]).unwrap();
    let tile = tile();
    for off in (0..len).step_by(tile.len()) {
        m.write_slice(&tile, GuestAddress(start + off)).unwrap();
    }
    m
}

fn mem() -> GuestMemoryMmap {
    mem_at(RAM_START, RAM_LEN)
}

fn assert_pristine(m: &GuestMemoryMmap) {
    let tile = tile();
    for r in m.iter() {
        let s = r.start_addr().0;
        let mut buf = vec![0u8; tile.len()];
        for off in (0..r.len()).step_by(tile.len()) {
            m.read_slice(&mut buf, GuestAddress(s + off)).unwrap();
            if buf != tile {
                let i = buf.iter().zip(&tile).position(|(a, b)| a != b).unwrap();
                panic!("guest byte {:#x} was modified", s + off + i as u64);
            }
        }
    }
}

fn read_guest(m: &GuestMemoryMmap, addr: u64, len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    m.read_slice(&mut buf, GuestAddress(addr)).unwrap();
    buf
}

fn le64(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().unwrap())
}

fn le32(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
}

fn load(
    m: &GuestMemoryMmap,
    image: &[u8],
    base: Option<u64>,
) -> Result<loader_core::KernelLoaderResult, Error> {
    PE::load(m, base.map(GuestAddress), &mut Cursor::new(image), None)
}

/// Loads `image`, then checks the result and guest memory against the image's own header bytes.
fn load_and_check(name: &str, expected_arch: Arch) -> kernel_pe::ImageInfo {
    let image = fixture(name);
    let m = mem();
    let info = parse_image_header(&image).unwrap();
    assert_eq!(info.arch, expected_arch);
    let result = load(&m, &image, Some(BASE)).unwrap();
    let image_size = le64(&image, 0x10);
    let text_offset = if expected_arch == Arch::Arm64 && image_size == 0 {
        0x80000
    } else {
        le64(&image, 0x08)
    };
    let load_addr = BASE + text_offset;
    let mem_len = image_size.max(image.len() as u64);
    assert_eq!(result.kernel_load, GuestAddress(load_addr));
    assert_eq!(result.kernel_end, load_addr + mem_len);
    assert_eq!(result.entry.image, Some(GuestAddress(load_addr)));
    assert_eq!(
        result.loaded,
        GuestRange::new(GuestAddress(load_addr), mem_len)
    );
    assert_eq!(result.needs_free, result.loaded);
    // The file's bytes, then zeroes up to image_size, and nothing else touched.
    assert_eq!(read_guest(&m, load_addr, image.len()), image);
    let bss = read_guest(
        &m,
        load_addr + image.len() as u64,
        (mem_len - image.len() as u64) as usize,
    );
    assert!(bss.iter().all(|&b| b == 0), "BSS not zeroed");
    for addr in [
        load_addr - 1,
        load_addr + mem_len,
        RAM_START,
        RAM_START + RAM_LEN - 1,
    ] {
        assert_eq!(
            read_guest(&m, addr, 1)[0],
            pattern_byte(addr),
            "{addr:#x} touched"
        );
    }
    // The headers read back from guest memory through ByteValued match the file.
    match expected_arch {
        Arch::Arm64 => {
            let h: arm64_image_header = m.read_obj(GuestAddress(load_addr)).unwrap();
            assert_eq!(u64::from_le(h.image_size), image_size);
            assert_eq!(u32::from_le(h.magic), 0x644d_5241);
        }
        Arch::Riscv64 => {
            let h: riscv64_image_header = m.read_obj(GuestAddress(load_addr)).unwrap();
            assert_eq!(u32::from_le(h.magic2), 0x0543_5352);
            assert_eq!(u64::from_le(h.magic), 0x56_4353_4952);
        }
    }
    info
}

#[test]
fn arm64_with_efi_stub() {
    let image = fixture("pe/arm64.Image");
    let info = load_and_check("pe/arm64.Image", Arch::Arm64);
    assert!(
        image.len() < le64(&image, 0x10) as usize,
        "fixture has BSS past the file"
    );
    assert_eq!(info.flags, le64(&image, 0x18));
    assert_eq!(info.page_size, PageSize::Size4K);
    assert!(info.phys_base_anywhere);
    let stub = info.efi_stub.expect("MZ image has an EFI stub");
    let pe = le32(&image, 0x3c) as usize;
    assert_eq!(stub.pe_offset as usize, pe);
    assert_eq!(&image[pe..pe + 4], b"PE\0\0");
    assert_eq!(stub.machine, 0xaa64);
    assert_eq!(stub.entry_point, le32(&image, pe + 24 + 16));
    assert_eq!(stub.size_of_image, le32(&image, pe + 24 + 56));
    assert_eq!(stub.subsystem, 10);
    assert_eq!(probe(&image), ImageFormat::Image(Arch::Arm64));
}

#[test]
fn arm64_without_stub() {
    let info = load_and_check("pe/arm64-nostub.Image", Arch::Arm64);
    assert_eq!(info.efi_stub, None);
}

#[test]
fn arm64_legacy_uses_0x80000() {
    let image = fixture("pe/arm64-legacy.Image");
    assert_eq!(le64(&image, 0x10), 0);
    let info = load_and_check("pe/arm64-legacy.Image", Arch::Arm64);
    assert!(info.is_legacy());
    assert_eq!(info.text_offset, 0x80000);
    assert_eq!(info.page_size, PageSize::Unspecified);
}

#[test]
fn riscv64_image() {
    let image = fixture("pe/riscv64.Image");
    let info = load_and_check("pe/riscv64.Image", Arch::Riscv64);
    assert_eq!(info.version, le32(&image, 0x20));
    assert_eq!(info.text_offset, le64(&image, 0x08));
    assert_eq!(info.efi_stub, None);
}

#[test]
fn no_kernel_offset_means_base_zero() {
    let image = fixture("pe/arm64-nostub.Image");
    let m = mem_at(0, 0x10_0000);
    let r = load(&m, &image, None).unwrap();
    assert_eq!(r.kernel_load, GuestAddress(le64(&image, 0x08)));
}

/// Loads `image` into pattern-filled memory, expecting an error; memory must be untouched.
fn load_err(image: &[u8], base: Option<u64>) -> Error {
    let m = mem();
    let err = load(&m, image, base).unwrap_err();
    assert_pristine(&m);
    err
}

#[test]
fn fixture_error_paths() {
    let e = load_err(&fixture("pe/arm64-bigendian.Image"), Some(BASE));
    assert!(
        matches!(e, Error::BigEndianKernel { arch: Arch::Arm64, flags } if flags & 1 == 1),
        "{e:?}"
    );
    let e = load_err(&fixture("pe/arm64-bad-magic.Image"), Some(BASE));
    assert!(matches!(e, Error::InvalidImageMagicNumber), "{e:?}");
    let e = load_err(&fixture("pe/arm64-truncated.Image"), Some(BASE));
    assert!(matches!(e, Error::ReadImageHeader), "{e:?}");
    let e = load_err(&fixture("pe/riscv64-bad-magic2.Image"), Some(BASE));
    assert!(matches!(e, Error::InvalidImageMagicNumber), "{e:?}");
    let e = load_err(&fixture("pe/riscv64-truncated.Image"), Some(BASE));
    assert!(matches!(e, Error::ReadImageHeader), "{e:?}");
    let e = load_err(&fixture("pe/arm64-zboot.efi"), Some(BASE));
    assert!(
        matches!(
            e,
            Error::CompressedImage {
                format: Compression::EfiZboot
            }
        ),
        "{e:?}"
    );
    let e = load_err(&fixture("pe/arm64.Image.gz"), Some(BASE));
    assert!(
        matches!(
            e,
            Error::CompressedImage {
                format: Compression::Gzip
            }
        ),
        "{e:?}"
    );
    let e = load_err(&[], Some(BASE));
    assert!(matches!(e, Error::ReadImageHeader), "{e:?}");
}

#[test]
fn base_must_be_2mib_aligned() {
    for image in ["pe/arm64.Image", "pe/riscv64.Image"] {
        let e = load_err(&fixture(image), Some(BASE + 0x10_0000));
        assert!(matches!(e, Error::InvalidBaseAddrAlignment), "{e:?}");
    }
}

#[test]
fn bss_past_end_of_ram_is_rejected_even_though_the_file_fits() {
    let image = fixture("pe/arm64-nostub.Image");
    let image_size = le64(&image, 0x10);
    // Put the end of RAM between the file's end and image_size.
    let ram_len = 0x20_0000 + image.len() as u64 + (image_size - image.len() as u64) / 2;
    let m = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), ram_len as usize)]).unwrap();
    m.write_slice(&vec![0x77; ram_len as usize], GuestAddress(0))
        .unwrap();
    let e = load(&m, &image, Some(0x20_0000)).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Plan(loader_core::Error::SegmentOutsideMemory { index: 0, addr: 0x20_0000, end })
                if end == 0x20_0000 + image_size
        ),
        "{e:?}"
    );
    let mut back = vec![0u8; ram_len as usize];
    m.read_slice(&mut back, GuestAddress(0)).unwrap();
    assert!(back.iter().all(|&b| b == 0x77), "guest memory modified");
}

#[test]
fn highmem_start_is_honoured() {
    let image = fixture("pe/arm64.Image");
    let m = mem();
    let e = PE::load(
        &m,
        Some(GuestAddress(BASE)),
        &mut Cursor::new(&image),
        Some(GuestAddress(BASE + 0x1000)),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Plan(loader_core::Error::BelowHighmem { index: 0, addr: BASE, highmem })
                if highmem == BASE + 0x1000
        ),
        "{e:?}"
    );
    assert_pristine(&m);
    PE::load(
        &m,
        Some(GuestAddress(BASE)),
        &mut Cursor::new(&image),
        Some(GuestAddress(BASE)),
    )
    .unwrap();
}

#[test]
fn header_field_errors() {
    let nostub = fixture("pe/arm64-nostub.Image");
    let riscv = fixture("pe/riscv64.Image");

    // text_offset so large that base + text_offset overflows.
    let mut img = nostub.clone();
    img[0x08..0x10].copy_from_slice(&(u64::MAX - 0x1000).to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(matches!(e, Error::InvalidImage), "{e:?}");

    // image_size above the limit.
    let mut img = nostub.clone();
    img[0x10..0x18].copy_from_slice(&(kernel_pe::limits::MAX_IMAGE_SIZE + 1).to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(
        matches!(e, Error::ImageTooLarge { size, max } if size == max + 1),
        "{e:?}"
    );

    // riscv64: image_size is mandatory.
    let mut img = riscv.clone();
    img[0x10..0x18].copy_from_slice(&0u64.to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(matches!(e, Error::ImageSizeZero), "{e:?}");

    // riscv64: header version 0.1 predates magic2.
    let mut img = riscv.clone();
    img[0x20..0x24].copy_from_slice(&1u32.to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(
        matches!(e, Error::UnsupportedHeaderVersion { version: 1 }),
        "{e:?}"
    );

    // riscv64: big-endian flag.
    let mut img = riscv.clone();
    img[0x18] |= 1;
    let e = load_err(&img, Some(BASE));
    assert!(
        matches!(
            e,
            Error::BigEndianKernel {
                arch: Arch::Riscv64,
                flags: 1
            }
        ),
        "{e:?}"
    );
}

/// Offsets inside arm64.Image's PE headers, derived from its own `res5`.
struct PeOffsets {
    pe: usize,
    machine: usize,
    size_of_optional_header: usize,
    opt_magic: usize,
    entry: usize,
    size_of_image: usize,
}

fn pe_offsets(image: &[u8]) -> PeOffsets {
    let pe = le32(image, 0x3c) as usize;
    let coff = pe + 4;
    let opt = coff + 20;
    PeOffsets {
        pe,
        machine: coff,
        size_of_optional_header: coff + 16,
        opt_magic: opt,
        entry: opt + 16,
        size_of_image: opt + 56,
    }
}

#[test]
fn inconsistent_pe_headers_are_rejected() {
    let good = fixture("pe/arm64.Image");
    let o = pe_offsets(&good);
    assert_eq!(&good[..2], b"MZ");

    let mut img = good.clone();
    img[0x3c..0x40].copy_from_slice(&0x10u32.to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(
        matches!(
            e,
            Error::PeHeaderOutOfRange {
                pe_offset: 0x10,
                min: 0x40,
                ..
            }
        ),
        "{e:?}"
    );

    let mut img = good.clone();
    img[0x3c..0x40].copy_from_slice(&0x1_0000u32.to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(
        matches!(e, Error::PeHeaderOutOfRange { pe_offset: 0x1_0000, max, .. } if max == img.len() as u64 - 24 + 1),
        "{e:?}"
    );

    let mut img = good.clone();
    img[o.pe] = b'X';
    let e = load_err(&img, Some(BASE));
    assert!(
        matches!(e, Error::PeHeaderMalformed { pe_offset } if pe_offset as usize == o.pe),
        "{e:?}"
    );

    let mut img = good.clone();
    img[o.machine..o.machine + 2].copy_from_slice(&0x8664u16.to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(
        matches!(
            e,
            Error::PeMachineMismatch {
                machine: 0x8664,
                expected: 0xaa64
            }
        ),
        "{e:?}"
    );

    let mut img = good.clone();
    img[o.size_of_optional_header..o.size_of_optional_header + 2]
        .copy_from_slice(&0u16.to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(matches!(e, Error::PeNotPe32Plus { .. }), "{e:?}");

    let mut img = good.clone();
    img[o.opt_magic..o.opt_magic + 2].copy_from_slice(&0x10bu16.to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(
        matches!(
            e,
            Error::PeNotPe32Plus { .. } | Error::PeHeaderMalformed { .. }
        ),
        "{e:?}"
    );

    let mut img = good.clone();
    img[o.opt_magic..o.opt_magic + 2].copy_from_slice(&0x999u16.to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(matches!(e, Error::PeHeaderMalformed { .. }), "{e:?}");

    let mut img = good.clone();
    let size_of_image = le32(&good, o.size_of_image);
    img[o.entry..o.entry + 4].copy_from_slice(&size_of_image.to_le_bytes());
    let e = load_err(&img, Some(BASE));
    assert!(
        matches!(e, Error::PeEntryOutsideImage { entry, size_of_image: s } if entry == size_of_image && s == size_of_image),
        "{e:?}"
    );
}

/// A reader whose seeks to the end, seeks to the start, or reads fail.
struct Faulty {
    inner: Cursor<Vec<u8>>,
    fail_seek_end: bool,
    fail_seek_start: bool,
    fail_read: bool,
}

impl Faulty {
    fn new(bytes: Vec<u8>) -> Self {
        Self {
            inner: Cursor::new(bytes),
            fail_seek_end: false,
            fail_seek_start: false,
            fail_read: false,
        }
    }
}

impl Read for Faulty {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.fail_read {
            return Err(std::io::Error::other("injected read failure"));
        }
        self.inner.read(buf)
    }
}

impl Seek for Faulty {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match pos {
            SeekFrom::End(_) if self.fail_seek_end => Err(std::io::Error::other("injected")),
            SeekFrom::Start(_) if self.fail_seek_start => Err(std::io::Error::other("injected")),
            _ => self.inner.seek(pos),
        }
    }
}

impl ReadVolatile for Faulty {
    fn read_volatile<B: BitmapSlice>(
        &mut self,
        buf: &mut VolatileSlice<B>,
    ) -> Result<usize, VolatileMemoryError> {
        if self.fail_read {
            return Err(VolatileMemoryError::IOError(std::io::Error::other(
                "injected",
            )));
        }
        self.inner.read_volatile(buf)
    }
}

#[test]
fn io_errors_map_to_upstream_variants() {
    let image = fixture("pe/arm64.Image");
    let dtb = fixture("dtb/minimal.dtb");
    let m = mem();
    let run = |f: &mut Faulty| PE::load(&m, Some(GuestAddress(BASE)), f, None).unwrap_err();

    let mut f = Faulty::new(image.clone());
    f.fail_seek_end = true;
    assert!(matches!(run(&mut f), Error::SeekImageEnd));
    let mut f = Faulty::new(image.clone());
    f.fail_seek_start = true;
    assert!(matches!(run(&mut f), Error::SeekImageHeader));
    let mut f = Faulty::new(image.clone());
    f.fail_read = true;
    assert!(matches!(run(&mut f), Error::ReadImageHeader));

    let mut f = Faulty::new(dtb.clone());
    f.fail_seek_end = true;
    assert!(matches!(
        load_dtb(&m, GuestAddress(RAM_START), &mut f),
        Err(Error::SeekDtbEnd)
    ));
    let mut f = Faulty::new(dtb.clone());
    f.fail_seek_start = true;
    assert!(matches!(
        load_dtb(&m, GuestAddress(RAM_START), &mut f),
        Err(Error::SeekDtbStart)
    ));
    let mut f = Faulty::new(dtb);
    f.fail_read = true;
    assert!(matches!(
        load_dtb(&m, GuestAddress(RAM_START), &mut f),
        Err(Error::ReadDtbImage)
    ));
    assert_pristine(&m);
}

#[test]
fn load_dtb_writes_a_valid_dtb() {
    let dtb = fixture("dtb/minimal.dtb");
    let m = mem();
    // Exactly at the end of RAM is fine (upstream's check was off by one there).
    let addr = (RAM_START + RAM_LEN - dtb.len() as u64) & !7;
    load_dtb(&m, GuestAddress(addr), &mut Cursor::new(&dtb)).unwrap();
    assert_eq!(read_guest(&m, addr, dtb.len()), dtb);
    assert_eq!(read_guest(&m, addr - 1, 1)[0], pattern_byte(addr - 1));
}

#[test]
fn load_dtb_error_paths() {
    let dtb = fixture("dtb/minimal.dtb");
    let check = |bytes: &[u8], addr: u64| {
        let m = mem();
        let e = load_dtb(&m, GuestAddress(addr), &mut Cursor::new(bytes)).unwrap_err();
        assert_pristine(&m);
        e
    };
    for (name, expect) in [
        ("dtb/bad-magic.dtb", "BadMagic"),
        ("dtb/totalsize-past-eof.dtb", "TotalSizePastEnd"),
        ("dtb/bad-version.dtb", "UnsupportedVersion"),
        ("dtb/struct-out-of-range.dtb", "StructBlockOutOfRange"),
        ("dtb/unterminated-node.dtb", "UnterminatedNode"),
        ("dtb/bad-string-offset.dtb", "BadStringOffset"),
    ] {
        let bytes = fixture(name);
        let e = check(&bytes, RAM_START);
        let Error::InvalidDtb(inner) = &e else {
            panic!("{name}: {e:?}")
        };
        // The same error, fields included, as boot-fdt's validator gives on its own.
        assert_eq!(*inner, boot_fdt::validate(&bytes).unwrap_err());
        assert!(
            format!("{inner:?}").starts_with(expect),
            "{name}: {inner:?}"
        );
    }
    let e = check(&vec![0u8; kernel_pe::limits::MAX_DTB_SIZE + 1], RAM_START);
    assert!(matches!(e, Error::DtbTooBig), "{e:?}");
    let e = check(&dtb, RAM_START + 4);
    assert!(
        matches!(e, Error::DtbMisaligned { addr } if addr == RAM_START + 4),
        "{e:?}"
    );
    let end = RAM_START + RAM_LEN;
    let e = check(&dtb, (end - dtb.len() as u64 + 8) & !7);
    assert!(
        matches!(e, Error::DtbPastRamEnd { size, .. } if size == dtb.len() as u64),
        "{e:?}"
    );
    let e = check(&dtb, 0x1000);
    assert!(
        matches!(e, Error::DtbPastRamEnd { addr: 0x1000, .. }),
        "{e:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The header parser never panics and, when it accepts, its plan stays inside the image's
    /// stated sizes.
    #[test]
    fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(info) = parse_image_header(&bytes) {
            prop_assert_eq!(probe(&bytes), ImageFormat::Image(info.arch));
            prop_assert!(info.image_size != 0 || info.arch == Arch::Arm64);
        }
    }

    /// Random header fields on a valid image: accepted or rejected, never a panic, and memory is
    /// untouched whenever the load fails.
    #[test]
    fn mutated_header_fields(
        field in 0usize..16,
        value in any::<u32>(),
    ) {
        let mut img = fixture("pe/arm64.Image");
        img[field * 4..field * 4 + 4].copy_from_slice(&value.to_le_bytes());
        let m = mem();
        match load(&m, &img, Some(BASE)) {
            Ok(r) => prop_assert!(r.kernel_end > r.kernel_load.0),
            Err(_) => assert_pristine(&m),
        }
    }

    /// Every prefix long enough to hold the headers parses to the same facts as the full image,
    /// and plans the same kernel range (image_size covers the missing bytes); shorter prefixes
    /// are refused.
    #[test]
    fn prefixes(len in 0usize..0xa00) {
        let full = fixture("pe/arm64.Image");
        let full_info = parse_image_header(&full).unwrap();
        let full_plan = plan_image(&full_info, full.len() as u64, Some(GuestAddress(BASE)), None).unwrap();
        let prefix = &full[..len];
        match parse_image_header(prefix) {
            Ok(info) => {
                prop_assert_eq!(info, full_info);
                let plan = plan_image(&info, len as u64, Some(GuestAddress(BASE)), None).unwrap();
                prop_assert_eq!(plan.result, full_plan.result);
            }
            Err(e) => {
                let pe_end = 0x40 + 24;
                prop_assert!(len < 0x200, "prefix {len:#x} refused: {e:?}");
                prop_assert!(
                    matches!(e, Error::ReadImageHeader) && len < 64
                        || matches!(e, Error::PeHeaderOutOfRange { .. } | Error::PeHeaderMalformed { .. } | Error::PeNotPe32Plus { .. }) && len >= pe_end.min(64),
                    "{e:?}"
                );
            }
        }
    }
}
