// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `cargo bench -p benches`: every kernel the cache holds, loaded by ours, by the limit (a raw
//! copy of the same bytes) and by upstream linux-loader 0.14, in one run; then the boot
//! structures. `cargo xtask bench` turns the results into the README table.
//!
//! Groups: `load/<kernel>` (`ours`, `limit`, `upstream`), `compressed/<kernel>` (`ours`, `cli`),
//! `boot-structures/{cmdline-build,zero-page,layout,dtb-patch}` (`ours`, `upstream`). Built with
//! the `zstd-libzstd` feature, the zstd cases decode through C libzstd and are named
//! `compressed/<kernel>-libzstd`.
//!
//! The facts (sizes, peak heap, notes) and the interleaved rounds are taken only for benchmarks
//! criterion's filter selects (it runs their `ours`), so a filtered run, such as the libzstd pass
//! of `cargo xtask bench` (`-- compressed/.*-libzstd/`), updates only their facts.

// Bench tooling: a broken set-up should stop the run loudly.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use benches::compressed::PreparedCompressed;
use benches::heap;
use benches::kernels::{compressed_cases, plain_cases};
use benches::load::{Mem, Prepared, prefaulted_memory, upstream_unsupported};
use benches::report::{Report, interleaved_best, rounds_for};
use benches::structures;
use criterion::{Criterion, SamplingMode, Throughput};

/// Loads take milliseconds: a few flat samples fill the measurement time without criterion
/// asking for thousands of iterations.
const LOAD_SAMPLES: usize = 20;

/// Time spent on the interleaved best-of rounds of each kernel, after criterion's run.
const INTERLEAVED_BUDGET: Duration = Duration::from_secs(2);

/// Guest RAM for the decompressed kernels (Debian's vmlinux ends below 64 MiB, its arm64 Image
/// is 27 MiB at RAM + 2 MiB).
const COMPRESSED_RAM: u64 = 128 << 20;

fn plain(c: &mut Criterion, report: &mut Report) {
    for case in plain_cases() {
        let name = case.name.clone();
        let size = case.size;
        let format = case.kind;
        let mut kernel = match Prepared::new(case) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("FAILED (benchmark): load/{name}: cannot prepare: {e}");
                report.row("load", &name, Some(size), None, None, None, &e);
                continue;
            }
        };
        // Once outside the timing: does every contender load it, and how much heap does it use?
        let started = Instant::now();
        let (ours, heap_ours) = heap::measure(|| kernel.ours());
        let once = started.elapsed();
        if let Err(e) = ours {
            eprintln!("FAILED (benchmark): load/{name}: our loader refused it: {e}");
            report.row("load", &name, Some(size), None, None, None, &e);
            continue;
        }

        let mut group = c.benchmark_group(format!("load/{name}"));
        group
            .sample_size(LOAD_SAMPLES)
            .sampling_mode(SamplingMode::Flat)
            .throughput(Throughput::Bytes(kernel.file_bytes()));
        let mut selected = false;
        group.bench_function("ours", |b| {
            selected = true;
            b.iter(|| black_box(kernel.ours().unwrap()));
        });
        if !selected {
            continue; // left out by criterion's filter: its facts stay as they are
        }
        kernel
            .limit()
            .expect("the limit copies what our plan copies");
        let (upstream, heap_upstream) = heap::measure(|| kernel.upstream());
        let mut note = upstream_unsupported(format).unwrap_or_default().to_owned();
        let upstream_ok = match upstream {
            Some(Ok(_)) => true,
            Some(Err(e)) => {
                note = format!("upstream refused it: {e}");
                false
            }
            None => false,
        };
        report.row(
            "load",
            &name,
            Some(size),
            Some((kernel.file_bytes(), kernel.zero_bytes())),
            Some(heap_ours),
            upstream_ok.then_some(heap_upstream),
            &note,
        );
        group.bench_function("limit", |b| {
            b.iter(|| black_box(kernel.limit().unwrap()));
        });
        let has_bss = kernel.zero_bytes() > 0;
        if has_bss {
            group.bench_function("limit+zero", |b| {
                b.iter(|| black_box(kernel.limit_zeroed().unwrap()));
            });
        }
        if upstream_ok {
            group.bench_function("upstream", |b| {
                b.iter(|| black_box(kernel.upstream().unwrap().unwrap()));
            });
        }
        group.finish();

        let rounds = rounds_for(INTERLEAVED_BUDGET, once * 3, 10, 500);
        let kernel = std::cell::RefCell::new(kernel);
        let mut ours = || {
            black_box(kernel.borrow_mut().ours().unwrap());
        };
        let mut limit = || {
            black_box(kernel.borrow_mut().limit().unwrap());
        };
        let mut limit_zeroed = || {
            black_box(kernel.borrow_mut().limit_zeroed().unwrap());
        };
        let mut upstream = || {
            black_box(kernel.borrow_mut().upstream());
        };
        let mut contenders: Vec<(&str, &mut dyn FnMut())> =
            vec![("ours", &mut ours), ("limit", &mut limit)];
        if has_bss {
            contenders.push(("limit+zero", &mut limit_zeroed));
        }
        if upstream_ok {
            contenders.push(("upstream", &mut upstream));
        }
        let (functions, mut runs): (Vec<&str>, Vec<&mut dyn FnMut()>) =
            contenders.into_iter().unzip();
        let best = interleaved_best(rounds, &mut runs);
        let bench = format!("load/{name}");
        for (function, ns) in functions.iter().zip(best) {
            report.best(&bench, function, ns);
        }
    }
}

