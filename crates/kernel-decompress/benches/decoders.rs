// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Each decoder on a real kernel payload versus the Debian command-line decompressor on the same
//! bytes, as a ratio (goal: ≤ 1.2×).
//!
//! The payload is the built arm64 `Image` from the kernel cache (`cargo xtask fixtures build`),
//! compressed by the CLI tools at bench time, plus Debian's amd64 bzImage LZ4 payload and the
//! built x86_64 vmlinux recompressed by `lzop -9` (what `CONFIG_KERNEL_LZO` does). Each CLI
//! run is timed with `std::process::Command` (`tool -d -c FILE > /dev/null`, best of 5) in the
//! same run; the table is printed at the end. Missing kernels or tools are skipped loudly.
//! zstd is measured on the payloads of [`zstd_cases`] (a tiny kernel's and a 53 MB one);
//! `cargo bench -p kernel-decompress --features zstd-libzstd` measures the libzstd backend.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::arithmetic_side_effects,
    clippy::panic,
    clippy::type_complexity
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use kernel_decompress::{Compression, Limits, decoder};

struct Case {
    name: String,
    compression: Compression,
    file: PathBuf,
    cli: (&'static str, Vec<&'static str>),
}

fn decode(c: Compression, data: &[u8]) -> u64 {
    let mut d = decoder(c, data, Limits::default()).unwrap();
    std::io::copy(&mut d, &mut std::io::sink()).unwrap()
}

fn cli_time(tool: &str, args: &[&str], file: &Path) -> Option<Duration> {
    let mut best = None::<Duration>;
    for _ in 0..5 {
        let start = Instant::now();
        let status = Command::new(tool)
            .args(args)
            .arg(file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        // lz4 exits 1 on the kernel's size trailer after a legacy stream, having decoded it.
        if !status.success() && tool != "lz4" {
            return None;
        }
        let t = start.elapsed();
        best = Some(best.map_or(t, |b| b.min(t)));
    }
    best
}

fn ours_time(c: Compression, data: &[u8]) -> Duration {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            decode(c, data);
            start.elapsed()
        })
        .min()
        .unwrap()
}

fn cases(dir: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    if let Some(image) = test_kernels::find(test_kernels::Kernel::BuiltArm64Image) {
        let recipes: [(
            &str,
            &str,
            &[&str],
            Compression,
            &'static str,
            Vec<&'static str>,
        ); 8] = [
            (
                "gzip",
                "gz",
                &["-9", "-c"],
                Compression::Gzip,
                "gzip",
                vec!["-d", "-c"],
            ),
            (
                "zstd",
                "zst",
                &["-19", "-c"],
                Compression::Zstd,
                "zstd",
                vec!["-d", "-c"],
            ),
            (
                "lz4",
                "lz4l",
                &["-l", "-9", "-c"],
                Compression::Lz4Legacy,
                "lz4",
                vec!["-d", "-c"],
            ),
            (
                "lz4",
                "lz4",
                &["-9", "-c"],
                Compression::Lz4Frame,
                "lz4",
                vec!["-d", "-c"],
            ),
            (
                "xz",
                "xz",
                &["--arm64", "--lzma2=preset=6", "-c"],
                Compression::Xz,
                "xz",
                vec!["-d", "-c"],
            ),
            (
                // What the kernel's `cmd_lzma` writes: the legacy `.lzma` container.
                "xz",
                "lzma",
                &["--format=lzma", "-9", "-c"],
                Compression::Lzma,
                "xz",
                vec!["--format=lzma", "-d", "-c"],
            ),
            (
                "bzip2",
                "bz2",
                &["-9", "-c"],
                Compression::Bzip2,
                "bzip2",
                vec!["-d", "-c"],
            ),
            (
                "lzop",
                "lzo",
                &["-9", "-c"],
                Compression::Lzo,
                "lzop",
                vec!["-d", "-c"],
            ),
        ];
        for (tool, ext, args, c, dtool, dargs) in recipes {
            let file = dir.join(format!("Image.{ext}"));
            let out_file = std::fs::File::create(&file).unwrap();
            let ok = Command::new(tool)
                .args(args)
                .stdin(std::fs::File::open(&image).unwrap())
                .stdout(out_file)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!("SKIPPED: `{tool}` not available");
                continue;
            }
            out.push(Case {
                name: format!("arm64 Image {c}"),
                compression: c,
                file,
                cli: (dtool, dargs),
            });
        }
    } else {
        eprintln!("SKIPPED: built arm64 Image not in the cache (cargo xtask fixtures build)");
    }
    if let Some(vmlinux) = test_kernels::find(test_kernels::Kernel::BuiltX86_64Vmlinux) {
        let file = dir.join("vmlinux.lzo");
        let ok = Command::new("lzop")
            .args(["-9", "-c"])
            .stdin(std::fs::File::open(&vmlinux).unwrap())
            .stdout(std::fs::File::create(&file).unwrap())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            out.push(Case {
                name: "x86_64 vmlinux lzo".into(),
                compression: Compression::Lzo,
                file,
                cli: ("lzop", vec!["-d", "-c"]),
            });
        } else {
            eprintln!("SKIPPED: `lzop` not available");
        }
    } else {
        eprintln!("SKIPPED: built x86_64 vmlinux not in the cache (cargo xtask fixtures build)");
    }
    if let Some(bz) = test_kernels::find(test_kernels::Kernel::DebianAmd64Bzimage) {
        let image = std::fs::read(bz).unwrap();
        let (off, len) = bzimage_payload(&image);
        let file = dir.join("debian-amd64-payload.lz4");
        std::fs::write(&file, &image[off..off + len]).unwrap();
        out.push(Case {
            name: "Debian amd64 bzImage payload lz4-legacy".into(),
            compression: Compression::Lz4Legacy,
            file,
            cli: ("lz4", vec!["-d", "-c"]),
        });
    }
    zstd_cases(dir, &mut out);
    out
}

