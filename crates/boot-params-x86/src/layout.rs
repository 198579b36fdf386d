// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The layout planner: one call that places every x86 boot structure for a loaded kernel and a
//! memory map, and one writer that puts them into guest memory.
//!
//! [`LayoutPlanner::plan`] is pure: from the kernel's [`KernelLoaderResult`], its setup header
//! (or the vmlinux defaults), the [`MemoryMap`], the command line, the initrd's size and optional
//! `setup_data` payloads, it returns an [`X86Layout`]: every range by name, the bytes to write,
//! the e820 table, and the vCPU [`EntryState`]. Any range outside usable RAM, above what the
//! protocol can reach, or overlapping another range (the kernel's needed-free range, a reserved
//! or VMM-occupied range, another structure) is an error naming both ranges.
//!
//! # Default placement policy
//!
//! Each address can be overridden; the defaults are the ones Firecracker and Cloud Hypervisor
//! use, so a layout can replace their hand-written code without moving anything:
//!
//! | structure | protocol | default address |
//! |---|---|---|
//! | zero page (`boot_params`) | Linux | [`DEFAULT_ZERO_PAGE`] 0x7000 |
//! | command line | all | [`DEFAULT_CMDLINE`] 0x20000 |
//! | `setup_data` chain | Linux | right after the command line, 8-byte aligned |
//! | `hvm_start_info` | PVH | [`DEFAULT_START_INFO`] 0x6000 |
//! | module list | PVH | [`DEFAULT_MODLIST`] 0x6040 |
//! | memory map | PVH | [`DEFAULT_MEMMAP`] 0x7000 |
//! | initrd | all | highest 4 KiB-aligned free range of usable RAM at or above 1 MiB that ends below the kernel's limit |
//!
//! The initrd limit is `initrd_addr_max` (and 4 GiB); for the 64-bit protocol with
//! `XLF_CAN_BE_LOADED_ABOVE_4G` there is none. Structures must end below 4 GiB except for the
//! 64-bit protocol with that flag. The `setup_data` chain holds, in order, `SETUP_E820_EXT` (when
//! the e820 table has more than 128 entries), `SETUP_DTB`, `SETUP_RNG_SEED` and the VMM's own
//! entries.

use core::fmt;

use loader_core::configurator::BootParams;
use loader_core::{GuestRange, KernelLoaderResult, PlanSummary, SegmentSource};
use vm_memory::{GuestAddress, GuestMemoryBackend};
use zerocopy::IntoBytes;

use crate::bootparam::{
    E820_ACPI, E820_NVS, E820_PMEM, E820_PRAM, E820_RAM, E820_RESERVED, E820_UNUSABLE, SETUP_DTB,
    SETUP_E820_EXT, SETUP_RNG_SEED, XLF_CAN_BE_LOADED_ABOVE_4G, ZERO_PAGE_SIZE, boot_params,
    setup_header,
};
use crate::e820::{E820Table, MemoryMap};
use crate::error::{Error, RangeName, WriteError};
use crate::initrd::{INITRD_ALIGN, INITRD_MIN_ADDR, load_initrd, place_initrd};
use crate::limits::{MAX_OCCUPIED_RANGES, MAX_PVH_MEMMAP_ENTRIES};
use crate::linux::LinuxBootConfigurator;
use crate::pvh::StartInfoBuilder;
use crate::pvh::{MEMMAP_ENTRY_SIZE, MODLIST_ENTRY_SIZE, PvhBootConfigurator, START_INFO_SIZE};
use crate::setup_data::{PlacedSetupData, SETUP_DATA_ALIGN, SetupDataChain, SetupDataEntry};
use crate::setup_data::{align_up, u64_of};
use crate::writer::{self, Blob, checked_range};
use crate::zero_page::{
    PROTOCOL_SETUP_DATA, ZeroPageBuilder, check_protocol, cmdline_bytes, initrd_addr_max,
    vmlinux_setup_header,
};

/// Default address of the zero page.
pub const DEFAULT_ZERO_PAGE: GuestAddress = GuestAddress(0x7000);
/// Default address of the command line.
pub const DEFAULT_CMDLINE: GuestAddress = GuestAddress(0x2_0000);
/// Default address of `hvm_start_info`.
pub const DEFAULT_START_INFO: GuestAddress = GuestAddress(0x6000);
/// Default address of the PVH module list.
pub const DEFAULT_MODLIST: GuestAddress = GuestAddress(0x6040);
/// Default address of the PVH memory map.
pub const DEFAULT_MEMMAP: GuestAddress = GuestAddress(0x7000);

/// First address above the 32-bit space.
const FOUR_GIB: u64 = 1 << 32;

