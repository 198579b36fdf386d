// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Which kernels to measure: Debian's (through `test-kernels`) and the tiny ones `cargo xtask
//! fixtures build` lists in the kernel cache's `MANIFEST.toml`.

use std::path::{Path, PathBuf};

use test_kernels::Kernel;

/// How a kernel file is loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An x86 ELF vmlinux (`kernel-elf`).
    Elf,
    /// An x86 bzImage (`kernel-bzimage`): the protected-mode payload is copied as it is.
    BzImage,
    /// An arm64 or riscv64 `Image` (`kernel-pe`), uncompressed.
    Image,
}

/// A compressed kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compressed {
    /// The vmlinux inside an x86 bzImage, decompressed and loaded as an ELF (PVH boot).
    BzImageVmlinux,
    /// A gzip-compressed arm64/riscv64 `Image` (`Image.gz`).
    ImageGz,
    /// An EFI zboot image (`vmlinuz.efi`): a PE header in front of a compressed `Image`.
    Zboot,
    /// An uncompressed x86 vmlinux, recompressed by `lzop -9` when the bench is prepared (what
    /// `CONFIG_KERNEL_LZO` puts in a bzImage; no kernel in the cache is built that way), then
    /// decompressed and loaded as an ELF stream (PVH boot).
    LzopVmlinux,
}

/// One kernel file to measure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case<K> {
    /// The benchmark name inside its criterion group (`vmlinux`, `tiny-x86_64-vmlinux`, ...).
    pub name: String,
    /// The kernel file.
    pub path: PathBuf,
    /// How it is loaded.
    pub kind: K,
    /// File size in bytes.
    pub size: u64,
}

impl<K> Case<K> {
    fn new(name: impl Into<String>, path: PathBuf, kind: K) -> Option<Self> {
        let size = std::fs::metadata(&path).ok()?.len();
        Some(Self {
            name: name.into(),
            path,
            kind,
            size,
        })
    }
}

/// One `[[artifact]]` of the kernel cache's manifest (only the keys used here).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Artifact {
    /// `name`, e.g. `built-x86_64-vmlinux`.
    pub name: String,
    /// `kind`: `vmlinux`, `bzImage`, `image`, `zboot`, `image-gz`, ...
    pub kind: String,
    /// `arch`: `x86_64`, `arm64`, `riscv64`, ...
    pub arch: String,
    /// `origin`: `built` for the tiny kernels, `debian` for the distribution's.
    pub origin: String,
    /// `path`, relative to the cache directory.
    pub path: String,
}

/// Parses the kernel cache's `MANIFEST.toml` (flat `[[artifact]]` tables of `key = "string"`
/// lines, as `cargo xtask fixtures` writes it).
pub fn parse_manifest(text: &str) -> Vec<Artifact> {
    let mut out: Vec<Artifact> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line == "[[artifact]]" {
            out.push(Artifact::default());
            continue;
        }
        let (Some(current), Some((key, value))) = (out.last_mut(), line.split_once('=')) else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_owned();
        match key.trim() {
            "name" => current.name = value,
            "kind" => current.kind = value,
            "arch" => current.arch = value,
            "origin" => current.origin = value,
            "path" => current.path = value,
            _ => {}
        }
    }
    out
}

/// The tiny kernels in the cache's manifest whose file exists.
pub fn built_artifacts() -> Vec<(Artifact, PathBuf)> {
    let dir = test_kernels::cache_dir();
    let Ok(text) = std::fs::read_to_string(dir.join("MANIFEST.toml")) else {
        return Vec::new();
    };
    parse_manifest(&text)
        .into_iter()
        .filter(|a| a.origin == "built")
        .map(|a| {
            let path = dir.join(&a.path);
            (a, path)
        })
        .filter(|(_, path)| path.is_file())
        .collect()
}

/// `tiny-<arch>-<file name>`, lower case: `tiny-x86_64-bzimage-gzip`.
fn tiny_name(artifact: &Artifact, path: &Path) -> String {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    format!("tiny-{}-{}", artifact.arch, file.replace('.', "-"))
}

/// Prints the line a bench or test shows for a kernel it cannot find.
pub fn skipped(what: &str, kernel: Kernel) {
    eprintln!(
        "SKIPPED (benchmark): {what}: {kernel:?} is not in the kernel cache ({}); run `{}`",
        test_kernels::cache_dir()
            .join(kernel.relative_path())
            .display(),
        kernel.provided_by()
    );
}

