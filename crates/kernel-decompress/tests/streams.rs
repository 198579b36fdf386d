// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Every codec on in-test data: round trips, the kernel's trailer, and each bad-stream case with
//! its exact error.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

mod common;

use std::io::{self, Read};

use common::{DECODED, compress, sample, take, with_trailer};
use kernel_decompress::{Compression, Error, Limits, auto_decoder, decoder, detect};

/// Decodes everything, returning the bytes or the crate error found in the failure.
fn decode(c: Compression, input: &[u8], limits: Limits) -> Result<Vec<u8>, Error> {
    let mut d = decoder(c, input, limits)?;
    let mut out = Vec::new();
    match d.read_to_end(&mut out) {
        Ok(_) => Ok(out),
        Err(e) => Err(take(e)),
    }
}

#[test]
fn detect_recognises_every_magic() {
    let data = sample(10_000);
    for c in DECODED {
        assert_eq!(detect(&compress(c, &data)), Some(c), "{c}");
    }
    assert_eq!(
        detect(b"\x89LZO\x00\r\n\x1a\n\x10\x30"),
        Some(Compression::Lzo)
    );
    assert_eq!(detect(b"\x7fELF\x02\x01"), None);
    assert_eq!(detect(&[]), None);
}

#[test]
fn round_trip_every_codec() {
    let data = sample(300_000);
    for c in DECODED {
        let out = decode(c, &compress(c, &data), Limits::default()).unwrap();
        assert_eq!(out, data, "{c}");
    }
}

#[test]
fn auto_decoder_detects() {
    let data = sample(50_000);
    for c in DECODED {
        let compressed = compress(c, &data);
        let mut d = auto_decoder(compressed.as_slice(), Limits::default()).unwrap();
        assert_eq!(d.compression(), c);
        let mut out = Vec::new();
        d.read_to_end(&mut out).unwrap();
        assert_eq!(out, data, "{c}");
        assert_eq!(d.produced(), 50_000);
    }
    assert!(matches!(
        auto_decoder(&b"\x7fELF\x02\x01\x01\x00\x00"[..], Limits::default()),
        Err(Error::Unrecognized { first }) if first == b"\x7fELF\x02\x01\x01\x00"
    ));
}

#[test]
fn kernel_size_trailer_is_not_data() {
    let data = sample(200_000);
    for c in DECODED {
        let input = with_trailer(compress(c, &data), data.len());
        let out = decode(c, &input, Limits::default()).unwrap();
        assert_eq!(out, data, "{c}");
        // And with the trailer's size as the expected size.
        let limits = Limits::new().with_expected_size(Some(data.len() as u64));
        assert_eq!(decode(c, &input, limits).unwrap(), data, "{c}");
    }
}

#[test]
fn lz4_legacy_trailer_must_match() {
    let data = sample(100_000);
    let input = with_trailer(compress(Compression::Lz4Legacy, &data), 12345);
    assert_eq!(
        decode(Compression::Lz4Legacy, &input, Limits::default()),
        Err(Error::SizeMismatch {
            compression: Compression::Lz4Legacy,
            expected: 12345,
            produced: 100_000
        })
    );
}

#[test]
fn lz4_legacy_multi_block_and_repeated_magic() {
    // 8 MiB blocks: 17 MiB of input gives three blocks; a second archive follows the first.
    let data = sample(17 << 20);
    let mut input = compress(Compression::Lz4Legacy, &data);
    input.extend_from_slice(&compress(Compression::Lz4Legacy, &data[..1000]));
    let out = decode(Compression::Lz4Legacy, &input, Limits::default()).unwrap();
    assert_eq!(out.len(), data.len() + 1000);
    assert_eq!(&out[..data.len()], &data[..]);
    assert_eq!(&out[data.len()..], &data[..1000]);
}

#[test]
fn bomb_is_reported_at_the_limit() {
    let data = vec![0u8; 1 << 20];
    for c in DECODED {
        let input = compress(c, &data);
        // Exactly at the limit is fine.
        let limits = Limits::new().with_max_decompressed(1 << 20);
        assert_eq!(decode(c, &input, limits).unwrap().len(), 1 << 20, "{c}");
        // One byte less is a bomb.
        let limits = Limits::new().with_max_decompressed((1 << 20) - 1);
        assert_eq!(
            decode(c, &input, limits),
            Err(Error::Bomb {
                compression: c,
                limit: (1 << 20) - 1
            }),
            "{c}"
        );
    }
}

#[test]
fn expected_size_above_the_limit_is_a_bomb_up_front() {
    let limits = Limits::new()
        .with_max_decompressed(1000)
        .with_expected_size(Some(1001));
    assert!(matches!(
        decoder(Compression::Gzip, &[][..], limits),
        Err(Error::Bomb {
            compression: Compression::Gzip,
            limit: 1000
        })
    ));
}

#[test]
fn expected_size_mismatch() {
    let data = sample(10_000);
    for c in DECODED {
        let input = compress(c, &data);
        let short = Limits::new().with_expected_size(Some(9_000));
        assert!(
            matches!(
                decode(c, &input, short),
                Err(Error::SizeMismatch {
                    expected: 9_000,
                    ..
                })
            ),
            "{c}"
        );
        let long = Limits::new().with_expected_size(Some(11_000));
        assert_eq!(
            decode(c, &input, long),
            Err(Error::SizeMismatch {
                compression: c,
                expected: 11_000,
                produced: 10_000
            }),
            "{c}"
        );
    }
}

