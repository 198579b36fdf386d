// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Unit tests of the pure steps (note scanning, header parsing, planning) and of the
//! upstream-compatible surface (raw names, `ByteValued`, `PvhBootCapability`, error equality).

use vm_memory::{ByteValued, Bytes, GuestAddress, GuestMemoryMmap};

use crate::raw::{self, XEN_ELFNOTE_PHYS32_ENTRY};
use crate::{
    Class, Error, Machine, ProgramHeader, PvhBootCapability, find_pvh_entry, parse_ehdr,
    parse_phdrs, plan,
};

/// One note, 4-byte aligned, little-endian.
fn note(name: &[u8], n_type: u32, desc: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&(name.len() as u32).to_le_bytes());
    v.extend_from_slice(&(desc.len() as u32).to_le_bytes());
    v.extend_from_slice(&n_type.to_le_bytes());
    v.extend_from_slice(name);
    v.resize(v.len().div_ceil(4) * 4, 0);
    v.extend_from_slice(desc);
    v.resize(v.len().div_ceil(4) * 4, 0);
    v
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/elf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

// ---- notes -----------------------------------------------------------------------------------

#[test]
fn no_notes_no_entry() {
    assert!(matches!(find_pvh_entry(&[]), Ok(None)));
    let gnu = note(b"GNU\0", 3, &[0xab; 20]);
    assert!(matches!(find_pvh_entry(&gnu), Ok(None)));
}

#[test]
fn pvh_entry_found_after_other_notes() {
    let mut bytes = note(b"GNU\0", 3, &[0xab; 20]);
    bytes.extend(note(b"Xen\0", 6, b"linux\0"));
    bytes.extend(note(
        b"Xen\0",
        XEN_ELFNOTE_PHYS32_ENTRY,
        &0x1000850u32.to_le_bytes(),
    ));
    bytes.extend(note(b"Linux\0", 0x100, b"salt"));
    assert!(matches!(find_pvh_entry(&bytes), Ok(Some(0x1000850))));
}

#[test]
fn first_pvh_note_wins() {
    let mut bytes = note(b"Xen\0", XEN_ELFNOTE_PHYS32_ENTRY, &0x1000u32.to_le_bytes());
    bytes.extend(note(
        b"Xen\0",
        XEN_ELFNOTE_PHYS32_ENTRY,
        &0x2000u32.to_le_bytes(),
    ));
    assert!(matches!(find_pvh_entry(&bytes), Ok(Some(0x1000))));
}

#[test]
fn type_18_under_another_name_is_not_pvh() {
    let bytes = note(b"Xex\0", XEN_ELFNOTE_PHYS32_ENTRY, &0x1000u32.to_le_bytes());
    assert!(matches!(find_pvh_entry(&bytes), Ok(None)));
    let bytes = note(b"Xen", XEN_ELFNOTE_PHYS32_ENTRY, &0x1000u32.to_le_bytes());
    assert!(matches!(find_pvh_entry(&bytes), Ok(None)));
}

#[test]
fn eight_byte_descriptor_gives_its_low_half() {
    let bytes = note(
        b"Xen\0",
        XEN_ELFNOTE_PHYS32_ENTRY,
        &0x1000850u64.to_le_bytes(),
    );
    assert!(matches!(find_pvh_entry(&bytes), Ok(Some(0x1000850))));
}

#[test]
fn short_pvh_descriptor_is_invalid_pvh_note() {
    let bytes = note(b"Xen\0", XEN_ELFNOTE_PHYS32_ENTRY, &[0x80, 0]);
    assert!(matches!(find_pvh_entry(&bytes), Err(Error::InvalidPvhNote)));
}

#[test]
fn trailing_bytes_shorter_than_a_header_are_read_note_header() {
    let mut bytes = note(b"GNU\0", 3, &[1; 4]);
    bytes.extend_from_slice(&[0; 8]);
    assert!(matches!(find_pvh_entry(&bytes), Err(Error::ReadNoteHeader)));
}

#[test]
fn huge_sizes_are_note_overrun_not_overflow() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&u32::MAX.to_le_bytes());
    bytes.extend_from_slice(&u32::MAX.to_le_bytes());
    bytes.extend_from_slice(&XEN_ELFNOTE_PHYS32_ENTRY.to_le_bytes());
    assert!(matches!(
        find_pvh_entry(&bytes),
        Err(Error::NoteOverrun {
            offset: 0,
            namesz: u32::MAX,
            descsz: u32::MAX,
            len: 12
        })
    ));
}

