// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Raw ELF layouts and constants, under the names upstream linux-loader exports from
//! `linux_loader::elf` (its `loader_gen::x86_64::elf`).
//!
//! Both generations of upstream names resolve here: 0.14's `Elf64_Ehdr` / `Elf64_Phdr` /
//! `Elf64_Nhdr` and 0.13's bindgen names `elf64_hdr` / `elf64_phdr` / `elf64_note` name the same
//! types, so `elf::elf64_hdr { .. }` and `elf::Elf64_Ehdr::default()` both compile. Constants use
//! 0.14's types (`EI_MAG0: usize`, `ELFMAG0: u8`), which index and compare against `e_ident`
//! without casts; 0.13-style code that casts (`e_ident[EI_MAG0 as usize] != ELFMAG0 as u8`) still
//! compiles against them.
//!
//! Layouts follow `include/uapi/linux/elf.h`: `#[repr(C)]`, plain integer fields in the file's
//! field order, no padding (the zerocopy `IntoBytes` derive proves it), with a compile-time size
//! and offset assertion per struct. Field values are in the image's byte order; this crate's
//! parser reads them as little-endian. The header, program header, section header and note header
//! implement `vm_memory::ByteValued` as upstream's did (see `byte_valued.rs`).
//!
//! Omitted from upstream's list (nothing here loads or links them): the symbol, relocation,
//! dynamic-section and symbol-versioning structs (`Elf{32,64}_Sym`, `_Rel`, `_Rela`, `_Dyn`,
//! `_Dyn_d_un`, `_Verdef`, `_Verdaux`) and their constants (`DT_*`, `OLD_DT_*`, `STB_*`, `STT_*`,
//! `STN_UNDEF`, `VER_FLG_*`, the `ELF*_ST_*` / `ELF*_R_*` helper functions), section flags
//! (`SHF_*`), GNU property constants (`GNU_PROPERTY_*`) and the core-dump note names and types
//! (`NN_*`, `NT_*`).

#![allow(non_camel_case_types)]

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

// ---------------------------------------------------------------------------------------------
// Base types.
// ---------------------------------------------------------------------------------------------

/// Unsigned 8-bit integer (0.13's bindgen name for `unsigned char`).
pub type __u8 = u8;
/// Signed 8-bit integer (0.13's bindgen name).
pub type __s8 = i8;
/// Unsigned 16-bit integer (0.13's bindgen name).
pub type __u16 = u16;
/// Signed 16-bit integer (0.13's bindgen name).
pub type __s16 = i16;
/// Unsigned 32-bit integer (0.13's bindgen name).
pub type __u32 = u32;
/// Signed 32-bit integer (0.13's bindgen name).
pub type __s32 = i32;
/// Unsigned 64-bit integer (0.13's bindgen name).
pub type __u64 = u64;
/// Signed 64-bit integer (0.13's bindgen name).
pub type __s64 = i64;

/// ELF32 program address.
pub type Elf32_Addr = u32;
/// ELF32 medium integer.
pub type Elf32_Half = u16;
/// ELF32 file offset.
pub type Elf32_Off = u32;
/// ELF32 signed integer.
pub type Elf32_Sword = i32;
/// ELF32 unsigned integer.
pub type Elf32_Word = u32;
/// ELF32 symbol version index.
pub type Elf32_Versym = u16;
/// ELF64 program address.
pub type Elf64_Addr = u64;
/// ELF64 medium integer.
pub type Elf64_Half = u16;
/// ELF64 signed medium integer.
pub type Elf64_SHalf = i16;
/// ELF64 file offset.
pub type Elf64_Off = u64;
/// ELF64 signed integer.
pub type Elf64_Sword = i32;
/// ELF64 unsigned integer.
pub type Elf64_Word = u32;
/// ELF64 unsigned long integer.
pub type Elf64_Xword = u64;
/// ELF64 signed long integer.
pub type Elf64_Sxword = i64;
/// ELF64 symbol version index.
pub type Elf64_Versym = u16;

// ---------------------------------------------------------------------------------------------
// e_ident.
// ---------------------------------------------------------------------------------------------

