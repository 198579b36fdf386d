// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The guest memory map and the e820 table built from it.
//!
//! A VMM describes guest RAM as regions (vm-memory's regions, or its own list) and the ranges it
//! reserves (EBDA, ACPI tables, MMIO windows). [`E820Table::build`] turns that into the table the
//! kernel reads: sorted, RAM minus reserved ranges, adjacent entries of one type merged, holes
//! left as holes. The first [`E820_MAX_ENTRIES_ZEROPAGE`] entries go in the zero page, the rest in
//! a `SETUP_E820_EXT` node ([`crate::setup_data::SetupDataEntry::e820_ext`]); the same table is
//! the PVH memory map.

use loader_core::GuestRange;
use vm_memory::{Address, GuestAddress, GuestMemoryBackend, GuestMemoryRegion};

use crate::bootparam::{E820_MAX_ENTRIES_ZEROPAGE, E820_RAM, E820_RESERVED, boot_e820_entry};
use crate::error::{Error, RangeName};
use crate::limits::{MAX_E820_ENTRIES, MAX_RAM_REGIONS, MAX_RESERVED_RANGES};
use crate::start_info::hvm_memmap_table_entry;

/// A range the VMM reserves, with the e820 type to report it as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReservedRange {
    /// The range.
    pub range: GuestRange,
    /// Its e820 type (`E820_RESERVED`, `E820_ACPI`, `E820_NVS`, ...); never `E820_RAM`.
    pub type_: u32,
}

/// The guest's memory as the VMM describes it: RAM regions and reserved ranges.
///
/// RAM regions may touch or overlap each other (they are merged). Reserved ranges are carved out
/// of RAM where they overlap it and reported as their own entries everywhere; two reserved ranges
/// may overlap only if they have the same type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryMap {
    /// Guest RAM.
    pub ram: Vec<GuestRange>,
    /// Reserved ranges.
    pub reserved: Vec<ReservedRange>,
}

impl MemoryMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// The RAM regions of a vm-memory guest memory, nothing reserved.
    pub fn from_guest_memory<M: GuestMemoryBackend>(mem: &M) -> Self {
        let ram = mem
            .iter()
            .map(|region| GuestRange::new(region.start_addr(), region.len()))
            .collect();
        Self {
            ram,
            reserved: Vec::new(),
        }
    }

    /// Adds a RAM region of `len` bytes at `start`.
    pub fn with_ram(mut self, start: GuestAddress, len: u64) -> Self {
        self.ram.push(GuestRange::new(start, len));
        self
    }

    /// Adds a reserved range of `len` bytes at `start`, reported with e820 type `type_`.
    pub fn with_reserved(mut self, start: GuestAddress, len: u64, type_: u32) -> Self {
        self.reserved.push(ReservedRange {
            range: GuestRange::new(start, len),
            type_,
        });
        self
    }

    /// Adds a range of type `E820_RESERVED`.
    pub fn with_e820_reserved(self, start: GuestAddress, len: u64) -> Self {
        self.with_reserved(start, len, E820_RESERVED)
    }
}

/// Half-open `[start, end)` in plain integers, for the sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    start: u64,
    end: u64,
}

impl Span {
    fn of(name: RangeName, r: GuestRange) -> Result<Self, Error> {
        let end = r.end().ok_or(Error::AddressOverflow {
            name,
            start: r.start.raw_value(),
            len: r.len,
        })?;
        Ok(Self {
            start: r.start.raw_value(),
            end: end.raw_value(),
        })
    }
}

/// A sorted e820 table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct E820Table {
    entries: Vec<boot_e820_entry>,
}

