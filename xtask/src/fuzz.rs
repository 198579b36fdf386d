// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `cargo xtask fuzz [--secs N] [--target T]`: builds the cargo-fuzz targets in `fuzz/`, runs each
//! for a bounded time, then replays every committed input under `fixtures/fuzz/` on stable.
//!
//! Each target starts from two corpora: `fuzz/corpus/<target>/` (the working corpus, not
//! committed; libFuzzer adds what it finds there) and `fixtures/fuzz/<target>/` (the committed
//! seeds and crash files, read as seeds). A crash leaves its input under
//! `fuzz/artifacts/<target>/`; the run fails and says how to minimise it and where to commit it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::util::{self, display, workspace_root};

/// Seconds per target when `--secs` is not given: short enough for CI on every push.
const DEFAULT_SECS: u64 = 10;

/// libFuzzer's memory ceiling: the harness maps 3.5 MiB, so anything near this is a leak.
const RSS_LIMIT_MB: u32 = 2048;

/// What one target's run reported.
struct Outcome {
    target: String,
    secs: f64,
    execs: Option<u64>,
    execs_per_sec: Option<u64>,
    corpus: Option<u64>,
    ok: bool,
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut secs = DEFAULT_SECS;
    let mut only: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--secs" => {
                let v = it.next().ok_or("--secs needs a number of seconds")?;
                secs = v
                    .parse()
                    .map_err(|_| format!("--secs: `{v}` is not a number of seconds"))?;
            }
            "--target" => {
                only = Some(it.next().ok_or("--target needs a target name")?.clone());
            }
            other => {
                return Err(format!(
                    "`cargo xtask fuzz`: unknown argument `{other}` (takes --secs N, --target T)"
                ));
            }
        }
    }
    let root = workspace_root();
    let fuzz_dir = root.join("fuzz");
    let mut targets = list_targets(&fuzz_dir)?;
    if let Some(t) = &only {
        if !targets.contains(t) {
            return Err(format!(
                "no fuzz target `{t}` (have: {})",
                targets.join(", ")
            ));
        }
        targets = vec![t.clone()];
    }

    ensure_nightly()?;
    ensure_cargo_fuzz()?;
    util::run(
        Command::new("cargo")
            .args(["+nightly", "fuzz", "build"])
            .current_dir(&fuzz_dir),
    )?;

    let mut outcomes = Vec::new();
    for target in &targets {
        outcomes.push(run_target(&root, &fuzz_dir, target, secs)?);
    }

    eprintln!("\n==> replaying fixtures/fuzz/ on stable");
    let replay = util::run(
        Command::new("cargo")
            .args(["test", "-p", "fuzz-checks", "--test", "replay"])
            .current_dir(&root),
    );

    eprintln!("\nfuzz summary ({secs} s per target):");
    eprintln!(
        "  {:<14} {:>8} {:>14} {:>10} {:>8}  result",
        "target", "secs", "execs", "execs/s", "corpus"
    );
    let show = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), |v| v.to_string());
    for o in &outcomes {
        eprintln!(
            "  {:<14} {:>8.1} {:>14} {:>10} {:>8}  {}",
            o.target,
            o.secs,
            show(o.execs),
            show(o.execs_per_sec),
            show(o.corpus),
            if o.ok { "ok" } else { "FINDING" }
        );
    }
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.ok)
        .map(|o| o.target.as_str())
        .collect();
    if !failed.is_empty() {
        return Err(format!(
            "findings in {}: minimise with `cd fuzz && cargo +nightly fuzz tmin <target> \
             artifacts/<target>/<file>`, commit the result as fixtures/fuzz/<target>/crash-<what>, \
             fix, and re-run",
            failed.join(", ")
        ));
    }
    replay
}

/// The targets: `fuzz/fuzz_targets/*.rs`, sorted.
fn list_targets(fuzz_dir: &Path) -> Result<Vec<String>, String> {
    let dir = fuzz_dir.join("fuzz_targets");
    let mut targets: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect();
    targets.sort();
    Ok(targets)
}

fn ensure_nightly() -> Result<(), String> {
    let ok = Command::new("cargo")
        .args(["+nightly", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Ok(());
    }
    util::run(Command::new("rustup").args([
        "toolchain",
        "install",
        "nightly",
        "--profile",
        "minimal",
    ]))
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let ok = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Ok(());
    }
    eprintln!("cargo-fuzz is missing; installing it (a few minutes)");
    util::run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))
}

fn run_target(root: &Path, fuzz_dir: &Path, target: &str, secs: u64) -> Result<Outcome, String> {
    let corpus = fuzz_dir.join("corpus").join(target);
    std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let seeds: PathBuf = root.join("fixtures").join("fuzz").join(target);
    let mut cmd = Command::new("cargo");
    cmd.args(["+nightly", "fuzz", "run", target])
        .arg(&corpus)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={secs}"))
        .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
        .arg("-print_final_stats=1")
        .current_dir(fuzz_dir)
        .stderr(Stdio::piped());
    eprintln!("\n==> fuzz {target} for {secs} s\n$ {}", display(&cmd));
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", display(&cmd)))?;
    let mut execs = None;
    let mut execs_per_sec = None;
    let mut corpus_size = None;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            // libFuzzer's status lines are noisy; keep the important ones and the final stats.
            if line.starts_with("stat::")
                || line.contains("ERROR")
                || line.contains("panicked")
                || line.contains("Test unit written")
                || line.starts_with("#") && (line.contains("DONE") || line.contains("INITED"))
            {
                eprintln!("{line}");
            }
            let stat = |name: &str| {
                line.strip_prefix(name)
                    .and_then(|v| v.trim().parse::<u64>().ok())
            };
            if let Some(v) = stat("stat::number_of_executed_units:") {
                execs = Some(v);
            }
            if let Some(v) = stat("stat::average_exec_per_sec:") {
                execs_per_sec = Some(v);
            }
            if line.starts_with("#") && line.contains("corp: ") {
                corpus_size = line
                    .split("corp: ")
                    .nth(1)
                    .and_then(|s| s.split('/').next())
                    .and_then(|s| s.parse().ok());
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for `{}`: {e}", display(&cmd)))?;
    Ok(Outcome {
        target: target.to_owned(),
        secs: started.elapsed().as_secs_f64(),
        execs,
        execs_per_sec,
        corpus: corpus_size,
        ok: status.success(),
    })
}
