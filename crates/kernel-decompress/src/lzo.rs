// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! lzop streams (`CONFIG_KERNEL_LZO`), decoded one block at a time by this crate's own LZO1X
//! decompressor.
//!
//! # Container
//!
//! What `lzop -9` writes (all integers big-endian):
//!
//! * the magic `89 4c 5a 4f 00 0d 0a 1a 0a`;
//! * the header: version (u16), library version (u16), version needed to extract (u16, when
//!   version ≥ 0x0940), method (u8: 1, 2 or 3, all LZO1X), level (u8, when version ≥ 0x0940),
//!   flags (u32), filter (u32, when `F_H_FILTER`), mode (u32), mtime low (u32), mtime high (u32,
//!   when version ≥ 0x0940), name length (u8) and name, then the checksum of every header byte
//!   after the magic: adler32, or crc32 with `F_H_CRC32`;
//! * blocks: uncompressed size (u32; 0 ends the stream), compressed size (u32), the checksum of
//!   the uncompressed bytes (adler32 with `F_ADLER32_D`, then crc32 with `F_CRC32_D`), and — only
//!   when the block is compressed — of the compressed bytes (`F_ADLER32_C`, `F_CRC32_C`); then the
//!   data. A block whose compressed size equals its uncompressed size is stored as it is.
//!
//! Every checksum the stream declares is verified. A block is handed out only once it has been
//! decoded completely and its checksums match, so the bytes a reader sees are always verified.
//!
//! # LZO1X
//!
//! A block is a sequence of instructions, each a match (copy `len` bytes from `distance` bytes
//! back in the block's output) followed by 0–3 literals, or a run of literals; the instruction
//! encoding is described in the kernel's `Documentation/staging/lzo.rst`. The decoder here is
//! written from that description: every literal run is checked against the block's input, every
//! match against the output produced so far and the block's declared size, and the block must
//! end with the end-of-stream instruction exactly at the end of its input, having produced
//! exactly the declared size. Matches never reach into an earlier block (lzop compresses each
//! block on its own), so the decoder's memory is one compressed and one decompressed block,
//! each at most [`LZO_BLOCK`] bytes.

use std::fmt;
use std::io::{self, ErrorKind, Read};
use std::sync::OnceLock;

use crate::block::{self, BlockDecoder, BlockOutput};
use crate::decoder::read_full;
use crate::limits::LZO_BLOCK;
use crate::{Compression, Error};

/// lzop's magic.
const MAGIC: [u8; 9] = [0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a];

/// Oldest header version lzop reads.
const MIN_VERSION: u16 = 0x0900;
/// From this version on the header carries version-needed, level and mtime-high fields.
const VERSION_0940: u16 = 0x0940;

/// Header flags (lzop's names).
const F_ADLER32_D: u32 = 0x0000_0001;
const F_ADLER32_C: u32 = 0x0000_0002;
const F_H_EXTRA_FIELD: u32 = 0x0000_0040;
const F_CRC32_D: u32 = 0x0000_0100;
const F_CRC32_C: u32 = 0x0000_0200;
const F_H_FILTER: u32 = 0x0000_0800;
const F_H_CRC32: u32 = 0x0000_1000;

/// Methods: `M_LZO1X_1`, `M_LZO1X_1_15`, `M_LZO1X_999` — three compressors, one format.
const LZO1X_METHODS: [u8; 3] = [1, 2, 3];