impl E820Table {
    /// Builds the table for `map`.
    ///
    /// # Errors
    ///
    /// [`Error::TooMany`] past [`MAX_RAM_REGIONS`], [`MAX_RESERVED_RANGES`] or
    /// [`MAX_E820_ENTRIES`]; [`Error::AddressOverflow`] for a range whose end overflows;
    /// [`Error::InvalidReservedType`] for a reserved range typed `E820_RAM`;
    /// [`Error::RangesOverlap`] for two overlapping reserved ranges of different types;
    /// [`Error::NoRam`] when no usable RAM is left.
    pub fn build(map: &MemoryMap) -> Result<Self, Error> {
        if map.ram.len() > MAX_RAM_REGIONS {
            return Err(Error::TooMany {
                what: "RAM regions",
                count: map.ram.len(),
                max: MAX_RAM_REGIONS,
            });
        }
        if map.reserved.len() > MAX_RESERVED_RANGES {
            return Err(Error::TooMany {
                what: "reserved ranges",
                count: map.reserved.len(),
                max: MAX_RESERVED_RANGES,
            });
        }
        // RAM: validated, sorted, merged where overlapping or touching.
        let mut ram = Vec::with_capacity(map.ram.len());
        for (i, r) in map.ram.iter().enumerate() {
            let span = Span::of(RangeName::Ram(i), *r)?;
            if span.start < span.end {
                ram.push(span);
            }
        }
        ram.sort_by_key(|s| s.start);
        let ram = merge(ram.into_iter().map(|s| (s, E820_RAM)));

        // Reserved: validated, sorted; overlapping ranges must agree on the type.
        let mut reserved: Vec<(usize, Span, u32)> = Vec::with_capacity(map.reserved.len());
        for (i, r) in map.reserved.iter().enumerate() {
            if r.type_ == E820_RAM {
                return Err(Error::InvalidReservedType {
                    index: i,
                    type_: r.type_,
                });
            }
            let span = Span::of(RangeName::Reserved(i), r.range)?;
            if span.start < span.end {
                reserved.push((i, span, r.type_));
            }
        }
        reserved.sort_by_key(|&(i, s, _)| (s.start, i));
        let mut furthest: Option<(usize, Span, u32)> = None;
        for &(i, s, t) in &reserved {
            if let Some((pi, ps, pt)) = furthest {
                if s.start < ps.end && t != pt {
                    let ((a, sa), (b, sb)) = if pi < i {
                        ((pi, ps), (i, s))
                    } else {
                        ((i, s), (pi, ps))
                    };
                    return Err(Error::RangesOverlap {
                        first: RangeName::Reserved(a),
                        first_start: sa.start,
                        first_end: sa.end,
                        second: RangeName::Reserved(b),
                        second_start: sb.start,
                        second_end: sb.end,
                    });
                }
                if s.end <= ps.end {
                    continue;
                }
            }
            furthest = Some((i, s, t));
        }
        let reserved = merge(reserved.iter().map(|&(_, s, t)| (s, t)));

        // RAM minus reserved, then everything sorted and merged again.
        let mut all: Vec<(Span, u32)> = reserved.clone();
        let mut has_ram = false;
        for (r, _) in &ram {
            let mut cursor = r.start;
            for (res, _) in &reserved {
                if res.end <= cursor || res.start >= r.end {
                    continue;
                }
                if res.start > cursor {
                    all.push((
                        Span {
                            start: cursor,
                            end: res.start,
                        },
                        E820_RAM,
                    ));
                    has_ram = true;
                }
                cursor = cursor.max(res.end);
            }
            if cursor < r.end {
                all.push((
                    Span {
                        start: cursor,
                        end: r.end,
                    },
                    E820_RAM,
                ));
                has_ram = true;
            }
        }
        if !has_ram {
            return Err(Error::NoRam);
        }
        all.sort_by_key(|(s, _)| s.start);
        let merged = merge(all.into_iter());
        if merged.len() > MAX_E820_ENTRIES {
            return Err(Error::TooMany {
                what: "e820 entries",
                count: merged.len(),
                max: MAX_E820_ENTRIES,
            });
        }
        let entries = merged
            .into_iter()
            .map(|(s, type_)| boot_e820_entry {
                addr: s.start,
                size: s.end.saturating_sub(s.start),
                type_,
            })
            .collect();
        Ok(Self { entries })
    }

    /// Every entry, sorted by address.
    pub fn entries(&self) -> &[boot_e820_entry] {
        &self.entries
    }

    /// The entries that go into the zero page's `e820_table` (the first 128).
    pub fn zero_page_entries(&self) -> &[boot_e820_entry] {
        self.entries
            .get(..E820_MAX_ENTRIES_ZEROPAGE)
            .unwrap_or(&self.entries)
    }

    /// The entries past the first 128, for a `SETUP_E820_EXT` node (empty when all fit).
    pub fn overflow_entries(&self) -> &[boot_e820_entry] {
        self.entries
            .get(E820_MAX_ENTRIES_ZEROPAGE..)
            .unwrap_or_default()
    }

    /// The same table as a PVH memory map (the e820 and `XEN_HVM_MEMMAP_TYPE_*` values agree).
    pub fn to_memmap(&self) -> Vec<hvm_memmap_table_entry> {
        self.entries
            .iter()
            .map(|e| hvm_memmap_table_entry {
                addr: e.addr,
                size: e.size,
                type_: e.type_,
                reserved: 0,
            })
            .collect()
    }

    /// The usable RAM ranges (`E820_RAM` entries), sorted.
    pub fn usable_ram(&self) -> impl Iterator<Item = GuestRange> + '_ {
        self.entries
            .iter()
            .filter(|e| e.type_ == E820_RAM)
            .map(|e| GuestRange::new(GuestAddress(e.addr), e.size))
    }

    /// Whether `range` lies inside one usable RAM entry.
    pub fn contains_ram(&self, range: GuestRange) -> bool {
        self.usable_ram().any(|ram| ram.contains_range(&range))
    }
}