/// The boot protocol a layout is planned for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BootProtocol {
    /// 64-bit entry: long mode, identity-mapped, `%rsi` = zero page.
    Linux64,
    /// 32-bit entry: flat protected mode, `%esi` = zero page.
    Linux32,
    /// PVH entry: 32-bit protected mode, paging off, `%ebx` = `hvm_start_info`.
    Pvh,
}

impl fmt::Display for BootProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BootProtocol::Linux64 => "64-bit Linux",
            BootProtocol::Linux32 => "32-bit Linux",
            BootProtocol::Pvh => "PVH",
        })
    }
}

/// The register state a vCPU needs at kernel entry, as data (segment, paging and control
/// register setup follow from the protocol and are the VMM's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryState {
    /// 64-bit Linux boot protocol.
    Linux64 {
        /// Entry point.
        rip: u64,
        /// Guest address of the zero page.
        rsi: u64,
    },
    /// 32-bit Linux boot protocol.
    Linux32 {
        /// Entry point.
        eip: u32,
        /// Guest address of the zero page.
        esi: u32,
    },
    /// PVH.
    Pvh {
        /// Entry point (`XEN_ELFNOTE_PHYS32_ENTRY`).
        eip: u32,
        /// Guest address of `hvm_start_info`.
        ebx: u32,
    },
}

impl fmt::Display for EntryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryState::Linux64 { rip, rsi } => write!(f, "Linux64 rip={rip:#x} rsi={rsi:#x}"),
            EntryState::Linux32 { eip, esi } => write!(f, "Linux32 eip={eip:#x} esi={esi:#x}"),
            EntryState::Pvh { eip, ebx } => write!(f, "Pvh eip={eip:#x} ebx={ebx:#x}"),
        }
    }
}

/// A guest range with its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedRange {
    /// What the range holds.
    pub name: RangeName,
    /// Where it is.
    pub range: GuestRange,
}

/// Plans an [`X86Layout`]. Configure with the builder methods, then call
/// [`LayoutPlanner::plan`].
#[derive(Clone, Debug)]
pub struct LayoutPlanner {
    kernel: KernelLoaderResult,
    memory: MemoryMap,
    header: Option<setup_header>,
    protocol: Option<BootProtocol>,
    cmdline: Vec<u8>,
    initrd_size: Option<u64>,
    rng_seed: Option<Vec<u8>>,
    dtb: Option<Vec<u8>>,
    extra_setup_data: Vec<SetupDataEntry>,
    occupied: Vec<GuestRange>,
    acpi_rsdp: Option<GuestAddress>,
    vid_mode: Option<u16>,
    zero_page_at: Option<GuestAddress>,
    cmdline_at: Option<GuestAddress>,
    setup_data_at: Option<GuestAddress>,
    initrd_at: Option<GuestAddress>,
    start_info_at: Option<GuestAddress>,
    memmap_at: Option<GuestAddress>,
    modlist_at: Option<GuestAddress>,
}

impl LayoutPlanner {
    /// A planner for `kernel` (as a loader returned it) in guest memory described by `memory`.
    pub fn new(kernel: KernelLoaderResult, memory: MemoryMap) -> Self {
        Self {
            kernel,
            memory,
            header: None,
            protocol: None,
            cmdline: Vec::new(),
            initrd_size: None,
            rng_seed: None,
            dtb: None,
            extra_setup_data: Vec::new(),
            occupied: Vec::new(),
            acpi_rsdp: None,
            vid_mode: None,
            zero_page_at: None,
            cmdline_at: None,
            setup_data_at: None,
            initrd_at: None,
            start_info_at: None,
            memmap_at: None,
            modlist_at: None,
        }
    }

    /// The kernel's setup header (from a bzImage). Without one, [`vmlinux_setup_header`] is used.
    pub fn setup_header(mut self, hdr: setup_header) -> Self {
        self.header = Some(hdr);
        self
    }

