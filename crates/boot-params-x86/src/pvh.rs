// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The PVH boot configurator: writes `hvm_start_info`, its memory map and its module list; and
//! the builder of those structures.
//!
//! Upstream linux-loader's `configurator::pvh::PvhBootConfigurator`, with deliberate differences,
//! all checked before anything is written (upstream writes the memory map before checking the
//! rest):
//! - exact bounds for all three structures (the module list was not checked upstream:
//!   [`pvh::Error::ModulesPastRamEnd`]);
//! - consistency: the header must be one `hvm_start_info` (56 bytes) with
//!   `XEN_HVM_START_MAGIC_VALUE`, `memmap_paddr`/`memmap_entries` must describe the memory map
//!   written, and `nr_modules`/`modlist_paddr` the module list written; the three structures must
//!   not overlap. [`PvhBootConfigurator::write_bootparams`] reports these as the new
//!   `pvh::Error` variants `StartInfoSize`, `StartInfoMagic`, `MemmapTableInconsistent`,
//!   `ModulesInconsistent` and `Overlap`, while [`PvhBootConfigurator::write`] returns this
//!   crate's precise [`Error`] with the values.

use loader_core::configurator::{self, BootConfigurator, BootParams, pvh};
use vm_memory::{GuestAddress, GuestMemoryBackend};
use zerocopy::{FromBytes, IntoBytes};

use crate::error::{Error, RangeName};
use crate::start_info::{
    XEN_HVM_START_INFO_VERSION, XEN_HVM_START_MAGIC_VALUE, hvm_memmap_table_entry,
    hvm_modlist_entry, hvm_start_info,
};
use crate::writer::{self, Blob};

pub use loader_core::configurator::pvh::Error as PvhError;

/// Size of `hvm_start_info` (version 1).
pub const START_INFO_SIZE: usize = core::mem::size_of::<hvm_start_info>();
/// Size of one memory map entry.
pub const MEMMAP_ENTRY_SIZE: usize = core::mem::size_of::<hvm_memmap_table_entry>();
/// Size of one module list entry.
pub const MODLIST_ENTRY_SIZE: usize = core::mem::size_of::<hvm_modlist_entry>();

/// Writes `hvm_start_info` ([`BootParams::header`]), the memory map (`sections`) and the module
/// list (`modules`) into guest memory.
#[derive(Debug)]
pub struct PvhBootConfigurator {}

impl PvhBootConfigurator {
    /// Checks `params` against `guest_memory` without writing anything.
    ///
    /// # Errors
    ///
    /// In this order: [`Error::Configurator`] with `MemmapTableMissing`,
    /// `MemmapTableAddressMissing` or `ModulesAddressMissing`; [`Error::HeaderSize`] /
    /// [`Error::ListNotWholeEntries`]; [`Error::OutsideMemory`] / [`Error::AddressOverflow`];
    /// [`Error::StartInfoMagic`], [`Error::MemmapPaddrMismatch`],
    /// [`Error::MemmapEntriesMismatch`], [`Error::ModulesCountMismatch`],
    /// [`Error::ModlistPaddrMismatch`]; [`Error::RangesOverlap`].
    pub fn validate<M: GuestMemoryBackend>(
        params: &BootParams,
        guest_memory: &M,
    ) -> Result<(), Error> {
        Self::checked_blobs(params, guest_memory).map(|_| ())
    }

    /// Checks `params` as [`PvhBootConfigurator::validate`] does, then writes the memory map,
    /// `hvm_start_info` and the module list.
    ///
    /// # Errors
    ///
    /// Those of [`PvhBootConfigurator::validate`] (nothing written), and [`Error::GuestWrite`]
    /// if guest memory refuses a validated write.
    pub fn write<M: GuestMemoryBackend>(
        params: &BootParams,
        guest_memory: &M,
    ) -> Result<(), Error> {
        let blobs = Self::checked_blobs(params, guest_memory)?;
        writer::write_validated(guest_memory, &blobs)
    }

