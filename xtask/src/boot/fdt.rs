// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! arm64 and riscv64 cases on QEMU `-M virt`: kernel-pe loads the Image, boot-fdt patches
//! QEMU's own device tree (`-M virt,dumpdtb=FILE` with the same flags) and places the initrd
//! and DTB.
//!
//! arm64: a six-instruction stub at the flash base (`-bios`) sets `x0` = DTB, `x1`-`x3` = 0 and
//! branches to the Image. riscv64: Debian's OpenSBI `fw_jump.bin` is the firmware; it jumps to
//! 0x8020_0000 with `a1` = the DTB QEMU got through `-dtb` (which OpenSBI copies to
//! 0x8220_0000, a range the layout keeps clear).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use boot_fdt::{EntryState, Fdt, FdtBootConfigurator, LayoutRequest, plan_layout};
use loader_core::configurator::BootParams;
use loader_core::{GuestRange, KernelLoader, KernelLoaderResult};
use vm_memory::GuestAddress;

use super::guest::GuestImage;
use super::qemu::{self, Launch};
use super::stub;
use super::{Ctx, Prep, Prepared, locate};
use crate::fixtures::cache::Need;

/// Per-case timeouts on TCG (the Debian arm64 kernel probes more hardware than a tiny one).
pub(crate) const TIMEOUT_ARM64: Duration = Duration::from_secs(120);
pub(crate) const TIMEOUT_RISCV64: Duration = Duration::from_secs(90);

const RAM_SIZE: u64 = 512 << 20;
const ARM64_RAM: u64 = 0x4000_0000;
/// Where the Image goes: RAM + 2 MiB, leaving QEMU's own firmware DTB copy at the RAM base.
const ARM64_KERNEL: u64 = ARM64_RAM + 0x20_0000;
const RISCV64_RAM: u64 = 0x8000_0000;
/// OpenSBI fw_jump's firmware region: its jump address is RAM + 2 MiB.
const RISCV64_FW_END: u64 = RISCV64_RAM + 0x20_0000;
/// Debian's OpenSBI (package `opensbi`) generic-platform fw_jump firmware.
const FW_JUMP: &str = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin";

/// Which arm64 kernel file a case loads.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arm64Kernel {
    /// Debian's uncompressed Image.
    Image,
    /// Debian's Image.gz.
    ImageGz,
    /// The built EFI zboot image.
    Zboot,
}

fn arm64_machine() -> Vec<String> {
    [
        "-M",
        "virt",
        "-cpu",
        "cortex-a57",
        "-accel",
        "tcg",
        "-m",
        "512M",
        "-nodefaults",
    ]
    .map(String::from)
    .to_vec()
}

fn riscv64_machine() -> Vec<String> {
    ["-M", "virt", "-accel", "tcg", "-m", "512M", "-nodefaults"]
        .map(String::from)
        .to_vec()
}

