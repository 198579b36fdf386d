// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Peak heap during a streamed bzImage → vmlinux load is bounded by the codec's own state, not by
//! the kernel's size: a counting global allocator measures it.

#![allow(
    unsafe_code, // The counting allocator: GlobalAlloc is an unsafe trait.
    clippy::unwrap_used,
    clippy::panic,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs::File;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use kernel_bzimage::{BzImage, Limits};
use test_kernels::{Kernel, require};
use vm_memory::{GuestAddress, GuestMemoryMmap};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time (tests run in threads).
static SERIAL: Mutex<()> = Mutex::new(());

/// Peak heap above the baseline while loading `kernel`'s vmlinux, and the vmlinux size.
fn peak_during_load(kernel: Kernel) -> Option<(usize, u64)> {
    let path = require(kernel)?;
    let _guard = SERIAL.lock().unwrap();
    let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 256 << 20)]).unwrap();
    let mut file = File::open(path).unwrap();
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let load = BzImage::load_vmlinux(&mem, None, &mut file, None, Limits::default()).unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - base;
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
fn window_codecs_peak_heap_is_bounded_by_the_window() {
    // xz and zstd must keep their history window: the kernel's build declares 32 MiB (xz) and
    // 128 MiB (zstd -22 --ultra), larger than a tiny kernel, so the decoder's buffer grows with
    // the output up to min(window, vmlinux) (with Vec doubling: up to twice that). The bound is
    // the window, capped by Limits::max_window (128 MiB) — not the kernel size beyond it.
    for kernel in [Kernel::BuiltX86_64BzImageXz, Kernel::BuiltX86_64BzImageZstd] {
        if let Some((peak, len)) = peak_during_load(kernel) {
            let window = (len as usize).min(128 << 20);
            assert!(peak < 2 * window + (4 << 20), "{kernel:?}: peak {peak}");
        }
    }
}
