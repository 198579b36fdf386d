// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The boot structures a VMM builds around a load: command line, zero page, the x86 layout, the
//! patched device tree. Each function does what a VMM does once per boot; the bench times it.

use std::path::Path;
use std::process::Command;

use boot_fdt::Fdt;
use boot_params_x86::{
    E820Table, LayoutPlanner, LinuxBootConfigurator, MemoryMap, X86Layout, ZeroPageBuilder,
    vmlinux_setup_header,
};
use kernel_cmdline::Cmdline;
use loader_core::configurator::BootParams;
use loader_core::{EntryPoints, GuestRange, KernelLoaderResult};
use vm_memory::GuestAddress;

use crate::load::{ARM64_RAM, Mem, X86_RAM, prefaulted_memory};

/// The command line every function here uses.
pub const CMDLINE: &str = "console=ttyS0 reboot=k panic=1 pci=off root=/dev/vda rw";
/// Where the zero page goes.
pub const ZERO_PAGE: GuestAddress = GuestAddress(0x7000);
/// Where the command line goes.
pub const CMDLINE_ADDR: GuestAddress = GuestAddress(0x2_0000);
/// x86 guest RAM for the structure benches.
pub const X86_RAM_LEN: u64 = 256 << 20;
/// The legacy hole every x86 VMM reserves (EBDA to the end of the BIOS area).
const LEGACY_HOLE: (u64, u64) = (0x9_fc00, 0x10_0000 - 0x9_fc00);

/// Builds a typical VMM command line with ours: a few parameters, four virtio-mmio devices,
/// init arguments; returns its length.
pub fn cmdline_ours() -> Result<usize, kernel_cmdline::Error> {
    let mut cl = Cmdline::new(2048)?;
    cl.insert_str(CMDLINE)?;
    cl.insert("i8042.noaux", "1")?;
    for i in 0..4u64 {
        cl.add_virtio_mmio_device(0x1000, 0xd000_0000 + i * 0x1000, 5 + i as u32, None)?;
    }
    cl.insert_init_args("--single")?;
    Ok(cl.as_cstring()?.as_bytes().len())
}

/// The same command line with upstream's `Cmdline`.
pub fn cmdline_upstream() -> Result<usize, upstream_linux_loader::cmdline::Error> {
    use upstream_linux_loader::cmdline::Cmdline;
    let mut cl = Cmdline::new(2048)?;
    cl.insert_str(CMDLINE)?;
    cl.insert("i8042.noaux", "1")?;
    for i in 0..4u64 {
        cl.add_virtio_mmio_device(
            0x1000,
            GuestAddress(0xd000_0000 + i * 0x1000),
            5 + i as u32,
            None,
        )?;
    }
    cl.insert_init_args("--single")?;
    Ok(cl.as_cstring()?.as_bytes().len())
}

/// x86 guest memory for the structure benches, pre-faulted.
pub fn x86_memory() -> Result<Mem, String> {
    prefaulted_memory(X86_RAM, X86_RAM_LEN)
}

/// Ours: the e820 table from guest memory and the legacy hole, the zero page from a vmlinux
/// setup header, written (validated first) by our `LinuxBootConfigurator`.
pub fn zero_page_ours(mem: &Mem) -> Result<(), boot_params_x86::Error> {
    let map = MemoryMap::from_guest_memory(mem)
        .with_e820_reserved(GuestAddress(LEGACY_HOLE.0), LEGACY_HOLE.1);
    let e820 = E820Table::build(&map)?;
    let params = ZeroPageBuilder::new(vmlinux_setup_header())
        .cmdline(CMDLINE_ADDR, CMDLINE.len())
        .e820(e820.zero_page_entries())
        .build()?;
    LinuxBootConfigurator::write(&BootParams::new(&params, ZERO_PAGE), mem)
}

/// Upstream: the fields a VMM sets by hand (as Firecracker and Cloud Hypervisor do), written by
/// upstream's `LinuxBootConfigurator`.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
pub fn zero_page_upstream(mem: &Mem) -> Result<(), upstream_linux_loader::configurator::Error> {
    use upstream_linux_loader::configurator::linux::LinuxBootConfigurator;
    use upstream_linux_loader::configurator::{BootConfigurator, BootParams};
    use upstream_linux_loader::loader::bootparam::boot_params;

    let mut params = boot_params::default();
    params.hdr.type_of_loader = 0xff;
    params.hdr.boot_flag = 0xaa55;
    params.hdr.header = 0x5372_6448;
    params.hdr.cmd_line_ptr = CMDLINE_ADDR.0 as u32;
    params.hdr.cmdline_size = CMDLINE.len() as u32;
    params.hdr.kernel_alignment = 0x0100_0000;
    let entries = [
        (0, LEGACY_HOLE.0, boot_params_x86::bootparam::E820_RAM),
        (
            LEGACY_HOLE.0,
            LEGACY_HOLE.1,
            boot_params_x86::bootparam::E820_RESERVED,
        ),
        (
            0x10_0000,
            X86_RAM_LEN - 0x10_0000,
            boot_params_x86::bootparam::E820_RAM,
        ),
    ];
    for (i, (addr, size, type_)) in entries.into_iter().enumerate() {
        params.e820_table[i].addr = addr;
        params.e820_table[i].size = size;
        params.e820_table[i].r#type = type_;
    }
    params.e820_entries = entries.len() as u8;
    LinuxBootConfigurator::write_bootparams::<Mem>(&BootParams::new(&params, ZERO_PAGE), mem)
}

