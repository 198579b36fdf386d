// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The FDT boot configurator: the one writer of device-tree bytes into guest memory.

use loader_core::configurator::{BootConfigurator, BootParams, Result as CfgResult, fdt};
use loader_core::{GuestRange, fits_in_memory};
use vm_memory::{Bytes, GuestMemoryBackend};

use crate::error::Result;
use crate::fdt::{DtbInfo, validate};

/// Writes a device tree (`BootParams::header`, at `header_start`) into guest memory.
///
/// Upstream linux-loader's `configurator::fdt::FdtBootConfigurator`, with the same API. The bounds
/// check is exact: a DTB ending on the last byte of RAM is accepted (upstream rejected it), one
/// byte further is [`fdt::Error::FDTPastRamEnd`]. `sections` and `modules` are ignored, as
/// upstream does. Nothing is written unless the whole DTB fits.
///
/// Unlike upstream, which copied any bytes, [`BootConfigurator::write_bootparams`] validates the
/// header bytes as a DTB first ([`fdt::Error::InvalidFdt`]);
/// [`FdtBootConfigurator::write_validated`] does the same and returns the precise reason.
#[derive(Debug)]
pub struct FdtBootConfigurator {}

impl BootConfigurator for FdtBootConfigurator {
    fn write_bootparams<M>(params: &BootParams, guest_memory: &M) -> CfgResult<()>
    where
        M: GuestMemoryBackend,
    {
        // Upstream copied any bytes; a DTB the kernel cannot parse only fails much later.
        validate(&params.header).map_err(|_| fdt::Error::InvalidFdt)?;
        let len = u64::try_from(params.header.len()).map_err(|_| fdt::Error::FDTPastRamEnd)?;
        if !fits_in_memory(guest_memory, GuestRange::new(params.header_start, len)) {
            return Err(fdt::Error::FDTPastRamEnd.into());
        }
        guest_memory
            .write_slice(&params.header, params.header_start)
            .map_err(|_| fdt::Error::WriteFDTToMemory.into())
    }
}

impl FdtBootConfigurator {
    /// Like [`BootConfigurator::write_bootparams`] (which also validates), but returns the
    /// DTB's header facts and the precise validation error.
    ///
    /// Guest memory is untouched on any error.
    pub fn write_validated<M>(params: &BootParams, guest_memory: &M) -> Result<DtbInfo>
    where
        M: GuestMemoryBackend,
    {
        let info = validate(&params.header)?;
        Self::write_bootparams(params, guest_memory)?;
        Ok(info)
    }
}
