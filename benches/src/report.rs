// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! What the bench knows besides timings (sizes, peak heap, why a contender is n/a), written next
//! to criterion's results for `cargo xtask bench` to read.
//!
//! One line per fact, tab-separated:
//!
//! * `row <group> <name> <file size> <bytes copied> <bytes zeroed> <heap ours> <heap upstream>
//!   <note>` — a number that is not known is `-`;
//! * `best <group>/<name> <function> <ns>` — the best time of interleaved rounds (see
//!   [`interleaved_best`]);
//! * `info <key> <value>`.
//!
//! The heap columns may instead hold `n/a (<why>)` for a load the counting allocator cannot see
//! ([`Report::row_heap_unseen`]).
//!
//! A run replaces the facts of the benchmarks it measured and keeps the others (see [`merge`]),
//! as criterion keeps the results of benchmarks a filter left out: `cargo xtask bench` clears
//! both before a full run, then adds the zstd cases built with libzstd in a second, filtered run.

use std::collections::BTreeSet;
use std::fmt::Display;
use std::path::PathBuf;

/// The file name, inside criterion's output directory.
pub const FILE_NAME: &str = "linux-loader-bench.tsv";

/// Criterion's output directory, resolved as criterion does for a `cargo bench` run:
/// `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the workspace's
/// `target/criterion`.
pub fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion")
}

/// The facts of one bench run.
#[derive(Debug, Default)]
pub struct Report {
    lines: Vec<String>,
}

fn or_dash<T: Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// One benchmarked kernel or structure; `bytes` is (copied from the file, zero-filled).
    #[allow(clippy::too_many_arguments)]
    pub fn row(
        &mut self,
        group: &str,
        name: &str,
        file_size: Option<u64>,
        bytes: Option<(u64, u64)>,
        heap_ours: Option<usize>,
        heap_upstream: Option<usize>,
        note: &str,
    ) {
        self.push_row(
            group,
            name,
            file_size,
            bytes,
            &or_dash(heap_ours),
            &or_dash(heap_upstream),
            note,
        );
    }

    /// Like [`Self::row`], without upstream, for a load whose heap the counting allocator cannot
    /// see (C code allocating through `malloc`): the heap cell reads `n/a (<why>)` rather than
    /// a misleadingly small number.
    pub fn row_heap_unseen(
        &mut self,
        group: &str,
        name: &str,
        file_size: Option<u64>,
        bytes: Option<(u64, u64)>,
        why: &str,
        note: &str,
    ) {
        let cell = format!("n/a ({})", why.replace(['\t', '\n'], " "));
        self.push_row(group, name, file_size, bytes, &cell, "-", note);
    }

    #[allow(clippy::too_many_arguments)]
    fn push_row(
        &mut self,
        group: &str,
        name: &str,
        file_size: Option<u64>,
        bytes: Option<(u64, u64)>,
        heap_ours: &str,
        heap_upstream: &str,
        note: &str,
    ) {
        self.lines.push(format!(
            "row\t{group}\t{name}\t{}\t{}\t{}\t{heap_ours}\t{heap_upstream}\t{}",
            or_dash(file_size),
            or_dash(bytes.map(|b| b.0)),
            or_dash(bytes.map(|b| b.1)),
            note.replace(['\t', '\n'], " ")
        ));
    }

    /// The best time of `function` in interleaved rounds.
    pub fn best(&mut self, bench: &str, function: &str, ns: f64) {
        self.lines
            .push(format!("best\t{bench}\t{function}\t{ns:.0}"));
    }

    /// A fact about the whole run.
    pub fn info(&mut self, key: &str, value: &str) {
        self.lines
            .push(format!("info\t{key}\t{}", value.replace(['\t', '\n'], " ")));
    }

    /// Writes the report into [`criterion_home`], [merged](merge) into the facts already there.
    pub fn write(&self) -> std::io::Result<PathBuf> {
        let dir = criterion_home();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(FILE_NAME);
        let old = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e),
        };
        std::fs::write(&path, merge(&old, &self.lines))?;
        Ok(path)
    }
}

/// What a facts line belongs to: `<group>/<name>` for `row` and `best` lines (all the facts of
/// one benchmark), `info <key>` for `info` lines.
fn key(line: &str) -> Option<String> {
    let mut fields = line.split('\t');
    match (fields.next(), fields.next(), fields.next()) {
        (Some("row"), Some(group), Some(name)) => Some(format!("{group}/{name}")),
        (Some("best"), Some(bench), _) => Some(bench.to_owned()),
        (Some("info"), Some(k), _) => Some(format!("info {k}")),
        _ => None,
    }
}

