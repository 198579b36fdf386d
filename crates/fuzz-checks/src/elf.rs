// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! ELF vmlinux: `kernel_elf::Elf` against the pure parse/plan functions.

use std::io::Cursor;

use kernel_elf::{Elf, ElfPlan, PvhBootCapability, parse_ehdr, parse_phdrs, plan};
use vm_memory::GuestAddress;

use crate::harness::{Harness, with_small};

/// The `(kernel_offset, highmem_start_address)` pairs every input is loaded with: upstream's
/// plain call, an offset that moves the fixtures' segments into the harness's hole, one that
/// keeps them in RAM, and a highmem start inside the fixtures' range.
pub const CONFIGS: &[(Option<u64>, Option<u64>)] = &[
    (None, None),
    (Some(0x10_0000), None),
    (Some(0x1_0000), Some(0x10_0000)),
    (None, Some(0x20_1000)),
];

/// The plan the pure functions make for `data`, or `None` where they (or the loader's file
/// checks in front of them) reject it.
pub fn pure_plan(data: &[u8], offset: Option<u64>, highmem: Option<u64>) -> Option<ElfPlan> {
    let header = parse_ehdr(&data[..data.len().min(64)]).ok()?;
    let start = usize::try_from(header.phoff).ok()?;
    let end = start.checked_add(usize::try_from(header.phdrs_size()).ok()?)?;
    let table = data.get(start..end)?;
    let phdrs = parse_phdrs(&header, table).ok()?;
    plan(
        &header,
        &phdrs,
        offset.map(GuestAddress),
        highmem.map(GuestAddress),
        Some(data.len() as u64),
    )
    .ok()
}

/// Loads `data` as a vmlinux with every [`CONFIGS`] pair and checks the invariants.
pub fn check_elf(data: &[u8]) {
    with_small(|h| {
        for &(offset, highmem) in CONFIGS {
            check_elf_in(h, data, offset, highmem);
            h.restore();
        }
    });
}

/// One load of `data` into `h`, checked; whether it loaded.
pub fn check_elf_in(h: &Harness, data: &[u8], offset: Option<u64>, highmem: Option<u64>) -> bool {
    let ctx = format!(
        "ELF, {} bytes, offset {offset:x?}, highmem {highmem:x?}",
        data.len()
    );
    let loaded = Elf::load_detailed(
        h.mem(),
        offset.map(GuestAddress),
        &mut Cursor::new(data),
        highmem.map(GuestAddress),
    );
    let planned = pure_plan(data, offset, highmem);
    let load = match loaded {
        Err(e) => {
            h.assert_untouched(&format_args!("{ctx}: {e}"));
            return false;
        }
        Ok(load) => load,
    };
    let p = planned.unwrap_or_else(|| panic!("{ctx}: load succeeded, the pure plan failed"));
    let segs = p.plan.segments();
    assert!(!segs.is_empty(), "{ctx}: loaded with no segment");
    assert_eq!(load.result.kernel_end, p.kernel_end, "{ctx}: kernel_end");
    assert_eq!(load.result.loaded, p.loaded, "{ctx}: loaded range");
    assert_eq!(load.result.kernel_load, p.entry, "{ctx}: kernel_load");
    assert_eq!((load.class, load.machine), (p.class, p.machine), "{ctx}");
    let hull = segs
        .iter()
        .fold(segs[0].guest_range(), |acc, s| acc.hull(&s.guest_range()));
    assert_eq!(
        hull, load.result.loaded,
        "{ctx}: loaded is not the segments' hull"
    );
    assert_eq!(
        hull.end_or_max(),
        load.result.kernel_end,
        "{ctx}: kernel_end past the hull"
    );
    for s in segs {
        if let Some(hm) = highmem {
            assert!(s.guest_addr.0 >= hm, "{ctx}: segment {s:x?} below highmem");
        }
    }
    let entry = load.result.entry.linux_64.or(load.result.entry.linux_32);
    assert_eq!(entry, Some(p.entry), "{ctx}: entry point");
    if let PvhBootCapability::PvhEntryPresent(pvh) = load.pvh_boot_cap {
        assert!(offset.is_none(), "{ctx}: PVH entry reported with an offset");
        assert_eq!(load.result.entry.pvh, Some(pvh), "{ctx}: PVH entry");
        assert!(
            segs.iter().any(|s| s
                .guest_range()
                .contains_range(&loader_core::GuestRange::new(pvh, 1))),
            "{ctx}: PVH entry {pvh:x?} outside every segment"
        );
    }
    let file_bytes: u64 = segs.iter().map(|s| s.file_len).sum();
    let mem_bytes: u64 = segs.iter().map(|s| s.mem_len).sum();
    assert_eq!(load.summary.file_bytes, file_bytes, "{ctx}: summary");
    assert_eq!(
        load.summary.zero_bytes,
        mem_bytes - file_bytes,
        "{ctx}: summary"
    );
    h.assert_segments_written(data, segs, &ctx);
    true
}
