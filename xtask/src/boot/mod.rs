// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `cargo xtask boot [--case NAME]...`: boots real kernels under QEMU (TCG) from guest memory
//! laid out only by our crates.
//!
//! For each case: build guest memory with the workspace crates (kernel, initrd, a command line
//! carrying a fresh random marker, zero page / `hvm_start_info` / DTB), write the populated
//! ranges to files under `target/boot-lab/<case>/`, and start QEMU with those files placed by
//! `-device loader,...,force-raw=on` and firmware that only sets up the entry state — QEMU
//! never sees the kernel through `-kernel`/`-initrd`. A case passes when the serial console
//! shows the kernel banner, our exact command line, and the initramfs's init marker with the
//! random marker echoed from init's argv; QEMU is stopped as soon as that is seen.
//!
//! A kernel missing from the cache is `SKIPPED` locally and a failure under `CI=true`.

mod console;
mod fdt;
mod guest;
pub(crate) mod qemu;
mod stub;
mod x86;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kernel_cmdline::Cmdline;

use self::qemu::Launch;
use self::stub::X86Mode;
use crate::util;

pub(crate) use self::console::{Matcher, fresh_marker};

/// Why a case did not get as far as starting QEMU.
#[derive(Debug)]
pub(crate) enum Prep {
    /// A kernel or initramfs is not in the cache.
    Missing(String),
    /// Laying out guest memory failed.
    Failed(String),
}

/// A case ready to boot.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// The QEMU run.
    pub(crate) launch: Launch,
    /// The command line written into guest memory, as the kernel should print it.
    pub(crate) cmdline: String,
    /// The kernel file and where it came from.
    pub(crate) kernel: String,
    /// Time our crates took to build guest memory.
    pub(crate) load_time: Duration,
    /// The entry state, for the log.
    pub(crate) entry: String,
}

/// What every case gets.
#[derive(Debug)]
pub(crate) struct Ctx {
    /// Scratch directory for this case (memory blobs, stub, DTB).
    pub(crate) work: PathBuf,
    /// This run's random marker.
    pub(crate) marker: String,
    /// The case's timeout.
    pub(crate) timeout: Duration,
}

/// One registered boot case.
struct Case {
    name: &'static str,
    about: &'static str,
    timeout: Duration,
    prepare: fn(&Ctx) -> Result<Prepared, Prep>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "x86_64-vmlinux-pvh",
            about: "tiny vmlinux via its PVH note: 32-bit, paging off, ebx = start_info",
            timeout: x86::TIMEOUT,
            prepare: |c| x86::prepare(c, x86::Kernel::Vmlinux, X86Mode::Pvh),
        },
        Case {
            name: "x86_64-vmlinux-64",
            about: "tiny vmlinux, 64-bit boot protocol: long mode, rsi = zero page",
            timeout: x86::TIMEOUT,
            prepare: |c| x86::prepare(c, x86::Kernel::Vmlinux, X86Mode::Linux64),
        },
        Case {
            name: "x86_64-bzimage-64",
            about: "Debian cloud bzImage, 64-bit boot protocol (load + 0x200)",
            timeout: x86::TIMEOUT,
            prepare: |c| x86::prepare(c, x86::Kernel::DebianBzImage, X86Mode::Linux64),
        },
        Case {
            name: "x86_64-bzimage-32",
            about: "Debian cloud bzImage, 32-bit boot protocol: esi = zero page",
            timeout: x86::TIMEOUT,
            prepare: |c| x86::prepare(c, x86::Kernel::DebianBzImage, X86Mode::Linux32),
        },
        Case {
            name: "x86_64-bzimage-pvh",
            about: "Debian cloud bzImage via PVH: payload extracted to a vmlinux by kernel-bzimage",
            timeout: x86::TIMEOUT,
            prepare: |c| x86::prepare(c, x86::Kernel::DebianBzImageVmlinux, X86Mode::Pvh),
        },
        Case {
            name: "arm64-image",
            about: "Debian arm64 Image on -M virt, x0 = DTB patched by boot-fdt",
            timeout: fdt::TIMEOUT_ARM64,
            prepare: |c| fdt::prepare_arm64(c, fdt::Arm64Kernel::Image),
        },
        Case {
            name: "arm64-image-gz",
            about: "Debian arm64 Image.gz, decompressed by kernel-pe",
            timeout: fdt::TIMEOUT_ARM64,
            prepare: |c| fdt::prepare_arm64(c, fdt::Arm64Kernel::ImageGz),
        },
        Case {
            name: "arm64-zboot",
            about: "tiny arm64 EFI zboot vmlinuz.efi, payload decompressed by kernel-pe",
            timeout: fdt::TIMEOUT_ARM64,
            prepare: |c| fdt::prepare_arm64(c, fdt::Arm64Kernel::Zboot),
        },
        Case {
            name: "riscv64-image",
            about: "tiny riscv64 Image behind OpenSBI fw_jump, DTB patched by boot-fdt via -dtb",
            timeout: fdt::TIMEOUT_RISCV64,
            prepare: fdt::prepare_riscv64,
        },
    ]
}

