// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Tier 2: lays out Debian's 6.1 amd64 cloud kernel (a real bzImage header) with a 1 MiB initrd
//! streamed from a reader, writes everything, and reads the zero page back.
//!
//! The kernel comes from `cargo xtask fixtures fetch`; without it the test prints SKIPPED (and
//! fails under `CI=true`).

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

use std::io::{Cursor, Read};

use boot_params_x86::bootparam::{
    SETUP_RNG_SEED, XLF_CAN_BE_LOADED_ABOVE_4G, XLF_KERNEL_64, boot_params, setup_data,
    setup_header,
};
use boot_params_x86::layout::{BootProtocol, EntryState, LayoutPlanner};
use boot_params_x86::{MemoryMap, RangeName};
use loader_core::{EntryPoints, GuestRange, KernelLoaderResult, StreamSource};
use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
use zerocopy::FromBytes;

const MIB: u64 = 1 << 20;
const LOAD: u64 = 0x10_0000;

#[test]
fn debian_amd64_bzimage_with_initrd() {
    let Some(path) = test_kernels::require(test_kernels::Kernel::DebianAmd64Bzimage) else {
        return;
    };
    let mut prefix = Vec::new();
    std::fs::File::open(&path)
        .unwrap()
        .take(0x1000)
        .read_to_end(&mut prefix)
        .unwrap();
    let file_len = std::fs::metadata(&path).unwrap().len();
    let hdr = setup_header::from_image_prefix(&prefix).unwrap();
    // What the bzImage loader will report: protected-mode code at 1 MiB, init_size kept free.
    assert_eq!(hdr.protocol_version(), Some(0x020f));
    assert!(hdr.has_xloadflag(XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G));
    let payload = file_len - u64::from(hdr.protected_mode_offset());
    let init_size = u64::from(hdr.init_size);
    assert!(init_size >= payload);
    let kernel = KernelLoaderResult {
        kernel_load: GuestAddress(LOAD),
        kernel_end: LOAD + payload,
        loaded: GuestRange::new(GuestAddress(LOAD), payload),
        entry: EntryPoints {
            linux_64: Some(GuestAddress(LOAD + 0x200)),
            linux_32: Some(GuestAddress(LOAD)),
            pvh: None,
            image: None,
        },
        needs_free: GuestRange::new(GuestAddress(LOAD), init_size),
    };

    let mem_size = 256 * MIB;
    let mem: GuestMemoryMmap =
        GuestMemoryMmap::from_ranges(&[(GuestAddress(0), mem_size as usize)]).unwrap();
    let map =
        MemoryMap::from_guest_memory(&mem).with_e820_reserved(GuestAddress(0x9_fc00), 0x6_0400);
    let cmdline = b"console=ttyS0 earlyprintk=serial panic=-1 rdinit=/init";
    let initrd: Vec<u8> = (0..MIB as usize).map(|i| (i * 31 % 253) as u8).collect();
    let layout = LayoutPlanner::new(kernel, map)
        .setup_header(hdr)
        .cmdline(cmdline)
        .initrd_size(initrd.len() as u64)
        .rng_seed(&[0xa5; 32])
        .plan()
        .unwrap();
    assert_eq!(layout.protocol(), BootProtocol::Linux64);
    assert_eq!(
        layout.entry(),
        EntryState::Linux64 {
            rip: LOAD + 0x200,
            rsi: 0x7000
        }
    );
    // The initrd: top of RAM (the kernel may take it above 4 GiB, so no lower limit applies),
    // page-aligned, clear of init_size.
    let r = layout.initrd().unwrap();
    assert_eq!(r, GuestRange::new(GuestAddress(mem_size - MIB), MIB));
    assert!(!r.overlaps(&kernel.needs_free));
    for nr in layout.ranges() {
        if nr.name != RangeName::Kernel {
            assert!(!nr.range.overlaps(&kernel.needs_free), "{nr:?}");
        }
    }

    layout
        .write_with_initrd(&mem, &mut StreamSource::new(Cursor::new(initrd.clone())))
        .unwrap();
    let zp: boot_params = mem.read_obj(GuestAddress(0x7000)).unwrap();
    // The kernel's own header, with only the loader's fields changed.
    assert_eq!({ zp.hdr.cmdline_size }, { hdr.cmdline_size });
    assert_eq!({ zp.hdr.init_size }, { hdr.init_size });
    assert_eq!({ zp.hdr.kernel_alignment }, { hdr.kernel_alignment });
    assert_eq!(zp.hdr.type_of_loader, 0xff);
    assert_eq!({ zp.hdr.cmd_line_ptr }, 0x2_0000);
    assert_eq!({ zp.hdr.ramdisk_image } as u64, mem_size - MIB);
    assert_eq!({ zp.hdr.ramdisk_size } as u64, MIB);
    assert!(cmdline.len() <= hdr.cmdline_size as usize);
    let node_hdr: [u8; 16] = mem.read_obj(GuestAddress(zp.hdr.setup_data)).unwrap();
    let node = setup_data::read_from_bytes(&node_hdr).unwrap();
    assert_eq!(
        (node.type_, node.len, { node.next }),
        (SETUP_RNG_SEED, 32, 0)
    );
    let mut back = vec![0u8; MIB as usize];
    mem.read_slice(&mut back, r.start).unwrap();
    assert!(back == initrd);
    eprintln!("{layout}");
}
