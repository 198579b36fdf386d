// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The `setup_data` chain: typed entries laid out as linked nodes.
//!
//! Each node is a 16-byte [`setup_data`] header (`next`, `type_`, `len`) followed by `len` payload
//! bytes. Nodes start 8-byte aligned, one after the other, and each `next` holds the guest address
//! of the following node (0 for the last); the zero page's `hdr.setup_data` points at the first.
//! [`SetupDataChain::place`] computes all of that from the final addresses, so the bytes it
//! returns are exactly what goes into guest memory.

use loader_core::GuestRange;
use vm_memory::GuestAddress;
use zerocopy::IntoBytes;

use crate::bootparam::{
    SETUP_DTB, SETUP_E820_EXT, SETUP_NONE, SETUP_RNG_SEED, boot_e820_entry, setup_data,
};
use crate::error::{Error, RangeName};
use crate::limits::{MAX_SETUP_DATA_CHAIN, MAX_SETUP_DATA_ENTRIES, MAX_SETUP_DATA_NODE};

/// Alignment of every node.
pub const SETUP_DATA_ALIGN: u64 = 8;

/// Size of the node header.
pub const SETUP_DATA_HEADER_SIZE: usize = core::mem::size_of::<setup_data>();

/// One `setup_data` entry before placement: a type and its payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupDataEntry {
    /// `SETUP_*` type.
    pub type_: u32,
    /// Payload bytes (the node's `data`).
    pub payload: Vec<u8>,
}

impl SetupDataEntry {
    /// An entry of any type.
    pub fn new(type_: u32, payload: Vec<u8>) -> Self {
        Self { type_, payload }
    }

    /// `SETUP_RNG_SEED`: entropy the kernel mixes into its RNG at boot (and then wipes).
    pub fn rng_seed(seed: &[u8]) -> Self {
        Self::new(SETUP_RNG_SEED, seed.to_vec())
    }

    /// `SETUP_DTB`: a flattened device tree blob.
    pub fn dtb(dtb: &[u8]) -> Self {
        Self::new(SETUP_DTB, dtb.to_vec())
    }

    /// `SETUP_E820_EXT`: e820 entries beyond the zero page's 128.
    pub fn e820_ext(entries: &[boot_e820_entry]) -> Self {
        Self::new(SETUP_E820_EXT, entries.as_bytes().to_vec())
    }

    /// Node length: header plus payload.
    pub fn node_len(&self) -> usize {
        SETUP_DATA_HEADER_SIZE.saturating_add(self.payload.len())
    }
}

/// A placed node: where it goes and its bytes (header with `next` filled in, then payload).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedSetupData {
    /// The node's `SETUP_*` type.
    pub type_: u32,
    /// Guest range of the node, header included.
    pub range: GuestRange,
    /// The node's bytes.
    pub bytes: Vec<u8>,
}

/// A chain of `setup_data` entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetupDataChain {
    entries: Vec<SetupDataEntry>,
}

impl SetupDataChain {
    /// An empty chain.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an entry.
    pub fn push(&mut self, entry: SetupDataEntry) {
        self.entries.push(entry);
    }

    /// The entries in chain order.
    pub fn entries(&self) -> &[SetupDataEntry] {
        &self.entries
    }