/// Index of the first magic byte in `e_ident`.
pub const EI_MAG0: usize = 0;
/// Index of the second magic byte.
pub const EI_MAG1: usize = 1;
/// Index of the third magic byte.
pub const EI_MAG2: usize = 2;
/// Index of the fourth magic byte.
pub const EI_MAG3: usize = 3;
/// Index of the file class (32/64-bit).
pub const EI_CLASS: usize = 4;
/// Index of the data encoding (byte order).
pub const EI_DATA: usize = 5;
/// Index of the ELF version.
pub const EI_VERSION: usize = 6;
/// Index of the OS ABI.
pub const EI_OSABI: usize = 7;
/// Index of the first padding byte.
pub const EI_PAD: usize = 8;
/// Size of `e_ident`.
pub const EI_NIDENT: usize = 16;

/// First magic byte.
pub const ELFMAG0: u8 = 0x7f;
/// Second magic byte.
pub const ELFMAG1: u8 = b'E';
/// Third magic byte.
pub const ELFMAG2: u8 = b'L';
/// Fourth magic byte.
pub const ELFMAG3: u8 = b'F';
/// The four magic bytes.
pub const ELFMAG: &[u8; 4] = b"\x7fELF";
/// Length of [`ELFMAG`].
pub const SELFMAG: usize = 4;

/// Invalid class.
pub const ELFCLASSNONE: u8 = 0;
/// 32-bit objects.
pub const ELFCLASS32: u8 = 1;
/// 64-bit objects.
pub const ELFCLASS64: u8 = 2;
/// Number of classes.
pub const ELFCLASSNUM: u8 = 3;

/// Invalid data encoding.
pub const ELFDATANONE: u8 = 0;
/// Two's complement, little-endian.
pub const ELFDATA2LSB: u8 = 1;
/// Two's complement, big-endian.
pub const ELFDATA2MSB: u8 = 2;

/// Invalid ELF version.
pub const EV_NONE: u8 = 0;
/// Current ELF version.
pub const EV_CURRENT: u8 = 1;
/// Number of ELF versions.
pub const EV_NUM: u8 = 2;

/// UNIX System V ABI.
pub const ELFOSABI_NONE: u8 = 0;
/// Linux ABI.
pub const ELFOSABI_LINUX: u8 = 3;

// ---------------------------------------------------------------------------------------------
// e_type.
// ---------------------------------------------------------------------------------------------

/// No file type.
pub const ET_NONE: u16 = 0;
/// Relocatable file.
pub const ET_REL: u16 = 1;
/// Executable file.
pub const ET_EXEC: u16 = 2;
/// Shared object (also position-independent executables).
pub const ET_DYN: u16 = 3;
/// Core file.
pub const ET_CORE: u16 = 4;
/// Start of the processor-specific range.
pub const ET_LOPROC: u16 = 0xff00;
/// End of the processor-specific range.
pub const ET_HIPROC: u16 = 0xffff;

// ---------------------------------------------------------------------------------------------
// e_machine (include/uapi/linux/elf-em.h).
// ---------------------------------------------------------------------------------------------

