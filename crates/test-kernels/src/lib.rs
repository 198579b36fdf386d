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
    /// A tinyconfig x86_64 bzImage with a gzip payload (`cargo xtask fixtures build`).
    BuiltX86_64BzImageGzip,
    /// The same kernel with an xz payload.
    BuiltX86_64BzImageXz,
    /// The same kernel with a zstd payload.
    BuiltX86_64BzImageZstd,
    /// The tinyconfig x86_64 vmlinux those bzImages were built from (unstripped).
    BuiltX86_64Vmlinux,
    /// A tinyconfig arm64 `Image`.
    BuiltArm64Image,
    /// The same arm64 kernel as an EFI zboot image (`vmlinuz.efi`, gzip payload).
    BuiltArm64Zboot,
    /// A tinyconfig riscv64 `Image`.
    BuiltRiscv64Image,
}

impl Kernel {
    /// Path of the kernel relative to the cache directory.
    ///
    /// Built kernels live under a directory named after their configuration's hash, which only
    /// `MANIFEST.toml` knows: for them this is a description (`built/<see MANIFEST.toml: NAME>`)
    /// and [`find`] resolves the real path through the manifest.
    pub fn relative_path(self) -> &'static str {
        match self {
            Kernel::DebianAmd64Bzimage => "debian/amd64/vmlinuz",
            Kernel::DebianAmd64Vmlinux => "debian/amd64/vmlinux",
            Kernel::DebianArm64Image => "debian/arm64/Image",
            Kernel::DebianArm64ImageGz => "debian/arm64/Image.gz",
            Kernel::BuiltX86_64BzImageGzip => {
                "built/<see MANIFEST.toml: built-x86_64-bzImage-gzip>"
            }
            Kernel::BuiltX86_64BzImageXz => "built/<see MANIFEST.toml: built-x86_64-bzImage-xz>",
            Kernel::BuiltX86_64BzImageZstd => {
                "built/<see MANIFEST.toml: built-x86_64-bzImage-zstd>"
            }
            Kernel::BuiltX86_64Vmlinux => "built/<see MANIFEST.toml: built-x86_64-vmlinux>",
            Kernel::BuiltArm64Image => "built/<see MANIFEST.toml: built-arm64-Image>",
            Kernel::BuiltArm64Zboot => "built/<see MANIFEST.toml: built-arm64-vmlinuz.efi>",
            Kernel::BuiltRiscv64Image => "built/<see MANIFEST.toml: built-riscv64-Image>",
        }
    }

    /// The artifact's `name` in the cache's `MANIFEST.toml`, for kernels whose path the manifest
    /// decides (the built ones).
    pub fn manifest_name(self) -> Option<&'static str> {
        Some(match self {
            Kernel::BuiltX86_64BzImageGzip => "built-x86_64-bzImage-gzip",
            Kernel::BuiltX86_64BzImageXz => "built-x86_64-bzImage-xz",
            Kernel::BuiltX86_64BzImageZstd => "built-x86_64-bzImage-zstd",
            Kernel::BuiltX86_64Vmlinux => "built-x86_64-vmlinux",
            Kernel::BuiltArm64Image => "built-arm64-Image",
            Kernel::BuiltArm64Zboot => "built-arm64-vmlinuz.efi",
            Kernel::BuiltRiscv64Image => "built-riscv64-Image",
            Kernel::DebianAmd64Bzimage
            | Kernel::DebianAmd64Vmlinux
            | Kernel::DebianArm64Image
            | Kernel::DebianArm64ImageGz => return None,
        })
    }

    /// The command that puts this kernel in the cache.
    pub fn provided_by(self) -> &'static str {
        match self {
            Kernel::DebianAmd64Bzimage
            | Kernel::DebianAmd64Vmlinux
            | Kernel::DebianArm64Image
            | Kernel::DebianArm64ImageGz => "cargo xtask fixtures fetch",
            Kernel::BuiltX86_64BzImageGzip
            | Kernel::BuiltX86_64BzImageXz
            | Kernel::BuiltX86_64BzImageZstd
            | Kernel::BuiltX86_64Vmlinux
            | Kernel::BuiltArm64Image
            | Kernel::BuiltArm64Zboot
            | Kernel::BuiltRiscv64Image => "cargo xtask fixtures build",
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
    let dir = cache_dir();
    let path = match kernel.manifest_name() {
        Some(name) => dir.join(manifest_path(&dir, name)?),
        None => dir.join(kernel.relative_path()),
    };
    path.is_file().then_some(path)
}

/// The `path` of the `[[artifact]]` named `name` in `dir/MANIFEST.toml`.
///
/// The manifest is written by xtask in a fixed shape (one `key = "value"` per line, one
/// `[[artifact]]` table per file), so a line reader suffices and this crate needs no TOML parser.
fn manifest_path(dir: &std::path::Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.toml")).ok()?;
    let mut current_name: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if line == "[[artifact]]" {
            current_name = None;
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_owned();
        match key.trim() {
            "name" => current_name = Some(value),
            "path" if current_name.as_deref() == Some(name) => return Some(value),
            _ => {}
        }
    }
    None
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

/// Runs a Debian command-line tool (a compressor, say) as `tool args`, with `input` on stdin,
/// and returns its stdout; when the tool is missing, fails under CI and otherwise prints a loud
/// skip notice and returns `None`.
///
/// # Panics
///
/// When the tool fails, when stdin cannot be written, and under `CI=true` when the tool is
/// missing (`.ci/run` installs every tool the tests run).
#[allow(clippy::panic, clippy::expect_used)] // Failing the test is the point.
pub fn cli(tool: &str, args: &[&str], input: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            let msg = format!("`{tool}` is not available ({e}); install its Debian package");
            if in_ci() {
                panic!("CI=true and {msg}");
            }
            eprintln!("SKIPPED ({tool} CLI): {msg}");
            return None;
        }
    };
    // Write stdin from another thread: the tool may fill its stdout pipe before reading all of
    // its input.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("waiting for the tool");
    writer
        .join()
        .expect("stdin writer")
        .expect("writing the tool's stdin");
    assert!(out.status.success(), "`{tool} {args:?}` failed");
    Some(out.stdout)
}
