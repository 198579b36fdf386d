// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The error type of command-line building, parsing and validation.

/// Why a command line could not be built, parsed or validated.
///
/// The first eleven variants are the ones rust-vmm `linux-loader` 0.13/0.14 has, with the same
/// names and payloads, and the builder methods return them for the same inputs upstream rejects.
/// The variants after them report failures upstream does not detect; they carry the byte offset
/// (into the text the failing call was given) and the offending value.
///
/// The enum is deliberately **not** `#[non_exhaustive]`: VMM code that matches on
/// `linux_loader::cmdline::Error` with a wildcard arm keeps compiling either way, and marking it
/// would additionally force a wildcard on code that names every variant. Note that such fully
/// exhaustive matches do need an arm for the new variants below, whichever choice is made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The command line contains a NUL byte.
    ///
    /// Kept for compatibility. This crate rejects NUL bytes where they enter (as
    /// [`Error::InvalidAscii`] from the builder methods, [`Error::ControlByte`] from
    /// [`Cmdline::try_from`](crate::Cmdline::try_from)), so a [`Cmdline`](crate::Cmdline) can never
    /// hold one and `as_cstring` does not fail this way in practice.
    #[error("kernel command line contains a NUL byte")]
    NullTerminator,
    /// There are init arguments (the part after ` -- `) but no boot arguments before them.
    #[error(
        "kernel command line has init arguments but no boot arguments; \
         insert at least one boot argument before the ` -- ` separator"
    )]
    NoBootArgsInserted,
    /// The capacity is 0, or too small for the command line given to `try_from` plus its NUL.
    #[error(
        "invalid command line capacity: it must count the NUL terminator, \
         so it must be at least 1 and at least the line's length plus 1"
    )]
    InvalidCapacity,
    /// Text given to a builder method has a byte outside printable ASCII (0x20..=0x7e).
    #[error(
        "command line text must be printable ASCII (0x20..=0x7e): no control or non-ASCII characters"
    )]
    InvalidAscii,
    /// A parameter key contains a space.
    #[error("parameter key contains a space")]
    HasSpace,
    /// A parameter key contains an equals sign.
    #[error("parameter key contains '='")]
    HasEquals,
    /// `insert_multiple` was given no values for this key.
    ///
    /// The key is carried as a `String`, as upstream does, so code matching
    /// `Error::MissingVal(key)` keeps compiling; it is the only variant with a `String` payload.
    #[error("no value given for parameter {0:?}")]
    MissingVal(String),
    /// A virtio MMIO device of size 0 was asked for.
    #[error("virtio MMIO device size is 0")]
    MmioSize,
    /// Inserting the text would make the command line longer than its capacity (NUL included).
    #[error(
        "inserting this text would make the command line exceed its capacity (NUL terminator included)"
    )]
    TooLarge,
    /// A parameter value contains a space but is not enclosed in double quotes.
    #[error("parameter value contains a space but is not enclosed in double quotes")]
    NoQuoteSpace,
    /// A parameter value has a double quote somewhere other than its first or last character.
    #[error("parameter value has a double quote that is not its first or last character")]
    InvalidQuote,
    /// A control byte (0x00..=0x1f or 0x7f; NUL, tab and newline included) inside a command line
    /// being parsed or validated.
    #[error(
        "control byte {value:#04x} at offset {offset}: kernel command lines must be printable ASCII"
    )]
    ControlByte {
        /// Byte offset in the text that was parsed.
        offset: usize,
        /// The control byte.
        value: u8,
    },
    /// A byte above 0x7f (part of a non-ASCII character) inside a command line being parsed or
    /// validated.
    #[error(
        "non-ASCII byte {value:#04x} at offset {offset}: kernel command lines must be printable ASCII"
    )]
    NonAscii {
        /// Byte offset in the text that was parsed.
        offset: usize,
        /// The first offending byte.
        value: u8,
    },
    /// A double quote is opened and never closed, so the kernel would glue everything after it
    /// into one parameter.
    #[error("double quote at offset {offset} is never closed")]
    UnbalancedQuote {
        /// Byte offset of the unmatched quote in the text given to the failing call.
        offset: usize,
    },
    /// A second standalone, unquoted `--`: the first already separates boot from init arguments.
    ///
    /// Also returned when text inserted as init arguments contains a standalone `--`, which would
    /// be that second separator once rendered.
    #[error(
        "second standalone `--` at offset {offset}: a command line has exactly one \
         separator between boot and init arguments"
    )]
    DuplicateSeparator {
        /// Byte offset of the second `--` in the text given to the failing call.
        offset: usize,
    },
    /// Text inserted as boot arguments contains a standalone, unquoted `--`, which the kernel
    /// would read as the start of the init arguments.
    #[error(
        "standalone `--` at offset {offset} would end the boot arguments; \
         add init arguments with insert_init_args or parse a whole line with Cmdline::try_from"
    )]
    UnexpectedSeparator {
        /// Byte offset of the `--` in the inserted text.
        offset: usize,
    },
    /// A parameter key is empty, which would render as `=value`.
    #[error("parameter key is empty")]
    EmptyKey,
    /// The requested capacity is above [`MAX_CMDLINE_CAPACITY`](crate::limits::MAX_CMDLINE_CAPACITY).
    #[error("command line capacity {capacity} exceeds the limit of {max} bytes")]
    CapacityTooLarge {
        /// The capacity asked for.
        capacity: usize,
        /// The largest capacity accepted.
        max: usize,
    },
}

/// Result of command-line operations, as upstream's `linux_loader::cmdline::Result`.
pub type Result<T> = std::result::Result<T, Error>;
