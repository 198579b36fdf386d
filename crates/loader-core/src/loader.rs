// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The `KernelLoader` trait and what a load reports.

use std::io::{Read, Seek};

use vm_memory::{GuestAddress, GuestMemoryBackend, GuestUsize, ReadVolatile};

use crate::range::GuestRange;

/// Where a vCPU may start the loaded kernel, per boot protocol.
///
/// A format fills in the protocols it supports; the VMM picks one and sets up the vCPU state
/// the protocol asks for (the x86 layout planner in `boot-params-x86` returns that state as data).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EntryPoints {
    /// x86 64-bit boot protocol: long mode, `%rsi` = zero page. A vmlinux's ELF entry, or a
    /// bzImage's load address + 0x200 when it sets `XLF_KERNEL_64`.
    pub linux_64: Option<GuestAddress>,
    /// x86 32-bit boot protocol: flat protected mode, `%esi` = zero page (a bzImage's load address).
    pub linux_32: Option<GuestAddress>,
    /// PVH: 32-bit protected mode, paging off, `%ebx` = `hvm_start_info` (from the
    /// `XEN_ELFNOTE_PHYS32_ENTRY` note).
    pub pvh: Option<GuestAddress>,
    /// arm64 / riscv64 `Image`: the first byte of the image (arm64: `x0` = DTB; riscv64:
    /// `a0` = hart id, `a1` = DTB).
    pub image: Option<GuestAddress>,
}

/// What a kernel load did, in upstream linux-loader's shape plus what VMMs have had to guess.
///
/// The umbrella crate's `loader::KernelLoaderResult` adds upstream's x86-specific fields
/// (`setup_header`, `pvh_boot_cap`) on top of this.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KernelLoaderResult {
    /// Upstream's `kernel_load`: the address the kernel was loaded at (the ELF entry point for a
    /// vmlinux, as upstream reports it; the load address for the other formats).
    pub kernel_load: GuestAddress,
    /// Upstream's `kernel_end`: one past the last byte the kernel occupies once running. Unlike
    /// upstream this covers BSS (ELF `p_memsz`, arm64 `image_size`).
    pub kernel_end: GuestUsize,
    /// The guest memory this load wrote: the hull of all segments, zero fill included.
    pub loaded: GuestRange,
    /// Entry points per boot protocol.
    pub entry: EntryPoints,
    /// Guest memory the kernel needs left alone until it has relocated or decompressed itself
    /// (a bzImage's `init_size`, an arm64 `image_size`); never smaller than `loaded`. Boot
    /// structures and the initrd must not be placed here.
    pub needs_free: GuestRange,
}

/// A kernel image format that can be loaded into guest memory.
///
/// Same shape as upstream linux-loader's trait (associated function, same parameters), with the
/// error type left to each format so no crate needs to know every other format's errors.
pub trait KernelLoader {
    /// The format's error type.
    type Error: std::error::Error;

    /// Loads `kernel_image` into `guest_mem`.
    ///
    /// * `kernel_offset` — where to load (formats with a fixed or preferred address treat it as
    ///   a relocation or a request; see each format's docs).
    /// * `highmem_start_address` — every byte written must lie at or above this address.
    ///
    /// On error guest memory is left exactly as it was.
    fn load<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<KernelLoaderResult, Self::Error>
    where
        F: Read + ReadVolatile + Seek;
}