    /// Whether the chain has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Checks every entry and the chain's budget; returns the chain's total length when placed
    /// at an 8-byte aligned address (nodes back to back, each padded to 8 bytes but the last).
    ///
    /// # Errors
    ///
    /// [`Error::TooMany`] past [`MAX_SETUP_DATA_ENTRIES`]; [`Error::SetupDataType`] for a
    /// `SETUP_NONE` entry; [`Error::SetupDataTooLarge`] for a node past
    /// [`MAX_SETUP_DATA_NODE`]; [`Error::SetupDataChainTooLarge`] past
    /// [`MAX_SETUP_DATA_CHAIN`].
    pub fn byte_len(&self) -> Result<u64, Error> {
        if self.entries.len() > MAX_SETUP_DATA_ENTRIES {
            return Err(Error::TooMany {
                what: "setup_data entries",
                count: self.entries.len(),
                max: MAX_SETUP_DATA_ENTRIES,
            });
        }
        let mut total: u64 = 0;
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.type_ == SETUP_NONE {
                return Err(Error::SetupDataType {
                    index,
                    type_: entry.type_,
                });
            }
            let len = entry.node_len();
            if len > MAX_SETUP_DATA_NODE {
                return Err(Error::SetupDataTooLarge {
                    index,
                    len,
                    max: MAX_SETUP_DATA_NODE,
                });
            }
            // Bounded by the checks above: at most 64 nodes of 252 KiB.
            total = align_up(total, SETUP_DATA_ALIGN).saturating_add(u64_of(len));
        }
        if total > u64_of(MAX_SETUP_DATA_CHAIN) {
            return Err(Error::SetupDataChainTooLarge {
                len: total,
                max: MAX_SETUP_DATA_CHAIN,
            });
        }
        Ok(total)
    }

    /// Lays the chain out from `start`: each node 8-byte aligned after the previous one, `next`
    /// links set from those addresses. Returns the nodes in chain order (the first is what
    /// `hdr.setup_data` points at); an empty chain gives an empty list.
    ///
    /// # Errors
    ///
    /// Those of [`SetupDataChain::byte_len`]; [`Error::Misaligned`] when `start` is not 8-byte
    /// aligned; [`Error::AddressOverflow`] when the chain would wrap the address space.
    pub fn place(&self, start: GuestAddress) -> Result<Vec<PlacedSetupData>, Error> {
        let total = self.byte_len()?;
        if start.0 % SETUP_DATA_ALIGN != 0 {
            return Err(Error::Misaligned {
                name: RangeName::SetupData(0),
                addr: start.0,
                align: SETUP_DATA_ALIGN,
            });
        }
        if start.0.checked_add(total).is_none() {
            return Err(Error::AddressOverflow {
                name: RangeName::SetupData(0),
                start: start.0,
                len: total,
            });
        }
        // Addresses first (no overflow: the whole chain fits below start + total).
        let mut addrs = Vec::with_capacity(self.entries.len());
        let mut offset: u64 = 0;
        for entry in &self.entries {
            offset = align_up(offset, SETUP_DATA_ALIGN);
            addrs.push(start.0.saturating_add(offset));
            offset = offset.saturating_add(u64_of(entry.node_len()));
        }
        let mut placed = Vec::with_capacity(self.entries.len());
        for (i, (entry, &addr)) in self.entries.iter().zip(&addrs).enumerate() {
            let next = addrs.get(i.saturating_add(1)).copied().unwrap_or(0);
            let header = setup_data {
                next,
                type_: entry.type_,
                // node_len <= MAX_SETUP_DATA_NODE, so the payload length fits in u32.
                len: u32::try_from(entry.payload.len()).unwrap_or(u32::MAX),
            };
            let mut bytes = Vec::with_capacity(entry.node_len());
            bytes.extend_from_slice(header.as_bytes());
            bytes.extend_from_slice(&entry.payload);
            placed.push(PlacedSetupData {
                type_: entry.type_,
                range: GuestRange::new(GuestAddress(addr), u64_of(bytes.len())),
                bytes,
            });
        }
        Ok(placed)
    }
}

/// `v` rounded up to a multiple of `align` (a power of two), saturating.
pub(crate) fn align_up(v: u64, align: u64) -> u64 {
    let mask = align.saturating_sub(1);
    v.saturating_add(mask) & !mask
}

/// `v` rounded down to a multiple of `align` (a power of two).
pub(crate) fn align_down(v: u64, align: u64) -> u64 {
    v & !align.saturating_sub(1)
}