/// What is wrong with an lzop stream. Travels inside an `io::Error` of kind `InvalidData`, which
/// the decoder reports as [`Error::Corrupt`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    Magic {
        found: [u8; 9],
    },
    Version {
        version: u16,
    },
    VersionNeeded {
        needed: u16,
    },
    Method {
        method: u8,
    },
    Filter {
        filter: u32,
    },
    ExtraField,
    HeaderChecksum {
        algorithm: &'static str,
        stored: u32,
        computed: u32,
    },
    CompressedSize {
        block: u64,
        compressed: u32,
        uncompressed: u32,
    },
    DataChecksum {
        block: u64,
        what: &'static str,
        algorithm: &'static str,
        stored: u32,
        computed: u32,
    },
    Block {
        block: u64,
        problem: Lzo1xProblem,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Magic { found } => {
                write!(f, "lzop magic is {found:02x?}, expected {MAGIC:02x?}")
            }
            Problem::Version { version } => write!(
                f,
                "lzop header version {version:#06x} is older than {MIN_VERSION:#06x}, the oldest \
                 lzop reads"
            ),
            Problem::VersionNeeded { needed } => write!(
                f,
                "lzop header says version {needed:#06x} is needed to extract, below \
                 {MIN_VERSION:#06x}"
            ),
            Problem::Method { method } => write!(
                f,
                "lzop method {method} is not LZO1X (1, 2 or 3), the only method lzop's LZO \
                 builds and the kernel use"
            ),
            Problem::Filter { filter } => write!(
                f,
                "lzop header declares filter {filter} (F_H_FILTER); the kernel's decompressor \
                 does not undo filters, so no kernel payload has one"
            ),
            Problem::ExtraField => write!(
                f,
                "lzop header declares an extra field (F_H_EXTRA_FIELD), which lzop never \
                 writes and the kernel's decompressor cannot skip"
            ),
            Problem::HeaderChecksum {
                algorithm,
                stored,
                computed,
            } => write!(
                f,
                "lzop header {algorithm} is {stored:#010x}, computed {computed:#010x}"
            ),
            Problem::CompressedSize {
                block,
                compressed,
                uncompressed,
            } => write!(
                f,
                "lzop block {block}: compressed size {compressed:#x} is not in 1..={uncompressed:#x} \
                 (its uncompressed size)"
            ),
            Problem::DataChecksum {
                block,
                what,
                algorithm,
                stored,
                computed,
            } => write!(
                f,
                "lzop block {block}: {algorithm} of the {what} data is {stored:#010x}, computed \
                 {computed:#010x}"
            ),
            Problem::Block { block, problem } => write!(f, "lzop block {block}: {problem}"),
        }
    }
}

impl std::error::Error for Problem {}

impl Problem {
    /// The crate error for this problem after `produced` bytes were handed out, ready to travel
    /// through `Read`. The codec builds it itself (rather than leaving it to the decoder's
    /// classification) so that corruption is never mistaken for truncation when the whole input
    /// happens to have been read already.
    fn corrupt(self, produced: u64) -> io::Error {
        Error::Corrupt {
            compression: Compression::Lzo,
            produced,
            source: io::Error::new(ErrorKind::InvalidData, self),
        }
        .into()
    }
}

/// What is wrong with one LZO1X block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lzo1xProblem {
    /// An instruction's operands run past the block's compressed bytes.
    InputOverrun { at: usize, len: usize },
    /// A literal run longer than the compressed bytes left.
    LiteralPastInput {
        at: usize,
        count: usize,
        left: usize,
    },
    /// A match reaching before the start of the block's output.
    BackReference { distance: usize, produced: usize },
    /// A match or literal run producing more than the block's declared size.
    OutputOverrun {
        produced: usize,
        count: usize,
        size: usize,
    },
    /// The end-of-stream instruction before the declared size was produced.
    ShortOutput { produced: usize, size: usize },
    /// Bytes after the end-of-stream instruction.
    TrailingInput { end: usize, len: usize },
}

impl fmt::Display for Lzo1xProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Lzo1xProblem::InputOverrun { at, len } => write!(
                f,
                "LZO1X instruction at {at:#x} runs past the block's {len:#x} compressed bytes \
                 (no end-of-stream instruction)"
            ),
            Lzo1xProblem::LiteralPastInput { at, count, left } => write!(
                f,
                "LZO1X literal run of {count:#x} bytes at {at:#x} runs past the input \
                 ({left:#x} bytes left)"
            ),
            Lzo1xProblem::BackReference { distance, produced } => write!(
                f,
                "LZO1X back-reference {distance:#x} bytes back reaches before the start of the \
                 output ({produced:#x} bytes produced)"
            ),
            Lzo1xProblem::OutputOverrun {
                produced,
                count,
                size,
            } => write!(
                f,
                "LZO1X block decodes to more than its declared {size:#x} bytes ({count:#x} more \
                 after {produced:#x})"
            ),
            Lzo1xProblem::ShortOutput { produced, size } => write!(
                f,
                "LZO1X block ends after {produced:#x} bytes, but declares {size:#x}"
            ),
            Lzo1xProblem::TrailingInput { end, len } => write!(
                f,
                "LZO1X end-of-stream instruction ends at {end:#x}, but the block has {len:#x} \
                 compressed bytes"
            ),
        }
    }
}

/// A streaming reader of an lzop stream. Its buffers (one compressed and one decompressed
/// block) are sized to the blocks the stream declares, never above [`LZO_BLOCK`] each.
pub(crate) struct Lzop<R> {
    inner: R,
    flags: u32,
    compressed: Vec<u8>,
    out: BlockOutput,
    blocks: u64,
}