fn compressed(c: &mut Criterion, report: &mut Report) {
    let scratch = benches::report::criterion_home().join("scratch");
    // Guest RAM per base address (x86, arm64), allocated and pre-faulted on first use.
    let mut memories: Vec<(u64, Mem)> = Vec::new();
    for case in compressed_cases() {
        let (name, size) = (case.name.clone(), case.size);
        let mut kernel = match PreparedCompressed::new(case, &scratch) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("SKIPPED (benchmark): compressed/{name}: {e}");
                report.row("compressed", &name, Some(size), None, None, None, &e);
                continue;
            }
        };
        // A libzstd build names its zstd cases apart, next to the ruzstd build's.
        let name = kernel.bench_name();
        let base = kernel.ram_base();
        if !memories.iter().any(|(b, _)| *b == base) {
            let mem = prefaulted_memory(base, COMPRESSED_RAM).expect("guest memory");
            memories.push((base, mem));
        }
        let mem = &memories
            .iter()
            .find(|(b, _)| *b == base)
            .expect("just added")
            .1;
        let started = Instant::now();
        let (ours, heap_ours) = heap::measure(|| kernel.ours(mem));
        let copied = match ours {
            Ok(n) => n,
            Err(e) => {
                eprintln!("FAILED (benchmark): compressed/{name}: our loader refused it: {e}");
                report.row("compressed", &name, Some(size), None, None, None, &e);
                continue;
            }
        };

        let mut group = c.benchmark_group(format!("compressed/{name}"));
        group
            .sample_size(LOAD_SAMPLES)
            .sampling_mode(SamplingMode::Flat)
            .throughput(Throughput::Bytes(kernel.decompressed_len));
        let mut selected = false;
        group.bench_function("ours", |b| {
            selected = true;
            b.iter(|| black_box(kernel.ours(mem).unwrap()));
        });
        if !selected {
            continue; // left out by criterion's filter: its facts stay as they are
        }
        let mut note = format!(
            "{}, {} decompressed",
            kernel.codec(),
            kernel.decompressed_len
        );
        let cli_ok = match kernel.cli_output_len() {
            Some(Ok(n)) if n == kernel.decompressed_len => {
                note = format!(
                    "{note}; CLI: `{}`",
                    kernel.cli_command().unwrap_or_default()
                );
                true
            }
            Some(Ok(n)) => {
                note = format!("{note}; CLI produced {n} bytes, not measured");
                false
            }
            Some(Err(e)) => {
                note = format!("{note}; CLI not measured: {e}");
                false
            }
            None => {
                note = format!("{note}; no CLI decompressor for it");
                false
            }
        };
        // An lzop vmlinux is compressed while it is prepared: report the compressed file.
        let size = kernel.case.size;
        if kernel.decoded_by_libzstd() {
            report.row_heap_unseen(
                "compressed",
                &name,
                Some(size),
                Some((copied, 0)),
                "C malloc",
                &note,
            );
        } else {
            report.row(
                "compressed",
                &name,
                Some(size),
                Some((copied, 0)),
                Some(heap_ours),
                None,
                &note,
            );
        }
        if cli_ok {
            group.bench_function("cli", |b| b.iter(|| kernel.cli().unwrap().unwrap()));
        }
        group.finish();

        if cli_ok {
            let round = started.elapsed() * 2;
            let rounds = rounds_for(INTERLEAVED_BUDGET, round, 5, 100);
            let kernel = std::cell::RefCell::new(&mut kernel);
            let mut ours = || {
                black_box(kernel.borrow_mut().ours(mem).unwrap());
            };
            let mut cli = || kernel.borrow().cli().unwrap().unwrap();
            let best = interleaved_best(rounds, &mut [&mut ours, &mut cli]);
            let bench = format!("compressed/{name}");
            for (function, ns) in ["ours", "cli"].iter().zip(best) {
                report.best(&bench, function, ns);
            }
        }
    }
}

