// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Kernel command lines: upstream's `linux_loader::cmdline`, from the `kernel-cmdline` crate.

pub use kernel_cmdline::{Cmdline, CmdlineBytes, Error, Param, Params, RawAddress, Result};