impl<R: Read> Lzop<R> {
    /// Reads and checks the header (magic included) from `inner`. A short input is an
    /// `UnexpectedEof` error, a bad header an [`Error::Corrupt`] inside the `io::Error`.
    pub(crate) fn new(mut inner: R) -> io::Result<Self> {
        let flags = read_header(&mut inner)?;
        Ok(Self {
            inner,
            flags,
            compressed: Vec::new(),
            out: BlockOutput::default(),
            blocks: 0,
        })
    }

    /// Reads, checks and decodes the next block into `self.out`; `false` at the end marker.
    fn decode_next(&mut self) -> io::Result<bool> {
        let block = self.blocks;
        let uncompressed = read_be32(&mut self.inner)?;
        if uncompressed == 0 {
            return Ok(false);
        }
        let size = usize::try_from(uncompressed).unwrap_or(usize::MAX);
        if size > LZO_BLOCK {
            return Err(Error::BlockTooLarge {
                compression: Compression::Lzo,
                size: u64::from(uncompressed),
                max: u64::try_from(LZO_BLOCK).unwrap_or(u64::MAX),
            }
            .into());
        }
        let compressed = read_be32(&mut self.inner)?;
        if compressed == 0 || compressed > uncompressed {
            return Err(Problem::CompressedSize {
                block,
                compressed,
                uncompressed,
            }
            .corrupt(self.out.produced));
        }
        let stored = compressed == uncompressed;
        let d_adler = self.checksum_field(F_ADLER32_D, true)?;
        let d_crc = self.checksum_field(F_CRC32_D, true)?;
        let c_adler = self.checksum_field(F_ADLER32_C, !stored)?;
        let c_crc = self.checksum_field(F_CRC32_C, !stored)?;
        size_to(&mut self.out.block, size);
        if stored {
            read_exact(&mut self.inner, &mut self.out.block)?;
        } else {
            let csize = usize::try_from(compressed).unwrap_or(usize::MAX);
            size_to(&mut self.compressed, csize);
            read_exact(&mut self.inner, &mut self.compressed)?;
            verify(block, "compressed", c_adler, c_crc, &self.compressed)
                .map_err(|p| p.corrupt(self.out.produced))?;
            decompress(&self.compressed, &mut self.out.block)
                .map_err(|problem| Problem::Block { block, problem }.corrupt(self.out.produced))?;
        }
        verify(block, "uncompressed", d_adler, d_crc, &self.out.block)
            .map_err(|p| p.corrupt(self.out.produced))?;
        self.blocks = self.blocks.saturating_add(1);
        self.out.start(size);
        Ok(true)
    }

    /// The stored checksum when `flag` is set and the field is present.
    fn checksum_field(&mut self, flag: u32, present: bool) -> io::Result<Option<u32>> {
        if present && self.flags & flag != 0 {
            return read_be32(&mut self.inner).map(Some);
        }
        Ok(None)
    }
}

impl<R: Read> BlockDecoder for Lzop<R> {
    fn output(&mut self) -> &mut BlockOutput {
        &mut self.out
    }

    fn next_block(&mut self) -> io::Result<bool> {
        self.decode_next()
    }
}

impl<R: Read> Read for Lzop<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        block::read(self, buf)
    }
}

/// Resizes `buf` to `size` bytes, growing its allocation to exactly that (never the doubling a
/// plain `resize` may do), so a buffer never holds more than the largest block declared.
fn size_to(buf: &mut Vec<u8>, size: usize) {
    buf.reserve_exact(size.saturating_sub(buf.len()));
    buf.resize(size, 0);
}

/// Checks the stored checksums of one block's `what` data.
fn verify(
    block: u64,
    what: &'static str,
    adler: Option<u32>,
    crc: Option<u32>,
    data: &[u8],
) -> Result<(), Problem> {
    if let Some(stored) = adler {
        let computed = adler32(data);
        if computed != stored {
            return Err(Problem::DataChecksum {
                block,
                what,
                algorithm: "adler32",
                stored,
                computed,
            });
        }
    }
    if let Some(stored) = crc {
        let computed = crc32(data);
        if computed != stored {
            return Err(Problem::DataChecksum {
                block,
                what,
                algorithm: "crc32",
                stored,
                computed,
            });
        }
    }
    Ok(())
}

/// Reads the magic and the header; returns the flags.
fn read_header<R: Read>(r: &mut R) -> io::Result<u32> {
    match parse_header(r)? {
        Ok(flags) => Ok(flags),
        Err(problem) => Err(problem.corrupt(0)),
    }
}

