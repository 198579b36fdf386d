// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Errors of this crate.

/// What went wrong while reading x86 boot structures out of image bytes.
///
/// Every variant names the offset it is about and the values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The image ends before the end of the setup header.
    #[error(
        "bzImage setup header at {offset:#x}: needs {needed:#x} bytes, only {available:#x} \
         available — truncated image, or not a bzImage?"
    )]
    SetupHeaderTruncated {
        /// Image offset of the setup header (0x1f1).
        offset: usize,
        /// Size of the setup header.
        needed: usize,
        /// Bytes the image has at and after `offset` (0 if it ends before it).
        available: usize,
    },
}