fn boot_structures(c: &mut Criterion, report: &mut Report) {
    let mem = structures::x86_memory().expect("x86 guest memory");
    // As for the kernels: facts only for the structures criterion's filter selects.
    let mut group = c.benchmark_group("boot-structures/cmdline-build");
    let mut selected = false;
    group.bench_function("ours", |b| {
        selected = true;
        b.iter(|| black_box(structures::cmdline_ours().unwrap()));
    });
    group.bench_function("upstream", |b| {
        b.iter(|| black_box(structures::cmdline_upstream().unwrap()));
    });
    group.finish();
    if selected {
        let (_, heap_ours) = heap::measure(|| structures::cmdline_ours().unwrap());
        let (_, heap_up) = heap::measure(|| structures::cmdline_upstream().unwrap());
        report.row(
            "boot-structures",
            "cmdline-build",
            None,
            None,
            Some(heap_ours),
            Some(heap_up),
            "",
        );
    }

    let mut group = c.benchmark_group("boot-structures/zero-page");
    let mut selected = false;
    group.bench_function("ours", |b| {
        selected = true;
        b.iter(|| structures::zero_page_ours(&mem).unwrap());
    });
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    group.bench_function("upstream", |b| {
        b.iter(|| structures::zero_page_upstream(&mem).unwrap());
    });
    group.finish();
    if selected {
        let ((), heap_ours) = heap::measure(|| structures::zero_page_ours(&mem).unwrap());
        report.row(
            "boot-structures",
            "zero-page",
            None,
            None,
            Some(heap_ours),
            None,
            "ours builds the e820 table and validates; upstream writes fields set by hand",
        );
    }

    let mut group = c.benchmark_group("boot-structures/layout");
    let mut selected = false;
    group.bench_function("ours", |b| {
        selected = true;
        b.iter(|| black_box(structures::layout_ours(&mem).unwrap()));
    });
    group.finish();
    if selected {
        let (_, heap_ours) = heap::measure(|| structures::layout_ours(&mem).unwrap());
        report.row(
            "boot-structures",
            "layout",
            None,
            None,
            Some(heap_ours),
            None,
            "upstream has no layout planner",
        );
    }

    // The DTB comes from QEMU when it is installed: only fetched when the benchmark runs.
    let scratch = benches::report::criterion_home().join("scratch");
    let mut sample: Option<(Vec<u8>, &str)> = None;
    let mut group = c.benchmark_group("boot-structures/dtb-patch");
    group.bench_function("ours", |b| {
        let (dtb, _) = sample.get_or_insert_with(|| structures::sample_dtb(&scratch));
        b.iter(|| black_box(structures::dtb_patch_ours(dtb).unwrap()));
    });
    group.finish();
    if let Some((dtb, source)) = sample {
        let (_, heap_ours) = heap::measure(|| structures::dtb_patch_ours(&dtb).unwrap());
        report.row(
            "boot-structures",
            "dtb-patch",
            Some(dtb.len() as u64),
            None,
            Some(heap_ours),
            None,
            "upstream has no DTB patching",
        );
        report.info("dtb", source);
    }
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut report = Report::new();
    plain(&mut c, &mut report);
    compressed(&mut c, &mut report);
    boot_structures(&mut c, &mut report);
    match report.write() {
        Ok(path) => eprintln!("bench facts written to {}", path.display()),
        Err(e) => eprintln!("cannot write the bench facts: {e}"),
    }
    c.final_summary();
}
