// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! arm64 / riscv64 `Image`: `kernel_pe::PE` against `parse_image_header` and `plan_image`.

use std::io::Cursor;

use kernel_pe::limits::MAX_HEADER_BYTES;
use kernel_pe::{ImagePlan, PE, parse_image_header, plan_image};
use loader_core::KernelLoader;
use vm_memory::GuestAddress;

use crate::harness::{Harness, with_small};

/// `(kernel_offset, highmem_start_address)` pairs: base 0, base 2 MiB (a riscv64 text_offset
/// of 2 MiB then lands in the harness's hole), a highmem start inside the image, and a base that
/// is not 2 MiB aligned.
pub const CONFIGS: &[(Option<u64>, Option<u64>)] = &[
    (None, None),
    (Some(0x20_0000), None),
    (None, Some(0x1000)),
    (Some(0x10_0000), None),
];

/// The plan the pure functions make, or `None` where they reject the image.
pub fn pure_plan(data: &[u8], offset: Option<u64>, highmem: Option<u64>) -> Option<ImagePlan> {
    let info = parse_image_header(&data[..data.len().min(MAX_HEADER_BYTES)]).ok()?;
    plan_image(
        &info,
        data.len() as u64,
        offset.map(GuestAddress),
        highmem.map(GuestAddress),
    )
    .ok()
}

/// Loads `data` as an arm64 / riscv64 `Image` with every [`CONFIGS`] pair and checks the
/// invariants; also `PE::inspect` and `probe` agree with the parser.
pub fn check_pe_image(data: &[u8]) {
    let _ = kernel_pe::probe(data);
    let inspected = PE::inspect(&mut Cursor::new(data));
    let parsed = parse_image_header(&data[..data.len().min(MAX_HEADER_BYTES)]);
    assert_eq!(
        format!("{inspected:?}"),
        format!("{parsed:?}"),
        "PE::inspect and parse_image_header disagree"
    );
    with_small(|h| {
        for &(offset, highmem) in CONFIGS {
            check_pe_image_in(h, data, offset, highmem);
            h.restore();
        }
    });
}

/// One load of `data` into `h`, checked; whether it loaded.
pub fn check_pe_image_in(
    h: &Harness,
    data: &[u8],
    offset: Option<u64>,
    highmem: Option<u64>,
) -> bool {
    let ctx = format!(
        "Image, {} bytes, offset {offset:x?}, highmem {highmem:x?}",
        data.len()
    );
    let loaded = PE::load(
        h.mem(),
        offset.map(GuestAddress),
        &mut Cursor::new(data),
        highmem.map(GuestAddress),
    );
    let planned = pure_plan(data, offset, highmem);
    let result = match loaded {
        Err(e) => {
            h.assert_untouched(&format_args!("{ctx}: {e}"));
            return false;
        }
        Ok(result) => result,
    };
    let p = planned.unwrap_or_else(|| panic!("{ctx}: load succeeded, the pure plan failed"));
    let info = parse_image_header(&data[..data.len().min(MAX_HEADER_BYTES)]).expect("parsed");
    assert_eq!(result, p.result, "{ctx}: result differs from the plan");
    let base = offset.unwrap_or(0);
    assert_eq!(base % 0x20_0000, 0, "{ctx}: unaligned base accepted");
    let load = base + info.text_offset;
    assert_eq!(
        result.kernel_load,
        GuestAddress(load),
        "{ctx}: load address"
    );
    assert_eq!(result.entry.image, Some(GuestAddress(load)), "{ctx}: entry");
    let size = (data.len() as u64).max(info.image_size);
    assert_eq!(
        result.kernel_end,
        load + size,
        "{ctx}: kernel_end must cover image_size"
    );
    if let Some(hm) = highmem {
        assert!(load >= hm, "{ctx}: loaded below highmem");
    }
    let segs = p.plan.segments();
    assert_eq!(segs.len(), 1, "{ctx}: one segment");
    h.assert_segments_written(data, segs, &ctx);
    true
}
