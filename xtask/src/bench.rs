// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `cargo xtask bench`: runs the criterion benches of the `benches` crate, prints the table of
//! ratios (ours/limit, ours/upstream) and writes it into README.md between the bench markers.
//!
//! The timings come from criterion's own results (`<criterion>/<group>/<function>/new/
//! {benchmark,estimates}.json`, the mean point estimate in ns); sizes, peak heap and the reasons
//! a contender is n/a from the facts file the bench writes next to them
//! (`linux-loader-bench.tsv`, see `benches::report`).
//!
//! zstd has two backends, so the zstd cases are measured twice: by the full run, built with the
//! default features (ruzstd), then by a second run built with the benches crate's `zstd-libzstd`
//! feature (C libzstd) and filtered to those cases, which it names `<kernel>-libzstd`. Each run
//! updates only the facts of the benchmarks it measured, so both land in one table.

// Report tooling: the table is built with `format!` pieces and byte counts become `f64` for
// display only.
#![allow(
    clippy::format_push_string,
    clippy::too_many_lines,
    clippy::cast_precision_loss
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util;

const BEGIN: &str = "<!-- BEGIN bench table -->";
const END: &str = "<!-- END bench table -->";
const FACTS: &str = "linux-loader-bench.tsv";
/// Criterion groups this command owns in the results directory (`/` becomes `_` on disk).
const GROUP_DIRS: [&str; 3] = ["load_", "compressed_", "boot-structures_"];
/// The benches crate's feature that decodes zstd with C libzstd.
const LIBZSTD_FEATURE: &str = "zstd-libzstd";
/// What the bench appends to a zstd case's name when built with [`LIBZSTD_FEATURE`]
/// (`benches::compressed::LIBZSTD_SUFFIX`).
const LIBZSTD_SUFFIX: &str = "-libzstd";
/// The criterion filter of the libzstd run: the zstd cases, which only that build names so.
const LIBZSTD_FILTER: &str = "^compressed/.*-libzstd/";

const HELP: &str = "\
usage: cargo xtask bench [--quick] [--no-run] [--no-libzstd] [--no-readme] [-- <criterion args>]

  --quick       0.5 s warm-up and 1 s measurement per function (default 1 s and 3 s)
  --no-run      only render the table from the last run's results (nothing is measured)
  --no-libzstd  skip the second run, which measures the zstd cases again with C libzstd
                (feature `zstd-libzstd`); also skipped when criterion args are given
  --no-readme   print the table without writing it into README.md
  -- ARGS       passed to the bench binary (e.g. a criterion filter such as `load/`)
";

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut quick = false;
    let mut no_run = false;
    let mut libzstd = true;
    let mut readme = true;
    let mut extra: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--no-run" => no_run = true,
            "--no-libzstd" => libzstd = false,
            "--no-readme" => readme = false,
            "--" => extra.extend(it.by_ref().cloned()),
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(());
            }
            other => return Err(format!("bench: unknown argument `{other}`\n\n{HELP}")),
        }
    }

    let root = util::workspace_root();
    let home = criterion_home(&root);
    let load_before = load_average();
    if !no_run {
        clear_results(&home)?;
        let (warm_up, measure) = if quick { ("0.5", "1") } else { ("1", "3") };
        let bench = |features: &[&str], args: &[String]| {
            util::run(
                Command::new("cargo")
                    .current_dir(&root)
                    .env("CRITERION_HOME", &home)
                    .args(["bench", "-p", "benches", "--bench", "load"])
                    .args(features)
                    .arg("--")
                    .args(["--warm-up-time", warm_up, "--measurement-time", measure])
                    .args(args),
            )
        };
        bench(&[], &extra)?;
        if libzstd && extra.is_empty() {
            bench(
                &["--features", LIBZSTD_FEATURE],
                &[LIBZSTD_FILTER.to_owned()],
            )?;
        } else if libzstd {
            eprintln!(
                "xtask bench: criterion arguments given, so no libzstd run; for it: cargo bench \
                 -p benches --bench load --features {LIBZSTD_FEATURE} -- '{LIBZSTD_FILTER}'"
            );
        }
    }
    let load_after = load_average();

    let results = read_results(&home)?;
    let facts = read_facts(&home.join(FACTS))?;
    let machine = Machine::probe(load_before, load_after, no_run);
    let table = render(&results, &facts, &machine);
    println!("{table}");
    if readme {
        let path = root.join("README.md");
        write_between_markers(&path, &table)?;
        eprintln!("xtask bench: table written into {}", path.display());
    }
    Ok(())
}

