// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! zstd: one frame, with its content checksum verified when the frame declares one.
//!
//! Two backends, chosen at build time:
//!
//! * `Ruzstd` (feature `zstd`, the default): ruzstd, pure Rust. ruzstd itself never compares
//!   the checksum; it computes XXH64 over the bytes handed out (its `hash` feature) and this
//!   module compares it with the frame's when the stream is read to its end.
//! * `Libzstd` (feature `zstd-libzstd`): the reference C libzstd through zstd-safe, which
//!   verifies the checksum itself. Two to three times as fast, but C: off by default.
//!
//! Both stop at the end of the first frame (the kernel's size trailer after it is never read as
//! data), report a short input as `UnexpectedEof` (the decoder's [`Error::Truncated`]), and are
//! only built after the caller checked the window the frame header declares against
//! [`Limits::max_window`](crate::Limits::max_window).

use std::io::{self, ErrorKind, Read};

use crate::{Compression, Error};

/// The zstd backend of this build.
#[cfg(not(feature = "zstd-libzstd"))]
pub(super) type Zstd<R> = Ruzstd<R>;
/// The zstd backend of this build.
#[cfg(feature = "zstd-libzstd")]
pub(super) type Zstd<R> = Libzstd<R>;

/// A content checksum that does not match the data: [`Error::Corrupt`], built here rather than
/// left to the decoder's classification, which would call it truncation when the input has
/// already hit its end.
#[cfg(any(not(feature = "zstd-libzstd"), test))]
fn checksum_mismatch(produced: u64, detail: String) -> io::Error {
    Error::Corrupt {
        compression: Compression::Zstd,
        produced,
        source: io::Error::new(ErrorKind::InvalidData, detail),
    }
    .into()
}

/// ruzstd's frame decoder, driven block by block, plus the checksum comparison ruzstd leaves to
/// its caller.
#[cfg(any(not(feature = "zstd-libzstd"), test))]
pub(super) struct Ruzstd<R> {
    frame: ruzstd::decoding::FrameDecoder,
    input: R,
    /// Bytes handed out so far.
    produced: u64,
    /// The end was reached and the checksum compared.
    checked: bool,
}

#[cfg(any(not(feature = "zstd-libzstd"), test))]
impl<R: Read> Ruzstd<R> {
    /// Reads and checks the frame header. `_max_window` is checked by the caller: ruzstd grows
    /// its buffer with the output, up to the window, and allocates nothing up front.
    pub(super) fn new(mut input: R, _max_window: u64) -> io::Result<Self> {
        let mut frame = ruzstd::decoding::FrameDecoder::new();
        frame
            .init(&mut input)
            .map_err(|e| io::Error::new(ErrorKind::InvalidData, e))?;
        Ok(Self {
            frame,
            input,
            produced: 0,
            checked: false,
        })
    }

    /// At the end of the frame: the checksum ruzstd computed over every byte handed out against
    /// the one the frame carries, when it carries one.
    fn check(&mut self) -> io::Result<()> {
        if self.checked {
            return Ok(());
        }
        self.checked = true;
        let Some(declared) = self.frame.get_checksum_from_data() else {
            return Ok(());
        };
        match self.frame.get_calculated_checksum() {
            Some(computed) if computed == declared => Ok(()),
            computed => Err(checksum_mismatch(
                self.produced,
                format!(
                    "content checksum mismatch: the frame says {declared:#010x}, the data hashes \
                     to {computed:#010x?}"
                ),
            )),
        }
    }
}

#[cfg(any(not(feature = "zstd-libzstd"), test))]
impl<R: Read> Read for Ruzstd<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // ruzstd keeps the last `window` bytes for back-references, so what can be handed out
        // lags behind what is decoded: decode until a whole buffer (or the rest) is ready.
        while self.frame.can_collect() < buf.len() && !self.frame.is_finished() {
            let wanted = buf.len().saturating_sub(self.frame.can_collect());
            self.frame
                .decode_blocks(
                    &mut self.input,
                    ruzstd::decoding::BlockDecodingStrategy::UptoBytes(wanted),
                )
                .map_err(io::Error::other)?;
        }
        let n = self.frame.read(buf)?;
        if n == 0 {
            self.check()?;
        }
        self.produced = self
            .produced
            .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        Ok(n)
    }
}