/// Merges sorted spans: overlapping or touching spans of one type become one.
fn merge(spans: impl Iterator<Item = (Span, u32)>) -> Vec<(Span, u32)> {
    let mut out: Vec<(Span, u32)> = Vec::new();
    for (s, t) in spans {
        if let Some((last, lt)) = out.last_mut() {
            if *lt == t && s.start <= last.end {
                last.end = last.end.max(s.end);
                continue;
            }
        }
        out.push((s, t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bootparam::{E820_ACPI, E820_NVS};

    fn e(addr: u64, size: u64, type_: u32) -> boot_e820_entry {
        boot_e820_entry { addr, size, type_ }
    }

    fn g(a: u64) -> GuestAddress {
        GuestAddress(a)
    }

    #[test]
    fn sorts_merges_and_keeps_holes() {
        let map = MemoryMap::new()
            .with_ram(g(0x1_0000_0000), 0x1000_0000)
            .with_ram(g(0), 0x8000_0000)
            .with_ram(g(0x4000_0000), 0x4000_0000) // overlaps the first: merged
            .with_ram(g(0x8000_0000), 0x1000_0000) // touches: merged
            .with_e820_reserved(g(0x9_fc00), 0x6_0400)
            .with_e820_reserved(g(0xfec0_0000), 0x1000); // outside RAM: kept as its own entry
        let t = E820Table::build(&map).unwrap();
        assert_eq!(
            t.entries(),
            &[
                e(0, 0x9_fc00, E820_RAM),
                e(0x9_fc00, 0x6_0400, E820_RESERVED),
                e(0x10_0000, 0x9000_0000 - 0x10_0000, E820_RAM),
                e(0xfec0_0000, 0x1000, E820_RESERVED),
                e(0x1_0000_0000, 0x1000_0000, E820_RAM),
            ]
        );
        assert_eq!(t.overflow_entries(), &[]);
        assert_eq!(t.zero_page_entries().len(), 5);
    }

    #[test]
    fn reserved_overlaps_need_one_type() {
        let same = MemoryMap::new()
            .with_ram(g(0), 0x10_0000)
            .with_e820_reserved(g(0x1000), 0x2000)
            .with_e820_reserved(g(0x2000), 0x2000);
        assert_eq!(
            E820Table::build(&same).unwrap().entries(),
            &[
                e(0, 0x1000, E820_RAM),
                e(0x1000, 0x3000, E820_RESERVED),
                e(0x4000, 0x10_0000 - 0x4000, E820_RAM),
            ]
        );
        let differ = MemoryMap::new()
            .with_ram(g(0), 0x10_0000)
            .with_reserved(g(0x1000), 0x2000, E820_ACPI)
            .with_reserved(g(0x2000), 0x2000, E820_NVS);
        assert_eq!(
            E820Table::build(&differ),
            Err(Error::RangesOverlap {
                first: RangeName::Reserved(0),
                first_start: 0x1000,
                first_end: 0x3000,
                second: RangeName::Reserved(1),
                second_start: 0x2000,
                second_end: 0x4000,
            })
        );
    }

    #[test]
    fn input_errors() {
        assert_eq!(E820Table::build(&MemoryMap::new()), Err(Error::NoRam));
        let all_reserved = MemoryMap::new()
            .with_ram(g(0), 0x1000)
            .with_e820_reserved(g(0), 0x1000);
        assert_eq!(E820Table::build(&all_reserved), Err(Error::NoRam));
        let overflow = MemoryMap::new().with_ram(g(u64::MAX), 2);
        assert_eq!(
            E820Table::build(&overflow),
            Err(Error::AddressOverflow {
                name: RangeName::Ram(0),
                start: u64::MAX,
                len: 2
            })
        );
        let ram_typed = MemoryMap::new()
            .with_ram(g(0), 0x1000)
            .with_reserved(g(0), 0x10, E820_RAM);
        assert_eq!(
            E820Table::build(&ram_typed),
            Err(Error::InvalidReservedType { index: 0, type_: 1 })
        );
        let mut many = MemoryMap::new();
        many.ram = vec![GuestRange::new(g(0), 1); MAX_RAM_REGIONS + 1];
        assert_eq!(
            E820Table::build(&many),
            Err(Error::TooMany {
                what: "RAM regions",
                count: MAX_RAM_REGIONS + 1,
                max: MAX_RAM_REGIONS
            })
        );
    }

    #[test]
    fn more_than_128_entries_overflow() {
        let mut map = MemoryMap::new().with_ram(g(0), 0x1000_0000);
        for i in 0..100u64 {
            map = map.with_e820_reserved(g(0x10_0000 + i * 0x2000), 0x1000);
        }
        let t = E820Table::build(&map).unwrap();
        assert_eq!(t.entries().len(), 201);
        assert_eq!(t.zero_page_entries().len(), 128);
        assert_eq!(t.overflow_entries().len(), 73);
        assert_eq!(t.overflow_entries()[0], t.entries()[128]);
        assert_eq!(t.to_memmap().len(), 201);
    }
}
