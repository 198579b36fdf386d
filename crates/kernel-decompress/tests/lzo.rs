// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! lzop: streams written by the Debian `lzop` CLI (levels 1 and 9, adler32 and crc32, stored
//! and multi-block), a built kernel recompressed by `lzop -9`, and every hostile case with its
//! exact error; then a bounded sweep of mutated streams that must never panic.
//!
//! A missing `lzop` (Debian package `lzop`) or kernel is a loud skip locally and a failure under
//! `CI=true`; the hostile cases and the sweep use the in-test writer (tests/common) and always
//! run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::as_conversions,
    clippy::arithmetic_side_effects
)]

mod common;

use std::io::{self, Read};

use common::{
    F_ADLER32_C, F_ADLER32_D, F_CRC32_C, F_CRC32_D, F_H_CRC32, F_H_EXTRA_FIELD, F_H_FILTER,
    LZOP_BLOCK, LzopWriter, lzo1x_compress, lzop, sample, take, with_trailer,
};
use kernel_decompress::{Compression, Error, Limits, decoder, detect};
use test_kernels::{Kernel, require};

const LZO: Compression = Compression::Lzo;

fn decode(input: &[u8], limits: Limits) -> Result<Vec<u8>, Error> {
    decode_chunked(input, limits, 64 * 1024)
}

/// Decodes everything reading `chunk` bytes at a time; the bytes, or the crate error.
fn decode_chunked(input: &[u8], limits: Limits, chunk: usize) -> Result<Vec<u8>, Error> {
    let mut d = decoder(LZO, input, limits)?;
    let mut out = Vec::new();
    let mut buf = vec![0u8; chunk];
    loop {
        match d.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return Err(take(e)),
        }
    }
    assert_eq!(d.produced(), out.len() as u64);
    Ok(out)
}

/// Asserts `got` is `Error::Corrupt` for lzop whose message contains `what`.
#[track_caller]
fn assert_corrupt<T: std::fmt::Debug>(got: Result<T, Error>, what: &str) {
    match &got {
        Err(Error::Corrupt {
            compression: Compression::Lzo,
            source,
            ..
        }) if source.to_string().contains(what) => {}
        _ => panic!("expected Corrupt({what:?}), got {got:?}"),
    }
}

/// `lzop args` with `input` on stdin, or `None` (skipped loudly, failing under CI) when the tool
/// is missing.
fn lzop_cli(args: &[&str], input: &[u8]) -> Option<Vec<u8>> {
    test_kernels::cli("lzop", args, input)
}

/// Offset of the first block (after the header) of a stream with an empty name.
fn first_block(stream: &[u8]) -> usize {
    let version = u16::from_be_bytes([stream[9], stream[10]]);
    let flags_at = if version >= 0x0940 { 17 } else { 14 };
    let flags = u32::from_be_bytes(stream[flags_at..flags_at + 4].try_into().unwrap());
    let mut at = flags_at + 4;
    if flags & F_H_FILTER != 0 {
        at += 4;
    }
    at += if version >= 0x0940 { 12 } else { 8 };
    let name_len = usize::from(stream[at]);
    at + 1 + name_len + 4
}

/// `(uncompressed, compressed)` sizes of each block of a stream.
fn blocks(stream: &[u8]) -> Vec<(u32, u32)> {
    let flags_at = 17;
    let flags = u32::from_be_bytes(stream[flags_at..flags_at + 4].try_into().unwrap());
    let mut at = first_block(stream);
    let mut out = Vec::new();
    loop {
        let u = u32::from_be_bytes(stream[at..at + 4].try_into().unwrap());
        if u == 0 {
            return out;
        }
        let c = u32::from_be_bytes(stream[at + 4..at + 8].try_into().unwrap());
        at += 8;
        for (flag, data) in [
            (F_ADLER32_D, true),
            (F_CRC32_D, true),
            (F_ADLER32_C, c < u),
            (F_CRC32_C, c < u),
        ] {
            if data && flags & flag != 0 {
                at += 4;
            }
        }
        at += c as usize;
        out.push((u, c));
    }
}

