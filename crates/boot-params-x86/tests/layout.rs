// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The layout planner and writer: golden layouts for representative memory maps, every overlap
//! and bounds error with its exact variant, and writes that either land whole or not at all.
//!
//! Golden files live in `tests/golden/`; regenerate with
//! `UPDATE_EXPECT=1 cargo test -p boot-params-x86` and review the diff.

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::as_conversions,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use std::io::Cursor;
use std::path::PathBuf;

use boot_params_x86::bootparam::{
    BOOT_FLAG, E820_ACPI, E820_RAM, HDRS_MAGIC, LOADED_HIGH, SETUP_DTB, SETUP_E820_EXT,
    SETUP_RNG_SEED, XLF_CAN_BE_LOADED_ABOVE_4G, XLF_KERNEL_64, boot_e820_entry, boot_params,
    setup_data, setup_header,
};
use boot_params_x86::layout::{BootProtocol, EntryState, LayoutPlanner};
use boot_params_x86::setup_data::SetupDataEntry;
use boot_params_x86::start_info::{hvm_modlist_entry, hvm_start_info};
use boot_params_x86::{Error, MemoryMap, RangeName, WriteError};
use loader_core::{EntryPoints, GuestRange, KernelLoaderResult, SeekSource, StreamSource};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
use zerocopy::FromBytes;

const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

fn g(a: u64) -> GuestAddress {
    GuestAddress(a)
}

/// A bzImage loaded at 1 MiB that needs 32 MiB free (init_size).
fn bzimage_kernel() -> KernelLoaderResult {
    KernelLoaderResult {
        kernel_load: g(MIB),
        kernel_end: MIB + 12 * MIB,
        loaded: GuestRange::new(g(MIB), 12 * MIB),
        entry: EntryPoints {
            linux_64: Some(g(MIB + 0x200)),
            linux_32: Some(g(MIB)),
            pvh: None,
            image: None,
        },
        needs_free: GuestRange::new(g(MIB), 32 * MIB),
    }
}

/// A vmlinux with a PVH note, loaded at 16 MiB.
fn pvh_kernel() -> KernelLoaderResult {
    KernelLoaderResult {
        kernel_load: g(16 * MIB),
        kernel_end: 40 * MIB,
        loaded: GuestRange::new(g(16 * MIB), 24 * MIB),
        entry: EntryPoints {
            linux_64: Some(g(0x100_0000)),
            linux_32: None,
            pvh: Some(g(0x100_0400)),
            image: None,
        },
        needs_free: GuestRange::new(g(16 * MIB), 24 * MIB),
    }
}

fn header(above_4g: bool) -> setup_header {
    setup_header {
        setup_sects: 0x1b,
        boot_flag: BOOT_FLAG,
        header: HDRS_MAGIC,
        version: 0x020f,
        loadflags: LOADED_HIGH,
        vid_mode: 0xffff,
        cmdline_size: 0x7ff,
        initrd_addr_max: 0x7fff_ffff,
        kernel_alignment: 0x20_0000,
        relocatable_kernel: 1,
        xloadflags: XLF_KERNEL_64
            | if above_4g {
                XLF_CAN_BE_LOADED_ABOVE_4G
            } else {
                0
            },
        init_size: 0x200_0000,
        ..setup_header::default()
    }
}

/// RAM 0..`size` with the EBDA/BIOS area reserved.
fn small_map(size: u64) -> MemoryMap {
    MemoryMap::new()
        .with_ram(g(0), size)
        .with_e820_reserved(g(0x9_fc00), 0x10_0000 - 0x9_fc00)
}

/// 3 GiB below the PCI hole, `high` above 4 GiB, MMIO reserved.
fn pci_hole_map(high: u64) -> MemoryMap {
    MemoryMap::new()
        .with_ram(g(0), 3 * GIB)
        .with_ram(g(4 * GIB), high)
        .with_e820_reserved(g(0x9_fc00), 0x10_0000 - 0x9_fc00)
        .with_e820_reserved(g(0xe000_0000), 0x1000_0000)
        .with_reserved(g(0xbfff_0000), 0x1_0000, E820_ACPI)
}

