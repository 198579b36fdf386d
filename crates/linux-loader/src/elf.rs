// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Raw ELF layouts and constants: upstream's top-level `linux_loader::elf`.
//!
//! Everything a kernel loader needs comes from `kernel_elf::raw` (both upstream naming schemes:
//! 0.14.0's `Elf64_Ehdr` and 0.13.2's `elf64_hdr`). linux-loader 0.14.0 also translated the rest
//! of Linux's `include/uapi/linux/elf.h` — symbols, relocations, the dynamic section, symbol
//! versioning, section flags and the core-dump note types — which no kernel load reads; those
//! are defined here so code naming them keeps compiling. Values are Linux's.

#![allow(non_camel_case_types, non_snake_case)]

pub use kernel_elf::raw::*;

/// Symbol binding of an `st_info` byte (its high nibble).
pub const fn ELF_ST_BIND(info: u8) -> u8 {
    info >> 4
}

/// Symbol type of an `st_info` byte (its low nibble).
pub const fn ELF_ST_TYPE(info: u8) -> u8 {
    info & 0xf
}

/// [`ELF_ST_BIND`] for ELF32 symbols.
pub const fn ELF32_ST_BIND(info: u8) -> u8 {
    ELF_ST_BIND(info)
}

/// [`ELF_ST_TYPE`] for ELF32 symbols.
pub const fn ELF32_ST_TYPE(info: u8) -> u8 {
    ELF_ST_TYPE(info)
}

/// [`ELF_ST_BIND`] for ELF64 symbols.
pub const fn ELF64_ST_BIND(info: u8) -> u8 {
    ELF_ST_BIND(info)
}

/// [`ELF_ST_TYPE`] for ELF64 symbols.
pub const fn ELF64_ST_TYPE(info: u8) -> u8 {
    ELF_ST_TYPE(info)
}

/// Symbol index of an ELF32 `r_info` (its upper 24 bits).
pub const fn ELF32_R_SYM(info: u32) -> u32 {
    info >> 8
}

/// Relocation type of an ELF32 `r_info` (its low byte).
pub const fn ELF32_R_TYPE(info: u32) -> u8 {
    info.to_le_bytes()[0]
}

/// Symbol index of an ELF64 `r_info` (its upper 32 bits).
pub const fn ELF64_R_SYM(info: u64) -> u32 {
    let [_, _, _, _, a, b, c, d] = info.to_le_bytes();
    u32::from_le_bytes([a, b, c, d])
}

/// Relocation type of an ELF64 `r_info` (its low 32 bits).
pub const fn ELF64_R_TYPE(info: u64) -> u32 {
    let [a, b, c, d, _, _, _, _] = info.to_le_bytes();
    u32::from_le_bytes([a, b, c, d])
}

/// ELF32 symbol table entry (`Elf32_Sym`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf32_Sym {
    /// Offset of the name in the string table.
    pub st_name: Elf32_Word,
    /// Value (usually an address).
    pub st_value: Elf32_Addr,
    /// Size of the object.
    pub st_size: Elf32_Word,
    /// Binding and type ([`ELF32_ST_BIND`], [`ELF32_ST_TYPE`]).
    pub st_info: u8,
    /// Visibility.
    pub st_other: u8,
    /// Index of the section the symbol is defined in.
    pub st_shndx: Elf32_Half,
}

/// ELF64 symbol table entry (`Elf64_Sym`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf64_Sym {
    /// Offset of the name in the string table.
    pub st_name: Elf64_Word,
    /// Binding and type ([`ELF64_ST_BIND`], [`ELF64_ST_TYPE`]).
    pub st_info: u8,
    /// Visibility.
    pub st_other: u8,
    /// Index of the section the symbol is defined in.
    pub st_shndx: Elf64_Half,
    /// Value (usually an address).
    pub st_value: Elf64_Addr,
    /// Size of the object.
    pub st_size: Elf64_Xword,
}

/// ELF32 relocation without addend (`Elf32_Rel`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf32_Rel {
    /// Where to apply the relocation.
    pub r_offset: Elf32_Addr,
    /// Symbol index and type ([`ELF32_R_SYM`], [`ELF32_R_TYPE`]).
    pub r_info: Elf32_Word,
}

/// ELF64 relocation without addend (`Elf64_Rel`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf64_Rel {
    /// Where to apply the relocation.
    pub r_offset: Elf64_Addr,
    /// Symbol index and type ([`ELF64_R_SYM`], [`ELF64_R_TYPE`]).
    pub r_info: Elf64_Xword,
}