/// The facts file after a run: `old` (the file's text) with the lines of every benchmark (or
/// info key) that `new` has replaced by `new`'s, in the place of the first old one, and the
/// other old lines kept; what is new to the file comes last. A run filtered to some benchmarks
/// thus updates only theirs, and a re-run keeps the table's row order.
pub fn merge(old: &str, new: &[String]) -> String {
    let new_keys: Vec<Option<String>> = new.iter().map(|l| key(l)).collect();
    let replaced = |k: &Option<String>| k.is_some() && new_keys.contains(k);
    let mut out: Vec<&str> = Vec::new();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    for line in old.lines().filter(|l| !l.is_empty()) {
        let k = key(line);
        if !replaced(&k) {
            out.push(line);
            continue;
        }
        let Some(k) = k else { continue };
        if placed.insert(k.clone()) {
            out.extend(
                new.iter()
                    .zip(&new_keys)
                    .filter(|(_, n)| n.as_deref() == Some(k.as_str()))
                    .map(|(l, _)| l.as_str()),
            );
        }
    }
    for (line, k) in new.iter().zip(&new_keys) {
        if !k.as_ref().is_some_and(|k| placed.contains(k)) {
            out.push(line);
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// Runs every contender once per round, for `rounds` rounds, and returns each one's best
/// (shortest) time in ns.
///
/// Criterion measures one function after another, each in its own seconds-long window; on a
/// machine shared with other work, load that comes and goes between windows skews the ratio
/// of two means. Interleaving gives every contender the same conditions, and the best time is
/// the one least disturbed: the pair of numbers to trust when the means disagree.
///
/// The order changes every round (a fixed pseudo-random shuffle): a contender's time depends a
/// little on which one ran just before it (for the tiny kernels, a loader that runs after
/// another loader measured ~3 µs slower than one that runs after the raw copy), and a fixed
/// order would hand that difference to the same contender every round.
pub fn interleaved_best(rounds: usize, contenders: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; contenders.len()];
    let mut order: Vec<usize> = (0..contenders.len()).collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..rounds {
        // Fisher-Yates with xorshift64: deterministic, every order equally likely.
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            let start = std::time::Instant::now();
            (contenders[k])();
            best[k] = best[k].min(start.elapsed().as_secs_f64() * 1e9);
        }
    }
    best
}

/// How many interleaved rounds fit in `budget` when one round takes about `round`.
pub fn rounds_for(
    budget: std::time::Duration,
    round: std::time::Duration,
    min: usize,
    max: usize,
) -> usize {
    let n = budget.as_secs_f64() / round.as_secs_f64().max(1e-9);
    (n as usize).clamp(min, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaved_rounds_run_each_contender_once_per_round_in_varying_order() {
        let log = std::cell::RefCell::new(Vec::new());
        let (mut a, mut b, mut c) = (
            || log.borrow_mut().push(0),
            || log.borrow_mut().push(1),
            || {
                log.borrow_mut().push(2);
                std::thread::sleep(std::time::Duration::from_millis(2));
            },
        );
        let best = interleaved_best(12, &mut [&mut a, &mut b, &mut c]);
        let log = log.into_inner();
        let rounds: Vec<&[usize]> = log.chunks(3).collect();
        assert_eq!(rounds.len(), 12);
        for round in &rounds {
            let mut sorted = round.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, [0, 1, 2], "{log:?}");
        }
        // The order changes: every contender opens some round.
        let firsts: std::collections::BTreeSet<usize> = rounds.iter().map(|r| r[0]).collect();
        assert_eq!(firsts.len(), 3, "{log:?}");
        assert!(best[2] >= 2e6 && best[0] < best[2], "{best:?}");
    }

    #[test]
    fn a_run_replaces_the_facts_of_what_it_measured() {
        let old = "row\tload\ta\t1\t1\t0\t10\t20\t\n\
                   best\tload/a\tours\t5\n\
                   row\tcompressed\tz\t2\t2\t0\t30\t-\truzstd\n\
                   best\tcompressed/z\tours\t7\n\
                   best\tcompressed/z\tcli\t8\n\
                   info\tdtb\tqemu\n";
        let mut r = Report::new();
        r.row_heap_unseen(
            "compressed",
            "z",
            Some(2),
            Some((2, 0)),
            "C malloc",
            "libzstd",
        );
        r.row(
            "compressed",
            "z-libzstd",
            Some(2),
            Some((2, 0)),
            None,
            None,
            "new",
        );
        r.best("compressed/z", "ours", 6.0);
        r.info("dtb", "fixture");
        let merged = merge(old, &r.lines);
        assert_eq!(
            merged,
            "row\tload\ta\t1\t1\t0\t10\t20\t\n\
             best\tload/a\tours\t5\n\
             row\tcompressed\tz\t2\t2\t0\tn/a (C malloc)\t-\tlibzstd\n\
             best\tcompressed/z\tours\t6\n\
             info\tdtb\tfixture\n\
             row\tcompressed\tz-libzstd\t2\t2\t0\t-\t-\tnew\n"
        );
        // Nothing measured (a filter that matched nothing, `--list`): the file is unchanged.
        assert_eq!(merge(&merged, &[]), merged);
        assert_eq!(merge("", &r.lines), format!("{}\n", r.lines.join("\n")));
    }
}