/// A `usize` as `u64` (lossless on every supported host).
pub(crate) fn u64_of(v: usize) -> u64 {
    u64::try_from(v).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bootparam::E820_RAM;
    use zerocopy::FromBytes;

    #[test]
    fn nodes_are_aligned_and_linked() {
        let mut chain = SetupDataChain::new();
        chain.push(SetupDataEntry::rng_seed(&[7u8; 5]));
        chain.push(SetupDataEntry::e820_ext(&[boot_e820_entry {
            addr: 0x1000,
            size: 0x2000,
            type_: E820_RAM,
        }]));
        chain.push(SetupDataEntry::dtb(&[0xd0, 0x0d, 0xfe, 0xed]));
        assert_eq!(chain.byte_len(), Ok(21 + 3 + 36 + 4 + 20));
        let placed = chain.place(GuestAddress(0x2_0808)).unwrap();
        let starts: Vec<u64> = placed.iter().map(|p| p.range.start.0).collect();
        assert_eq!(starts, [0x2_0808, 0x2_0820, 0x2_0848]);
        let lens: Vec<u64> = placed.iter().map(|p| p.range.len).collect();
        assert_eq!(lens, [21, 36, 20]);
        for (i, p) in placed.iter().enumerate() {
            let (hdr, payload) = setup_data::read_from_prefix(&p.bytes).unwrap();
            assert_eq!({ hdr.next }, starts.get(i + 1).copied().unwrap_or(0));
            assert_eq!(hdr.type_, p.type_);
            assert_eq!(hdr.len as usize, payload.len());
        }
        assert_eq!(placed[0].type_, SETUP_RNG_SEED);
        assert_eq!(&placed[0].bytes[16..], &[7u8; 5]);
        assert_eq!(placed[1].type_, SETUP_E820_EXT);
        assert_eq!(placed[2].type_, SETUP_DTB);
    }

    #[test]
    fn rejects_bad_chains() {
        assert_eq!(
            SetupDataChain::new().place(GuestAddress(0x1000)),
            Ok(vec![])
        );
        let mut one = SetupDataChain::new();
        one.push(SetupDataEntry::rng_seed(&[1]));
        assert_eq!(
            one.place(GuestAddress(0x1004)),
            Err(Error::Misaligned {
                name: RangeName::SetupData(0),
                addr: 0x1004,
                align: 8
            })
        );
        assert_eq!(
            one.place(GuestAddress(u64::MAX - 7)),
            Err(Error::AddressOverflow {
                name: RangeName::SetupData(0),
                start: u64::MAX - 7,
                len: 17
            })
        );
        let mut none = SetupDataChain::new();
        none.push(SetupDataEntry::new(SETUP_NONE, vec![]));
        assert_eq!(
            none.byte_len(),
            Err(Error::SetupDataType { index: 0, type_: 0 })
        );
        let mut big = SetupDataChain::new();
        big.push(SetupDataEntry::dtb(&vec![0; MAX_SETUP_DATA_NODE - 15]));
        assert_eq!(
            big.byte_len(),
            Err(Error::SetupDataTooLarge {
                index: 0,
                len: MAX_SETUP_DATA_NODE + 1,
                max: MAX_SETUP_DATA_NODE
            })
        );
        let mut budget = SetupDataChain::new();
        for _ in 0..3 {
            budget.push(SetupDataEntry::dtb(&vec![0; MAX_SETUP_DATA_NODE - 16]));
        }
        assert_eq!(
            budget.byte_len(),
            Err(Error::SetupDataChainTooLarge {
                len: 3 * MAX_SETUP_DATA_NODE as u64,
                max: MAX_SETUP_DATA_CHAIN
            })
        );
        let mut many = SetupDataChain::new();
        for _ in 0..=MAX_SETUP_DATA_ENTRIES {
            many.push(SetupDataEntry::rng_seed(&[1]));
        }
        assert_eq!(
            many.byte_len(),
            Err(Error::TooMany {
                what: "setup_data entries",
                count: MAX_SETUP_DATA_ENTRIES + 1,
                max: MAX_SETUP_DATA_ENTRIES
            })
        );
    }
}
