// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The crate's one audited `unsafe` bridge: `vm_memory::ByteValued` for the two `Image` headers,
//! which upstream linux-loader implements it for (VMMs `read_obj` them from guest memory).
//!
//! `ByteValued`'s contract is that any `size_of::<T>()` bytes form a valid `T` and that every
//! byte of a `T` is initialized (no padding). zerocopy's derives prove exactly that at compile
//! time: `FromBytes` (every bit pattern is valid), `IntoBytes` (no padding or uninitialized
//! bytes) and `Immutable` (no interior mutability). `loader_core::byte_valued!` emits each impl
//! next to a compile-time call that only compiles when those derives are present.

#![allow(unsafe_code)]

use crate::header::{arm64_image_header, riscv64_image_header};

// SAFETY (both): `#[repr(C)]` layouts of `u32`/`u64` fields, naturally aligned in declaration
// order (64 bytes, no padding — asserted in header.rs and by the `IntoBytes` derive).
loader_core::byte_valued!(arm64_image_header);
loader_core::byte_valued!(riscv64_image_header);
