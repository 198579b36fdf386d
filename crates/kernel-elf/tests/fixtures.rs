// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Loads of the committed synthetic images under `fixtures/elf/` (facts in
//! `fixtures/MANIFEST.toml`): valid ones byte-for-byte, defective ones by their exact error with
//! guest memory left byte-identical.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

mod common;

use std::io::Cursor;

use common::{fixture, load_err, load_err_in, load_ok, patch, patterned};
use kernel_elf::{Class, Elf, Error, Machine, PvhBootCapability};
use loader_core::{GuestRange, KernelLoader};
use vm_memory::GuestAddress;

const TEXT: u64 = 0x20_0000;
const ENTRY: u64 = 0x20_0010;
const END: u64 = 0x20_2000;
const PVH: u64 = 0x20_0080;
const HIGHMEM: Option<GuestAddress> = Some(GuestAddress(0x10_0000));
/// Offset of program header `i` in the x86_64 fixtures (e_phoff 0x40, 56 bytes each).
fn ph(i: usize) -> usize {
    0x40 + i * 56
}

// ---- valid images ------------------------------------------------------------------------------

#[test]
fn x86_64_linux_loads_segments_and_zeroes_bss() {
    let load = load_ok(&fixture("x86_64-linux.elf"), None, HIGHMEM);
    assert_eq!(load.class, Class::Elf64);
    assert_eq!(load.machine, Machine::X86_64);
    assert_eq!(load.result.kernel_load, GuestAddress(ENTRY));
    assert_eq!(load.result.kernel_end, END);
    assert_eq!(
        load.result.loaded,
        GuestRange::new(GuestAddress(TEXT), END - TEXT)
    );
    assert_eq!(load.result.needs_free, load.result.loaded);
    assert_eq!(load.result.entry.linux_64, Some(GuestAddress(ENTRY)));
    assert_eq!(load.result.entry.linux_32, None);
    assert_eq!(load.result.entry.pvh, None);
    assert_eq!(load.pvh_boot_cap, PvhBootCapability::PvhEntryNotPresent);
    assert_eq!(load.pvh_note_entry, None);
    assert_eq!(load.summary.file_bytes, 0x100 + 0x80);
    assert_eq!(load.summary.zero_bytes, 0x1000 - 0x80);
}

#[test]
fn x86_64_pvh_reports_pvh_entry() {
    let load = load_ok(&fixture("x86_64-pvh.elf"), None, HIGHMEM);
    assert_eq!(load.result.kernel_load, GuestAddress(ENTRY));
    assert_eq!(load.result.kernel_end, END);
    assert_eq!(
        load.pvh_boot_cap,
        PvhBootCapability::PvhEntryPresent(GuestAddress(PVH))
    );
    assert_eq!(load.result.entry.pvh, Some(GuestAddress(PVH)));
    assert_eq!(load.result.entry.linux_64, Some(GuestAddress(ENTRY)));
    assert_eq!(load.pvh_note_entry, Some(GuestAddress(PVH)));
}

#[test]
fn x86_64_pvh_with_8_byte_descriptor_uses_the_low_half() {
    let load = load_ok(&fixture("x86_64-pvh-desc8.elf"), None, None);
    assert_eq!(
        load.pvh_boot_cap,
        PvhBootCapability::PvhEntryPresent(GuestAddress(PVH))
    );
}

#[test]
fn i386_loads_as_elf32() {
    let load = load_ok(&fixture("i386.elf"), None, HIGHMEM);
    assert_eq!(load.class, Class::Elf32);
    assert_eq!(load.machine, Machine::I386);
    assert_eq!(load.result.kernel_load, GuestAddress(0x10_0000));
    assert_eq!(load.result.kernel_end, 0x10_0100);
    assert_eq!(load.result.entry.linux_32, Some(GuestAddress(0x10_0000)));
    assert_eq!(load.result.entry.linux_64, None);
    assert_eq!(load.pvh_boot_cap, PvhBootCapability::PvhEntryNotPresent);
    assert_eq!(load.summary.zero_bytes, 0x80);
}

#[test]
fn kernel_offset_shifts_segments_and_entry_and_ignores_pvh() {
    let offset = GuestAddress(0x10_0000);
    let load = load_ok(&fixture("x86_64-pvh.elf"), Some(offset), HIGHMEM);
    assert_eq!(load.result.kernel_load, GuestAddress(ENTRY + 0x10_0000));
    assert_eq!(load.result.kernel_end, END + 0x10_0000);
    assert_eq!(
        load.result.entry.linux_64,
        Some(GuestAddress(ENTRY + 0x10_0000))
    );
    assert_eq!(load.pvh_boot_cap, PvhBootCapability::PvhEntryIgnored);
    assert_eq!(load.result.entry.pvh, None);
    // The richer result still says what the note holds.
    assert_eq!(load.pvh_note_entry, Some(GuestAddress(PVH)));
}