/// What a loader returned for a vmlinux at 16 MiB: the input of the layout planner.
pub fn sample_kernel() -> KernelLoaderResult {
    let loaded = GuestRange::new(GuestAddress(0x100_0000), 0x300_0000);
    KernelLoaderResult {
        kernel_load: loaded.start,
        kernel_end: 0x400_0000,
        loaded,
        entry: EntryPoints {
            linux_64: Some(loaded.start),
            ..EntryPoints::default()
        },
        needs_free: loaded,
    }
}

/// Ours only (upstream has no planner): every x86 boot structure placed and checked — e820,
/// zero page, command line, initrd, an RNG seed in `setup_data`.
pub fn layout_ours(mem: &Mem) -> Result<X86Layout, boot_params_x86::Error> {
    let map = MemoryMap::from_guest_memory(mem)
        .with_e820_reserved(GuestAddress(LEGACY_HOLE.0), LEGACY_HOLE.1);
    LayoutPlanner::new(sample_kernel(), map)
        .cmdline(CMDLINE.as_bytes())
        .initrd_size(8 << 20)
        .rng_seed(&[7; 32])
        .plan()
}

/// A device tree to patch: QEMU's own for `-M virt` (arm64) when `qemu-system-aarch64` is
/// installed (what a VMM patches in practice), else the committed minimal fixture. Returns the
/// blob and where it came from.
pub fn sample_dtb(scratch_dir: &Path) -> (Vec<u8>, &'static str) {
    let out = scratch_dir.join("qemu-virt-arm64.dtb");
    let dumped = std::fs::create_dir_all(scratch_dir).is_ok()
        && Command::new("qemu-system-aarch64")
            .args([
                "-M",
                "virt",
                "-cpu",
                "cortex-a57",
                "-m",
                "512M",
                "-smp",
                "2",
            ])
            .args(["-display", "none", "-machine"])
            .arg(format!("dumpdtb={}", out.display()))
            .output()
            .is_ok_and(|o| o.status.success());
    if dumped {
        if let Ok(bytes) = std::fs::read(&out) {
            return (bytes, "QEMU -M virt (arm64, 2 CPUs, 512 MiB) dumpdtb");
        }
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dtb/minimal.dtb");
    (
        std::fs::read(fixture).unwrap_or_default(),
        "fixtures/dtb/minimal.dtb (qemu-system-aarch64 not found)",
    )
}

/// Ours only (upstream writes a DTB as given): parse, set `/memory` and `/chosen` (bootargs,
/// initrd, RNG seed), serialize.
pub fn dtb_patch_ours(dtb: &[u8]) -> Result<Vec<u8>, boot_fdt::Error> {
    let ram = GuestRange::new(GuestAddress(ARM64_RAM), 512 << 20);
    let mut fdt = Fdt::parse(dtb)?;
    fdt.set_memory(&[ram])?;
    let mut chosen = fdt.chosen_mut();
    chosen.set_bootargs("console=ttyAMA0 earlycon reboot=k panic=1")?;
    chosen.set_initrd_range(GuestRange::new(GuestAddress(0x4800_0000), 8 << 20))?;
    chosen.set_rng_seed(&[0x5a; 32]);
    fdt.to_bytes()
}

#[cfg(test)]
mod tests {
    use boot_params_x86::bootparam::{E820_RAM, boot_e820_entry, boot_params};
    use vm_memory::Bytes;

    use super::*;

    #[test]
    fn every_structure_builds() {
        let ours = cmdline_ours().unwrap();
        assert_eq!(ours, cmdline_upstream().unwrap());
        let mem = x86_memory().unwrap();
        zero_page_ours(&mem).unwrap();
        let zp: boot_params = mem.read_obj(ZERO_PAGE).unwrap();
        assert_eq!({ zp.e820_entries }, 3);
        let low = boot_e820_entry {
            addr: 0,
            size: LEGACY_HOLE.0,
            type_: E820_RAM,
        };
        assert_eq!(zp.e820_table[0], low);
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        zero_page_upstream(&mem).unwrap();
        layout_ours(&mem).unwrap();
        let dir = std::env::temp_dir().join(format!("benches-test-{}", std::process::id()));
        let (dtb, _) = sample_dtb(&dir);
        let patched = dtb_patch_ours(&dtb).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            Fdt::parse(&patched)
                .unwrap()
                .chosen()
                .unwrap()
                .property_str("bootargs")
                .is_some()
        );
    }
}
