// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Named limits. Every number here bounds work or memory driven by an untrusted image; each says
//! why it is that number.

/// Bytes read from the start of an image to parse it: the 64-byte `Image` header and, for an
/// EFI-stub image, the PE/COFF headers it points to.
///
/// Linux puts the PE header right after the `Image` header (at 0x40) and its headers and section
/// table take a few hundred bytes; 4 KiB leaves room for other layouts while keeping the bytes
/// handed to goblin small and fixed. A PE header that does not end inside this window is rejected.
pub const MAX_HEADER_BYTES: usize = 4096;

/// Largest `image_size` (or file size) accepted: 1 GiB.
///
/// Debian's 6.1 arm64 kernel needs 27 MiB and `allyesconfig` kernels stay under 300 MiB; 1 GiB
/// is far above any real kernel while stopping a hostile header from making the loader zero-fill
/// gigabytes of guest memory.
pub const MAX_IMAGE_SIZE: u64 = 1 << 30;

/// Largest DTB [`load_dtb`](crate::load_dtb) accepts: 2 MiB (booting.rst), the same number as
/// [`boot_fdt::limits::MAX_DTB_SIZE`].
pub const MAX_DTB_SIZE: usize = boot_fdt::limits::MAX_DTB_SIZE;
