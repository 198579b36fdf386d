// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Command lines built the way VMMs build them against upstream: key/value and raw inserts,
//! virtio-mmio devices, init arguments after `--`, parsing an existing line, and matching on
//! `cmdline::Error` variants.

// Test code: unwrap/expect are how VMM code reads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use linux_loader::cmdline::{Cmdline, Error};
use linux_loader::loader::Cmdline as LoaderCmdline;
use vm_memory::GuestAddress;

#[test]
fn builds_a_vmm_command_line_with_virtio_mmio_devices_and_init_args() {
    let mut cmdline = Cmdline::new(4096).unwrap();
    cmdline
        .insert_str("console=ttyS0 reboot=k panic=1")
        .unwrap();
    cmdline.insert("root", "/dev/vda").unwrap();
    cmdline
        .insert_multiple("isolcpus", &["1", "2", "3"])
        .unwrap();
    cmdline
        .add_virtio_mmio_device(0x1000, GuestAddress(0xd000_0000), 5, None)
        .unwrap();
    cmdline
        .add_virtio_mmio_device(0x20_0000, GuestAddress(0xd000_1000), 6, Some(1))
        .unwrap();
    cmdline.insert_init_args("--log-level=debug").unwrap();

    assert_eq!(
        cmdline.as_cstring().unwrap().as_bytes(),
        b"console=ttyS0 reboot=k panic=1 root=/dev/vda isolcpus=1,2,3 \
virtio_mmio.device=4K@0xd0000000:5 virtio_mmio.device=2M@0xd0001000:6:1 -- --log-level=debug"
    );
    let bytes: Vec<u8> = Vec::try_from(cmdline).unwrap();
    assert_eq!(bytes.last(), Some(&0));
}

#[test]
fn parses_an_existing_line_and_appends() {
    let mut cmdline = Cmdline::try_from("console=ttyS0 -- init_arg", 128).unwrap();
    cmdline.insert_str("quiet").unwrap();
    assert_eq!(
        cmdline.as_cstring().unwrap().to_str().unwrap(),
        "console=ttyS0 quiet -- init_arg"
    );
    // `loader::Cmdline` is the same type.
    let same: LoaderCmdline = cmdline.clone();
    assert_eq!(same, cmdline);
}

#[test]
fn errors_match_upstream_variants() {
    let mut cmdline = Cmdline::new(16).unwrap();
    assert_eq!(cmdline.insert("a b", "c"), Err(Error::HasSpace));
    assert_eq!(cmdline.insert("a=", "c"), Err(Error::HasEquals));
    assert_eq!(cmdline.insert("a", "c d"), Err(Error::NoQuoteSpace));
    assert_eq!(cmdline.insert_str("ä"), Err(Error::InvalidAscii));
    assert_eq!(
        cmdline.insert_str("0123456789abcdef0123"),
        Err(Error::TooLarge)
    );
    assert_eq!(
        cmdline.add_virtio_mmio_device(0, GuestAddress(0), 1, None),
        Err(Error::MmioSize)
    );
    assert_eq!(Cmdline::new(0).unwrap_err(), Error::InvalidCapacity);
    let msg = Error::TooLarge.to_string();
    assert!(!msg.is_empty());
}
