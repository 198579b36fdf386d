// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! zstd through the public API, whichever backend this build has (ruzstd by default, libzstd
//! with `zstd-libzstd`): the content checksum is verified, a window above the cap is refused
//! from the header alone (before a backend, and so its window, exists), a cut stream is
//! `Truncated` and a damaged one `Corrupt`.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

mod common;

use std::io::{self, Read};

use common::take;
use kernel_decompress::{Compression, Error, Limits, decoder};

/// A kernel-like, compressible sample.
fn sample(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut x: u32 = 0x9e37_79b9;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        match x % 3 {
            0 => out.extend_from_slice(b"zstd: the kernel's CONFIG_KERNEL_ZSTD payload "),
            1 => out.extend_from_slice(&[0u8; 61]),
            _ => out.extend_from_slice(&x.to_le_bytes()),
        }
    }
    out.truncate(len);
    out
}

/// `data` as one zstd frame with a content checksum (ruzstd's encoder, `hash` feature).
fn zstd(data: &[u8]) -> Vec<u8> {
    let frame =
        ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest);
    // Frame header descriptor, bit 2: content checksum present.
    assert_ne!(frame[4] & 0x04, 0, "the test frames carry a checksum");
    frame
}

fn decode(input: &[u8], limits: Limits) -> Result<Vec<u8>, Error> {
    let mut d = decoder(Compression::Zstd, input, limits)?;
    let mut out = Vec::new();
    d.read_to_end(&mut out).map_err(take)?;
    Ok(out)
}

#[test]
fn checksummed_frame_round_trips_with_the_kernel_trailer() {
    let data = sample(400_000);
    let mut input = zstd(&data);
    input.extend_from_slice(&(data.len() as u32).to_le_bytes());
    let limits = Limits::new().with_expected_size(Some(data.len() as u64));
    assert!(decode(&input, limits).unwrap() == data);
}

#[test]
fn a_corrupted_content_checksum_is_corrupt() {
    let data = sample(400_000);
    let clean = zstd(&data);
    for trailer in [false, true] {
        let mut input = clean.clone();
        let last = input.len() - 1;
        input[last] ^= 0x01;
        if trailer {
            // The kernel's size trailer after the frame: the input does not end at the checksum.
            input.extend_from_slice(&(data.len() as u32).to_le_bytes());
        }
        let got = decode(&input, Limits::default()).map(|v| v.len());
        assert!(
            matches!(
                got,
                Err(Error::Corrupt {
                    compression: Compression::Zstd,
                    ..
                })
            ),
            "trailer {trailer}: {got:?}"
        );
    }
}

#[test]
fn a_checksum_failure_comes_at_the_end_of_the_data() {
    // The checksum covers the whole content, so it fails only once the last block is decoded:
    // what was delivered before is good data, and the error counts it. (ruzstd's backend
    // delivers every byte and fails the next read; libzstd fails the read that would have
    // delivered the last block.)
    let data = sample(100_000);
    let mut input = zstd(&data);
    let last = input.len() - 1;
    input[last] ^= 0x80;
    let mut d = decoder(Compression::Zstd, input.as_slice(), Limits::default()).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let err = loop {
        match d.read(&mut buf) {
            Ok(0) => panic!("read to the end without a checksum failure"),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => break e,
        }
    };
    assert!(data.starts_with(&out));
    assert!(
        out.len() + (128 << 10) >= data.len(),
        "{} delivered",
        out.len()
    );
    assert!(
        matches!(Error::find(&err), Some(Error::Corrupt { produced, .. }) if *produced == out.len() as u64),
        "{err:?}"
    );
}

#[test]
fn truncated_mid_block_and_mid_checksum() {
    let data = sample(400_000);
    let input = zstd(&data);
    for cut in [
        input.len() / 3,
        input.len() / 2,
        input.len() - 5,
        input.len() - 2,
    ] {
        let got = decode(&input[..cut], Limits::default()).map(|v| v.len());
        assert!(
            matches!(
                got,
                Err(Error::Truncated {
                    compression: Compression::Zstd,
                    ..
                })
            ),
            "cut at {cut}/{}: {got:?}",
            input.len()
        );
    }
}

#[test]
fn damaged_blocks_are_corrupt() {
    let data = sample(400_000);
    let clean = zstd(&data);
    let mut failures = 0;
    // Damage at several places: a block header, sequences, literals. Whatever the damage
    // decodes to, the stream is refused (by the block decoder, or by the checksum).
    for at in [clean.len() / 5, clean.len() / 2, clean.len() * 4 / 5] {
        let mut input = clean.clone();
        for b in &mut input[at..at + 16] {
            *b = !*b;
        }
        let got = decode(&input, Limits::default()).map(|v| v.len());
        match got {
            Err(Error::Corrupt {
                compression: Compression::Zstd,
                ..
            }) => failures += 1,
            // A damaged block size can make the decoder look for more input than there is.
            Err(Error::Truncated {
                compression: Compression::Zstd,
                ..
            }) => failures += 1,
            other => panic!("damage at {at}: {other:?}"),
        }
    }
    assert_eq!(failures, 3);
}

