// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The crate's one audited `unsafe` bridge: `vm_memory::ByteValued` for the wire structs.
//!
//! VMMs call vm-memory's `read_obj`/`write_obj` (and `BootParams::new<T: ByteValued>`) on the boot
//! structures, so they must implement `ByteValued`, an `unsafe` trait: its contract is that any
//! byte pattern of `size_of::<T>()` bytes is a valid `T` (vm-memory builds values from guest
//! bytes and hands out `&mut [u8]` views of them), and that every byte of a `T` is initialized
//! (no padding) so it can be viewed as `&[u8]`.
//!
//! zerocopy's derives prove exactly that, at compile time, from the type definitions:
//! `FromBytes` (every bit pattern is valid), `IntoBytes` (no padding, no uninitialized bytes) and
//! `Immutable` (no `UnsafeCell`, so reading the bytes through `&T` races with nothing).
//! The `byte_valued!` macro emits each `unsafe impl` together with a compile-time call to
//! `assert_zerocopy`, so an impl cannot exist for a type that lacks those derives: removing a
//! derive, or adding a field that breaks one (a pointer, a `bool`, padding), fails the build.

#![allow(unsafe_code)]

use vm_memory::ByteValued;

use crate::bootparam::{
    apm_bios_info, boot_e820_entry, boot_params, edd_device_params, edd_info, edid_info, efi_info,
    ima_setup_data, ist_info, olpc_ofw_header, screen_info, setup_data, setup_header,
    setup_indirect, sys_desc_table,
};
use crate::start_info::{hvm_memmap_table_entry, hvm_modlist_entry, hvm_start_info};

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
        // `FromBytes` means every byte pattern of `size_of::<$ty>()` bytes is a valid value, which
        // is what `ByteValued` requires to build one from guest memory or mutate it as bytes;
        // `IntoBytes` means the type has no padding or otherwise uninitialized bytes, so viewing
        // it as `&[u8]` is sound; `Immutable` means no interior mutability behind `&$ty`.
        // `Copy + Send + Sync` (the supertraits) are checked by the same assertion.
        unsafe impl ByteValued for $ty {}
    };
}

// SAFETY (each of the following): a `#[repr(C, packed)]` kernel layout of integers and integer
// arrays only — no padding by construction, every bit pattern a valid value — proven by the
// derives `byte_valued!` asserts.
byte_valued!(boot_params);
byte_valued!(setup_header);
byte_valued!(boot_e820_entry);
byte_valued!(screen_info);
byte_valued!(olpc_ofw_header);
byte_valued!(edd_device_params);
byte_valued!(edd_info);
byte_valued!(ima_setup_data);

// SAFETY (each of the following): a `#[repr(C)]` kernel layout of integers and integer arrays
// whose fields are naturally aligned in declaration order, so it has no padding (the `IntoBytes`
// derive checks this, and bootparam.rs asserts the size), and every bit pattern is valid.
byte_valued!(setup_data);
byte_valued!(setup_indirect);
byte_valued!(apm_bios_info);
byte_valued!(ist_info);
byte_valued!(edid_info);
byte_valued!(sys_desc_table);
byte_valued!(efi_info);

// SAFETY (each of the following): a `#[repr(C)]` layout of `u32`/`u64` fields from Xen's
// start_info.h, naturally aligned in declaration order with no padding (checked by the
// `IntoBytes` derive and the size asserts in start_info.rs); every bit pattern is valid.
byte_valued!(hvm_start_info);
byte_valued!(hvm_modlist_entry);
byte_valued!(hvm_memmap_table_entry);
