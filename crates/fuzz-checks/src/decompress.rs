// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Decompressors: `kernel_decompress` on hostile streams, alone and feeding loader-core's
//! executor through a `StreamSource`, as the compressed-kernel loaders do.

use std::io::Read;

use kernel_decompress::{Limits, auto_decoder, detect};
use loader_core::{GuestRange, LoadPlan, Segment, StreamSource};
use vm_memory::GuestAddress;

use crate::harness::{Harness, with_small};

/// Output limit for fuzzing: large enough for the seeds, small enough to keep runs fast.
pub const MAX_OUT: u64 = 1 << 20;

fn limits() -> Limits {
    Limits::new()
        .with_max_decompressed(MAX_OUT)
        .with_max_window(1 << 24)
}

/// Decodes `data` whole, reading `chunk` bytes at a time.
fn decode(data: &[u8], limits: Limits, chunk: usize) -> Result<Vec<u8>, String> {
    let mut d = auto_decoder(data, limits).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut buf = vec![0u8; chunk];
    loop {
        match d.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return Err(e.to_string()),
        }
        assert!(
            out.len() as u64 <= limits.max_decompressed,
            "output past the limit"
        );
    }
    assert_eq!(
        d.produced(),
        out.len() as u64,
        "produced() disagrees with the bytes read"
    );
    Ok(out)
}

/// Checks `data` as a compressed payload:
///
/// * decoding never exceeds the output limit, and gives the same result whether it is read in
///   large or 7-byte chunks;
/// * a successful decode checks against its own size as `expected_size`, and fails against
///   any other;
/// * streamed into guest memory through loader-core's executor, a plan of exactly the output's
///   length writes exactly the output and its zero fill; a plan asking for more fails, writing
///   only inside the segment it reports.
pub fn check_decompress(data: &[u8]) {
    let _ = detect(data);
    let whole = decode(data, limits(), 64 * 1024);
    let small = decode(data, limits(), 7);
    match (&whole, &small) {
        (Ok(a), Ok(b)) => assert!(a == b, "output depends on the read size"),
        (Err(_), Err(_)) => {}
        _ => panic!(
            "read size changes the outcome: {:?} vs {:?}",
            whole.as_ref().map(Vec::len),
            small.as_ref().map(Vec::len)
        ),
    }
    let Ok(out) = whole else {
        return;
    };
    let n = out.len() as u64;
    let exact = decode(data, limits().with_expected_size(Some(n)), 64 * 1024);
    assert!(
        exact.as_ref().is_ok_and(|e| *e == out),
        "expected_size = output size: {:?}",
        exact.err()
    );
    let off = decode(data, limits().with_expected_size(Some(n + 1)), 64 * 1024);
    assert!(off.is_err(), "expected_size one past the output accepted");

    with_small(|h| {
        stream_into(h, data, &out, n, 0x10);
        h.restore();
        stream_into(h, data, &out, n + 1, 0);
    });
}

fn stream_into(h: &Harness, data: &[u8], out: &[u8], file_len: u64, zero: u64) {
    let seg = Segment {
        file_offset: 0,
        file_len,
        guest_addr: GuestAddress(0x1000),
        mem_len: file_len + zero,
    };
    let mut plan = LoadPlan::new();
    plan.push(seg).expect("segment");
    let d = auto_decoder(data, limits()).expect("decoded above");
    let r = plan.execute(h.mem(), &mut StreamSource::new(d));
    let ctx = format!("{} compressed bytes, plan {seg:x?}", data.len());
    match r {
        Ok(summary) => {
            assert_eq!(
                file_len,
                out.len() as u64,
                "{ctx}: a plan longer than the stream loaded"
            );
            assert_eq!(summary.file_bytes, file_len, "{ctx}");
            h.assert_segments_written(out, &[seg], &ctx);
        }
        Err(e) => {
            assert!(file_len > out.len() as u64, "{ctx}: exact plan failed: {e}");
            h.assert_written_within(&[GuestRange::new(seg.guest_addr, seg.mem_len)], &ctx);
            let got = h.read(seg.guest_addr, out.len() as u64);
            assert!(got == out, "{ctx}: bytes before the early end differ");
        }
    }
}