/// libzstd's streaming decoder (`ZSTD_decompressStream`) over a buffered input.
#[cfg(feature = "zstd-libzstd")]
pub(super) struct Libzstd<R> {
    dctx: zstd_safe::DCtx<'static>,
    input: R,
    /// Bytes handed out so far.
    produced: u64,
    /// The frame is complete and every byte of it handed out.
    done: bool,
}

/// Smallest and largest `ZSTD_d_windowLogMax` libzstd accepts on 64-bit targets
/// (`ZSTD_WINDOWLOG_ABSOLUTEMIN`, `ZSTD_WINDOWLOG_MAX_64`).
#[cfg(feature = "zstd-libzstd")]
const WINDOW_LOG: (u32, u32) = (10, 31);

/// The window log libzstd is capped at: the smallest power of two holding `max_window`, so
/// libzstd's own check never refuses a window the caller's exact check let through.
#[cfg(feature = "zstd-libzstd")]
fn window_log_max(max_window: u64) -> u32 {
    let log = match max_window.checked_next_power_of_two() {
        Some(p) => p.trailing_zeros(),
        None => u64::BITS,
    };
    log.clamp(WINDOW_LOG.0, WINDOW_LOG.1)
}

#[cfg(feature = "zstd-libzstd")]
impl<R: io::BufRead> Libzstd<R> {
    /// Creates the context, caps its window at `max_window` (rounded up to a power of two; the
    /// caller has checked the exact bound) and decodes the frame header, so that a bad header
    /// fails here as it does with ruzstd.
    pub(super) fn new(input: R, max_window: u64) -> io::Result<Self> {
        let mut dctx = zstd_safe::DCtx::try_create().ok_or(ErrorKind::OutOfMemory)?;
        dctx.set_parameter(zstd_safe::DParameter::WindowLogMax(window_log_max(
            max_window,
        )))
        .map_err(|code| libzstd_error(code, 0))?;
        let mut this = Self {
            dctx,
            input,
            produced: 0,
            done: false,
        };
        // No room for output: libzstd reads the header (and at most buffers a block).
        let (_, at_end) = this.step(&mut [])?;
        if at_end {
            return Err(ErrorKind::UnexpectedEof.into());
        }
        Ok(this)
    }

    /// One `ZSTD_decompressStream` call on whatever input is buffered; returns the bytes written
    /// to `buf` and whether the input had ended.
    fn step(&mut self, buf: &mut [u8]) -> io::Result<(usize, bool)> {
        let src = self.input.fill_buf()?;
        let at_end = src.is_empty();
        let mut input = zstd_safe::InBuffer::around(src);
        let mut output = zstd_safe::OutBuffer::around(buf);
        let result = self.dctx.decompress_stream(&mut output, &mut input);
        let (used, written) = (input.pos(), output.pos());
        self.input.consume(used);
        // 0: the frame is decoded and flushed, checksum verified.
        match result {
            Ok(0) => self.done = true,
            Ok(_) => {}
            Err(code) => return Err(libzstd_error(code, self.produced)),
        }
        Ok((written, at_end))
    }
}

/// A libzstd error code as [`Error::Corrupt`]. libzstd never fails on a short input (it waits
/// for more), and the window was checked before, so every error it reports is bad data.
#[cfg(feature = "zstd-libzstd")]
fn libzstd_error(code: zstd_safe::ErrorCode, produced: u64) -> io::Error {
    Error::Corrupt {
        compression: Compression::Zstd,
        produced,
        source: io::Error::new(
            ErrorKind::InvalidData,
            format!("libzstd: {}", zstd_safe::get_error_name(code)),
        ),
    }
    .into()
}

#[cfg(feature = "zstd-libzstd")]
impl<R: io::BufRead> Read for Libzstd<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.done {
                return Ok(0);
            }
            let (n, at_end) = self.step(buf)?;
            if n > 0 {
                self.produced = self
                    .produced
                    .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
                return Ok(n);
            }
            if at_end && !self.done {
                return Err(io::Error::new(
                    ErrorKind::UnexpectedEof,
                    "the input ends inside the zstd frame",
                ));
            }
            // Input consumed into libzstd's own buffer, nothing to hand out yet: go on.
        }
    }
}

#[cfg(test)]
mod tests {
    //! Both backends on frames written by hand (raw and RLE blocks, XXH64 computed here), so
    //! each case — checksum, truncation, trailing bytes — is exact.