/// A frame header declaring `window_log` (not single-segment), then a few bytes.
fn header_with_window(window_log: u8) -> Vec<u8> {
    let mut h = vec![0x28, 0xb5, 0x2f, 0xfd, 0x04, (window_log - 10) << 3];
    h.extend_from_slice(&[0u8; 16]);
    h
}

/// A reader that fails the test if asked for more than `allowed` bytes: the decoder may look
/// at the header, nothing after it.
struct HeaderOnly<'a> {
    data: &'a [u8],
    allowed: usize,
}

impl Read for HeaderOnly<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.data.len()).min(self.allowed);
        assert!(
            n > 0 || self.data.is_empty() || buf.is_empty(),
            "read past the header"
        );
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.allowed -= n;
        Ok(n)
    }
}

#[test]
fn a_window_above_the_cap_is_refused_from_the_header() {
    // 2 GiB window under the default 128 MiB cap; 8 MiB under a 4 MiB cap. The frame goes on
    // (a block header and data), but only the 32 bytes the decoder peeks at may be read: the
    // refusal comes before any backend (and so any window buffer) exists.
    for (log, max) in [(31u8, None), (23, Some(4u64 << 20))] {
        let mut input = header_with_window(log);
        input.extend_from_slice(&[0x55; 4096]);
        let limits = max.map_or_else(Limits::default, |m| Limits::new().with_max_window(m));
        let reader = HeaderOnly {
            data: &input,
            allowed: 32,
        };
        let got = decoder(Compression::Zstd, reader, limits).map(|_| ());
        assert!(
            matches!(
                got,
                Err(Error::WindowTooLarge {
                    compression: Compression::Zstd,
                    window: Some(w),
                    ..
                }) if w == 1u64 << log
            ),
            "window 2^{log}: {got:?}"
        );
    }
    // Single segment: the window is the frame content size, 1 GiB here.
    let mut single = vec![0x28, 0xb5, 0x2f, 0xfd, 0xa0]; // FCS 4 bytes, single segment
    single.extend_from_slice(&(1u32 << 30).to_le_bytes());
    single.extend_from_slice(&[0u8; 8]);
    let got = decoder(Compression::Zstd, single.as_slice(), Limits::default()).map(|_| ());
    assert!(
        matches!(
            got,
            Err(Error::WindowTooLarge {
                window: Some(0x4000_0000),
                ..
            })
        ),
        "{got:?}"
    );
}

#[test]
fn a_window_at_the_cap_is_accepted() {
    let data = sample(50_000);
    let input = zstd(&data);
    // ruzstd's encoder declares a small window; a cap equal to it still decodes.
    let wd = input[5];
    let log = 10 + u32::from(wd >> 3);
    let base = 1u64 << log;
    let window = base + (base / 8) * u64::from(wd & 7);
    assert_eq!(input[4] & 0x20, 0, "not single-segment");
    let out = decode(&input, Limits::new().with_max_window(window)).unwrap();
    assert!(out == data);
    let got = decode(&input, Limits::new().with_max_window(window - 1)).map(|v| v.len());
    assert!(
        matches!(got, Err(Error::WindowTooLarge { window: Some(w), .. }) if w == window),
        "{got:?}"
    );
}

#[test]
fn real_kernel_payload_with_a_bad_checksum_is_corrupt() {
    // The tiny bzImage's payload comes from the kernel's own `zstd -22 --ultra`, which writes a
    // checksum; flip one bit of it.
    let Some(path) = test_kernels::require(test_kernels::Kernel::BuiltX86_64BzImageZstd) else {
        return;
    };
    let image = std::fs::read(path).unwrap();
    let setup_sects = match image[0x1f1] {
        0 => 4,
        n => usize::from(n),
    };
    let offset = (setup_sects + 1) * 512
        + u32::from_le_bytes(image[0x248..0x24c].try_into().unwrap()) as usize;
    let len = u32::from_le_bytes(image[0x24c..0x250].try_into().unwrap()) as usize;
    let payload = &image[offset..offset + len];
    let (frame, trailer) = payload.split_at(len - 4);
    let size = u32::from_le_bytes(trailer.try_into().unwrap());
    assert_ne!(
        frame[4] & 0x04,
        0,
        "the kernel's zstd frame carries a checksum"
    );
    let limits = Limits::new().with_expected_size(Some(u64::from(size)));
    assert_eq!(decode(payload, limits).unwrap().len(), size as usize);
    let mut bad = payload.to_vec();
    bad[len - 5] ^= 0x10; // last checksum byte
    let got = decode(&bad, limits).map(|v| v.len());
    assert!(
        matches!(
            got,
            Err(Error::Corrupt {
                compression: Compression::Zstd,
                ..
            })
        ),
        "{got:?}"
    );
}
