// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The builder: upstream's behaviour where upstream is right, and the stricter checks.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

use kernel_cmdline::limits::MAX_CMDLINE_CAPACITY;
use kernel_cmdline::{Cmdline, Error};

fn rendered(cl: &Cmdline) -> Vec<u8> {
    cl.as_cstring().unwrap().into_bytes_with_nul()
}

#[test]
fn new_checks_capacity() {
    assert_eq!(Cmdline::new(0), Err(Error::InvalidCapacity));
    assert_eq!(
        Cmdline::new(MAX_CMDLINE_CAPACITY + 1),
        Err(Error::CapacityTooLarge {
            capacity: MAX_CMDLINE_CAPACITY + 1,
            max: MAX_CMDLINE_CAPACITY
        })
    );
    assert_eq!(
        Cmdline::new(usize::MAX),
        Err(Error::CapacityTooLarge {
            capacity: usize::MAX,
            max: MAX_CMDLINE_CAPACITY
        })
    );
    let cl = Cmdline::new(MAX_CMDLINE_CAPACITY).unwrap();
    assert_eq!(cl.capacity(), MAX_CMDLINE_CAPACITY);
    let cl = Cmdline::new(1).unwrap();
    assert_eq!((cl.len(), cl.is_empty()), (0, true));
    assert_eq!(rendered(&cl), b"\0");
}

#[test]
fn insert_key_value() {
    let mut cl = Cmdline::new(100).unwrap();
    cl.insert("hello", "world").unwrap();
    cl.insert("foo", "bar").unwrap();
    cl.insert("a", "\"b b\"").unwrap();
    cl.insert("c", "\" d\"").unwrap();
    cl.insert("empty", "").unwrap();
    cl.insert("q", "\"\"").unwrap();
    assert_eq!(
        rendered(&cl),
        b"hello=world foo=bar a=\"b b\" c=\" d\" empty= q=\"\"\0"
    );
    assert_eq!(cl.len(), 46);
    // String and &String work as upstream's `T: AsRef<str>` allows.
    let key = String::from("k");
    cl.insert(&key, &String::from("v")).unwrap();
    assert_eq!(cl.get("k").unwrap().as_str(), "k=v");
}

#[test]
fn insert_key_errors() {
    let mut cl = Cmdline::new(100).unwrap();
    assert_eq!(cl.insert("a ", "b"), Err(Error::HasSpace));
    assert_eq!(cl.insert(" a", "b"), Err(Error::HasSpace));
    assert_eq!(cl.insert("a ", "b "), Err(Error::HasSpace));
    assert_eq!(cl.insert("a=", "b"), Err(Error::HasEquals));
    assert_eq!(cl.insert("=a", "b "), Err(Error::HasEquals));
    assert_eq!(cl.insert("", "b"), Err(Error::EmptyKey));
    assert_eq!(cl.insert("💖", "love"), Err(Error::InvalidAscii));
    assert_eq!(cl.insert("a\tb", "c"), Err(Error::InvalidAscii));
    assert_eq!(cl.insert("a\0", "c"), Err(Error::InvalidAscii));
    assert!(cl.is_empty());
}

#[test]
fn insert_value_errors() {
    let mut cl = Cmdline::new(100).unwrap();
    assert_eq!(cl.insert("a", "b "), Err(Error::NoQuoteSpace));
    assert_eq!(cl.insert("a", "b c"), Err(Error::NoQuoteSpace));
    assert_eq!(cl.insert("a", "\"b c"), Err(Error::NoQuoteSpace));
    assert_eq!(cl.insert("a", "hello \"world"), Err(Error::InvalidQuote));
    assert_eq!(
        cl.insert("a", "\"foo bar\" \"foo bar\""),
        Err(Error::InvalidQuote)
    );
    assert_eq!(cl.insert("heart", "💖"), Err(Error::InvalidAscii));
    assert_eq!(cl.insert("a", "b\x7f"), Err(Error::InvalidAscii));
    assert_eq!(cl.insert("a", "b\nc"), Err(Error::InvalidAscii));
    // Upstream accepts these and renders an unclosed quote; the offset is into `key=value`.
    assert_eq!(
        cl.insert("a", "\"b"),
        Err(Error::UnbalancedQuote { offset: 2 })
    );
    assert_eq!(
        cl.insert("ab", "c\""),
        Err(Error::UnbalancedQuote { offset: 4 })
    );
    assert_eq!(
        cl.insert("a", "\""),
        Err(Error::UnbalancedQuote { offset: 2 })
    );
    assert!(cl.is_empty());
}

