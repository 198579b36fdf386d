// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `Elf::load_from_stream`: the same result as the seekable loader, through a decompressor;
//! each bad-stream case with its exact error and guest memory untouched where the invariant says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use std::io::{Cursor, Read, Write};

use kernel_decompress::{Compression, Limits, decoder};
use kernel_elf::{Elf, Error, PvhBootCapability};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};

const MEM: u64 = 0x40_0000;
const PATTERN: u8 = 0xa5;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/elf/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn patterned() -> GuestMemoryMmap<()> {
    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), MEM as usize)]).unwrap();
    mem.write_slice(&vec![PATTERN; MEM as usize], GuestAddress(0))
        .unwrap();
    mem
}

fn untouched(mem: &GuestMemoryMmap<()>) -> bool {
    let mut buf = vec![0u8; MEM as usize];
    mem.read_slice(&mut buf, GuestAddress(0)).unwrap();
    buf.iter().all(|&b| b == PATTERN)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn snapshot(mem: &GuestMemoryMmap<()>) -> Vec<u8> {
    let mut buf = vec![0u8; MEM as usize];
    mem.read_slice(&mut buf, GuestAddress(0)).unwrap();
    buf
}

#[test]
fn stream_load_equals_seekable_load() {
    for name in [
        "x86_64-pvh.elf",
        "x86_64-pvh-desc8.elf",
        "x86_64-linux.elf",
        "i386.elf",
    ] {
        let image = fixture(name);
        let a = patterned();
        let seek = Elf::load_detailed(&a, None, &mut Cursor::new(&image), None).unwrap();
        let b = patterned();
        let stream = Elf::load_from_stream(&b, None, image.as_slice(), None, None).unwrap();
        assert_eq!(seek, stream, "{name}");
        assert!(snapshot(&a) == snapshot(&b), "{name}: guest memory differs");

        // Through a decompressor, with the length known.
        let c = patterned();
        let gz = gzip(&image);
        let d = decoder(Compression::Gzip, gz.as_slice(), Limits::default()).unwrap();
        let via_gzip = Elf::load_from_stream(&c, None, d, None, Some(image.len() as u64)).unwrap();
        assert_eq!(seek, via_gzip, "{name}");
        assert!(
            snapshot(&a) == snapshot(&c),
            "{name}: guest memory differs (gzip)"
        );
    }
}

#[test]
fn pvh_entry_from_a_stream() {
    let mem = patterned();
    let image = fixture("x86_64-pvh.elf");
    let load = Elf::load_from_stream(&mem, None, image.as_slice(), None, None).unwrap();
    assert_eq!(
        load.pvh_boot_cap,
        PvhBootCapability::PvhEntryPresent(GuestAddress(0x20_0080))
    );
    assert_eq!(load.result.entry.pvh, Some(GuestAddress(0x20_0080)));
}

#[test]
fn invalid_header_in_the_stream_leaves_memory_untouched() {
    let mem = patterned();
    let mut image = fixture("x86_64-pvh.elf");
    image[0] = 0x7e;
    let gz = gzip(&image);
    let d = decoder(Compression::Gzip, gz.as_slice(), Limits::default()).unwrap();
    assert_eq!(
        Elf::load_from_stream(&mem, None, d, None, None),
        Err(Error::InvalidElfMagicNumber)
    );
    assert!(untouched(&mem));

    // Every fixture the seekable loader rejects before writing is rejected the same way.
    for name in [
        "bad-class.elf",
        "bad-machine.elf",
        "bad-type.elf",
        "big-endian.elf",
        "bad-phentsize.elf",
        "entry-outside.elf",
        "filesz-gt-memsz.elf",
        "overlapping-segments.elf",
        "too-many-phdrs.elf",
        "truncated-header.elf",
        "paddr-overflow.elf",
    ] {
        let image = fixture(name);
        let seek = Elf::load_detailed(&mem, None, &mut Cursor::new(&image), None).unwrap_err();
        let stream = Elf::load_from_stream(&mem, None, image.as_slice(), None, None).unwrap_err();
        assert_eq!(seek, stream, "{name}");
        assert!(untouched(&mem), "{name}");
    }
}

#[test]
fn stream_length_is_checked_before_writing() {
    let mem = patterned();
    let image = fixture("x86_64-pvh.elf");
    let err = Elf::load_from_stream(&mem, None, image.as_slice(), None, Some(0x100)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::SegmentOutsideFile {
                file_len: 0x100,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(untouched(&mem));
}

#[test]
fn program_headers_beyond_the_prefix() {
    let mut image = fixture("x86_64-pvh.elf");
    // e_phoff = 0x20000, past the 64 KiB a stream may buffer.
    image[0x20..0x28].copy_from_slice(&0x2_0000u64.to_le_bytes());
    let mem = patterned();
    assert_eq!(
        Elf::load_from_stream(&mem, None, image.as_slice(), None, None),
        Err(Error::ProgramHeadersBeyondStreamPrefix {
            phoff: 0x2_0000,
            size: 56 * u64::from(u16::from_le_bytes([image[0x38], image[0x39]])),
            max: 0x1_0000
        })
    );
    assert!(untouched(&mem));
}

#[test]
fn truncated_stream_reports_the_written_range() {
    let image = fixture("x86_64-pvh.elf");
    let gz = gzip(&image);
    for cut in [gz.len() / 3, gz.len() - 20] {
        let mem = patterned();
        let d = decoder(Compression::Gzip, &gz[..cut], Limits::default()).unwrap();
        let err = Elf::load_from_stream(&mem, None, d, None, None).unwrap_err();
        // Inside a segment (SourceRead) or while reading the notes after the last segment
        // (NotesAfterWrite): either way the decompressor's Truncated and the range written.
        assert!(
            matches!(
                &err,
                Error::Plan(loader_core::Error::SourceRead { .. }) | Error::NotesAfterWrite { .. }
            ),
            "{err:?}"
        );
        assert!(matches!(
            kernel_decompress::Error::find(&err),
            Some(kernel_decompress::Error::Truncated {
                compression: Compression::Gzip,
                ..
            })
        ));
        if let Some(written) = err.written() {
            assert_eq!(written.start, GuestAddress(0x20_0000));
        } else {
            assert!(untouched(&mem));
        }
    }
}

#[test]
fn bomb_mid_stream_reports_the_written_range() {
    let image = fixture("x86_64-pvh.elf");
    let gz = gzip(&image);
    let limit = image.len() as u64 / 2;
    let mem = patterned();
    let d = decoder(
        Compression::Gzip,
        gz.as_slice(),
        Limits::new().with_max_decompressed(limit),
    )
    .unwrap();
    let err = Elf::load_from_stream(&mem, None, d, None, None).unwrap_err();
    let Error::Plan(loader_core::Error::SourceRead { source, .. }) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        kernel_decompress::Error::find(source),
        Some(&kernel_decompress::Error::Bomb {
            compression: Compression::Gzip,
            limit
        })
    );
}

#[test]
fn bad_pvh_note_is_reported_after_the_write() {
    let image = fixture("pvh-note-bad-desc.elf");
    let mem = patterned();
    let seek = Elf::load_detailed(&mem, None, &mut Cursor::new(&image), None).unwrap_err();
    assert!(untouched(&mem));
    let err = Elf::load_from_stream(&mem, None, image.as_slice(), None, None).unwrap_err();
    let Error::NotesAfterWrite { written, source } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(**source, seek);
    assert!(written.len > 0);
    assert_eq!(err.written(), Some(*written));
}

#[test]
fn a_reader_is_read_only_as_far_as_needed() {
    // The stream is not read past the last segment (or note).
    let image = fixture("x86_64-pvh.elf");
    let mut padded = image.clone();
    padded.extend_from_slice(&[0xee; 1 << 20]);
    let mut reader = padded.as_slice();
    let mem = patterned();
    Elf::load_from_stream(&mem, None, &mut reader, None, None).unwrap();
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).unwrap();
    assert!(rest.len() >= 1 << 20);
}
