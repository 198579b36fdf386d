// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Named limits of the builders and the layout planner. Every number bounds work or memory driven
//! by a VMM's input or by a kernel header; each says why it is that number.

/// Most RAM regions one memory map may list.
///
/// VMMs describe RAM in a handful of regions (below and above the PCI hole, a few hot-plug
/// slots); 1024 leaves room for fine-grained NUMA layouts while keeping the e820 builder's
/// sort and subtraction (quadratic in the worst case) well under a millisecond.
pub const MAX_RAM_REGIONS: usize = 1024;

/// Most reserved ranges one memory map may list.
///
/// Same reasoning as [`MAX_RAM_REGIONS`]: ACPI tables, the EBDA, MMIO windows and firmware areas
/// are a few dozen at most.
pub const MAX_RESERVED_RANGES: usize = 1024;

/// Most ranges a VMM may mark as occupied by its own data (page tables, GDT, ACPI tables) for
/// the planner to avoid.
///
/// The planner checks every pair of placed ranges; 256 keeps that check trivially cheap while
/// exceeding what any VMM writes into guest memory itself.
pub const MAX_OCCUPIED_RANGES: usize = 256;

/// Most entries an e820 table may hold, zero page and `SETUP_E820_EXT` together.
///
/// Linux's own table holds `E820_MAX_ENTRIES = 128 + 3 * MAX_NUMNODES` entries and drops the
/// rest with "too many entries; ignoring"; with `CONFIG_NODES_SHIFT=10` (Debian, Fedora, the
/// largest common setting) that is 3200. A longer map would lose RAM silently in the guest.
pub const MAX_E820_ENTRIES: usize = 128 + 3 * 1024;

/// Most entries of a PVH memory map the planner produces for a Linux guest.
///
/// Linux's PVH entry (`init_pvh_bootparams`) copies `memmap_entries` entries into the 128-entry
/// `e820_table` of its own `boot_params` without a bounds check (and through a `u8` count), so a
/// longer map overflows kernel memory.
pub const MAX_PVH_MEMMAP_ENTRIES: usize = 128;

/// Most `setup_data` nodes one chain may hold.
///
/// The kernel walks the chain several times during early boot, mapping each node; real chains
/// have one to three nodes (e820 extension, DTB, RNG seed), so 64 is generous.
pub const MAX_SETUP_DATA_ENTRIES: usize = 64;

/// Largest `setup_data` node, its 16-byte header included.
///
/// Linux maps each node with `early_memremap`, which maps at most 64 pages (`NR_FIX_BTMAPS`,
/// 256 KiB) and fails beyond; a node may start anywhere in a page, so 252 KiB always fits.
pub const MAX_SETUP_DATA_NODE: usize = 252 * 1024;

/// Most bytes one `setup_data` chain may occupy, headers and alignment padding included.
///
/// The default placement puts the chain in low memory after the command line (0x20000 onwards),
/// below the EBDA at 0x9fc00: about 510 KiB. 512 KiB is that window, so a chain within budget
/// fits the default placement whenever low memory is RAM.
pub const MAX_SETUP_DATA_CHAIN: usize = 512 * 1024;

/// Longest command line (excluding the NUL) accepted when the kernel's header does not say
/// (a vmlinux, or boot protocol before 2.06 where the protocol fixes it at 255).
///
/// x86 Linux's `COMMAND_LINE_SIZE` is 2048 bytes including the NUL; bzImages since protocol
/// 2.06 report it as `cmdline_size = 2047`.
pub const DEFAULT_CMDLINE_SIZE: u32 = 2047;