#[test]
fn insert_multiple() {
    let mut cl = Cmdline::new(10).unwrap();
    let none: [&str; 0] = [];
    assert_eq!(cl.insert_multiple("foo=", &none), Err(Error::HasEquals));
    assert_eq!(
        cl.insert_multiple("foo", &none),
        Err(Error::MissingVal("foo".to_string()))
    );
    assert_eq!(cl.insert_multiple("", &["x"]), Err(Error::EmptyKey));
    assert_eq!(
        cl.insert_multiple("foo", &["bar "]),
        Err(Error::NoQuoteSpace)
    );
    assert_eq!(cl.insert_multiple("💖", &["x"]), Err(Error::InvalidAscii));
    assert_eq!(
        cl.insert_multiple("heart", &["love", "💖"]),
        Err(Error::InvalidAscii)
    );
    assert_eq!(
        cl.insert_multiple("f", &["a", "b\"c\"d"]),
        Err(Error::InvalidQuote)
    );
    assert_eq!(
        cl.insert_multiple("f", &["a", "\"b"]),
        Err(Error::UnbalancedQuote { offset: 4 })
    );
    assert_eq!(
        cl.insert_multiple("foo", &["bar", "baz"]),
        Err(Error::TooLarge)
    );
    assert!(cl.is_empty());

    let mut cl = Cmdline::new(100).unwrap();
    cl.insert_multiple("foo", &["bar"]).unwrap();
    cl.insert_multiple("foo", &["bar", "\"b z\""]).unwrap();
    assert_eq!(rendered(&cl), b"foo=bar foo=bar,\"b z\"\0");
}

#[test]
fn insert_str_trims_and_joins() {
    let mut cl = Cmdline::new(13).unwrap();
    cl.insert_str("noapic").unwrap();
    cl.insert_str(" \tnopci\n").unwrap();
    assert_eq!(rendered(&cl), b"noapic nopci\0");
    // Whitespace-only text is a no-op (upstream appends a trailing space).
    cl.insert_str("").unwrap();
    cl.insert_str(" \n ").unwrap();
    assert_eq!(rendered(&cl), b"noapic nopci\0");
    // Inner spacing is kept as given.
    let mut cl = Cmdline::new(100).unwrap();
    cl.insert_str("a  b").unwrap();
    assert_eq!(cl.boot_args(), "a  b");
    // `--` is fine inside a parameter or quoted.
    cl.insert_str("--foo a--b -- \"--\" x=\"-- y\"".replace(" -- ", " "))
        .unwrap();
    assert_eq!(cl.boot_args(), "a  b --foo a--b \"--\" x=\"-- y\"");
}

#[test]
fn insert_str_errors() {
    let mut cl = Cmdline::new(20).unwrap();
    assert_eq!(cl.insert_str("heart=💖"), Err(Error::InvalidAscii));
    assert_eq!(cl.insert_str("a\0b"), Err(Error::InvalidAscii));
    assert_eq!(cl.insert_str("a\tb"), Err(Error::InvalidAscii));
    assert_eq!(cl.insert_str("a\x1bb"), Err(Error::InvalidAscii));
    assert_eq!(
        cl.insert_str("  a=\"b c"),
        Err(Error::UnbalancedQuote { offset: 4 })
    );
    assert_eq!(cl.insert_str("x".repeat(20)), Err(Error::TooLarge));
    assert!(cl.is_empty());
}

