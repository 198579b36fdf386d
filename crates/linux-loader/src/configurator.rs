// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Boot configurators: upstream's `linux_loader::configurator`.
//!
//! [`BootConfigurator`], [`BootParams`] and [`Error`] come from `loader-core`; every error
//! variant exists on every host.

pub use loader_core::configurator::{BootConfigurator, BootParams, Error, Result};