/// Incompressible bytes (xorshift).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn cli_streams_round_trip() {
    let compressible = sample(700_000); // three blocks
    let mut mixed = sample(100_000);
    mixed.extend(noise(300_000, 7)); // a compressed block, then a stored one
    let inputs: [(&str, Vec<u8>); 5] = [
        ("empty", Vec::new()),
        ("one byte", vec![0x42]),
        ("compressible, 3 blocks", compressible),
        ("incompressible", noise(100_000, 3)),
        ("compressible then incompressible", mixed),
    ];
    let settings: [&[&str]; 5] = [
        &["-1", "-c"],
        &["-9", "-c"],
        &["-9", "--crc32", "-c"],
        &["-1", "--crc32", "-c"],
        &["-3", "-F", "-c"],
    ];
    for (what, data) in &inputs {
        for args in settings {
            let Some(stream) = lzop_cli(args, data) else {
                return;
            };
            assert_eq!(detect(&stream), Some(LZO));
            let ctx = format!("{what}, lzop {args:?}");
            assert!(
                decode(&stream, Limits::default()).unwrap() == *data,
                "{ctx}: differs"
            );
            // Small reads give the same bytes.
            assert!(
                decode_chunked(&stream, Limits::default(), 7).unwrap() == *data,
                "{ctx}: 7-byte reads differ"
            );
            // The kernel's size trailer after the end marker is not data, and matches.
            let limits = Limits::new().with_expected_size(Some(data.len() as u64));
            let trailed = with_trailer(stream.clone(), data.len());
            assert!(decode(&trailed, limits).unwrap() == *data, "{ctx}: trailer");
        }
    }
    // The cases the inputs are there for: several blocks, and stored (incompressible) ones.
    let stream = lzop_cli(&["-9", "-c"], &inputs[2].1).unwrap();
    let sizes = blocks(&stream);
    assert_eq!(sizes.len(), 3, "{sizes:?}");
    assert_eq!(sizes[0].0 as usize, LZOP_BLOCK);
    assert!(sizes.iter().all(|&(u, c)| c < u), "{sizes:?}");
    let stream = lzop_cli(&["-9", "-c"], &inputs[4].1).unwrap();
    let sizes = blocks(&stream);
    assert!(sizes.iter().any(|&(u, c)| c < u), "{sizes:?}");
    assert!(sizes.iter().any(|&(u, c)| c == u), "{sizes:?}");
    assert!(blocks(&lzop_cli(&["-9", "-c"], &[]).unwrap()).is_empty());
}