#[test]
fn insert_str_splits_at_the_first_separator_once() {
    let mut cl = Cmdline::new(64).unwrap();
    // A whole user line, as VMMs pass it through upstream's insert_str.
    cl.insert_str(" a -- b").unwrap();
    assert_eq!(cl.boot_args(), "a");
    assert_eq!(cl.init_args(), "b");
    // Now that init arguments exist, another separator would move the split.
    assert_eq!(
        cl.insert_str("c -- d"),
        Err(Error::UnexpectedSeparator { offset: 2 })
    );
    // Both halves or neither: the second separator is refused and nothing changes.
    let mut cl = Cmdline::new(64).unwrap();
    assert_eq!(
        cl.insert_str("a -- b -- c"),
        Err(Error::DuplicateSeparator { offset: 7 })
    );
    assert!(cl.is_empty());
    // Init arguments that do not fit leave the boot part untouched too.
    let mut cl = Cmdline::new(8).unwrap();
    assert_eq!(cl.insert_str("a -- bbbbbbbb"), Err(Error::TooLarge));
    assert!(cl.is_empty());
    assert_eq!(cl.as_cstring().unwrap().as_bytes(), b"");
}

#[test]
fn capacity_counts_the_nul() {
    let mut cl = Cmdline::new(4).unwrap();
    assert_eq!(cl.insert("hello", "world"), Err(Error::TooLarge));
    assert_eq!(cl.insert("a", "world"), Err(Error::TooLarge));
    assert_eq!(cl.insert("hello", "b"), Err(Error::TooLarge));
    cl.insert("a", "b").unwrap();
    assert_eq!(cl.insert("a", "b"), Err(Error::TooLarge));
    assert_eq!(cl.insert_str("a"), Err(Error::TooLarge));
    assert_eq!(rendered(&cl), b"a=b\0");
    assert_eq!(rendered(&cl).len(), cl.capacity());

    // "ab=ba" + " c=d" + NUL = 10.
    let mut cl = Cmdline::new(10).unwrap();
    cl.insert("ab", "ba").unwrap();
    assert_eq!(cl.insert("c", "da"), Err(Error::TooLarge));
    cl.insert("c", "d").unwrap();
    assert_eq!(cl.len(), 9);

    // "ab=ba" + " -- d" + NUL = 11.
    let mut cl = Cmdline::new(11).unwrap();
    cl.insert("ab", "ba").unwrap();
    assert_eq!(cl.insert_init_args("da"), Err(Error::TooLarge));
    cl.insert_init_args("d").unwrap();
    assert_eq!(rendered(&cl), b"ab=ba -- d\0");

    let mut cl = Cmdline::new(20).unwrap();
    cl.insert("ab", "ba").unwrap();
    cl.insert_init_args("da").unwrap();
    assert_eq!(cl.insert_init_args("abcdabcd"), Err(Error::TooLarge));
    cl.insert_init_args("abcdabc").unwrap();
    assert_eq!(cl.len(), 19);

    // Init arguments alone still reserve room for the separator.
    let mut cl = Cmdline::new(6).unwrap();
    assert_eq!(cl.insert_init_args("ab"), Err(Error::TooLarge));
    cl.insert_init_args("a").unwrap();
    assert_eq!(cl.len(), 5);
}

#[test]
fn init_args() {
    let mut cl = Cmdline::new(100).unwrap();
    assert_eq!(rendered(&cl), b"\0");
    cl.insert_init_args("/etc/password").unwrap();
    assert_eq!(cl.as_cstring(), Err(Error::NoBootArgsInserted));
    assert_eq!(Vec::try_from(cl.clone()), Err(Error::NoBootArgsInserted));
    assert_eq!(cl.boot_args(), "");
    assert_eq!(cl.init_args(), "/etc/password");
    cl.insert("console", "ttyS0").unwrap();
    assert_eq!(rendered(&cl), b"console=ttyS0 -- /etc/password\0");
    cl.insert_str("nomodules").unwrap();
    cl.insert_init_args("--param \"a -- b\"").unwrap();
    assert_eq!(
        rendered(&cl),
        b"console=ttyS0 nomodules -- /etc/password --param \"a -- b\"\0"
    );
    let init: Vec<&str> = cl.init_params().map(|p| p.as_str()).collect();
    assert_eq!(init, ["/etc/password", "--param", "\"a -- b\""]);
}

