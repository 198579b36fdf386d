// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! x86 boot layout: the e820 builder, the layout planner, its writer and the Linux configurator,
//! driven by a memory map, a kernel result and options decoded from the input.

use boot_params_x86::bootparam::{
    E820_ACPI, E820_NVS, E820_RAM, E820_RESERVED, E820_UNUSABLE, boot_params, setup_header,
};
use boot_params_x86::layout::{BootProtocol, EntryState, LayoutPlanner, X86Layout};
use boot_params_x86::{E820Table, LinuxBootConfigurator, MemoryMap, RangeName, SetupDataEntry};
use loader_core::configurator::{BootConfigurator, BootParams};
use loader_core::{EntryPoints, GuestRange, KernelLoaderResult, StreamSource, fits_in_memory};
use vm_memory::{Bytes, GuestAddress};

use crate::harness::{Harness, with_small};
use crate::input::Input;

fn opt_addr(input: &mut Input<'_>) -> Option<GuestAddress> {
    input.bool().then(|| GuestAddress(input.addr()))
}

/// Decodes a planner from `data`: memory map (the harness's regions or made-up RAM, plus
/// reserved ranges), kernel result, setup header, protocol, command line, initrd size, RNG seed,
/// DTB, a `setup_data` entry, VMM-occupied ranges and address overrides.
pub fn planner(h: &Harness, data: &[u8]) -> (LayoutPlanner, MemoryMap) {
    let mut input = Input::new(data);
    let flags = input.u16();
    let mut map = if flags & 1 == 0 {
        MemoryMap::from_guest_memory(h.mem())
    } else {
        MemoryMap::new()
    };
    for _ in 0..input.u8() % 4 {
        let (start, len) = (input.addr(), input.addr());
        map = map.with_ram(GuestAddress(start), len);
    }
    for _ in 0..input.u8() % 5 {
        let (start, len) = (input.addr(), input.addr());
        let type_ = match input.u8() % 7 {
            0 => E820_RESERVED,
            1 => E820_ACPI,
            2 => E820_NVS,
            3 => E820_UNUSABLE,
            4 => E820_RAM,
            _ => input.u32(),
        };
        map = map.with_reserved(GuestAddress(start), len, type_);
    }
    let loaded = GuestRange::new(GuestAddress(input.addr()), input.addr() & 0x3f_ffff);
    let needs_free = if input.bool() {
        loaded
    } else {
        GuestRange::new(GuestAddress(input.addr()), input.addr() & 0x3f_ffff)
    };
    let entry = EntryPoints {
        linux_64: opt_addr(&mut input),
        linux_32: opt_addr(&mut input),
        pvh: opt_addr(&mut input),
        image: None,
    };
    let kernel = KernelLoaderResult {
        kernel_load: loaded.start,
        kernel_end: loaded.end_or_max(),
        loaded,
        entry,
        needs_free,
    };
    let mut p = LayoutPlanner::new(kernel, map.clone());
    if flags & 2 != 0 {
        // A bzImage's first bytes: boot flag, "HdrS", then fuzzed header fields.
        let mut image = vec![0u8; 0x280];
        image[0x1fe..0x200].copy_from_slice(&0xaa55u16.to_le_bytes());
        image[0x202..0x206].copy_from_slice(b"HdrS");
        let fields = input.take(0x280 - 0x206);
        image[0x206..0x206 + fields.len()].copy_from_slice(fields);
        if let Ok(hdr) = setup_header::from_image_prefix(&image) {
            p = p.setup_header(hdr);
        }
    }
    if flags & 4 != 0 {
        p = p.protocol(match input.u8() % 3 {
            0 => BootProtocol::Linux64,
            1 => BootProtocol::Linux32,
            _ => BootProtocol::Pvh,
        });
    }
    p = p.cmdline(input.bytes(80));
    if flags & 8 != 0 {
        p = p.initrd_size(input.addr() & 0x7_ffff);
    }
    if flags & 0x10 != 0 {
        p = p.rng_seed(input.bytes(64));
    }
    if flags & 0x20 != 0 {
        p = p.dtb(input.bytes(128));
    }
    if flags & 0x40 != 0 {
        let type_ = input.u32();
        p = p.setup_data_entry(SetupDataEntry::new(type_, input.bytes(64).to_vec()));
    }
    for _ in 0..input.u8() % 3 {
        p = p.occupied(GuestRange::new(GuestAddress(input.addr()), input.addr()));
    }
    if flags & 0x80 != 0 {
        p = p.acpi_rsdp(GuestAddress(input.addr()));
    }
    if flags & 0x100 != 0 {
        p = p.vid_mode(input.u16());
    }
    let overrides = input.u8();
    let at =
        |bit: u8, input: &mut Input<'_>| (overrides & bit != 0).then(|| GuestAddress(input.addr()));
    if let Some(a) = at(1, &mut input) {
        p = p.zero_page_at(a);
    }
    if let Some(a) = at(2, &mut input) {
        p = p.cmdline_at(a);
    }
    if let Some(a) = at(4, &mut input) {
        p = p.setup_data_at(a);
    }
    if let Some(a) = at(8, &mut input) {
        p = p.initrd_at(a);
    }
    if let Some(a) = at(0x10, &mut input) {
        p = p.start_info_at(a);
    }
    if let Some(a) = at(0x20, &mut input) {
        p = p.memmap_at(a);
    }
    if let Some(a) = at(0x40, &mut input) {
        p = p.modlist_at(a);
    }
    (p, map)
}