const CMDLINE: &[u8] = b"console=ttyS0 reboot=k panic=1 root=/dev/vda rw";
const SEED: [u8; 32] = [0x5e; 32];

fn golden(name: &str, actual: &str) {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "golden",
        &format!("{name}.txt"),
    ]
    .iter()
    .collect();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run UPDATE_EXPECT=1 cargo test -p boot-params-x86",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "layout differs from {} (UPDATE_EXPECT=1 to regenerate)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

#[test]
fn golden_small_ram_linux64() {
    let layout = LayoutPlanner::new(bzimage_kernel(), small_map(128 * MIB))
        .setup_header(header(true))
        .cmdline(CMDLINE)
        .initrd_size(MIB + 0x123)
        .rng_seed(&SEED)
        .occupied(GuestRange::new(g(0x9000), 0x3000))
        .plan()
        .unwrap();
    assert_eq!(
        layout.entry(),
        EntryState::Linux64 {
            rip: MIB + 0x200,
            rsi: 0x7000
        }
    );
    // Top-down, page-aligned, inside the 128 MiB of RAM.
    assert_eq!(
        layout.initrd(),
        Some(GuestRange::new(g(128 * MIB - MIB - 0x1000), MIB + 0x123))
    );
    golden("small_ram_linux64", &layout.to_string());
}

#[test]
fn golden_pci_hole_initrd_below_initrd_addr_max() {
    let layout = LayoutPlanner::new(bzimage_kernel(), pci_hole_map(2 * GIB))
        .setup_header(header(false))
        .cmdline(CMDLINE)
        .initrd_size(64 * MIB)
        .rng_seed(&SEED)
        .dtb(&[0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 0x28])
        .acpi_rsdp(g(0xbfff_0000))
        .plan()
        .unwrap();
    // initrd_addr_max 0x7fffffff: the initrd ends at 2 GiB.
    assert_eq!(
        layout.initrd(),
        Some(GuestRange::new(g(2 * GIB - 64 * MIB), 64 * MIB))
    );
    golden("pci_hole_linux64", &layout.to_string());
}

#[test]
fn golden_above_4g_initrd() {
    let layout = LayoutPlanner::new(bzimage_kernel(), pci_hole_map(2 * GIB))
        .setup_header(header(true))
        .cmdline(CMDLINE)
        .initrd_size(64 * MIB)
        .plan()
        .unwrap();
    // XLF_CAN_BE_LOADED_ABOVE_4G with the 64-bit entry: the top of high RAM.
    assert_eq!(
        layout.initrd(),
        Some(GuestRange::new(g(6 * GIB - 64 * MIB), 64 * MIB))
    );
    let zp = layout.zero_page_params().unwrap();
    assert_eq!({ zp.hdr.ramdisk_image }, 0x7c00_0000);
    assert_eq!({ zp.ext_ramdisk_image }, 1);
    golden("above_4g_linux64", &layout.to_string());
}

fn many_entries_map() -> MemoryMap {
    let mut map = small_map(GIB);
    for i in 0..100u64 {
        map = map.with_e820_reserved(g(512 * MIB + i * 2 * MIB), 0x1000);
    }
    map
}

#[test]
fn golden_more_than_128_e820_entries() {
    let layout = LayoutPlanner::new(bzimage_kernel(), many_entries_map())
        .setup_header(header(true))
        .cmdline(CMDLINE)
        .initrd_size(8 * MIB)
        .rng_seed(&SEED)
        .plan()
        .unwrap();
    assert_eq!(layout.e820().entries().len(), 203);
    assert_eq!(layout.e820().overflow_entries().len(), 75);
    let types: Vec<u32> = layout.setup_data().iter().map(|n| n.type_).collect();
    assert_eq!(types, [SETUP_E820_EXT, SETUP_RNG_SEED]);
    golden("many_e820_linux64", &layout.to_string());
}

