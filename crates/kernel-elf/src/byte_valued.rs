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
//! mutability). The `byte_valued!` macro emits each `unsafe impl` together with a compile-time
//! call to `assert_zerocopy`, so an impl cannot exist for a type lacking those derives: removing
//! a derive, or adding a field that breaks one, fails the build.

#![allow(unsafe_code)]

use vm_memory::ByteValued;

use crate::raw::{
    Elf32_Ehdr, Elf32_Nhdr, Elf32_Phdr, Elf32_Shdr, Elf64_Ehdr, Elf64_Nhdr, Elf64_Phdr, Elf64_Shdr,
};

/// Compiles only for types whose zerocopy derives prove the `ByteValued` contract.
const fn assert_zerocopy<T>()
where
    T: zerocopy::FromBytes + zerocopy::IntoBytes + zerocopy::Immutable + Copy + Send + Sync,
{
}

/// Implements `ByteValued` for a type and, in the same expansion, asserts at compile time that
/// the type is `FromBytes + IntoBytes + Immutable`.
macro_rules! byte_valued {
    ($ty:ty) => {
        const _: () = assert_zerocopy::<$ty>();
        // SAFETY: the line above only compiles if `$ty: FromBytes + IntoBytes + Immutable`.
        // `FromBytes`: every byte pattern of `size_of::<$ty>()` bytes is a valid value, which is
        // what `ByteValued` needs to build one from guest memory or mutate it as bytes.
        // `IntoBytes`: no padding or otherwise uninitialized bytes, so viewing it as `&[u8]` is
        // sound. `Immutable`: no interior mutability behind `&$ty`. The supertraits
        // `Copy + Send + Sync` are checked by the same assertion.
        unsafe impl ByteValued for $ty {}
    };
}

// SAFETY (each of the following): a `#[repr(C)]` layout from include/uapi/linux/elf.h made of
// integers and a `[u8; 16]` only, naturally aligned in declaration order so it has no padding
// (the `IntoBytes` derive checks this, and raw.rs asserts size and offsets); every bit pattern
// is a valid value.
byte_valued!(Elf32_Ehdr);
byte_valued!(Elf32_Phdr);
byte_valued!(Elf32_Shdr);
byte_valued!(Elf32_Nhdr);
byte_valued!(Elf64_Ehdr);
byte_valued!(Elf64_Phdr);
byte_valued!(Elf64_Shdr);
byte_valued!(Elf64_Nhdr);
