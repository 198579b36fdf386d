// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `cargo xtask ci`: everything CI checks, in the order a person would want failures reported.
//!
//! Each step is an ordinary cargo (or xtask) command, printed before it runs; a summary with
//! per-step wall times closes the run, followed by the test totals on a line of their own.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{self, display, workspace_root};

/// Targets every library crate must build for (DESIGN invariant 4: every format on every host).
const CROSS_TARGETS: &[&str] = &["aarch64-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu"];

/// The non-default feature that decodes zstd with C libzstd instead of ruzstd.
const LIBZSTD: &str = "zstd-libzstd";

struct Step {
    name: &'static str,
    elapsed: Duration,
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("`cargo xtask ci` takes no arguments (got `{a}`)"));
    }
    let root = workspace_root();
    std::env::set_current_dir(&root).map_err(|e| format!("cd {}: {e}", root.display()))?;
    let started = Instant::now();
    let mut steps: Vec<Step> = Vec::new();
    let mut totals = TestTotals::default();

    let mut step = |name: &'static str, f: &mut dyn FnMut() -> Result<(), String>| {
        eprintln!("\n==> {name}");
        let t = Instant::now();
        let r = f();
        steps.push(Step {
            name,
            elapsed: t.elapsed(),
        });
        r.map_err(|e| format!("step `{name}` failed: {e}"))
    };

    step("fmt", &mut || {
        util::run(Command::new("cargo").args(["fmt", "--all", "--", "--check"]))
    })?;
    step(
        "fixtures: committed synthetic images match their generators",
        &mut || util::run(Command::new("cargo").args(["xtask", "fixtures", "regen", "--check"])),
    )?;
    step("fixtures: real kernels (fetch)", &mut || {
        util::run(Command::new("cargo").args(["xtask", "fixtures", "fetch"]))
    })?;
    step(
        "fixtures: tiny kernels and initramfs (build, cached)",
        &mut || util::run(Command::new("cargo").args(["xtask", "fixtures", "build"])),
    )?;
    step("clippy", &mut || {
        util::run(Command::new("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("tests", &mut || {
        run_tests(
            Command::new("cargo").args(["test", "--workspace", "--all-features"]),
            &mut totals,
        )
    })?;
    step("tests: zstd crates, default features (ruzstd)", &mut || {
        default_zstd_tests(&mut totals)
    })?;
    step("boot lab: every case under QEMU", &mut || {
        util::run(Command::new("cargo").args(["xtask", "boot"]))
    })?;
    step("docs", &mut || {
        util::run(
            Command::new("cargo")
                .args(["doc", "--workspace", "--no-deps", "--all-features"])
                .env("RUSTDOCFLAGS", "-D warnings"),
        )
    })?;
    step("cross-arch build", &mut || {
        for target in CROSS_TARGETS {
            util::run(Command::new("cargo").args([
                "check",
                "--workspace",
                "--exclude",
                "xtask",
                "--all-features",
                "--target",
                target,
            ]))?;
        }
        Ok(())
    })?;
    step(
        "feature matrix: linux-loader, every elf/bzimage/pe combination",
        &mut || feature_matrix(),
    )?;
    step("each library crate alone, for every target", &mut || {
        crates_alone()
    })?;
    step(
        "fuzz: every target for 10 s, then the committed crash files",
        &mut || util::run(Command::new("cargo").args(["xtask", "fuzz", "--secs", "10"])),
    )?;
    step("cargo deny", &mut || {
        ensure_cargo_tool("cargo-deny", "deny")?;
        util::run(Command::new("cargo").args([
            "deny",
            "--all-features",
            "check",
            "licenses",
            "bans",
            "sources",
        ]))
    })?;

    eprintln!("\n==> summary");
    for s in &steps {
        eprintln!("  {:<62} {:>7.1} s", s.name, s.elapsed.as_secs_f64());
    }
    eprintln!(
        "  {:<62} {:>7.1} s",
        "total",
        started.elapsed().as_secs_f64()
    );
    println!("tests: {} passed, {} failed", totals.passed, totals.failed);
    Ok(())
}

/// The packages whose tests decode zstd through kernel-decompress's default backend. The
/// `--all-features` test run builds C libzstd (`zstd-libzstd`) instead, so without this step
/// ruzstd would be covered only by kernel-decompress's unit tests; `benches` adds the peak-heap
/// bound of a ruzstd load, which the counting allocator cannot see under libzstd (C `malloc`).
const DEFAULT_ZSTD_PACKAGES: &[&str] = &[
    "kernel-decompress",
    "kernel-bzimage",
    "kernel-pe",
    "benches",
];

/// `cargo test` of [`DEFAULT_ZSTD_PACKAGES`] with their default features, after checking that
/// nothing in their dependency tree turns libzstd on (zstd-sys would then be in it). Their
/// other tests run again too: most of the time goes to tests that cover every codec, zstd among
/// them, and skipping the rest by name would save a few seconds at the price of a list to keep.
fn default_zstd_tests(totals: &mut TestTotals) -> Result<(), String> {
    let packages: Vec<&str> = DEFAULT_ZSTD_PACKAGES
        .iter()
        .flat_map(|p| ["-p", p])
        .collect();
    let deps = tree(&packages, &["-e", "normal,build,dev"])?;
    if let Some(dep) = deps.iter().find(|d| d.starts_with("zstd-sys ")) {
        return Err(format!(
            "{} with default features depend on {dep}: something turns `zstd-libzstd` on, and \
             this step would not test ruzstd",
            DEFAULT_ZSTD_PACKAGES.join(", ")
        ));
    }
    run_tests(Command::new("cargo").arg("test").args(&packages), totals)
}

/// The umbrella's optional features; every subset of them must build (upstream 0.13.2 did not
/// with `bzimage` alone).
const UMBRELLA_FEATURES: &[&str] = &["elf", "bzimage", "pe"];

/// `cargo check -p linux-loader` with no features, then with each of the seven non-empty subsets
/// of [`UMBRELLA_FEATURES`] (default features off, so each subset is exactly what is built).
fn feature_matrix() -> Result<(), String> {
    for mask in 0..(1u32 << UMBRELLA_FEATURES.len()) {
        let features: Vec<&str> = UMBRELLA_FEATURES
            .iter()
            .enumerate()
            .filter(|(bit, _)| mask & (1 << bit) != 0)
            .map(|(_, f)| *f)
            .collect();
        let mut cmd = Command::new("cargo");
        cmd.args(["check", "-p", "linux-loader", "--no-default-features"]);
        if !features.is_empty() {
            cmd.args(["--features", &features.join(",")]);
        }
        util::run(&mut cmd)?;
    }
    Ok(())
}

/// Whether a Cargo.toml declares `feature` (a `<feature> = [...]` line).
fn declares_feature(manifest: &str, feature: &str) -> bool {
    manifest.lines().any(|l| {
        l.trim()
            .strip_prefix(feature)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    })
}

/// The published library crates (every `crates/*/Cargo.toml` without `publish = false`) with
/// their Cargo.toml, sorted by name.
fn library_manifests() -> Result<Vec<(String, String)>, String> {
    let dir = workspace_root().join("crates");
    let mut crates = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path().join("Cargo.toml");
        let Ok(manifest) = std::fs::read_to_string(&path) else {
            continue; // not a crate directory
        };
        if manifest
            .lines()
            .any(|l| l.trim().replace(' ', "") == "publish=false")
        {
            continue;
        }
        let name = manifest
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("name = ")
                    .map(|n| n.trim_matches('"'))
            })
            .ok_or_else(|| format!("{}: no package name", path.display()))?
            .to_owned();
        crates.push((name, manifest));
    }
    crates.sort();
    Ok(crates)
}

