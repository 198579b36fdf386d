// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Property tests: what is built renders and parses back to itself, and the capacity always has
//! room for the NUL terminator.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::panic
)]

use kernel_cmdline::{Cmdline, CmdlineBytes, Error};
use proptest::prelude::*;

/// One builder call.
#[derive(Clone, Debug)]
enum Op {
    Insert(String, String),
    Multiple(String, Vec<String>),
    Str(String),
    Init(String),
    Mmio(u64, u64, u32, Option<u32>),
    Remove(String),
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_.-]{1,8}",
        Just("console".to_string()),
        Just("--".to_string()),
        Just("a\"".to_string()),
        Just("\"k\"".to_string()),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[!#-~&&[^\"]]{0,8}",
        "\"[ !#-~]{0,8}\"",
        Just("\"".to_string()),
        Just("--".to_string()),
    ]
}

/// Free text: printable ASCII, with quotes, separators and whitespace likely.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[ -~]{0,6}",
            Just(" -- ".to_string()),
            Just("\"".to_string()),
            Just("  ".to_string()),
            Just("\t".to_string()),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (key(), value()).prop_map(|(k, v)| Op::Insert(k, v)),
        (key(), prop::collection::vec(value(), 0..3)).prop_map(|(k, v)| Op::Multiple(k, v)),
        text().prop_map(Op::Str),
        text().prop_map(Op::Init),
        (
            any::<u64>(),
            any::<u64>(),
            any::<u32>(),
            any::<Option<u32>>()
        )
            .prop_map(|(s, b, i, id)| Op::Mmio(s, b, i, id)),
        key().prop_map(Op::Remove),
    ]
}

fn apply(cl: &mut Cmdline, op: &Op) -> Result<(), Error> {
    match op {
        Op::Insert(k, v) => cl.insert(k, v),
        Op::Multiple(k, v) => cl.insert_multiple(
            k.as_str(),
            &v.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
        Op::Str(s) => cl.insert_str(s),
        Op::Init(s) => cl.insert_init_args(s),
        Op::Mmio(size, base, irq, id) => cl.add_virtio_mmio_device(*size, *base, *irq, *id),
        Op::Remove(k) => {
            cl.remove(k);
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// `insert(key, val)` appends exactly what `insert_str("key=val")` would (it takes a shorter
    /// path once key and value are checked), and fails with the same capacity and quote errors.
    #[test]
    fn insert_is_insert_str_of_key_equals_value(
        capacity in 1_usize..48,
        prefix in text(),
        key in key(),
        val in value(),
    ) {
        let mut base = Cmdline::new(capacity).unwrap();
        let _ = base.insert_str(&prefix);
        let (mut fast, mut general) = (base.clone(), base.clone());
        match fast.insert(key.as_str(), val.as_str()) {
            Ok(()) => {
                prop_assert_eq!(general.insert_str(format!("{key}={val}")), Ok(()));
                prop_assert_eq!(&fast, &general);
            }
            Err(e @ (Error::TooLarge | Error::UnbalancedQuote { .. })) => {
                prop_assert_eq!(general.insert_str(format!("{key}={val}")), Err(e));
                prop_assert_eq!(&fast, &base);
            }
            Err(_) => prop_assert_eq!(&fast, &base),
        }
    }

    /// parse(render(x)) == x, capacity included, whatever sequence of calls built x; a failed call
    /// leaves x unchanged; the capacity always has room for the NUL.
    #[test]
    fn built_lines_round_trip(capacity in 1_usize..160, ops in prop::collection::vec(op(), 0..12)) {
        let mut cl = Cmdline::new(capacity).unwrap();
        for op in &ops {
            let before = cl.clone();
            if apply(&mut cl, op).is_err() {
                prop_assert_eq!(&cl, &before);
            }
            prop_assert!(cl.len() < cl.capacity());
            prop_assert_eq!(cl.capacity(), capacity);
        }
        match cl.as_cstring() {
            Ok(rendered) => {
                let bytes = rendered.as_bytes_with_nul();
                prop_assert!(bytes.len() <= cl.capacity());
                prop_assert_eq!(bytes.len(), cl.len() + 1);
                let parsed = Cmdline::try_from(rendered.to_str().unwrap(), cl.capacity()).unwrap();
                prop_assert_eq!(parsed.boot_args(), cl.boot_args());
                prop_assert_eq!(parsed.init_args(), cl.init_args());
                prop_assert_eq!(parsed.capacity(), cl.capacity());
                prop_assert_eq!(&parsed, &cl);
                // The rendered bytes also pass `load_cmdline`'s C-string validation.
                let validated = rendered.as_c_str().cmdline_bytes().unwrap();
                prop_assert_eq!(validated.as_ref(), bytes);
                // One byte less and the NUL no longer fits.
                prop_assert_eq!(
                    Cmdline::try_from(rendered.to_str().unwrap(), bytes.len() - 1),
                    Err(Error::InvalidCapacity)
                );
            }
            Err(e) => {
                prop_assert_eq!(e, Error::NoBootArgsInserted);
                prop_assert!(cl.boot_args().is_empty() && !cl.init_args().is_empty());
            }
        }
    }

    /// Whatever `try_from` accepts renders to text it parses back to the same command line, which
    /// fits exactly in length + 1.
    #[test]
    fn parsed_lines_round_trip(line in text()) {
        if let Ok(cl) = Cmdline::try_from(&line, 4096) {
            let rendered = cl.as_cstring().unwrap();
            let text = rendered.to_str().unwrap();
            prop_assert_eq!(text.len(), cl.len());
            let again = Cmdline::try_from(text, cl.len() + 1).unwrap();
            prop_assert_eq!(&again, &cl);
            prop_assert!(cl.params().all(|p| p.as_str() != "--"));
        }
    }

    /// Arbitrary bytes never panic the parser, and only printable ASCII gets through.
    #[test]
    fn arbitrary_input_is_rejected_or_printable(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let line = String::from_utf8_lossy(&bytes);
        if let Ok(cl) = Cmdline::try_from(&line, 128) {
            let rendered = cl.as_cstring().unwrap();
            prop_assert!(rendered.as_bytes().iter().all(|b| (b' '..=b'~').contains(b)));
        }
    }
}
