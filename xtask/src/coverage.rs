// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `cargo xtask coverage [--update]`: line coverage per crate with cargo-llvm-cov, checked
//! against the floors in `coverage-ratchet.toml`.
//!
//! Runs `cargo llvm-cov --workspace --all-features --summary-only --json --ignore-run-fail`,
//! adds up the line counts of each crate's `src/` files (tests, benches and examples are not
//! what is measured), prints a table, and fails when a crate falls below its floor. `--update`
//! raises floors to the current figures (rounded down to 0.1 %) and never lowers one: coverage
//! only ratchets up.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::{self, display, workspace_root};

/// The ratchet file, at the workspace root.
const RATCHET: &str = "coverage-ratchet.toml";

/// Lines of one crate.
#[derive(Clone, Copy, Debug, Default)]
struct Lines {
    count: u64,
    covered: u64,
}

impl Lines {
    fn percent(self) -> f64 {
        if self.count == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.count as f64
        }
    }
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let update = match args {
        [] => false,
        [a] if a == "--update" => true,
        _ => return Err("`cargo xtask coverage` takes only --update".to_owned()),
    };
    let root = workspace_root();
    ensure_llvm_cov()?;

    let mut cmd = Command::new("cargo");
    cmd.args([
        "llvm-cov",
        "--workspace",
        "--all-features",
        "--summary-only",
        "--json",
        // Coverage is measured, not gated on, here: `cargo xtask ci` runs the tests. A failing
        // test still shows in the output above the table.
        "--ignore-run-fail",
    ])
    .current_dir(&root)
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit());
    eprintln!("$ {}", display(&cmd));
    let out = cmd
        .output()
        .map_err(|e| format!("cannot start `{}`: {e}", display(&cmd)))?;
    if !out.status.success() {
        return Err(format!("`{}` failed with {}", display(&cmd), out.status));
    }
    let json = String::from_utf8_lossy(&out.stdout);
    let per_crate = per_crate(&json, &root);
    if per_crate.is_empty() {
        return Err("cargo llvm-cov reported no file under crates/*/src".to_owned());
    }

    let ratchet_path = root.join(RATCHET);
    let text = std::fs::read_to_string(&ratchet_path).unwrap_or_default();
    let floors = parse_floors(&text);

    println!(
        "{:<20} {:>8} {:>8} {:>8} {:>8}",
        "crate", "lines", "covered", "line %", "floor %"
    );
    let mut failures = Vec::new();
    for (name, lines) in &per_crate {
        let pct = lines.percent();
        let floor = floors.get(name).copied();
        println!(
            "{:<20} {:>8} {:>8} {:>8.1} {:>8}",
            name,
            lines.count,
            lines.covered,
            pct,
            floor.map_or_else(|| "-".to_owned(), |f| format!("{f:.1}"))
        );
        if let Some(f) = floor.filter(|&f| pct + 1e-9 < f) {
            failures.push(format!("{name}: {pct:.1} % < floor {f:.1} %"));
        }
    }
    let total = per_crate.values().fold(Lines::default(), |acc, l| Lines {
        count: acc.count + l.count,
        covered: acc.covered + l.covered,
    });
    println!(
        "{:<20} {:>8} {:>8} {:>8.1}",
        "total",
        total.count,
        total.covered,
        total.percent()
    );

    if update {
        let mut new_floors = floors.clone();
        for (name, lines) in &per_crate {
            let now = (lines.percent() * 10.0).floor() / 10.0;
            let e = new_floors.entry(name.clone()).or_insert(now);
            if now > *e {
                *e = now;
            }
        }
        std::fs::write(&ratchet_path, render_floors(&new_floors))
            .map_err(|e| format!("{}: {e}", ratchet_path.display()))?;
        eprintln!("updated {RATCHET}");
        return Ok(());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "coverage fell below the ratchet:\n  {}",
            failures.join("\n  ")
        ))
    }
}

