// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Executor, source and configurator tests. Every error case runs against pattern-filled guest
//! memory and checks that not one byte changed.

use std::io::{Cursor, Read, Seek, SeekFrom};

use proptest::prelude::*;
use vm_memory::bitmap::BitmapSlice;
use vm_memory::{
    ByteValued, Bytes, GuestAddress, GuestMemoryBackend, GuestMemoryMmap, GuestMemoryRegion,
    ReadVolatile, VolatileMemoryError, VolatileSlice,
};

use crate::configurator::{BootParams, Error as CfgError};
use crate::*;

const MEM: u64 = 0x10000;

fn mem() -> GuestMemoryMmap {
    let m = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), MEM as usize)]).unwrap();
    fill_pattern(&m);
    m
}

/// Memory with a hole: [0, 0x8000) and [0xc000, 0x10000).
fn holey_mem() -> GuestMemoryMmap {
    let m = GuestMemoryMmap::<()>::from_ranges(&[
        (GuestAddress(0), 0x8000),
        (GuestAddress(0xc000), 0x4000),
    ])
    .unwrap();
    fill_pattern(&m);
    m
}

fn pattern_byte(addr: u64) -> u8 {
    (addr as u8) ^ 0x5a
}

fn fill_pattern(m: &GuestMemoryMmap) {
    for r in m.iter() {
        let start = r.start_addr().0;
        let bytes: Vec<u8> = (start..start + r.len()).map(pattern_byte).collect();
        m.write_slice(&bytes, GuestAddress(start)).unwrap();
    }
}

fn snapshot(m: &GuestMemoryMmap) -> Vec<(u64, Vec<u8>)> {
    m.iter()
        .map(|r| {
            let mut buf = vec![0u8; r.len() as usize];
            m.read_slice(&mut buf, r.start_addr()).unwrap();
            (r.start_addr().0, buf)
        })
        .collect()
}

fn assert_pristine(m: &GuestMemoryMmap) {
    for (start, bytes) in snapshot(m) {
        for (i, b) in bytes.iter().enumerate() {
            let addr = start + i as u64;
            assert_eq!(*b, pattern_byte(addr), "guest byte {addr:#x} was modified");
        }
    }
}

fn image(len: usize) -> Cursor<Vec<u8>> {
    Cursor::new(
        (0..len)
            .map(|i| (i as u8).wrapping_mul(7).wrapping_add(1))
            .collect(),
    )
}

fn seg(file_offset: u64, file_len: u64, guest_addr: u64, mem_len: u64) -> Segment {
    Segment {
        file_offset,
        file_len,
        guest_addr: GuestAddress(guest_addr),
        mem_len,
    }
}

fn plan(segs: &[Segment]) -> LoadPlan {
    let mut p = LoadPlan::new();
    for s in segs {
        p.push(*s).unwrap();
    }
    p
}

fn read_guest(m: &GuestMemoryMmap, addr: u64, len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    m.read_slice(&mut buf, GuestAddress(addr)).unwrap();
    buf
}

#[test]
fn copies_file_bytes_and_zero_fills_bss() {
    let m = mem();
    let mut img = image(0x3000);
    let p = plan(&[
        seg(0x1000, 0x800, 0x4000, 0x1000),
        seg(0, 0x10, 0x100, 0x10),
    ]);
    let summary = p.execute(&m, &mut SeekSource::new(&mut img)).unwrap();
    let file = img.get_ref().clone();
    assert_eq!(read_guest(&m, 0x4000, 0x800), file[0x1000..0x1800]);
    assert_eq!(read_guest(&m, 0x4800, 0x800), vec![0u8; 0x800]);
    assert_eq!(read_guest(&m, 0x100, 0x10), file[..0x10]);
    assert_eq!(summary.file_bytes, 0x810);
    assert_eq!(summary.zero_bytes, 0x800);
    assert_eq!(summary.span, GuestRange::new(GuestAddress(0x100), 0x4f00));
    // Bytes around the segments are untouched.
    assert_eq!(read_guest(&m, 0x3fff, 1)[0], pattern_byte(0x3fff));
    assert_eq!(read_guest(&m, 0x5000, 1)[0], pattern_byte(0x5000));
    assert_eq!(read_guest(&m, 0xff, 1)[0], pattern_byte(0xff));
}