#[test]
fn golden_pvh() {
    let layout = LayoutPlanner::new(pvh_kernel(), small_map(256 * MIB))
        .protocol(BootProtocol::Pvh)
        .cmdline(CMDLINE)
        .initrd_size(4 * MIB)
        .acpi_rsdp(g(0xe_0000))
        .plan()
        .unwrap();
    assert_eq!(
        layout.entry(),
        EntryState::Pvh {
            eip: 0x100_0400,
            ebx: 0x6000
        }
    );
    golden("small_ram_pvh", &layout.to_string());
}

#[test]
fn golden_linux32_vmlinux_defaults() {
    let mut kernel = bzimage_kernel();
    kernel.entry.linux_64 = None;
    let layout = LayoutPlanner::new(kernel, small_map(64 * MIB))
        .cmdline(CMDLINE)
        .initrd_size(MIB)
        .plan()
        .unwrap();
    assert_eq!(layout.protocol(), BootProtocol::Linux32);
    assert_eq!(
        layout.entry(),
        EntryState::Linux32 {
            eip: MIB as u32,
            esi: 0x7000
        }
    );
    golden("small_ram_linux32_vmlinux", &layout.to_string());
}

// --- errors, each with its exact variant ---

fn planner() -> LayoutPlanner {
    LayoutPlanner::new(bzimage_kernel(), small_map(128 * MIB))
        .setup_header(header(false))
        .cmdline(CMDLINE)
        .occupied(GuestRange::new(g(0x9000), 0x3000))
}

#[test]
fn overlaps_name_both_ranges() {
    assert_eq!(
        planner().zero_page_at(g(MIB + 0x1000)).plan(),
        Err(Error::RangesOverlap {
            first: RangeName::Kernel,
            first_start: MIB,
            first_end: 33 * MIB,
            second: RangeName::ZeroPage,
            second_start: MIB + 0x1000,
            second_end: MIB + 0x2000,
        })
    );
    assert_eq!(
        planner().zero_page_at(g(0xa000)).plan(),
        Err(Error::RangesOverlap {
            first: RangeName::Occupied(0),
            first_start: 0x9000,
            first_end: 0xc000,
            second: RangeName::ZeroPage,
            second_start: 0xa000,
            second_end: 0xb000,
        })
    );
    assert_eq!(
        planner().cmdline_at(g(0x7800)).plan(),
        Err(Error::RangesOverlap {
            first: RangeName::ZeroPage,
            first_start: 0x7000,
            first_end: 0x8000,
            second: RangeName::Cmdline,
            second_start: 0x7800,
            second_end: 0x7800 + CMDLINE.len() as u64 + 1,
        })
    );
    assert_eq!(
        planner().rng_seed(&SEED).setup_data_at(g(0x7ff8)).plan(),
        Err(Error::RangesOverlap {
            first: RangeName::ZeroPage,
            first_start: 0x7000,
            first_end: 0x8000,
            second: RangeName::SetupData(0),
            second_start: 0x7ff8,
            second_end: 0x7ff8 + 48,
        })
    );
    assert_eq!(
        planner().initrd_size(MIB).initrd_at(g(32 * MIB)).plan(),
        Err(Error::RangesOverlap {
            first: RangeName::Kernel,
            first_start: MIB,
            first_end: 33 * MIB,
            second: RangeName::Initrd,
            second_start: 32 * MIB,
            second_end: 33 * MIB,
        })
    );
    assert_eq!(
        planner().initrd_size(0x1000).initrd_at(g(0x2_0000)).plan(),
        Err(Error::RangesOverlap {
            first: RangeName::Cmdline,
            first_start: 0x2_0000,
            first_end: 0x2_0000 + CMDLINE.len() as u64 + 1,
            second: RangeName::Initrd,
            second_start: 0x2_0000,
            second_end: 0x2_1000,
        })
    );
    // A structure in a reserved range names it.
    assert_eq!(
        planner().zero_page_at(g(0x9_f000)).plan(),
        Err(Error::RangesOverlap {
            first: RangeName::ZeroPage,
            first_start: 0x9_f000,
            first_end: 0xa_0000,
            second: RangeName::Reserved(0),
            second_start: 0x9_fc00,
            second_end: 0x10_0000,
        })
    );
    // PVH structures.
    assert_eq!(
        LayoutPlanner::new(pvh_kernel(), small_map(128 * MIB))
            .protocol(BootProtocol::Pvh)
            .initrd_size(MIB)
            .modlist_at(g(0x6020))
            .plan(),
        Err(Error::RangesOverlap {
            first: RangeName::StartInfo,
            first_start: 0x6000,
            first_end: 0x6038,
            second: RangeName::Modlist,
            second_start: 0x6020,
            second_end: 0x6040,
        })
    );
    assert_eq!(
        LayoutPlanner::new(pvh_kernel(), small_map(128 * MIB))
            .protocol(BootProtocol::Pvh)
            .memmap_at(g(0x6010))
            .plan(),
        Err(Error::RangesOverlap {
            first: RangeName::StartInfo,
            first_start: 0x6000,
            first_end: 0x6038,
            second: RangeName::Memmap,
            second_start: 0x6010,
            second_end: 0x6010 + 3 * 24,
        })
    );
}