fn ensure_llvm_cov() -> Result<(), String> {
    let ok = Command::new("cargo")
        .args(["llvm-cov", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        return Ok(());
    }
    util::run(Command::new("rustup").args(["component", "add", "llvm-tools-preview"]))?;
    util::run(Command::new("cargo").args(["install", "cargo-llvm-cov", "--locked"]))
}

/// Sums llvm-cov's per-file line summaries by crate (`crates/<name>/src/...`).
///
/// The JSON export with `--summary-only` lists each file as
/// `{"filename":"...","summary":{..."lines":{"count":N,"covered":M,...}...}}`; this scans for
/// those keys rather than pulling a JSON parser into xtask.
fn per_crate(json: &str, root: &Path) -> BTreeMap<String, Lines> {
    let crates_dir = format!("{}/crates/", root.display());
    let mut out: BTreeMap<String, Lines> = BTreeMap::new();
    let mut rest = json;
    while let Some(i) = rest.find("\"filename\":\"") {
        rest = &rest[i + "\"filename\":\"".len()..];
        let Some(end) = rest.find('"') else { break };
        let filename = rest[..end].to_owned();
        rest = &rest[end..];
        // The file's own summary comes before the next file's name.
        let scope_end = rest.find("\"filename\":\"").unwrap_or(rest.len());
        let scope = &rest[..scope_end];
        let (Some(count), Some(covered)) = (
            number_after(scope, "\"lines\":{\"count\":"),
            number_after(scope, "\"covered\":"),
        ) else {
            continue;
        };
        // `covered` must be the one inside "lines".
        let covered = scope
            .find("\"lines\":{")
            .and_then(|j| number_after(&scope[j..], "\"covered\":"))
            .unwrap_or(covered);
        let Some(rel) = filename.strip_prefix(&crates_dir) else {
            continue;
        };
        let Some((name, path)) = rel.split_once('/') else {
            continue;
        };
        if !path.starts_with("src/") {
            continue;
        }
        let e = out.entry(name.to_owned()).or_default();
        e.count += count;
        e.covered += covered;
    }
    out
}

fn number_after(s: &str, key: &str) -> Option<u64> {
    let i = s.find(key)? + key.len();
    let digits: String = s[i..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `name = 12.3` lines under `[floors]`.
fn parse_floors(text: &str) -> BTreeMap<String, f64> {
    let mut floors = BTreeMap::new();
    let mut in_floors = false;
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            in_floors = line == "[floors]";
            continue;
        }
        if !in_floors {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let k = k.trim().trim_matches('"');
            if let Ok(v) = v.trim().parse::<f64>() {
                floors.insert(k.to_owned(), v);
            }
        }
    }
    floors
}

fn render_floors(floors: &BTreeMap<String, f64>) -> String {
    let mut s = String::from(
        "# Line-coverage floors per crate (percent of the lines in crates/<name>/src), checked by\n\
         # `cargo xtask coverage` (cargo-llvm-cov, `--workspace --all-features`). A crate below its\n\
         # floor fails the run. `cargo xtask coverage --update` raises floors to the current\n\
         # figures and never lowers one; lower a floor only by hand, with a reason in the commit.\n\
         \n[floors]\n",
    );
    for (k, v) in floors {
        s.push_str(&format!("{k} = {v:.1}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_lines_per_crate_from_llvm_cov_json() {
        let json = r#"{"data":[{"files":[
            {"filename":"/w/crates/a/src/lib.rs","summary":{"branches":{"count":0,"covered":0},"functions":{"count":3,"covered":2},"lines":{"count":10,"covered":7,"percent":70}}},
            {"filename":"/w/crates/a/src/x.rs","summary":{"lines":{"count":10,"covered":3,"percent":30}}},
            {"filename":"/w/crates/a/tests/t.rs","summary":{"lines":{"count":50,"covered":50,"percent":100}}},
            {"filename":"/w/xtask/src/main.rs","summary":{"lines":{"count":5,"covered":0,"percent":0}}},
            {"filename":"/w/crates/b/src/lib.rs","summary":{"lines":{"count":4,"covered":4,"percent":100}}}
        ]}]}"#;
        let m = per_crate(json, Path::new("/w"));
        assert_eq!(m.len(), 2);
        assert_eq!((m["a"].count, m["a"].covered), (20, 10));
        assert_eq!((m["b"].count, m["b"].covered), (4, 4));
    }

    #[test]
    fn floors_round_trip() {
        let mut f = BTreeMap::new();
        f.insert("loader-core".to_owned(), 91.34);
        f.insert("boot-fdt".to_owned(), 88.0);
        let text = render_floors(&f);
        let back = parse_floors(&text);
        assert_eq!(back["boot-fdt"], 88.0);
        assert_eq!(back["loader-core"], 91.3);
    }
}
