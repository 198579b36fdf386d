// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Prints what a kernel image is, without loading it:
//!
//! ```text
//! cargo run -p linux-loader --example inspect -- /boot/vmlinuz
//! ```

use std::fs::File;
use std::process::ExitCode;

use linux_loader::probe::{ImageInfo, probe};

fn size(n: u64) -> String {
    if n >= 1 << 20 {
        let tenths = n.saturating_mul(10) >> 20;
        format!("{n:#x} ({}.{} MiB)", tenths / 10, tenths % 10)
    } else {
        format!("{n:#x} ({n} bytes)")
    }
}

fn rows(info: &ImageInfo) -> Vec<(&'static str, String)> {
    let none = || "-".to_owned();
    let mut format = format!("{:?}", info.format);
    if let Some(inner) = info.inner {
        format.push_str(&format!(" containing {inner:?}"));
    }
    vec![
        ("format", format),
        ("arch", info.arch.map_or_else(none, |a| format!("{a:?}"))),
        (
            "compression",
            info.compression.map_or_else(none, |c| c.to_string()),
        ),
        (
            "boot protocol",
            info.protocol
                .map_or_else(none, |p| format!("{}.{:02}", p >> 8, p & 0xff)),
        ),
        (
            "kernel version",
            info.kernel_version.clone().unwrap_or_else(none),
        ),
        (
            "PVH entry",
            info.pvh_entry
                .map_or_else(|| "no".to_owned(), |e| format!("yes, {:#x}", e.0)),
        ),
        ("file size", size(info.file_size)),
        (
            "decompressed",
            info.decompressed_size.map_or_else(none, size),
        ),
        ("memory needed", info.memory_size.map_or_else(none, size)),
    ]
}

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: inspect KERNEL-IMAGE");
        return ExitCode::from(2);
    };
    let info = match File::open(&path)
        .map_err(linux_loader::probe::Error::from)
        .and_then(|mut f| probe(&mut f))
    {
        Ok(info) => info,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    println!("{}", path.to_string_lossy());
    let rows = rows(&info);
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (key, value) in rows {
        println!("  {key:<width$}  {value}");
    }
    ExitCode::SUCCESS
}