#[test]
fn trait_load_returns_the_detailed_result() {
    let image = fixture("x86_64-pvh.elf");
    let mem = patterned(0, 0x40_0000);
    let result = Elf::load(&mem, None, &mut Cursor::new(&image), HIGHMEM).unwrap();
    let detailed = load_ok(&image, None, HIGHMEM);
    assert_eq!(result, detailed.result);
}

#[test]
fn highmem_equal_to_the_lowest_segment_is_accepted() {
    let load = load_ok(&fixture("x86_64-linux.elf"), None, Some(GuestAddress(TEXT)));
    assert_eq!(load.result.kernel_end, END);
}

#[test]
fn memory_ending_exactly_at_kernel_end_is_enough() {
    let image = fixture("x86_64-linux.elf");
    let mem = patterned(TEXT, (END - TEXT) as usize);
    let load = Elf::load_detailed(&mem, None, &mut Cursor::new(&image), None).unwrap();
    assert_eq!(load.result.kernel_end, END);
}

// ---- one defect per committed image ------------------------------------------------------------

#[test]
fn bad_magic_is_invalid_elf_magic_number() {
    let err = load_err(&fixture("bad-magic.elf"), None, None);
    assert!(matches!(err, Error::InvalidElfMagicNumber), "{err:?}");
    assert_eq!(err, Error::InvalidElfMagicNumber);
}

#[test]
fn bad_class_is_unsupported_class() {
    let err = load_err(&fixture("bad-class.elf"), None, None);
    assert!(
        matches!(err, Error::UnsupportedClass { class: 3 }),
        "{err:?}"
    );
}

#[test]
fn big_endian_is_big_endian_elf_on_little() {
    let err = load_err(&fixture("big-endian.elf"), None, None);
    assert!(matches!(err, Error::BigEndianElfOnLittle), "{err:?}");
}

#[test]
fn bad_machine_is_unsupported_machine() {
    let err = load_err(&fixture("bad-machine.elf"), None, None);
    assert!(
        matches!(
            err,
            Error::UnsupportedMachine {
                machine: 183,
                class: Class::Elf64
            }
        ),
        "{err:?}"
    );
}

#[test]
fn bad_type_is_unsupported_type() {
    let err = load_err(&fixture("bad-type.elf"), None, None);
    assert!(
        matches!(err, Error::UnsupportedType { e_type: 1 }),
        "{err:?}"
    );
}

#[test]
fn bad_phentsize_is_invalid_program_header_size() {
    let err = load_err(&fixture("bad-phentsize.elf"), None, None);
    assert!(matches!(err, Error::InvalidProgramHeaderSize), "{err:?}");
}

#[test]
fn too_many_phdrs_is_rejected_before_reading_them() {
    let err = load_err(&fixture("too-many-phdrs.elf"), None, None);
    assert!(
        matches!(
            err,
            Error::TooManyProgramHeaders {
                count: 0xffff,
                max: 256
            }
        ),
        "{err:?}"
    );
}

#[test]
fn phoff_past_eof_is_program_headers_outside_file() {
    let err = load_err(&fixture("phoff-past-eof.elf"), None, None);
    assert!(
        matches!(
            err,
            Error::ProgramHeadersOutsideFile {
                phoff: 0x1_0000,
                size: 112,
                file_len: 0x480
            }
        ),
        "{err:?}"
    );
}

#[test]
fn filesz_gt_memsz_is_file_size_exceeds_mem_size() {
    let err = load_err(&fixture("filesz-gt-memsz.elf"), None, None);
    assert!(
        matches!(
            err,
            Error::FileSizeExceedsMemSize {
                index: 1,
                filesz: 0x80,
                memsz: 0x40
            }
        ),
        "{err:?}"
    );
}

#[test]
fn overlapping_segments_are_rejected() {
    let err = load_err(&fixture("overlapping-segments.elf"), None, None);
    assert!(
        matches!(
            err,
            Error::SegmentsOverlap {
                first: 0,
                first_start: 0x20_0000,
                first_end: 0x20_0100,
                second: 1,
                second_start: 0x20_0080,
                second_end: 0x20_1080
            }
        ),
        "{err:?}"
    );
}

#[test]
fn segment_past_eof_is_segment_outside_file() {
    let err = load_err(&fixture("segment-past-eof.elf"), None, None);
    assert!(
        matches!(
            err,
            Error::SegmentOutsideFile {
                index: 1,
                offset: 0x400,
                filesz: 0x1_0000,
                file_len: 0x480
            }
        ),
        "{err:?}"
    );
}