#[test]
fn bounds_errors() {
    let end = 128 * MIB;
    assert_eq!(
        planner().cmdline_at(g(end - 8)).plan(),
        Err(Error::NotInRam {
            name: RangeName::Cmdline,
            start: end - 8,
            end: end - 8 + CMDLINE.len() as u64 + 1,
        })
    );
    // Ending on the last byte of RAM is fine.
    let exact = planner()
        .cmdline_at(g(end - CMDLINE.len() as u64 - 1))
        .plan()
        .unwrap();
    assert_eq!(exact.cmdline().end_or_max(), end);
    assert_eq!(
        planner().zero_page_at(g(u64::MAX - 100)).plan(),
        Err(Error::AddressOverflow {
            name: RangeName::ZeroPage,
            start: u64::MAX - 100,
            len: 4096,
        })
    );
    let big = LayoutPlanner::new(bzimage_kernel(), pci_hole_map(GIB)).setup_header(header(false));
    assert_eq!(
        big.clone().zero_page_at(g(4 * GIB)).plan(),
        Err(Error::Above4G {
            name: RangeName::ZeroPage,
            start: 4 * GIB,
            end: 4 * GIB + 4096,
            protocol: BootProtocol::Linux64,
        })
    );
    // With XLF_CAN_BE_LOADED_ABOVE_4G the 64-bit protocol reaches it.
    big.clone()
        .setup_header(header(true))
        .zero_page_at(g(4 * GIB))
        .plan()
        .unwrap();
    assert_eq!(
        big.clone()
            .setup_header(header(true))
            .protocol(BootProtocol::Linux32)
            .zero_page_at(g(4 * GIB))
            .plan(),
        Err(Error::Above4G {
            name: RangeName::ZeroPage,
            start: 4 * GIB,
            end: 4 * GIB + 4096,
            protocol: BootProtocol::Linux32,
        })
    );
    assert_eq!(
        planner().rng_seed(&SEED).setup_data_at(g(0x3_0004)).plan(),
        Err(Error::Misaligned {
            name: RangeName::SetupData(0),
            addr: 0x3_0004,
            align: 8,
        })
    );
}

