// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! x86_64 cases on QEMU `-M pc` with the `fixtures/boot/x86-stub.S` firmware.
//!
//! Guest memory is laid out by our crates — kernel-elf / kernel-bzimage load the kernel,
//! kernel-cmdline builds the command line, boot-params-x86's layout planner places and writes
//! the zero page or `hvm_start_info`, the command line and the initrd (through loader-core's
//! executor) — then handed to QEMU as `-device loader` blobs, with a 24-byte descriptor telling
//! the stub which entry state the layout asked for.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

use boot_params_x86::bootparam::setup_header;
use boot_params_x86::{BootProtocol, EntryState, LayoutPlanner, MemoryMap, RangeName};
use kernel_cmdline::Cmdline;
use loader_core::{GuestRange, KernelLoaderResult, SeekSource};
use vm_memory::GuestAddress;

use super::guest::{GuestImage, harness_blob};
use super::qemu::Launch;
use super::stub::{self, Descriptor, X86Mode};
use super::{Ctx, Prep, Prepared, locate};

/// Guest RAM: QEMU `-m 512`, all below the PCI hole.
const RAM_SIZE: u64 = 512 << 20;
/// End of conventional memory (the EBDA and the VGA/BIOS area follow).
const LOW_RAM_END: u64 = 0x9_fc00;
/// The system BIOS area (our stub), reported as reserved.
const BIOS_ROM: u64 = 0xf_0000;
/// Start of high memory.
const HIGH_RAM: u64 = 0x10_0000;

/// Which kernel file a case loads.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kernel {
    /// The tiny x86_64 vmlinux `cargo xtask fixtures build` makes (ELF, with the PVH note).
    Vmlinux,
    /// Debian's cloud bzImage.
    DebianBzImage,
    /// Debian's cloud bzImage, its payload decompressed by kernel-bzimage straight into guest
    /// memory as the vmlinux inside (for PVH: the entry comes from that vmlinux's note).
    DebianBzImageVmlinux,
}

/// Prepares an x86 case: `kernel` booted with `mode`.
pub(crate) fn prepare(ctx: &Ctx, kernel: Kernel, mode: X86Mode) -> Result<Prepared, Prep> {
    let (kernel_path, kernel_desc) = match kernel {
        Kernel::Vmlinux => locate("built-x86_64-vmlinux").map_err(Prep::Missing)?,
        Kernel::DebianBzImage | Kernel::DebianBzImageVmlinux => {
            locate("debian-amd64-vmlinuz").map_err(Prep::Missing)?
        }
    };
    let (initrd_path, _) = locate("initramfs-x86_64-cpio.gz").map_err(Prep::Missing)?;

    let cmdline = super::cmdline("console=ttyS0 earlyprintk=serial", &ctx.marker)?;
    let started = Instant::now();
    let mut guest = GuestImage::new(&[(0, RAM_SIZE)]).map_err(Prep::Failed)?;
    let desc = lay_out(
        &mut guest,
        kernel,
        mode,
        &kernel_path,
        &initrd_path,
        &cmdline,
    )
    .map_err(Prep::Failed)?;
    let load_time = started.elapsed();

    let stub_bin = stub::build_x86_stub(&ctx.work).map_err(Prep::Failed)?;
    let mut blobs = guest.dump(&ctx.work.join("mem")).map_err(Prep::Failed)?;
    blobs.push(
        harness_blob(
            &ctx.work,
            "stub-descriptor",
            stub::DESC_ADDR,
            &desc.to_bytes(),
        )
        .map_err(Prep::Failed)?,
    );
    let launch = Launch {
        qemu: "qemu-system-x86_64",
        machine: vec![
            "-M".into(),
            "pc".into(),
            "-accel".into(),
            "tcg".into(),
            "-m".into(),
            format!("{}M", RAM_SIZE >> 20),
            "-nodefaults".into(),
            "-bios".into(),
            stub_bin.display().to_string(),
        ],
        extra: Vec::new(),
        blobs,
        timeout: ctx.timeout,
    };
    Ok(Prepared {
        launch,
        cmdline: cmdline_text(&cmdline)?,
        kernel: kernel_desc,
        load_time,
        entry: format!(
            "{:?}: entry {:#x}, {} {:#x}",
            desc.mode,
            desc.entry.0,
            if mode == X86Mode::Pvh {
                "ebx = start_info"
            } else {
                "zero page"
            },
            desc.arg.0
        ),
    })
}

fn cmdline_text(c: &Cmdline) -> Result<String, Prep> {
    let s = c
        .as_cstring()
        .map_err(|e| Prep::Failed(format!("command line: {e}")))?;
    Ok(s.to_string_lossy().into_owned())
}

