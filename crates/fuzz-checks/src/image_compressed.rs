// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Compressed arm64 / riscv64 images (`Image.gz`, `.zst`, `.lz4`, xz, `.lzo`, EFI zboot):
//! `kernel_pe::PE::load_compressed` against an independent decode of the same payload.

use std::io::{Cursor, Read};

use kernel_decompress::{Limits, decoder};
use kernel_pe::{PE, locate_compressed};
use loader_core::{Segment, fits_in_memory};
use vm_memory::GuestAddress;

use crate::harness::{Harness, with_small};

/// Decompressed-size limit while fuzzing.
pub const MAX_OUT: u64 = 1 << 20;

/// Checks `data` as a compressed `Image` with every [`crate::image::CONFIGS`] pair:
///
/// * an error before the first write leaves guest memory untouched; an error after it (a
///   truncated or corrupt stream found mid-copy) names the range written, which lies in guest
///   memory, and nothing outside it changed;
/// * on `Ok`, guest memory holds exactly the payload's independent decode at the load address,
///   then zeroes up to `kernel_end`, and nothing else changed.
pub fn check_pe_compressed(data: &[u8]) {
    with_small(|h| {
        for &(offset, highmem) in crate::image::CONFIGS {
            check_in(h, data, offset, highmem);
            h.restore();
        }
    });
}

fn limits() -> Limits {
    Limits::new()
        .with_max_decompressed(MAX_OUT)
        .with_max_window(1 << 24)
}

fn check_in(h: &Harness, data: &[u8], offset: Option<u64>, highmem: Option<u64>) {
    let ctx = format!(
        "compressed Image, {} bytes, offset {offset:x?}, highmem {highmem:x?}",
        data.len()
    );
    let r = PE::load_compressed(
        h.mem(),
        offset.map(GuestAddress),
        &mut Cursor::new(data),
        highmem.map(GuestAddress),
        limits(),
    );
    let load = match r {
        Err(e) => {
            match e.written() {
                None => h.assert_untouched(&format_args!("{ctx}: {e}")),
                Some(w) => {
                    assert!(
                        fits_in_memory(h.mem(), w),
                        "{ctx}: written {w:x?} outside memory"
                    );
                    h.assert_written_within(&[w], &format_args!("{ctx}: {e}"));
                }
            }
            return;
        }
        Ok(load) => load,
    };
    let located = locate_compressed(&mut Cursor::new(data)).expect("located during the load");
    let start = located.payload_offset as usize;
    let payload = &data[start..start + located.payload_len as usize];
    let mut out = Vec::new();
    decoder(
        located.compression,
        payload,
        limits().with_expected_size(located.decompressed_len),
    )
    .expect("decoder")
    .read_to_end(&mut out)
    .unwrap_or_else(|e| panic!("{ctx}: loaded, but the payload does not decode: {e}"));
    assert_eq!(
        load.decompressed_len,
        out.len() as u64,
        "{ctx}: decompressed length"
    );
    let load_addr = load.result.kernel_load;
    let seg = Segment {
        file_offset: 0,
        file_len: out.len() as u64,
        guest_addr: load_addr,
        mem_len: load.result.kernel_end - load_addr.0,
    };
    assert_eq!(load.result.loaded, seg.guest_range(), "{ctx}: loaded range");
    assert!(
        load.result.kernel_end - load_addr.0 >= load.info.image_size,
        "{ctx}: kernel_end short of image_size"
    );
    h.assert_segments_written(&out, &[seg], &ctx);
}