/// No machine.
pub const EM_NONE: u16 = 0;
/// AT&T WE 32100.
pub const EM_M32: u16 = 1;
/// SPARC.
pub const EM_SPARC: u16 = 2;
/// Intel 80386 (i386 vmlinux).
pub const EM_386: u16 = 3;
/// Motorola 68000.
pub const EM_68K: u16 = 4;
/// Motorola 88000.
pub const EM_88K: u16 = 5;
/// Intel 80486 (perhaps used by some Linux distributions).
pub const EM_486: u16 = 6;
/// Intel 80860.
pub const EM_860: u16 = 7;
/// MIPS R3000 (officially big-endian only).
pub const EM_MIPS: u16 = 8;
/// MIPS R3000 little-endian.
pub const EM_MIPS_RS3_LE: u16 = 10;
/// MIPS R4000 big-endian.
pub const EM_MIPS_RS4_BE: u16 = 10;
/// HPPA.
pub const EM_PARISC: u16 = 15;
/// Sun's "v8plus".
pub const EM_SPARC32PLUS: u16 = 18;
/// PowerPC.
pub const EM_PPC: u16 = 20;
/// PowerPC64.
pub const EM_PPC64: u16 = 21;
/// Cell BE SPU.
pub const EM_SPU: u16 = 23;
/// ARM 32-bit.
pub const EM_ARM: u16 = 40;
/// SuperH.
pub const EM_SH: u16 = 42;
/// SPARC v9 64-bit.
pub const EM_SPARCV9: u16 = 43;
/// Renesas H8/300.
pub const EM_H8_300: u16 = 46;
/// HP/Intel IA-64.
pub const EM_IA_64: u16 = 50;
/// AMD x86-64 (x86_64 vmlinux).
pub const EM_X86_64: u16 = 62;
/// IBM S/390.
pub const EM_S390: u16 = 22;
/// Axis Communications 32-bit embedded processor.
pub const EM_CRIS: u16 = 76;
/// Renesas M32R.
pub const EM_M32R: u16 = 88;
/// Panasonic/MEI MN10300, AM33.
pub const EM_MN10300: u16 = 89;
/// OpenRISC 32-bit embedded processor.
pub const EM_OPENRISC: u16 = 92;
/// ARCompact processor.
pub const EM_ARCOMPACT: u16 = 93;
/// Tensilica Xtensa.
pub const EM_XTENSA: u16 = 94;
/// ADI Blackfin.
pub const EM_BLACKFIN: u16 = 106;
/// UniCore-32.
pub const EM_UNICORE: u16 = 110;
/// Altera Nios II soft-core processor.
pub const EM_ALTERA_NIOS2: u16 = 113;
/// TI C6X DSPs.
pub const EM_TI_C6000: u16 = 140;
/// QUALCOMM Hexagon.
pub const EM_HEXAGON: u16 = 164;
/// Andes Technology NDS32.
pub const EM_NDS32: u16 = 167;
/// ARM 64-bit.
pub const EM_AARCH64: u16 = 183;
/// Tilera TILEPro.
pub const EM_TILEPRO: u16 = 188;
/// Xilinx MicroBlaze.
pub const EM_MICROBLAZE: u16 = 189;
/// Tilera TILE-Gx.
pub const EM_TILEGX: u16 = 191;
/// ARCv2 cores.
pub const EM_ARCV2: u16 = 195;
/// RISC-V.
pub const EM_RISCV: u16 = 243;
/// Linux BPF, in-kernel virtual machine.
pub const EM_BPF: u16 = 247;
/// C-SKY.
pub const EM_CSKY: u16 = 252;
/// LoongArch.
pub const EM_LOONGARCH: u16 = 258;
/// Fujitsu FR-V.
pub const EM_FRV: u16 = 0x5441;
/// Alpha (interim value, used by Linux until an official one is assigned).
pub const EM_ALPHA: u16 = 0x9026;
/// Bogus old M32R magic number, used by old tools.
pub const EM_CYGNUS_M32R: u16 = 0x9041;
/// Old S/390 backend magic number.
pub const EM_S390_OLD: u16 = 0xA390;
/// Old MN10300 magic number, used by old tools.
pub const EM_CYGNUS_MN10300: u16 = 0xbeef;

// ---------------------------------------------------------------------------------------------
// Program headers.
// ---------------------------------------------------------------------------------------------

/// Unused program header entry.
pub const PT_NULL: u32 = 0;
/// Loadable segment.
pub const PT_LOAD: u32 = 1;
/// Dynamic linking information.
pub const PT_DYNAMIC: u32 = 2;
/// Program interpreter.
pub const PT_INTERP: u32 = 3;
/// Auxiliary information (ELF notes; the PVH entry note lives here).
pub const PT_NOTE: u32 = 4;
/// Reserved.
pub const PT_SHLIB: u32 = 5;
/// The program header table itself.
pub const PT_PHDR: u32 = 6;
/// Thread-local storage template.
pub const PT_TLS: u32 = 7;
/// Start of the OS-specific range.
pub const PT_LOOS: u32 = 0x6000_0000;
/// End of the OS-specific range.
pub const PT_HIOS: u32 = 0x6fff_ffff;
/// Start of the processor-specific range.
pub const PT_LOPROC: u32 = 0x7000_0000;
/// End of the processor-specific range.
pub const PT_HIPROC: u32 = 0x7fff_ffff;
/// GNU `.eh_frame_hdr` segment.
pub const PT_GNU_EH_FRAME: u32 = PT_LOOS + 0x474_e550;
/// GNU stack executability.
pub const PT_GNU_STACK: u32 = PT_LOOS + 0x474_e551;
/// GNU read-only after relocation.
pub const PT_GNU_RELRO: u32 = PT_LOOS + 0x474_e552;
/// GNU property notes.
pub const PT_GNU_PROPERTY: u32 = PT_LOOS + 0x474_e553;
/// AArch64 MTE memory tag dump.
pub const PT_AARCH64_MEMTAG_MTE: u32 = PT_LOPROC + 0x2;

/// `e_phnum` value meaning "the real count is in section header 0's `sh_info`".
pub const PN_XNUM: u16 = 0xffff;