/// [`read_header`]: I/O errors outside, header problems inside.
fn parse_header<R: Read>(r: &mut R) -> io::Result<Result<u32, Problem>> {
    let mut magic = [0u8; 9];
    read_exact(r, &mut magic)?;
    if magic != MAGIC {
        return Ok(Err(Problem::Magic { found: magic }));
    }
    // Every field is read (the layout depends only on the version and the filter flag) and the
    // checksum checked first, so that a damaged header is reported as damaged rather than as
    // whichever field the damage happened to hit.
    let mut h = HeaderReader {
        inner: r,
        bytes: Vec::with_capacity(64),
    };
    let version = h.u16()?;
    let new_layout = version >= VERSION_0940;
    let _lib_version = h.u16()?;
    let needed = if new_layout { Some(h.u16()?) } else { None };
    let method = h.u8()?;
    if new_layout {
        let _level = h.u8()?;
    }
    let flags = h.u32()?;
    let filter = if flags & F_H_FILTER != 0 {
        Some(h.u32()?)
    } else {
        None
    };
    let _mode = h.u32()?;
    let _mtime_low = h.u32()?;
    if new_layout {
        let _mtime_high = h.u32()?;
    }
    let name_len = h.u8()?;
    let mut name = [0u8; 255];
    h.bytes(name.get_mut(..usize::from(name_len)).unwrap_or_default())?;
    let (algorithm, computed) = if flags & F_H_CRC32 != 0 {
        ("crc32", crc32(&h.bytes))
    } else {
        ("adler32", adler32(&h.bytes))
    };
    let stored = read_be32(h.inner)?;
    Ok(if stored != computed {
        Err(Problem::HeaderChecksum {
            algorithm,
            stored,
            computed,
        })
    } else if version < MIN_VERSION {
        Err(Problem::Version { version })
    } else if let Some(needed) = needed.filter(|&n| n < MIN_VERSION) {
        Err(Problem::VersionNeeded { needed })
    } else if !LZO1X_METHODS.contains(&method) {
        Err(Problem::Method { method })
    } else if let Some(filter) = filter {
        Err(Problem::Filter { filter })
    } else if flags & F_H_EXTRA_FIELD != 0 {
        Err(Problem::ExtraField)
    } else {
        Ok(flags)
    })
}

/// Reads header fields, keeping their bytes for the header checksum.
struct HeaderReader<'a, R> {
    inner: &'a mut R,
    bytes: Vec<u8>,
}

impl<R: Read> HeaderReader<'_, R> {
    fn bytes(&mut self, buf: &mut [u8]) -> io::Result<()> {
        read_exact(self.inner, buf)?;
        self.bytes.extend_from_slice(buf);
        Ok(())
    }

    fn u8(&mut self) -> io::Result<u8> {
        let mut b = [0u8; 1];
        self.bytes(&mut b)?;
        Ok(u8::from_be_bytes(b))
    }

    fn u16(&mut self) -> io::Result<u16> {
        let mut b = [0u8; 2];
        self.bytes(&mut b)?;
        Ok(u16::from_be_bytes(b))
    }

    fn u32(&mut self) -> io::Result<u32> {
        let mut b = [0u8; 4];
        self.bytes(&mut b)?;
        Ok(u32::from_be_bytes(b))
    }
}

fn read_be32<R: Read>(r: &mut R) -> io::Result<u32> {
    let mut b = [0u8; 4];
    read_exact(r, &mut b)?;
    Ok(u32::from_be_bytes(b))
}