#[test]
fn cli_stream_with_a_name_and_old_headers() {
    // `lzop -9 FILE` stores the file name in the header.
    let data = sample(50_000);
    let dir = std::env::temp_dir().join(format!("kernel-decompress-lzo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("vmlinux.bin");
    std::fs::write(&file, &data).unwrap();
    let Some(stream) = lzop_cli(&["-9", "-c", file.to_str().unwrap()], &[]) else {
        return;
    };
    let _ = std::fs::remove_dir_all(&dir);
    assert!(stream.windows(11).any(|w| w == b"vmlinux.bin"));
    assert_eq!(decode(&stream, Limits::default()).unwrap(), data);

    // A version-0x0900 header has no version-needed, level or mtime-high fields.
    let old = LzopWriter {
        version: 0x0900,
        ..LzopWriter::default()
    };
    assert_eq!(decode(&old.stream(&data), Limits::default()).unwrap(), data);
}

#[test]
fn in_test_writer_matches_the_cli() {
    // The in-test writer (used for every hostile case) and the CLI both decode to the data, and
    // the CLI reads what the in-test writer wrote.
    let data = sample(600_000);
    let ours = lzop(&data);
    assert_eq!(decode(&ours, Limits::default()).unwrap(), data);
    let Some(back) = lzop_cli(&["-d", "-c"], &ours) else {
        return;
    };
    assert!(
        back == data,
        "lzop -d reads the in-test writer's stream differently"
    );
    for flags in [
        F_CRC32_D | F_CRC32_C | F_H_CRC32,
        F_ADLER32_D | F_CRC32_D | F_ADLER32_C | F_CRC32_C,
        0,
    ] {
        let w = LzopWriter {
            flags: 0x0300_0000 | flags,
            version_needed: 0x1010,
            ..LzopWriter::default()
        };
        let stream = w.stream(&data);
        assert_eq!(decode(&stream, Limits::default()).unwrap(), data);
        let back = lzop_cli(&["-d", "-c"], &stream).unwrap();
        assert!(back == data, "lzop -d, flags {flags:#x}");
    }
}

#[test]
fn built_kernels_recompressed_by_lzop_9() {
    for kernel in [Kernel::BuiltX86_64Vmlinux, Kernel::BuiltArm64Image] {
        let Some(path) = require(kernel) else {
            continue;
        };
        let image = std::fs::read(path).unwrap();
        // As the kernel's build does: `lzop -9` on stdin, then the size trailer.
        let Some(stream) = lzop_cli(&["-9"], &image) else {
            return;
        };
        assert!(blocks(&stream).len() > 4, "{kernel:?}");
        let start = std::time::Instant::now();
        let out = decode(&stream, Limits::default()).unwrap();
        eprintln!(
            "{kernel:?}: lzop -9 {} -> {} bytes in {:?} (debug build)",
            stream.len(),
            out.len(),
            start.elapsed()
        );
        assert!(out == image, "{kernel:?}: output differs from the kernel");
        let limits = Limits::new().with_expected_size(Some(image.len() as u64));
        let out = decode(&with_trailer(stream, image.len()), limits).unwrap();
        assert!(out == image, "{kernel:?} + trailer");
    }
}

// Hostile streams, each with its exact error.

#[test]
fn truncated_anywhere_is_truncated() {
    // Three blocks (compressed, stored, compressed), a header with a name: every proper prefix,
    // cut in each header field, each block header and each block's data, is Truncated with the
    // bytes read so far.
    let mut data = sample(2000);
    data.extend(noise(1000, 5));
    data.extend(sample(3000));
    let w = LzopWriter {
        flags: 0x0300_0000 | F_ADLER32_D | F_ADLER32_C | F_CRC32_D | F_CRC32_C,
        ..LzopWriter::default()
    };
    let mut stream = w.header();
    for chunk in [&data[..2000], &data[2000..3000], &data[3000..]] {
        w.block(&mut stream, chunk, Some(&lzo1x_compress(chunk)));
    }
    stream.extend_from_slice(&[0; 4]);
    assert_eq!(decode(&stream, Limits::default()).unwrap(), data);
    for cut in 0..stream.len() {
        let got = decode(&stream[..cut], Limits::default());
        assert!(
            matches!(
                got,
                Err(Error::Truncated {
                    compression: Compression::Lzo,
                    consumed,
                    ..
                }) if consumed == cut as u64
            ),
            "cut at {cut}/{}: {got:?}",
            stream.len()
        );
    }
}

#[test]
fn bad_header_checksums() {
    for (flags, algorithm) in [(F_ADLER32_D, "adler32"), (F_H_CRC32 | F_CRC32_D, "crc32")] {
        let w = LzopWriter {
            flags: 0x0300_0000 | flags,
            ..LzopWriter::default()
        };
        let mut stream = w.stream(&sample(1000));
        let at = first_block(&stream) - 5; // the name's last byte
        stream[at] ^= 1;
        assert_corrupt(
            decode(&stream, Limits::default()),
            &format!("lzop header {algorithm} is"),
        );
        // Detected before any block is read: `decoder` itself fails.
        assert!(matches!(
            decoder(LZO, stream.as_slice(), Limits::default()),
            Err(Error::Corrupt { produced: 0, .. })
        ));
    }
}

#[test]
fn bad_data_checksums() {
    let data = sample(5000);
    for (flags, index, message) in [
        (
            F_ADLER32_D,
            0,
            "lzop block 0: adler32 of the uncompressed data",
        ),
        (F_CRC32_D, 0, "lzop block 0: crc32 of the uncompressed data"),
        (
            F_ADLER32_D | F_ADLER32_C,
            1,
            "lzop block 0: adler32 of the compressed data",
        ),
        (
            F_ADLER32_D | F_CRC32_D | F_ADLER32_C | F_CRC32_C,
            3,
            "lzop block 0: crc32 of the compressed data",
        ),
    ] {
        let w = LzopWriter {
            flags: 0x0300_0000 | flags,
            ..LzopWriter::default()
        };
        let mut stream = w.stream(&data);
        // The index-th checksum field of block 0.
        let at = first_block(&stream) + 8 + 4 * index;
        stream[at] ^= 0x80;
        assert_corrupt(decode(&stream, Limits::default()), message);
    }
    // A flipped data byte of a stored block is caught by the uncompressed-data checksum.
    let w = LzopWriter::default();
    let raw = noise(3000, 9);
    let mut stream = w.stream(&raw);
    assert_eq!(blocks(&stream), [(3000, 3000)]);
    let at = first_block(&stream) + 8 + 4 + 100;
    stream[at] ^= 1;
    assert_corrupt(
        decode(&stream, Limits::default()),
        "adler32 of the uncompressed data",
    );
    // Without checksums a flipped literal goes through (the format cannot tell).
    let w = LzopWriter {
        flags: 0x0300_0000,
        ..LzopWriter::default()
    };
    let mut stream = w.stream(&raw);
    let at = first_block(&stream) + 8 + 100;
    stream[at] ^= 1;
    let out = decode(&stream, Limits::default()).unwrap();
    assert_eq!(out.len(), raw.len());
    assert_ne!(out, raw);
}

/// A stream of one compressed block whose LZO1X bytes are `lzo`, declaring `size` bytes, with
/// checksums left out (so the decoder's own checks are what is tested).
fn one_block(lzo: &[u8], size: u32) -> Vec<u8> {
    let w = LzopWriter {
        flags: 0x0300_0000,
        ..LzopWriter::default()
    };
    let mut s = w.header();
    s.extend_from_slice(&size.to_be_bytes());
    s.extend_from_slice(&(lzo.len() as u32).to_be_bytes());
    s.extend_from_slice(lzo);
    s.extend_from_slice(&[0; 4]);
    s
}

#[test]
fn back_reference_before_the_start() {
    // One literal 'a', then a 3-byte match 2 bytes back (01LDDDSS, D = 1).
    assert_corrupt(
        decode(
            &one_block(b"\x12a\x44\x00\x11\x00\x00", 8),
            Limits::default(),
        ),
        "LZO1X back-reference 0x2 bytes back reaches before the start of the output (0x1 bytes \
         produced)",
    );
    // A far match (0001HLLL) 16385 bytes back in a small block.
    assert_corrupt(
        decode(
            &one_block(b"\x15abcd\x11\x04\x00\x11\x00\x00", 16),
            Limits::default(),
        ),
        "back-reference 0x4001 bytes back",
    );
    // Matches never reach into the previous block: block 2 starting with a match is refused
    // even though block 1 produced plenty.
    let w = LzopWriter {
        flags: 0x0300_0000,
        ..LzopWriter::default()
    };
    let mut s = w.header();
    let first = sample(1000);
    w.block(&mut s, &first, Some(&lzo1x_compress(&first)));
    // Block 1: 8 bytes, starting with a 3-byte match 16385 back (a block can start only with literals or a
    // 0001HLLL match).
    s.extend_from_slice(b"\x00\x00\x00\x08\x00\x00\x00\x06\x11\x04\x00\x11\x00\x00");
    s.extend_from_slice(&[0; 4]);
    assert_corrupt(
        decode(&s, Limits::default()),
        "lzop block 1: LZO1X back-reference 0x4001 bytes back reaches before the start of the \
         output (0x0 bytes produced)",
    );
}

#[test]
fn literal_run_past_the_input() {
    // First-byte literal run of 14 with 3 bytes left.
    assert_corrupt(
        decode(&one_block(b"\x1fabc", 14), Limits::default()),
        "LZO1X literal run of 0xe bytes at 0x1 runs past the input (0x3 bytes left)",
    );
    // A long literal run (0000LLLL after a match without literals) past the input.
    assert_corrupt(
        decode(
            &one_block(b"\x15abcd\x40\x00\x0fxyz", 40),
            Limits::default(),
        ),
        "LZO1X literal run of 0x12 bytes",
    );
    // An instruction whose operand is missing.
    assert_corrupt(
        decode(&one_block(b"\x13ab\x20", 40), Limits::default()),
        "runs past the block's 0x4 compressed bytes",
    );
}

#[test]
fn block_sizes() {
    // At the cap is fine (stored), one more is BlockTooLarge, refused before reading its data.
    let w = LzopWriter::default();
    let data = noise(LZOP_BLOCK, 11);
    let mut s = w.header();
    w.block(&mut s, &data, None);
    s.extend_from_slice(&[0; 4]);
    assert_eq!(decode(&s, Limits::default()).unwrap(), data);
    let mut s = w.header();
    s.extend_from_slice(&(LZOP_BLOCK as u32 + 1).to_be_bytes());
    s.extend_from_slice(&[0; 8]);
    assert_eq!(
        decode(&s, Limits::default()),
        Err(Error::BlockTooLarge {
            compression: LZO,
            size: LZOP_BLOCK as u64 + 1,
            max: LZOP_BLOCK as u64
        })
    );
    // lzop's "split file" marker and any other huge size too.
    let mut s = w.header();
    s.extend_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(
        decode(&s, Limits::default()),
        Err(Error::BlockTooLarge {
            size: 0xffff_ffff,
            ..
        })
    ));
    // Compressed size 0, or larger than the uncompressed size.
    for compressed in [0u32, 101] {
        let mut s = w.header();
        s.extend_from_slice(&100u32.to_be_bytes());
        s.extend_from_slice(&compressed.to_be_bytes());
        s.extend_from_slice(&[0; 200]);
        assert_corrupt(
            decode(&s, Limits::default()),
            &format!("compressed size {compressed:#x} is not in 1..=0x64"),
        );
    }
}

#[test]
fn declared_size_must_match_the_output() {
    // "hello " x5 + "\n" is 30 bytes: a block declaring 31 ends short, one declaring 29 overruns.
    let lzo = b"\x17hello \x35\x15\x00\x0a\x11\x00\x00";
    assert_eq!(
        decode(&one_block(lzo, 30), Limits::default()).unwrap(),
        b"hello hello hello hello hello\n"
    );
    assert_corrupt(
        decode(&one_block(lzo, 31), Limits::default()),
        "LZO1X block ends after 0x1e bytes, but declares 0x1f",
    );
    assert_corrupt(
        decode(&one_block(lzo, 29), Limits::default()),
        "LZO1X block decodes to more than its declared 0x1d bytes",
    );
    // Bytes after the end instruction inside the block.
    assert_corrupt(
        decode(
            &one_block(b"\x17hello \x35\x15\x00\x0a\x11\x00\x00\x00", 30),
            Limits::default(),
        ),
        "end-of-stream instruction ends at 0xe, but the block has 0xf compressed bytes",
    );
}

#[test]
fn header_fields_that_are_refused() {
    let data = sample(1000);
    let cases: [(LzopWriter, &str); 5] = [
        (
            LzopWriter {
                version: 0x0800,
                ..LzopWriter::default()
            },
            "header version 0x0800 is older than 0x0900",
        ),
        (
            LzopWriter {
                version_needed: 0x0100,
                ..LzopWriter::default()
            },
            "version 0x0100 is needed to extract",
        ),
        (
            LzopWriter {
                method: 4,
                ..LzopWriter::default()
            },
            "lzop method 4 is not LZO1X",
        ),
        (
            LzopWriter {
                flags: 0x0300_0000 | F_ADLER32_D | F_H_FILTER,
                filter: 1,
                version_needed: 0x0950,
                ..LzopWriter::default()
            },
            "declares filter 1",
        ),
        (
            LzopWriter {
                flags: 0x0300_0000 | F_ADLER32_D | F_H_EXTRA_FIELD,
                ..LzopWriter::default()
            },
            "extra field",
        ),
    ];
    for (w, message) in cases {
        assert_corrupt(decode(&w.stream(&data), Limits::default()), message);
    }
    // A wrong magic handed to the lzop decoder.
    assert_corrupt(
        decode(b"\x89LZX\x00\r\n\x1a\n0123456789", Limits::default()),
        "lzop magic is",
    );
    // The filter the CLI writes (`lzop --filter=1`) is refused the same way.
    if let Some(s) = lzop_cli(&["--filter=1", "-c"], &data) {
        assert_corrupt(decode(&s, Limits::default()), "declares filter 1");
    }
}

#[test]
fn bomb_over_the_limit() {
    // 256 KiB of zeros per block costs 1 + 4 + ~1030 bytes: 8 MiB from ~33 KiB of input.
    let zeros = vec![0u8; LZOP_BLOCK];
    let lzo = lzo1x_compress(&zeros);
    assert!(lzo.len() < 1100, "{}", lzo.len());
    let w = LzopWriter::default();
    let mut s = w.header();
    for _ in 0..32 {
        w.block(&mut s, &zeros, Some(&lzo));
    }
    s.extend_from_slice(&[0; 4]);
    assert_eq!(decode(&s, Limits::default()).unwrap().len(), 8 << 20);
    assert_eq!(
        decode(&s, Limits::new().with_max_decompressed((8 << 20) - 1)),
        Err(Error::Bomb {
            compression: LZO,
            limit: (8 << 20) - 1
        })
    );
    assert_eq!(
        decode(&s, Limits::new().with_max_decompressed(1 << 20)),
        Err(Error::Bomb {
            compression: LZO,
            limit: 1 << 20
        })
    );
}

#[test]
fn input_errors_are_reported_as_input() {
    struct Failing;
    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("disk on fire"))
        }
    }
    let stream = lzop(&sample(100_000));
    // In the header, and in a block.
    for cut in [20, stream.len() / 2] {
        let got = decoder(LZO, stream[..cut].chain(Failing), Limits::default())
            .and_then(|mut d| d.read_to_end(&mut Vec::new()).map(|_| ()).map_err(take));
        assert!(
            matches!(
                got,
                Err(Error::Input {
                    compression: Compression::Lzo,
                    ..
                })
            ),
            "cut {cut}: {got:?}"
        );
    }
}

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn mutated_streams_never_panic() {
    // Valid streams with and without checksums (without, mutations reach the LZO1X decoder),
    // mutated by byte flips, overwrites, cuts, duplications and random LZO1X blocks; every
    // outcome must be Ok within the limit or a crate error, the same for 64 KiB and 7-byte reads.
    // 8 KiB blocks keep the rounds cheap in a debug build while covering several blocks.
    let data = {
        let mut d = sample(10_000);
        d.extend(noise(3000, 1));
        d.extend(sample(30_000));
        d
    };
    let bases = [
        LzopWriter {
            block_size: 8192,
            ..LzopWriter::default()
        }
        .stream(&data),
        LzopWriter {
            flags: 0x0300_0000,
            block_size: 8192,
            ..LzopWriter::default()
        }
        .stream(&data),
    ];
    let limits = Limits::new().with_max_decompressed(1 << 20);
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let (mut ok, mut failed) = (0, 0);
    let rounds = 3000;
    for round in 0..rounds {
        let mut s = bases[round % 2].clone();
        let header = first_block(&s);
        match rng.below(6) {
            0 => {
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(s.len());
                    s[at] ^= 1 << rng.below(8);
                }
            }
            1 => {
                // Inside the first block's LZO1X bytes.
                let at = header + 8 + rng.below(2000);
                s[at] = rng.next() as u8;
            }
            2 => {
                let cut = rng.below(s.len());
                s.truncate(cut);
            }
            3 => {
                let at = rng.below(s.len());
                let len = rng.below(64).min(s.len() - at);
                let copy = s[at..at + len].to_vec();
                let to = rng.below(s.len());
                s.splice(to..to, copy);
            }
            4 => {
                // A block of random LZO1X bytes with a random declared size.
                let mut t = LzopWriter {
                    flags: 0x0300_0000,
                    ..LzopWriter::default()
                }
                .header();
                let len = 1 + rng.below(300);
                let size = len + rng.below(5000);
                t.extend_from_slice(&(size as u32).to_be_bytes());
                t.extend_from_slice(&(len as u32).to_be_bytes());
                t.extend((0..len).map(|_| rng.next() as u8));
                t.extend_from_slice(&[0; 4]);
                s = t;
            }
            _ => {
                // A size field set to something arbitrary.
                let at = header + 4 * rng.below(2);
                let v = rng.next() as u32 >> rng.below(32);
                s[at..at + 4].copy_from_slice(&v.to_be_bytes());
            }
        }
        let whole = decode(&s, limits);
        let small = decode_chunked(&s, limits, 7);
        match (&whole, &small) {
            (Ok(a), Ok(b)) => {
                assert!(a == b, "round {round}: output depends on the read size");
                assert!(a.len() as u64 <= limits.max_decompressed);
                ok += 1;
            }
            (Err(a), Err(b)) => {
                assert_eq!(
                    std::mem::discriminant(a),
                    std::mem::discriminant(b),
                    "round {round}"
                );
                failed += 1;
            }
            _ => panic!("round {round}: {whole:?} vs {small:?}"),
        }
    }
    // Both outcomes were exercised.
    assert!(ok > 10 && failed > rounds / 3, "ok {ok}, failed {failed}");
}