#[test]
fn truncated_streams() {
    let data = sample(300_000);
    for c in DECODED {
        let input = compress(c, &data);
        for cut in [input.len() / 2, input.len() - 1] {
            if c == Compression::Lz4Frame && cut == input.len() - 1 {
                // The 4-byte end mark cut short reads as a clean end in lz4_flex (documented).
                continue;
            }
            let got = decode(c, &input[..cut], Limits::default()).map(|v| v.len());
            assert!(
                matches!(got, Err(Error::Truncated { compression, .. }) if compression == c),
                "{c} cut at {cut}/{}: {got:?}",
                input.len()
            );
        }
        // Cut inside the header.
        let got = decode(c, &input[..5], Limits::default()).map(|v| v.len());
        assert!(
            matches!(got, Err(Error::Truncated { compression, .. }) if compression == c),
            "{c} cut in the header: {got:?}"
        );
    }
}

#[test]
fn corrupt_streams() {
    let data = sample(300_000);
    for c in DECODED {
        let mut input = compress(c, &data);
        if c == Compression::Lz4Legacy {
            // No checksum in the format: corruption shows only through the kernel's trailer.
            input = with_trailer(input, data.len());
        }
        let at = input.len() / 3;
        for b in &mut input[at..at + 64] {
            *b ^= 0x5a;
        }
        let got = decode(c, &input, Limits::default()).map(|v| v.len());
        let legacy_mismatch = c == Compression::Lz4Legacy
            && matches!(
                &got,
                Err(Error::SizeMismatch {
                    expected: 300_000,
                    ..
                })
            );
        assert!(
            legacy_mismatch
                || matches!(&got, Err(Error::Corrupt { compression, .. }) if *compression == c),
            "{c}: {got:?}"
        );
    }
}

#[test]
fn window_limits() {
    // zstd: a frame header declaring a 2^30 window.
    let zstd = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xa0, 0, 0, 0, 0];
    assert_eq!(
        decoder(Compression::Zstd, &zstd[..], Limits::default()).map(|_| ()),
        Err(Error::WindowTooLarge {
            compression: Compression::Zstd,
            window: Some(1 << 30),
            max: 128 << 20
        })
    );
    // lzma: a 1 GiB dictionary.
    let mut lzma = vec![0x5d];
    lzma.extend_from_slice(&(1u32 << 30).to_le_bytes());
    lzma.extend_from_slice(&[0xff; 8]);
    lzma.extend_from_slice(&[0; 16]);
    assert_eq!(
        decoder(Compression::Lzma, lzma.as_slice(), Limits::default()).map(|_| ()),
        Err(Error::WindowTooLarge {
            compression: Compression::Lzma,
            window: Some(1 << 30),
            max: 128 << 20
        })
    );
    // xz: an 8 MiB dictionary (preset 6) under a 1 MiB window limit.
    let xz = compress(Compression::Xz, &sample(1000));
    let limits = Limits::new().with_max_window(1 << 20);
    assert!(matches!(
        decode(Compression::Xz, &xz, limits),
        Err(Error::WindowTooLarge {
            compression: Compression::Xz,
            window: None,
            ..
        })
    ));
}

#[test]
fn lzo_is_decoded() {
    // `lzop < /dev/null`: a header and the end marker, nothing else.
    let empty = b"\x89LZO\x00\r\n\x1a\n\x10\x40\x20\xa0\x09\x40\x01\x05\x03\x00\x00\x0d\
                  \x00\x00\x81\xa4\x6b\x0a\x56\x3b\x00\x00\x00\x00\x00\x33\x1e\x03\x9b\x00\
                  \x00\x00\x00";
    assert_eq!(
        decode(Compression::Lzo, empty, Limits::default()),
        Ok(Vec::new())
    );
    assert!(Compression::Lzo.is_supported());
    assert_eq!(Compression::Lzo.feature(), Some("lzo"));
    // The magic alone is a truncated header, not an unsupported format any more.
    assert_eq!(
        decoder(
            Compression::Lzo,
            &b"\x89LZO\x00\r\n\x1a\n"[..],
            Limits::default()
        )
        .map(|_| ()),
        Err(Error::Truncated {
            compression: Compression::Lzo,
            consumed: 9,
            produced: 0
        })
    );
}

#[test]
fn input_errors_are_not_truncation() {
    struct Failing(usize);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::other("disk on fire"));
            }
            let n = buf.len().min(self.0);
            buf[..n].fill(0);
            self.0 -= n;
            Ok(n)
        }
    }
    let data = sample(100_000);
    let input = compress(Compression::Gzip, &data);
    let reader = input[..input.len() / 2].chain(Failing(0));
    let mut d = decoder(Compression::Gzip, reader, Limits::default()).unwrap();
    let err = take(d.read_to_end(&mut Vec::new()).unwrap_err());
    assert!(
        matches!(
            err,
            Error::Input {
                compression: Compression::Gzip,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn errors_are_found_through_io_errors() {
    let io: io::Error = Error::Truncated {
        compression: Compression::Xz,
        consumed: 1,
        produced: 2,
    }
    .into();
    assert_eq!(io.kind(), io::ErrorKind::UnexpectedEof);
    assert!(matches!(
        Error::find(&io),
        Some(Error::Truncated { consumed: 1, .. })
    ));
}

#[test]
fn magic_len_covers_every_magic() {
    assert_eq!(Compression::MAGIC_LEN, 9);
    for c in Compression::ALL {
        assert!(c.magic().len() <= Compression::MAGIC_LEN, "{c}");
    }
}
