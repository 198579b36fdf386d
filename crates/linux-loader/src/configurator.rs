// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Boot configurators: upstream's `linux_loader::configurator`.
//!
//! [`BootConfigurator`], [`BootParams`] and [`Error`] come from `loader-core`; every error
//! variant and every configurator exists on every host.

pub use loader_core::configurator::{BootConfigurator, BootParams, Error, Result};

/// The Linux boot protocol (zero page) configurator.
pub mod linux {
    pub use boot_params_x86::linux::LinuxBootConfigurator;
    pub use loader_core::configurator::linux::Error;
}

/// The PVH (`hvm_start_info`) configurator.
pub mod pvh {
    pub use boot_params_x86::pvh::PvhBootConfigurator;
    pub use loader_core::configurator::pvh::Error;
}

/// The device-tree configurator.
#[cfg(feature = "pe")]
pub mod fdt {
    pub use boot_fdt::FdtBootConfigurator;
    pub use loader_core::configurator::fdt::Error;
}
