// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The crate's one audited `unsafe` bridge: `vm_memory::ByteValued` for the two `Image` headers,
//! which upstream linux-loader implements it for (VMMs `read_obj` them from guest memory).
//!
//! `ByteValued`'s contract is that any `size_of::<T>()` bytes form a valid `T` and that every
//! byte of a `T` is initialized (no padding). zerocopy's derives prove exactly that at compile
//! time: `FromBytes` (every bit pattern is valid), `IntoBytes` (no padding or uninitialized
//! bytes) and `Immutable` (no interior mutability). `byte_valued!` emits each `unsafe impl`
//! next to a compile-time call that only compiles when those derives are present.

#![allow(unsafe_code)]

use vm_memory::ByteValued;

use crate::header::{arm64_image_header, riscv64_image_header};

/// Compiles only for types whose zerocopy derives prove the `ByteValued` contract.
const fn assert_zerocopy<T>()
where
    T: zerocopy::FromBytes + zerocopy::IntoBytes + zerocopy::Immutable + Copy + Send + Sync,
{
}

macro_rules! byte_valued {
    ($ty:ty) => {
        const _: () = assert_zerocopy::<$ty>();
        // SAFETY: the line above only compiles if `$ty: FromBytes + IntoBytes + Immutable`:
        // every byte pattern is a valid value (`FromBytes`), the type has no padding so its bytes
        // may be viewed as `&[u8]` (`IntoBytes`), and `&$ty` hides no interior mutability
        // (`Immutable`). `Copy + Send + Sync`, ByteValued's supertraits, are checked there too.
        unsafe impl ByteValued for $ty {}
    };
}

// SAFETY (both): `#[repr(C)]` layouts of `u32`/`u64` fields, naturally aligned in declaration
// order (64 bytes, no padding — asserted in header.rs and by the `IntoBytes` derive).
byte_valued!(arm64_image_header);
byte_valued!(riscv64_image_header);
