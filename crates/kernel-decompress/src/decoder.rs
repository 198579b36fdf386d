// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The streaming decoder: one `Read` over every supported codec, bounded as bytes flow.

use std::io::{self, BufReader, Chain, Cursor, ErrorKind, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::detect::{Compression, detect};
use crate::error::{Error, Result};
use crate::limits::{INPUT_BUFFER, MAX_DECOMPRESSED, MAX_WINDOW};

#[cfg(feature = "zstd")]
mod zstd;

/// Bounds on one decompression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most bytes the stream may decompress to; one more is [`Error::Bomb`]. Default
    /// [`MAX_DECOMPRESSED`].
    pub max_decompressed: u64,
    /// Largest history window (dictionary) a stream may declare; a larger one is
    /// [`Error::WindowTooLarge`] before anything is allocated. Default [`MAX_WINDOW`].
    pub max_window: u64,
    /// The exact decompressed size, when the container says it (the kernel's appended
    /// uncompressed-size trailer, gzip's `ISIZE`). A different size is [`Error::SizeMismatch`],
    /// reported as soon as it is exceeded; a size above `max_decompressed` is [`Error::Bomb`]
    /// before any byte is decompressed.
    pub expected_size: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_decompressed: MAX_DECOMPRESSED,
            max_window: MAX_WINDOW,
            expected_size: None,
        }
    }
}

impl Limits {
    /// The defaults: [`MAX_DECOMPRESSED`], [`MAX_WINDOW`], no expected size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`max_decompressed`](Self::max_decompressed).
    pub fn with_max_decompressed(mut self, max: u64) -> Self {
        self.max_decompressed = max;
        self
    }

    /// Sets [`max_window`](Self::max_window).
    pub fn with_max_window(mut self, max: u64) -> Self {
        self.max_window = max;
        self
    }

    /// Sets [`expected_size`](Self::expected_size).
    pub fn with_expected_size(mut self, size: Option<u64>) -> Self {
        self.expected_size = size;
        self
    }
}

/// What the input side has seen: bytes consumed, end of input, a read error.
#[derive(Debug, Default)]
struct InputState {
    consumed: AtomicU64,
    eof: AtomicBool,
    failed: AtomicBool,
}

/// The compressed reader, observed so failures can be told apart (truncation vs corruption vs
/// an I/O error of the input itself).
struct Tracked<R> {
    inner: R,
    state: Arc<InputState>,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(0) if !buf.is_empty() => {
                self.state.eof.store(true, Ordering::Relaxed);
                Ok(0)
            }
            Ok(n) => {
                self.state
                    .consumed
                    .fetch_add(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
                Ok(n)
            }
            Err(e) => {
                if e.kind() != ErrorKind::Interrupted {
                    self.state.failed.store(true, Ordering::Relaxed);
                }
                Err(e)
            }
        }
    }
}

/// The buffered input every codec reads: the bytes [`decoder`] peeked at, then the rest.
type Input<R> = BufReader<Chain<Cursor<Vec<u8>>, Tracked<R>>>;

/// The codec-specific decoder.
enum Codec<R: Read> {
    #[cfg(feature = "gzip")]
    Gzip(Box<flate2::read::GzDecoder<Input<R>>>),
    #[cfg(feature = "zstd")]
    Zstd(Box<zstd::Zstd<Input<R>>>),
    #[cfg(feature = "lz4")]
    Lz4Frame(Box<lz4_flex::frame::FrameDecoder<Input<R>>>),
    #[cfg(feature = "lz4")]
    Lz4Legacy(Box<crate::lz4_legacy::Lz4Legacy<Input<R>>>),
    #[cfg(feature = "xz")]
    Xz(Box<lzma_rust2::XzReader<Input<R>>>),
    #[cfg(feature = "lzma")]
    Lzma(Box<lzma_rust2::LzmaReader<Input<R>>>),
    #[cfg(feature = "bzip2")]
    Bzip2(Box<bzip2::bufread::BzDecoder<Input<R>>>),
    #[cfg(feature = "lzo")]
    Lzo(Box<crate::lzo::Lzop<Input<R>>>),
    /// Keeps `R` used when every codec feature is off.
    #[allow(dead_code)]
    None(std::marker::PhantomData<R>, std::convert::Infallible),
}