    use super::*;

    /// XXH64 (seed 0), the hash a zstd frame's checksum is the low 32 bits of.
    fn xxh64(data: &[u8]) -> u64 {
        const P1: u64 = 0x9E37_79B1_85EB_CA87;
        const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
        const P3: u64 = 0x1656_67B1_9E37_79F9;
        const P4: u64 = 0x85EB_CA77_C2B2_AE63;
        const P5: u64 = 0x27D4_EB2F_1656_67C5;
        fn round(acc: u64, lane: u64) -> u64 {
            acc.wrapping_add(lane.wrapping_mul(P2))
                .rotate_left(31)
                .wrapping_mul(P1)
        }
        fn merge(acc: u64, v: u64) -> u64 {
            (acc ^ round(0, v)).wrapping_mul(P1).wrapping_add(P4)
        }
        let u64_at = |b: &[u8]| u64::from_le_bytes(b[..8].try_into().unwrap());
        let mut rest = data;
        let mut h = if data.len() >= 32 {
            let mut v = [P1.wrapping_add(P2), P2, 0, 0u64.wrapping_sub(P1)];
            while rest.len() >= 32 {
                for (i, lane) in v.iter_mut().enumerate() {
                    *lane = round(*lane, u64_at(&rest[i * 8..]));
                }
                rest = &rest[32..];
            }
            let mut h = v[0]
                .rotate_left(1)
                .wrapping_add(v[1].rotate_left(7))
                .wrapping_add(v[2].rotate_left(12))
                .wrapping_add(v[3].rotate_left(18));
            for lane in v {
                h = merge(h, lane);
            }
            h
        } else {
            P5
        };
        h = h.wrapping_add(data.len() as u64);
        while rest.len() >= 8 {
            h = (h ^ round(0, u64_at(rest)))
                .rotate_left(27)
                .wrapping_mul(P1)
                .wrapping_add(P4);
            rest = &rest[8..];
        }
        if rest.len() >= 4 {
            let v = u64::from(u32::from_le_bytes(rest[..4].try_into().unwrap()));
            h = (h ^ v.wrapping_mul(P1))
                .rotate_left(23)
                .wrapping_mul(P2)
                .wrapping_add(P3);
            rest = &rest[4..];
        }
        for &b in rest {
            h = (h ^ u64::from(b).wrapping_mul(P5))
                .rotate_left(11)
                .wrapping_mul(P1);
        }
        h ^= h >> 33;
        h = h.wrapping_mul(P2);
        h ^= h >> 29;
        h = h.wrapping_mul(P3);
        h ^ (h >> 32)
    }

    #[test]
    fn xxh64_matches_the_reference_vectors() {
        assert_eq!(xxh64(b""), 0xEF46_DB37_51D8_E999);
        assert_eq!(xxh64(b"a"), 0xD24E_C4F1_A98C_6E5B);
        assert_eq!(xxh64(b"abc"), 0x44BC_2CF5_AD77_0999);
        assert_eq!(
            xxh64(b"Nobody inspects the spammish repetition"),
            0xFBCE_A83C_8A37_8BF1
        );
    }

    /// A frame of raw blocks of at most `block` bytes holding `data` (window 8 MiB, no content
    /// size), with the content checksum when `checksum`.
    fn frame(data: &[u8], block: usize, checksum: bool) -> Vec<u8> {
        let mut out = vec![0x28, 0xb5, 0x2f, 0xfd];
        out.push(if checksum { 0x04 } else { 0x00 });
        out.push(13 << 3); // window descriptor: 2^(10 + 13) = 8 MiB
        let chunks: Vec<&[u8]> = if data.is_empty() {
            vec![&[]]
        } else {
            data.chunks(block).collect()
        };
        for (i, chunk) in chunks.iter().enumerate() {
            let last = u32::from(i + 1 == chunks.len());
            // Raw block: type 0.
            let header = last | ((chunk.len() as u32) << 3);
            out.extend_from_slice(&header.to_le_bytes()[..3]);
            out.extend_from_slice(chunk);
        }
        if checksum {
            out.extend_from_slice(&(xxh64(data) as u32).to_le_bytes());
        }
        out
    }

