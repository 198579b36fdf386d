// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Compressed kernels: ours decompresses straight into guest memory; the baseline is the
//! distribution's command-line decompressor (`gzip`, `lz4`, `xz`, `zstd`, `bzip2`, `lzop`)
//! decompressing the same payload, extracted once beforehand, to `/dev/null` (process start
//! included).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kernel_bzimage::{BzImage, Compression, Limits, payload_info};
use kernel_elf::Elf;
use kernel_pe::{PE, locate_compressed};
use vm_memory::GuestAddress;

use crate::kernels::{Case, Compressed};
use crate::load::{ARM64_KERNEL, ARM64_RAM, Mem, X86_RAM, warm_page_cache};

/// Whether this build decodes zstd with the reference C libzstd (this crate's `zstd-libzstd`
/// feature, which turns on kernel-decompress's) rather than ruzstd, the pure-Rust default.
pub const LIBZSTD: bool = cfg!(feature = "zstd-libzstd");

/// What a zstd case's name ends with in a libzstd build, so that both backends' results sit side
/// by side in criterion's directory and the table: `cargo xtask bench` runs the zstd cases a
/// second time, built with `zstd-libzstd` and filtered to `compressed/.*-libzstd/`.
pub const LIBZSTD_SUFFIX: &str = "-libzstd";

/// A compressed kernel ready to be loaded repeatedly.
#[derive(Debug)]
pub struct PreparedCompressed {
    /// The kernel.
    pub case: Case<Compressed>,
    file: File,
    /// The payload's compression.
    pub compression: Compression,
    /// Decompressed size, from the kernel's size trailer or gzip's `ISIZE` (0 when the
    /// container does not say).
    pub decompressed_len: u64,
    cli: Option<(Vec<&'static str>, PathBuf)>,
}

/// The command line that decompresses `compression` to stdout, as Debian's tools spell it.
pub fn cli_for(compression: Compression) -> Option<Vec<&'static str>> {
    Some(match compression {
        Compression::Gzip => vec!["gzip", "-dc"],
        Compression::Lz4Legacy | Compression::Lz4Frame => vec!["lz4", "-dcq"],
        Compression::Xz => vec!["xz", "-dc"],
        Compression::Lzma => vec!["xz", "--format=lzma", "-dc"],
        Compression::Zstd => vec!["zstd", "-dcq"],
        Compression::Bzip2 => vec!["bzip2", "-dc"],
        Compression::Lzo => vec!["lzop", "-dc"],
        _ => return None,
    })
}