#[test]
fn init_args_errors() {
    let mut cl = Cmdline::new(30).unwrap();
    cl.insert_str("a").unwrap();
    assert_eq!(cl.insert_init_args("x💖"), Err(Error::InvalidAscii));
    assert_eq!(cl.insert_init_args("x\ny"), Err(Error::InvalidAscii));
    assert_eq!(
        cl.insert_init_args("x \"y"),
        Err(Error::UnbalancedQuote { offset: 2 })
    );
    assert_eq!(
        cl.insert_init_args(" x -- y"),
        Err(Error::DuplicateSeparator { offset: 3 })
    );
    assert_eq!(
        cl.insert_init_args("--"),
        Err(Error::DuplicateSeparator { offset: 0 })
    );
    assert_eq!(cl.insert_init_args("y".repeat(30)), Err(Error::TooLarge));
    assert_eq!(cl.init_args(), "");
    cl.insert_init_args("").unwrap();
    assert_eq!(rendered(&cl), b"a\0");
}

#[test]
fn virtio_mmio_devices() {
    let mut cl = Cmdline::new(5).unwrap();
    assert_eq!(
        cl.add_virtio_mmio_device(0, 0_u64, 0, None),
        Err(Error::MmioSize)
    );
    assert_eq!(
        cl.add_virtio_mmio_device(1, 0_u64, 0, None),
        Err(Error::TooLarge)
    );

    let mut cl = Cmdline::new(400).unwrap();
    cl.add_virtio_mmio_device(1, 0_u64, 1, None).unwrap();
    cl.add_virtio_mmio_device(2 << 10, 0x100_u64, 2, None)
        .unwrap();
    cl.add_virtio_mmio_device(3 << 20, 0x1000_u64, 3, None)
        .unwrap();
    cl.add_virtio_mmio_device(4 << 30, 0x1_0000_u64, 4, Some(42))
        .unwrap();
    cl.add_virtio_mmio_device(0x1800, u64::MAX, u32::MAX, Some(0))
        .unwrap();
    cl.add_virtio_mmio_device(1 << 40, 0xd000_0000_u64, 7, None)
        .unwrap();
    cl.add_virtio_mmio_device(0x1001, 0x10_u64, 8, None)
        .unwrap();
    assert_eq!(
        cl.as_cstring().unwrap().to_str().unwrap(),
        "virtio_mmio.device=1@0x0:1 virtio_mmio.device=2K@0x100:2 \
         virtio_mmio.device=3M@0x1000:3 virtio_mmio.device=4G@0x10000:4:42 \
         virtio_mmio.device=6K@0xffffffffffffffff:4294967295:0 \
         virtio_mmio.device=1024G@0xd0000000:7 virtio_mmio.device=4097@0x10:8"
    );
    assert_eq!(
        cl.get("virtio_mmio.device").unwrap().value(),
        Some("4097@0x10:8")
    );
}

#[cfg(feature = "vm-memory")]
#[test]
fn virtio_mmio_takes_guest_address() {
    use vm_memory::GuestAddress;
    let mut cl = Cmdline::new(100).unwrap();
    cl.add_virtio_mmio_device(1 << 12, GuestAddress(0x1000), 5, Some(42))
        .unwrap();
    assert_eq!(rendered(&cl), b"virtio_mmio.device=4K@0x1000:5:42\0");
    assert_eq!(
        cl.add_virtio_mmio_device(0, GuestAddress(0), 0, None),
        Err(Error::MmioSize)
    );
}

#[test]
fn equality_ignores_capacity() {
    let mut c1 = Cmdline::new(20).unwrap();
    let mut c2 = Cmdline::new(30).unwrap();
    c1.insert_str("hello world!").unwrap();
    c2.insert_str("hello").unwrap();
    assert_ne!(c1, c2);
    c2.insert_str("world!").unwrap();
    assert_eq!(c1, c2);

    // Upstream compares `as_cstring()` results, so these two compared equal there.
    let mut i1 = Cmdline::new(20).unwrap();
    let mut i2 = Cmdline::new(20).unwrap();
    i1.insert_init_args("a").unwrap();
    i2.insert_init_args("b").unwrap();
    assert_ne!(i1, i2);
}