#[test]
fn missing_final_padding_is_tolerated() {
    let mut bytes = note(
        b"Xen\0",
        XEN_ELFNOTE_PHYS32_ENTRY,
        &[0x10, 0, 0x20, 0, 0x55],
    );
    bytes.truncate(bytes.len() - 3);
    assert!(matches!(find_pvh_entry(&bytes), Ok(Some(0x0020_0010))));
}

// ---- parsing and planning --------------------------------------------------------------------

#[test]
fn parse_ehdr_reads_the_valid_fixtures() {
    let h = parse_ehdr(&fixture("x86_64-linux.elf")).unwrap();
    assert_eq!((h.class, h.machine), (Class::Elf64, Machine::X86_64));
    assert_eq!(
        (h.entry, h.phoff, h.phentsize, h.phnum),
        (0x20_0010, 0x40, 56, 2)
    );
    let h = parse_ehdr(&fixture("i386.elf")).unwrap();
    assert_eq!((h.class, h.machine), (Class::Elf32, Machine::I386));
    assert_eq!(
        (h.entry, h.phoff, h.phentsize, h.phnum),
        (0x10_0000, 0x34, 32, 1)
    );
}

#[test]
fn every_header_prefix_is_read_elf_header() {
    for name in ["x86_64-linux.elf", "i386.elf"] {
        let image = fixture(name);
        let h = parse_ehdr(&image).unwrap();
        for len in 0..h.class.ehdr_size() {
            assert!(
                matches!(parse_ehdr(&image[..len]), Err(Error::ReadElfHeader)),
                "{name}: prefix {len}"
            );
        }
    }
}

#[test]
fn parse_phdrs_needs_the_whole_table() {
    let image = fixture("x86_64-linux.elf");
    let h = parse_ehdr(&image).unwrap();
    let table = &image[0x40..0x40 + 112];
    let phdrs = parse_phdrs(&h, table).unwrap();
    assert_eq!(phdrs.len(), 2);
    assert_eq!(
        phdrs[1],
        ProgramHeader {
            p_type: raw::PT_LOAD,
            p_flags: raw::PF_R | raw::PF_W,
            p_offset: 0x400,
            p_vaddr: 0xffff_ffff_8020_1000,
            p_paddr: 0x20_1000,
            p_filesz: 0x80,
            p_memsz: 0x1000,
            p_align: 0x200,
        }
    );
    assert!(matches!(
        parse_phdrs(&h, &table[..111]),
        Err(Error::ReadProgramHeader)
    ));
}

#[test]
fn plan_without_file_length_is_what_a_stream_gets() {
    let image = fixture("x86_64-pvh.elf");
    let h = parse_ehdr(&image).unwrap();
    let phdrs = parse_phdrs(&h, &image[0x40..]).unwrap();
    let p = plan(&h, &phdrs, None, None, None).unwrap();
    assert_eq!(p.entry, GuestAddress(0x20_0010));
    assert_eq!(p.kernel_end, 0x20_2000);
    assert_eq!(p.plan.segments().len(), 2);
    assert_eq!(p.notes.len(), 2);
    assert_eq!((p.notes[0].index, p.notes[0].offset), (2, 0x480));
    assert_eq!(
        p.pvh_capability(Some(0x20_0080)).unwrap(),
        PvhBootCapability::PvhEntryPresent(GuestAddress(0x20_0080))
    );
    assert_eq!(
        p.pvh_capability(None).unwrap(),
        PvhBootCapability::PvhEntryNotPresent
    );

    // A segment past the end of the image is left for the executor when the length is unknown.
    let image = fixture("segment-past-eof.elf");
    let phdrs = parse_phdrs(&h, &image[0x40..]).unwrap();
    assert!(plan(&h, &phdrs, None, None, None).is_ok_and(|p| p.plan.segments().len() == 2));
    assert!(matches!(
        plan(&h, &phdrs, None, None, Some(0x480)),
        Err(Error::SegmentOutsideFile { index: 1, .. })
    ));
}