/// Each library crate built on its own (so no other workspace member's features leak in) with
/// its default features, for the host and every [`CROSS_TARGETS`] target; `kernel-cmdline` also
/// without features, where its normal dependency tree must not contain vm-memory; and every
/// crate declaring [`LIBZSTD`] with that feature alone, for the host (default features stay pure
/// Rust; the cross-arch step builds C libzstd for the other targets).
fn crates_alone() -> Result<(), String> {
    let manifests = library_manifests()?;
    let targets: Vec<Option<&str>> = std::iter::once(None)
        .chain(CROSS_TARGETS.iter().copied().map(Some))
        .collect();
    for (krate, _) in &manifests {
        for target in &targets {
            let mut cmd = Command::new("cargo");
            cmd.args(["check", "-p", krate.as_str()]);
            if let Some(t) = target {
                cmd.args(["--target", t]);
            }
            util::run(&mut cmd)?;
        }
    }
    for (krate, _) in manifests
        .iter()
        .filter(|(_, m)| declares_feature(m, LIBZSTD))
    {
        util::run(Command::new("cargo").args([
            "check",
            "-p",
            krate.as_str(),
            "--no-default-features",
            "--features",
            LIBZSTD,
        ]))?;
    }
    for target in &targets {
        let mut cmd = Command::new("cargo");
        cmd.args(["check", "-p", "kernel-cmdline", "--no-default-features"]);
        if let Some(t) = target {
            cmd.args(["--target", t]);
        }
        util::run(&mut cmd)?;
    }
    let without = normal_deps("kernel-cmdline", &["--no-default-features"])?;
    if let Some(dep) = without.iter().find(|d| d.starts_with("vm-memory ")) {
        return Err(format!(
            "kernel-cmdline without features depends on {dep}; vm-memory must stay behind its \
             `vm-memory` feature"
        ));
    }
    // The check above means something only if the feature does bring vm-memory in.
    let with = normal_deps("kernel-cmdline", &["--features", "vm-memory"])?;
    if !with.iter().any(|d| d.starts_with("vm-memory ")) {
        return Err("kernel-cmdline's `vm-memory` feature no longer brings vm-memory in".into());
    }
    eprintln!(
        "kernel-cmdline normal dependencies without features: {}",
        without.join(", ")
    );
    Ok(())
}

