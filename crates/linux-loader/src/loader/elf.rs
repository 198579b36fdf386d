// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! ELF vmlinux loading: upstream's `linux_loader::loader::elf`, from the `kernel-elf` crate.

use std::io::{Read, Seek};

use vm_memory::{GuestAddress, GuestMemoryBackend, ReadVolatile};

pub use boot_params_x86::start_info;
pub use kernel_elf::{Elf, Error, PvhBootCapability};

use super::{KernelLoader, KernelLoaderResult, Result};

impl KernelLoader for Elf {
    /// Loads an ELF vmlinux: every `PT_LOAD` segment at its physical address (plus
    /// `kernel_offset`), BSS zeroed. `kernel_load` is the entry point, as upstream reports it;
    /// `pvh_boot_cap` comes from the first `XEN_ELFNOTE_PHYS32_ENTRY` note of any `PT_NOTE`
    /// segment and is `PvhEntryIgnored` when an offset is given.
    fn load<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<KernelLoaderResult>
    where
        F: Read + ReadVolatile + Seek,
    {
        let load = Elf::load_detailed(
            guest_mem,
            kernel_offset,
            kernel_image,
            highmem_start_address,
        )?;
        Ok(KernelLoaderResult {
            pvh_boot_cap: load.pvh_boot_cap,
            ..KernelLoaderResult::from(load.result)
        })
    }
}
