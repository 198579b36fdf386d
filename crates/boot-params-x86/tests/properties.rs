// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Property tests: for any memory map and request the planner either refuses with an error or
//! returns ranges that never overlap and stay in usable RAM; the e820 table is sorted, disjoint,
//! merged and says "RAM" exactly where RAM is not reserved.

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use boot_params_x86::bootparam::{
    BOOT_FLAG, E820_RAM, E820_RESERVED, HDRS_MAGIC, LOADED_HIGH, XLF_CAN_BE_LOADED_ABOVE_4G,
    XLF_KERNEL_64, setup_header,
};
use boot_params_x86::layout::{BootProtocol, LayoutPlanner};
use boot_params_x86::{E820Table, MemoryMap, RangeName};
use loader_core::{EntryPoints, GuestRange, KernelLoaderResult};
use proptest::prelude::*;
use vm_memory::GuestAddress;

const MIB: u64 = 1 << 20;

fn g(a: u64) -> GuestAddress {
    GuestAddress(a)
}

fn arb_range(max_start: u64, max_len: u64) -> impl Strategy<Value = (u64, u64)> {
    (0..max_start / 0x1000, 1..max_len / 0x1000).prop_map(|(s, l)| (s * 0x1000, l * 0x1000))
}

fn arb_map() -> impl Strategy<Value = MemoryMap> {
    (
        prop::collection::vec(arb_range(8 << 30, 2 << 30), 0..5),
        prop::collection::vec((arb_range(8 << 30, 64 * MIB), 2u32..6), 0..8),
        any::<bool>(),
    )
        .prop_map(|(ram, reserved, low)| {
            let mut map = MemoryMap::new();
            if low {
                // The usual PC low memory, so the default addresses have a chance.
                map = map
                    .with_ram(g(0), 0x9_fc00)
                    .with_ram(g(MIB), 256 * MIB)
                    .with_e820_reserved(g(0x9_fc00), 0x6_0400);
            }
            for (s, l) in ram {
                map = map.with_ram(g(s), l);
            }
            for ((s, l), t) in reserved {
                map = map.with_reserved(g(s), l, t);
            }
            map
        })
}

fn kernel() -> KernelLoaderResult {
    KernelLoaderResult {
        kernel_load: g(MIB),
        kernel_end: 13 * MIB,
        loaded: GuestRange::new(g(MIB), 12 * MIB),
        entry: EntryPoints {
            linux_64: Some(g(MIB + 0x200)),
            linux_32: Some(g(MIB)),
            pvh: Some(g(MIB + 0x400)),
            image: None,
        },
        needs_free: GuestRange::new(g(MIB), 32 * MIB),
    }
}

fn header(above_4g: bool) -> setup_header {
    setup_header {
        boot_flag: BOOT_FLAG,
        header: HDRS_MAGIC,
        version: 0x020f,
        loadflags: LOADED_HIGH,
        cmdline_size: 0x7ff,
        initrd_addr_max: 0x7fff_ffff,
        xloadflags: XLF_KERNEL_64
            | if above_4g {
                XLF_CAN_BE_LOADED_ABOVE_4G
            } else {
                0
            },
        ..setup_header::default()
    }
}

/// Whether `addr` is RAM and not reserved in `map`.
fn usable(map: &MemoryMap, addr: u64) -> bool {
    let in_ram = map
        .ram
        .iter()
        .any(|r| r.start.0 <= addr && addr < r.end_or_max());
    let reserved = map
        .reserved
        .iter()
        .any(|r| r.range.start.0 <= addr && addr < r.range.end_or_max());
    in_ram && !reserved
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn e820_is_sorted_disjoint_merged_and_exact(map in arb_map()) {
        let Ok(table) = E820Table::build(&map) else { return Ok(()); };
        let entries = table.entries();
        for w in entries.windows(2) {
            let (a, b) = (w[0], w[1]);
            prop_assert!(a.addr + a.size <= b.addr, "unsorted or overlapping: {a:?} {b:?}");
            prop_assert!(!(a.addr + a.size == b.addr && a.type_ == b.type_), "unmerged: {a:?} {b:?}");
        }
        // Every boundary of the input says the same as the table.
        let mut points = Vec::new();
        for r in &map.ram {
            points.extend([r.start.0, r.end_or_max(), r.end_or_max().saturating_sub(1)]);
        }
        for r in &map.reserved {
            points.extend([r.range.start.0, r.range.end_or_max(), r.range.end_or_max().saturating_sub(1)]);
        }
        for p in points {
            let in_table = entries
                .iter()
                .any(|e| e.type_ == E820_RAM && e.addr <= p && p < e.addr + e.size);
            prop_assert_eq!(in_table, usable(&map, p), "address {:#x}", p);
        }
        let types_ok = entries.iter().all(|e| {
            let t = e.type_;
            t == E820_RAM || t == E820_RESERVED || (2..6).contains(&t)
        });
        prop_assert!(types_ok);
    }

    #[test]
    fn planned_ranges_never_overlap_and_stay_in_ram(
        map in arb_map(),
        cmdline_len in 0usize..0x800,
        initrd in prop::option::of(1u64..64 * MIB),
        seed_len in 0usize..64,
        protocol in prop_oneof![Just(BootProtocol::Linux64), Just(BootProtocol::Linux32), Just(BootProtocol::Pvh)],
        above_4g in any::<bool>(),
    ) {
        let mut planner = LayoutPlanner::new(kernel(), map.clone())
            .setup_header(header(above_4g))
            .protocol(protocol)
            .cmdline(&vec![b'x'; cmdline_len])
            .occupied(GuestRange::new(g(0x9000), 0x3000));
        if let Some(size) = initrd {
            planner = planner.initrd_size(size);
        }
        if seed_len > 0 && protocol != BootProtocol::Pvh {
            planner = planner.rng_seed(&vec![7; seed_len]);
        }
        let Ok(layout) = planner.plan() else { return Ok(()); };
        let ranges = layout.ranges();
        for (i, a) in ranges.iter().enumerate() {
            for b in ranges.iter().skip(i + 1) {
                prop_assert!(!a.range.overlaps(&b.range), "{:?} overlaps {:?}", a, b);
            }
            if matches!(a.name, RangeName::Kernel | RangeName::Occupied(_)) {
                continue;
            }
            // Every byte usable: check both ends and every RAM/reserved boundary inside.
            let (start, end) = (a.range.start.0, a.range.end_or_max());
            let mut points = vec![start, end - 1];
            for r in &map.ram {
                points.extend([r.start.0, r.end_or_max()]);
            }
            for r in &map.reserved {
                points.extend([r.range.start.0, r.range.end_or_max()]);
            }
            for p in points.into_iter().filter(|&p| start <= p && p < end) {
                prop_assert!(usable(&map, p), "{:?} byte {:#x} is not usable RAM", a, p);
            }
            prop_assert!(layout.e820().contains_ram(a.range), "{:?}", a);
            let reach_4g = above_4g && protocol == BootProtocol::Linux64;
            if !reach_4g {
                prop_assert!(end <= 1 << 32, "{:?} above 4 GiB", a);
            }
        }
        if let Some(r) = layout.initrd() {
            prop_assert_eq!(r.start.0 % 0x1000, 0);
            prop_assert!(r.start.0 >= MIB);
            if !(above_4g && protocol == BootProtocol::Linux64) {
                prop_assert!(r.end_or_max() <= 0x8000_0000);
            }
        }
        for node in layout.setup_data() {
            prop_assert_eq!(node.range.start.0 % 8, 0);
        }
    }
}
