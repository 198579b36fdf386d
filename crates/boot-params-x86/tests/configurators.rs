// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The Linux and PVH configurators: upstream's API and error variants, exact bounds, the
//! consistency checks upstream lacks, and guest memory left byte-identical on every rejection.

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use boot_params_x86::bootparam::boot_params;
use boot_params_x86::linux::LinuxBootConfigurator;
use boot_params_x86::pvh::{PvhBootConfigurator, StartInfoBuilder};
use boot_params_x86::start_info::{
    XEN_HVM_START_MAGIC_VALUE, hvm_memmap_table_entry, hvm_start_info,
};
use boot_params_x86::{Error, RangeName};
use loader_core::configurator::{self, BootConfigurator, BootParams, linux, pvh};
use vm_memory::{ByteValued, Bytes, GuestAddress, GuestMemoryMmap};

const MEM_SIZE: usize = 0x10_0000;

/// Guest memory filled with a pattern, so any stray write shows.
fn patterned() -> GuestMemoryMmap {
    let mem = GuestMemoryMmap::from_ranges(&[(GuestAddress(0), MEM_SIZE)]).unwrap();
    let pattern: Vec<u8> = (0..MEM_SIZE).map(|i| (i * 7 + 3) as u8).collect();
    mem.write_slice(&pattern, GuestAddress(0)).unwrap();
    mem
}

fn snapshot(mem: &GuestMemoryMmap) -> Vec<u8> {
    let mut buf = vec![0u8; MEM_SIZE];
    mem.read_slice(&mut buf, GuestAddress(0)).unwrap();
    buf
}

/// Runs `f` on patterned memory and asserts it left memory unchanged.
fn untouched<T>(f: impl FnOnce(&GuestMemoryMmap) -> T) -> T {
    let mem = patterned();
    let before = snapshot(&mem);
    let out = f(&mem);
    assert!(
        snapshot(&mem) == before,
        "a rejected configuration wrote guest memory"
    );
    out
}

fn zero_page() -> boot_params {
    let mut p = boot_params::default();
    p.hdr.boot_flag = 0xaa55;
    p.hdr.header = 0x5372_6448;
    p.hdr.type_of_loader = 0xff;
    p
}

#[test]
fn linux_zero_page_may_end_on_the_last_byte_of_ram() {
    let mem = patterned();
    let at = GuestAddress((MEM_SIZE - 4096) as u64);
    let params = BootParams::new(&zero_page(), at);
    LinuxBootConfigurator::write_bootparams(&params, &mem).unwrap();
    assert_eq!(mem.read_obj::<boot_params>(at).unwrap(), zero_page());
}

#[test]
fn linux_rejections_leave_memory_untouched() {
    let past = BootParams::new(&zero_page(), GuestAddress((MEM_SIZE - 4095) as u64));
    untouched(|mem| {
        assert_eq!(
            LinuxBootConfigurator::write_bootparams(&past, mem),
            Err(configurator::Error::Linux(linux::Error::ZeroPagePastRamEnd))
        );
        assert_eq!(
            LinuxBootConfigurator::write(&past, mem),
            Err(Error::OutsideMemory {
                name: RangeName::ZeroPage,
                start: MEM_SIZE as u64 - 4095,
                end: MEM_SIZE as u64 + 1
            })
        );
    });
    let wrapping = BootParams::new(&zero_page(), GuestAddress(u64::MAX - 100));
    untouched(|mem| {
        assert_eq!(
            LinuxBootConfigurator::write_bootparams(&wrapping, mem),
            Err(configurator::Error::Linux(linux::Error::ZeroPagePastRamEnd))
        );
    });

    let mut sections = BootParams::new(&zero_page(), GuestAddress(0x7000));
    sections.set_sections(&[hvm_memmap_table_entry::default()], GuestAddress(0x9000));
    untouched(|mem| {
        assert_eq!(
            LinuxBootConfigurator::write_bootparams(&sections, mem),
            Err(configurator::Error::Linux(linux::Error::UnexpectedSections))
        );
    });
    let mut modules = BootParams::new(&zero_page(), GuestAddress(0x7000));
    modules.set_modules(&[hvm_memmap_table_entry::default()], GuestAddress(0x9000));
    untouched(|mem| {
        assert_eq!(
            LinuxBootConfigurator::write_bootparams(&modules, mem),
            Err(configurator::Error::Linux(linux::Error::UnexpectedModules))
        );
    });

    // Not one boot_params: the kernel would read bytes nobody wrote.
    let short = BootParams::new(&hvm_start_info::default(), GuestAddress(0x7000));
    untouched(|mem| {
        assert_eq!(
            LinuxBootConfigurator::write_bootparams(&short, mem),
            Err(configurator::Error::Linux(linux::Error::ZeroPageSize))
        );
        assert_eq!(
            LinuxBootConfigurator::write(&short, mem),
            Err(Error::HeaderSize {
                name: RangeName::ZeroPage,
                len: 56,
                expected: 4096
            })
        );
    });
    let mut too_many = zero_page();
    too_many.e820_entries = 129;
    let too_many = BootParams::new(&too_many, GuestAddress(0x7000));
    untouched(|mem| {
        assert_eq!(
            LinuxBootConfigurator::write(&too_many, mem),
            Err(Error::TooMany {
                what: "zero-page e820 entries",
                count: 129,
                max: 128
            })
        );
    });
}