/// `read_exact` reporting a short input as `UnexpectedEof`.
fn read_exact<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<()> {
    if read_full(r, buf)? < buf.len() {
        return Err(ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// LZO1X

/// Short literal runs and short non-overlapping matches are copied with one fixed-size move of
/// this many bytes when both sides have room for it.
const WIDE: usize = 16;

/// Decodes the LZO1X block `src` into exactly `dst` (the declared uncompressed size).
///
/// Every byte of `dst` is written before `Ok` is returned: the output must reach `dst.len()`
/// exactly, at the end-of-stream instruction that ends `src`.
fn decompress(src: &[u8], dst: &mut [u8]) -> Result<(), Lzo1xProblem> {
    let mut d = Lzo1x {
        src,
        dst,
        ip: 0,
        op: 0,
    };
    // Literals copied by the previous instruction: 0..=3, or 4 for a run of four or more.
    let mut state: usize = 0;
    let first = d.byte()?;
    if first > 17 {
        // The first instruction may be a literal run of `first - 17`: 18..=20 copy 1..=3
        // literals (then state 1..=3), 21.. four or more (state 4).
        let count = usize::from(first.saturating_sub(17));
        d.literals(count)?;
        state = count.min(4);
    } else {
        d.ip = 0;
    }
    loop {
        let t = d.byte()?;
        let (len, distance, next) = if t >= 64 {
            // 1LLDDDSS: 5..=8 bytes, or 01LDDDSS: 3..=4 bytes, within 2 KiB; one more byte H.
            let h = usize::from(d.byte()?);
            let len = if t >= 128 {
                5usize.saturating_add(usize::from((t >> 5) & 3))
            } else {
                3usize.saturating_add(usize::from((t >> 5) & 1))
            };
            let distance = (h << 3)
                .saturating_add(usize::from((t >> 2) & 7))
                .saturating_add(1);
            (len, distance, t & 3)
        } else if t >= 32 {
            // 001LLLLL: within 16 KiB; LE16 of distance and next literals.
            let len = d.length(t & 31, 31)?.saturating_add(2);
            let le = d.le16()?;
            (len, usize::from(le >> 2).saturating_add(1), le_state(le))
        } else if t >= 16 {
            // 0001HLLL: 16..48 KiB; distance 16384 exactly is the end of the stream.
            let len = d.length(t & 7, 7)?.saturating_add(2);
            let le = d.le16()?;
            let far = usize::from(le >> 2).saturating_add(usize::from(t & 8) << 11);
            if far == 0 {
                return d.end();
            }
            (len, far.saturating_add(16384), le_state(le))
        } else {
            match state {
                0 => {
                    // 0000LLLL after no literals: a run of 4 or more literals.
                    let count = d.length(t, 15)?.saturating_add(3);
                    d.literals(count)?;
                    state = 4;
                    continue;
                }
                1..=3 => {
                    // 0000DDSS after 1..=3 literals: 2 bytes within 1 KiB.
                    let h = usize::from(d.byte()?);
                    let distance = (h << 2)
                        .saturating_add(usize::from((t >> 2) & 3))
                        .saturating_add(1);
                    (2, distance, t & 3)
                }
                _ => {
                    // 0000DDSS after a literal run: 3 bytes at 2..3 KiB.
                    let h = usize::from(d.byte()?);
                    let distance = (h << 2)
                        .saturating_add(usize::from((t >> 2) & 3))
                        .saturating_add(2049);
                    (3, distance, t & 3)
                }
            }
        };
        d.copy_match(distance, len)?;
        let next = usize::from(next);
        d.literals(next)?;
        state = next;
    }
}

/// The literal count in the low two bits of a 16-bit distance operand.
fn le_state(le: u16) -> u8 {
    u8::try_from(le & 3).unwrap_or(0)
}

/// The decoder's cursor over one block.
struct Lzo1x<'a> {
    src: &'a [u8],
    dst: &'a mut [u8],
    ip: usize,
    op: usize,
}

impl Lzo1x<'_> {
    #[inline(always)]
    fn byte(&mut self) -> Result<u8, Lzo1xProblem> {
        let b = *self.src.get(self.ip).ok_or(Lzo1xProblem::InputOverrun {
            at: self.ip,
            len: self.src.len(),
        })?;
        self.ip = self.ip.saturating_add(1);
        Ok(b)
    }

    #[inline(always)]
    fn le16(&mut self) -> Result<u16, Lzo1xProblem> {
        let lo = self.byte()?;
        let hi = self.byte()?;
        Ok(u16::from_le_bytes([lo, hi]))
    }

    /// A length whose first `mask` bits are in the instruction: `bits`, or when zero, `mask`
    /// plus 255 per following zero byte plus the first non-zero byte.
    #[inline(always)]
    fn length(&mut self, bits: u8, mask: u8) -> Result<usize, Lzo1xProblem> {
        if bits != 0 {
            return Ok(usize::from(bits));
        }
        let mut len = usize::from(mask);
        loop {
            match self.byte()? {
                0 => len = len.saturating_add(255),
                b => return Ok(len.saturating_add(usize::from(b))),
            }
        }
    }

    /// Copies `count` literals from the input.
    #[inline(always)]
    fn literals(&mut self, count: usize) -> Result<(), Lzo1xProblem> {
        if count == 0 {
            return Ok(());
        }
        let (ip, op) = (self.ip, self.op);
        let src_end = ip.saturating_add(count);
        let dst_end = op.saturating_add(count);
        if count <= WIDE {
            // Short runs: one fixed-size move when both sides have room; the bytes past the run
            // are rewritten by later instructions (the block must fill `dst` to succeed).
            if let (Some(from), Some(to)) = (
                self.src.get(ip..ip.saturating_add(WIDE)),
                self.dst.get_mut(op..op.saturating_add(WIDE)),
            ) {
                to.copy_from_slice(from);
                self.ip = src_end;
                self.op = dst_end;
                return Ok(());
            }
        }
        let Some(from) = self.src.get(ip..src_end) else {
            return Err(Lzo1xProblem::LiteralPastInput {
                at: ip,
                count,
                left: self.src.len().saturating_sub(ip),
            });
        };
        let Some(to) = self.dst.get_mut(op..dst_end) else {
            return Err(Lzo1xProblem::OutputOverrun {
                produced: op,
                count,
                size: self.dst.len(),
            });
        };
        to.copy_from_slice(from);
        self.ip = src_end;
        self.op = dst_end;
        Ok(())
    }

    /// Copies `len` bytes from `distance` bytes back in the output.
    #[inline(always)]
    fn copy_match(&mut self, distance: usize, len: usize) -> Result<(), Lzo1xProblem> {
        let op = self.op;
        let Some(start) = op.checked_sub(distance) else {
            return Err(Lzo1xProblem::BackReference {
                distance,
                produced: op,
            });
        };
        let end = op.saturating_add(len);
        if end > self.dst.len() {
            return Err(Lzo1xProblem::OutputOverrun {
                produced: op,
                count: len,
                size: self.dst.len(),
            });
        }
        if distance >= WIDE && len <= WIDE {
            // Short, non-overlapping: one fixed-size move when the output has room (the bytes
            // past the match are rewritten by later instructions, as for literals).
            let (done, ahead) = self.dst.split_at_mut(op);
            if let (Some(from), Some(to)) = (
                done.get(start..start.saturating_add(WIDE)),
                ahead.get_mut(..WIDE),
            ) {
                to.copy_from_slice(from);
                self.op = end;
                return Ok(());
            }
        }
        if distance >= len {
            self.dst.copy_within(start..start.saturating_add(len), op);
        } else {
            // Overlapping: the source is the pattern just written, which doubles with each copy.
            let mut pos = op;
            while pos < end {
                let n = (pos.saturating_sub(start)).min(end.saturating_sub(pos));
                self.dst.copy_within(start..start.saturating_add(n), pos);
                pos = pos.saturating_add(n);
            }
        }
        self.op = end;
        Ok(())
    }

    /// The end-of-stream instruction: it must end the input and the output.
    fn end(&self) -> Result<(), Lzo1xProblem> {
        if self.op != self.dst.len() {
            return Err(Lzo1xProblem::ShortOutput {
                produced: self.op,
                size: self.dst.len(),
            });
        }
        if self.ip != self.src.len() {
            return Err(Lzo1xProblem::TrailingInput {
                end: self.ip,
                len: self.src.len(),
            });
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Checksums

/// Adler-32's modulus: the largest prime below 2^16.
const ADLER_MOD: u32 = 65521;
/// Bytes summed between reductions: few enough that no lane sum below overflows a u32
/// (zlib's NMAX, 5552, a multiple of the 16 lanes).
const ADLER_NMAX: usize = 5552;
/// Lanes of the vectorised Adler-32 sums.
const ADLER_LANES: usize = 16;

/// Adler-32 (RFC 1950) of `data`, starting from 1.
///
/// Sixteen bytes at a time: for a run of `k` groups of 16 bytes `x[g][j]`, `a` grows by every
/// byte and `b` by `16k·a` plus each byte weighted by the number of sums it is in,
/// `16(k−g) − j`. Per lane `j` the sums `X[j] = Σ_g x[g][j]` and `P[j] = Σ_g (X[j] before
/// group g)` give `Σ_g (k−g)·x[g][j] = P[j] + X[j]`, so `b` grows by
/// `16·Σ_j (P[j] + X[j]) − Σ_j j·X[j]`: lane-wise additions the compiler vectorises.
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    let mut chunks = data.chunks_exact(ADLER_NMAX);
    for chunk in &mut chunks {
        (a, b) = adler32_lanes(a, b, chunk);
    }
    let rest = chunks.remainder();
    let whole = rest.len().saturating_sub(rest.len() % ADLER_LANES);
    let (groups, tail) = rest.split_at(whole);
    (a, b) = adler32_lanes(a, b, groups);
    for &byte in tail {
        a = a.wrapping_add(u32::from(byte));
        b = b.wrapping_add(a);
    }
    ((b % ADLER_MOD) << 16) | (a % ADLER_MOD)
}

/// Adler-32 sums `(a, b)` (each below the modulus) continued over `chunk`, whose length is a
/// multiple of [`ADLER_LANES`] and at most [`ADLER_NMAX`]; returns them reduced.
#[inline(always)]
fn adler32_lanes(a: u32, b: u32, chunk: &[u8]) -> (u32, u32) {
    // With at most 347 groups, X[j] ≤ 255·347 and P[j] ≤ 255·347·346/2: far below 2^32.
    let mut x = [0u32; ADLER_LANES];
    let mut p = [0u32; ADLER_LANES];
    for group in chunk.chunks_exact(ADLER_LANES) {
        for (p, &x) in p.iter_mut().zip(&x) {
            *p = p.wrapping_add(x);
        }
        for (x, &byte) in x.iter_mut().zip(group) {
            *x = x.wrapping_add(u32::from(byte));
        }
    }
    const MODULUS: u64 = 65521; // ADLER_MOD, widened.
    let n = u64::try_from(chunk.len()).unwrap_or(0);
    // Below 2^40 throughout, so u64 arithmetic cannot wrap.
    let (mut sum_a, mut sum_b) = (
        u64::from(a),
        u64::from(b).wrapping_add(n.wrapping_mul(u64::from(a))),
    );
    for ((&x, &p), j) in x.iter().zip(&p).zip(0u64..) {
        let (x, p) = (u64::from(x), u64::from(p));
        sum_a = sum_a.wrapping_add(x);
        sum_b = sum_b
            .wrapping_add(p.wrapping_add(x).wrapping_mul(16))
            .wrapping_sub(j.wrapping_mul(x));
    }
    (
        u32::try_from(sum_a % MODULUS).unwrap_or(0),
        u32::try_from(sum_b % MODULUS).unwrap_or(0),
    )
}

/// The CRC-32 polynomial (IEEE 802.3), bit-reflected.
const CRC_POLY: u32 = 0xedb8_8320;

/// Tables for CRC-32 eight bytes at a time: `t[0]` is the CRC of each byte value, `t[k]` of
/// that byte followed by `k` zero bytes. Built on first use.
fn crc_tables() -> &'static [[u32; 256]; 8] {
    static TABLES: OnceLock<[[u32; 256]; 8]> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut byte = [0u32; 256];
        for (n, entry) in (0u32..).zip(byte.iter_mut()) {
            let mut c = n;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    CRC_POLY ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *entry = c;
        }
        let mut tables = [[0u32; 256]; 8];
        let mut next = byte;
        for table in &mut tables {
            *table = next;
            next = next.map(|c| (c >> 8) ^ entry(&byte, c));
        }
        tables
    })
}

