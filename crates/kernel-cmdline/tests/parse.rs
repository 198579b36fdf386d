// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `Cmdline::try_from`: splitting into boot and init arguments, and every rejection.

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

const CAP: usize = 4096;

fn parts(line: &str) -> (String, String) {
    let cl = Cmdline::try_from(line, CAP).unwrap();
    (cl.boot_args().to_string(), cl.init_args().to_string())
}

fn pair(boot: &str, init: &str) -> (String, String) {
    (boot.to_string(), init.to_string())
}

#[test]
fn splits_at_the_first_standalone_separator() {
    assert_eq!(
        parts("hello=world foo=bar"),
        pair("hello=world foo=bar", "")
    );
    assert_eq!(
        parts("hello=world -- foo=bar"),
        pair("hello=world", "foo=bar")
    );
    assert_eq!(
        parts("hello=world --foo=bar -- arg1 --arg2"),
        pair("hello=world --foo=bar", "arg1 --arg2")
    );
    assert_eq!(parts("arg1-- arg2 --arg3"), pair("arg1-- arg2 --arg3", ""));
    assert_eq!(parts("a=\"b -- c\" d -- e "), pair("a=\"b -- c\" d", "e"));
    assert_eq!(
        parts("foo--bar=baz a=\"b -- c\""),
        pair("foo--bar=baz a=\"b -- c\"", "")
    );
    assert_eq!(parts("--foo --bar"), pair("--foo --bar", ""));
    assert_eq!(
        parts("foo=\"bar--baz\" foo"),
        pair("foo=\"bar--baz\" foo", "")
    );
    assert_eq!(parts("foo --  bar"), pair("foo", "bar"));
    assert_eq!(parts("a  b  --   c  d"), pair("a  b", "c  d"));
    // A trailing separator means no init arguments, as in the kernel.
    assert_eq!(parts("foo --"), pair("foo", ""));
    assert_eq!(parts("--"), pair("", ""));
    assert_eq!(parts(""), pair("", ""));
    assert_eq!(parts("   "), pair("", ""));
}

#[test]
fn trims_surrounding_whitespace() {
    // `/proc/cmdline` ends with a newline.
    assert_eq!(parts("\tconsole=ttyS0 ro\n"), pair("console=ttyS0 ro", ""));
    assert_eq!(parts(" \r\n a -- b \n"), pair("a", "b"));
}

#[test]
fn renders_what_it_parsed() {
    let line = "console=ttyS0 nomodules -- /etc/password --param";
    let cl = Cmdline::try_from(line, CAP).unwrap();
    assert_eq!(cl.as_cstring().unwrap().to_str().unwrap(), line);
    assert_eq!(cl.len(), line.len());
    assert_eq!(cl.capacity(), CAP);
}

#[test]
fn capacity_must_hold_the_line_and_its_nul() {
    assert_eq!(Cmdline::try_from("", 0), Err(Error::InvalidCapacity));
    assert_eq!(
        Cmdline::try_from("foo --  bar", 0),
        Err(Error::InvalidCapacity)
    );
    // "foo -- bar" is 10 bytes; with the NUL it needs 11.
    assert_eq!(
        Cmdline::try_from("foo --  bar", 10),
        Err(Error::InvalidCapacity)
    );
    assert_eq!(Cmdline::try_from("foo --  bar", 11).unwrap().len(), 10);
    assert_eq!(Cmdline::try_from("", 1).unwrap().len(), 0);
    let long = "X".repeat(CAP);
    assert_eq!(Cmdline::try_from(&long, CAP), Err(Error::InvalidCapacity));
    assert_eq!(Cmdline::try_from(&long, CAP + 1).unwrap().len(), CAP);
    assert_eq!(
        Cmdline::try_from("a", MAX_CMDLINE_CAPACITY + 1),
        Err(Error::CapacityTooLarge {
            capacity: MAX_CMDLINE_CAPACITY + 1,
            max: MAX_CMDLINE_CAPACITY
        })
    );
}

#[test]
fn rejects_control_bytes_with_offset() {
    for value in (0x00..0x20).chain([0x7f]) {
        let line = format!("ab{}cd", char::from(value));
        assert_eq!(
            Cmdline::try_from(&line, CAP),
            Err(Error::ControlByte { offset: 2, value }),
            "byte {value:#x}"
        );
    }
    // Offsets are into the untrimmed input.
    assert_eq!(
        Cmdline::try_from("  console=ttyS0\0rm -rf", CAP),
        Err(Error::ControlByte {
            offset: 15,
            value: 0
        })
    );
    assert_eq!(
        Cmdline::try_from("a -- b\tc", CAP),
        Err(Error::ControlByte {
            offset: 6,
            value: b'\t'
        })
    );
    // Inside quotes too.
    assert_eq!(
        Cmdline::try_from("a=\"x\ny\"", CAP),
        Err(Error::ControlByte {
            offset: 4,
            value: b'\n'
        })
    );
}

#[test]
fn rejects_non_ascii_with_offset() {
    assert_eq!(
        Cmdline::try_from("heart=💖", CAP),
        Err(Error::NonAscii {
            offset: 6,
            value: 0xf0
        })
    );
    // U+00A0 is Unicode whitespace but not trimmed: it is not ASCII.
    assert_eq!(
        Cmdline::try_from("a\u{a0}", CAP),
        Err(Error::NonAscii {
            offset: 1,
            value: 0xc2
        })
    );
}

#[test]
fn rejects_unbalanced_quotes() {
    assert_eq!(
        Cmdline::try_from(" a=\"b c", CAP),
        Err(Error::UnbalancedQuote { offset: 3 })
    );
    assert_eq!(
        Cmdline::try_from("a=\"b\" c=\"d -- e", CAP),
        Err(Error::UnbalancedQuote { offset: 8 })
    );
    assert_eq!(
        Cmdline::try_from("a -- \"", CAP),
        Err(Error::UnbalancedQuote { offset: 5 })
    );
}

#[test]
fn rejects_a_second_separator() {
    assert_eq!(
        Cmdline::try_from("--arg1-- -- arg2 -- --arg3", CAP),
        Err(Error::DuplicateSeparator { offset: 17 })
    );
    assert_eq!(
        Cmdline::try_from("a -- --", CAP),
        Err(Error::DuplicateSeparator { offset: 5 })
    );
    assert_eq!(
        Cmdline::try_from("  -- -- a", CAP),
        Err(Error::DuplicateSeparator { offset: 5 })
    );
    // Quoted, it is an ordinary value.
    assert_eq!(
        parts("a -- b \"--\" c=\"x -- y\""),
        pair("a", "b \"--\" c=\"x -- y\"")
    );
}

#[test]
fn rejects_init_args_without_boot_args() {
    assert_eq!(
        Cmdline::try_from("-- init", CAP),
        Err(Error::NoBootArgsInserted)
    );
    assert_eq!(
        Cmdline::try_from("  --   init  ", CAP),
        Err(Error::NoBootArgsInserted)
    );
}

#[test]
fn checks_content_before_fit() {
    // A too-small capacity is reported only once the content is known to be valid.
    assert_eq!(
        Cmdline::try_from("abc\0", 2),
        Err(Error::ControlByte {
            offset: 3,
            value: 0
        })
    );
    assert_eq!(Cmdline::try_from("abc", 2), Err(Error::InvalidCapacity));
}