    /// The boot protocol. Default: 64-bit if the kernel has that entry point, else PVH, else
    /// 32-bit.
    pub fn protocol(mut self, protocol: BootProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// The command line, without its NUL.
    pub fn cmdline(mut self, cmdline: &[u8]) -> Self {
        self.cmdline = cmdline.to_vec();
        self
    }

    /// The command line as a C string.
    pub fn cmdline_cstr(self, cmdline: &core::ffi::CStr) -> Self {
        self.cmdline(cmdline.to_bytes())
    }

    /// Plans an initrd of `size` bytes (its bytes come later, to [`X86Layout::write_with_initrd`]).
    pub fn initrd_size(mut self, size: u64) -> Self {
        self.initrd_size = Some(size);
        self
    }

    /// Boot entropy, passed as `SETUP_RNG_SEED` (Linux protocols only).
    pub fn rng_seed(mut self, seed: &[u8]) -> Self {
        self.rng_seed = Some(seed.to_vec());
        self
    }

    /// A device tree blob, passed as `SETUP_DTB` (Linux protocols only).
    pub fn dtb(mut self, dtb: &[u8]) -> Self {
        self.dtb = Some(dtb.to_vec());
        self
    }

    /// Another `setup_data` entry, appended after the built-in ones (Linux protocols only).
    pub fn setup_data_entry(mut self, entry: SetupDataEntry) -> Self {
        self.extra_setup_data.push(entry);
        self
    }

    /// A range the VMM writes itself (page tables, GDT, ACPI tables) that must stay clear.
    pub fn occupied(mut self, range: GuestRange) -> Self {
        self.occupied.push(range);
        self
    }

    /// Guest address of the ACPI RSDP (`acpi_rsdp_addr` / `rsdp_paddr`).
    pub fn acpi_rsdp(mut self, addr: GuestAddress) -> Self {
        self.acpi_rsdp = Some(addr);
        self
    }

    /// `vid_mode` for the zero page (default: the header's own).
    pub fn vid_mode(mut self, mode: u16) -> Self {
        self.vid_mode = Some(mode);
        self
    }

    /// Puts the zero page at `addr` instead of [`DEFAULT_ZERO_PAGE`].
    pub fn zero_page_at(mut self, addr: GuestAddress) -> Self {
        self.zero_page_at = Some(addr);
        self
    }

    /// Puts the command line at `addr` instead of [`DEFAULT_CMDLINE`].
    pub fn cmdline_at(mut self, addr: GuestAddress) -> Self {
        self.cmdline_at = Some(addr);
        self
    }

    /// Starts the `setup_data` chain at `addr` (8-byte aligned) instead of after the command line.
    pub fn setup_data_at(mut self, addr: GuestAddress) -> Self {
        self.setup_data_at = Some(addr);
        self
    }

    /// Puts the initrd at `addr` (4 KiB aligned) instead of choosing.
    pub fn initrd_at(mut self, addr: GuestAddress) -> Self {
        self.initrd_at = Some(addr);
        self
    }

    /// Puts `hvm_start_info` at `addr` instead of [`DEFAULT_START_INFO`].
    pub fn start_info_at(mut self, addr: GuestAddress) -> Self {
        self.start_info_at = Some(addr);
        self
    }

    /// Puts the PVH memory map at `addr` instead of [`DEFAULT_MEMMAP`].
    pub fn memmap_at(mut self, addr: GuestAddress) -> Self {
        self.memmap_at = Some(addr);
        self
    }

    /// Puts the PVH module list at `addr` instead of [`DEFAULT_MODLIST`].
    pub fn modlist_at(mut self, addr: GuestAddress) -> Self {
        self.modlist_at = Some(addr);
        self
    }

    fn resolve_protocol(&self) -> Result<(BootProtocol, GuestAddress), Error> {
        let entry = &self.kernel.entry;
        let protocol = match self.protocol {
            Some(p) => p,
            None if entry.linux_64.is_some() => BootProtocol::Linux64,
            None if entry.pvh.is_some() => BootProtocol::Pvh,
            None => BootProtocol::Linux32,
        };
        let addr = match protocol {
            BootProtocol::Linux64 => entry.linux_64,
            BootProtocol::Linux32 => entry.linux_32,
            BootProtocol::Pvh => entry.pvh,
        };
        addr.map(|a| (protocol, a))
            .ok_or(Error::NoEntryPoint { protocol })
    }

    /// Places everything and builds the bytes.
    ///
    /// # Errors
    ///
    /// Input errors of the builders ([`Error::UnsupportedProtocol`], [`Error::CmdlineTooLong`],
    /// [`Error::CmdlineHasNul`], the e820 and `setup_data` errors, [`Error::TooMany`]),
    /// [`Error::NoEntryPoint`], [`Error::NotForPvh`], and placement errors:
    /// [`Error::NotInRam`], [`Error::Above4G`], [`Error::RangesOverlap`], [`Error::Misaligned`],
    /// [`Error::InitrdDoesNotFit`], [`Error::InitrdAboveMax`], [`Error::EntryAbove4G`].
    pub fn plan(&self) -> Result<X86Layout, Error> {
        let e820 = E820Table::build(&self.memory)?;
        if self.occupied.len() > MAX_OCCUPIED_RANGES {
            return Err(Error::TooMany {
                what: "occupied ranges",
                count: self.occupied.len(),
                max: MAX_OCCUPIED_RANGES,
            });
        }
        let hdr = self.header.unwrap_or_else(vmlinux_setup_header);
        let version = check_protocol(&hdr)?;
        let (protocol, entry_addr) = self.resolve_protocol()?;
        let above_4g =
            protocol == BootProtocol::Linux64 && hdr.has_xloadflag(XLF_CAN_BE_LOADED_ABOVE_4G);
        let cmdline = cmdline_bytes(&hdr, &self.cmdline)?;

        // Fixed ranges first: the kernel, then the VMM's own.
        let kernel = self.kernel.needs_free.hull(&self.kernel.loaded);
        let mut fixed: Vec<(RangeName, GuestRange)> = vec![(RangeName::Kernel, kernel)];
        for (i, r) in self.occupied.iter().enumerate() {
            fixed.push((
                RangeName::Occupied(i),
                checked_range(RangeName::Occupied(i), r.start, r.len)?,
            ));
        }

        // Structures, each with its address.
        let mut structures: Vec<(RangeName, GuestRange)> = Vec::new();
        let cmdline_range = checked_range(
            RangeName::Cmdline,
            self.cmdline_at.unwrap_or(DEFAULT_CMDLINE),
            u64_of(cmdline.len()),
        )?;
        let mut zero_page = None;
        let mut setup_data = Vec::new();
        let mut start_info = None;
        let mut memmap = None;
        let mut modlist = None;
        match protocol {
            BootProtocol::Linux64 | BootProtocol::Linux32 => {
                let zp = checked_range(
                    RangeName::ZeroPage,
                    self.zero_page_at.unwrap_or(DEFAULT_ZERO_PAGE),
                    u64_of(ZERO_PAGE_SIZE),
                )?;
                structures.push((RangeName::ZeroPage, zp));
                zero_page = Some(zp);
                structures.push((RangeName::Cmdline, cmdline_range));
                let chain = self.setup_data_chain(&e820);
                if !chain.is_empty() && version < PROTOCOL_SETUP_DATA {
                    return Err(Error::SetupDataUnsupported { version });
                }
                let start = self.setup_data_at.unwrap_or(GuestAddress(align_up(
                    cmdline_range.end_or_max(),
                    SETUP_DATA_ALIGN,
                )));
                setup_data = chain.place(start)?;
                for (i, node) in setup_data.iter().enumerate() {
                    structures.push((RangeName::SetupData(i), node.range));
                }
            }
            BootProtocol::Pvh => {
                if self.rng_seed.is_some() {
                    return Err(Error::NotForPvh {
                        what: "an RNG seed",
                    });
                }
                if self.dtb.is_some() {
                    return Err(Error::NotForPvh {
                        what: "a device tree",
                    });
                }
                if !self.extra_setup_data.is_empty() {
                    return Err(Error::NotForPvh { what: "setup_data" });
                }
                let entries = e820.entries().len();
                if entries > MAX_PVH_MEMMAP_ENTRIES {
                    return Err(Error::TooMany {
                        what: "PVH memory map entries",
                        count: entries,
                        max: MAX_PVH_MEMMAP_ENTRIES,
                    });
                }
                let si = checked_range(
                    RangeName::StartInfo,
                    self.start_info_at.unwrap_or(DEFAULT_START_INFO),
                    u64_of(START_INFO_SIZE),
                )?;
                structures.push((RangeName::StartInfo, si));
                start_info = Some(si);
                if self.initrd_size.is_some() {
                    let ml = checked_range(
                        RangeName::Modlist,
                        self.modlist_at.unwrap_or(DEFAULT_MODLIST),
                        u64_of(MODLIST_ENTRY_SIZE),
                    )?;
                    structures.push((RangeName::Modlist, ml));
                    modlist = Some(ml);
                }
                let mm = checked_range(
                    RangeName::Memmap,
                    self.memmap_at.unwrap_or(DEFAULT_MEMMAP),
                    u64_of(entries.saturating_mul(MEMMAP_ENTRY_SIZE)),
                )?;
                structures.push((RangeName::Memmap, mm));
                memmap = Some(mm);
                structures.push((RangeName::Cmdline, cmdline_range));
            }
        }
        for &(name, range) in &structures {
            self.check_placed(&e820, name, range, protocol, above_4g)?;
        }
        let mut all: Vec<(RangeName, GuestRange)> = fixed.clone();
        all.extend_from_slice(&structures);
        writer::check_disjoint(&all)?;

        // The initrd, around everything else.
        let initrd = match self.initrd_size {
            None => None,
            Some(size) => {
                let limit = if above_4g {
                    u64::MAX
                } else {
                    initrd_addr_max(&hdr).min(FOUR_GIB.saturating_sub(1))
                };
                let range = match self.initrd_at {
                    Some(addr) => {
                        if size == 0 {
                            return Err(Error::InitrdEmpty);
                        }
                        if addr.0 % INITRD_ALIGN != 0 {
                            return Err(Error::Misaligned {
                                name: RangeName::Initrd,
                                addr: addr.0,
                                align: INITRD_ALIGN,
                            });
                        }
                        let r = checked_range(RangeName::Initrd, addr, size)?;
                        self.check_in_ram(&e820, RangeName::Initrd, r)?;
                        if r.last().is_some_and(|last| last.0 > limit) {
                            return Err(Error::InitrdAboveMax {
                                start: r.start.0,
                                end: r.end_or_max(),
                                max: limit,
                            });
                        }
                        r
                    }
                    None => {
                        let avoid: Vec<GuestRange> = all.iter().map(|&(_, r)| r).collect();
                        place_initrd(
                            size,
                            &e820,
                            &avoid,
                            INITRD_MIN_ADDR,
                            limit.saturating_add(1),
                        )?
                    }
                };
                all.push((RangeName::Initrd, range));
                writer::check_disjoint(&all)?;
                Some(range)
            }
        };

        // Bytes and entry state.
        let (zero_page_params, pvh_params, entry) = match protocol {
            BootProtocol::Linux64 | BootProtocol::Linux32 => {
                let zp = zero_page.map_or(DEFAULT_ZERO_PAGE, |r| r.start);
                let mut builder = ZeroPageBuilder::new(hdr)
                    .cmdline(cmdline_range.start, self.cmdline.len())
                    .e820(e820.zero_page_entries());
                if let Some(r) = initrd {
                    builder = builder.initrd(r);
                }
                if let Some(first) = setup_data.first() {
                    builder = builder.setup_data(first.range.start);
                }
                if let Some(mode) = self.vid_mode {
                    builder = builder.vid_mode(mode);
                }
                if let Some(rsdp) = self.acpi_rsdp {
                    builder = builder.acpi_rsdp(rsdp);
                }
                let params = builder.build()?;
                let entry = if protocol == BootProtocol::Linux64 {
                    EntryState::Linux64 {
                        rip: entry_addr.0,
                        rsi: zp.0,
                    }
                } else {
                    EntryState::Linux32 {
                        eip: reg32(protocol, "entry point", entry_addr.0)?,
                        esi: reg32(protocol, "zero page", zp.0)?,
                    }
                };
                (Some(params), None, entry)
            }
            BootProtocol::Pvh => {
                let si = start_info.map_or(DEFAULT_START_INFO, |r| r.start);
                let mm = memmap.map_or(DEFAULT_MEMMAP, |r| r.start);
                let mut builder = StartInfoBuilder::new()
                    .cmdline(cmdline_range.start)
                    .memmap(e820.to_memmap());
                if let Some(rsdp) = self.acpi_rsdp {
                    builder = builder.rsdp(rsdp);
                }
                if let Some(r) = initrd {
                    builder = builder.module(r.start, r.len);
                }
                let params = builder.build(si, mm, modlist.map(|r| r.start))?;
                let entry = EntryState::Pvh {
                    eip: reg32(protocol, "entry point", entry_addr.0)?,
                    ebx: reg32(protocol, "hvm_start_info", si.0)?,
                };
                (None, Some(params), entry)
            }
        };

        Ok(X86Layout {
            protocol,
            entry,
            kernel,
            zero_page,
            cmdline: cmdline_range,
            cmdline_bytes: cmdline,
            setup_data,
            initrd,
            start_info,
            memmap,
            modlist,
            occupied: self.occupied.clone(),
            e820,
            zero_page_params,
            pvh_params,
        })
    }

    fn setup_data_chain(&self, e820: &E820Table) -> SetupDataChain {
        let mut chain = SetupDataChain::new();
        if !e820.overflow_entries().is_empty() {
            chain.push(SetupDataEntry::e820_ext(e820.overflow_entries()));
        }
        if let Some(dtb) = &self.dtb {
            chain.push(SetupDataEntry::dtb(dtb));
        }
        if let Some(seed) = &self.rng_seed {
            chain.push(SetupDataEntry::rng_seed(seed));
        }
        for entry in &self.extra_setup_data {
            chain.push(entry.clone());
        }
        chain
    }

    /// Inside usable RAM (a reserved range in the way is named) and reachable.
    fn check_placed(
        &self,
        e820: &E820Table,
        name: RangeName,
        range: GuestRange,
        protocol: BootProtocol,
        above_4g: bool,
    ) -> Result<(), Error> {
        self.check_in_ram(e820, name, range)?;
        if !above_4g && range.end_or_max() > FOUR_GIB {
            return Err(Error::Above4G {
                name,
                start: range.start.0,
                end: range.end_or_max(),
                protocol,
            });
        }
        Ok(())
    }

    fn check_in_ram(
        &self,
        e820: &E820Table,
        name: RangeName,
        range: GuestRange,
    ) -> Result<(), Error> {
        for (i, res) in self.memory.reserved.iter().enumerate() {
            if res.range.overlaps(&range) {
                return Err(Error::RangesOverlap {
                    first: name,
                    first_start: range.start.0,
                    first_end: range.end_or_max(),
                    second: RangeName::Reserved(i),
                    second_start: res.range.start.0,
                    second_end: res.range.end_or_max(),
                });
            }
        }
        if range.is_empty() || e820.contains_ram(range) {
            Ok(())
        } else {
            Err(Error::NotInRam {
                name,
                start: range.start.0,
                end: range.end_or_max(),
            })
        }
    }
}

fn reg32(protocol: BootProtocol, what: &'static str, addr: u64) -> Result<u32, Error> {
    u32::try_from(addr).map_err(|_| Error::EntryAbove4G {
        protocol,
        what,
        addr,
    })
}

/// Everything the kernel reads at entry, placed: a typed map of ranges, the bytes to write, the
/// e820 table, and the vCPU entry state.
///
/// Produced by [`LayoutPlanner::plan`]; read-only, so the bytes always match the ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct X86Layout {
    protocol: BootProtocol,
    entry: EntryState,
    kernel: GuestRange,
    zero_page: Option<GuestRange>,
    cmdline: GuestRange,
    cmdline_bytes: Vec<u8>,
    setup_data: Vec<PlacedSetupData>,
    initrd: Option<GuestRange>,
    start_info: Option<GuestRange>,
    memmap: Option<GuestRange>,
    modlist: Option<GuestRange>,
    occupied: Vec<GuestRange>,
    e820: E820Table,
    zero_page_params: Option<boot_params>,
    pvh_params: Option<BootParams>,
}

