// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Recognising a compressed stream by its first bytes.

use std::fmt;

/// A compression format the kernel's build can produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Compression {
    /// gzip (`1f 8b`): `Image.gz`, `CONFIG_KERNEL_GZIP`.
    Gzip,
    /// bzip2 (`"BZh"`): `CONFIG_KERNEL_BZIP2`.
    Bzip2,
    /// Legacy `.lzma` (`5d 00 00`: properties byte 0x5d and a power-of-two dictionary size),
    /// as `lzma -9` writes it: `CONFIG_KERNEL_LZMA`.
    Lzma,
    /// xz (`fd 37 7a 58 5a 00`), usually with a BCJ filter: `CONFIG_KERNEL_XZ`.
    Xz,
    /// lzop (`89 4c 5a 4f 00 0d 0a 1a 0a`): `CONFIG_KERNEL_LZO`, `Image.lzo`.
    Lzo,
    /// The legacy LZ4 format of `lz4 -l` (`02 21 4c 18`): `CONFIG_KERNEL_LZ4`, Debian's amd64
    /// bzImage, `Image.lz4`.
    Lz4Legacy,
    /// The LZ4 frame format (`04 22 4d 18`), what the `lz4` tool writes by default.
    Lz4Frame,
    /// zstd (`28 b5 2f fd`): `CONFIG_KERNEL_ZSTD`, `Image.zst`.
    Zstd,
}

impl Compression {
    /// Every format, in the order [`detect`] tries them.
    pub const ALL: [Compression; 8] = [
        Compression::Gzip,
        Compression::Bzip2,
        Compression::Lzma,
        Compression::Xz,
        Compression::Lzo,
        Compression::Lz4Legacy,
        Compression::Lz4Frame,
        Compression::Zstd,
    ];

    /// The longest magic of any format (lzop's, 9 bytes): how many bytes a caller must hand
    /// [`detect`] to recognise every format.
    pub const MAGIC_LEN: usize = {
        let mut longest = 0;
        let mut rest: &[Compression] = &Self::ALL;
        while let [first, tail @ ..] = rest {
            if first.magic().len() > longest {
                longest = first.magic().len();
            }
            rest = tail;
        }
        longest
    };

    /// The magic bytes that start a stream of this format.
    pub const fn magic(self) -> &'static [u8] {
        match self {
            Compression::Gzip => &[0x1f, 0x8b],
            Compression::Bzip2 => b"BZh",
            Compression::Lzma => &[0x5d, 0x00, 0x00],
            Compression::Xz => &[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
            Compression::Lzo => &[0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a],
            Compression::Lz4Legacy => &[0x02, 0x21, 0x4c, 0x18],
            Compression::Lz4Frame => &[0x04, 0x22, 0x4d, 0x18],
            Compression::Zstd => &[0x28, 0xb5, 0x2f, 0xfd],
        }
    }

    /// A short lower-case name (`"gzip"`, `"lz4-legacy"`...).
    pub const fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Lzma => "lzma",
            Compression::Xz => "xz",
            Compression::Lzo => "lzo",
            Compression::Lz4Legacy => "lz4-legacy",
            Compression::Lz4Frame => "lz4-frame",
            Compression::Zstd => "zstd",
        }
    }

    /// The cargo feature of this crate that enables the decoder, or `None` when no decoder
    /// exists (none today: every format has one).
    pub const fn feature(self) -> Option<&'static str> {
        match self {
            Compression::Gzip => Some("gzip"),
            Compression::Bzip2 => Some("bzip2"),
            Compression::Lzma => Some("lzma"),
            Compression::Xz => Some("xz"),
            Compression::Lzo => Some("lzo"),
            Compression::Lz4Legacy | Compression::Lz4Frame => Some("lz4"),
            Compression::Zstd => Some("zstd"),
        }
    }

    /// Whether this build can decode the format (its feature is enabled and a decoder exists).
    pub const fn is_supported(self) -> bool {
        match self {
            Compression::Gzip => cfg!(feature = "gzip"),
            Compression::Bzip2 => cfg!(feature = "bzip2"),
            Compression::Lzma => cfg!(feature = "lzma"),
            Compression::Xz => cfg!(feature = "xz"),
            Compression::Lzo => cfg!(feature = "lzo"),
            Compression::Lz4Legacy | Compression::Lz4Frame => cfg!(feature = "lz4"),
            Compression::Zstd => cfg!(feature = "zstd"),
        }
    }

    /// The format an EFI zboot header names in its compression-type string (offset 0x18):
    /// the kernel writes `gzip`, `lz4`, `lzma`, `lzo`, `xzkern` or `zstd22` there. Its `lz4` is
    /// the legacy format (`lz4 -l`).
    pub fn from_zboot_name(name: &[u8]) -> Option<Compression> {
        Some(match name {
            b"gzip" => Compression::Gzip,
            b"lz4" => Compression::Lz4Legacy,
            b"lzma" => Compression::Lzma,
            b"lzo" => Compression::Lzo,
            b"xzkern" | b"xz" => Compression::Xz,
            b"zstd22" | b"zstd" => Compression::Zstd,
            b"bzip2" => Compression::Bzip2,
            _ => return None,
        })
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The compression format whose magic starts `bytes`, if any.
///
/// Looks at most at the first 9 bytes; never fails. `lzma` has no real magic — its first bytes
/// are a properties byte and a dictionary size — so `5d 00 00` (the properties every `lzma`
/// preset uses, with a dictionary of at least 64 KiB) is taken as lzma, as the kernel's own
/// decompressor selection does.
///
/// ```
/// use kernel_decompress::{Compression, detect};
/// assert_eq!(detect(&[0x1f, 0x8b, 0x08, 0x00]), Some(Compression::Gzip));
/// assert_eq!(detect(&[0x02, 0x21, 0x4c, 0x18, 0x10]), Some(Compression::Lz4Legacy));
/// assert_eq!(detect(b"\x7fELF"), None);
/// ```
pub fn detect(bytes: &[u8]) -> Option<Compression> {
    Compression::ALL
        .into_iter()
        .find(|c| bytes.starts_with(c.magic()))
}
