// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! x86 bzImage: `kernel_bzimage::BzImage` against `parse` and `BzImageInfo::plan`.

use std::io::Cursor;

use kernel_bzimage::limits::MAX_SETUP_BYTES;
use kernel_bzimage::{BzImage, BzImagePlan, parse};
use vm_memory::GuestAddress;

use crate::harness::{Harness, with_small};

/// `(kernel_offset, highmem_start_address)` pairs: the default `code32_start`, an aligned
/// relocation, a highmem start above the load address, a misaligned address, and an address
/// above 4 GiB (upstream truncated it into `code32_start`).
pub const CONFIGS: &[(Option<u64>, Option<u64>)] = &[
    (None, None),
    (Some(0x20_0000), None),
    (Some(0x10_0000), Some(0x20_0000)),
    (Some(0x10_1000), None),
    (Some(0x1_0020_0000), None),
];

/// The plan the pure functions make, or `None` where they reject the image.
pub fn pure_plan(data: &[u8], offset: Option<u64>, highmem: Option<u64>) -> Option<BzImagePlan> {
    let head = &data[..data.len().min(MAX_SETUP_BYTES)];
    let info = parse(head, data.len() as u64).ok()?;
    info.plan(offset.map(GuestAddress), highmem.map(GuestAddress))
        .ok()
}

/// Loads `data` as a bzImage with every [`CONFIGS`] pair and checks the invariants.
pub fn check_bzimage(data: &[u8]) {
    with_small(|h| {
        for &(offset, highmem) in CONFIGS {
            check_bzimage_in(h, data, offset, highmem);
            h.restore();
        }
    });
}

/// One load of `data` into `h`, checked; whether it loaded.
pub fn check_bzimage_in(
    h: &Harness,
    data: &[u8],
    offset: Option<u64>,
    highmem: Option<u64>,
) -> bool {
    let ctx = format!(
        "bzImage, {} bytes, offset {offset:x?}, highmem {highmem:x?}",
        data.len()
    );
    let loaded = BzImage::load_detailed(
        h.mem(),
        offset.map(GuestAddress),
        &mut Cursor::new(data),
        highmem.map(GuestAddress),
    );
    let planned = pure_plan(data, offset, highmem);
    let load = match loaded {
        Err(e) => {
            h.assert_untouched(&format_args!("{ctx}: {e}"));
            return false;
        }
        Ok(load) => load,
    };
    let p = planned.unwrap_or_else(|| panic!("{ctx}: load succeeded, the pure plan failed"));
    let info =
        parse(&data[..data.len().min(MAX_SETUP_BYTES)], data.len() as u64).expect("parsed above");
    assert_eq!(load.result, p.result, "{ctx}: result differs from the plan");
    assert_eq!(
        load.kernel_version, info.kernel_version,
        "{ctx}: the loader's two header reads found another version string than parse on the whole setup code"
    );
    let addr = load.result.kernel_load.0;
    assert_eq!(
        addr,
        offset.unwrap_or(u64::from(info.setup_header.code32_start)),
        "{ctx}"
    );
    assert_eq!(
        u64::from(load.setup_header.code32_start),
        addr,
        "{ctx}: code32_start"
    );
    assert_eq!(
        load.result.entry.linux_32,
        Some(GuestAddress(addr)),
        "{ctx}"
    );
    let want64 = info.kernel_64.then(|| GuestAddress(addr + 0x200));
    assert_eq!(load.result.entry.linux_64, want64, "{ctx}: 64-bit entry");
    assert_eq!(
        load.result.kernel_end,
        addr + info.kernel_len,
        "{ctx}: kernel_end"
    );
    assert!(
        load.result.needs_free.contains_range(&load.result.loaded),
        "{ctx}: needs_free {:x?} does not cover loaded {:x?}",
        load.result.needs_free,
        load.result.loaded
    );
    if info.init_size > 0 {
        assert!(
            load.result.needs_free.len >= info.init_size,
            "{ctx}: needs_free shorter than init_size"
        );
    }
    if let Some(hm) = highmem {
        assert!(addr >= hm, "{ctx}: loaded below highmem");
    }
    if !info.can_load_above_4g {
        assert!(load.result.kernel_end <= 1 << 32, "{ctx}: above 4 GiB");
    }
    if let Some(payload) = load.payload {
        let end = payload.file_offset + payload.len;
        assert!(
            payload.file_offset >= info.kernel_file_offset
                && end <= info.kernel_file_offset + info.kernel_len
                && end <= data.len() as u64,
            "{ctx}: payload {payload:x?} outside the protected-mode kernel"
        );
    }
    let segs = p.plan.segments();
    assert_eq!(segs.len(), 1, "{ctx}: one segment");
    assert_eq!(
        (segs[0].file_offset, segs[0].file_len),
        (info.kernel_file_offset, info.kernel_len),
        "{ctx}: segment"
    );
    h.assert_segments_written(data, segs, &ctx);
    true
}