#[test]
fn segment_ending_on_last_byte_of_ram_loads() {
    let m = mem();
    let mut img = image(0x100);
    let p = plan(&[seg(0, 0x100, MEM - 0x100, 0x100)]);
    p.execute(&m, &mut SeekSource::new(&mut img)).unwrap();
    assert_eq!(read_guest(&m, MEM - 0x100, 0x100), img.get_ref()[..]);
}

#[test]
fn segment_spanning_contiguous_regions_loads() {
    let m = GuestMemoryMmap::<()>::from_ranges(&[
        (GuestAddress(0), 0x1000),
        (GuestAddress(0x1000), 0x1000),
    ])
    .unwrap();
    let mut img = image(0x200);
    plan(&[seg(0, 0x200, 0xf00, 0x300)])
        .execute(&m, &mut SeekSource::new(&mut img))
        .unwrap();
    assert_eq!(read_guest(&m, 0xf00, 0x200), img.get_ref()[..]);
    assert_eq!(read_guest(&m, 0x1100, 0x100), vec![0u8; 0x100]);
}

#[test]
fn push_rejects_too_many_segments() {
    let mut p = LoadPlan::new();
    for i in 0..limits::MAX_SEGMENTS as u64 {
        p.push(seg(0, 0, i * 16, 16)).unwrap();
    }
    assert!(matches!(
        p.push(seg(0, 0, 0, 1)),
        Err(Error::TooManySegments {
            max: limits::MAX_SEGMENTS
        })
    ));
}

#[test]
fn push_rejects_file_len_over_mem_len() {
    assert!(matches!(
        LoadPlan::new().push(seg(0, 0x11, 0x1000, 0x10)),
        Err(Error::FileLenExceedsMemLen {
            index: 0,
            file_len: 0x11,
            mem_len: 0x10
        })
    ));
}

#[test]
fn push_rejects_guest_address_overflow() {
    assert!(matches!(
        LoadPlan::new().push(seg(0, 0, u64::MAX - 4, 0x10)),
        Err(Error::AddressOverflow {
            index: 0,
            addr,
            len: 0x10
        }) if addr == u64::MAX - 4
    ));
}

#[test]
fn push_rejects_file_range_overflow() {
    assert!(matches!(
        LoadPlan::new().push(seg(u64::MAX, 2, 0x1000, 0x10)),
        Err(Error::FileRangeOverflow {
            index: 0,
            offset: u64::MAX,
            len: 2
        })
    ));
}

#[test]
fn rejects_segment_outside_memory_and_writes_nothing() {
    let m = mem();
    let mut img = image(0x1000);
    let p = plan(&[
        seg(0, 0x100, 0x1000, 0x100),
        seg(0, 0x100, MEM - 0xff, 0x100),
    ]);
    let err = p.execute(&m, &mut SeekSource::new(&mut img)).unwrap_err();
    assert!(
        matches!(err, Error::SegmentOutsideMemory { index: 1, addr, end } if addr == MEM - 0xff && end == MEM + 1),
        "{err:?}"
    );
    assert_pristine(&m);
}

#[test]
fn rejects_zero_fill_outside_memory() {
    let m = mem();
    let mut img = image(0x1000);
    // File bytes fit, but the BSS runs past the end of RAM.
    let err = plan(&[seg(0, 0x10, MEM - 0x20, 0x40)])
        .execute(&m, &mut SeekSource::new(&mut img))
        .unwrap_err();
    assert!(
        matches!(err, Error::SegmentOutsideMemory { index: 0, .. }),
        "{err:?}"
    );
    assert_pristine(&m);
}

#[test]
fn rejects_segment_across_a_hole() {
    let m = holey_mem();
    let mut img = image(0x1000);
    let err = plan(&[seg(0, 0x100, 0x7f80, 0x100)])
        .execute(&m, &mut SeekSource::new(&mut img))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::SegmentOutsideMemory {
                index: 0,
                addr: 0x7f80,
                end: 0x8080
            }
        ),
        "{err:?}"
    );
    assert_pristine(&m);
}

#[test]
fn rejects_segment_outside_source() {
    let m = mem();
    let mut img = image(0x1000);
    let err = plan(&[seg(0, 0x10, 0x100, 0x10), seg(0xff0, 0x20, 0x2000, 0x20)])
        .execute(&m, &mut SeekSource::new(&mut img))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::SegmentOutsideSource {
                index: 1,
                offset: 0xff0,
                end: 0x1010,
                source_len: 0x1000
            }
        ),
        "{err:?}"
    );
    assert_pristine(&m);
}