#[test]
fn initrd_errors() {
    assert_eq!(planner().initrd_size(0).plan(), Err(Error::InitrdEmpty));
    assert_eq!(
        planner().initrd_size(100 * MIB).plan(),
        Err(Error::InitrdDoesNotFit {
            size: 100 * MIB,
            min: MIB,
            max_end: 0x8000_0000,
        })
    );
    assert_eq!(
        planner().initrd_size(MIB).initrd_at(g(64 * MIB + 1)).plan(),
        Err(Error::Misaligned {
            name: RangeName::Initrd,
            addr: 64 * MIB + 1,
            align: 0x1000,
        })
    );
    let big = LayoutPlanner::new(bzimage_kernel(), pci_hole_map(GIB)).setup_header(header(false));
    assert_eq!(
        big.clone()
            .initrd_size(2 * MIB)
            .initrd_at(g(2 * GIB - MIB))
            .plan(),
        Err(Error::InitrdAboveMax {
            start: 2 * GIB - MIB,
            end: 2 * GIB + MIB,
            max: 0x7fff_ffff,
        })
    );
    assert_eq!(
        big.initrd_size(MIB).initrd_at(g(3 * GIB)).plan(),
        Err(Error::NotInRam {
            name: RangeName::Initrd,
            start: 3 * GIB,
            end: 3 * GIB + MIB,
        })
    );
}

#[test]
fn input_errors() {
    assert_eq!(
        planner().cmdline(&[b'x'; 0x800]).plan(),
        Err(Error::CmdlineTooLong {
            len: 0x800,
            max: 0x7ff
        })
    );
    // Exactly cmdline_size is accepted, and cmdline_size itself is never written.
    let layout = planner().cmdline(&[b'x'; 0x7ff]).plan().unwrap();
    assert_eq!(
        { layout.zero_page_params().unwrap().hdr.cmdline_size },
        0x7ff
    );
    assert_eq!(
        planner().cmdline(b"a\0b").plan(),
        Err(Error::CmdlineHasNul { offset: 1 })
    );
    assert_eq!(
        planner().protocol(BootProtocol::Pvh).plan(),
        Err(Error::NoEntryPoint {
            protocol: BootProtocol::Pvh
        })
    );
    let pvh = LayoutPlanner::new(pvh_kernel(), small_map(128 * MIB)).protocol(BootProtocol::Pvh);
    assert_eq!(
        pvh.clone().rng_seed(&SEED).plan(),
        Err(Error::NotForPvh {
            what: "an RNG seed"
        })
    );
    assert_eq!(
        pvh.clone().dtb(&[0]).plan(),
        Err(Error::NotForPvh {
            what: "a device tree"
        })
    );
    assert_eq!(
        LayoutPlanner::new(pvh_kernel(), many_entries_map())
            .protocol(BootProtocol::Pvh)
            .plan(),
        Err(Error::TooMany {
            what: "PVH memory map entries",
            count: 203,
            max: 128,
        })
    );
    let mut high = bzimage_kernel();
    high.entry.linux_32 = Some(g(5 * GIB));
    assert_eq!(
        LayoutPlanner::new(high, small_map(128 * MIB))
            .protocol(BootProtocol::Linux32)
            .plan(),
        Err(Error::EntryAbove4G {
            protocol: BootProtocol::Linux32,
            what: "entry point",
            addr: 5 * GIB,
        })
    );
    let mut old = header(false);
    old.version = 0x0208;
    assert_eq!(
        planner().setup_header(old).rng_seed(&SEED).plan(),
        Err(Error::SetupDataUnsupported { version: 0x0208 })
    );
    old.header = 0;
    assert_eq!(
        planner().setup_header(old).plan(),
        Err(Error::UnsupportedProtocol {
            version: None,
            min: 0x0202,
        })
    );
    assert_eq!(
        planner()
            .setup_data_entry(SetupDataEntry::new(0, vec![1]))
            .plan(),
        Err(Error::SetupDataType { index: 0, type_: 0 })
    );
}

// --- writing ---

const MEM: usize = 64 << 20;