/// Checks the e820 builder, the layout planner and writer, and the Linux configurator on the
/// inputs [`planner`] decodes from `data`:
///
/// * the e820 table is sorted, non-empty entries, non-overlapping;
/// * a planned layout's structures lie in usable RAM, clear of reserved ranges, pairwise
///   disjoint and disjoint from the kernel's needed-free range and VMM-occupied ranges; the
///   32-bit protocols' structures end below 4 GiB;
/// * `write` and `write_with_initrd` either write inside the structures (and the initrd) only,
///   with the planned bytes, or fail and write nothing;
/// * the Linux configurator accepts a zero page exactly when its 4096 bytes are backed by RAM
///   (ending on the last byte included), and writes nothing otherwise.
pub fn check_e820_layout(data: &[u8]) {
    with_small(|h| {
        let (p, map) = planner(h, data);
        check_e820(&map);
        if let Ok(layout) = p.plan() {
            check_layout(h, &layout, &map);
        }
        h.restore();
        check_linux_configurator(h, data);
    });
}

fn check_e820(map: &MemoryMap) {
    let Ok(table) = E820Table::build(map) else {
        return;
    };
    let mut prev_end = 0u64;
    for (i, e) in table.entries().iter().enumerate() {
        let (addr, size) = (e.addr, e.size);
        assert!(size > 0, "e820 entry {i} is empty: {:x?}", table.entries());
        assert!(
            i == 0 || addr >= prev_end,
            "e820 entries unsorted or overlapping at {i}: {:x?}",
            table.entries()
        );
        prev_end = addr.checked_add(size).expect("e820 entry overflows");
    }
}