impl PreparedCompressed {
    /// Opens the kernel, finds its payload with the loader crates' own functions, and writes
    /// the compressed stream into `scratch_dir` for the command-line decompressor (without the
    /// kernel's 4-byte size trailer, which only gzip reads, as its own `ISIZE`). A
    /// [`Compressed::LzopVmlinux`] is first compressed by `lzop -9` into `scratch_dir`, and
    /// `case` then names that file.
    pub fn new(mut case: Case<Compressed>, scratch_dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(scratch_dir).map_err(|e| e.to_string())?;
        let mut lzop_input_len = 0;
        if case.kind == Compressed::LzopVmlinux {
            let lzo = scratch_dir.join(format!("{}.lzo", case.name));
            lzop_input_len = lzop_9(&case.path, &lzo)?;
            case.size = std::fs::metadata(&lzo).map_err(|e| e.to_string())?.len();
            case.path = lzo;
        }
        let mut file =
            File::open(&case.path).map_err(|e| format!("{}: {e}", case.path.display()))?;
        let (compression, offset, len, decompressed_len) = match case.kind {
            Compressed::BzImageVmlinux => {
                let info = payload_info(&mut file).map_err(|e| e.to_string())?;
                let trailer = if info.compression == Compression::Gzip {
                    0
                } else {
                    4
                };
                (
                    info.compression,
                    info.payload.file_offset,
                    info.payload.len - trailer,
                    info.vmlinux_len,
                )
            }
            Compressed::ImageGz | Compressed::Zboot => {
                let located = locate_compressed(&mut file).map_err(|e| e.to_string())?;
                (
                    located.compression,
                    located.payload_offset,
                    located.payload_len,
                    located.decompressed_len.unwrap_or(0),
                )
            }
            Compressed::LzopVmlinux => (Compression::Lzo, 0, case.size, lzop_input_len),
        };
        let mut payload = vec![0u8; len as usize];
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut payload))
            .map_err(|e| e.to_string())?;
        let payload_path = scratch_dir.join(format!("{}.payload", case.name));
        std::fs::write(&payload_path, &payload).map_err(|e| e.to_string())?;
        warm_page_cache(&mut file).map_err(|e| e.to_string())?;
        let cli = cli_for(compression).map(|argv| (argv, payload_path));
        Ok(Self {
            case,
            file,
            compression,
            decompressed_len,
            cli,
        })
    }

    /// Whether our load decodes through C libzstd (zstd in a [`LIBZSTD`] build), which allocates
    /// its window through C `malloc`, where the counting allocator cannot see it.
    pub fn decoded_by_libzstd(&self) -> bool {
        LIBZSTD && self.compression == Compression::Zstd
    }

    /// The benchmark name: the case's, with [`LIBZSTD_SUFFIX`] when
    /// [decoded by libzstd](Self::decoded_by_libzstd).
    pub fn bench_name(&self) -> String {
        if self.decoded_by_libzstd() {
            format!("{}{LIBZSTD_SUFFIX}", self.case.name)
        } else {
            self.case.name.clone()
        }
    }

    /// The compression, and for zstd which decoder this build uses: `Zstd (ruzstd, pure Rust)`.
    pub fn codec(&self) -> String {
        match self.compression {
            Compression::Zstd if LIBZSTD => "Zstd (C libzstd, feature `zstd-libzstd`)".to_owned(),
            Compression::Zstd => "Zstd (ruzstd, pure Rust)".to_owned(),
            c => format!("{c:?}"),
        }
    }

    /// Where guest RAM starts for this kernel: x86 for a bzImage's vmlinux, arm64 otherwise.
    pub fn ram_base(&self) -> u64 {
        match self.case.kind {
            Compressed::BzImageVmlinux | Compressed::LzopVmlinux => X86_RAM,
            Compressed::ImageGz | Compressed::Zboot => ARM64_RAM,
        }
    }

    /// Our load: the payload decompressed straight into `mem` (guest RAM at
    /// [`Self::ram_base`], large enough for the kernel) — the vmlinux's ELF segments for a
    /// bzImage or an lzop vmlinux (its whole stream decoded, as `BzImage::load_vmlinux` does),
    /// the `Image` at RAM + 2 MiB otherwise; returns the bytes decompressed into guest memory.
    pub fn ours(&mut self, mem: &Mem) -> Result<u64, String> {
        match self.case.kind {
            Compressed::BzImageVmlinux => {
                BzImage::load_vmlinux(mem, None, &mut self.file, None, Limits::default())
                    .map(|l| l.elf.summary.file_bytes)
                    .map_err(|e| e.to_string())
            }
            Compressed::ImageGz | Compressed::Zboot => PE::load_compressed(
                mem,
                Some(GuestAddress(ARM64_KERNEL)),
                &mut self.file,
                None,
                Limits::default(),
            )
            .map(|l| l.decompressed_len)
            .map_err(|e| e.to_string()),
            Compressed::LzopVmlinux => {
                self.file
                    .seek(SeekFrom::Start(0))
                    .map_err(|e| e.to_string())?;
                let limits = Limits::default().with_expected_size(Some(self.decompressed_len));
                let mut stream =
                    kernel_decompress::decoder(Compression::Lzo, &mut self.file, limits)
                        .map_err(|e| e.to_string())?;
                let loaded = Elf::load_from_stream(
                    mem,
                    None,
                    &mut stream,
                    None,
                    Some(self.decompressed_len),
                )
                .map_err(|e| e.to_string())?;
                // The rest (the relocation table the build appends), checksums included.
                std::io::copy(&mut stream, &mut std::io::sink()).map_err(|e| e.to_string())?;
                Ok(loaded.summary.file_bytes)
            }
        }
    }

    /// The command line the baseline runs, for reports.
    pub fn cli_command(&self) -> Option<String> {
        self.cli.as_ref().map(|(argv, _)| argv.join(" "))
    }

    /// Runs the command-line decompressor once; `None` when there is none for this
    /// compression. The output goes to `/dev/null`; the bytes it produced are counted by
    /// [`Self::cli_output_len`] instead.
    pub fn cli(&self) -> Option<Result<(), String>> {
        let (argv, payload) = self.cli.as_ref()?;
        let status = Command::new(argv[0])
            .args(&argv[1..])
            .arg(payload)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        Some(match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("`{}` failed with {s}", argv.join(" "))),
            Err(e) => Err(format!("`{}`: {e}", argv[0])),
        })
    }

    /// How many bytes the command-line decompressor produces (checked once against the size
    /// trailer, so both contenders decompress the same data).
    pub fn cli_output_len(&self) -> Option<Result<u64, String>> {
        let (argv, payload) = self.cli.as_ref()?;
        let out = Command::new(argv[0])
            .args(&argv[1..])
            .arg(payload)
            .stderr(Stdio::null())
            .output();
        Some(match out {
            Ok(o) if o.status.success() => Ok(o.stdout.len() as u64),
            Ok(o) => Err(format!("`{}` failed with {}", argv.join(" "), o.status)),
            Err(e) => Err(format!("`{}`: {e}", argv[0])),
        })
    }
}

/// `lzop -9 < input > output`, as the kernel's build runs it; returns the input's size.
fn lzop_9(input: &Path, output: &Path) -> Result<u64, String> {
    let from = File::open(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let to = File::create(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let status = Command::new("lzop")
        .arg("-9")
        .stdin(from)
        .stdout(to)
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("`lzop` is not available ({e}); install it (Debian package lzop)"))?;
    if !status.success() {
        return Err(format!("`lzop -9` failed with {status}"));
    }
    std::fs::metadata(input)
        .map(|m| m.len())
        .map_err(|e| e.to_string())
}