/// The uncompressed kernels present: Debian's amd64 vmlinux and bzImage and arm64 Image, then
/// the tiny built ones. Missing Debian kernels are reported with a `SKIPPED` line.
pub fn plain_cases() -> Vec<Case<Format>> {
    let mut cases = Vec::new();
    for (name, kernel, format) in [
        ("vmlinux", Kernel::DebianAmd64Vmlinux, Format::Elf),
        ("bzimage", Kernel::DebianAmd64Bzimage, Format::BzImage),
        ("arm64-image", Kernel::DebianArm64Image, Format::Image),
    ] {
        match test_kernels::find(kernel).and_then(|p| Case::new(name, p, format)) {
            Some(case) => cases.push(case),
            None => skipped(name, kernel),
        }
    }
    let built = built_artifacts();
    if built.is_empty() {
        eprintln!(
            "SKIPPED (benchmark): no tiny kernels in {}; run `cargo xtask fixtures build`",
            test_kernels::cache_dir().join("MANIFEST.toml").display()
        );
    }
    for (artifact, path) in built {
        let format = match artifact.kind.as_str() {
            "vmlinux" => Format::Elf,
            "bzImage" => Format::BzImage,
            "image" => Format::Image,
            _ => continue,
        };
        let name = tiny_name(&artifact, &path);
        cases.extend(Case::new(name, path, format));
    }
    cases
}

/// The compressed kernels present: the vmlinux inside Debian's amd64 bzImage (LZ4) and inside
/// the tiny bzImages (gzip, xz, zstd), the tiny x86_64 vmlinux for `lzop -9`, Debian's arm64
/// `Image.gz`, the tiny EFI zboot images.
pub fn compressed_cases() -> Vec<Case<Compressed>> {
    let mut cases = Vec::new();
    let name = "bzimage-vmlinux";
    match test_kernels::find(Kernel::DebianAmd64Bzimage)
        .and_then(|p| Case::new(name, p, Compressed::BzImageVmlinux))
    {
        Some(case) => cases.push(case),
        None => skipped(name, Kernel::DebianAmd64Bzimage),
    }
    for (artifact, path) in built_artifacts() {
        if artifact.kind == "bzImage" {
            let name = format!("{}-vmlinux", tiny_name(&artifact, &path));
            cases.extend(Case::new(name, path, Compressed::BzImageVmlinux));
        }
    }
    let name = "tiny-x86_64-vmlinux-lzo";
    match test_kernels::find(Kernel::BuiltX86_64Vmlinux)
        .and_then(|p| Case::new(name, p, Compressed::LzopVmlinux))
    {
        Some(case) => cases.push(case),
        None => skipped(name, Kernel::BuiltX86_64Vmlinux),
    }
    let name = "arm64-image-gz";
    match test_kernels::find(Kernel::DebianArm64ImageGz)
        .and_then(|p| Case::new(name, p, Compressed::ImageGz))
    {
        Some(case) => cases.push(case),
        None => skipped(name, Kernel::DebianArm64ImageGz),
    }
    for (artifact, path) in built_artifacts() {
        if artifact.kind == "zboot" {
            let name = tiny_name(&artifact, &path);
            cases.extend(Case::new(name, path, Compressed::Zboot));
        }
    }
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines_become_artifacts() {
        let text = "# comment\n\n[[artifact]]\nname = \"built-x86_64-bzImage-xz\"\nkind = \
                    \"bzImage\"\narch = \"x86_64\"\norigin = \"built\"\npath = \
                    \"built/x/bzImage-xz\"\nsize = 3\n[[artifact]]\nname = \"d\"\n";
        let got = parse_manifest(text);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            Artifact {
                name: "built-x86_64-bzImage-xz".into(),
                kind: "bzImage".into(),
                arch: "x86_64".into(),
                origin: "built".into(),
                path: "built/x/bzImage-xz".into(),
            }
        );
        assert_eq!(
            tiny_name(&got[0], Path::new("built/x/bzImage-xz")),
            "tiny-x86_64-bzimage-xz"
        );
        assert_eq!(got[1].name, "d");
    }
}