/// Segment is readable.
pub const PF_R: u32 = 0x4;
/// Segment is writable.
pub const PF_W: u32 = 0x2;
/// Segment is executable.
pub const PF_X: u32 = 0x1;

// ---------------------------------------------------------------------------------------------
// Section headers.
// ---------------------------------------------------------------------------------------------

/// Inactive section header.
pub const SHT_NULL: u32 = 0;
/// Program-defined contents.
pub const SHT_PROGBITS: u32 = 1;
/// Symbol table.
pub const SHT_SYMTAB: u32 = 2;
/// String table.
pub const SHT_STRTAB: u32 = 3;
/// Relocations with addends.
pub const SHT_RELA: u32 = 4;
/// Symbol hash table.
pub const SHT_HASH: u32 = 5;
/// Dynamic linking information.
pub const SHT_DYNAMIC: u32 = 6;
/// Notes.
pub const SHT_NOTE: u32 = 7;
/// Occupies no file space (BSS).
pub const SHT_NOBITS: u32 = 8;
/// Relocations without addends.
pub const SHT_REL: u32 = 9;
/// Reserved.
pub const SHT_SHLIB: u32 = 10;
/// Dynamic linker symbol table.
pub const SHT_DYNSYM: u32 = 11;
/// Number of defined types.
pub const SHT_NUM: u32 = 12;
/// Start of the processor-specific range.
pub const SHT_LOPROC: u32 = 0x7000_0000;
/// End of the processor-specific range.
pub const SHT_HIPROC: u32 = 0x7fff_ffff;
/// Start of the application-specific range.
pub const SHT_LOUSER: u32 = 0x8000_0000;
/// End of the application-specific range.
pub const SHT_HIUSER: u32 = 0xffff_ffff;

/// Undefined section index.
pub const SHN_UNDEF: u16 = 0;
/// Start of reserved indices.
pub const SHN_LORESERVE: u16 = 0xff00;
/// Start of processor-specific indices.
pub const SHN_LOPROC: u16 = 0xff00;
/// End of processor-specific indices.
pub const SHN_HIPROC: u16 = 0xff1f;
/// Livepatch symbols.
pub const SHN_LIVEPATCH: u16 = 0xff20;
/// Absolute values.
pub const SHN_ABS: u16 = 0xfff1;
/// Common symbols.
pub const SHN_COMMON: u16 = 0xfff2;
/// End of reserved indices.
pub const SHN_HIRESERVE: u16 = 0xffff;

// ---------------------------------------------------------------------------------------------
// Notes.
// ---------------------------------------------------------------------------------------------

/// Xen note type carrying the 32-bit physical PVH entry point (`xen/include/public/elfnote.h`),
/// in a note named `"Xen"`. Not in upstream's raw module; added because this crate reads it.
pub const XEN_ELFNOTE_PHYS32_ENTRY: u32 = 18;

// ---------------------------------------------------------------------------------------------
// Structures.
// ---------------------------------------------------------------------------------------------

/// ELF32 file header (`struct elf32_hdr`).
#[repr(C)]
#[derive(
    Debug, Default, Copy, Clone, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct Elf32_Ehdr {
    /// Magic, class, data encoding, version, OS ABI.
    pub e_ident: [u8; EI_NIDENT],
    /// Object file type (`ET_*`).
    pub e_type: Elf32_Half,
    /// Machine (`EM_*`).
    pub e_machine: Elf32_Half,
    /// Object file version.
    pub e_version: Elf32_Word,
    /// Entry point address.
    pub e_entry: Elf32_Addr,
    /// Program header table file offset.
    pub e_phoff: Elf32_Off,
    /// Section header table file offset.
    pub e_shoff: Elf32_Off,
    /// Processor-specific flags.
    pub e_flags: Elf32_Word,
    /// This header's size in bytes.
    pub e_ehsize: Elf32_Half,
    /// Size of one program header.
    pub e_phentsize: Elf32_Half,
    /// Number of program headers.
    pub e_phnum: Elf32_Half,
    /// Size of one section header.
    pub e_shentsize: Elf32_Half,
    /// Number of section headers.
    pub e_shnum: Elf32_Half,
    /// Section header index of the section name string table.
    pub e_shstrndx: Elf32_Half,
}