#[test]
fn seek_source_with_len_validates_against_the_given_length() {
    let m = mem();
    // A stated length shorter than the image: validated against it, memory untouched.
    let mut img = image(0x1000);
    let p = plan(&[seg(0x800, 0x100, 0x100, 0x100)]);
    let err = p
        .execute(&m, &mut SeekSource::with_len(&mut img, 0x880))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::SegmentOutsideSource {
                index: 0,
                end: 0x900,
                source_len: 0x880,
                ..
            }
        ),
        "{err:?}"
    );
    assert_pristine(&m);
    // A stated length longer than the image: the copy finds the end and says so.
    let mut short = image(0x880);
    let err = p
        .execute(&m, &mut SeekSource::with_len(&mut short, 0x1000))
        .unwrap_err();
    assert!(
        matches!(&err, Error::SourceRead { index: 0, source, .. }
            if source.kind() == std::io::ErrorKind::UnexpectedEof),
        "{err:?}"
    );
    // The true length: loads.
    let mut img = image(0x1000);
    p.execute(&m, &mut SeekSource::with_len(&mut img, 0x1000))
        .unwrap();
}

#[test]
fn rejects_segment_below_highmem() {
    let m = mem();
    let mut img = image(0x1000);
    let p = plan(&[seg(0, 0x10, 0x8000, 0x10), seg(0x10, 0x10, 0x7ff0, 0x10)])
        .with_highmem_start(Some(GuestAddress(0x8000)));
    let err = p.execute(&m, &mut SeekSource::new(&mut img)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::BelowHighmem {
                index: 1,
                addr: 0x7ff0,
                highmem: 0x8000
            }
        ),
        "{err:?}"
    );
    assert_pristine(&m);
}

#[test]
fn rejects_overlapping_segments_naming_both() {
    let m = mem();
    let mut img = image(0x1000);
    let p = plan(&[
        seg(0, 0x10, 0x3000, 0x100),
        seg(0, 0x10, 0x1000, 0x10),
        seg(0, 0x10, 0x30ff, 0x10),
    ]);
    let err = p.execute(&m, &mut SeekSource::new(&mut img)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::SegmentsOverlap {
                first: 0,
                first_addr: 0x3000,
                first_end: 0x3100,
                second: 2,
                second_addr: 0x30ff,
                second_end: 0x310f
            }
        ),
        "{err:?}"
    );
    assert_pristine(&m);
}

#[test]
fn adjacent_and_empty_segments_do_not_overlap() {
    let m = mem();
    let mut img = image(0x1000);
    plan(&[
        seg(0, 0x10, 0x1000, 0x10),
        seg(0, 0x10, 0x1010, 0x10),
        seg(0, 0, 0x1008, 0),
    ])
    .execute(&m, &mut SeekSource::new(&mut img))
    .unwrap();
}

/// A reader that claims to be longer than it is: its `SeekFrom::End` lies. Upstream looped
/// forever on such EOFs (CVE-2022-23523); we must report the short read.
struct LyingLen {
    inner: Cursor<Vec<u8>>,
    claimed: u64,
}

impl Read for LyingLen {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl Seek for LyingLen {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match pos {
            SeekFrom::End(0) => Ok(self.claimed),
            other => self.inner.seek(other),
        }
    }
}

impl ReadVolatile for LyingLen {
    fn read_volatile<B: BitmapSlice>(
        &mut self,
        buf: &mut VolatileSlice<B>,
    ) -> std::result::Result<usize, VolatileMemoryError> {
        self.inner.read_volatile(buf)
    }
}