/// The command line every case uses: the console, a quick exit on panic or reboot, the
/// initramfs's reboot request, and the marker as an environment word and an argv word.
pub(crate) fn cmdline(console: &str, marker: &str) -> Result<Cmdline, Prep> {
    let fail = |e: kernel_cmdline::Error| Prep::Failed(format!("command line: {e}"));
    let mut c = Cmdline::new(2048).map_err(fail)?;
    c.insert_str(console).map_err(fail)?;
    c.insert_str("reboot=t panic=-1 LINUX_LOADER_INIT_EXIT=reboot")
        .map_err(fail)?;
    c.insert("LLMARKER", marker).map_err(fail)?;
    c.insert_init_args(format!("ll-{marker}")).map_err(fail)?;
    Ok(c)
}

/// Finds a cached kernel or initramfs by artifact name (see `cargo xtask fixtures`).
pub(crate) fn locate(name: &str) -> Result<(PathBuf, String), String> {
    crate::fixtures::kernels::locate(name).map(|(path, artifact)| (path, artifact.describe()))
}

const USAGE: &str = "usage: cargo xtask boot [--case NAME]... [--list] [--echo]";

/// How one case ended.
enum Verdict {
    Passed,
    Failed,
    Skipped,
}

struct Row {
    name: &'static str,
    verdict: Verdict,
    load: Option<Duration>,
    boot: Option<Duration>,
    note: String,
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut wanted = Vec::new();
    let mut echo = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--case" => wanted.push(it.next().ok_or(USAGE)?.clone()),
            "--echo" => echo = true,
            "--list" => {
                for c in cases() {
                    println!("{:<22} {}", c.name, c.about);
                }
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let all = cases();
    for w in &wanted {
        if !all.iter().any(|c| c.name == w) {
            let names: Vec<&str> = all.iter().map(|c| c.name).collect();
            return Err(format!("no case `{w}`; cases: {}", names.join(", ")));
        }
    }
    let selected: Vec<&Case> = all
        .iter()
        .filter(|c| wanted.is_empty() || wanted.iter().any(|w| w == c.name))
        .collect();
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let root = util::workspace_root().join("target/boot-lab");
    let started = Instant::now();
    let mut rows = Vec::new();
    for case in selected {
        rows.push(run_case(case, &root, echo, ci));
    }
    print_summary(&rows, started.elapsed());
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| {
            matches!(r.verdict, Verdict::Failed) || (ci && matches!(r.verdict, Verdict::Skipped))
        })
        .map(|r| r.name)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("boot lab: {} failed", failed.join(", ")))
    }
}