fn patterned(size: usize) -> GuestMemoryMmap {
    let mem = GuestMemoryMmap::from_ranges(&[(GuestAddress(0), size)]).unwrap();
    // A 4093-byte period, so no two pages look alike.
    let period: Vec<u8> = (0..4093usize).map(|i| (i * 13 + 1) as u8).collect();
    let pattern: Vec<u8> = period.iter().copied().cycle().take(size).collect();
    mem.write_slice(&pattern, GuestAddress(0)).unwrap();
    mem
}

fn snapshot(mem: &GuestMemoryMmap, size: usize) -> Vec<u8> {
    let mut buf = vec![0u8; size];
    mem.read_slice(&mut buf, GuestAddress(0)).unwrap();
    buf
}

fn initrd_bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[test]
fn write_puts_every_structure_where_the_layout_says() {
    let mem = patterned(MEM);
    let layout = LayoutPlanner::new(bzimage_kernel(), small_map(MEM as u64))
        .setup_header(header(true))
        .cmdline(CMDLINE)
        .initrd_size(MIB)
        .rng_seed(&SEED)
        .dtb(b"\xd0\x0d\xfe\xedDTB")
        .plan()
        .unwrap();
    let initrd = initrd_bytes(MIB as usize);
    layout
        .write_with_initrd(&mem, &mut StreamSource::new(Cursor::new(initrd.clone())))
        .unwrap();

    let zp: boot_params = mem.read_obj(g(0x7000)).unwrap();
    assert_eq!(&zp, layout.zero_page_params().unwrap());
    let mut cmdline = vec![0u8; CMDLINE.len() + 1];
    mem.read_slice(&mut cmdline, g({ zp.hdr.cmd_line_ptr }.into()))
        .unwrap();
    assert_eq!(&cmdline[..CMDLINE.len()], CMDLINE);
    assert_eq!(cmdline[CMDLINE.len()], 0);

    // Walk the chain the way the kernel does.
    let mut types = Vec::new();
    let mut next = zp.hdr.setup_data;
    while next != 0 {
        assert_eq!(next % 8, 0);
        let mut hdr = [0u8; 16];
        mem.read_slice(&mut hdr, g(next)).unwrap();
        let node = setup_data::read_from_bytes(&hdr).unwrap();
        let mut payload = vec![0u8; node.len as usize];
        mem.read_slice(&mut payload, g(next + 16)).unwrap();
        if node.type_ == SETUP_RNG_SEED {
            assert_eq!(payload, SEED);
        }
        types.push(node.type_);
        next = node.next;
    }
    assert_eq!(types, [SETUP_DTB, SETUP_RNG_SEED]);

    let r = layout.initrd().unwrap();
    assert_eq!({ zp.hdr.ramdisk_image } as u64, r.start.0);
    assert_eq!({ zp.hdr.ramdisk_size } as u64, MIB);
    let mut back = vec![0u8; MIB as usize];
    mem.read_slice(&mut back, r.start).unwrap();
    assert!(back == initrd);
    assert_eq!(
        zp.e820_table[0],
        boot_e820_entry {
            addr: 0,
            size: 0x9_fc00,
            type_: E820_RAM
        }
    );
}

#[test]
fn pvh_write_goes_through_the_checks_and_lands() {
    let mem = patterned(MEM);
    let layout = LayoutPlanner::new(pvh_kernel(), small_map(MEM as u64))
        .protocol(BootProtocol::Pvh)
        .cmdline(CMDLINE)
        .initrd_size(0x3000)
        .plan()
        .unwrap();
    let mut file = Cursor::new(initrd_bytes(0x3000));
    layout
        .write_with_initrd(&mem, &mut SeekSource::new(&mut file))
        .unwrap();
    let si: hvm_start_info = mem.read_obj(g(0x6000)).unwrap();
    assert_eq!(si.nr_modules, 1);
    assert_eq!(si.memmap_entries, 3);
    let module: hvm_modlist_entry = mem.read_obj(g(si.modlist_paddr)).unwrap();
    assert_eq!(module.paddr, layout.initrd().unwrap().start.0);
    assert_eq!(module.size, 0x3000);
    // The layout hands the same structures to the upstream configurator.
    let params = layout.boot_params();
    assert_eq!(params.header_start, g(0x6000));
    assert_eq!(params.sections_start, Some(g(0x7000)));
}