fn memmap() -> Vec<hvm_memmap_table_entry> {
    vec![
        hvm_memmap_table_entry {
            addr: 0,
            size: 0x9_fc00,
            type_: 1,
            reserved: 0,
        },
        hvm_memmap_table_entry {
            addr: 0x10_0000,
            size: MEM_SIZE as u64 - 0x10_0000,
            type_: 1,
            reserved: 0,
        },
    ]
}

/// Consistent PVH parameters: start info at 0x6000, module list at 0x6040, memory map at 0x7000.
fn pvh_params() -> BootParams {
    StartInfoBuilder::new()
        .cmdline(GuestAddress(0x2_0000))
        .memmap(memmap())
        .module(GuestAddress(0x8_0000), 0x1000)
        .build(
            GuestAddress(0x6000),
            GuestAddress(0x7000),
            Some(GuestAddress(0x6040)),
        )
        .unwrap()
}

fn start_info_of(params: &BootParams) -> hvm_start_info {
    let mut si = hvm_start_info::default();
    si.as_mut_slice().copy_from_slice(&params.header);
    si
}

fn with_start_info(params: &BootParams, f: impl FnOnce(&mut hvm_start_info)) -> BootParams {
    let mut si = start_info_of(params);
    f(&mut si);
    let mut p = params.clone();
    p.header = si.as_slice().to_vec();
    p
}

#[test]
fn pvh_writes_all_three_structures() {
    let mem = patterned();
    let params = pvh_params();
    PvhBootConfigurator::write_bootparams(&params, &mem).unwrap();
    let si: hvm_start_info = mem.read_obj(GuestAddress(0x6000)).unwrap();
    assert_eq!(si.magic, XEN_HVM_START_MAGIC_VALUE);
    assert_eq!(si.version, 1);
    assert_eq!(si.memmap_paddr, 0x7000);
    assert_eq!(si.memmap_entries, 2);
    assert_eq!(si.nr_modules, 1);
    assert_eq!(si.modlist_paddr, 0x6040);
    assert_eq!(si.cmdline_paddr, 0x2_0000);
    let e: hvm_memmap_table_entry = mem.read_obj(GuestAddress(0x7018)).unwrap();
    assert_eq!(e, memmap()[1]);
    let mut module = [0u8; 32];
    mem.read_slice(&mut module, GuestAddress(0x6040)).unwrap();
    assert_eq!(&module[..8], &0x8_0000u64.to_le_bytes());
}

#[test]
fn pvh_structures_may_end_on_the_last_byte_of_ram() {
    let end = MEM_SIZE as u64;
    let params = StartInfoBuilder::new()
        .memmap(memmap())
        .module(GuestAddress(0x8_0000), 0x1000)
        .build(
            GuestAddress(end - 56),
            GuestAddress(end - 56 - 48),
            Some(GuestAddress(end - 56 - 48 - 32)),
        )
        .unwrap();
    let mem = patterned();
    PvhBootConfigurator::write_bootparams(&params, &mem).unwrap();
}

