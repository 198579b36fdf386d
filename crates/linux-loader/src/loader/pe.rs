// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! arm64 / riscv64 `Image` and DTB loading: upstream's `linux_loader::loader::pe`, from
//! `kernel-pe` — available on every host, not only aarch64/riscv64 ones.

use std::io::{Read, Seek};

use vm_memory::{GuestAddress, GuestMemoryBackend, ReadVolatile};

pub use kernel_pe::{Error, PE, arm64_image_header, riscv64_image_header};

use super::{KernelLoader, KernelLoaderResult, Result};

impl KernelLoader for PE {
    /// Loads an arm64 or riscv64 `Image` at `kernel_offset + text_offset`; `kernel_end` covers
    /// the header's `image_size` (BSS included), and the BSS is zeroed.
    fn load<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<KernelLoaderResult>
    where
        F: Read + ReadVolatile + Seek,
    {
        let r = <PE as loader_core::KernelLoader>::load(
            guest_mem,
            kernel_offset,
            kernel_image,
            highmem_start_address,
        )?;
        Ok(KernelLoaderResult::from(r))
    }
}

/// Validates the DTB in `dtb_image` and writes it to `guest_addr` (8-byte aligned, within
/// guest memory, at most 2 MiB). Nothing is written unless all of that holds.
pub fn load_dtb<F, M: GuestMemoryBackend>(
    guest_mem: &M,
    guest_addr: GuestAddress,
    dtb_image: &mut F,
) -> Result<()>
where
    F: ReadVolatile + Read + Seek,
{
    Ok(kernel_pe::load_dtb(guest_mem, guest_addr, dtb_image)?)
}
