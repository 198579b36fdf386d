// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The `Read` half shared by the codecs this crate decodes itself (legacy LZ4, lzop): each
//! decodes one whole block into a buffer, then hands it out through `read` calls of any size.

use std::io;

/// A decoded block and how much of it has been handed out.
#[derive(Debug, Default)]
pub(crate) struct BlockOutput {
    /// The decoded block is `block[..len]`; the buffer may be longer (reused across blocks).
    pub(crate) block: Vec<u8>,
    /// Bytes of the block already handed out.
    pub(crate) pos: usize,
    /// Bytes of `block` the current block holds.
    pub(crate) len: usize,
    /// Bytes handed out over the whole stream.
    pub(crate) produced: u64,
    /// The stream has ended: no more blocks.
    pub(crate) done: bool,
}

impl BlockOutput {
    /// Makes `block[..len]` the current block, none of it handed out yet.
    pub(crate) fn start(&mut self, len: usize) {
        self.pos = 0;
        self.len = len;
    }
}

/// A codec that decodes a stream one block at a time into its [`BlockOutput`].
pub(crate) trait BlockDecoder {
    /// The decoded block and its cursor.
    fn output(&mut self) -> &mut BlockOutput;

    /// Decodes the next block and [`BlockOutput::start`]s it; `false` at the end of the stream.
    fn next_block(&mut self) -> io::Result<bool>;
}

/// `Read::read` for a [`BlockDecoder`]: serves `buf` from the current block, decoding the next
/// one (skipping any that decode to nothing) once it is used up. Returns 0 only at the end of the
/// stream or for an empty `buf`.
pub(crate) fn read<D: BlockDecoder>(decoder: &mut D, buf: &mut [u8]) -> io::Result<usize> {
    if buf.is_empty() {
        return Ok(0);
    }
    loop {
        let out = decoder.output();
        if out.pos < out.len {
            break;
        }
        if out.done {
            return Ok(0);
        }
        if !decoder.next_block()? {
            decoder.output().done = true;
            return Ok(0);
        }
    }
    let out = decoder.output();
    let avail = out.block.get(out.pos..out.len).unwrap_or_default();
    let n = avail.len().min(buf.len());
    if let (Some(dst), Some(src)) = (buf.get_mut(..n), avail.get(..n)) {
        dst.copy_from_slice(src);
    }
    out.pos = out.pos.saturating_add(n);
    out.produced = out
        .produced
        .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
    Ok(n)
}
