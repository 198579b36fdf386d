// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The kernel's legacy LZ4 format (`lz4 -l`), streamed one block at a time.
//!
//! Layout: the magic `02 21 4c 18`, then blocks of `[u32 LE compressed size][LZ4 block]`, each
//! decompressing to at most [`LZ4_LEGACY_BLOCK`] bytes. A new magic may start another archive.
//! There is no end marker: the stream ends at end of input, or — in the kernel's payloads —
//! with a 4-byte little-endian uncompressed-size trailer, which this reader recognises as a size
//! field followed directly by end of input, and checks against the bytes produced.

use std::io::{self, ErrorKind, Read};

use crate::block::{self, BlockDecoder, BlockOutput};
use crate::decoder::read_full;
use crate::limits::LZ4_LEGACY_BLOCK;
use crate::{Compression, Error};

/// The legacy magic, little-endian.
const LEGACY_MAGIC: u32 = 0x184c_2102;

/// Largest compressed size of a block holding [`LZ4_LEGACY_BLOCK`] bytes (LZ4's compress
/// bound: `n + n / 255 + 16`).
const MAX_COMPRESSED_BLOCK: usize = LZ4_LEGACY_BLOCK + LZ4_LEGACY_BLOCK / 255 + 16;

/// A streaming reader of the legacy LZ4 format. Its buffers (one compressed and one
/// decompressed block) are allocated on first use and never exceed about 16 MiB.
pub(crate) struct Lz4Legacy<R> {
    inner: R,
    compressed: Vec<u8>,
    out: BlockOutput,
}

impl<R: Read> Lz4Legacy<R> {
    /// A reader positioned at the magic.
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            compressed: Vec::new(),
            out: BlockOutput::default(),
        }
    }

    /// Decodes the next block into `self.out`; `false` at the end of the stream.
    fn decode_next(&mut self) -> io::Result<bool> {
        loop {
            let mut field = [0u8; 4];
            match read_full(&mut self.inner, &mut field)? {
                0 => return Ok(false),
                4 => {}
                _ => return Err(ErrorKind::UnexpectedEof.into()),
            }
            let value = u32::from_le_bytes(field);
            if value == LEGACY_MAGIC {
                continue;
            }
            let size = usize::try_from(value).unwrap_or(usize::MAX);
            if size > MAX_COMPRESSED_BLOCK || size == 0 {
                // Only the kernel's size trailer may look like this, and it ends the input.
                let mut probe = [0u8; 1];
                if read_full(&mut self.inner, &mut probe)? == 0 {
                    return self.trailer(value);
                }
                return Err(io::Error::new(
                    ErrorKind::InvalidData,
                    format!(
                        "legacy LZ4 block size {value:#x} is not in 1..={MAX_COMPRESSED_BLOCK:#x}"
                    ),
                ));
            }
            self.compressed.resize(size, 0);
            let got = read_full(&mut self.inner, &mut self.compressed)?;
            if got == 0 {
                return self.trailer(value);
            }
            if got < size {
                return Err(ErrorKind::UnexpectedEof.into());
            }
            if self.out.block.len() < LZ4_LEGACY_BLOCK {
                self.out.block.resize(LZ4_LEGACY_BLOCK, 0);
            }
            let n = lz4_flex::block::decompress_into(&self.compressed, &mut self.out.block)
                .map_err(|e| io::Error::new(ErrorKind::InvalidData, e))?;
            self.out.start(n);
            if n > 0 {
                return Ok(true);
            }
        }
    }

    /// A size field followed by end of input: the kernel's uncompressed-size trailer, which must
    /// match what was produced (modulo 2^32).
    fn trailer(&mut self, value: u32) -> io::Result<bool> {
        let produced = u32::try_from(self.out.produced & 0xffff_ffff).unwrap_or(u32::MAX);
        if value != produced {
            return Err(Error::SizeMismatch {
                compression: Compression::Lz4Legacy,
                expected: u64::from(value),
                produced: self.out.produced,
            }
            .into());
        }
        Ok(false)
    }
}

impl<R: Read> BlockDecoder for Lz4Legacy<R> {
    fn output(&mut self) -> &mut BlockOutput {
        &mut self.out
    }

    fn next_block(&mut self) -> io::Result<bool> {
        self.decode_next()
    }
}

impl<R: Read> Read for Lz4Legacy<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        block::read(self, buf)
    }
}