/// ELF32 relocation with addend (`Elf32_Rela`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf32_Rela {
    /// Where to apply the relocation.
    pub r_offset: Elf32_Addr,
    /// Symbol index and type ([`ELF32_R_SYM`], [`ELF32_R_TYPE`]).
    pub r_info: Elf32_Word,
    /// Constant addend.
    pub r_addend: Elf32_Sword,
}

/// ELF64 relocation with addend (`Elf64_Rela`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf64_Rela {
    /// Where to apply the relocation.
    pub r_offset: Elf64_Addr,
    /// Symbol index and type ([`ELF64_R_SYM`], [`ELF64_R_TYPE`]).
    pub r_info: Elf64_Xword,
    /// Constant addend.
    pub r_addend: Elf64_Sxword,
}

/// The value of an ELF32 dynamic-section entry (C's anonymous `d_un` union).
#[repr(C)]
#[derive(Copy, Clone)]
pub union Elf32_Dyn_d_un {
    /// Integer value.
    pub d_val: Elf32_Sword,
    /// Address value.
    pub d_ptr: Elf32_Addr,
}

/// ELF32 dynamic-section entry (`Elf32_Dyn`).
#[repr(C)]
#[derive(Copy, Clone)]
pub struct Elf32_Dyn {
    /// Entry kind (`DT_*`).
    pub d_tag: Elf32_Sword,
    /// Entry value.
    pub d_un: Elf32_Dyn_d_un,
}

/// The value of an ELF64 dynamic-section entry (C's anonymous `d_un` union).
#[repr(C)]
#[derive(Copy, Clone)]
pub union Elf64_Dyn_d_un {
    /// Integer value.
    pub d_val: Elf64_Xword,
    /// Address value.
    pub d_ptr: Elf64_Addr,
}

/// ELF64 dynamic-section entry (`Elf64_Dyn`).
#[repr(C)]
#[derive(Copy, Clone)]
pub struct Elf64_Dyn {
    /// Entry kind (`DT_*`).
    pub d_tag: Elf64_Sxword,
    /// Entry value.
    pub d_un: Elf64_Dyn_d_un,
}

/// ELF32 version definition (`Elf32_Verdef`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf32_Verdef {
    /// Structure version.
    pub vd_version: Elf32_Half,
    /// Flags (`VER_FLG_*`).
    pub vd_flags: Elf32_Half,
    /// Version index.
    pub vd_ndx: Elf32_Half,
    /// Number of associated `Elf32_Verdaux` entries.
    pub vd_cnt: Elf32_Half,
    /// Hash of the version name.
    pub vd_hash: Elf32_Word,
    /// Offset to the first `Elf32_Verdaux`.
    pub vd_aux: Elf32_Word,
    /// Offset to the next `Elf32_Verdef`.
    pub vd_next: Elf32_Word,
}

/// ELF64 version definition (`Elf64_Verdef`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf64_Verdef {
    /// Structure version.
    pub vd_version: Elf64_Half,
    /// Flags (`VER_FLG_*`).
    pub vd_flags: Elf64_Half,
    /// Version index.
    pub vd_ndx: Elf64_Half,
    /// Number of associated `Elf64_Verdaux` entries.
    pub vd_cnt: Elf64_Half,
    /// Hash of the version name.
    pub vd_hash: Elf64_Word,
    /// Offset to the first `Elf64_Verdaux`.
    pub vd_aux: Elf64_Word,
    /// Offset to the next `Elf64_Verdef`.
    pub vd_next: Elf64_Word,
}

/// ELF32 version definition name (`Elf32_Verdaux`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf32_Verdaux {
    /// Offset of the name in the string table.
    pub vda_name: Elf32_Word,
    /// Offset to the next `Elf32_Verdaux`.
    pub vda_next: Elf32_Word,
}

/// ELF64 version definition name (`Elf64_Verdaux`).
#[repr(C)]
#[derive(Debug, Default, Copy, Clone, PartialEq, Eq)]
pub struct Elf64_Verdaux {
    /// Offset of the name in the string table.
    pub vda_name: Elf64_Word,
    /// Offset to the next `Elf64_Verdaux`.
    pub vda_next: Elf64_Word,
}

// Sizes from the ELF specification.
const _: () = assert!(size_of::<Elf32_Sym>() == 16 && size_of::<Elf64_Sym>() == 24);
const _: () = assert!(size_of::<Elf32_Rel>() == 8 && size_of::<Elf64_Rel>() == 16);
const _: () = assert!(size_of::<Elf32_Rela>() == 12 && size_of::<Elf64_Rela>() == 24);
const _: () = assert!(size_of::<Elf32_Dyn>() == 8 && size_of::<Elf64_Dyn>() == 16);
const _: () = assert!(size_of::<Elf32_Verdef>() == 20 && size_of::<Elf64_Verdef>() == 20);
const _: () = assert!(size_of::<Elf32_Verdaux>() == 8 && size_of::<Elf64_Verdaux>() == 8);

