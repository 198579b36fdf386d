// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The crate's one audited `unsafe` bridge: `vm_memory::ByteValued` for the raw ELF structs.
//!
//! Upstream linux-loader implements `ByteValued` for `Elf64_Ehdr`, `Elf64_Phdr` and `Elf64_Nhdr`,
//! so VMM code may `read_obj` them from guest memory or view them as bytes; we keep that, and add
//! the ELF32 and section-header counterparts. `ByteValued` is an `unsafe` trait whose contract is
//! that every `size_of::<T>()`-byte pattern is a valid `T` and that a `T` has no uninitialized
//! (padding) bytes.
//!
//! zerocopy's derives prove exactly that, at compile time, from the type definitions:
//! `FromBytes` (every bit pattern is valid), `IntoBytes` (no padding) and `Immutable` (no interior
//! mutability). `loader_core::byte_valued!` emits each impl together with a compile-time
//! call to `assert_zerocopy`, so an impl cannot exist for a type lacking those derives: removing
//! a derive, or adding a field that breaks one, fails the build.

#![allow(unsafe_code)]

use crate::raw::{
    Elf32_Ehdr, Elf32_Nhdr, Elf32_Phdr, Elf32_Shdr, Elf64_Ehdr, Elf64_Nhdr, Elf64_Phdr, Elf64_Shdr,
};

// SAFETY (each of the following): a `#[repr(C)]` layout from include/uapi/linux/elf.h made of
// integers and a `[u8; 16]` only, naturally aligned in declaration order so it has no padding
// (the `IntoBytes` derive checks this, and raw.rs asserts size and offsets); every bit pattern
// is a valid value.
loader_core::byte_valued!(Elf32_Ehdr);
loader_core::byte_valued!(Elf32_Phdr);
loader_core::byte_valued!(Elf32_Shdr);
loader_core::byte_valued!(Elf32_Nhdr);
loader_core::byte_valued!(Elf64_Ehdr);
loader_core::byte_valued!(Elf64_Phdr);
loader_core::byte_valued!(Elf64_Shdr);
loader_core::byte_valued!(Elf64_Nhdr);