#[test]
fn pvh_upstream_errors_leave_memory_untouched() {
    let base = pvh_params();
    let cases: Vec<(BootParams, configurator::Error)> = vec![
        (
            BootParams {
                sections: None,
                ..base.clone()
            },
            pvh::Error::MemmapTableMissing.into(),
        ),
        (
            BootParams {
                sections_start: None,
                ..base.clone()
            },
            pvh::Error::MemmapTableAddressMissing.into(),
        ),
        (
            BootParams {
                modules_start: None,
                ..base.clone()
            },
            pvh::Error::ModulesAddressMissing.into(),
        ),
        (
            BootParams {
                sections_start: Some(GuestAddress(MEM_SIZE as u64 - 47)),
                ..base.clone()
            },
            pvh::Error::MemmapTablePastRamEnd.into(),
        ),
        (
            BootParams {
                header_start: GuestAddress(MEM_SIZE as u64 - 55),
                ..base.clone()
            },
            pvh::Error::StartInfoPastRamEnd.into(),
        ),
        (
            BootParams {
                modules_start: Some(GuestAddress(MEM_SIZE as u64 - 31)),
                ..base.clone()
            },
            pvh::Error::ModulesPastRamEnd.into(),
        ),
    ];
    for (params, expected) in cases {
        untouched(|mem| {
            assert_eq!(
                PvhBootConfigurator::write_bootparams(&params, mem),
                Err(expected)
            );
        });
    }
}

#[test]
fn pvh_consistency_checks_name_the_field() {
    let base = pvh_params();
    let cases: Vec<(BootParams, Error, pvh::Error)> = vec![
        (
            with_start_info(&base, |si| si.magic = 0),
            Error::StartInfoMagic { magic: 0 },
            pvh::Error::StartInfoMagic,
        ),
        (
            with_start_info(&base, |si| si.memmap_paddr = 0x9000),
            Error::MemmapPaddrMismatch {
                memmap_paddr: 0x9000,
                written: 0x7000,
            },
            pvh::Error::MemmapTableInconsistent,
        ),
        (
            with_start_info(&base, |si| si.memmap_entries = 0),
            Error::MemmapEntriesMismatch {
                memmap_entries: 0,
                written: 2,
            },
            pvh::Error::MemmapTableInconsistent,
        ),
        (
            with_start_info(&base, |si| si.nr_modules = 0),
            Error::ModulesCountMismatch {
                nr_modules: 0,
                written: 1,
            },
            pvh::Error::ModulesInconsistent,
        ),
        (
            with_start_info(&base, |si| si.modlist_paddr = 0x6080),
            Error::ModlistPaddrMismatch {
                modlist_paddr: 0x6080,
                written: 0x6040,
            },
            pvh::Error::ModulesInconsistent,
        ),
        (
            BootParams {
                modules: None,
                modules_start: None,
                ..base.clone()
            },
            Error::ModulesCountMismatch {
                nr_modules: 1,
                written: 0,
            },
            pvh::Error::ModulesInconsistent,
        ),
        (
            BootParams {
                header: vec![0; 48],
                ..base.clone()
            },
            Error::HeaderSize {
                name: RangeName::StartInfo,
                len: 48,
                expected: 56,
            },
            pvh::Error::StartInfoSize,
        ),
        (
            BootParams {
                sections: Some(vec![0; 47]),
                ..base.clone()
            },
            Error::ListNotWholeEntries {
                name: RangeName::Memmap,
                len: 47,
                entry_size: 24,
            },
            pvh::Error::MemmapTableInconsistent,
        ),
        (
            BootParams {
                modules_start: Some(GuestAddress(0x7010)),
                ..with_start_info(&base, |si| si.modlist_paddr = 0x7010)
            },
            Error::RangesOverlap {
                first: RangeName::Memmap,
                first_start: 0x7000,
                first_end: 0x7030,
                second: RangeName::Modlist,
                second_start: 0x7010,
                second_end: 0x7030,
            },
            pvh::Error::Overlap,
        ),
    ];
    for (params, rich, upstream) in cases {
        untouched(|mem| {
            assert_eq!(PvhBootConfigurator::write(&params, mem), Err(rich.clone()));
            assert_eq!(
                PvhBootConfigurator::write_bootparams(&params, mem),
                Err(configurator::Error::Pvh(upstream))
            );
        });
    }
}

#[test]
fn start_info_builder_needs_a_modlist_address() {
    assert_eq!(
        StartInfoBuilder::new()
            .module(GuestAddress(0x8_0000), 1)
            .build(GuestAddress(0x6000), GuestAddress(0x7000), None),
        Err(Error::Configurator(configurator::Error::Pvh(
            pvh::Error::ModulesAddressMissing
        )))
    );
    // Without modules there is no module list.
    let p = StartInfoBuilder::new()
        .build(
            GuestAddress(0x6000),
            GuestAddress(0x7000),
            Some(GuestAddress(0x6040)),
        )
        .unwrap();
    assert_eq!(p.modules, None);
    assert_eq!(start_info_of(&p).modlist_paddr, 0);
    assert_eq!(start_info_of(&p).memmap_entries, 0);
}