#[test]
fn paddr_overflow_is_segment_address_overflow() {
    let err = load_err(&fixture("paddr-overflow.elf"), None, None);
    assert!(
        matches!(
            err,
            Error::SegmentAddressOverflow {
                index: 1,
                addr: 0xffff_ffff_ffff_f800,
                memsz: 0x1000
            }
        ),
        "{err:?}"
    );
}

#[test]
fn entry_outside_is_entry_outside_segments() {
    let err = load_err(&fixture("entry-outside.elf"), None, None);
    assert!(
        matches!(err, Error::EntryOutsideSegments { entry: 0x30_0000 }),
        "{err:?}"
    );
}

#[test]
fn truncated_header_is_read_elf_header() {
    let err = load_err(&fixture("truncated-header.elf"), None, None);
    assert!(matches!(err, Error::ReadElfHeader), "{err:?}");
}

#[test]
fn pvh_note_bad_desc_is_invalid_pvh_note() {
    let err = load_err(&fixture("pvh-note-bad-desc.elf"), None, None);
    assert!(matches!(err, Error::InvalidPvhNote), "{err:?}");
}

// ---- field tweaks of valid images --------------------------------------------------------------

#[test]
fn ei_data_zero_is_invalid_data_encoding() {
    let image = patch(&fixture("x86_64-linux.elf"), 5, &[0]);
    let err = load_err(&image, None, None);
    assert!(
        matches!(err, Error::InvalidDataEncoding { ei_data: 0 }),
        "{err:?}"
    );
}

#[test]
fn elf64_with_i386_machine_is_unsupported() {
    let image = patch(&fixture("x86_64-linux.elf"), 18, &3u16.to_le_bytes());
    let err = load_err(&image, None, None);
    assert!(
        matches!(
            err,
            Error::UnsupportedMachine {
                machine: 3,
                class: Class::Elf64
            }
        ),
        "{err:?}"
    );
}

#[test]
fn et_dyn_is_accepted() {
    let image = patch(&fixture("x86_64-linux.elf"), 16, &3u16.to_le_bytes());
    let load = load_ok(&image, None, None);
    assert_eq!(load.result.kernel_load, GuestAddress(ENTRY));
}

#[test]
fn phoff_inside_the_header_is_invalid_program_header_offset() {
    let image = patch(&fixture("x86_64-linux.elf"), 32, &0x20u64.to_le_bytes());
    let err = load_err(&image, None, None);
    assert!(matches!(err, Error::InvalidProgramHeaderOffset), "{err:?}");
}

#[test]
fn program_header_table_crossing_eof_is_outside_file() {
    let image = patch(&fixture("x86_64-linux.elf"), 32, &0x450u64.to_le_bytes());
    let err = load_err(&image, None, None);
    assert!(
        matches!(
            err,
            Error::ProgramHeadersOutsideFile {
                phoff: 0x450,
                size: 112,
                file_len: 0x480
            }
        ),
        "{err:?}"
    );
}

#[test]
fn entry_in_bss_is_outside_segments() {
    let image = patch(
        &fixture("x86_64-linux.elf"),
        24,
        &0x20_1100u64.to_le_bytes(),
    );
    let err = load_err(&image, None, None);
    assert!(
        matches!(err, Error::EntryOutsideSegments { entry: 0x20_1100 }),
        "{err:?}"
    );
}

#[test]
fn entry_below_highmem_is_invalid_entry_address() {
    let err = load_err(
        &fixture("x86_64-linux.elf"),
        None,
        Some(GuestAddress(0x20_0800)),
    );
    assert!(matches!(err, Error::InvalidEntryAddress), "{err:?}");
}

#[test]
fn kernel_offset_overflowing_the_entry_is_overflow() {
    let err = load_err(
        &fixture("x86_64-linux.elf"),
        Some(GuestAddress(u64::MAX - 0x10)),
        None,
    );
    assert!(matches!(err, Error::Overflow), "{err:?}");
}

#[test]
fn kernel_offset_overflowing_a_paddr_is_invalid_program_header_address() {
    // Entry (0x200010) + offset fits; the data segment's paddr (0x201000) + offset does not.
    let err = load_err(
        &fixture("x86_64-linux.elf"),
        Some(GuestAddress(u64::MAX - 0x20_0fff)),
        None,
    );
    assert!(matches!(err, Error::InvalidProgramHeaderAddress), "{err:?}");
}

