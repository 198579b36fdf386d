// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Named limits. Every number here bounds work or memory driven by untrusted input; each says why
//! it is that number.

/// Most segments one load plan may hold.
///
/// Linux vmlinux images have a handful of `PT_LOAD` segments (four on Debian's 6.1 kernels) and the
/// other formats have one; 1024 leaves room for unusual linkers while keeping validation
/// (sorting, overlap checks) trivially cheap and the plan's heap use under 64 KiB.
pub const MAX_SEGMENTS: usize = 1024;

/// Size of the bounce buffer a forward-only source uses to move bytes into guest memory.
///
/// 64 KiB amortises the per-call cost of the guest-memory write while keeping a load's peak heap
/// independent of the kernel's size.
pub const STREAM_CHUNK: usize = 64 * 1024;

/// Size of the zero buffer used to fill the part of a segment past its file bytes (BSS).
///
/// It lives in static memory. 16 KiB stays in the L1 data cache while it is copied, so each
/// guest-memory write streams at store bandwidth: on the 2-vCPU Xeon the benches run on, filling
/// 300–850 KiB took 13–36 µs with 16 KiB, 14–40 µs with 4 KiB and 16–42 µs with 64 KiB chunks.
pub const ZERO_CHUNK: usize = 16 * 1024;

/// Most bytes `BootParams` will accumulate for one list (sections or modules).
///
/// A PVH memory map of 128 entries is 3 KiB and an e820 table 2.5 KiB; 1 MiB is generous while
/// making sure a sparse address (an element placed far after the list start) cannot make us
/// allocate gigabytes of padding, which upstream linux-loader does.
pub const MAX_BOOT_PARAMS_LIST: usize = 1024 * 1024;
