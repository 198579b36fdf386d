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
        self.lines.push(format!(
            "row\t{group}\t{name}\t{}\t{}\t{}\t{}\t{}\t{}",
            or_dash(file_size),
            or_dash(bytes.map(|b| b.0)),
            or_dash(bytes.map(|b| b.1)),
            or_dash(heap_ours),
            or_dash(heap_upstream),
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

    /// Writes the report into [`criterion_home`].
    pub fn write(&self) -> std::io::Result<PathBuf> {
        let dir = criterion_home();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(FILE_NAME);
        let mut text = self.lines.join("\n");
        text.push('\n');
        std::fs::write(&path, text)?;
        Ok(path)
    }
}

/// Runs every contender once per round, in turn, for `rounds` rounds, and returns each one's
/// best (shortest) time in ns.
///
/// Criterion measures one function after another, each in its own seconds-long window; on a
/// machine shared with other work, load that comes and goes between windows skews the ratio
/// of two means. Interleaving gives every contender the same conditions, and the best time is
/// the one least disturbed: the pair of numbers to trust when the means disagree.
pub fn interleaved_best(rounds: usize, contenders: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; contenders.len()];
    for _ in 0..rounds {
        for (slot, run) in best.iter_mut().zip(contenders.iter_mut()) {
            let start = std::time::Instant::now();
            run();
            *slot = slot.min(start.elapsed().as_secs_f64() * 1e9);
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