/// Where criterion writes: `$CRITERION_HOME`, `$CARGO_TARGET_DIR/criterion`, or
/// `<root>/target/criterion` — the same order `benches::report::criterion_home` follows.
fn criterion_home(root: &Path) -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    root.join("target").join("criterion")
}

/// Removes the previous run's results of our groups, so a kernel that is gone leaves no row.
fn clear_results(home: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(home) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if GROUP_DIRS.iter().any(|g| name.starts_with(g)) {
            std::fs::remove_dir_all(entry.path())
                .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
        }
    }
    let _ = std::fs::remove_file(home.join(FACTS));
    Ok(())
}

/// Mean time in ns per (group, function), e.g. ("load/vmlinux", "ours").
type Results = BTreeMap<(String, String), f64>;

fn read_results(home: &Path) -> Result<Results, String> {
    let mut out = Results::new();
    let groups = std::fs::read_dir(home).map_err(|e| {
        format!(
            "no criterion results in {} ({e}); run without --no-run",
            home.display()
        )
    })?;
    for group in groups.flatten() {
        let Ok(functions) = std::fs::read_dir(group.path()) else {
            continue;
        };
        for function in functions.flatten() {
            let new = function.path().join("new");
            let (Ok(bench), Ok(estimates)) = (
                std::fs::read_to_string(new.join("benchmark.json")),
                std::fs::read_to_string(new.join("estimates.json")),
            ) else {
                continue;
            };
            let (Some(group_id), Some(function_id), Some(mean)) = (
                json_string(&bench, "group_id"),
                json_string(&bench, "function_id"),
                mean_point_estimate(&estimates),
            ) else {
                continue;
            };
            out.insert((group_id, function_id), mean);
        }
    }
    Ok(out)
}

/// The string value of `"key":"value"` in criterion's flat benchmark.json.
fn json_string(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let len = json[start..].find('"')?;
    Some(json[start..start + len].to_owned())
}

/// `mean.point_estimate` in criterion's estimates.json.
fn mean_point_estimate(json: &str) -> Option<f64> {
    let mean = json.find("\"mean\":")?;
    let key = "\"point_estimate\":";
    let start = mean + json[mean..].find(key)? + key.len();
    let end = start + json[start..].find([',', '}']).unwrap_or(json.len() - start);
    json[start..end].trim().parse().ok()
}

/// One `row` of the facts file.
#[derive(Debug, Default)]
struct Fact {
    group: String,
    name: String,
    file_size: Option<u64>,
    copied: Option<u64>,
    zeroed: Option<u64>,
    heap_ours: Option<u64>,
    /// The heap cell's text when it is not a number, such as `n/a (C malloc)`.
    heap_ours_text: Option<String>,
    heap_upstream: Option<u64>,
    note: String,
}

#[derive(Debug, Default)]
struct Facts {
    rows: Vec<Fact>,
    info: BTreeMap<String, String>,
    /// Best time in ns of interleaved rounds per (group, function).
    best: Results,
}

fn read_facts(path: &Path) -> Result<Facts, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the bench facts {}: {e}", path.display()))?;
    Ok(parse_facts(&text))
}

