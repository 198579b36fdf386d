// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The checks must be able to fail: the harness sees stray writes, and the seeds really load.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions
)]

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use fuzz_checks::harness::{Harness, SMALL_REGIONS, pattern};
use loader_core::GuestRange;
use vm_memory::{Bytes, GuestAddress};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn panics(f: impl FnOnce()) -> String {
    let err = catch_unwind(AssertUnwindSafe(f)).expect_err("the check should have fired");
    err.downcast_ref::<String>().cloned().unwrap_or_default()
}

#[test]
fn a_stray_write_is_seen_even_when_it_writes_the_pattern_back() {
    let h = Harness::new(SMALL_REGIONS);
    h.mem()
        .write_obj(pattern(0x1234), GuestAddress(0x1234))
        .unwrap();
    let msg = panics(|| h.assert_untouched(&"stray"));
    assert!(msg.contains("dirty pages"), "{msg}");
    h.restore();
    h.assert_untouched(&"after restore");
    h.assert_pristine(&"after restore");
}

#[test]
fn a_write_outside_the_reported_range_is_seen() {
    let h = Harness::new(SMALL_REGIONS);
    h.mem().write_slice(&[0; 8], GuestAddress(0x2000)).unwrap();
    h.mem().write_obj(0u8, GuestAddress(0x2010)).unwrap();
    let allowed = [GuestRange::new(GuestAddress(0x2000), 8)];
    let msg = panics(|| {
        h.assert_written_within(&allowed, &"outside");
    });
    assert!(msg.contains("GuestAddress(2010)"), "{msg}");
}

#[test]
fn seeds_load_so_the_ok_invariants_run() {
    let h = Harness::new(SMALL_REGIONS);
    let elf = fixture("elf/x86_64-pvh.elf");
    assert!(fuzz_checks::elf::check_elf_in(&h, &elf, None, None));
    h.restore();
    let bz = fixture("bzimage/minimal-64.bzImage");
    assert!(fuzz_checks::bzimage::check_bzimage_in(&h, &bz, None, None));
    h.restore();
    let image = fixture("pe/arm64.Image");
    assert!(fuzz_checks::image::check_pe_image_in(
        &h, &image, None, None
    ));
    h.restore();
    for seed in [
        "seed-arm64.Image.gz",
        "seed-arm64-zboot.efi",
        "seed-arm64.Image.zst",
        "seed-arm64.Image.lzo",
    ] {
        let data = std::fs::read(format!(
            "{}/../../fixtures/fuzz/pe_compressed/{seed}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let r = kernel_pe::PE::load_compressed(
            h.mem(),
            None,
            &mut Cursor::new(&data),
            None,
            kernel_decompress::Limits::new(),
        );
        assert!(r.is_ok_and(|l| l.decompressed_len == 0xa00), "{seed}");
        h.restore();
    }
    // Rejections leave memory as it was.
    assert!(!fuzz_checks::elf::check_elf_in(
        &h,
        &elf,
        Some(0x10_0000),
        None
    ));
    h.assert_pristine(&"after a rejected ELF");
}

#[test]
fn a_loader_that_skips_the_zero_fill_is_caught() {
    let h = Harness::new(SMALL_REGIONS);
    let image = fixture("pe/arm64.Image");
    let plan = fuzz_checks::image::pure_plan(&image, None, None).unwrap();
    let seg = plan.plan.segments()[0];
    // Copy the file bytes only, as upstream did: the BSS keeps the pattern.
    h.mem().write_slice(&image, seg.guest_addr).unwrap();
    let msg = panics(|| h.assert_segments_written(&image, &[seg], &"no zero fill"));
    assert!(msg.contains("zero fill"), "{msg}");
}