/// What the kernel loader reported, whatever the format.
struct Loaded {
    result: KernelLoaderResult,
    /// The bzImage's setup header, for the zero page.
    setup_header: Option<setup_header>,
}

fn load_kernel(guest: &mut GuestImage, kernel: Kernel, path: &Path) -> Result<Loaded, String> {
    let mut f = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let loaded = match kernel {
        Kernel::Vmlinux => {
            let load = kernel_elf::Elf::load_detailed(
                &guest.mem,
                None,
                &mut f,
                Some(GuestAddress(HIGH_RAM)),
            )
            .map_err(|e| format!("kernel-elf: {}: {e}", path.display()))?;
            Loaded {
                result: load.result,
                setup_header: None,
            }
        }
        Kernel::DebianBzImage => {
            let load = kernel_bzimage::BzImage::load_detailed(
                &guest.mem,
                None,
                &mut f,
                Some(GuestAddress(HIGH_RAM)),
            )
            .map_err(|e| format!("kernel-bzimage: {}: {e}", path.display()))?;
            Loaded {
                result: load.result,
                setup_header: Some(load.setup_header),
            }
        }
        Kernel::DebianBzImageVmlinux => {
            let load = kernel_bzimage::BzImage::load_vmlinux(
                &guest.mem,
                None,
                &mut f,
                Some(GuestAddress(HIGH_RAM)),
                kernel_bzimage::Limits::default(),
            )
            .map_err(|e| format!("kernel-bzimage (vmlinux): {}: {e}", path.display()))?;
            Loaded {
                result: load.elf.result,
                setup_header: None,
            }
        }
    };
    guest.record("kernel", loaded.result.loaded);
    Ok(loaded)
}

/// Loads everything and returns the stub descriptor.
///
/// boot-params-x86's layout planner places the zero page or `hvm_start_info` (with its memory
/// map and module list), the command line and the initrd around the kernel's needed-free range
/// and the stub's own memory; the layout then writes them (the initrd through loader-core's
/// executor) and returns the entry state the stub establishes.
fn lay_out(
    guest: &mut GuestImage,
    kernel: Kernel,
    mode: X86Mode,
    kernel_path: &Path,
    initrd_path: &Path,
    cmdline: &Cmdline,
) -> Result<Descriptor, String> {
    let loaded = load_kernel(guest, kernel, kernel_path)?;
    let protocol = match mode {
        X86Mode::Linux64 => BootProtocol::Linux64,
        X86Mode::Linux32 => BootProtocol::Linux32,
        X86Mode::Pvh => BootProtocol::Pvh,
    };
    let memory = MemoryMap::new()
        .with_ram(GuestAddress(0), LOW_RAM_END)
        .with_ram(GuestAddress(HIGH_RAM), RAM_SIZE - HIGH_RAM)
        .with_e820_reserved(GuestAddress(BIOS_ROM), HIGH_RAM - BIOS_ROM);
    let cmdline = cmdline
        .as_cstring()
        .map_err(|e| format!("command line: {e}"))?;
    let mut initrd =
        File::open(initrd_path).map_err(|e| format!("{}: {e}", initrd_path.display()))?;
    let initrd_len = initrd
        .metadata()
        .map_err(|e| format!("{}: {e}", initrd_path.display()))?
        .len();
    let mut planner = LayoutPlanner::new(loaded.result, memory)
        .protocol(protocol)
        .cmdline_cstr(&cmdline)
        .initrd_size(initrd_len);
    for (start, end) in stub::X86_STUB_RANGES {
        planner = planner.occupied(GuestRange::new(GuestAddress(start), end - start));
    }
    if let Some(hdr) = loaded.setup_header {
        planner = planner.setup_header(hdr);
    }
    let layout = planner
        .plan()
        .map_err(|e| format!("boot-params-x86 layout: {e}"))?;
    layout
        .write_with_initrd(&guest.mem, &mut SeekSource::new(&mut initrd))
        .map_err(|e| format!("boot-params-x86 layout write: {e}"))?;
    for named in layout.ranges() {
        if !matches!(named.name, RangeName::Kernel | RangeName::Occupied(_)) {
            guest.record(&named.name.to_string().replace(' ', "-"), named.range);
        }
    }
    let (entry, arg) = match layout.entry() {
        EntryState::Linux64 { rip, rsi } => (rip, rsi),
        EntryState::Linux32 { eip, esi } => (u64::from(eip), u64::from(esi)),
        EntryState::Pvh { eip, ebx } => (u64::from(eip), u64::from(ebx)),
    };
    Ok(Descriptor {
        mode,
        entry: GuestAddress(entry),
        arg: GuestAddress(arg),
    })
}

/// Default per-case timeout on TCG.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);