impl<R: Read> Read for Codec<R> {
    #[allow(unused_variables)] // `buf` is unused when every codec feature is off.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            #[cfg(feature = "gzip")]
            Codec::Gzip(d) => d.read(buf),
            #[cfg(feature = "zstd")]
            Codec::Zstd(d) => d.read(buf),
            #[cfg(feature = "lz4")]
            Codec::Lz4Frame(d) => d.read(buf),
            #[cfg(feature = "lz4")]
            Codec::Lz4Legacy(d) => d.read(buf),
            #[cfg(feature = "xz")]
            Codec::Xz(d) => d.read(buf),
            #[cfg(feature = "lzma")]
            Codec::Lzma(d) => d.read(buf),
            #[cfg(feature = "bzip2")]
            Codec::Bzip2(d) => d.read(buf),
            #[cfg(feature = "lzo")]
            Codec::Lzo(d) => d.read(buf),
            Codec::None(_, never) => match *never {},
        }
    }
}

/// A streaming decompressor: a `Read` yielding the decompressed bytes of one stream, bounded by
/// [`Limits`].
///
/// Memory stays bounded whatever the stream's size: a 64 KiB input buffer plus the codec's
/// own state — at most the window the stream declares (xz, lzma, zstd; capped by
/// [`Limits::max_window`]; ruzstd grows its buffer up to it with the output, libzstd under the
/// `zstd-libzstd` feature allocates it up front through C `malloc`), 32 KiB for gzip, about
/// 16 MiB for legacy LZ4, 4 MiB for LZ4 frames, about 4 MiB for bzip2, 512 KiB for lzop (one
/// compressed and one decompressed block). Errors come out as `io::Error`s wrapping an
/// [`Error`] ([`Error::find`] gets it back); bytes after the stream's end (such as the kernel's
/// uncompressed-size trailer) are never read as data.
pub struct Decoder<R: Read> {
    codec: Codec<R>,
    compression: Compression,
    input: Arc<InputState>,
    produced: u64,
    limits: Limits,
}

impl<R: Read> std::fmt::Debug for Decoder<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoder")
            .field("compression", &self.compression)
            .field("produced", &self.produced)
            .field("consumed", &self.consumed())
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl<R: Read> Decoder<R> {
    /// The format being decoded.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Decompressed bytes delivered so far.
    pub fn produced(&self) -> u64 {
        self.produced
    }

    /// Compressed bytes read from the input so far (read ahead into the input buffer included).
    pub fn consumed(&self) -> u64 {
        self.input.consumed.load(Ordering::Relaxed)
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Turns a codec failure into the right [`Error`].
    fn classify(&self, e: io::Error) -> Error {
        if e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
            if let Some(Ok(ours)) = e.into_inner().map(|inner| inner.downcast::<Error>()) {
                return *ours;
            }
            return Error::Corrupt {
                compression: self.compression,
                produced: self.produced,
                source: io::ErrorKind::InvalidData.into(),
            };
        }
        let compression = self.compression;
        let produced = self.produced;
        if self.input.failed.load(Ordering::Relaxed) {
            return Error::Input {
                compression,
                source: e,
            };
        }
        if self.input.eof.load(Ordering::Relaxed) || e.kind() == ErrorKind::UnexpectedEof {
            return Error::Truncated {
                compression,
                consumed: self.consumed(),
                produced,
            };
        }
        if e.kind() == ErrorKind::OutOfMemory {
            return Error::WindowTooLarge {
                compression,
                window: None,
                max: self.limits.max_window,
            };
        }
        Error::Corrupt {
            compression,
            produced,
            source: e,
        }
    }
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = match self.codec.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => return Err(e),
            Err(e) => return Err(self.classify(e).into()),
        };
        let compression = self.compression;
        if n == 0 {
            if let Some(expected) = self.limits.expected_size {
                if expected != self.produced {
                    return Err(Error::SizeMismatch {
                        compression,
                        expected,
                        produced: self.produced,
                    }
                    .into());
                }
            }
            return Ok(0);
        }
        let total = self
            .produced
            .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        if total > self.limits.max_decompressed {
            return Err(Error::Bomb {
                compression,
                limit: self.limits.max_decompressed,
            }
            .into());
        }
        if let Some(expected) = self.limits.expected_size {
            if total > expected {
                return Err(Error::SizeMismatch {
                    compression,
                    expected,
                    produced: total,
                }
                .into());
            }
        }
        self.produced = total;
        Ok(n)
    }
}