impl X86Layout {
    /// The protocol the layout is for.
    pub fn protocol(&self) -> BootProtocol {
        self.protocol
    }

    /// The vCPU registers the kernel expects at entry.
    pub fn entry(&self) -> EntryState {
        self.entry
    }

    /// The kernel's needed-free range (left alone, not written).
    pub fn kernel(&self) -> GuestRange {
        self.kernel
    }

    /// The zero page (Linux protocols).
    pub fn zero_page(&self) -> Option<GuestRange> {
        self.zero_page
    }

    /// The command line, NUL included.
    pub fn cmdline(&self) -> GuestRange {
        self.cmdline
    }

    /// The `setup_data` nodes in chain order (Linux protocols).
    pub fn setup_data(&self) -> &[PlacedSetupData] {
        &self.setup_data
    }

    /// The initrd.
    pub fn initrd(&self) -> Option<GuestRange> {
        self.initrd
    }

    /// `hvm_start_info` (PVH).
    pub fn start_info(&self) -> Option<GuestRange> {
        self.start_info
    }

    /// The PVH memory map.
    pub fn memmap(&self) -> Option<GuestRange> {
        self.memmap
    }

    /// The PVH module list (when there is an initrd).
    pub fn modlist(&self) -> Option<GuestRange> {
        self.modlist
    }