#[test]
fn rejected_writes_leave_memory_byte_identical() {
    // Planned for 128 MiB, written into 64 MiB: the initrd and nothing else is outside.
    let layout = LayoutPlanner::new(bzimage_kernel(), small_map(128 * MIB))
        .setup_header(header(true))
        .cmdline(CMDLINE)
        .initrd_size(MIB)
        .rng_seed(&SEED)
        .plan()
        .unwrap();
    let mem = patterned(MEM);
    let before = snapshot(&mem, MEM);
    let err = layout
        .write_with_initrd(
            &mem,
            &mut StreamSource::new(Cursor::new(initrd_bytes(MIB as usize))),
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            WriteError::Initrd(loader_core::Error::SegmentOutsideMemory { index: 0, .. })
        ),
        "{err:?}"
    );
    assert!(snapshot(&mem, MEM) == before);

    // A zero page past the end of guest memory.
    let layout = LayoutPlanner::new(bzimage_kernel(), small_map(128 * MIB))
        .setup_header(header(true))
        .zero_page_at(g(MEM as u64 - 0x800))
        .plan()
        .unwrap();
    assert_eq!(
        layout.write(&mem),
        Err(Error::OutsideMemory {
            name: RangeName::ZeroPage,
            start: MEM as u64 - 0x800,
            end: MEM as u64 + 0x800,
        })
    );
    assert!(snapshot(&mem, MEM) == before);

    // A seekable initrd of the wrong size.
    let layout = LayoutPlanner::new(bzimage_kernel(), small_map(MEM as u64))
        .setup_header(header(true))
        .initrd_size(0x2000)
        .plan()
        .unwrap();
    let mut file = Cursor::new(initrd_bytes(0x2001));
    let err = layout
        .write_with_initrd(&mem, &mut SeekSource::new(&mut file))
        .unwrap_err();
    assert!(
        matches!(
            err,
            WriteError::Boot(Error::InitrdSizeMismatch {
                planned: 0x2000,
                actual: 0x2001
            })
        ),
        "{err:?}"
    );
    assert!(snapshot(&mem, MEM) == before);

    // No initrd planned.
    let layout = LayoutPlanner::new(bzimage_kernel(), small_map(MEM as u64))
        .setup_header(header(true))
        .plan()
        .unwrap();
    let err = layout
        .write_with_initrd(&mem, &mut StreamSource::new(Cursor::new(vec![1u8])))
        .unwrap_err();
    assert!(
        matches!(err, WriteError::Boot(Error::NoInitrdPlanned)),
        "{err:?}"
    );
    assert!(snapshot(&mem, MEM) == before);
}

#[test]
fn short_stream_writes_no_boot_structure() {
    let layout = LayoutPlanner::new(bzimage_kernel(), small_map(MEM as u64))
        .setup_header(header(true))
        .cmdline(CMDLINE)
        .initrd_size(0x4000)
        .plan()
        .unwrap();
    let mem = patterned(MEM);
    let zp_before: boot_params = mem.read_obj(g(0x7000)).unwrap();
    let err = layout
        .write_with_initrd(&mem, &mut StreamSource::new(Cursor::new(vec![1u8; 0x1000])))
        .unwrap_err();
    assert!(
        matches!(
            err,
            WriteError::Initrd(loader_core::Error::SourceRead { index: 0, .. })
        ),
        "{err:?}"
    );
    let zp_after: boot_params = mem.read_obj(g(0x7000)).unwrap();
    assert_eq!(zp_before, zp_after);
}