#[test]
fn vec_from_cmdline() {
    let cl = Cmdline::new(10).unwrap();
    assert_eq!(Vec::try_from(cl).unwrap(), b"\0");
    let cl = Cmdline::try_from("foo", 10).unwrap();
    assert_eq!(Vec::try_from(cl).unwrap(), b"foo\0");
    let mut cl = Cmdline::new(20).unwrap();
    cl.insert_init_args("foo--bar").unwrap();
    assert_eq!(Vec::try_from(cl), Err(Error::NoBootArgsInserted));
}

#[test]
fn params_get_remove() {
    let mut cl = Cmdline::try_from(
        "console=tty0 ro a=\"x=y z\" console=ttyS0,115200 quiet= -- console=init",
        200,
    )
    .unwrap();
    let params: Vec<(&str, Option<&str>)> = cl.params().map(|p| (p.key(), p.value())).collect();
    assert_eq!(
        params,
        [
            ("console", Some("tty0")),
            ("ro", None),
            ("a", Some("\"x=y z\"")),
            ("console", Some("ttyS0,115200")),
            ("quiet", Some("")),
        ]
    );
    assert_eq!(cl.get("console").unwrap().value(), Some("ttyS0,115200"));
    assert_eq!(cl.get(String::from("ro")).unwrap().value(), None);
    assert_eq!(cl.get("init"), None);
    assert_eq!(cl.get("x"), None);

    assert_eq!(cl.remove("nothing"), 0);
    assert_eq!(cl.remove("console"), 2);
    assert_eq!(cl.get("console"), None);
    assert_eq!(cl.boot_args(), "ro a=\"x=y z\" quiet=");
    assert_eq!(cl.init_args(), "console=init");
    assert_eq!(cl.len(), cl.boot_args().len() + 4 + cl.init_args().len());

    assert_eq!(cl.remove("ro"), 1);
    assert_eq!(cl.remove("a"), 1);
    assert_eq!(cl.remove("quiet"), 1);
    assert_eq!(cl.boot_args(), "");
    // Removing every boot argument leaves init arguments that cannot be rendered alone.
    assert_eq!(cl.as_cstring(), Err(Error::NoBootArgsInserted));
    cl.insert_str("x").unwrap();
    assert_eq!(rendered(&cl), b"x -- console=init\0");
}

#[test]
fn error_messages_name_the_problem() {
    let cases = [
        (
            Error::ControlByte {
                offset: 3,
                value: 0,
            },
            "control byte 0x00 at offset 3",
        ),
        (
            Error::NonAscii {
                offset: 1,
                value: 0xf0,
            },
            "non-ASCII byte 0xf0 at offset 1",
        ),
        (
            Error::UnbalancedQuote { offset: 9 },
            "double quote at offset 9 is never closed",
        ),
        (
            Error::DuplicateSeparator { offset: 7 },
            "second standalone `--` at offset 7",
        ),
        (
            Error::UnexpectedSeparator { offset: 2 },
            "standalone `--` at offset 2 would end the boot arguments",
        ),
        (
            Error::CapacityTooLarge {
                capacity: 5,
                max: 4,
            },
            "capacity 5 exceeds the limit of 4 bytes",
        ),
        (
            Error::MissingVal("foo".into()),
            "no value given for parameter \"foo\"",
        ),
        (Error::NullTerminator, "NUL byte"),
        (Error::EmptyKey, "key is empty"),
    ];
    for (err, expected) in cases {
        let msg = err.to_string();
        assert!(msg.contains(expected), "{msg:?} lacks {expected:?}");
    }
    let boxed: Box<dyn std::error::Error> = Box::new(Error::TooLarge);
    assert!(boxed.to_string().contains("capacity"));
}