/// The entry of `table` for the low byte of `index`.
#[inline(always)]
fn entry(table: &[u32; 256], index: u32) -> u32 {
    let index = usize::from(u8::try_from(index & 0xff).unwrap_or(0));
    table.get(index).copied().unwrap_or(0)
}

/// CRC-32 (as zlib and lzop compute it) of `data`, starting from 0.
fn crc32(data: &[u8]) -> u32 {
    let [t0, t1, t2, t3, t4, t5, t6, t7] = crc_tables();
    let mut c = !0u32;
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let Ok([b0, b1, b2, b3, b4, b5, b6, b7]): Result<[u8; 8], _> = w.try_into() else {
            continue;
        };
        let lo = c ^ u32::from_le_bytes([b0, b1, b2, b3]);
        let hi = u32::from_le_bytes([b4, b5, b6, b7]);
        c = entry(t7, lo)
            ^ entry(t6, lo >> 8)
            ^ entry(t5, lo >> 16)
            ^ entry(t4, lo >> 24)
            ^ entry(t3, hi)
            ^ entry(t2, hi >> 8)
            ^ entry(t1, hi >> 16)
            ^ entry(t0, hi >> 24);
    }
    for &byte in words.remainder() {
        c = entry(t0, c ^ u32::from(byte)) ^ (c >> 8);
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        // RFC 1950's example and the CRC-32 check value.
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b""), 1);
        assert_eq!(crc32(b""), 0);
        // The grouped Adler-32 agrees with the byte-at-a-time definition at every length
        // around the group and reduction boundaries.
        let data: Vec<u8> = (0..20_000u32)
            .map(|i| (i * 7 + i / 13) as u8 | 0x80)
            .collect();
        for len in [0, 1, 15, 16, 17, 5551, 5552, 5553, 11_104, 20_000] {
            let (mut a, mut b) = (1u32, 0u32);
            for &x in &data[..len] {
                a = (a + u32::from(x)) % ADLER_MOD;
                b = (b + a) % ADLER_MOD;
            }
            assert_eq!(adler32(&data[..len]), (b << 16) | a, "len {len}");
            let mut c = !0u32;
            for &x in &data[..len] {
                c ^= u32::from(x);
                for _ in 0..8 {
                    c = if c & 1 != 0 {
                        0xedb8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            assert_eq!(crc32(&data[..len]), !c, "len {len}");
        }
        // All-0xff input: the largest sums Adler-32 can see.
        let ff = vec![0xffu8; 100_000];
        let (mut a, mut b) = (1u32, 0u32);
        for &x in &ff {
            a = (a + u32::from(x)) % ADLER_MOD;
            b = (b + a) % ADLER_MOD;
        }
        assert_eq!(adler32(&ff), (b << 16) | a);
    }

    fn decode(src: &[u8], size: usize) -> Result<Vec<u8>, Lzo1xProblem> {
        let mut out = vec![0u8; size];
        decompress(src, &mut out).map(|()| out)
    }

    #[test]
    fn instructions() {
        // "hello " as a first literal run, a 23-byte overlapping match 6 back with one literal,
        // then the end (lzop -9 of "hello " x5 + "\n").
        let src = b"\x17hello \x35\x15\x00\x0a\x11\x00\x00";
        let out = decode(src, 30).unwrap();
        assert_eq!(out, b"hello hello hello hello hello\n");
        // Empty block: just the end instruction.
        assert_eq!(decode(b"\x11\x00\x00", 0).unwrap(), b"");
        // A long literal run (0000LLLL, state 0) with a zero-byte length extension:
        // 3 + 15 + 255 + 2 = 275 literals.
        let mut src = vec![0x00, 0x00, 0x02];
        src.extend((0..275u32).map(|i| i as u8));
        src.extend_from_slice(b"\x11\x00\x00");
        assert_eq!(
            decode(&src, 275).unwrap(),
            (0..275u32).map(|i| i as u8).collect::<Vec<_>>()
        );
        // After 1..3 literals, 0000DDSS copies 2 bytes within 1 KiB: "ab" + "ab".
        let src = b"\x13ab\x04\x00\x11\x00\x00";
        assert_eq!(decode(src, 4).unwrap(), b"abab");
        // After a run of 4+, 0000DDSS copies 3 bytes from 2049+ back: too far here.
        let src = b"\x15abcd\x00\x00\x11\x00\x00";
        assert_eq!(
            decode(src, 7),
            Err(Lzo1xProblem::BackReference {
                distance: 2049,
                produced: 4
            })
        );
    }

    #[test]
    fn hostile_blocks() {
        // Literal run past the input.
        assert_eq!(
            decode(b"\x1fabc", 14),
            Err(Lzo1xProblem::LiteralPastInput {
                at: 1,
                count: 14,
                left: 3
            })
        );
        // Match before the start.
        assert_eq!(
            decode(b"\x12a\x44\x00\x11\x00\x00", 4),
            Err(Lzo1xProblem::BackReference {
                distance: 2,
                produced: 1
            })
        );
        // Output overrun by a match and by literals.
        assert_eq!(
            decode(b"\x12a\x3f\x00\x00\x11\x00\x00", 2),
            Err(Lzo1xProblem::OutputOverrun {
                produced: 1,
                count: 33,
                size: 2
            })
        );
        assert_eq!(
            decode(b"\x1aabcdefghi\x11\x00\x00", 4),
            Err(Lzo1xProblem::OutputOverrun {
                produced: 0,
                count: 9,
                size: 4
            })
        );
        // Short output, trailing input, missing end.
        assert_eq!(
            decode(b"\x13ab\x11\x00\x00", 3),
            Err(Lzo1xProblem::ShortOutput {
                produced: 2,
                size: 3
            })
        );
        assert_eq!(
            decode(b"\x13ab\x11\x00\x00\x00", 2),
            Err(Lzo1xProblem::TrailingInput { end: 6, len: 7 })
        );
        assert_eq!(
            decode(b"\x13ab", 2),
            Err(Lzo1xProblem::InputOverrun { at: 3, len: 3 })
        );
        assert_eq!(
            decode(b"", 0),
            Err(Lzo1xProblem::InputOverrun { at: 0, len: 0 })
        );
    }
}
