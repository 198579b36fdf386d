// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The Linux boot protocol configurator: writes the zero page.
//!
//! Upstream linux-loader's `configurator::linux::LinuxBootConfigurator`, with three deliberate
//! differences, all checked before anything is written:
//! - exact bounds: a zero page ending on the last byte of RAM is accepted (upstream rejects it);
//! - `sections` or `modules` are rejected ([`linux::Error::UnexpectedSections`] /
//!   [`linux::Error::UnexpectedModules`]) instead of ignored;
//! - the header must be exactly one `boot_params` (4096 bytes) with at most 128 e820 entries;
//!   otherwise [`linux::Error::ZeroPageSize`] / [`linux::Error::E820TooMany`] (the richer
//!   [`LinuxBootConfigurator::write`] says [`Error::HeaderSize`] / [`Error::TooMany`] with values).

use loader_core::configurator::{self, BootConfigurator, BootParams, linux};
use vm_memory::GuestMemoryBackend;
use zerocopy::FromBytes;

use crate::bootparam::{E820_MAX_ENTRIES_ZEROPAGE, ZERO_PAGE_SIZE, boot_params};
use crate::error::{Error, RangeName};
use crate::writer::{self, Blob};

pub use loader_core::configurator::linux::Error as LinuxError;

/// Writes a zero page ([`BootParams::header`]) into guest memory.
#[derive(Debug)]
pub struct LinuxBootConfigurator {}

impl LinuxBootConfigurator {
    /// Checks `params` against `guest_memory` without writing anything.
    ///
    /// # Errors
    ///
    /// [`Error::Configurator`] with `UnexpectedSections`/`UnexpectedModules`;
    /// [`Error::HeaderSize`] unless the header is 4096 bytes; [`Error::TooMany`] for
    /// `e820_entries > 128`; [`Error::OutsideMemory`] / [`Error::AddressOverflow`] when the zero
    /// page is not backed by guest memory.
    pub fn validate<M: GuestMemoryBackend>(
        params: &BootParams,
        guest_memory: &M,
    ) -> Result<(), Error> {
        Self::blob(params).and_then(|blob| writer::validate(guest_memory, &[blob], &[]))
    }

    /// Checks `params` as [`LinuxBootConfigurator::validate`] does, then writes the zero page.
    ///
    /// # Errors
    ///
    /// Those of [`LinuxBootConfigurator::validate`] (nothing written), and
    /// [`Error::GuestWrite`] if guest memory refuses the validated write.
    pub fn write<M: GuestMemoryBackend>(
        params: &BootParams,
        guest_memory: &M,
    ) -> Result<(), Error> {
        let blob = Self::blob(params)?;
        writer::validate(guest_memory, &[blob], &[])?;
        writer::write_validated(guest_memory, &[blob])
    }

    fn blob(params: &BootParams) -> Result<Blob<'_>, Error> {
        if params.sections.is_some() {
            return Err(configurator::Error::Linux(linux::Error::UnexpectedSections).into());
        }
        if params.modules.is_some() {
            return Err(configurator::Error::Linux(linux::Error::UnexpectedModules).into());
        }
        let zero_page =
            boot_params::read_from_bytes(&params.header).map_err(|_| Error::HeaderSize {
                name: RangeName::ZeroPage,
                len: params.header.len(),
                expected: ZERO_PAGE_SIZE,
            })?;
        if usize::from(zero_page.e820_entries) > E820_MAX_ENTRIES_ZEROPAGE {
            return Err(Error::TooMany {
                what: "zero-page e820 entries",
                count: usize::from(zero_page.e820_entries),
                max: E820_MAX_ENTRIES_ZEROPAGE,
            });
        }
        Ok(Blob {
            name: RangeName::ZeroPage,
            start: params.header_start,
            bytes: &params.header,
        })
    }
}

/// Maps this crate's error onto upstream's `linux::Error` variants.
fn to_configurator(err: Error) -> configurator::Error {
    match err {
        Error::Configurator(e) => e,
        Error::OutsideMemory { .. } | Error::AddressOverflow { .. } => {
            linux::Error::ZeroPagePastRamEnd.into()
        }
        Error::HeaderSize { .. } => linux::Error::ZeroPageSize.into(),
        Error::TooMany { .. } => linux::Error::E820TooMany.into(),
        _ => linux::Error::ZeroPageSetup.into(),
    }
}

impl BootConfigurator for LinuxBootConfigurator {
    /// Writes the zero page in `params.header` at `params.header_start`.
    ///
    /// # Errors
    ///
    /// [`linux::Error::UnexpectedSections`], [`linux::Error::UnexpectedModules`],
    /// [`linux::Error::ZeroPagePastRamEnd`], [`linux::Error::ZeroPageSize`],
    /// [`linux::Error::E820TooMany`] — all before anything is written — or
    /// [`linux::Error::ZeroPageSetup`] when guest memory refuses the validated write.
    fn write_bootparams<M>(params: &BootParams, guest_memory: &M) -> configurator::Result<()>
    where
        M: GuestMemoryBackend,
    {
        Self::write(params, guest_memory).map_err(to_configurator)
    }
}
