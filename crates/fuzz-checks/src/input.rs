// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Structured values decoded from raw fuzz bytes, so every target's corpus is plain files and a
//! crash file replays on a stable toolchain without `arbitrary`.

/// Reads values off the front of a byte string; past its end every read yields zeroes.
#[derive(Clone, Debug)]
pub struct Input<'a> {
    bytes: &'a [u8],
}

impl<'a> Input<'a> {
    /// Wraps `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    /// Whether every byte was consumed.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Up to `n` bytes.
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.bytes.len());
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        head
    }

    /// The remaining bytes.
    pub fn rest(&mut self) -> &'a [u8] {
        self.take(self.bytes.len())
    }

    /// One byte.
    pub fn u8(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    /// A little-endian `u16`.
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.array())
    }

    /// A little-endian `u32`.
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.array())
    }

    /// A little-endian `u64`.
    pub fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.array())
    }

    /// A flag.
    pub fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    /// A length-prefixed byte string of at most `max` bytes.
    pub fn bytes(&mut self, max: usize) -> &'a [u8] {
        let n = usize::from(self.u8()) % (max + 1);
        self.take(n)
    }

    /// A guest address or length biased towards the few MiB the harness maps, with
    /// edge values (0, near `u64::MAX`, near 4 GiB) mixed in.
    pub fn addr(&mut self) -> u64 {
        let sel = self.u8();
        let raw = u64::from(self.u32());
        match sel % 8 {
            0 => raw & 0x7f_ffff,
            1 => (raw & 0x3ff) << 12,
            2 => u64::MAX - (raw & 0xffff),
            3 => (1 << 32) - (raw & 0xffff),
            4 => raw << 12,
            5 => raw,
            6 => raw & 0xfff,
            _ => self.u64(),
        }
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let src = self.take(N);
        out[..src.len()].copy_from_slice(src);
        out
    }
}