#[test]
fn eof_on_seekable_source_is_an_error_not_a_loop() {
    let m = mem();
    let mut src = LyingLen {
        inner: image(0x100),
        claimed: 0x1000,
    };
    let err = plan(&[seg(0, 0x800, 0x1000, 0x800)])
        .execute(&m, &mut SeekSource::new(&mut src))
        .unwrap_err();
    match err {
        Error::SourceRead {
            index: 0,
            offset: 0x100,
            len: 0x800,
            written: None,
            source,
        } => assert_eq!(source.kind(), std::io::ErrorKind::UnexpectedEof),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn stream_source_serves_segments_in_file_order_and_skips_gaps() {
    let file = image(0x4000).into_inner();
    let segs = [
        seg(0x3000, 0x800, 0x8000, 0x1000),
        seg(0x100, 0x200, 0x1000, 0x200),
        seg(0x1000, 0x1000, 0x2000, 0x1000),
    ];
    let m_stream = mem();
    let mut stream = StreamSource::new(&file[..]);
    let s1 = plan(&segs).execute(&m_stream, &mut stream).unwrap();
    assert_eq!(stream.position(), 0x3800);
    let m_seek = mem();
    let s2 = plan(&segs)
        .execute(
            &m_seek,
            &mut SeekSource::new(&mut Cursor::new(file.clone())),
        )
        .unwrap();
    assert_eq!(s1, s2);
    assert_eq!(snapshot(&m_stream), snapshot(&m_seek));
    assert_eq!(read_guest(&m_stream, 0x8000, 0x800), file[0x3000..0x3800]);
}

#[test]
fn stream_source_rejects_overlapping_file_ranges_before_writing() {
    let file = image(0x1000).into_inner();
    let m = mem();
    let err = plan(&[
        seg(0x100, 0x200, 0x1000, 0x200),
        seg(0x200, 0x10, 0x4000, 0x10),
    ])
    .execute(&m, &mut StreamSource::new(&file[..]))
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::StreamOverlap {
                first: 0,
                second: 1,
                offset: 0x200
            }
        ),
        "{err:?}"
    );
    assert_pristine(&m);
}