/// The zstd payloads the goal is measured on: the tiny x86_64 bzImage's own payload (the
/// kernel's `zstd -22 --ultra`, 128 MiB window, no content size, checksum), and Debian's 53 MB
/// amd64 vmlinux compressed at bench time the way the kernel does (`-22 --ultra` from a pipe)
/// and the way `Image.zst` is (`-19`, 8 MiB window). The two Debian compressions take about a
/// minute.
fn zstd_cases(dir: &Path, out: &mut Vec<Case>) {
    let cli = || ("zstd", vec!["-d", "-c"]);
    if let Some(bz) = test_kernels::find(test_kernels::Kernel::BuiltX86_64BzImageZstd) {
        let image = std::fs::read(bz).unwrap();
        let (off, len) = bzimage_payload(&image);
        let file = dir.join("tiny-x86_64-payload.zst");
        // Without the kernel's 4-byte size trailer, which the CLI would read as a bad frame.
        std::fs::write(&file, &image[off..off + len - 4]).unwrap();
        out.push(Case {
            name: "tiny x86_64 bzImage payload zstd-22".into(),
            compression: Compression::Zstd,
            file,
            cli: cli(),
        });
    } else {
        eprintln!(
            "SKIPPED: built x86_64 bzImage-zstd not in the cache (cargo xtask fixtures build)"
        );
    }
    let Some(vmlinux) = test_kernels::find(test_kernels::Kernel::DebianAmd64Vmlinux) else {
        eprintln!("SKIPPED: Debian amd64 vmlinux not in the cache (cargo xtask fixtures fetch)");
        return;
    };
    for (label, args) in [
        ("22", &["-22", "--ultra", "-c"][..]),
        ("19", &["-19", "-c"][..]),
    ] {
        let file = dir.join(format!("debian-vmlinux-{label}.zst"));
        // From stdin, as the kernel's build pipes it: no content size in the frame header.
        let ok = Command::new("zstd")
            .args(args)
            .args(["-q", "-T0"])
            .stdin(std::fs::File::open(&vmlinux).unwrap())
            .stdout(std::fs::File::create(&file).unwrap())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("SKIPPED: `zstd` not available");
            return;
        }
        out.push(Case {
            name: format!("Debian amd64 vmlinux zstd-{label}"),
            compression: Compression::Zstd,
            file,
            cli: cli(),
        });
    }
}

/// A bzImage's payload: offset and length (size trailer included), from the setup header.
fn bzimage_payload(image: &[u8]) -> (usize, usize) {
    let ss = match image[0x1f1] {
        0 => 4,
        n => usize::from(n),
    };
    let off = (ss + 1) * 512 + u32::from_le_bytes(image[0x248..0x24c].try_into().unwrap()) as usize;
    let len = u32::from_le_bytes(image[0x24c..0x250].try_into().unwrap()) as usize;
    (off, len)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kernel-decompress-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = cases(&dir);
    let mut c = Criterion::default().configure_from_args().sample_size(10);
    let mut table = Vec::new();
    for case in &cases {
        let data = std::fs::read(&case.file).unwrap();
        let out_len = decode(case.compression, &data);
        let mut group = c.benchmark_group("decode");
        group.throughput(Throughput::Bytes(out_len));
        group.bench_function(&case.name, |b| b.iter(|| decode(case.compression, &data)));
        group.finish();
        let ours = ours_time(case.compression, &data);
        let cli = cli_time(case.cli.0, &case.cli.1, &case.file);
        table.push((case.name.clone(), out_len, ours, cli));
    }
    c.final_summary();
    println!();
    println!(
        "{:<42} {:>10} {:>10} {:>10} {:>7}",
        "payload", "out MiB", "ours ms", "CLI ms", "ratio"
    );
    for (name, len, ours, cli) in table {
        let ratio = cli.map_or("-".to_owned(), |c| {
            format!("{:.2}x", ours.as_secs_f64() / c.as_secs_f64())
        });
        println!(
            "{:<42} {:>10.1} {:>10.1} {:>10} {:>7}",
            name,
            len as f64 / f64::from(1u32 << 20),
            ours.as_secs_f64() * 1e3,
            cli.map_or("-".to_owned(), |c| format!("{:.1}", c.as_secs_f64() * 1e3)),
            ratio
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