/// Bytes peeked at before choosing a codec: every magic and the longest header checked here
/// (zstd's frame header, 18 bytes; `.lzma`'s, 13) fit.
const PEEK: usize = 32;

/// A streaming decoder for `compression` over `reader`, bounded by `limits`.
///
/// Reads at most a few header bytes before returning (to check the magic and the declared
/// window); everything else is decompressed as the returned [`Decoder`] is read.
///
/// # Errors
///
/// [`Error::Disabled`] (feature off), [`Error::Bomb`] when `limits.expected_size` already
/// exceeds the limit, [`Error::WindowTooLarge`], [`Error::Truncated`] / [`Error::Corrupt`] /
/// [`Error::Input`] for a header that cannot be read (lzop's whole header is read and checked
/// here). Later failures come out of `read` as `io::Error`s wrapping these.
///
/// ```
/// use std::io::Read;
/// use kernel_decompress::{Compression, Limits, decoder};
///
/// // "kernel" gzip-compressed by flate2 (any gzip tool will do).
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
/// std::io::Write::write_all(&mut gz, &[0x90; 4096]).unwrap();
/// let compressed = gz.finish().unwrap();
///
/// let mut out = Vec::new();
/// decoder(Compression::Gzip, compressed.as_slice(), Limits::default())
///     .unwrap()
///     .read_to_end(&mut out)
///     .unwrap();
/// assert_eq!(out, vec![0x90; 4096]);
///
/// // The same stream under a 1 KiB limit is a bomb.
/// let mut d = decoder(Compression::Gzip, compressed.as_slice(), Limits::new().with_max_decompressed(1024))
///     .unwrap();
/// let err = d.read_to_end(&mut Vec::new()).unwrap_err();
/// assert!(matches!(
///     kernel_decompress::Error::find(&err),
///     Some(kernel_decompress::Error::Bomb { limit: 1024, .. })
/// ));
/// ```
pub fn decoder<R: Read>(compression: Compression, reader: R, limits: Limits) -> Result<Decoder<R>> {
    if let Some(expected) = limits.expected_size {
        if expected > limits.max_decompressed {
            return Err(Error::Bomb {
                compression,
                limit: limits.max_decompressed,
            });
        }
    }
    let state = Arc::new(InputState::default());
    let mut tracked = Tracked {
        inner: reader,
        state: Arc::clone(&state),
    };
    let mut head = vec![0u8; PEEK];
    let got = read_full(&mut tracked, &mut head).map_err(|source| Error::Input {
        compression,
        source,
    })?;
    head.truncate(got);
    let input: Input<R> = BufReader::with_capacity(INPUT_BUFFER, Cursor::new(head).chain(tracked));
    let codec = make_codec(compression, input, &limits, &state)?;
    Ok(Decoder {
        codec,
        compression,
        input: state,
        produced: 0,
        limits,
    })
}

