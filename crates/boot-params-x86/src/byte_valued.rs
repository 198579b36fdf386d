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
//! `loader_core::byte_valued!` emits each impl together with a compile-time assertion, so an impl cannot exist for a type that lacks those derives: removing a
//! derive, or adding a field that breaks one (a pointer, a `bool`, padding), fails the build.

#![allow(unsafe_code)]

use crate::bootparam::{
    apm_bios_info, boot_e820_entry, boot_params, edd_device_params, edd_info, edid_info, efi_info,
    ima_setup_data, ist_info, olpc_ofw_header, screen_info, setup_data, setup_header,
    setup_indirect, sys_desc_table,
};
use crate::start_info::{hvm_memmap_table_entry, hvm_modlist_entry, hvm_start_info};

// SAFETY (each of the following): a `#[repr(C, packed)]` kernel layout of integers and integer
// arrays only — no padding by construction, every bit pattern a valid value — proven by the
// derives `byte_valued!` asserts.
loader_core::byte_valued!(boot_params);
loader_core::byte_valued!(setup_header);
loader_core::byte_valued!(boot_e820_entry);
loader_core::byte_valued!(screen_info);
loader_core::byte_valued!(olpc_ofw_header);
loader_core::byte_valued!(edd_device_params);
loader_core::byte_valued!(edd_info);
loader_core::byte_valued!(ima_setup_data);

// SAFETY (each of the following): a `#[repr(C)]` kernel layout of integers and integer arrays
// whose fields are naturally aligned in declaration order, so it has no padding (the `IntoBytes`
// derive checks this, and bootparam.rs asserts the size), and every bit pattern is valid.
loader_core::byte_valued!(setup_data);
loader_core::byte_valued!(setup_indirect);
loader_core::byte_valued!(apm_bios_info);
loader_core::byte_valued!(ist_info);
loader_core::byte_valued!(edid_info);
loader_core::byte_valued!(sys_desc_table);
loader_core::byte_valued!(efi_info);

// SAFETY (each of the following): a `#[repr(C)]` layout of `u32`/`u64` fields from Xen's
// start_info.h, naturally aligned in declaration order with no padding (checked by the
// `IntoBytes` derive and the size asserts in start_info.rs); every bit pattern is valid.
loader_core::byte_valued!(hvm_start_info);
loader_core::byte_valued!(hvm_modlist_entry);
loader_core::byte_valued!(hvm_memmap_table_entry);