/// QEMU's device tree for `machine` (the first `-M` value gets `,dumpdtb=`).
fn dump_dtb(qemu: &'static str, machine: &[String], out: &Path) -> Result<Vec<u8>, String> {
    let mut args = machine.to_vec();
    let m = args
        .iter()
        .position(|a| a == "-M")
        .ok_or("machine arguments have no -M")?;
    args[m + 1] = format!("{},dumpdtb={}", args[m + 1], out.display());
    let output = Command::new(qemu)
        .args(&args)
        .args(["-display", "none"])
        .output()
        .map_err(|e| format!("cannot start {qemu}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{qemu} dumpdtb failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    std::fs::read(out).map_err(|e| format!("{}: {e}", out.display()))
}

/// Loads an Image with kernel-pe: plain Images with `PE::load`, compressed ones (Image.gz, EFI
/// zboot, ...) with `PE::load_compressed`, which decompresses straight into guest memory.
fn load_image(guest: &mut GuestImage, path: &Path, base: u64) -> Result<KernelLoaderResult, Prep> {
    let failed = |e: kernel_pe::Error| Prep::Failed(format!("kernel-pe: {}: {e}", path.display()));
    let mut f = File::open(path).map_err(|e| Prep::Failed(format!("{}: {e}", path.display())))?;
    let r = match kernel_pe::PE::load(&guest.mem, Some(GuestAddress(base)), &mut f, None) {
        Ok(r) => r,
        Err(kernel_pe::Error::CompressedImage { .. }) => {
            kernel_pe::PE::load_compressed(
                &guest.mem,
                Some(GuestAddress(base)),
                &mut f,
                None,
                kernel_pe::kernel_decompress::Limits::default(),
            )
            .map_err(failed)?
            .result
        }
        Err(e) => return Err(failed(e)),
    };
    guest.record("kernel", r.loaded);
    Ok(r)
}

/// What both arches share: the DTB patched with our command line and initrd.
struct Patched {
    dtb: Vec<u8>,
    layout: boot_fdt::FdtLayout,
    initrd: GuestRange,
}

fn patch_and_place(
    guest: &mut GuestImage,
    qemu_dtb: &[u8],
    ram: GuestRange,
    kernel: &KernelLoaderResult,
    initrd_path: &Path,
    reserved: &[GuestRange],
    bootargs: &str,
) -> Result<Patched, String> {
    let initrd_len = std::fs::metadata(initrd_path)
        .map_err(|e| format!("{}: {e}", initrd_path.display()))?
        .len();
    let layout = plan_layout(&LayoutRequest {
        ram: &[ram],
        kernel: kernel.needs_free,
        initrd_size: Some(initrd_len),
        dtb_size: boot_fdt::limits::MAX_DTB_SIZE as u64,
        reserved,
    })
    .map_err(|e| format!("boot-fdt layout: {e}"))?;
    let initrd_range = layout.initrd.ok_or("boot-fdt placed no initrd")?;
    let initrd = guest.load_file("initrd", initrd_path, initrd_range.start)?;

    let mut fdt = Fdt::parse(qemu_dtb).map_err(|e| format!("boot-fdt: QEMU's DTB: {e}"))?;
    let mut chosen = fdt.chosen_mut();
    chosen
        .set_bootargs(bootargs)
        .map_err(|e| format!("boot-fdt: bootargs: {e}"))?;
    chosen
        .set_initrd_range(initrd)
        .map_err(|e| format!("boot-fdt: initrd: {e}"))?;
    let dtb = fdt.to_bytes().map_err(|e| format!("boot-fdt: {e}"))?;
    Ok(Patched {
        dtb,
        layout,
        initrd,
    })
}

fn text(c: &kernel_cmdline::Cmdline) -> Result<String, Prep> {
    c.as_cstring()
        .map(|s| s.to_string_lossy().into_owned())
        .map_err(|e| Prep::Failed(format!("command line: {e}")))
}

/// Prepares an arm64 case.
pub(crate) fn prepare_arm64(ctx: &Ctx, kernel: Arm64Kernel) -> Result<Prepared, Prep> {
    let name = match kernel {
        Arm64Kernel::Image => "debian-arm64-Image",
        Arm64Kernel::ImageGz => "debian-arm64-Image.gz",
        Arm64Kernel::Zboot => "built-arm64-vmlinuz.efi",
    };
    let (kernel_path, kernel_desc) = locate(name).map_err(Prep::Missing)?;
    let (initrd_path, _) = locate("initramfs-arm64-cpio.gz").map_err(Prep::Missing)?;
    qemu::ensure_host("qemu-system-aarch64", &[]).map_err(Prep::Failed)?;
    std::fs::create_dir_all(&ctx.work).map_err(|e| Prep::Failed(e.to_string()))?;
    // The DTB must come from the very flags of the boot, `-bios` included: with firmware
    // loaded, `virt` leaves out devices (the PL061 GPIO) the kernel would otherwise probe.
    // The stub's bytes do not change the tree, so a placeholder stands in until the layout
    // knows the addresses it carries.
    let bios = ctx.work.join("arm64-stub.bin");
    std::fs::write(&bios, stub::arm64_stub(GuestAddress(0), GuestAddress(0)))
        .map_err(|e| Prep::Failed(format!("{}: {e}", bios.display())))?;
    let mut machine = arm64_machine();
    machine.extend(["-bios".into(), bios.display().to_string()]);
    let qemu_dtb = dump_dtb("qemu-system-aarch64", &machine, &ctx.work.join("qemu.dtb"))
        .map_err(Prep::Failed)?;
    let cmdline = super::cmdline("console=ttyAMA0 earlycon", &ctx.marker)?;
    let bootargs = text(&cmdline)?;

    let started = Instant::now();
    let ram = GuestRange::new(GuestAddress(ARM64_RAM), RAM_SIZE);
    let mut guest = GuestImage::new(&[(ARM64_RAM, RAM_SIZE)]).map_err(Prep::Failed)?;
    let result = load_image(&mut guest, &kernel_path, ARM64_KERNEL)?;
    // QEMU puts its own DTB for the firmware at the RAM base; keep our data off it.
    let reserved = [GuestRange::new(
        GuestAddress(ARM64_RAM),
        ARM64_KERNEL - ARM64_RAM,
    )];
    let patched = patch_and_place(
        &mut guest,
        &qemu_dtb,
        ram,
        &result,
        &initrd_path,
        &reserved,
        &bootargs,
    )
    .map_err(Prep::Failed)?;
    let params = BootParams {
        header: patched.dtb.clone(),
        ..BootParams::new(&0u8, patched.layout.dtb.start)
    };
    FdtBootConfigurator::write_validated(&params, &guest.mem)
        .map_err(|e| Prep::Failed(format!("boot-fdt configurator: {e}")))?;
    guest.record(
        "dtb",
        GuestRange::new(patched.layout.dtb.start, patched.dtb.len() as u64),
    );
    let entry = result
        .entry
        .image
        .ok_or_else(|| Prep::Failed("kernel-pe reported no Image entry".into()))?;
    let state = EntryState::arm64(entry, patched.layout.dtb.start);
    let load_time = started.elapsed();

    let EntryState::Arm64 { pc, x0 } = state else {
        return Err(Prep::Failed(format!("unexpected entry state {state:?}")));
    };
    std::fs::write(&bios, stub::arm64_stub(GuestAddress(x0), GuestAddress(pc)))
        .map_err(|e| Prep::Failed(format!("{}: {e}", bios.display())))?;
    let blobs = guest.dump(&ctx.work.join("mem")).map_err(Prep::Failed)?;
    Ok(Prepared {
        launch: Launch {
            qemu: "qemu-system-aarch64",
            machine,
            extra: Vec::new(),
            blobs,
            timeout: ctx.timeout,
        },
        cmdline: bootargs,
        kernel: kernel_desc,
        load_time,
        entry: format!(
            "pc {pc:#x}, x0 = DTB {x0:#x} (initrd {:#x}+{:#x})",
            patched.initrd.start.0, patched.initrd.len
        ),
    })
}

/// Prepares the riscv64 case.
pub(crate) fn prepare_riscv64(ctx: &Ctx) -> Result<Prepared, Prep> {
    let (kernel_path, kernel_desc) = locate("built-riscv64-Image").map_err(Prep::Missing)?;
    let (initrd_path, _) = locate("initramfs-riscv64-cpio.gz").map_err(Prep::Missing)?;
    qemu::ensure_host("qemu-system-riscv64", &[Need::File(FW_JUMP, "opensbi")])
        .map_err(Prep::Failed)?;
    std::fs::create_dir_all(&ctx.work).map_err(|e| Prep::Failed(e.to_string()))?;
    let mut machine = riscv64_machine();
    machine.extend(["-bios".into(), FW_JUMP.into()]);
    let qemu_dtb = dump_dtb("qemu-system-riscv64", &machine, &ctx.work.join("qemu.dtb"))
        .map_err(Prep::Failed)?;
    let cmdline = super::cmdline("console=ttyS0 earlycon=sbi", &ctx.marker)?;
    let bootargs = text(&cmdline)?;

    let started = Instant::now();
    let ram = GuestRange::new(GuestAddress(RISCV64_RAM), RAM_SIZE);
    let mut guest = GuestImage::new(&[(RISCV64_RAM, RAM_SIZE)]).map_err(Prep::Failed)?;
    let result = load_image(&mut guest, &kernel_path, RISCV64_RAM)?;
    if result.entry.image != Some(GuestAddress(RISCV64_FW_END)) {
        return Err(Prep::Failed(format!(
            "the Image loads at {:?}, but fw_jump jumps to {RISCV64_FW_END:#x}",
            result.entry.image
        )));
    }
    let reserved = [
        GuestRange::new(GuestAddress(RISCV64_RAM), RISCV64_FW_END - RISCV64_RAM),
        boot_fdt::opensbi_fw_jump_reserved(),
    ];
    let patched = patch_and_place(
        &mut guest,
        &qemu_dtb,
        ram,
        &result,
        &initrd_path,
        &reserved,
        &bootargs,
    )
    .map_err(Prep::Failed)?;
    boot_fdt::validate(&patched.dtb).map_err(|e| Prep::Failed(format!("boot-fdt: {e}")))?;
    let load_time = started.elapsed();
    let dtb_path: PathBuf = ctx.work.join("patched.dtb");
    std::fs::write(&dtb_path, &patched.dtb)
        .map_err(|e| Prep::Failed(format!("{}: {e}", dtb_path.display())))?;
    let blobs = guest.dump(&ctx.work.join("mem")).map_err(Prep::Failed)?;
    Ok(Prepared {
        launch: Launch {
            qemu: "qemu-system-riscv64",
            machine,
            extra: vec!["-dtb".into(), dtb_path.display().to_string()],
            blobs,
            timeout: ctx.timeout,
        },
        cmdline: bootargs,
        kernel: kernel_desc,
        load_time,
        entry: format!(
            "OpenSBI fw_jump -> {RISCV64_FW_END:#x}, a1 = DTB (via -dtb; initrd {:#x}+{:#x})",
            patched.initrd.start.0, patched.initrd.len
        ),
    })
}