    /// The e820 table (the zero page holds its first 128 entries; PVH gets it as the memory
    /// map).
    pub fn e820(&self) -> &E820Table {
        &self.e820
    }

    /// The zero page's contents (Linux protocols).
    pub fn zero_page_params(&self) -> Option<&boot_params> {
        self.zero_page_params.as_ref()
    }

    /// The structures in upstream's [`BootParams`] shape, for
    /// [`LinuxBootConfigurator`] (the zero page) or
    /// [`PvhBootConfigurator`] (start info, memory map, module list). The command line and the
    /// `setup_data` chain are not part of it; [`X86Layout::write`] writes everything.
    pub fn boot_params(&self) -> BootParams {
        match (&self.pvh_params, &self.zero_page_params) {
            (Some(p), _) => p.clone(),
            (None, Some(zp)) => {
                BootParams::new(zp, self.zero_page.map_or(DEFAULT_ZERO_PAGE, |r| r.start))
            }
            (None, None) => BootParams::new(&boot_params::default(), DEFAULT_ZERO_PAGE),
        }
    }

    /// Every range by name: the kernel, VMM-occupied ranges, structures, initrd.
    pub fn ranges(&self) -> Vec<NamedRange> {
        let mut out = vec![NamedRange {
            name: RangeName::Kernel,
            range: self.kernel,
        }];
        for (i, r) in self.occupied.iter().enumerate() {
            out.push(NamedRange {
                name: RangeName::Occupied(i),
                range: *r,
            });
        }
        let mut push = |name, range: Option<GuestRange>| {
            if let Some(range) = range {
                out.push(NamedRange { name, range });
            }
        };
        push(RangeName::ZeroPage, self.zero_page);
        push(RangeName::StartInfo, self.start_info);
        push(RangeName::Modlist, self.modlist);
        push(RangeName::Memmap, self.memmap);
        push(RangeName::Cmdline, Some(self.cmdline));
        for (i, node) in self.setup_data.iter().enumerate() {
            push(RangeName::SetupData(i), Some(node.range));
        }
        push(RangeName::Initrd, self.initrd);
        out
    }