#[test]
fn truncated_stream_reports_what_was_written() {
    let file = image(0x1800).into_inner();
    let m = mem();
    let err = plan(&[
        seg(0, 0x100, 0x1000, 0x200),
        seg(0x1000, 0x1000, 0x4000, 0x1000),
    ])
    .execute(&m, &mut StreamSource::new(&file[..]))
    .unwrap_err();
    match err {
        Error::SourceRead {
            index: 1,
            offset: 0x1800,
            len: 0x1000,
            written: Some(w),
            source,
        } => {
            assert_eq!(source.kind(), std::io::ErrorKind::UnexpectedEof);
            // Segment 0 (with its zero fill) and the first 0x800 bytes of segment 1.
            assert_eq!(w, GuestRange::new(GuestAddress(0x1000), 0x3800));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn failing_stream_reports_what_was_written_including_the_current_segment() {
    /// Serves `ok` bytes of the image, then fails (a decompressor finding corrupt data).
    struct FailAfter<'a> {
        data: &'a [u8],
        ok: usize,
    }
    impl std::io::Read for FailAfter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.ok == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "corrupt",
                ));
            }
            let n = buf.len().min(self.ok).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            self.ok -= n;
            Ok(n)
        }
    }
    let file = image(0x1800).into_inner();
    let m = mem();
    let err = plan(&[
        seg(0, 0x100, 0x1000, 0x200),
        seg(0x1000, 0x1000, 0x4000, 0x1000),
    ])
    .execute(
        &m,
        &mut StreamSource::new(FailAfter {
            data: &file,
            ok: 0x1800,
        }),
    )
    .unwrap_err();
    match err {
        Error::SourceRead {
            index: 1,
            offset: 0x1800,
            written: Some(w),
            source,
            ..
        } => {
            assert_eq!(source.kind(), std::io::ErrorKind::InvalidData);
            assert_eq!(w, GuestRange::new(GuestAddress(0x1000), 0x3800));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn stream_with_position_skips_consumed_headers() {
    let file = image(0x400).into_inner();
    let m = mem();
    // The caller already consumed 0x100 header bytes.
    let mut s = StreamSource::with_position(&file[0x100..], 0x100);
    plan(&[seg(0x200, 0x100, 0x1000, 0x100)])
        .execute(&m, &mut s)
        .unwrap();
    assert_eq!(read_guest(&m, 0x1000, 0x100), file[0x200..0x300]);
}

#[test]
fn read_at_is_bounded() {
    let bytes = [1u8, 2, 3, 4];
    assert_eq!(read_at(&bytes, 1, 2, "x").unwrap(), &[2, 3]);
    assert!(matches!(
        read_at(&bytes, 3, 2, "hdr"),
        Err(Error::Truncated {
            what: "hdr",
            offset: 3,
            len: 2,
            available: 1
        })
    ));
    assert!(matches!(
        read_at(&bytes, u64::MAX, 2, "hdr"),
        Err(Error::Truncated {
            offset: u64::MAX,
            available: 0,
            ..
        })
    ));
    assert_eq!(read_at(&bytes, 4, 0, "x").unwrap(), &[] as &[u8]);
}

#[test]
fn read_exact_at_reports_truncation() {
    let mut c = Cursor::new(vec![9u8; 10]);
    let mut buf = [0u8; 4];
    read_exact_at(&mut c, 6, &mut buf, "tail").unwrap();
    assert_eq!(buf, [9; 4]);
    assert!(matches!(
        read_exact_at(&mut c, 8, &mut buf, "setup header"),
        Err(Error::Truncated {
            what: "setup header",
            offset: 8,
            len: 4,
            available: 2
        })
    ));
    assert_eq!(source_len(&mut c).unwrap(), 10);
    assert_eq!(c.position(), 0);
    assert_eq!(source_end(&mut c).unwrap(), 10);
    assert_eq!(c.position(), 10);
}

#[test]
fn read_at_least_takes_what_is_there_beyond_the_minimum() {
    let mut c = Cursor::new((0u8..10).collect::<Vec<u8>>());
    let mut buf = [0u8; 8];
    assert_eq!(read_at_least(&mut c, 4, &mut buf, 3, "head").unwrap(), 6);
    assert_eq!(&buf[..6], &[4, 5, 6, 7, 8, 9]);
    assert_eq!(read_at_least(&mut c, 0, &mut buf, 3, "head").unwrap(), 8);
    assert!(matches!(
        read_at_least(&mut c, 8, &mut buf, 3, "ELF header"),
        Err(Error::Truncated {
            what: "ELF header",
            offset: 8,
            len: 3,
            available: 2
        })
    ));
    // A minimum above the buffer is the buffer.
    assert!(matches!(
        read_at_least(&mut c, 8, &mut buf[..2], 5, "x"),
        Ok(2)
    ));
}

#[derive(Clone, Copy, Default, Debug, PartialEq)]
#[repr(C)]
struct Entry {
    a: u64,
    b: u32,
    c: u32,
}
// SAFETY: test-only plain-old-data struct: repr(C), integer fields, no padding (8+4+4 = 16).
#[allow(unsafe_code)]
unsafe impl ByteValued for Entry {}

#[test]
fn boot_params_lists_follow_upstream_semantics() {
    let hdr = Entry { a: 1, b: 2, c: 3 };
    let mut bp = BootParams::new(&hdr, GuestAddress(0x1000));
    assert_eq!(bp.header, hdr.as_slice());
    assert_eq!(
        bp.add_section(&hdr, None),
        Err(CfgError::MissingStartAddress)
    );
    assert_eq!(
        bp.add_section(&hdr, Some(GuestAddress(0x2000))),
        Ok(GuestAddress(0x2000))
    );
    assert_eq!(bp.add_section(&hdr, None), Ok(GuestAddress(0x2010)));
    // Placing over an existing element replaces it; a gap is zero-filled.
    let e2 = Entry { a: 9, b: 9, c: 9 };
    assert_eq!(
        bp.add_section(&e2, Some(GuestAddress(0x2040))),
        Ok(GuestAddress(0x2040))
    );
    let s = bp.sections.as_ref().unwrap();
    assert_eq!(s.len(), 0x50);
    assert_eq!(&s[0x20..0x40], &[0u8; 0x20]);
    assert_eq!(&s[0x40..], e2.as_slice());
    assert_eq!(bp.sections_start, Some(GuestAddress(0x2000)));
    assert_eq!(
        bp.add_section(&e2, Some(GuestAddress(0x1fff))),
        Err(CfgError::InvalidAddress)
    );

    bp.set_modules(&[hdr, e2], GuestAddress(0x3000));
    assert_eq!(bp.modules.as_ref().unwrap().len(), 32);
    assert_eq!(bp.add_module(&hdr, None), Ok(GuestAddress(0x3020)));
}

#[test]
fn boot_params_do_not_panic_on_top_of_address_space() {
    let hdr = Entry::default();
    let mut bp = BootParams::new(&hdr, GuestAddress(0));
    // Upstream panics here (offset arithmetic overflows usize).
    assert_eq!(
        bp.add_section(&hdr, Some(GuestAddress(u64::MAX))),
        Err(CfgError::Overflow)
    );
    // A structure must end below 2^64: its exclusive end has to be representable.
    assert_eq!(
        bp.add_module(&hdr, Some(GuestAddress(u64::MAX - 15))),
        Err(CfgError::Overflow)
    );
    assert_eq!(
        bp.add_module(&hdr, Some(GuestAddress(u64::MAX - 31))),
        Ok(GuestAddress(u64::MAX - 31))
    );
    assert_eq!(bp.add_module(&hdr, None), Err(CfgError::Overflow));
    assert_eq!(bp.modules.as_ref().unwrap().len(), 16);
}

#[test]
fn boot_params_refuse_huge_sparse_lists() {
    let hdr = Entry::default();
    let mut bp = BootParams::new(&hdr, GuestAddress(0));
    bp.add_section(&hdr, Some(GuestAddress(0x1000))).unwrap();
    // Upstream would allocate ~1 TiB of padding here.
    assert_eq!(
        bp.add_section(&hdr, Some(GuestAddress(0x1000 + (1 << 40)))),
        Err(CfgError::ListTooLarge {
            offset: (1 << 40) + 16,
            max: limits::MAX_BOOT_PARAMS_LIST
        })
    );
    assert_eq!(bp.sections.as_ref().unwrap().len(), 16);
    // Exactly at the limit is fine.
    let last = 0x1000 + limits::MAX_BOOT_PARAMS_LIST as u64 - 16;
    assert_eq!(
        bp.add_section(&hdr, Some(GuestAddress(last))),
        Ok(GuestAddress(last))
    );
}

#[test]
fn configurator_errors_convert_like_upstream() {
    use crate::configurator::{fdt, linux, pvh};
    assert_eq!(
        CfgError::from(linux::Error::ZeroPagePastRamEnd),
        CfgError::Linux(linux::Error::ZeroPagePastRamEnd)
    );
    assert_eq!(
        CfgError::from(pvh::Error::MemmapTableMissing),
        CfgError::Pvh(pvh::Error::MemmapTableMissing)
    );
    assert_eq!(
        CfgError::from(fdt::Error::WriteFDTToMemory),
        CfgError::Fdt(fdt::Error::WriteFDTToMemory)
    );
    assert_eq!(
        CfgError::Pvh(pvh::Error::StartInfoPastRamEnd).to_string(),
        "boot configurator: PVH: hvm_start_info extends past the end of guest memory"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Law: executing any plan either succeeds — and then every segment holds its file bytes and
    /// zeros — or fails and leaves guest memory byte-identical.
    #[test]
    fn execute_is_all_or_nothing(
        raw in proptest::collection::vec(
            (0u64..0x1400, 0u64..0x300, 0u64..0x11000, 0u64..0x600), 0..6),
        highmem in proptest::option::of(0u64..0x4000),
        stream in any::<bool>(),
    ) {
        let m = holey_mem();
        let file = image(0x1200).into_inner();
        let mut p = LoadPlan::new().with_highmem_start(highmem.map(GuestAddress));
        let mut pushed = Vec::new();
        for (off, flen, addr, extra) in raw {
            let s = seg(off, flen, addr, flen + extra);
            if p.push(s).is_ok() {
                pushed.push(s);
            }
        }
        let before = snapshot(&m);
        let res = if stream {
            p.execute(&m, &mut StreamSource::new(&file[..]))
        } else {
            p.execute(&m, &mut SeekSource::new(&mut Cursor::new(file.clone())))
        };
        match res {
            Ok(summary) => {
                for s in &pushed {
                    let got = read_guest(&m, s.guest_addr.0, s.mem_len as usize);
                    let f = s.file_len as usize;
                    let off = s.file_offset as usize;
                    prop_assert_eq!(&got[..f], &file[off..off + f]);
                    prop_assert!(got[f..].iter().all(|&b| b == 0));
                    prop_assert!(summary.span.contains_range(&s.guest_range()) || s.mem_len == 0);
                }
            }
            Err(Error::SourceRead { .. }) => prop_assert!(stream, "only streams fail mid-way"),
            Err(_) => prop_assert_eq!(before, snapshot(&m)),
        }
    }
}
