// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Stable smoke tests for the fuzz targets: every committed input under
//! `fixtures/fuzz/<target>/` (crash and regression files, and the small seed corpus) goes through
//! the same invariant check the fuzz target runs. A fuzz finding becomes a file there and stays
//! tested on every `cargo test`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use std::path::{Path, PathBuf};

/// At most this many files per target, so the committed corpus stays reviewable.
const MAX_FILES: usize = 50;
/// At most this many bytes per target.
const MAX_BYTES: u64 = 1 << 20;

fn dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/fuzz")
        .join(target)
}

fn replay(target: &str) {
    let check = fuzz_checks::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|&(_, check)| check)
        .unwrap_or_else(|| panic!("no check for target {target}"));
    let dir = dir(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no inputs", dir.display());
    assert!(
        files.len() <= MAX_FILES,
        "{}: {} files (max {MAX_FILES})",
        dir.display(),
        files.len()
    );
    let mut total = 0u64;
    for file in &files {
        let data = std::fs::read(file).unwrap();
        total += data.len() as u64;
        // Name the file if its check panics.
        let outcome = std::panic::catch_unwind(|| check(&data));
        if let Err(panic) = outcome {
            std::panic::resume_unwind(Box::new(format!(
                "{target}: {} broke an invariant: {}",
                file.display(),
                panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(non-string panic)")
            )));
        }
    }
    assert!(
        total <= MAX_BYTES,
        "{}: {total} bytes (max {MAX_BYTES})",
        dir.display()
    );
    eprintln!("{target}: replayed {} inputs, {total} bytes", files.len());
}

#[test]
fn replay_elf() {
    replay("elf");
}

#[test]
fn replay_bzimage() {
    replay("bzimage");
}

#[test]
fn replay_pe_image() {
    replay("pe_image");
}

#[test]
fn replay_cmdline() {
    replay("cmdline");
}

#[test]
fn replay_dtb() {
    replay("dtb");
}

#[test]
fn replay_e820_layout() {
    replay("e820_layout");
}

#[test]
fn replay_decompress() {
    replay("decompress");
}

#[test]
fn replay_pe_compressed() {
    replay("pe_compressed");
}

#[test]
fn every_target_has_a_check_and_a_directory() {
    for (name, _) in fuzz_checks::TARGETS {
        assert!(dir(name).is_dir(), "fixtures/fuzz/{name} missing");
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/fuzz_targets")
            .join(format!("{name}.rs"));
        assert!(src.is_file(), "{} missing", src.display());
    }
}
