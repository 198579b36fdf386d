// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Named limits. Each bounds memory or work that a caller-supplied value could otherwise drive,
//! and says why it is that number.

/// Largest capacity, in bytes and counting the NUL terminator, that a [`Cmdline`] may have; also
/// the longest command line `load_cmdline` will write.
///
/// Linux bounds its own copy of the command line by `COMMAND_LINE_SIZE`, 2048 bytes on x86 and
/// arm64 and less on some other architectures, but the x86 boot protocol reports the kernel's limit
/// in the 32-bit `cmdline_size` field and kernels can be built with a bigger buffer, so a loader
/// cannot hard-code 2048. 1 MiB is hundreds of times what any kernel accepts today, so no real
/// command line is refused, while a capacity (or a `CStr` handed to `load_cmdline`) can never
/// make this crate allocate or copy more than that.
///
/// [`Cmdline`]: crate::Cmdline
pub const MAX_CMDLINE_CAPACITY: usize = 1024 * 1024;

/// Bytes a new [`Cmdline`] reserves up front (at most its capacity): the kernel's own limit on
/// x86 and arm64, so building a typical line never reallocates while a large capacity costs
/// nothing until it is used.
///
/// [`Cmdline`]: crate::Cmdline
pub const INITIAL_RESERVE: usize = 2048;