fn parse_facts(text: &str) -> Facts {
    let mut facts = Facts::default();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |i: usize| f.get(i).and_then(|s| s.parse::<u64>().ok());
        let text = |i: usize| {
            f.get(i)
                .filter(|s| **s != "-" && s.parse::<u64>().is_err())
                .map(|s| (*s).to_owned())
        };
        match f.first().copied() {
            Some("row") if f.len() >= 9 => facts.rows.push(Fact {
                group: f[1].to_owned(),
                name: f[2].to_owned(),
                file_size: num(3),
                copied: num(4),
                zeroed: num(5),
                heap_ours: num(6),
                heap_ours_text: text(6),
                heap_upstream: num(7),
                note: f[8..].join(" "),
            }),
            Some("best") if f.len() >= 4 => {
                if let Ok(ns) = f[3].parse::<f64>() {
                    facts.best.insert((f[1].to_owned(), f[2].to_owned()), ns);
                }
            }
            Some("info") if f.len() >= 3 => {
                facts.info.insert(f[1].to_owned(), f[2..].join(" "));
            }
            _ => {}
        }
    }
    facts
}

/// The machine the numbers were taken on.
struct Machine {
    cpu: String,
    cpus: usize,
    kernel: String,
    date: String,
    load: String,
}

impl Machine {
    fn probe(before: Option<String>, after: Option<String>, no_run: bool) -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or_else(|| "unknown CPU".to_owned(), |(_, v)| v.trim().to_owned());
        let cpus = std::thread::available_parallelism().map_or(1, usize::from);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map_or_else(|_| "unknown".to_owned(), |s| s.trim().to_owned());
        let date = Command::new("date")
            .args(["-u", "+%Y-%m-%d %H:%M UTC"])
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        let fmt = |l: Option<String>| l.unwrap_or_else(|| "?".to_owned());
        let load = if no_run {
            format!("{} (when rendered; not measured by this run)", fmt(after))
        } else {
            format!("{} before, {} after", fmt(before), fmt(after))
        };
        Self {
            cpu,
            cpus,
            kernel,
            date,
            load,
        }
    }
}

/// The 1-, 5- and 15-minute load averages.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let v: Vec<&str> = text.split_whitespace().take(3).collect();
    Some(v.join(" "))
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn fmt_bytes(b: u64) -> String {
    let b = b as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    } else if b >= 1024.0 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{b:.0} B")
    }
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or_else(|| "n/a".to_owned(), f)
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => "n/a".to_owned(),
    }
}

/// "mean ratio (best ratio)", or the mean ratio alone when there is no best.
fn ratios(mean: (Option<f64>, Option<f64>), best: (Option<f64>, Option<f64>)) -> String {
    let m = ratio(mean.0, mean.1);
    match (m.as_str(), ratio(best.0, best.1).as_str()) {
        ("n/a", _) | (_, "n/a") => m,
        (_, b) => format!("{m} ({b})"),
    }
}