    /// The bytes this layout writes (everything but the initrd), in write order.
    fn blobs(&self) -> Vec<Blob<'_>> {
        let mut blobs = Vec::new();
        if let (Some(zp), Some(params)) = (self.zero_page, &self.zero_page_params) {
            blobs.push(Blob {
                name: RangeName::ZeroPage,
                start: zp.start,
                bytes: params.as_bytes(),
            });
        }
        if let Some(p) = &self.pvh_params {
            if let (Some(bytes), Some(start)) = (&p.sections, p.sections_start) {
                blobs.push(Blob {
                    name: RangeName::Memmap,
                    start,
                    bytes,
                });
            }
            blobs.push(Blob {
                name: RangeName::StartInfo,
                start: p.header_start,
                bytes: &p.header,
            });
            if let (Some(bytes), Some(start)) = (&p.modules, p.modules_start) {
                blobs.push(Blob {
                    name: RangeName::Modlist,
                    start,
                    bytes,
                });
            }
        }
        blobs.push(Blob {
            name: RangeName::Cmdline,
            start: self.cmdline.start,
            bytes: &self.cmdline_bytes,
        });
        for (i, node) in self.setup_data.iter().enumerate() {
            blobs.push(Blob {
                name: RangeName::SetupData(i),
                start: node.range.start,
                bytes: &node.bytes,
            });
        }
        blobs
    }

    /// Checks, without writing, that every structure is backed by `mem`, that no two ranges
    /// (structures, kernel, initrd, VMM-occupied) overlap, and that the zero page or PVH
    /// structures pass their configurator's checks.
    ///
    /// # Errors
    ///
    /// [`Error::OutsideMemory`], [`Error::RangesOverlap`], and the configurators' errors.
    pub fn validate<M: GuestMemoryBackend>(&self, mem: &M) -> Result<(), Error> {
        let mut others = vec![(RangeName::Kernel, self.kernel)];
        for (i, r) in self.occupied.iter().enumerate() {
            others.push((RangeName::Occupied(i), *r));
        }
        if let Some(r) = self.initrd {
            others.push((RangeName::Initrd, r));
        }
        writer::validate(mem, &self.blobs(), &others)?;
        match &self.pvh_params {
            Some(p) => PvhBootConfigurator::validate(p, mem),
            None => LinuxBootConfigurator::validate(&self.boot_params(), mem),
        }
    }

    /// Writes every boot structure (not the initrd) into `mem`, after [`X86Layout::validate`]:
    /// a rejected layout leaves guest memory byte-identical.
    ///
    /// # Errors
    ///
    /// Those of [`X86Layout::validate`], and [`Error::GuestWrite`] if guest memory refuses a
    /// validated write.
    pub fn write<M: GuestMemoryBackend>(&self, mem: &M) -> Result<(), Error> {
        self.validate(mem)?;
        writer::write_validated(mem, &self.blobs())
    }

    /// Loads the initrd from `source` through loader-core's executor, then writes every boot
    /// structure.
    ///
    /// Everything is checked first: the structures as in [`X86Layout::validate`], the initrd
    /// segment by the executor, and a seekable source's length against the planned size. A
    /// forward-only source ([`loader_core::StreamSource`]) cannot be measured up front: if it
    /// ends early, part of the initrd range is written and no boot structure is.
    ///
    /// # Errors
    ///
    /// [`WriteError::Boot`] with [`Error::NoInitrdPlanned`], [`Error::InitrdSizeMismatch`] or a
    /// validation error; [`WriteError::Initrd`] from the executor.
    pub fn write_with_initrd<M: GuestMemoryBackend, S: SegmentSource>(
        &self,
        mem: &M,
        source: &mut S,
    ) -> Result<PlanSummary, WriteError> {
        let initrd = self.initrd.ok_or(Error::NoInitrdPlanned)?;
        self.validate(mem)?;
        let summary = load_initrd(mem, initrd, source)?;
        writer::write_validated(mem, &self.blobs())?;
        Ok(summary)
    }
}

