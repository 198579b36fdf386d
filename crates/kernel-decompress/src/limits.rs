// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Named limits. Each bounds memory or work driven by an untrusted compressed stream and says
//! why it is that number.

/// Default cap on the bytes one stream may decompress to: 512 MiB.
///
/// A decompressed kernel is the vmlinux (x86, with its relocation table appended) or the `Image`
/// (arm64/riscv64). Debian's 6.1 cloud amd64 vmlinux is 53 MB and its arm64 Image 27 MB;
/// distribution "generic" kernels stay under 100 MB, and the x86_64 kernel image itself may span
/// at most `KERNEL_IMAGE_SIZE` = 1 GiB but in practice is far below it. 512 MiB is five times the
/// largest real kernel seen, yet stops a decompression bomb (gzip expands up to ~1000×, zstd
/// and xz far more) long before it exhausts a VMM's guest memory or time. Configurable through
/// [`Limits::max_decompressed`](crate::Limits::max_decompressed).
pub const MAX_DECOMPRESSED: u64 = 512 << 20;

/// Default cap on the history window (dictionary) a stream may ask the decoder to allocate:
/// 128 MiB.
///
/// Window decoders (xz, lzma, zstd) must keep the last `window` output bytes, so their memory is
/// bounded by the window the stream declares, not by the kernel's size. The kernel's own build
/// uses at most 128 MiB: `zstd -22 --ultra` declares a 2^27 window, `lzma -9` a 64 MiB dictionary
/// and `xz_wrap.sh` 32 MiB. A larger claim is refused before anything is allocated.
///
/// For zstd the claim is read from the frame header before a backend exists. ruzstd then grows
/// its buffer with the output, up to the window; libzstd (feature `zstd-libzstd`) allocates
/// the whole window at once, of which only the part the output reaches is ever touched, and is
/// also given `ZSTD_d_windowLogMax` = this limit rounded up to a power of two.
pub const MAX_WINDOW: u64 = 128 << 20;

/// Largest uncompressed block of the kernel's legacy LZ4 format: 8 MiB.
///
/// `lz4 -l` (and the kernel's own decompressor) cut the input into 8 MiB blocks; the decoder
/// holds one compressed and one decompressed block, so this bounds its buffers at about 16 MiB.
pub const LZ4_LEGACY_BLOCK: usize = 8 << 20;

/// Largest uncompressed block of an lzop stream: 256 KiB.
///
/// `lzop` cuts its input into 256 KiB blocks, and the kernel's own LZO decompressor
/// (`lib/decompress_unlzo.c`) refuses any block larger than that, so no bootable LZO kernel has
/// one. The decoder holds one compressed and one decompressed block, so this bounds its buffers
/// at 512 KiB; a larger block is [`Error::BlockTooLarge`](crate::Error::BlockTooLarge).
pub const LZO_BLOCK: usize = 256 << 10;

/// Size of the input buffer placed between the compressed reader and the decoders that read
/// a few bytes at a time: 64 KiB, the loader's stream chunk size.
pub const INPUT_BUFFER: usize = 64 * 1024;