/// Detects the compression from the first bytes of `reader` and returns a decoder for it.
///
/// # Errors
///
/// [`Error::Unrecognized`] when no magic matches; otherwise as [`decoder`].
pub fn auto_decoder<R: Read>(
    mut reader: R,
    limits: Limits,
) -> Result<Decoder<Chain<Cursor<Vec<u8>>, R>>> {
    let mut head = vec![0u8; PEEK];
    let got = read_full(&mut reader, &mut head).map_err(|source| Error::Input {
        compression: Compression::Gzip,
        source,
    })?;
    head.truncate(got);
    let Some(compression) = detect(&head) else {
        head.truncate(8);
        return Err(Error::Unrecognized { first: head });
    };
    decoder(compression, Cursor::new(head).chain(reader), limits)
}

/// Builds the codec after checking what the header declares.
#[allow(unused_variables)] // Which arguments are used depends on the enabled features.
fn make_codec<R: Read>(
    compression: Compression,
    input: Input<R>,
    limits: &Limits,
    state: &InputState,
) -> Result<Codec<R>> {
    let head = input.get_ref().get_ref().0.get_ref().clone();
    let header_error = |e: io::Error| {
        if state.eof.load(Ordering::Relaxed) || e.kind() == ErrorKind::UnexpectedEof {
            Error::Truncated {
                compression,
                consumed: state.consumed.load(Ordering::Relaxed),
                produced: 0,
            }
        } else {
            Error::Corrupt {
                compression,
                produced: 0,
                source: e,
            }
        }
    };
    let window_check = |window: Option<u64>| match window {
        Some(window) if window > limits.max_window => Err(Error::WindowTooLarge {
            compression,
            window: Some(window),
            max: limits.max_window,
        }),
        _ => Ok(()),
    };
    match compression {
        #[cfg(feature = "gzip")]
        Compression::Gzip => Ok(Codec::Gzip(Box::new(flate2::read::GzDecoder::new(input)))),
        #[cfg(feature = "zstd")]
        Compression::Zstd => {
            // Checked before the backend exists: neither allocates its window until then.
            window_check(zstd_window(&head))?;
            let d = zstd::Zstd::new(input, limits.max_window).map_err(|e| {
                if state.failed.load(Ordering::Relaxed) {
                    Error::Input {
                        compression,
                        source: e,
                    }
                } else if e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
                    match e.into_inner().map(|inner| inner.downcast::<Error>()) {
                        Some(Ok(ours)) => *ours,
                        _ => header_error(ErrorKind::InvalidData.into()),
                    }
                } else {
                    header_error(e)
                }
            })?;
            Ok(Codec::Zstd(Box::new(d)))
        }
        #[cfg(feature = "lz4")]
        Compression::Lz4Frame => Ok(Codec::Lz4Frame(Box::new(
            lz4_flex::frame::FrameDecoder::new(input),
        ))),
        #[cfg(feature = "lz4")]
        Compression::Lz4Legacy => Ok(Codec::Lz4Legacy(Box::new(
            crate::lz4_legacy::Lz4Legacy::new(input),
        ))),
        #[cfg(feature = "xz")]
        Compression::Xz => {
            let kib = u32::try_from(limits.max_window / 1024)
                .unwrap_or(u32::MAX)
                .saturating_add(XZ_OVERHEAD_KIB);
            Ok(Codec::Xz(Box::new(lzma_rust2::XzReader::new_mem_limit(
                input, false, kib,
            ))))
        }
        #[cfg(feature = "lzma")]
        Compression::Lzma => {
            let (props, dict, size) =
                lzma_header(&head).ok_or_else(|| header_error(ErrorKind::UnexpectedEof.into()))?;
            window_check(Some(u64::from(dict)))?;
            let mut input = input;
            let mut skip = [0u8; LZMA_HEADER];
            read_exact(&mut input, &mut skip).map_err(header_error)?;
            let d = lzma_rust2::LzmaReader::new_with_props(input, size, props, dict, None)
                .map_err(header_error)?;
            Ok(Codec::Lzma(Box::new(d)))
        }
        #[cfg(feature = "bzip2")]
        Compression::Bzip2 => Ok(Codec::Bzip2(Box::new(bzip2::bufread::BzDecoder::new(
            input,
        )))),
        #[cfg(feature = "lzo")]
        Compression::Lzo => {
            // The header reader reports a bad header as our own `Corrupt` and a short one as
            // `UnexpectedEof`; the end-of-input flag is not consulted, since a stream shorter
            // than the peek has always hit it.
            let d = crate::lzo::Lzop::new(input).map_err(|e| {
                if e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
                    if let Some(Ok(ours)) = e.into_inner().map(|inner| inner.downcast::<Error>()) {
                        return *ours;
                    }
                    return header_error(ErrorKind::InvalidData.into());
                }
                if state.failed.load(Ordering::Relaxed) {
                    Error::Input {
                        compression,
                        source: e,
                    }
                } else {
                    header_error(e)
                }
            })?;
            Ok(Codec::Lzo(Box::new(d)))
        }
        #[allow(unreachable_patterns)] // Reachable when a codec feature is off.
        other => Err(match other.feature() {
            Some(feature) => Error::Disabled {
                compression: other,
                feature,
            },
            None => Error::Unsupported { compression: other },
        }),
    }
}

