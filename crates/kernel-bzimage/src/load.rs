// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The loader: one bounded read, the pure parse/plan steps, then the executor.

use std::io::{Read, Seek};

use boot_params_x86::bootparam::setup_header;
use loader_core::{KernelLoader, KernelLoaderResult, PlanSummary, SeekSource, read_exact_at};
use vm_memory::{GuestAddress, GuestMemoryBackend, ReadVolatile};

use crate::error::Result;
use crate::limits::MAX_KERNEL_VERSION_LEN;
use crate::parse::{BzImageInfo, Payload, kernel_version_in, kernel_version_window, parse};

/// Everything a bzImage load reports: the arch-neutral result plus what only a bzImage knows.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BzImageLoad {
    /// `kernel_load` is the load address; `kernel_end` is the load address plus the
    /// protected-mode kernel's size (what was loaded, as upstream reports it — `init_size` is
    /// not included); `entry.linux_32` is the load address and `entry.linux_64` the load
    /// address + 0x200 when the kernel sets `XLF_KERNEL_64`; `needs_free` covers the loaded
    /// kernel and `init_size` from [`runtime_start`](Self::runtime_start).
    pub result: KernelLoaderResult,
    /// Upstream's `setup_header`: the image's header with `code32_start` set to the load
    /// address. Copy it into `boot_params.hdr` before filling in the loader fields.
    pub setup_header: setup_header,
    /// Boot protocol version, e.g. `0x020f` for 2.15.
    pub protocol: u16,
    /// `init_size` (0 before protocol 2.10, which has no such field).
    pub init_size: u64,
    /// Where the kernel decompresses itself and runs.
    pub runtime_start: GuestAddress,
    /// The kernel version string, for diagnostics.
    pub kernel_version: Option<String>,
    /// Where the compressed payload is in the file (protocol 2.08+).
    pub payload: Option<Payload>,
    /// Bytes copied and the guest memory written.
    pub summary: PlanSummary,
}

/// Bytes read from the start of an image to parse it: the boot sector and the setup header, which
/// ends at 0x26c.
const HEADER_READ: usize = 0x280;

/// Whether [`read_info`] also reads the kernel version string (one more seek and read).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    Read,
    Skip,
}

/// Reads and validates a bzImage's setup header, then (with [`Version::Read`]) its kernel
/// version string: small reads (at most [`HEADER_READ`] and [`MAX_KERNEL_VERSION_LEN`] + 1
/// bytes, on the stack), not the whole setup code.
pub(crate) fn read_info<F: Read + Seek>(
    image: &mut F,
    file_len: u64,
    version: Version,
) -> Result<BzImageInfo> {
    let mut head = [0u8; HEADER_READ];
    let head_len = usize::try_from(file_len)
        .unwrap_or(usize::MAX)
        .min(HEADER_READ);
    let head = head.get_mut(..head_len).unwrap_or_default();
    read_exact_at(image, 0, head, "bzImage setup header")?;
    let mut info = parse(head, file_len)?;
    if version == Version::Read && info.kernel_version.is_none() {
        let window = kernel_version_window(&info.setup_header, info.kernel_file_offset, file_len);
        if let Some((start, end)) = window {
            let mut buf = [0u8; MAX_KERNEL_VERSION_LEN + 1];
            let len = usize::try_from(end.saturating_sub(start)).unwrap_or(usize::MAX);
            let buf = buf.get_mut(..len).unwrap_or_default();
            read_exact_at(image, start, buf, "bzImage kernel version string")?;
            info.kernel_version = kernel_version_in(buf);
        }
    }
    Ok(info)
}

/// x86 bzImage kernel loader (upstream's `linux_loader::loader::bzimage::BzImage`).
///
/// Loads the protected-mode kernel — `syssize * 16` bytes from file offset
/// `(setup_sects + 1) * 512` — at `kernel_offset`, or at the header's `code32_start` when
/// `None`. The whole header and the requested placement are validated before guest memory is
/// touched: on error guest memory is unchanged. The real-mode setup code is not loaded; a VMM
/// boots through the 32- or 64-bit entry with a zero page built from
/// [`BzImageLoad::setup_header`]. See the crate docs for the differences from upstream.
#[derive(Clone, Copy, Debug, Default)]
pub struct BzImage;

impl BzImage {
    /// Loads a bzImage and reports everything known about it.
    ///
    /// Same arguments and semantics as [`KernelLoader::load`], which returns only
    /// [`BzImageLoad::result`].
    pub fn load_detailed<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<BzImageLoad>
    where
        F: Read + ReadVolatile + Seek,
    {
        load(
            guest_mem,
            kernel_offset,
            kernel_image,
            highmem_start_address,
            Version::Read,
        )
    }
}

/// [`BzImage::load_detailed`], reading the version string or not.
fn load<F, M: GuestMemoryBackend>(
    guest_mem: &M,
    kernel_offset: Option<GuestAddress>,
    kernel_image: &mut F,
    highmem_start_address: Option<GuestAddress>,
    version: Version,
) -> Result<BzImageLoad>
where
    F: Read + ReadVolatile + Seek,
{
    // Every read below seeks first, so the position `source_end` leaves does not matter.
    let file_len = loader_core::source_end(kernel_image)?;

    let info = read_info(kernel_image, file_len, version)?;
    let planned = info.plan(kernel_offset, highmem_start_address)?;
    let summary = planned
        .plan
        .execute(guest_mem, &mut SeekSource::with_len(kernel_image, file_len))?;

    Ok(BzImageLoad {
        result: planned.result,
        setup_header: planned.setup_header,
        protocol: info.protocol,
        init_size: info.init_size,
        runtime_start: planned.runtime_start,
        kernel_version: info.kernel_version,
        payload: info.payload,
        summary,
    })
}

impl KernelLoader for BzImage {
    type Error = crate::Error;

    /// Loads a bzImage into guest memory; see [`BzImage`] and [`BzImage::load_detailed`] (this
    /// skips reading the kernel version string, which only the detailed result reports).
    ///
    /// * `kernel_offset` — the load address; `None` loads at the header's `code32_start`.
    /// * `highmem_start_address` — the load address must be at or above it.
    fn load<F, M: GuestMemoryBackend>(
        guest_mem: &M,
        kernel_offset: Option<GuestAddress>,
        kernel_image: &mut F,
        highmem_start_address: Option<GuestAddress>,
    ) -> Result<KernelLoaderResult>
    where
        F: Read + ReadVolatile + Seek,
    {
        load(
            guest_mem,
            kernel_offset,
            kernel_image,
            highmem_start_address,
            Version::Skip,
        )
        .map(|l| l.result)
    }
}