    fn checked_blobs<'a, M: GuestMemoryBackend>(
        params: &'a BootParams,
        mem: &M,
    ) -> Result<Vec<Blob<'a>>, Error> {
        let missing = |e: pvh::Error| Error::Configurator(configurator::Error::Pvh(e));
        let memmap = params
            .sections
            .as_ref()
            .ok_or(missing(pvh::Error::MemmapTableMissing))?;
        let memmap_addr = params
            .sections_start
            .ok_or(missing(pvh::Error::MemmapTableAddressMissing))?;
        let modules = match &params.modules {
            Some(m) => Some((
                m,
                params
                    .modules_start
                    .ok_or(missing(pvh::Error::ModulesAddressMissing))?,
            )),
            None => None,
        };

        let start_info =
            hvm_start_info::read_from_bytes(&params.header).map_err(|_| Error::HeaderSize {
                name: RangeName::StartInfo,
                len: params.header.len(),
                expected: START_INFO_SIZE,
            })?;
        let memmap_entries = whole_entries(RangeName::Memmap, memmap.len(), MEMMAP_ENTRY_SIZE)?;
        let nr_modules = match modules {
            Some((m, _)) => whole_entries(RangeName::Modlist, m.len(), MODLIST_ENTRY_SIZE)?,
            None => 0,
        };

        // Upstream's write order: memory map, start info, modules.
        let mut blobs = vec![
            Blob {
                name: RangeName::Memmap,
                start: memmap_addr,
                bytes: memmap,
            },
            Blob {
                name: RangeName::StartInfo,
                start: params.header_start,
                bytes: &params.header,
            },
        ];
        if let Some((m, addr)) = modules {
            blobs.push(Blob {
                name: RangeName::Modlist,
                start: addr,
                bytes: m,
            });
        }
        for blob in &blobs {
            writer::check_fits(mem, blob.name, blob.range()?)?;
        }

        if start_info.magic != XEN_HVM_START_MAGIC_VALUE {
            return Err(Error::StartInfoMagic {
                magic: start_info.magic,
            });
        }
        if start_info.memmap_paddr != memmap_addr.0 {
            return Err(Error::MemmapPaddrMismatch {
                memmap_paddr: start_info.memmap_paddr,
                written: memmap_addr.0,
            });
        }
        if u64::from(start_info.memmap_entries) != crate::setup_data::u64_of(memmap_entries) {
            return Err(Error::MemmapEntriesMismatch {
                memmap_entries: start_info.memmap_entries,
                written: memmap_entries,
            });
        }
        if u64::from(start_info.nr_modules) != crate::setup_data::u64_of(nr_modules) {
            return Err(Error::ModulesCountMismatch {
                nr_modules: start_info.nr_modules,
                written: nr_modules,
            });
        }
        if nr_modules > 0 {
            let written = modules.map_or(0, |(_, addr)| addr.0);
            if start_info.modlist_paddr != written {
                return Err(Error::ModlistPaddrMismatch {
                    modlist_paddr: start_info.modlist_paddr,
                    written,
                });
            }
        }
        writer::validate(mem, &blobs, &[])?;
        Ok(blobs)
    }
}

fn whole_entries(name: RangeName, len: usize, entry_size: usize) -> Result<usize, Error> {
    match (len.checked_rem(entry_size), len.checked_div(entry_size)) {
        (Some(0), Some(n)) => Ok(n),
        _ => Err(Error::ListNotWholeEntries {
            name,
            len,
            entry_size,
        }),
    }
}

/// The upstream `*Setup` / `*PastRamEnd` variant for the structure an error is about.
fn to_configurator(err: Error) -> configurator::Error {
    let setup = |name: RangeName| match name {
        RangeName::Memmap => pvh::Error::MemmapTableSetup,
        RangeName::Modlist => pvh::Error::ModulesSetup,
        _ => pvh::Error::StartInfoSetup,
    };
    let past_end = |name: RangeName| match name {
        RangeName::Memmap => pvh::Error::MemmapTablePastRamEnd,
        RangeName::Modlist => pvh::Error::ModulesPastRamEnd,
        _ => pvh::Error::StartInfoPastRamEnd,
    };
    let e = match err {
        Error::Configurator(e) => return e,
        Error::OutsideMemory { name, .. } | Error::AddressOverflow { name, .. } => past_end(name),
        Error::HeaderSize { .. } => pvh::Error::StartInfoSize,
        Error::StartInfoMagic { .. } => pvh::Error::StartInfoMagic,
        Error::MemmapPaddrMismatch { .. } | Error::MemmapEntriesMismatch { .. } => {
            pvh::Error::MemmapTableInconsistent
        }
        Error::ModulesCountMismatch { .. } | Error::ModlistPaddrMismatch { .. } => {
            pvh::Error::ModulesInconsistent
        }
        Error::ListNotWholeEntries { name, .. } => match name {
            RangeName::Modlist => pvh::Error::ModulesInconsistent,
            _ => pvh::Error::MemmapTableInconsistent,
        },
        Error::GuestWrite { name, .. } => setup(name),
        Error::RangesOverlap { .. } => pvh::Error::Overlap,
        _ => pvh::Error::StartInfoSetup,
    };
    e.into()
}