/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_NULL`.
pub const DT_NULL: i64 = 0;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_NEEDED`.
pub const DT_NEEDED: i64 = 1;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_PLTRELSZ`.
pub const DT_PLTRELSZ: i64 = 2;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_PLTGOT`.
pub const DT_PLTGOT: i64 = 3;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_HASH`.
pub const DT_HASH: i64 = 4;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_STRTAB`.
pub const DT_STRTAB: i64 = 5;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_SYMTAB`.
pub const DT_SYMTAB: i64 = 6;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_RELA`.
pub const DT_RELA: i64 = 7;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_RELASZ`.
pub const DT_RELASZ: i64 = 8;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_RELAENT`.
pub const DT_RELAENT: i64 = 9;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_STRSZ`.
pub const DT_STRSZ: i64 = 10;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_SYMENT`.
pub const DT_SYMENT: i64 = 11;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_INIT`.
pub const DT_INIT: i64 = 12;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_FINI`.
pub const DT_FINI: i64 = 13;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_SONAME`.
pub const DT_SONAME: i64 = 14;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_RPATH`.
pub const DT_RPATH: i64 = 15;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_SYMBOLIC`.
pub const DT_SYMBOLIC: i64 = 16;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_REL`.
pub const DT_REL: i64 = 17;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_RELSZ`.
pub const DT_RELSZ: i64 = 18;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_RELENT`.
pub const DT_RELENT: i64 = 19;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_PLTREL`.
pub const DT_PLTREL: i64 = 20;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_DEBUG`.
pub const DT_DEBUG: i64 = 21;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_TEXTREL`.
pub const DT_TEXTREL: i64 = 22;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_JMPREL`.
pub const DT_JMPREL: i64 = 23;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_ENCODING`.
pub const DT_ENCODING: i64 = 32;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_LOOS`.
pub const DT_LOOS: i64 = 0x6000000d;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_HIOS`.
pub const DT_HIOS: i64 = 0x6ffff000;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_VALRNGLO`.
pub const DT_VALRNGLO: i64 = 0x6ffffd00;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_VALRNGHI`.
pub const DT_VALRNGHI: i64 = 0x6ffffdff;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_ADDRRNGLO`.
pub const DT_ADDRRNGLO: i64 = 0x6ffffe00;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_GNU_HASH`.
pub const DT_GNU_HASH: i64 = 0x6ffffef5;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_ADDRRNGHI`.
pub const DT_ADDRRNGHI: i64 = 0x6ffffeff;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_VERSYM`.
pub const DT_VERSYM: i64 = 0x6ffffff0;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_RELACOUNT`.
pub const DT_RELACOUNT: i64 = 0x6ffffff9;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_RELCOUNT`.
pub const DT_RELCOUNT: i64 = 0x6ffffffa;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_FLAGS_1`.
pub const DT_FLAGS_1: i64 = 0x6ffffffb;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_VERDEF`.
pub const DT_VERDEF: i64 = 0x6ffffffc;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_VERDEFNUM`.
pub const DT_VERDEFNUM: i64 = 0x6ffffffd;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_VERNEED`.
pub const DT_VERNEED: i64 = 0x6ffffffe;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_VERNEEDNUM`.
pub const DT_VERNEEDNUM: i64 = 0x6fffffff;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_LOPROC`.
pub const DT_LOPROC: i64 = 0x70000000;
/// Dynamic-section tag (`Elf*_Dyn::d_tag`): `DT_HIPROC`.
pub const DT_HIPROC: i64 = 0x7fffffff;
/// Dynamic-section tag range bound (pre-`DT_LOOS` numbering): `OLD_DT_LOOS`.
pub const OLD_DT_LOOS: i64 = 0x60000000;
/// Dynamic-section tag range bound (pre-`DT_LOOS` numbering): `OLD_DT_HIOS`.
pub const OLD_DT_HIOS: i64 = 0x6fffffff;
/// Section flag (`sh_flags`): `SHF_WRITE`.
pub const SHF_WRITE: u64 = 0x1;
/// Section flag (`sh_flags`): `SHF_ALLOC`.
pub const SHF_ALLOC: u64 = 0x2;
/// Section flag (`sh_flags`): `SHF_EXECINSTR`.
pub const SHF_EXECINSTR: u64 = 0x4;
/// Section flag (`sh_flags`): `SHF_MERGE`.
pub const SHF_MERGE: u64 = 0x10;
/// Section flag (`sh_flags`): `SHF_STRINGS`.
pub const SHF_STRINGS: u64 = 0x20;
/// Section flag (`sh_flags`): `SHF_INFO_LINK`.
pub const SHF_INFO_LINK: u64 = 0x40;
/// Section flag (`sh_flags`): `SHF_LINK_ORDER`.
pub const SHF_LINK_ORDER: u64 = 0x80;
/// Section flag (`sh_flags`): `SHF_OS_NONCONFORMING`.
pub const SHF_OS_NONCONFORMING: u64 = 0x100;
/// Section flag (`sh_flags`): `SHF_GROUP`.
pub const SHF_GROUP: u64 = 0x200;
/// Section flag (`sh_flags`): `SHF_TLS`.
pub const SHF_TLS: u64 = 0x400;
/// Section flag (`sh_flags`): `SHF_RELA_LIVEPATCH`.
pub const SHF_RELA_LIVEPATCH: u64 = 0x00100000;
/// Section flag (`sh_flags`): `SHF_RO_AFTER_INIT`.
pub const SHF_RO_AFTER_INIT: u64 = 0x00200000;
/// Section flag (`sh_flags`): `SHF_ORDERED`.
pub const SHF_ORDERED: u64 = 0x04000000;
/// Section flag (`sh_flags`): `SHF_EXCLUDE`.
pub const SHF_EXCLUDE: u64 = 0x08000000;
/// Section flag (`sh_flags`): `SHF_MASKOS`.
pub const SHF_MASKOS: u64 = 0x0ff00000;
/// Section flag (`sh_flags`): `SHF_MASKPROC`.
pub const SHF_MASKPROC: u64 = 0xf0000000;
/// Symbol binding (high nibble of `st_info`): `STB_LOCAL`.
pub const STB_LOCAL: u8 = 0;
/// Symbol binding (high nibble of `st_info`): `STB_GLOBAL`.
pub const STB_GLOBAL: u8 = 1;
/// Symbol binding (high nibble of `st_info`): `STB_WEAK`.
pub const STB_WEAK: u8 = 2;
/// Symbol index: `STN_UNDEF`.
pub const STN_UNDEF: u32 = 0;
/// Symbol type (low nibble of `st_info`): `STT_NOTYPE`.
pub const STT_NOTYPE: u8 = 0;
/// Symbol type (low nibble of `st_info`): `STT_OBJECT`.
pub const STT_OBJECT: u8 = 1;
/// Symbol type (low nibble of `st_info`): `STT_FUNC`.
pub const STT_FUNC: u8 = 2;
/// Symbol type (low nibble of `st_info`): `STT_SECTION`.
pub const STT_SECTION: u8 = 3;
/// Symbol type (low nibble of `st_info`): `STT_FILE`.
pub const STT_FILE: u8 = 4;
/// Symbol type (low nibble of `st_info`): `STT_COMMON`.
pub const STT_COMMON: u8 = 5;
/// Symbol type (low nibble of `st_info`): `STT_TLS`.
pub const STT_TLS: u8 = 6;
/// Version definition flag (`vd_flags`): `VER_FLG_BASE`.
pub const VER_FLG_BASE: u16 = 0x1;
/// Version definition flag (`vd_flags`): `VER_FLG_WEAK`.
pub const VER_FLG_WEAK: u16 = 0x2;
/// GNU property (`NT_GNU_PROPERTY_TYPE_0` note): `GNU_PROPERTY_AARCH64_FEATURE_1_AND`.
pub const GNU_PROPERTY_AARCH64_FEATURE_1_AND: u32 = 0xc0000000;
/// GNU property (`NT_GNU_PROPERTY_TYPE_0` note): `GNU_PROPERTY_AARCH64_FEATURE_1_BTI`.
pub const GNU_PROPERTY_AARCH64_FEATURE_1_BTI: u32 = 1 << 0;
/// Note type (`n_type`): `NT_GNU_PROPERTY_TYPE_0`.
pub const NT_GNU_PROPERTY_TYPE_0: u32 = 5;
/// Note type (`n_type`): `NT_PRSTATUS`.
pub const NT_PRSTATUS: u32 = 1;
/// Note type (`n_type`): `NT_PRFPREG`.
pub const NT_PRFPREG: u32 = 2;
/// Note type (`n_type`): `NT_PRPSINFO`.
pub const NT_PRPSINFO: u32 = 3;
/// Note type (`n_type`): `NT_TASKSTRUCT`.
pub const NT_TASKSTRUCT: u32 = 4;
/// Note type (`n_type`): `NT_AUXV`.
pub const NT_AUXV: u32 = 6;
/// Note type (`n_type`): `NT_SIGINFO`.
pub const NT_SIGINFO: u32 = 0x53494749;
/// Note type (`n_type`): `NT_FILE`.
pub const NT_FILE: u32 = 0x46494c45;
/// Note type (`n_type`): `NT_PRXFPREG`.
pub const NT_PRXFPREG: u32 = 0x46e62b7f;
/// Note type (`n_type`): `NT_PPC_VMX`.
pub const NT_PPC_VMX: u32 = 0x100;
/// Note type (`n_type`): `NT_PPC_SPE`.
pub const NT_PPC_SPE: u32 = 0x101;
/// Note type (`n_type`): `NT_PPC_VSX`.
pub const NT_PPC_VSX: u32 = 0x102;
/// Note type (`n_type`): `NT_PPC_TAR`.
pub const NT_PPC_TAR: u32 = 0x103;
/// Note type (`n_type`): `NT_PPC_PPR`.
pub const NT_PPC_PPR: u32 = 0x104;
/// Note type (`n_type`): `NT_PPC_DSCR`.
pub const NT_PPC_DSCR: u32 = 0x105;
/// Note type (`n_type`): `NT_PPC_EBB`.
pub const NT_PPC_EBB: u32 = 0x106;
/// Note type (`n_type`): `NT_PPC_PMU`.
pub const NT_PPC_PMU: u32 = 0x107;
/// Note type (`n_type`): `NT_PPC_TM_CGPR`.
pub const NT_PPC_TM_CGPR: u32 = 0x108;
/// Note type (`n_type`): `NT_PPC_TM_CFPR`.
pub const NT_PPC_TM_CFPR: u32 = 0x109;
/// Note type (`n_type`): `NT_PPC_TM_CVMX`.
pub const NT_PPC_TM_CVMX: u32 = 0x10a;
/// Note type (`n_type`): `NT_PPC_TM_CVSX`.
pub const NT_PPC_TM_CVSX: u32 = 0x10b;
/// Note type (`n_type`): `NT_PPC_TM_SPR`.
pub const NT_PPC_TM_SPR: u32 = 0x10c;
/// Note type (`n_type`): `NT_PPC_TM_CTAR`.
pub const NT_PPC_TM_CTAR: u32 = 0x10d;
/// Note type (`n_type`): `NT_PPC_TM_CPPR`.
pub const NT_PPC_TM_CPPR: u32 = 0x10e;
/// Note type (`n_type`): `NT_PPC_TM_CDSCR`.
pub const NT_PPC_TM_CDSCR: u32 = 0x10f;
/// Note type (`n_type`): `NT_PPC_PKEY`.
pub const NT_PPC_PKEY: u32 = 0x110;
/// Note type (`n_type`): `NT_PPC_DEXCR`.
pub const NT_PPC_DEXCR: u32 = 0x111;
/// Note type (`n_type`): `NT_PPC_HASHKEYR`.
pub const NT_PPC_HASHKEYR: u32 = 0x112;
/// Note type (`n_type`): `NT_386_TLS`.
pub const NT_386_TLS: u32 = 0x200;
/// Note type (`n_type`): `NT_386_IOPERM`.
pub const NT_386_IOPERM: u32 = 0x201;
/// Note type (`n_type`): `NT_X86_XSTATE`.
pub const NT_X86_XSTATE: u32 = 0x202;
/// Note type (`n_type`): `NT_X86_SHSTK`.
pub const NT_X86_SHSTK: u32 = 0x204;
/// Note type (`n_type`): `NT_X86_XSAVE_LAYOUT`.
pub const NT_X86_XSAVE_LAYOUT: u32 = 0x205;
/// Note type (`n_type`): `NT_S390_HIGH_GPRS`.
pub const NT_S390_HIGH_GPRS: u32 = 0x300;
/// Note type (`n_type`): `NT_S390_TIMER`.
pub const NT_S390_TIMER: u32 = 0x301;
/// Note type (`n_type`): `NT_S390_TODCMP`.
pub const NT_S390_TODCMP: u32 = 0x302;
/// Note type (`n_type`): `NT_S390_TODPREG`.
pub const NT_S390_TODPREG: u32 = 0x303;
/// Note type (`n_type`): `NT_S390_CTRS`.
pub const NT_S390_CTRS: u32 = 0x304;
/// Note type (`n_type`): `NT_S390_PREFIX`.
pub const NT_S390_PREFIX: u32 = 0x305;
/// Note type (`n_type`): `NT_S390_LAST_BREAK`.
pub const NT_S390_LAST_BREAK: u32 = 0x306;
/// Note type (`n_type`): `NT_S390_SYSTEM_CALL`.
pub const NT_S390_SYSTEM_CALL: u32 = 0x307;
/// Note type (`n_type`): `NT_S390_TDB`.
pub const NT_S390_TDB: u32 = 0x308;
/// Note type (`n_type`): `NT_S390_VXRS_LOW`.
pub const NT_S390_VXRS_LOW: u32 = 0x309;
/// Note type (`n_type`): `NT_S390_VXRS_HIGH`.
pub const NT_S390_VXRS_HIGH: u32 = 0x30a;
/// Note type (`n_type`): `NT_S390_GS_CB`.
pub const NT_S390_GS_CB: u32 = 0x30b;
/// Note type (`n_type`): `NT_S390_GS_BC`.
pub const NT_S390_GS_BC: u32 = 0x30c;
/// Note type (`n_type`): `NT_S390_RI_CB`.
pub const NT_S390_RI_CB: u32 = 0x30d;
/// Note type (`n_type`): `NT_S390_PV_CPU_DATA`.
pub const NT_S390_PV_CPU_DATA: u32 = 0x30e;
/// Note type (`n_type`): `NT_ARM_VFP`.
pub const NT_ARM_VFP: u32 = 0x400;
/// Note type (`n_type`): `NT_ARM_TLS`.
pub const NT_ARM_TLS: u32 = 0x401;
/// Note type (`n_type`): `NT_ARM_HW_BREAK`.
pub const NT_ARM_HW_BREAK: u32 = 0x402;
/// Note type (`n_type`): `NT_ARM_HW_WATCH`.
pub const NT_ARM_HW_WATCH: u32 = 0x403;
/// Note type (`n_type`): `NT_ARM_SYSTEM_CALL`.
pub const NT_ARM_SYSTEM_CALL: u32 = 0x404;
/// Note type (`n_type`): `NT_ARM_SVE`.
pub const NT_ARM_SVE: u32 = 0x405;
/// Note type (`n_type`): `NT_ARM_PAC_MASK`.
pub const NT_ARM_PAC_MASK: u32 = 0x406;
/// Note type (`n_type`): `NT_ARM_PACA_KEYS`.
pub const NT_ARM_PACA_KEYS: u32 = 0x407;
/// Note type (`n_type`): `NT_ARM_PACG_KEYS`.
pub const NT_ARM_PACG_KEYS: u32 = 0x408;
/// Note type (`n_type`): `NT_ARM_TAGGED_ADDR_CTRL`.
pub const NT_ARM_TAGGED_ADDR_CTRL: u32 = 0x409;
/// Note type (`n_type`): `NT_ARM_PAC_ENABLED_KEYS`.
pub const NT_ARM_PAC_ENABLED_KEYS: u32 = 0x40a;
/// Note type (`n_type`): `NT_ARM_SSVE`.
pub const NT_ARM_SSVE: u32 = 0x40b;
/// Note type (`n_type`): `NT_ARM_ZA`.
pub const NT_ARM_ZA: u32 = 0x40c;
/// Note type (`n_type`): `NT_ARM_ZT`.
pub const NT_ARM_ZT: u32 = 0x40d;
/// Note type (`n_type`): `NT_ARM_FPMR`.
pub const NT_ARM_FPMR: u32 = 0x40e;
/// Note type (`n_type`): `NT_ARM_POE`.
pub const NT_ARM_POE: u32 = 0x40f;
/// Note type (`n_type`): `NT_ARM_GCS`.
pub const NT_ARM_GCS: u32 = 0x410;
/// Note type (`n_type`): `NT_ARC_V2`.
pub const NT_ARC_V2: u32 = 0x600;
/// Note type (`n_type`): `NT_VMCOREDD`.
pub const NT_VMCOREDD: u32 = 0x700;
/// Note type (`n_type`): `NT_MIPS_DSP`.
pub const NT_MIPS_DSP: u32 = 0x800;
/// Note type (`n_type`): `NT_MIPS_FP_MODE`.
pub const NT_MIPS_FP_MODE: u32 = 0x801;
/// Note type (`n_type`): `NT_MIPS_MSA`.
pub const NT_MIPS_MSA: u32 = 0x802;
/// Note type (`n_type`): `NT_RISCV_CSR`.
pub const NT_RISCV_CSR: u32 = 0x900;
/// Note type (`n_type`): `NT_RISCV_VECTOR`.
pub const NT_RISCV_VECTOR: u32 = 0x901;
/// Note type (`n_type`): `NT_RISCV_TAGGED_ADDR_CTRL`.
pub const NT_RISCV_TAGGED_ADDR_CTRL: u32 = 0x902;
/// Note type (`n_type`): `NT_RISCV_USER_CFI`.
pub const NT_RISCV_USER_CFI: u32 = 0x903;
/// Note type (`n_type`): `NT_LOONGARCH_CPUCFG`.
pub const NT_LOONGARCH_CPUCFG: u32 = 0xa00;
/// Note type (`n_type`): `NT_LOONGARCH_CSR`.
pub const NT_LOONGARCH_CSR: u32 = 0xa01;
/// Note type (`n_type`): `NT_LOONGARCH_LSX`.
pub const NT_LOONGARCH_LSX: u32 = 0xa02;
/// Note type (`n_type`): `NT_LOONGARCH_LASX`.
pub const NT_LOONGARCH_LASX: u32 = 0xa03;
/// Note type (`n_type`): `NT_LOONGARCH_LBT`.
pub const NT_LOONGARCH_LBT: u32 = 0xa04;
/// Note type (`n_type`): `NT_LOONGARCH_HW_BREAK`.
pub const NT_LOONGARCH_HW_BREAK: u32 = 0xa05;
/// Note type (`n_type`): `NT_LOONGARCH_HW_WATCH`.
pub const NT_LOONGARCH_HW_WATCH: u32 = 0xa06;
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_GNU_PROPERTY_TYPE_0`.
pub const NN_GNU_PROPERTY_TYPE_0: &str = "GNU";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PRSTATUS`.
pub const NN_PRSTATUS: &str = "CORE";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PRFPREG`.
pub const NN_PRFPREG: &str = "CORE";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PRPSINFO`.
pub const NN_PRPSINFO: &str = "CORE";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_TASKSTRUCT`.
pub const NN_TASKSTRUCT: &str = "CORE";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_AUXV`.
pub const NN_AUXV: &str = "CORE";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_SIGINFO`.
pub const NN_SIGINFO: &str = "CORE";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_FILE`.
pub const NN_FILE: &str = "CORE";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PRXFPREG`.
pub const NN_PRXFPREG: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_VMX`.
pub const NN_PPC_VMX: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_SPE`.
pub const NN_PPC_SPE: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_VSX`.
pub const NN_PPC_VSX: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_TAR`.
pub const NN_PPC_TAR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_PPR`.
pub const NN_PPC_PPR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_DSCR`.
pub const NN_PPC_DSCR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_EBB`.
pub const NN_PPC_EBB: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_PMU`.
pub const NN_PPC_PMU: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_TM_CGPR`.
pub const NN_PPC_TM_CGPR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_TM_CFPR`.
pub const NN_PPC_TM_CFPR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_TM_CVMX`.
pub const NN_PPC_TM_CVMX: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_TM_CVSX`.
pub const NN_PPC_TM_CVSX: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_TM_SPR`.
pub const NN_PPC_TM_SPR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_TM_CTAR`.
pub const NN_PPC_TM_CTAR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_TM_CPPR`.
pub const NN_PPC_TM_CPPR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_TM_CDSCR`.
pub const NN_PPC_TM_CDSCR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_PKEY`.
pub const NN_PPC_PKEY: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_DEXCR`.
pub const NN_PPC_DEXCR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_PPC_HASHKEYR`.
pub const NN_PPC_HASHKEYR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_386_TLS`.
pub const NN_386_TLS: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_386_IOPERM`.
pub const NN_386_IOPERM: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_X86_XSTATE`.
pub const NN_X86_XSTATE: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_X86_SHSTK`.
pub const NN_X86_SHSTK: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_X86_XSAVE_LAYOUT`.
pub const NN_X86_XSAVE_LAYOUT: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_HIGH_GPRS`.
pub const NN_S390_HIGH_GPRS: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_TIMER`.
pub const NN_S390_TIMER: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_TODCMP`.
pub const NN_S390_TODCMP: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_TODPREG`.
pub const NN_S390_TODPREG: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_CTRS`.
pub const NN_S390_CTRS: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_PREFIX`.
pub const NN_S390_PREFIX: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_LAST_BREAK`.
pub const NN_S390_LAST_BREAK: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_SYSTEM_CALL`.
pub const NN_S390_SYSTEM_CALL: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_TDB`.
pub const NN_S390_TDB: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_VXRS_LOW`.
pub const NN_S390_VXRS_LOW: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_VXRS_HIGH`.
pub const NN_S390_VXRS_HIGH: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_GS_CB`.
pub const NN_S390_GS_CB: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_GS_BC`.
pub const NN_S390_GS_BC: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_RI_CB`.
pub const NN_S390_RI_CB: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_S390_PV_CPU_DATA`.
pub const NN_S390_PV_CPU_DATA: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_VFP`.
pub const NN_ARM_VFP: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_TLS`.
pub const NN_ARM_TLS: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_HW_BREAK`.
pub const NN_ARM_HW_BREAK: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_HW_WATCH`.
pub const NN_ARM_HW_WATCH: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_SYSTEM_CALL`.
pub const NN_ARM_SYSTEM_CALL: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_SVE`.
pub const NN_ARM_SVE: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_PAC_MASK`.
pub const NN_ARM_PAC_MASK: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_PACA_KEYS`.
pub const NN_ARM_PACA_KEYS: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_PACG_KEYS`.
pub const NN_ARM_PACG_KEYS: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_TAGGED_ADDR_CTRL`.
pub const NN_ARM_TAGGED_ADDR_CTRL: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_PAC_ENABLED_KEYS`.
pub const NN_ARM_PAC_ENABLED_KEYS: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_SSVE`.
pub const NN_ARM_SSVE: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_ZA`.
pub const NN_ARM_ZA: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_ZT`.
pub const NN_ARM_ZT: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_FPMR`.
pub const NN_ARM_FPMR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_POE`.
pub const NN_ARM_POE: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARM_GCS`.
pub const NN_ARM_GCS: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_ARC_V2`.
pub const NN_ARC_V2: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_VMCOREDD`.
pub const NN_VMCOREDD: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_MIPS_DSP`.
pub const NN_MIPS_DSP: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_MIPS_FP_MODE`.
pub const NN_MIPS_FP_MODE: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_MIPS_MSA`.
pub const NN_MIPS_MSA: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_RISCV_CSR`.
pub const NN_RISCV_CSR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_RISCV_VECTOR`.
pub const NN_RISCV_VECTOR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_RISCV_TAGGED_ADDR_CTRL`.
pub const NN_RISCV_TAGGED_ADDR_CTRL: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_RISCV_USER_CFI`.
pub const NN_RISCV_USER_CFI: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_LOONGARCH_CPUCFG`.
pub const NN_LOONGARCH_CPUCFG: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_LOONGARCH_CSR`.
pub const NN_LOONGARCH_CSR: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_LOONGARCH_LSX`.
pub const NN_LOONGARCH_LSX: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_LOONGARCH_LASX`.
pub const NN_LOONGARCH_LASX: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_LOONGARCH_LBT`.
pub const NN_LOONGARCH_LBT: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_LOONGARCH_HW_BREAK`.
pub const NN_LOONGARCH_HW_BREAK: &str = "LINUX";
/// Note name (owner) that goes with the `NT_` type of the same suffix: `NN_LOONGARCH_HW_WATCH`.
pub const NN_LOONGARCH_HW_WATCH: &str = "LINUX";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_and_relocation_helpers_split_their_fields() {
        assert_eq!(
            (ELF_ST_BIND(0x12), ELF_ST_TYPE(0x12)),
            (STB_GLOBAL, STT_FUNC)
        );
        assert_eq!(
            (ELF64_ST_BIND(0x21), ELF32_ST_TYPE(0x21)),
            (STB_WEAK, STT_OBJECT)
        );
        assert_eq!(ELF32_R_SYM(0x0012_3405), 0x1234);
        assert_eq!(ELF32_R_TYPE(0x0012_3405), 5);
        assert_eq!(ELF64_R_SYM(0x1234_5678_0000_0009), 0x1234_5678);
        assert_eq!(ELF64_R_TYPE(0x1234_5678_0000_0009), 9);
    }

    #[test]
    fn upstream_paths_name_one_module() {
        // `loader::bootparam` and the top-level `bootparam` are the same module, and the umbrella's
        // `elf` carries kernel-elf's layouts.
        let hdr: crate::loader::bootparam::setup_header = crate::bootparam::setup_header::default();
        assert_eq!({ hdr.boot_flag }, 0);
        assert_eq!(size_of::<Elf64_Ehdr>(), 64);
        assert_eq!(crate::bootparam::APM_STATE_OFF, 3);
        assert_eq!(NN_PRSTATUS, "CORE");
    }
}
