// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Named limits. Every number here bounds work or memory driven by an untrusted device tree; each
//! says why it is that number.

/// Largest device tree blob accepted, parsed or produced: 2 MiB.
///
/// arm64's `booting.rst` says the DTB "must not exceed 2 megabytes in size" (the kernel maps it
/// with one 2 MiB block); riscv64 follows the same rule, and upstream linux-loader's `load_dtb`
/// enforces the same number.
pub const MAX_DTB_SIZE: usize = 2 * 1024 * 1024;

/// Deepest node nesting accepted (the root is depth 1).
///
/// Real trees are under ten levels deep (QEMU's `virt` tree is three); 64 keeps the recursive
/// serializer's stack use small and bounded while leaving room for unusual bus hierarchies.
pub const MAX_DEPTH: usize = 64;

/// Most nodes one tree may hold.
///
/// QEMU's `virt` tree has about 60 nodes and large SoC trees a few thousand; 65 536 is far above
/// any real tree, and a 2 MiB blob cannot encode many more anyway (each node takes at least 8
/// bytes), so this mainly bounds the heap a hostile blob can make us allocate.
pub const MAX_NODES: usize = 65_536;

/// Most properties one tree may hold (over all nodes).
///
/// Each property takes at least 12 bytes of struct block, so a 2 MiB blob holds fewer than
/// 175 000; 262 144 is above that and bounds allocation for trees built through the API.
pub const MAX_PROPERTIES: usize = 262_144;

/// Most memory-reservation entries accepted before the terminating `(0, 0)` entry.
///
/// Firmware reserves a handful of ranges; 1024 entries are 16 KiB of blob and plenty.
pub const MAX_RESERVE_ENTRIES: usize = 1024;

/// Longest node or property name accepted, in bytes (without the terminating NUL).
///
/// The devicetree specification limits names to 31 characters plus a unit address; 256 accepts
/// long unit addresses and non-conforming but harmless trees while bounding each name.
pub const MAX_NAME_LEN: usize = 256;