fn check_layout(h: &Harness, layout: &X86Layout, map: &MemoryMap) {
    let ranges = layout.ranges();
    let ctx = format!("{layout}");
    for (i, a) in ranges.iter().enumerate() {
        for b in &ranges[i + 1..] {
            if matches!(
                (a.name, b.name),
                (RangeName::Occupied(_), RangeName::Occupied(_))
            ) {
                continue; // The VMM's own ranges may overlap each other.
            }
            assert!(
                a.range.is_empty() || b.range.is_empty() || !a.range.overlaps(&b.range),
                "{:?} {:x?} overlaps {:?} {:x?}\n{ctx}",
                a.name,
                a.range,
                b.name,
                b.range
            );
        }
    }
    let structures: Vec<GuestRange> = ranges
        .iter()
        .filter(|r| !matches!(r.name, RangeName::Kernel | RangeName::Occupied(_)))
        .map(|r| r.range)
        .filter(|r| !r.is_empty())
        .collect();
    for r in &structures {
        assert!(
            layout.e820().contains_ram(*r),
            "{r:x?} is not usable RAM\n{ctx}"
        );
        for res in &map.reserved {
            assert!(
                !res.range.overlaps(r),
                "{r:x?} overlaps reserved {res:x?}\n{ctx}"
            );
        }
        if layout.protocol() != BootProtocol::Linux64 {
            assert!(r.end_or_max() <= 1 << 32, "{r:x?} above 4 GiB\n{ctx}");
        }
    }
    match layout.entry() {
        EntryState::Linux64 { rsi, .. } => {
            assert_eq!(Some(rsi), layout.zero_page().map(|z| z.start.0), "{ctx}");
        }
        EntryState::Linux32 { esi, .. } => {
            assert_eq!(
                Some(u64::from(esi)),
                layout.zero_page().map(|z| z.start.0),
                "{ctx}"
            );
        }
        EntryState::Pvh { ebx, .. } => {
            assert_eq!(
                Some(u64::from(ebx)),
                layout.start_info().map(|s| s.start.0),
                "{ctx}"
            );
        }
    }

    // The boot structures alone.
    let boot_only: Vec<GuestRange> = ranges
        .iter()
        .filter(|r| {
            !matches!(
                r.name,
                RangeName::Kernel | RangeName::Occupied(_) | RangeName::Initrd
            )
        })
        .map(|r| r.range)
        .collect();
    match layout.write(h.mem()) {
        Ok(()) => {
            h.assert_written_within(&boot_only, &ctx);
            if let (Some(zp), Some(params)) = (layout.zero_page(), layout.zero_page_params()) {
                let back: boot_params = h.mem().read_obj(zp.start).expect("zero page");
                assert!(
                    back == *params,
                    "zero page bytes differ from the plan\n{ctx}"
                );
            }
            let cl = layout.cmdline();
            let bytes = h.read(cl.start, cl.len);
            assert_eq!(
                bytes.last(),
                Some(&0),
                "command line not NUL-terminated\n{ctx}"
            );
        }
        Err(e) => h.assert_untouched(&format_args!("layout.write: {e}\n{ctx}")),
    }
    h.restore();

    if let Some(initrd) = layout.initrd() {
        let image = vec![0x42u8; initrd.len as usize];
        let mut all = boot_only.clone();
        all.push(initrd);
        match layout.write_with_initrd(h.mem(), &mut StreamSource::new(&image[..])) {
            Ok(_) => {
                h.assert_written_within(&all, &ctx);
                assert!(
                    h.read(initrd.start, initrd.len).iter().all(|&b| b == 0x42),
                    "initrd bytes\n{ctx}"
                );
            }
            Err(e) => h.assert_untouched(&format_args!("write_with_initrd: {e}\n{ctx}")),
        }
        h.restore();
    }
}

fn check_linux_configurator(h: &Harness, data: &[u8]) {
    let end = h.regions()[0].end_or_max();
    let tail = data
        .iter()
        .rev()
        .take(4)
        .fold(0u64, |acc, &b| acc << 8 | u64::from(b));
    for addr in [end - 0x1000, end - 0xfff, tail & 0x3f_ffff, tail] {
        let at = GuestAddress(addr);
        let range = GuestRange::new(at, 0x1000);
        let fits = fits_in_memory(h.mem(), range);
        let params = BootParams::new(&boot_params::default(), at);
        let r = LinuxBootConfigurator::write_bootparams(&params, h.mem());
        assert_eq!(
            r.is_ok(),
            fits,
            "zero page at {addr:#x} (fits {fits}): {r:?}"
        );
        if r.is_ok() {
            h.assert_written_within(&[range], &"zero page");
        } else {
            h.assert_untouched(&format_args!("zero page at {addr:#x}: {r:?}"));
        }
        h.restore();
    }
}
