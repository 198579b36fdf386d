// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! ELF header and program header parsing: pure functions of bounded byte slices.
//!
//! goblin decodes the header and the program headers from exactly the bytes they occupy; this
//! module decodes the same bytes again through the zerocopy layouts in [`crate::raw`] and
//! refuses the image if the two disagree ([`Error::ParserMismatch`]), then checks every field
//! a loader relies on itself. goblin's types never leave this module.

use std::fmt;

use goblin::container::{Container, Ctx, Endian};
use goblin::elf::header::{header32, header64};
use zerocopy::FromBytes;

use crate::error::{Error, Result};
use crate::limits::MAX_PROGRAM_HEADERS;
use crate::raw::{
    EI_CLASS, EI_DATA, EI_NIDENT, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, ELFMAG, EM_386,
    EM_X86_64, ET_DYN, ET_EXEC, Elf32_Ehdr, Elf32_Phdr, Elf64_Ehdr, Elf64_Phdr, SELFMAG,
};

/// ELF file class (`EI_CLASS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// `ELFCLASS32`: 32-bit fields (an i386 vmlinux).
    Elf32,
    /// `ELFCLASS64`: 64-bit fields (an x86_64 vmlinux).
    Elf64,
}

impl Class {
    /// Size of the ELF header of this class (`e_ehsize`).
    pub const fn ehdr_size(self) -> usize {
        match self {
            Class::Elf32 => size_of::<Elf32_Ehdr>(),
            Class::Elf64 => size_of::<Elf64_Ehdr>(),
        }
    }

    /// Size of one program header of this class (the only valid `e_phentsize`).
    pub const fn phdr_size(self) -> u16 {
        match self {
            Class::Elf32 => 32,
            Class::Elf64 => 56,
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Elf32 => "ELF32",
            Class::Elf64 => "ELF64",
        })
    }
}

/// The machine an image is built for (`e_machine`), among those this loader accepts.
///
/// `#[non_exhaustive]`: other ELF kernels may be accepted later. ([`Class`] is closed: ELF has
/// exactly two classes.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Machine {
    /// `EM_X86_64` (62), with an ELF64 header.
    X86_64,
    /// `EM_386` (3), with an ELF32 header.
    I386,
}

impl Machine {
    /// The `e_machine` value.
    pub const fn e_machine(self) -> u16 {
        match self {
            Machine::X86_64 => EM_X86_64,
            Machine::I386 => EM_386,
        }
    }
}

impl fmt::Display for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Machine::X86_64 => "x86_64",
            Machine::I386 => "i386",
        })
    }
}

/// The validated fields of an ELF header that loading needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Header {
    /// 32- or 64-bit.
    pub class: Class,
    /// x86_64 or i386.
    pub machine: Machine,
    /// `e_type` (`ET_EXEC` or `ET_DYN`).
    pub e_type: u16,
    /// `e_entry`: the physical entry point of an x86 vmlinux.
    pub entry: u64,
    /// `e_phoff`: file offset of the program header table.
    pub phoff: u64,
    /// `e_phentsize`: size of one program header (checked against the class).
    pub phentsize: u16,
    /// `e_phnum`: number of program headers (checked against
    /// [`MAX_PROGRAM_HEADERS`](crate::limits::MAX_PROGRAM_HEADERS)).
    pub phnum: u16,
}

impl Header {
    /// Bytes of the program header table: `e_phnum * e_phentsize` (at most 14 KiB).
    pub fn phdrs_size(&self) -> u64 {
        u64::from(self.phnum).saturating_mul(u64::from(self.phentsize))
    }
}

/// One program header, widened to 64-bit fields whatever the class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgramHeader {
    /// Segment type (`PT_LOAD`, `PT_NOTE`, ...).
    pub p_type: u32,
    /// Segment flags (`PF_R`, `PF_W`, `PF_X`).
    pub p_flags: u32,
    /// Offset of the segment's bytes in the file.
    pub p_offset: u64,
    /// Virtual address (unused by the loader).
    pub p_vaddr: u64,
    /// Physical address: where the loader places the segment (plus any kernel offset).
    pub p_paddr: u64,
    /// Bytes in the file.
    pub p_filesz: u64,
    /// Bytes in memory; the part past `p_filesz` is zeroed (BSS).
    pub p_memsz: u64,
    /// Alignment (unused by the loader).
    pub p_align: u64,
}