fn render(results: &Results, facts: &Facts, m: &Machine) -> String {
    let get = |group: &str, f: &str| results.get(&(group.to_owned(), f.to_owned())).copied();
    let best = |group: &str, f: &str| facts.best.get(&(group.to_owned(), f.to_owned())).copied();
    let mut s = String::new();
    s.push_str(&format!(
        "Measured by `cargo xtask bench` on {}: {}, {} CPUs, Linux {}; load average (1, 5, 15 min) \
         {}. Warm page cache; each kernel's guest memory \
         (`GuestMemoryMmap`) is allocated and pre-faulted once, outside the timing, and shared \
         by all three contenders. **limit** is a raw copy of exactly the file bytes our plan \
         copies, segment by segment, to the same addresses (seek + `read_exact_volatile_from`, \
         no parsing, no checks, no BSS zero-fill); **limit + zero** adds a raw zero-fill of the \
         BSS bytes our load zeroes (16 KiB static zero buffer, as ours), the least work that \
         leaves guest memory as our load does — the ELF gABI defines those bytes as zero, \
         upstream does not write them (same as **limit** where there is no BSS); **upstream** is \
         rust-vmm linux-loader 0.14.0 from crates.io. Times are criterion's means; ratios are of those means, then in \
         brackets of the best times of rounds run interleaved (every contender once per round), \
         which load from other processes skews far less.\n\n",
        m.date, m.cpu, m.cpus, m.kernel, m.load
    ));

    s.push_str(
        "| kernel | file | copied + zeroed | ours | limit | limit + zero | upstream \
         | ours/limit (best) | ours/(limit + zero) (best) | ours/upstream (best) \
         | peak heap ours / upstream |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut notes: Vec<String> = Vec::new();
    for f in facts.rows.iter().filter(|f| f.group == "load") {
        let group = format!("load/{}", f.name);
        let (ours, limit, up) = (
            get(&group, "ours"),
            get(&group, "limit"),
            get(&group, "upstream"),
        );
        // Without BSS the limit already leaves guest memory as our load does.
        let limit_zero = get(&group, "limit+zero").or(limit);
        let best_limit_zero = best(&group, "limit+zero").or(best(&group, "limit"));
        let up_cell = if up.is_none() && !f.note.is_empty() {
            // One footnote per distinct reason.
            let index = notes.iter().position(|n| *n == f.note).unwrap_or_else(|| {
                notes.push(f.note.clone());
                notes.len() - 1
            });
            format!("n/a[^{}]", index + 1)
        } else {
            opt(up, fmt_time)
        };
        s.push_str(&format!(
            "| {} | {} | {} + {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |\n",
            f.name,
            opt(f.file_size, fmt_bytes),
            opt(f.copied, fmt_bytes),
            opt(f.zeroed, fmt_bytes),
            opt(ours, fmt_time),
            opt(limit, fmt_time),
            opt(limit_zero, fmt_time),
            up_cell,
            ratios((ours, limit), (best(&group, "ours"), best(&group, "limit"))),
            ratios((ours, limit_zero), (best(&group, "ours"), best_limit_zero)),
            ratios((ours, up), (best(&group, "ours"), best(&group, "upstream"))),
            opt(f.heap_ours, fmt_bytes),
            opt(f.heap_upstream, fmt_bytes),
        ));
    }

    let compressed = libzstd_after_ruzstd(
        facts
            .rows
            .iter()
            .filter(|f| f.group == "compressed")
            .collect(),
    );
    if !compressed.is_empty() {
        s.push_str(
            "\nCompressed kernels, decompressed into guest memory, against the distribution's \
             command-line decompressor writing to /dev/null",
        );
        if compressed.iter().any(|f| f.name.ends_with(LIBZSTD_SUFFIX)) {
            s.push_str(&format!(
                ". zstd twice: with ruzstd (pure Rust, the default), then as \
                 `<kernel>{LIBZSTD_SUFFIX}` with the reference C libzstd (feature \
                 `{LIBZSTD_FEATURE}`), whose memory the counting allocator does not see"
            ));
        }
        s.push_str(
            ":\n\n\
             | kernel | file | ours | CLI | ours/CLI (best) | peak heap ours | note |\n\
             |---|---:|---:|---:|---:|---:|---|\n",
        );
        for f in compressed {
            let group = format!("compressed/{}", f.name);
            let (ours, cli) = (get(&group, "ours"), get(&group, "cli"));
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                f.name,
                opt(f.file_size, fmt_bytes),
                opt(ours, fmt_time),
                opt(cli, fmt_time),
                ratios((ours, cli), (best(&group, "ours"), best(&group, "cli"))),
                heap_cell(f),
                f.note,
            ));
        }
    }

    s.push_str(
        "\nBoot structures, once per boot:\n\n\
         | structure | ours | upstream | ours/upstream | peak heap ours / upstream | note |\n\
         |---|---:|---:|---:|---:|---|\n",
    );
    for f in facts.rows.iter().filter(|f| f.group == "boot-structures") {
        let group = format!("boot-structures/{}", f.name);
        let (ours, up) = (get(&group, "ours"), get(&group, "upstream"));
        let mut note = f.note.clone();
        if let (true, Some(src)) = (f.name == "dtb-patch", facts.info.get("dtb")) {
            note = format!("{note}; DTB: {src}");
        }
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} / {} | {} |\n",
            f.name,
            opt(ours, fmt_time),
            opt(up, fmt_time),
            ratio(ours, up),
            opt(f.heap_ours, fmt_bytes),
            opt(f.heap_upstream, fmt_bytes),
            note.trim_start_matches("; "),
        ));
    }

    if !notes.is_empty() {
        s.push('\n');
        for (i, n) in notes.iter().enumerate() {
            s.push_str(&format!("[^{}]: {n}\n", i + 1));
        }
    }
    s
}