#[test]
fn segment_past_guest_memory_is_plan_error() {
    let mem = patterned(TEXT, 0x1800);
    let err = load_err_in(&mem, &fixture("x86_64-linux.elf"), None, None);
    assert!(
        matches!(
            err,
            Error::Plan(loader_core::Error::SegmentOutsideMemory {
                index: 1,
                addr: 0x20_1000,
                end: 0x20_2000
            })
        ),
        "{err:?}"
    );
}

#[test]
fn no_pt_load_is_no_loadable_segments() {
    let image = fixture("x86_64-linux.elf");
    let image = patch(&image, ph(0), &0u32.to_le_bytes());
    let image = patch(&image, ph(1), &6u32.to_le_bytes()); // PT_PHDR: ignored
    let err = load_err(&image, None, None);
    assert!(matches!(err, Error::NoLoadableSegments), "{err:?}");
}

#[test]
fn oversized_note_segment_is_rejected_before_reading() {
    let image = patch(
        &fixture("x86_64-pvh.elf"),
        ph(2) + 32,
        &0x1_0001u64.to_le_bytes(),
    );
    let err = load_err(&image, None, None);
    assert!(
        matches!(
            err,
            Error::NoteSegmentTooLarge {
                index: 2,
                filesz: 0x1_0001,
                max: 0x1_0000
            }
        ),
        "{err:?}"
    );
}

#[test]
fn note_segment_past_eof_is_segment_outside_file() {
    let image = patch(
        &fixture("x86_64-pvh.elf"),
        ph(3) + 32,
        &0x100u64.to_le_bytes(),
    );
    let err = load_err(&image, None, None);
    assert!(
        matches!(
            err,
            Error::SegmentOutsideFile {
                index: 3,
                filesz: 0x100,
                file_len: 0x4f0,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn note_segment_cut_inside_a_header_is_read_note_header() {
    // The second note segment holds one 32-byte "Linux" note; keep 8 bytes of it.
    let image = patch(&fixture("x86_64-pvh.elf"), ph(3) + 32, &8u64.to_le_bytes());
    let err = load_err(&image, None, None);
    assert!(matches!(err, Error::ReadNoteHeader), "{err:?}");
}

#[test]
fn note_descriptor_past_segment_end_is_note_overrun() {
    // namesz 6 ("Linux\0", padded to 8), descsz 10: the descriptor ends at 30 > 24.
    let image = patch(&fixture("x86_64-pvh.elf"), ph(3) + 32, &24u64.to_le_bytes());
    let err = load_err(&image, None, None);
    assert!(
        matches!(
            err,
            Error::NoteOverrun {
                offset: 0,
                namesz: 6,
                descsz: 10,
                len: 24
            }
        ),
        "{err:?}"
    );
}

/// File offset of the PVH note's descriptor in `x86_64-pvh.elf`.
fn pvh_desc_offset(image: &[u8]) -> usize {
    let needle = 0x20_0080u32.to_le_bytes();
    0x480 + image[0x480..].windows(4).position(|w| w == needle).unwrap()
}

#[test]
fn pvh_entry_outside_segments_is_rejected() {
    let image = fixture("x86_64-pvh.elf");
    let at = pvh_desc_offset(&image);
    let image = patch(&image, at, &0x30_0000u32.to_le_bytes());
    let err = load_err(&image, None, None);
    assert!(
        matches!(err, Error::PvhEntryOutsideSegments { entry: 0x30_0000 }),
        "{err:?}"
    );
}

#[test]
fn empty_and_short_files() {
    assert!(matches!(load_err(&[], None, None), Error::ReadElfHeader));
    assert!(matches!(
        load_err(b"\x7fEL", None, None),
        Error::ReadElfHeader
    ));
    assert!(matches!(
        load_err(b"MZ", None, None),
        Error::InvalidElfMagicNumber
    ));
    let image = fixture("x86_64-linux.elf");
    assert!(matches!(
        load_err(&image[..63], None, None),
        Error::ReadElfHeader
    ));
    // A full header but no program headers after it.
    assert!(matches!(
        load_err(&image[..64], None, None),
        Error::ProgramHeadersOutsideFile {
            phoff: 0x40,
            size: 112,
            file_len: 64
        }
    ));
}

#[test]
fn every_prefix_of_a_valid_image_is_rejected_without_writing() {
    let image = fixture("x86_64-pvh.elf");
    let mem = patterned(TEXT, 0x3000);
    for len in 0..image.len() {
        let err = load_err_in(&mem, &image[..len], None, None);
        assert!(
            matches!(
                err,
                Error::ReadElfHeader
                    | Error::ProgramHeadersOutsideFile { .. }
                    | Error::SegmentOutsideFile { .. }
            ),
            "prefix of {len} bytes: {err:?}"
        );
    }
}