/// The header fields compared between goblin and the zerocopy decoding.
type HeaderFields = (u16, u16, u64, u64, u16, u16);

/// Parses and validates an ELF header from the first bytes of an image.
///
/// `bytes` may be longer than the header (only the first `e_ehsize` bytes of the class are
/// read) or shorter (then the image is truncated). Checks, in order: magic
/// ([`Error::InvalidElfMagicNumber`]), `EI_CLASS`, `EI_DATA` (little-endian only), length,
/// `e_type` (`ET_EXEC` or `ET_DYN`), `e_machine` (`EM_X86_64` for ELF64, `EM_386` for ELF32),
/// `e_phentsize`, `e_phnum` against [`MAX_PROGRAM_HEADERS`], and `e_phoff` (past the ELF header,
/// table end representable).
pub fn parse_ehdr(bytes: &[u8]) -> Result<Header> {
    let magic_len = bytes.len().min(SELFMAG);
    if bytes.get(..magic_len) != ELFMAG.get(..magic_len) {
        return Err(Error::InvalidElfMagicNumber);
    }
    let ident = bytes.get(..EI_NIDENT).ok_or(Error::ReadElfHeader)?;
    let class = match ident.get(EI_CLASS).copied() {
        Some(ELFCLASS32) => Class::Elf32,
        Some(ELFCLASS64) => Class::Elf64,
        other => {
            return Err(Error::UnsupportedClass {
                class: other.unwrap_or(0),
            });
        }
    };
    match ident.get(EI_DATA).copied() {
        Some(ELFDATA2LSB) => {}
        Some(ELFDATA2MSB) => return Err(Error::BigEndianElfOnLittle),
        other => {
            return Err(Error::InvalidDataEncoding {
                ei_data: other.unwrap_or(0),
            });
        }
    }
    let hdr = bytes.get(..class.ehdr_size()).ok_or(Error::ReadElfHeader)?;

    let (ours, theirs) = match class {
        Class::Elf64 => {
            let raw = Elf64_Ehdr::read_from_bytes(hdr).map_err(|_| Error::ReadElfHeader)?;
            let g = header64::Header::parse(hdr).map_err(|_| Error::ReadElfHeader)?;
            (
                (
                    u16::from_le(raw.e_type),
                    u16::from_le(raw.e_machine),
                    u64::from_le(raw.e_entry),
                    u64::from_le(raw.e_phoff),
                    u16::from_le(raw.e_phentsize),
                    u16::from_le(raw.e_phnum),
                ),
                (
                    g.e_type,
                    g.e_machine,
                    g.e_entry,
                    g.e_phoff,
                    g.e_phentsize,
                    g.e_phnum,
                ),
            )
        }
        Class::Elf32 => {
            let raw = Elf32_Ehdr::read_from_bytes(hdr).map_err(|_| Error::ReadElfHeader)?;
            let g = header32::Header::parse(hdr).map_err(|_| Error::ReadElfHeader)?;
            (
                (
                    u16::from_le(raw.e_type),
                    u16::from_le(raw.e_machine),
                    u64::from(u32::from_le(raw.e_entry)),
                    u64::from(u32::from_le(raw.e_phoff)),
                    u16::from_le(raw.e_phentsize),
                    u16::from_le(raw.e_phnum),
                ),
                (
                    g.e_type,
                    g.e_machine,
                    u64::from(g.e_entry),
                    u64::from(g.e_phoff),
                    g.e_phentsize,
                    g.e_phnum,
                ),
            )
        }
    };
    if ours != theirs {
        return Err(Error::ParserMismatch { what: "header" });
    }
    let (e_type, e_machine, entry, phoff, phentsize, phnum): HeaderFields = ours;

    if e_type != ET_EXEC && e_type != ET_DYN {
        return Err(Error::UnsupportedType { e_type });
    }
    let machine = match (class, e_machine) {
        (Class::Elf64, EM_X86_64) => Machine::X86_64,
        (Class::Elf32, EM_386) => Machine::I386,
        _ => {
            return Err(Error::UnsupportedMachine {
                machine: e_machine,
                class,
            });
        }
    };
    if phentsize != class.phdr_size() {
        return Err(Error::InvalidProgramHeaderSize);
    }
    if phnum > MAX_PROGRAM_HEADERS {
        return Err(Error::TooManyProgramHeaders {
            count: phnum,
            max: MAX_PROGRAM_HEADERS,
        });
    }
    let header = Header {
        class,
        machine,
        e_type,
        entry,
        phoff,
        phentsize,
        phnum,
    };
    let ehsize = u64::try_from(class.ehdr_size()).map_err(|_| Error::InvalidProgramHeaderOffset)?;
    if phoff < ehsize || phoff.checked_add(header.phdrs_size()).is_none() {
        return Err(Error::InvalidProgramHeaderOffset);
    }
    Ok(header)
}

