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

#[derive(Default)]
struct TestTotals {
    passed: u64,
    failed: u64,
}

/// Runs `cargo test`, passing its output through while adding up its `test result:` lines.
fn run_tests(cmd: &mut Command, totals: &mut TestTotals) -> Result<(), String> {
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
            totals.passed += p;
            totals.failed += f;
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("`{}` failed with {status}", display(cmd)));
    }
    if totals.passed == 0 {
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
    use super::parse_test_result;

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