impl BootConfigurator for PvhBootConfigurator {
    /// Writes the memory map, `hvm_start_info` and the module list.
    ///
    /// # Errors
    ///
    /// Upstream's `pvh::Error` variants (see the module docs for how the new consistency checks
    /// map onto them); all but a failed write are reported before anything is written.
    fn write_bootparams<M>(params: &BootParams, guest_memory: &M) -> configurator::Result<()>
    where
        M: GuestMemoryBackend,
    {
        Self::write(params, guest_memory).map_err(to_configurator)
    }
}

/// Builds a consistent set of PVH structures.
#[derive(Clone, Debug, Default)]
pub struct StartInfoBuilder {
    cmdline: Option<GuestAddress>,
    rsdp: Option<GuestAddress>,
    memmap: Vec<hvm_memmap_table_entry>,
    modules: Vec<hvm_modlist_entry>,
}

impl StartInfoBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Guest address of the NUL-terminated command line.
    pub fn cmdline(mut self, addr: GuestAddress) -> Self {
        self.cmdline = Some(addr);
        self
    }

    /// Guest address of the ACPI RSDP.
    pub fn rsdp(mut self, addr: GuestAddress) -> Self {
        self.rsdp = Some(addr);
        self
    }

    /// The memory map.
    pub fn memmap(mut self, entries: Vec<hvm_memmap_table_entry>) -> Self {
        self.memmap = entries;
        self
    }

    /// Appends a module (an initrd) of `size` bytes at `addr`.
    pub fn module(mut self, addr: GuestAddress, size: u64) -> Self {
        self.modules.push(hvm_modlist_entry {
            paddr: addr.0,
            size,
            cmdline_paddr: 0,
            reserved: 0,
        });
        self
    }

    /// The [`BootParams`] for [`PvhBootConfigurator`], with `memmap_paddr`, `memmap_entries`,
    /// `nr_modules` and `modlist_paddr` taken from where the lists go.
    ///
    /// # Errors
    ///
    /// [`Error::TooMany`] if a list's length does not fit its `u32` count.
    pub fn build(
        &self,
        start_info_addr: GuestAddress,
        memmap_addr: GuestAddress,
        modlist_addr: Option<GuestAddress>,
    ) -> Result<BootParams, Error> {
        let count = |what: &'static str, n: usize| {
            u32::try_from(n).map_err(|_| Error::TooMany {
                what,
                count: n,
                max: usize::try_from(u32::MAX).unwrap_or(usize::MAX),
            })
        };
        let memmap_entries = count("PVH memory map entries", self.memmap.len())?;
        let nr_modules = count("PVH modules", self.modules.len())?;
        let modlist_addr = match (nr_modules, modlist_addr) {
            (0, _) => None,
            (_, Some(addr)) => Some(addr),
            (_, None) => {
                return Err(Error::Configurator(configurator::Error::Pvh(
                    pvh::Error::ModulesAddressMissing,
                )));
            }
        };
        let info = hvm_start_info {
            magic: XEN_HVM_START_MAGIC_VALUE,
            version: XEN_HVM_START_INFO_VERSION,
            flags: 0,
            nr_modules,
            modlist_paddr: modlist_addr.map_or(0, |a| a.0),
            cmdline_paddr: self.cmdline.map_or(0, |a| a.0),
            rsdp_paddr: self.rsdp.map_or(0, |a| a.0),
            memmap_paddr: memmap_addr.0,
            memmap_entries,
            reserved: 0,
        };
        let mut params = BootParams {
            header: info.as_bytes().to_vec(),
            header_start: start_info_addr,
            sections: Some(self.memmap.as_bytes().to_vec()),
            sections_start: Some(memmap_addr),
            modules: None,
            modules_start: None,
        };
        if let Some(addr) = modlist_addr {
            params.modules = Some(self.modules.as_bytes().to_vec());
            params.modules_start = Some(addr);
        }
        Ok(params)
    }
}