/// Our peak heap: bytes, the bench's reason when it could not count them, or `n/a`.
fn heap_cell(f: &Fact) -> String {
    match (&f.heap_ours, &f.heap_ours_text) {
        (Some(b), _) => fmt_bytes(*b),
        (None, Some(text)) => text.clone(),
        (None, None) => "n/a".to_owned(),
    }
}

/// `rows` in their order, except that each `<kernel>-libzstd` row (added by the second, libzstd
/// run, so last in the facts) follows its `<kernel>` row, measured with ruzstd.
fn libzstd_after_ruzstd(rows: Vec<&Fact>) -> Vec<&Fact> {
    let place = |f: &Fact| {
        let base = f.name.strip_suffix(LIBZSTD_SUFFIX).unwrap_or(&f.name);
        rows.iter()
            .position(|r| r.name == base)
            .or_else(|| rows.iter().position(|r| r.name == f.name))
    };
    let mut sorted = rows.clone();
    sorted.sort_by_key(|f| place(f));
    sorted
}

/// Replaces what lies between the bench markers in `path` with `table`.
fn write_between_markers(path: &Path, table: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!(
            "{} has no `{BEGIN}` … `{END}` markers",
            path.display()
        ));
    };
    if end < begin {
        return Err(format!("{}: bench markers out of order", path.display()));
    }
    let new = format!(
        "{}{BEGIN}\n{}\n{}",
        &text[..begin],
        table.trim_end(),
        &text[end..]
    );
    std::fs::write(path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_criterion_json() {
        let bench = r#"{"group_id":"load/vmlinux","function_id":"ours","value_str":null}"#;
        assert_eq!(
            json_string(bench, "group_id").as_deref(),
            Some("load/vmlinux")
        );
        assert_eq!(json_string(bench, "function_id").as_deref(), Some("ours"));
        let est = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":3.0},"point_estimate":6167414.5,"standard_error":4.0},"median":{"point_estimate":9.0}}"#;
        assert_eq!(mean_point_estimate(est), Some(6_167_414.5));
    }

    #[test]
    fn table_has_ratios_and_na() {
        let mut results = Results::new();
        for (f, ns) in [("ours", 1.1e6), ("limit", 1.0e6), ("upstream", 2.2e6)] {
            results.insert(("load/vmlinux".into(), f.into()), ns);
        }
        results.insert(("load/arm64-image".into(), "ours".into()), 3e6);
        results.insert(("load/arm64-image".into(), "limit".into()), 2.5e6);
        results.insert(("load/arm64-image".into(), "limit+zero".into()), 3e6);
        let facts = parse_facts(
            "row\tload\tvmlinux\t100\t90\t0\t1500\t700\t\n\
             row\tload\tarm64-image\t100\t100\t5\t4000\t-\tno pe on x86\n\
             best\tload/vmlinux\tours\t1000000\n\
             best\tload/vmlinux\tlimit\t1000000\n\
             best\tload/vmlinux\tupstream\t1250000\n",
        );
        let m = Machine {
            cpu: "cpu".into(),
            cpus: 2,
            kernel: "6.1".into(),
            date: "today".into(),
            load: "0.1".into(),
        };
        let t = render(&results, &facts, &m);
        assert!(t.contains("| vmlinux | 100 B | 90 B + 0 B | 1.10 ms | 1.00 ms | 1.00 ms | 2.20 ms | 1.10 (1.00) | 1.10 (1.00) | 0.50 (0.80) | 1.5 KiB / 700 B |"), "{t}");
        assert!(
            t.contains(
                "| arm64-image | 100 B | 100 B + 5 B | 3.00 ms | 2.50 ms | 3.00 ms | n/a[^1] | 1.20 | 1.00 | n/a |"
            ),
            "{t}"
        );
        assert!(t.contains("[^1]: no pe on x86"), "{t}");
    }

    #[test]
    fn libzstd_rows_follow_their_ruzstd_row() {
        let mut results = Results::new();
        for (name, ours) in [("zstd-vmlinux", 20e6), ("zstd-vmlinux-libzstd", 10e6)] {
            let group = format!("compressed/{name}");
            results.insert((group.clone(), "ours".into()), ours);
            results.insert((group, "cli".into()), 12.5e6);
        }
        results.insert(("compressed/gz".into(), "ours".into()), 1e6);
        // As the two runs leave the facts: the libzstd run's row comes last.
        let facts = parse_facts(
            "row\tcompressed\tzstd-vmlinux\t1024\t2048\t0\t25000000\t-\tZstd (ruzstd, pure Rust), 2048 decompressed\n\
             best\tcompressed/zstd-vmlinux\tours\t19000000\n\
             best\tcompressed/zstd-vmlinux\tcli\t12000000\n\
             row\tcompressed\tgz\t10\t20\t0\t2048\t-\tGzip\n\
             row\tcompressed\tzstd-vmlinux-libzstd\t1024\t2048\t0\tn/a (C malloc)\t-\tZstd (C libzstd)\n\
             best\tcompressed/zstd-vmlinux-libzstd\tours\t9000000\n\
             best\tcompressed/zstd-vmlinux-libzstd\tcli\t12000000\n",
        );
        let m = Machine {
            cpu: "cpu".into(),
            cpus: 2,
            kernel: "6.1".into(),
            date: "today".into(),
            load: "0.1".into(),
        };
        let t = render(&results, &facts, &m);
        let ruzstd = "| zstd-vmlinux | 1.0 KiB | 20.00 ms | 12.50 ms | 1.60 (1.58) | 23.8 MiB | \
                      Zstd (ruzstd, pure Rust), 2048 decompressed |\n";
        let libzstd = "| zstd-vmlinux-libzstd | 1.0 KiB | 10.00 ms | 12.50 ms | 0.80 (0.75) | \
                       n/a (C malloc) | Zstd (C libzstd) |\n";
        let gz = "| gz | 10 B | 1.00 ms | n/a | n/a | 2.0 KiB | Gzip |\n";
        assert!(t.contains(&format!("{ruzstd}{libzstd}{gz}")), "{t}");
        assert!(t.contains("zstd twice"), "{t}");

        // Without a libzstd row, no word about it.
        let facts = parse_facts("row\tcompressed\tgz\t10\t20\t0\t2048\t-\tGzip\n");
        let t = render(&results, &facts, &m);
        assert!(t.contains(gz) && !t.contains("zstd twice"), "{t}");
    }

    #[test]
    fn markers_are_replaced() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-md-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("README.md");
        std::fs::write(&path, format!("a\n{BEGIN}\nold\n{END}\nb\n")).unwrap();
        write_between_markers(&path, "new table\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("a\n{BEGIN}\nnew table\n{END}\nb\n")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