#[test]
fn plan_ignores_other_segment_types_and_empty_loads() {
    let image = fixture("x86_64-linux.elf");
    let h = parse_ehdr(&image).unwrap();
    let mut phdrs = parse_phdrs(&h, &image[0x40..]).unwrap();
    phdrs.push(ProgramHeader {
        p_type: raw::PT_GNU_STACK,
        p_filesz: u64::MAX,
        p_memsz: 1,
        ..ProgramHeader::default()
    });
    phdrs.push(ProgramHeader {
        p_type: raw::PT_LOAD,
        p_paddr: 0x20_0000,
        ..ProgramHeader::default()
    });
    let p = plan(&h, &phdrs, None, None, Some(0x480)).unwrap();
    assert_eq!(p.plan.segments().len(), 2);
}

// ---- upstream-compatible surface -------------------------------------------------------------

#[test]
#[allow(clippy::unnecessary_cast)]
fn raw_names_of_both_upstream_generations_compile() {
    // 0.13 names, struct literal through the alias.
    let hdr = raw::elf64_hdr {
        e_phnum: 1,
        ..Default::default()
    };
    let same: raw::Elf64_Ehdr = hdr;
    assert_eq!(same.e_phnum, 1);
    let _: raw::elf64_phdr = raw::Elf64_Phdr::default();
    let _: raw::elf64_note = raw::Elf64_Nhdr::default();
    // 0.14-style indexing and 0.13-style casts both work with these constant types.
    let image = fixture("x86_64-linux.elf");
    let ehdr = raw::Elf64_Ehdr::from_slice(&image[..64]).unwrap();
    assert_eq!(ehdr.e_ident[raw::EI_MAG0], raw::ELFMAG0);
    assert_eq!(ehdr.e_ident[raw::EI_MAG1 as usize], raw::ELFMAG1);
    assert_eq!(ehdr.e_ident[raw::EI_DATA as usize], raw::ELFDATA2LSB as u8);
    assert_eq!(u16::from_le(ehdr.e_machine), raw::EM_X86_64);
    assert_eq!(raw::PT_LOAD, 1);
    assert_eq!(raw::PT_NOTE, 4);
}

#[test]
fn raw_structs_are_byte_valued() {
    assert_eq!(raw::Elf64_Ehdr::default().as_slice().len(), 64);
    assert_eq!(raw::Elf64_Phdr::default().as_slice().len(), 56);
    assert_eq!(raw::Elf64_Nhdr::default().as_slice().len(), 12);
    assert_eq!(raw::Elf32_Ehdr::default().as_slice().len(), 52);
    assert_eq!(raw::Elf32_Phdr::default().as_slice().len(), 32);

    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x1000)]).unwrap();
    let image = fixture("x86_64-linux.elf");
    mem.write_slice(&image[..120], GuestAddress(0)).unwrap();
    let phdr: raw::Elf64_Phdr = mem.read_obj(GuestAddress(0x40)).unwrap();
    assert_eq!(u64::from_le(phdr.p_paddr), 0x20_0000);
}

#[test]
fn pvh_boot_capability_matches_upstream() {
    assert_eq!(
        PvhBootCapability::default(),
        PvhBootCapability::PvhEntryIgnored
    );
    assert_eq!(
        PvhBootCapability::PvhEntryPresent(GuestAddress(0x1000850)).to_string(),
        "PVH entry point present at guest address: 0x1000850"
    );
    assert_eq!(
        PvhBootCapability::PvhEntryNotPresent.to_string(),
        "PVH entry point not present"
    );
    assert_eq!(
        PvhBootCapability::PvhEntryIgnored.to_string(),
        "PVH entry point ignored"
    );
}

#[test]
fn errors_compare_like_upstream_and_name_values() {
    assert_eq!(Error::InvalidElfMagicNumber, Error::InvalidElfMagicNumber);
    assert_ne!(Error::InvalidElfMagicNumber, Error::ReadElfHeader);
    assert_ne!(
        Error::UnsupportedClass { class: 3 },
        Error::UnsupportedClass { class: 4 }
    );
    assert_eq!(
        Error::FileSizeExceedsMemSize {
            index: 1,
            filesz: 0x80,
            memsz: 0x40
        }
        .to_string(),
        "program header 1: p_filesz 0x80 exceeds p_memsz 0x40"
    );
    // An upstream-style exhaustive-looking match on unit variants compiles.
    let e = Error::InvalidElfMagicNumber;
    let fallback = matches!(e, Error::InvalidElfMagicNumber);
    assert!(fallback);
}