/// ELF32 program header (`struct elf32_phdr`).
#[repr(C)]
#[derive(
    Debug, Default, Copy, Clone, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct Elf32_Phdr {
    /// Segment type (`PT_*`).
    pub p_type: Elf32_Word,
    /// Segment file offset.
    pub p_offset: Elf32_Off,
    /// Segment virtual address.
    pub p_vaddr: Elf32_Addr,
    /// Segment physical address.
    pub p_paddr: Elf32_Addr,
    /// Segment size in the file.
    pub p_filesz: Elf32_Word,
    /// Segment size in memory.
    pub p_memsz: Elf32_Word,
    /// Segment flags (`PF_*`).
    pub p_flags: Elf32_Word,
    /// Segment alignment.
    pub p_align: Elf32_Word,
}

/// ELF32 section header (`struct elf32_shdr`).
#[repr(C)]
#[derive(
    Debug, Default, Copy, Clone, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct Elf32_Shdr {
    /// Section name (string table index).
    pub sh_name: Elf32_Word,
    /// Section type (`SHT_*`).
    pub sh_type: Elf32_Word,
    /// Section flags.
    pub sh_flags: Elf32_Word,
    /// Section virtual address at execution.
    pub sh_addr: Elf32_Addr,
    /// Section file offset.
    pub sh_offset: Elf32_Off,
    /// Section size in bytes.
    pub sh_size: Elf32_Word,
    /// Link to another section.
    pub sh_link: Elf32_Word,
    /// Additional section information.
    pub sh_info: Elf32_Word,
    /// Section alignment.
    pub sh_addralign: Elf32_Word,
    /// Entry size if the section holds a table.
    pub sh_entsize: Elf32_Word,
}

/// ELF32 note header (`struct elf32_note`); name and descriptor follow, each padded to 4 bytes.
#[repr(C)]
#[derive(
    Debug, Default, Copy, Clone, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct Elf32_Nhdr {
    /// Name size, including the terminating NUL.
    pub n_namesz: Elf32_Word,
    /// Descriptor size.
    pub n_descsz: Elf32_Word,
    /// Note type.
    pub n_type: Elf32_Word,
}

/// ELF64 file header (`struct elf64_hdr`).
#[repr(C)]
#[derive(
    Debug, Default, Copy, Clone, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct Elf64_Ehdr {
    /// Magic, class, data encoding, version, OS ABI.
    pub e_ident: [u8; EI_NIDENT],
    /// Object file type (`ET_*`).
    pub e_type: Elf64_Half,
    /// Machine (`EM_*`).
    pub e_machine: Elf64_Half,
    /// Object file version.
    pub e_version: Elf64_Word,
    /// Entry point address.
    pub e_entry: Elf64_Addr,
    /// Program header table file offset.
    pub e_phoff: Elf64_Off,
    /// Section header table file offset.
    pub e_shoff: Elf64_Off,
    /// Processor-specific flags.
    pub e_flags: Elf64_Word,
    /// This header's size in bytes.
    pub e_ehsize: Elf64_Half,
    /// Size of one program header.
    pub e_phentsize: Elf64_Half,
    /// Number of program headers.
    pub e_phnum: Elf64_Half,
    /// Size of one section header.
    pub e_shentsize: Elf64_Half,
    /// Number of section headers.
    pub e_shnum: Elf64_Half,
    /// Section header index of the section name string table.
    pub e_shstrndx: Elf64_Half,
}

/// ELF64 program header (`struct elf64_phdr`).
#[repr(C)]
#[derive(
    Debug, Default, Copy, Clone, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct Elf64_Phdr {
    /// Segment type (`PT_*`).
    pub p_type: Elf64_Word,
    /// Segment flags (`PF_*`).
    pub p_flags: Elf64_Word,
    /// Segment file offset.
    pub p_offset: Elf64_Off,
    /// Segment virtual address.
    pub p_vaddr: Elf64_Addr,
    /// Segment physical address.
    pub p_paddr: Elf64_Addr,
    /// Segment size in the file.
    pub p_filesz: Elf64_Xword,
    /// Segment size in memory.
    pub p_memsz: Elf64_Xword,
    /// Segment alignment.
    pub p_align: Elf64_Xword,
}

/// ELF64 section header (`struct elf64_shdr`).
#[repr(C)]
#[derive(
    Debug, Default, Copy, Clone, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct Elf64_Shdr {
    /// Section name (string table index).
    pub sh_name: Elf64_Word,
    /// Section type (`SHT_*`).
    pub sh_type: Elf64_Word,
    /// Section flags.
    pub sh_flags: Elf64_Xword,
    /// Section virtual address at execution.
    pub sh_addr: Elf64_Addr,
    /// Section file offset.
    pub sh_offset: Elf64_Off,
    /// Section size in bytes.
    pub sh_size: Elf64_Xword,
    /// Link to another section.
    pub sh_link: Elf64_Word,
    /// Additional section information.
    pub sh_info: Elf64_Word,
    /// Section alignment.
    pub sh_addralign: Elf64_Xword,
    /// Entry size if the section holds a table.
    pub sh_entsize: Elf64_Xword,
}

