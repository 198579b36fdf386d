// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Test-only helper that finds the real kernels `cargo xtask fixtures fetch` / `build` put in the
//! kernel cache (tier 2 of the test plan in ARCHITECTURE.md).
//!
//! A test asks for a kernel with [`require`]. When the kernel is missing, a local run prints a
//! loud `SKIPPED` line naming the command that provides it and the test returns early; under
//! `CI=true` a missing kernel fails the test, so CI can never pass without having run on it.
//!
//! ```no_run
//! let Some(vmlinux) = test_kernels::require(test_kernels::Kernel::DebianAmd64Vmlinux) else {
//!     return;
//! };
//! assert!(std::fs::metadata(&vmlinux).unwrap().len() > 0);
//! ```

use std::path::PathBuf;

/// The kernels the cache can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kernel {
    /// Debian's 6.1 cloud amd64 `vmlinuz` (a bzImage, LZ4 payload).
    DebianAmd64Bzimage,
    /// The vmlinux extracted from that bzImage (ELF64 with a PVH note).
    DebianAmd64Vmlinux,
    /// Debian's 6.1 cloud arm64 `Image` (uncompressed, EFI stub).
    DebianArm64Image,
    /// The same arm64 Image, gzip-compressed.
    DebianArm64ImageGz,
}

impl Kernel {
    /// Path of the kernel relative to the cache directory.
    pub fn relative_path(self) -> &'static str {
        match self {
            Kernel::DebianAmd64Bzimage => "debian/amd64/vmlinuz",
            Kernel::DebianAmd64Vmlinux => "debian/amd64/vmlinux",
            Kernel::DebianArm64Image => "debian/arm64/Image",
            Kernel::DebianArm64ImageGz => "debian/arm64/Image.gz",
        }
    }

    /// The command that puts this kernel in the cache.
    pub fn provided_by(self) -> &'static str {
        match self {
            Kernel::DebianAmd64Bzimage
            | Kernel::DebianAmd64Vmlinux
            | Kernel::DebianArm64Image
            | Kernel::DebianArm64ImageGz => "cargo xtask fixtures fetch",
        }
    }
}

/// The kernel cache: `$LINUX_LOADER_KERNEL_CACHE`, else `$HOME/.cache/linux-loader-kernels`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("LINUX_LOADER_KERNEL_CACHE") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
    home.join(".cache").join("linux-loader-kernels")
}

/// The kernel's path if it is in the cache.
pub fn find(kernel: Kernel) -> Option<PathBuf> {
    let path = cache_dir().join(kernel.relative_path());
    path.is_file().then_some(path)
}

/// Whether this run must not skip (`CI` set to `true` or `1`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The kernel's path; when it is missing, fails under CI and otherwise prints a loud skip notice
/// and returns `None`.
///
/// # Panics
///
/// Under `CI=true` when the kernel is missing: a CI run must have fetched it.
#[allow(clippy::panic)] // Failing the test is the point under CI.
pub fn require(kernel: Kernel) -> Option<PathBuf> {
    if let Some(path) = find(kernel) {
        return Some(path);
    }
    let msg = format!(
        "{kernel:?} is not in the kernel cache ({}); run `{}`",
        cache_dir().join(kernel.relative_path()).display(),
        kernel.provided_by()
    );
    if in_ci() {
        panic!("CI=true and {msg}");
    }
    eprintln!("SKIPPED (real-kernel test): {msg}");
    None
}
