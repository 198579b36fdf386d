// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Peak heap while a bzImage's payload is decompressed straight into guest memory
//! (`BzImage::load_vmlinux`), measured with the crate's counting allocator.
//!
//! Unlike plain loads, decompression needs codec state: flate2's 32 KiB window, two 8 MiB blocks
//! for the kernel's legacy LZ4, two 256 KiB blocks for lzop, and up to the declared window for xz
//! and zstd. Each bound below says which, and none grows with the kernel beyond it.

#![allow(missing_docs, clippy::unwrap_used, clippy::as_conversions)]

use std::fs::File;

use benches::heap;
use kernel_bzimage::{BzImage, Compression, Limits};
use test_kernels::{Kernel, require};
use vm_memory::{GuestAddress, GuestMemoryMmap};

/// Peak heap while loading `kernel`'s vmlinux, and the vmlinux size.
fn peak_during_load(kernel: Kernel) -> Option<(usize, u64)> {
    let path = require(kernel)?;
    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 256 << 20)]).unwrap();
    let mut file = File::open(path).unwrap();
    let (load, peak) = heap::measure(|| {
        BzImage::load_vmlinux(&mem, None, &mut file, None, Limits::default()).unwrap()
    });
    eprintln!(
        "{kernel:?}: {} payload, vmlinux {} bytes, peak heap {} KiB",
        load.payload.compression,
        load.payload.vmlinux_len,
        peak / 1024
    );
    Some((peak, load.payload.vmlinux_len))
}

#[test]
fn gzip_load_peak_heap_is_small() {
    // 64 KiB input buffer, flate2's state (32 KiB window), 64 KiB stream chunk, 64 KiB ELF prefix.
    if let Some((peak, len)) = peak_during_load(Kernel::BuiltX86_64BzImageGzip) {
        assert!(peak < 1 << 20, "peak {peak} for an {len}-byte vmlinux");
    }
}

#[test]
fn lz4_legacy_load_peak_heap_is_two_blocks() {
    // Debian's 53 MB vmlinux: one compressed and one decompressed 8 MiB block, plus buffers.
    if let Some((peak, len)) = peak_during_load(Kernel::DebianAmd64Bzimage) {
        assert!(peak < 17 << 20, "peak {peak} for an {len}-byte vmlinux");
        assert!((peak as u64) < len / 3);
    }
}

#[test]
fn lzo_load_peak_heap_is_two_blocks() {
    // The tiny vmlinux as `CONFIG_KERNEL_LZO` compresses it (`lzop -9`), loaded as an ELF stream:
    // 64 KiB input buffer, one compressed and one decompressed 256 KiB block, the 64 KiB stream
    // chunk and ELF prefix — under 1 MiB for a 12 MB vmlinux.
    let Some(path) = require(Kernel::BuiltX86_64Vmlinux) else {
        return;
    };
    let lzop = std::process::Command::new("lzop")
        .arg("-9")
        .stdin(File::open(&path).unwrap())
        .output();
    let compressed = match lzop {
        Ok(out) if out.status.success() => out.stdout,
        other => {
            let msg = format!("`lzop -9` is not available ({other:?}); install it (Debian lzop)");
            assert!(!test_kernels::in_ci(), "CI=true and {msg}");
            eprintln!("SKIPPED (lzop CLI): {msg}");
            return;
        }
    };
    let len = std::fs::metadata(&path).unwrap().len();
    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 256 << 20)]).unwrap();
    let ((), peak) = heap::measure(|| {
        let limits = Limits::default().with_expected_size(Some(len));
        let mut stream =
            kernel_decompress::decoder(Compression::Lzo, compressed.as_slice(), limits).unwrap();
        kernel_elf::Elf::load_from_stream(&mem, None, &mut stream, None, Some(len)).unwrap();
        std::io::copy(&mut stream, &mut std::io::sink()).unwrap();
    });
    eprintln!(
        "lzop -9 vmlinux: {len} bytes, peak heap {} KiB",
        peak / 1024
    );
    assert!(peak < 1 << 20, "peak {peak} for a {len}-byte vmlinux");
}

#[test]
fn window_codecs_peak_heap_is_bounded_by_the_window() {
    // xz and zstd keep their history window: the kernel's build declares 32 MiB (xz) and 128 MiB
    // (zstd -22 --ultra), larger than a tiny kernel, so the decoder's buffer grows with the output
    // up to min(window, vmlinux) (with Vec doubling: up to twice that), capped by
    // Limits::max_window (128 MiB) — not by the kernel size beyond it.
    //
    // Built with `zstd-libzstd` (`cargo test --all-features`), zstd's window is C libzstd's,
    // allocated through C `malloc`, which the counting allocator does not see: that case is
    // `libzstd_load_peak_rust_heap_is_small` below, and the ruzstd bound is checked by CI's
    // default-feature test step.
    let kernels: &[Kernel] = if benches::compressed::LIBZSTD {
        &[Kernel::BuiltX86_64BzImageXz]
    } else {
        &[Kernel::BuiltX86_64BzImageXz, Kernel::BuiltX86_64BzImageZstd]
    };
    for &kernel in kernels {
        if let Some((peak, len)) = peak_during_load(kernel) {
            let window = (len as usize).min(128 << 20);
            assert!(peak < 2 * window + (4 << 20), "{kernel:?}: peak {peak}");
        }
    }
}

#[test]
fn libzstd_load_peak_rust_heap_is_small() {
    // With libzstd the window lives in C `malloc`, unseen here: what is counted is only the Rust
    // side of the load (64 KiB input buffer, 64 KiB stream chunk and ELF prefix), like gzip's.
    if !benches::compressed::LIBZSTD {
        return;
    }
    if let Some((peak, len)) = peak_during_load(Kernel::BuiltX86_64BzImageZstd) {
        assert!(peak < 1 << 20, "peak {peak} for an {len}-byte vmlinux");
    }
}