/// ELF64 note header (`struct elf64_note`); name and descriptor follow, each padded to 4 bytes.
#[repr(C)]
#[derive(
    Debug, Default, Copy, Clone, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
pub struct Elf64_Nhdr {
    /// Name size, including the terminating NUL.
    pub n_namesz: Elf64_Word,
    /// Descriptor size.
    pub n_descsz: Elf64_Word,
    /// Note type.
    pub n_type: Elf64_Word,
}

/// The kernel's (and upstream 0.13's) name for [`Elf32_Ehdr`].
pub type elf32_hdr = Elf32_Ehdr;
/// The kernel's (and upstream 0.13's) name for [`Elf32_Phdr`].
pub type elf32_phdr = Elf32_Phdr;
/// The kernel's name for [`Elf32_Shdr`].
pub type elf32_shdr = Elf32_Shdr;
/// The kernel's name for [`Elf32_Nhdr`].
pub type elf32_note = Elf32_Nhdr;
/// Upstream 0.13's (and the kernel's) name for [`Elf64_Ehdr`].
pub type elf64_hdr = Elf64_Ehdr;
/// Upstream 0.13's (and the kernel's) name for [`Elf64_Phdr`].
pub type elf64_phdr = Elf64_Phdr;
/// The kernel's name for [`Elf64_Shdr`].
pub type elf64_shdr = Elf64_Shdr;
/// Upstream 0.13's (and the kernel's) name for [`Elf64_Nhdr`].
pub type elf64_note = Elf64_Nhdr;

// Layouts checked against include/uapi/linux/elf.h (and the sizes the ELF gABI gives).
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(size_of::<Elf32_Ehdr>() == 52);
    assert!(offset_of!(Elf32_Ehdr, e_entry) == 24);
    assert!(offset_of!(Elf32_Ehdr, e_phoff) == 28);
    assert!(offset_of!(Elf32_Ehdr, e_phentsize) == 42);
    assert!(offset_of!(Elf32_Ehdr, e_phnum) == 44);
    assert!(offset_of!(Elf32_Ehdr, e_shstrndx) == 50);
    assert!(size_of::<Elf32_Phdr>() == 32);
    assert!(offset_of!(Elf32_Phdr, p_paddr) == 12);
    assert!(offset_of!(Elf32_Phdr, p_flags) == 24);
    assert!(offset_of!(Elf32_Phdr, p_align) == 28);
    assert!(size_of::<Elf32_Shdr>() == 40);
    assert!(offset_of!(Elf32_Shdr, sh_entsize) == 36);
    assert!(size_of::<Elf32_Nhdr>() == 12);
    assert!(offset_of!(Elf32_Nhdr, n_type) == 8);
    assert!(size_of::<Elf64_Ehdr>() == 64);
    assert!(offset_of!(Elf64_Ehdr, e_type) == 16);
    assert!(offset_of!(Elf64_Ehdr, e_machine) == 18);
    assert!(offset_of!(Elf64_Ehdr, e_entry) == 24);
    assert!(offset_of!(Elf64_Ehdr, e_phoff) == 32);
    assert!(offset_of!(Elf64_Ehdr, e_flags) == 48);
    assert!(offset_of!(Elf64_Ehdr, e_phentsize) == 54);
    assert!(offset_of!(Elf64_Ehdr, e_phnum) == 56);
    assert!(offset_of!(Elf64_Ehdr, e_shstrndx) == 62);
    assert!(size_of::<Elf64_Phdr>() == 56);
    assert!(offset_of!(Elf64_Phdr, p_offset) == 8);
    assert!(offset_of!(Elf64_Phdr, p_paddr) == 24);
    assert!(offset_of!(Elf64_Phdr, p_filesz) == 32);
    assert!(offset_of!(Elf64_Phdr, p_memsz) == 40);
    assert!(offset_of!(Elf64_Phdr, p_align) == 48);
    assert!(size_of::<Elf64_Shdr>() == 64);
    assert!(offset_of!(Elf64_Shdr, sh_entsize) == 56);
    assert!(size_of::<Elf64_Nhdr>() == 12);
    assert!(offset_of!(Elf64_Nhdr, n_type) == 8);
};