fn run_case(case: &Case, root: &Path, echo: bool, ci: bool) -> Row {
    let marker = fresh_marker();
    let ctx = Ctx {
        work: root.join(case.name),
        marker: marker.clone(),
        timeout: case.timeout,
    };
    println!("=== {}: {}", case.name, case.about);
    let row = |verdict, note: String| Row {
        name: case.name,
        verdict,
        load: None,
        boot: None,
        note,
    };
    let prepared = match (case.prepare)(&ctx) {
        Ok(p) => p,
        Err(Prep::Missing(what)) => {
            let word = if ci { "FAILED (CI)" } else { "SKIPPED" };
            println!("{word} {}: {what}", case.name);
            return row(Verdict::Skipped, what);
        }
        Err(Prep::Failed(what)) => {
            println!("FAILED {}: {what}", case.name);
            return row(Verdict::Failed, what);
        }
    };
    println!("kernel:  {}", prepared.kernel);
    println!("entry:   {}", prepared.entry);
    println!("cmdline: {}", prepared.cmdline);
    for b in &prepared.launch.blobs {
        println!(
            "blob:    {:#010x}..{:#010x} {}",
            b.addr,
            b.addr + b.len,
            b.label
        );
    }
    println!(
        "load:    {:.1} ms (our crates)",
        prepared.load_time.as_secs_f64() * 1e3
    );
    if let Err(e) = qemu::ensure_host(prepared.launch.qemu, &[]) {
        println!("FAILED {}: {e}", case.name);
        return row(Verdict::Failed, e);
    }
    let matcher = Matcher::new(&prepared.cmdline, &marker);
    let outcome = match qemu::run(&prepared.launch, matcher, echo) {
        Ok(o) => o,
        Err(e) => {
            println!("FAILED {}: {e}", case.name);
            return row(Verdict::Failed, e);
        }
    };
    let secs = outcome.elapsed.as_secs_f64();
    if outcome.passed {
        for l in outcome.matcher.matched() {
            println!("  | {}", l.trim());
        }
        println!(
            "PASSED {} in {secs:.1} s (QEMU start to init marker)",
            case.name
        );
        return Row {
            name: case.name,
            verdict: Verdict::Passed,
            load: Some(prepared.load_time),
            boot: Some(outcome.elapsed),
            note: String::new(),
        };
    }
    let how = if outcome.timed_out {
        format!("timed out after {secs:.0} s")
    } else {
        match outcome.exit {
            Some(s) => format!("QEMU exited ({s}) after {secs:.1} s"),
            None => format!("stopped after {secs:.1} s"),
        }
    };
    println!(
        "FAILED {}: {how}; missing: {}",
        case.name,
        outcome.matcher.missing().join(", ")
    );
    println!("--- last {} console lines ---", console::TAIL_LINES);
    for l in outcome.matcher.tail() {
        println!("  | {l}");
    }
    if !outcome.stderr.trim().is_empty() {
        println!("--- QEMU stderr ---\n{}", outcome.stderr.trim_end());
    }
    println!(
        "QEMU command: {}",
        util::display(&prepared.launch.command())
    );
    Row {
        name: case.name,
        verdict: Verdict::Failed,
        load: Some(prepared.load_time),
        boot: None,
        note: how,
    }
}

fn print_summary(rows: &[Row], total: Duration) {
    println!(
        "\n{:<22} {:<8} {:>9} {:>8}  note",
        "case", "result", "load", "boot"
    );
    for r in rows {
        let verdict = match r.verdict {
            Verdict::Passed => "passed",
            Verdict::Failed => "FAILED",
            Verdict::Skipped => "skipped",
        };
        let load = r
            .load
            .map_or("-".into(), |d| format!("{:.0} ms", d.as_secs_f64() * 1e3));
        let boot = r
            .boot
            .map_or("-".into(), |d| format!("{:.1} s", d.as_secs_f64()));
        println!(
            "{:<22} {:<8} {:>9} {:>8}  {}",
            r.name, verdict, load, boot, r.note
        );
    }
    println!("total {:.1} s", total.as_secs_f64());
}

/// What `cargo xtask demo` reports.
pub(crate) struct DemoReport {
    pub(crate) kernel: String,
    pub(crate) load: Duration,
    pub(crate) boot: Duration,
}

/// The demo: Debian's amd64 cloud bzImage through the 64-bit boot protocol, console streamed.
pub(crate) fn demo() -> Result<DemoReport, String> {
    let marker = fresh_marker();
    let ctx = Ctx {
        work: util::workspace_root().join("target/boot-lab/demo"),
        marker: marker.clone(),
        timeout: x86::TIMEOUT,
    };
    let prepared = match x86::prepare(&ctx, x86::Kernel::DebianBzImage, X86Mode::Linux64) {
        Ok(p) => p,
        Err(Prep::Missing(w) | Prep::Failed(w)) => return Err(w),
    };
    println!("kernel:  {}", prepared.kernel);
    println!("entry:   {}", prepared.entry);
    println!("cmdline: {}", prepared.cmdline);
    qemu::ensure_host(prepared.launch.qemu, &[])?;
    let matcher = Matcher::new(&prepared.cmdline, &marker);
    let outcome = qemu::run(&prepared.launch, matcher, true)?;
    if !outcome.passed {
        return Err(format!(
            "the guest did not reach init (missing: {}); QEMU stderr: {}",
            outcome.matcher.missing().join(", "),
            outcome.stderr.trim()
        ));
    }
    Ok(DemoReport {
        kernel: prepared.kernel,
        load: prepared.load_time,
        boot: outcome.elapsed,
    })
}