/// Parses the program header table: `bytes` holds the table itself (the
/// `e_phnum * e_phentsize` bytes at `e_phoff`); extra bytes after it are ignored.
///
/// Fails with [`Error::ReadProgramHeader`] when `bytes` is shorter than the table. Field values
/// are not judged here; [`crate::plan()`] does that.
pub fn parse_phdrs(header: &Header, bytes: &[u8]) -> Result<Vec<ProgramHeader>> {
    let size = usize::try_from(header.phdrs_size()).map_err(|_| Error::ReadProgramHeader)?;
    let table = bytes.get(..size).ok_or(Error::ReadProgramHeader)?;
    let count = usize::from(header.phnum);
    let entsize = usize::from(header.phentsize);

    let container = match header.class {
        Class::Elf32 => Container::Little,
        Class::Elf64 => Container::Big,
    };
    let theirs =
        goblin::elf::ProgramHeader::parse(table, 0, count, Ctx::new(container, Endian::Little))
            .map_err(|_| Error::ReadProgramHeader)?;

    let mut phdrs = Vec::with_capacity(count);
    for chunk in table.chunks_exact(entsize) {
        let ph = match header.class {
            Class::Elf64 => {
                let raw =
                    Elf64_Phdr::read_from_bytes(chunk).map_err(|_| Error::ReadProgramHeader)?;
                ProgramHeader {
                    p_type: u32::from_le(raw.p_type),
                    p_flags: u32::from_le(raw.p_flags),
                    p_offset: u64::from_le(raw.p_offset),
                    p_vaddr: u64::from_le(raw.p_vaddr),
                    p_paddr: u64::from_le(raw.p_paddr),
                    p_filesz: u64::from_le(raw.p_filesz),
                    p_memsz: u64::from_le(raw.p_memsz),
                    p_align: u64::from_le(raw.p_align),
                }
            }
            Class::Elf32 => {
                let raw =
                    Elf32_Phdr::read_from_bytes(chunk).map_err(|_| Error::ReadProgramHeader)?;
                ProgramHeader {
                    p_type: u32::from_le(raw.p_type),
                    p_flags: u32::from_le(raw.p_flags),
                    p_offset: u64::from(u32::from_le(raw.p_offset)),
                    p_vaddr: u64::from(u32::from_le(raw.p_vaddr)),
                    p_paddr: u64::from(u32::from_le(raw.p_paddr)),
                    p_filesz: u64::from(u32::from_le(raw.p_filesz)),
                    p_memsz: u64::from(u32::from_le(raw.p_memsz)),
                    p_align: u64::from(u32::from_le(raw.p_align)),
                }
            }
        };
        phdrs.push(ph);
    }

    let agree = theirs.len() == phdrs.len()
        && theirs.iter().zip(&phdrs).all(|(g, o)| {
            (
                g.p_type, g.p_flags, g.p_offset, g.p_vaddr, g.p_paddr, g.p_filesz, g.p_memsz,
                g.p_align,
            ) == (
                o.p_type, o.p_flags, o.p_offset, o.p_vaddr, o.p_paddr, o.p_filesz, o.p_memsz,
                o.p_align,
            )
        });
    if !agree {
        return Err(Error::ParserMismatch {
            what: "program header",
        });
    }
    Ok(phdrs)
}