/// `cargo tree -p <krate> -e normal --prefix none <extra>`, one line per package, deduplicated.
fn normal_deps(krate: &str, extra: &[&str]) -> Result<Vec<String>, String> {
    let mut args = vec!["-p", krate, "-e", "normal"];
    args.extend_from_slice(extra);
    tree(&args, &[])
}

/// `cargo tree --prefix none <args> <extra>`, one line per package, deduplicated.
fn tree(args: &[&str], extra: &[&str]) -> Result<Vec<String>, String> {
    let mut cmd = Command::new("cargo");
    cmd.args(["tree", "--prefix", "none"])
        .args(args)
        .args(extra);
    eprintln!("$ {}", display(&cmd));
    let out = cmd
        .output()
        .map_err(|e| format!("cannot start `{}`: {e}", display(&cmd)))?;
    if !out.status.success() {
        return Err(format!(
            "`{}` failed with {}: {}",
            display(&cmd),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut deps: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim_end_matches(" (*)").to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    deps.sort();
    deps.dedup();
    Ok(deps)
}

#[derive(Default)]
struct TestTotals {
    passed: u64,
    failed: u64,
}

/// Runs `cargo test`, passing its output through while adding its `test result:` lines to
/// `totals`; fails when the command fails or runs no test.
fn run_tests(cmd: &mut Command, totals: &mut TestTotals) -> Result<(), String> {
    let mut this = TestTotals::default();
    eprintln!("$ {}", display(cmd));
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", display(cmd)))?;
    let stdout = child.stdout.take().expect("stdout was piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading test output: {e}"))?;
        println!("{line}");
        if let Some((p, f)) = parse_test_result(&line) {
            this.passed += p;
            this.failed += f;
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    totals.passed += this.passed;
    totals.failed += this.failed;
    if !status.success() {
        return Err(format!("`{}` failed with {status}", display(cmd)));
    }
    if this.passed == 0 {
        return Err("cargo test ran no test".into());
    }
    Ok(())
}

/// Parses `test result: ok. 12 passed; 0 failed; ...` into (passed, failed).
fn parse_test_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let mut passed = None;
    let mut failed = None;
    for part in rest.split(';') {
        let part = part
            .trim()
            .trim_start_matches("ok. ")
            .trim_start_matches("FAILED. ");
        let mut words = part.split_whitespace();
        let (Some(n), Some(what)) = (words.next(), words.next()) else {
            continue;
        };
        match what {
            "passed" => passed = n.parse().ok(),
            "failed" => failed = n.parse().ok(),
            _ => {}
        }
    }
    Some((passed?, failed?))
}

/// Installs a cargo subcommand from crates.io when it is missing.
fn ensure_cargo_tool(krate: &str, subcommand: &str) -> Result<(), String> {
    let present = Command::new("cargo")
        .args([subcommand, "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    eprintln!("{krate} is missing: installing it with cargo install (a few minutes, once)");
    util::run(Command::new("cargo").args(["install", "--locked", krate]))
}

#[cfg(test)]
mod tests {
    use super::{declares_feature, parse_test_result};

    #[test]
    fn finds_declared_features() {
        let manifest = "[features]\ndefault = [\"zstd\"]\nzstd = []\n## doc\nzstd-libzstd = \
                        [\"zstd\"]\n";
        assert!(declares_feature(manifest, "zstd-libzstd"));
        assert!(declares_feature(manifest, "zstd"));
        assert!(!declares_feature(manifest, "zstd-lib"));
        assert!(!declares_feature(
            "zstd-libzstd.workspace = true",
            "zstd-libzstd"
        ));
    }

    #[test]
    fn parses_cargo_test_summary_lines() {
        assert_eq!(
            parse_test_result(
                "test result: ok. 30 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.34s"
            ),
            Some((30, 0))
        );
        assert_eq!(
            parse_test_result("test result: FAILED. 3 passed; 2 failed; 0 ignored"),
            Some((3, 2))
        );
        assert_eq!(parse_test_result("running 3 tests"), None);
    }
}
