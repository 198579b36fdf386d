// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! x86 bzImage loading: upstream's `linux_loader::loader::bzimage`, from `kernel-bzimage`.

use std::io::{Read, Seek};

use vm_memory::{GuestAddress, GuestMemoryBackend, ReadVolatile};

pub use kernel_bzimage::{BzImage, Error};

use super::{Error as LoaderError, KernelLoader, KernelLoaderResult, Result};

impl KernelLoader for BzImage {
    /// Loads a bzImage's protected-mode kernel at `kernel_offset`, or at the header's
    /// `code32_start` when `None`. `setup_header` is the image's header with `code32_start` set
    /// to the load address, ready for the zero page. A load address below
    /// `highmem_start_address` is upstream's `InvalidKernelStartAddress`.
    fn load<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<KernelLoaderResult>
    where
        F: Read + ReadVolatile + Seek,
    {
        let load = BzImage::load_detailed(
            guest_mem,
            kernel_offset,
            kernel_image,
            highmem_start_address,
        )
        .map_err(|e| match e {
            Error::BelowHighmem { .. } => LoaderError::InvalidKernelStartAddress,
            other => LoaderError::Bzimage(other),
        })?;
        Ok(KernelLoaderResult {
            setup_header: Some(load.setup_header),
            ..KernelLoaderResult::from(load.result)
        })
    }
}
