// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Unit tests of the pure parts: format probing, flag decoding, planning arithmetic.

use vm_memory::GuestAddress;

use crate::*;

fn arm64_header(image_size: u64, flags: u64) -> Vec<u8> {
    let mut h = vec![0u8; 64];
    h[0x10..0x18].copy_from_slice(&image_size.to_le_bytes());
    h[0x18..0x20].copy_from_slice(&flags.to_le_bytes());
    h[0x38..0x3c].copy_from_slice(b"ARM\x64");
    h
}

#[test]
fn probe_recognises_formats() {
    assert_eq!(
        probe(&[0x1f, 0x8b, 8]),
        ImageFormat::Compressed(Compression::Gzip)
    );
    assert_eq!(
        probe(&[0x28, 0xb5, 0x2f, 0xfd]),
        ImageFormat::Compressed(Compression::Zstd)
    );
    assert_eq!(
        probe(&[0x04, 0x22, 0x4d, 0x18]),
        ImageFormat::Compressed(Compression::Lz4)
    );
    assert_eq!(
        probe(&[0x02, 0x21, 0x4c, 0x18]),
        ImageFormat::Compressed(Compression::Lz4)
    );
    assert_eq!(
        probe(&[0xfd, b'7', b'z', b'X', b'Z', 0]),
        ImageFormat::Compressed(Compression::Xz)
    );
    assert_eq!(probe(b"BZh9"), ImageFormat::Compressed(Compression::Bzip2));
    assert_eq!(
        probe(b"\x89LZO\x00\r\n\x1a\n\x10\x40"),
        ImageFormat::Compressed(Compression::Lzo)
    );
    assert_eq!(probe(b"\x89LZO\x00\r\n\x1a"), ImageFormat::Unknown);
    assert_eq!(
        probe(b"MZ\0\0zimg"),
        ImageFormat::Compressed(Compression::EfiZboot)
    );
    assert_eq!(probe(&arm64_header(0, 0)), ImageFormat::Image(Arch::Arm64));
    assert_eq!(probe(&[]), ImageFormat::Unknown);
    assert_eq!(probe(&[0u8; 64]), ImageFormat::Unknown);
}

#[test]
fn arm64_flags_decode() {
    for (flags, page, anywhere) in [
        (0x0, PageSize::Unspecified, false),
        (0x2, PageSize::Size4K, false),
        (0x4, PageSize::Size16K, false),
        (0xe, PageSize::Size64K, true),
    ] {
        let info = parse_image_header(&arm64_header(0x1000, flags)).unwrap();
        assert_eq!(info.page_size, page);
        assert_eq!(info.phys_base_anywhere, anywhere);
        assert_eq!(info.flags, flags);
    }
    assert_eq!(PageSize::Size64K.bytes(), Some(0x1_0000));
    assert_eq!(PageSize::Unspecified.bytes(), None);
    // Legacy headers: flags did not exist, text_offset is 0x80000 whatever the field says.
    let mut legacy = arm64_header(0, 0xffff);
    legacy[0x08..0x10].copy_from_slice(&0x1234u64.to_le_bytes());
    let info = parse_image_header(&legacy).unwrap();
    assert_eq!((info.text_offset, info.flags), (0x80000, 0));
}

#[test]
fn plan_covers_image_size_or_file() {
    let info = parse_image_header(&arm64_header(0x3000, 2)).unwrap();
    let p = plan_image(&info, 0x1000, Some(GuestAddress(0x20_0000)), None).unwrap();
    assert_eq!(p.result.kernel_end, 0x20_3000);
    let seg = p.plan.segments()[0];
    assert_eq!((seg.file_len, seg.mem_len), (0x1000, 0x3000));
    // A file longer than image_size is loaded whole.
    let p = plan_image(&info, 0x4000, Some(GuestAddress(0x20_0000)), None).unwrap();
    assert_eq!(p.result.kernel_end, 0x20_4000);
    // The end of the kernel would wrap past 2^64.
    let big = parse_image_header(&arm64_header(0x30_0000, 2)).unwrap();
    assert!(matches!(
        plan_image(&big, 0x1000, Some(GuestAddress(!0x1f_ffff)), None),
        Err(Error::InvalidImage)
    ));
}

#[test]
fn messages_name_the_field() {
    let e = parse_image_header(&arm64_header(0x1000, 1)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "arm64 Image header at 0x18: flags 0x1 mark a big-endian kernel, which is not supported"
    );
    assert_eq!(
        Error::InvalidBaseAddrAlignment.to_string(),
        "PE Kernel Loader: base address not aligned to 2 MB"
    );
}
