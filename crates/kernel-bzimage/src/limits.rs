// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Named limits. Each bounds work or memory driven by an untrusted bzImage header and says why it
//! is that number.

/// Largest `setup_sects` accepted (after the "0 means 4" rule).
///
/// The real-mode setup code runs in one 64 KiB segment together with its heap and stack, and the
/// kernel's `arch/x86/boot/setup.ld` asserts `_end <= 0x8000` ("Setup too big!"), so a kernel
/// built by Linux's own tools has at most 63 setup sectors (Debian's 6.1 kernel has 39). GRUB
/// refuses more than 64 (`GRUB_LINUX_MAX_SETUP_SECTS`); we accept the same.
pub const MAX_SETUP_SECTS: u8 = 64;

/// The longest setup code: the boot sector plus [`MAX_SETUP_SECTS`] setup sectors (33 KiB).
///
/// A prefix this long holds the setup header and the kernel version string, which lives in the
/// setup code, so it is what to pass to [`crate::parse`] for a complete [`crate::BzImageInfo`].
/// The loaders themselves read less: the header, then only the version string's bytes.
pub const MAX_SETUP_BYTES: usize = (64 + 1) * 512;

const _: () = assert!(
    MAX_SETUP_SECTS == 64,
    "update MAX_SETUP_BYTES with MAX_SETUP_SECTS"
);

/// Longest kernel version string reported, in bytes without the terminating NUL.
///
/// The string is `UTS_RELEASE " (" LINUX_COMPILE_BY "@" LINUX_COMPILE_HOST ") " UTS_VERSION`; each
/// `utsname` part is at most 64 bytes, so a real string stays well under 256 bytes (Debian's 6.1
/// is about 130). Longer or unterminated strings are not reported.
pub const MAX_KERNEL_VERSION_LEN: usize = 256;

/// Largest protected-mode part (`syssize * 16`) accepted: 1 GiB.
///
/// The protected-mode part is the compressed kernel plus its decompressor, and the x86_64 kernel
/// image itself may span at most `KERNEL_IMAGE_SIZE` = 1 GiB (with KASLR; 512 MiB without). A
/// larger claim is a corrupt header, and rejecting it keeps a hostile `syssize` (up to 64 GiB)
/// from driving a multi-gigabyte copy.
pub const MAX_PROTECTED_MODE_SIZE: u64 = 1 << 30;