/// Slack on top of the window for xz's decoder state, in KiB (lzma-rust2 counts the LZMA2
/// decoder's probability tables and buffers into its memory limit).
#[cfg(feature = "xz")]
const XZ_OVERHEAD_KIB: u32 = 1024;

/// Bytes of a `.lzma` header: properties (1), dictionary size (4), uncompressed size (8).
#[cfg(feature = "lzma")]
const LZMA_HEADER: usize = 13;

/// A `.lzma` header's properties byte, dictionary size and uncompressed size (`u64::MAX` for
/// "unknown, ends with an end marker").
#[cfg(feature = "lzma")]
fn lzma_header(head: &[u8]) -> Option<(u8, u32, u64)> {
    let props = *head.first()?;
    let dict = u32::from_le_bytes(head.get(1..5)?.try_into().ok()?);
    let size = u64::from_le_bytes(head.get(5..13)?.try_into().ok()?);
    Some((props, dict, size))
}

/// The window a zstd frame header declares, when the header is complete in `head`.
#[cfg(feature = "zstd")]
fn zstd_window(head: &[u8]) -> Option<u64> {
    let fhd = *head.get(4)?;
    let single_segment = fhd & 0x20 != 0;
    if !single_segment {
        let wd = *head.get(5)?;
        let log = 10u32.checked_add(u32::from(wd >> 3))?;
        let base = 1u64.checked_shl(log)?;
        return base.checked_add((base / 8).checked_mul(u64::from(wd & 7))?);
    }
    // Single segment: the window is the frame content size.
    let did_len: usize = match fhd & 3 {
        0 => 0,
        1 => 1,
        2 => 2,
        _ => 4,
    };
    let start = 5usize.checked_add(did_len)?;
    let fcs = |n: usize| -> Option<u64> {
        let bytes = head.get(start..start.checked_add(n)?)?;
        let mut v = [0u8; 8];
        v.get_mut(..n)?.copy_from_slice(bytes);
        Some(u64::from_le_bytes(v))
    };
    match fhd >> 6 {
        0 => fcs(1),
        1 => fcs(2)?.checked_add(256),
        2 => fcs(4),
        _ => fcs(8),
    }
}

/// Reads until `buf` is full or the input ends; returns the bytes read. (loader-core has the
/// same loop; this crate has no internal dependencies, so it keeps its own, shared crate-wide.)
pub(crate) fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0usize;
    while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
        match r.read(rest) {
            Ok(0) => break,
            Ok(n) => filled = filled.saturating_add(n),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// `read_exact` reporting a short input as `UnexpectedEof`.
#[cfg(feature = "lzma")]
fn read_exact<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<()> {
    if read_full(r, buf)? < buf.len() {
        return Err(ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}