fn e820_type_name(type_: u32) -> String {
    match type_ {
        E820_RAM => "RAM".to_owned(),
        E820_RESERVED => "reserved".to_owned(),
        E820_ACPI => "ACPI".to_owned(),
        E820_NVS => "NVS".to_owned(),
        E820_UNUSABLE => "unusable".to_owned(),
        E820_PMEM => "PMEM".to_owned(),
        E820_PRAM => "PRAM".to_owned(),
        other => format!("type {other}"),
    }
}

fn setup_type_name(type_: u32) -> String {
    match type_ {
        SETUP_E820_EXT => "SETUP_E820_EXT".to_owned(),
        SETUP_DTB => "SETUP_DTB".to_owned(),
        SETUP_RNG_SEED => "SETUP_RNG_SEED".to_owned(),
        other => format!("type {other:#x}"),
    }
}

/// A stable text rendering (ranges, entry state, e820 table, the fields written), used by the
/// golden-layout tests.
impl fmt::Display for X86Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "protocol: {}", self.protocol)?;
        writeln!(f, "entry: {}", self.entry)?;
        writeln!(f, "ranges:")?;
        for nr in self.ranges() {
            write!(
                f,
                "  {:<18} {:#014x}..{:#014x} ({:#x})",
                nr.name.to_string(),
                nr.range.start.0,
                nr.range.end_or_max(),
                nr.range.len
            )?;
            if let RangeName::SetupData(i) = nr.name {
                if let Some(node) = self.setup_data.get(i) {
                    let next = self
                        .setup_data
                        .get(i.saturating_add(1))
                        .map_or(0, |n| n.range.start.0);
                    write!(f, " {} next={next:#x}", setup_type_name(node.type_))?;
                }
            }
            writeln!(f)?;
        }
        let entries = self.e820.entries();
        if self.protocol == BootProtocol::Pvh {
            writeln!(f, "e820 (PVH memory map): {} entries", entries.len())?;
        } else {
            writeln!(
                f,
                "e820: {} entries ({} in the zero page, {} in SETUP_E820_EXT)",
                entries.len(),
                self.e820.zero_page_entries().len(),
                self.e820.overflow_entries().len()
            )?;
        }
        for e in entries {
            writeln!(
                f,
                "  {:#014x}..{:#014x} {}",
                { e.addr },
                { e.addr }.saturating_add(e.size),
                e820_type_name(e.type_)
            )?;
        }
        if let Some(p) = &self.zero_page_params {
            let h = &p.hdr;
            writeln!(
                f,
                "zero page: type_of_loader={:#x} loadflags={:#x} heap_end_ptr={:#x} vid_mode={:#x}",
                h.type_of_loader,
                h.loadflags,
                { h.heap_end_ptr },
                { h.vid_mode }
            )?;
            writeln!(
                f,
                "  cmd_line_ptr={:#x} ext_cmd_line_ptr={:#x} cmdline_size={:#x}",
                { h.cmd_line_ptr },
                { p.ext_cmd_line_ptr },
                { h.cmdline_size }
            )?;
            writeln!(
                f,
                "  ramdisk_image={:#x} ramdisk_size={:#x} ext_ramdisk_image={:#x} ext_ramdisk_size={:#x}",
                { h.ramdisk_image },
                { h.ramdisk_size },
                { p.ext_ramdisk_image },
                { p.ext_ramdisk_size }
            )?;
            writeln!(
                f,
                "  setup_data={:#x} e820_entries={} acpi_rsdp_addr={:#x}",
                { h.setup_data },
                p.e820_entries,
                { p.acpi_rsdp_addr }
            )?;
        }
        if let Some(p) = &self.pvh_params {
            use zerocopy::FromBytes;
            if let Ok(si) = crate::start_info::hvm_start_info::read_from_bytes(&p.header) {
                writeln!(
                    f,
                    "hvm_start_info: magic={:#x} version={} nr_modules={} modlist_paddr={:#x}",
                    si.magic, si.version, si.nr_modules, si.modlist_paddr
                )?;
                writeln!(
                    f,
                    "  cmdline_paddr={:#x} rsdp_paddr={:#x} memmap_paddr={:#x} memmap_entries={}",
                    si.cmdline_paddr, si.rsdp_paddr, si.memmap_paddr, si.memmap_entries
                )?;
            }
        }
        Ok(())
    }
}