    fn sample(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    type Make = fn(&[u8]) -> io::Result<Box<dyn Read + '_>>;

    fn ruzstd(b: &[u8]) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(Ruzstd::new(io::BufReader::new(b), 1 << 27)?))
    }

    #[cfg(feature = "zstd-libzstd")]
    fn libzstd(b: &[u8]) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(Libzstd::new(io::BufReader::new(b), 1 << 27)?))
    }

    /// Every backend this build has, by name.
    fn backends() -> Vec<(&'static str, Make)> {
        vec![
            ("ruzstd", ruzstd as Make),
            #[cfg(feature = "zstd-libzstd")]
            ("libzstd", libzstd as Make),
        ]
    }

    /// Reads everything in 1000-byte reads; the bytes, or the error with what came before it.
    fn read_all(r: &mut dyn Read) -> Result<Vec<u8>, (io::Error, usize)> {
        let mut out = Vec::new();
        let mut buf = [0u8; 1000];
        loop {
            match r.read(&mut buf) {
                Ok(0) => return Ok(out),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => return Err((e, out.len())),
            }
        }
    }

    #[test]
    fn frames_with_and_without_checksum_decode() {
        let data = sample(300_000);
        for (name, make) in backends() {
            for checksum in [false, true] {
                let f = frame(&data, 100_000, checksum);
                let out = read_all(&mut *make(&f).unwrap()).unwrap();
                assert!(out == data, "{name}, checksum {checksum}");
            }
            // An empty frame.
            let f = frame(&[], 1, true);
            assert_eq!(read_all(&mut *make(&f).unwrap()).unwrap(), b"", "{name}");
        }
    }

    #[test]
    fn a_wrong_checksum_is_corrupt_after_the_data() {
        let data = sample(50_000);
        for (name, make) in backends() {
            let mut f = frame(&data, 20_000, true);
            let end = f.len() - 1;
            f[end] ^= 0x40;
            let (err, got) = read_all(&mut *make(&f).unwrap()).unwrap_err();
            match Error::find(&err) {
                Some(Error::Corrupt {
                    compression: Compression::Zstd,
                    ..
                }) => {}
                other => panic!("{name}: {other:?} ({err})"),
            }
            assert!(got <= data.len(), "{name}");
        }
    }

    #[test]
    fn a_frame_cut_short_is_unexpected_eof() {
        let data = sample(50_000);
        let f = frame(&data, 20_000, true);
        // Inside the header, inside a block header, inside a block, inside the checksum.
        for cut in [5, 6 + 20_003 + 1, 6 + 20_003 + 5_000, f.len() - 2] {
            for (name, make) in backends() {
                let err = match make(&f[..cut]) {
                    Err(e) => e,
                    Ok(mut r) => read_all(&mut *r).unwrap_err().0,
                };
                // ruzstd wraps the reader's UnexpectedEof in its own error: the decoder's
                // classification sees the input's end; here it shows in the message.
                let eof = err.kind() == ErrorKind::UnexpectedEof
                    || format!("{err:?}").contains("UnexpectedEof");
                assert!(eof, "{name}, cut at {cut}: {err:?}");
            }
        }
    }

    #[test]
    fn bytes_after_the_frame_are_not_read_as_data() {
        let data = sample(10_000);
        for (name, make) in backends() {
            let mut f = frame(&data, 4096, true);
            f.extend_from_slice(&(data.len() as u32).to_le_bytes());
            assert!(read_all(&mut *make(&f).unwrap()).unwrap() == data, "{name}");
        }
    }

    #[cfg(feature = "zstd-libzstd")]
    #[test]
    fn libzstd_window_cap_rounds_up_to_a_power_of_two() {
        assert_eq!(window_log_max(0), 10);
        assert_eq!(window_log_max(1024), 10);
        assert_eq!(window_log_max(1 << 27), 27);
        assert_eq!(window_log_max((1 << 27) + 1), 28);
        assert_eq!(window_log_max(u64::MAX), 31);
    }

    #[cfg(feature = "zstd-libzstd")]
    #[test]
    fn libzstd_refuses_a_window_above_its_cap() {
        // 8 MiB window, cap 1 MiB: libzstd's own check (the decoder checks first, exactly).
        let f = frame(&sample(1000), 1000, false);
        let err = Libzstd::new(io::BufReader::new(&f[..]), 1 << 20)
            .err()
            .unwrap();
        assert!(
            matches!(Error::find(&err), Some(Error::Corrupt { .. })),
            "{err:?}"
        );
    }
}
