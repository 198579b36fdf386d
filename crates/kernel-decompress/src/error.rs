// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The decompressor's error type, and how it travels inside `std::io::Error`.

use std::io;

use crate::Compression;

/// Why a compressed stream could not be decompressed.
///
/// A [`Decoder`](crate::Decoder) is a `std::io::Read`, so while streaming these errors travel
/// inside an [`io::Error`] (see [`Error::find`] to get them back out of a chain such as
/// loader-core's `SourceRead`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No known compression magic at the start of the stream.
    #[error("no known compression magic at the start of the stream (first bytes {first:02x?})")]
    Unrecognized {
        /// Up to the first 8 bytes.
        first: Vec<u8>,
    },
    /// The format has no decoder in this crate. Every format [`Compression`] names has one
    /// today; the variant stays for formats recognised before they can be decoded.
    #[error("{compression} streams are recognised but not supported (no pure-Rust decoder)")]
    Unsupported {
        /// The format.
        compression: Compression,
    },
    /// The format's decoder is behind a cargo feature that is not enabled.
    #[error(
        "{compression} support is disabled: enable the `{feature}` feature of kernel-decompress"
    )]
    Disabled {
        /// The format.
        compression: Compression,
        /// The feature that enables it.
        feature: &'static str,
    },
    /// The stream decompresses to more than the limit: a decompression bomb, or a kernel larger
    /// than [`Limits::max_decompressed`](crate::Limits::max_decompressed) allows.
    #[error(
        "{compression} stream decompresses to more than the limit of {limit:#x} bytes — decompression bomb?"
    )]
    Bomb {
        /// The format.
        compression: Compression,
        /// The limit that was exceeded.
        limit: u64,
    },
    /// The compressed stream ended before the format's end marker.
    #[error(
        "{compression} stream is truncated: input ended after {consumed:#x} compressed bytes, \
         {produced:#x} bytes decompressed"
    )]
    Truncated {
        /// The format.
        compression: Compression,
        /// Compressed bytes read before the end.
        consumed: u64,
        /// Decompressed bytes delivered before the failure.
        produced: u64,
    },
    /// The decoder rejected the data (bad header, checksum, block).
    #[error("{compression} stream is corrupt after {produced:#x} decompressed bytes: {source}")]
    Corrupt {
        /// The format.
        compression: Compression,
        /// Decompressed bytes delivered before the failure.
        produced: u64,
        /// The decoder's own error.
        #[source]
        source: io::Error,
    },
    /// The stream declares a history window (dictionary) larger than
    /// [`Limits::max_window`](crate::Limits::max_window).
    #[error(
        "{compression} stream needs a window of {window:#x?} bytes, more than the limit of {max:#x}"
    )]
    WindowTooLarge {
        /// The format.
        compression: Compression,
        /// The window the stream declares, when the header says it before decoding starts
        /// (xz's decoder reports only that its memory limit was hit).
        window: Option<u64>,
        /// The limit.
        max: u64,
    },
    /// A block of a block-structured stream (lzop) declares more uncompressed bytes than the
    /// format allows ([`LZO_BLOCK`](crate::limits::LZO_BLOCK) for lzop, the most the kernel's
    /// own decompressor accepts); refused before anything is allocated for it.
    #[error(
        "{compression} stream declares a block of {size:#x} bytes, more than the format's \
         maximum of {max:#x}"
    )]
    BlockTooLarge {
        /// The format.
        compression: Compression,
        /// The uncompressed size the block declares.
        size: u64,
        /// The largest block the format allows.
        max: u64,
    },
    /// The stream decompressed to a different size than expected (the kernel's appended
    /// uncompressed-size trailer, or the size the caller passed in
    /// [`Limits::expected_size`](crate::Limits::expected_size)).
    #[error(
        "{compression} stream decompressed to {produced:#x} bytes, but {expected:#x} were expected"
    )]
    SizeMismatch {
        /// The format.
        compression: Compression,
        /// The size expected.
        expected: u64,
        /// The size produced.
        produced: u64,
    },
    /// Reading the compressed input failed.
    #[error("reading the {compression} input failed: {source}")]
    Input {
        /// The format.
        compression: Compression,
        /// The reader's error.
        #[source]
        source: io::Error,
    },
}

impl Error {
    /// The `io::ErrorKind` this error travels as inside an `io::Error`.
    pub fn io_kind(&self) -> io::ErrorKind {
        match self {
            Error::Truncated { .. } => io::ErrorKind::UnexpectedEof,
            Error::Unsupported { .. } | Error::Disabled { .. } => io::ErrorKind::Unsupported,
            Error::Bomb { .. } | Error::WindowTooLarge { .. } => io::ErrorKind::OutOfMemory,
            Error::Input { source, .. } => source.kind(),
            Error::Unrecognized { .. }
            | Error::Corrupt { .. }
            | Error::SizeMismatch { .. }
            | Error::BlockTooLarge { .. } => io::ErrorKind::InvalidData,
        }
    }

    /// Finds this crate's error in an error chain: the error itself, an `io::Error` wrapping it,
    /// or any `source()` of those (loader-core's `SourceRead` carries the `io::Error` a
    /// [`Decoder`](crate::Decoder) returned).
    ///
    /// ```
    /// use kernel_decompress::{Compression, Error};
    /// let io: std::io::Error = Error::Bomb { compression: Compression::Gzip, limit: 16 }.into();
    /// assert!(matches!(Error::find(&io), Some(Error::Bomb { limit: 16, .. })));
    /// ```
    pub fn find<'a>(mut err: &'a (dyn std::error::Error + 'static)) -> Option<&'a Error> {
        loop {
            if let Some(e) = err.downcast_ref::<Error>() {
                return Some(e);
            }
            if let Some(inner) = err
                .downcast_ref::<io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<Error>())
            {
                return Some(inner);
            }
            err = err.source()?;
        }
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        io::Error::new(e.io_kind(), e)
    }
}

/// Errors compare equal when they are the same variant with the same values; the `io::Error`s
/// inside compare by their `Debug` rendering (as loader-core's errors do), so the errors of the
/// crates wrapping this one can derive `PartialEq`.
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        format!("{self:?}") == format!("{other:?}")
    }
}

impl Eq for Error {}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, Error>;
