// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Command lines as the bytes written into guest memory, and (with the `vm-memory` feature)
//! [`load_cmdline`], which writes them.

use std::borrow::Cow;
use std::ffi::{CStr, CString};

use crate::cmdline::Cmdline;
use crate::error::{Error, Result};
use crate::limits::MAX_CMDLINE_CAPACITY;
use crate::scan;

mod sealed {
    /// Keeps [`CmdlineBytes`](super::CmdlineBytes) implemented only by this crate, so its
    /// validation guarantee holds for everything `load_cmdline` accepts.
    pub trait Sealed {}
    impl Sealed for crate::Cmdline {}
    impl Sealed for std::ffi::CStr {}
    impl Sealed for std::ffi::CString {}
}

/// A command line that can be validated and turned into the NUL-terminated bytes the kernel reads:
/// a [`Cmdline`], or a [`CStr`]/[`CString`] holding a whole line.
///
/// This is what `load_cmdline` accepts. It is sealed: implemented for those three types only.
pub trait CmdlineBytes: sealed::Sealed {
    /// Validates the command line and returns its bytes, NUL terminator included.
    ///
    /// A [`Cmdline`] is valid once rendered ([`Cmdline::as_cstring`]). A C string is taken as is,
    /// byte for byte, and must follow the rules [`Cmdline::try_from`] applies, except that
    /// surrounding whitespace is not trimmed (so a trailing newline is a control byte), and be
    /// shorter than [`MAX_CMDLINE_CAPACITY`].
    ///
    /// # Errors
    ///
    /// For a [`Cmdline`], [`Error::NoBootArgsInserted`]. For a C string, [`Error::TooLarge`],
    /// [`Error::ControlByte`], [`Error::NonAscii`], [`Error::UnbalancedQuote`],
    /// [`Error::DuplicateSeparator`] or [`Error::NoBootArgsInserted`].
    ///
    /// ```
    /// use kernel_cmdline::{CmdlineBytes, Error};
    ///
    /// assert_eq!(c"console=ttyS0".cmdline_bytes()?.as_ref(), b"console=ttyS0\0");
    /// assert_eq!(
    ///     c"console=ttyS0\n".cmdline_bytes(),
    ///     Err(Error::ControlByte { offset: 13, value: b'\n' })
    /// );
    /// # Ok::<(), Error>(())
    /// ```
    fn cmdline_bytes(&self) -> Result<Cow<'_, [u8]>>;
}

impl CmdlineBytes for Cmdline {
    fn cmdline_bytes(&self) -> Result<Cow<'_, [u8]>> {
        Ok(Cow::Owned(self.as_cstring()?.into_bytes_with_nul()))
    }
}

impl CmdlineBytes for CStr {
    fn cmdline_bytes(&self) -> Result<Cow<'_, [u8]>> {
        let with_nul = self.to_bytes_with_nul();
        if with_nul.len() > MAX_CMDLINE_CAPACITY {
            return Err(Error::TooLarge);
        }
        let text = scan::printable_text(self.to_bytes(), 0)?;
        scan::split_line(text, 0)?;
        Ok(Cow::Borrowed(with_nul))
    }
}

impl CmdlineBytes for CString {
    fn cmdline_bytes(&self) -> Result<Cow<'_, [u8]>> {
        self.as_c_str().cmdline_bytes()
    }
}

#[cfg(feature = "vm-memory")]
pub use self::guest::{LoadError, load_cmdline};

#[cfg(feature = "vm-memory")]
mod guest {
    use vm_memory::{Bytes, GuestAddress, GuestMemoryBackend, GuestMemoryError};

    use super::CmdlineBytes;
    use crate::error::Error;

    /// Why [`load_cmdline`] did not write a command line.
    ///
    /// The `linux-loader` umbrella maps these onto upstream's
    /// `loader::Error::{InvalidCommandLine, CommandLineOverflow, CommandLineCopy}`.
    #[derive(Debug, thiserror::Error)]
    #[non_exhaustive]
    pub enum LoadError {
        /// The command line is not valid; nothing was written.
        #[error("invalid kernel command line: {0}")]
        InvalidCommandLine(#[source] Error),
        /// The command line and its NUL do not fit in guest memory at `addr`; nothing was written.
        #[error(
            "kernel command line of {len} bytes (NUL included) at guest address {:#x} \
             does not fit in guest memory",
            addr.0
        )]
        CommandLineOverflow {
            /// Where the command line was to start.
            addr: GuestAddress,
            /// Its length, NUL terminator included.
            len: usize,
        },
        /// Writing the command line into guest memory failed although its range was checked.
        #[error(
            "failed to write the {len}-byte kernel command line at guest address {:#x}",
            addr.0
        )]
        CommandLineCopy {
            /// Where the command line was to start.
            addr: GuestAddress,
            /// Its length, NUL terminator included.
            len: usize,
            /// The guest-memory error.
            #[source]
            source: GuestMemoryError,
        },
    }

    /// Writes a command line, NUL-terminated, into guest memory at `guest_addr`.
    ///
    /// `cmdline` is a [`Cmdline`](crate::Cmdline) (as upstream 0.13/0.14 take it) or a
    /// [`CStr`](std::ffi::CStr)/[`CString`](std::ffi::CString) holding a whole line; see
    /// [`CmdlineBytes`]. The command line is validated and the whole range, which may span
    /// several adjacent memory regions, is checked before anything is written: on error guest
    /// memory is left untouched. A command line whose NUL lands on the last byte of guest memory
    /// fits.
    ///
    /// Available with the `vm-memory` feature.
    ///
    /// # Errors
    ///
    /// [`LoadError::InvalidCommandLine`], [`LoadError::CommandLineOverflow`],
    /// [`LoadError::CommandLineCopy`].
    ///
    /// ```
    /// use kernel_cmdline::{Cmdline, load_cmdline};
    /// use vm_memory::{Bytes, GuestAddress, GuestMemoryMmap};
    ///
    /// let mem = GuestMemoryMmap::<()>::from_ranges(&[(GuestAddress(0), 0x10000)]).unwrap();
    /// let mut cl = Cmdline::new(64).unwrap();
    /// cl.insert("console", "ttyS0").unwrap();
    /// // 14 bytes with the NUL: the NUL lands on the last byte of memory.
    /// load_cmdline(&mem, GuestAddress(0x10000 - 14), &cl).unwrap();
    /// load_cmdline(&mem, GuestAddress(0x1000), c"reboot=k panic=1").unwrap();
    ///
    /// let mut buf = [0u8; 17];
    /// mem.read_slice(&mut buf, GuestAddress(0x1000)).unwrap();
    /// assert_eq!(&buf, b"reboot=k panic=1\0");
    /// ```
    pub fn load_cmdline<M, C>(
        guest_mem: &M,
        guest_addr: GuestAddress,
        cmdline: &C,
    ) -> Result<(), LoadError>
    where
        M: GuestMemoryBackend,
        C: CmdlineBytes + ?Sized,
    {
        let bytes = cmdline
            .cmdline_bytes()
            .map_err(LoadError::InvalidCommandLine)?;
        let len = bytes.len();
        if !guest_mem.check_range(guest_addr, len) {
            return Err(LoadError::CommandLineOverflow {
                addr: guest_addr,
                len,
            });
        }
        guest_mem
            .write_slice(&bytes, guest_addr)
            .map_err(|source| LoadError::CommandLineCopy {
                addr: guest_addr,
                len,
                source,
            })
    }
}
