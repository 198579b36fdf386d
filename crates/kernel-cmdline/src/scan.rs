// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Lexical rules shared by the builder, the parser and `load_cmdline`.
//!
//! A command line is a sequence of parameters separated by spaces; a double quote switches
//! quoting on or off, and spaces inside quotes do not separate. The first parameter that is
//! exactly `--` separates the kernel's boot arguments from the arguments passed to init (this is
//! what Linux's `parse_args` does). These functions take ASCII text; offsets they report are byte
//! offsets, shifted by the caller-supplied `base` so errors point into the caller's input.

use crate::error::{Error, Result};

/// The parameter that separates boot arguments from init arguments.
pub(crate) const SEPARATOR: &str = "--";

/// What a rendered command line puts between boot arguments and init arguments.
pub(crate) const SEPARATOR_WITH_SPACES: &str = " -- ";

/// Whether `b` may appear in a command line: printable ASCII, space included.
pub(crate) fn is_printable(b: u8) -> bool {
    matches!(b, b' '..=b'~')
}

/// Whether every byte of `s` is printable ASCII.
pub(crate) fn all_printable(s: &str) -> bool {
    s.bytes().all(is_printable)
}

/// Checks that `bytes` holds printable ASCII only, reporting the first bad byte, and returns it as
/// text.
pub(crate) fn printable_text(bytes: &[u8], base: usize) -> Result<&str> {
    if let Some((i, &value)) = bytes.iter().enumerate().find(|&(_, &b)| !is_printable(b)) {
        let offset = base.saturating_add(i);
        return Err(if value.is_ascii() {
            Error::ControlByte { offset, value }
        } else {
            Error::NonAscii { offset, value }
        });
    }
    // All bytes are ASCII, so this cannot fail; report a failure as the byte it points at anyway.
    std::str::from_utf8(bytes).map_err(|e| Error::NonAscii {
        offset: base.saturating_add(e.valid_up_to()),
        value: bytes.get(e.valid_up_to()).copied().unwrap_or(0),
    })
}

/// Checks that every double quote in `s` is closed.
pub(crate) fn check_quotes(s: &str, base: usize) -> Result<()> {
    let mut open = None;
    for (i, b) in s.bytes().enumerate() {
        if b == b'"' {
            open = match open {
                None => Some(i),
                Some(_) => None,
            };
        }
    }
    match open {
        Some(i) => Err(Error::UnbalancedQuote {
            offset: base.saturating_add(i),
        }),
        None => Ok(()),
    }
}

/// Byte offset of the first space in `s` that is not inside double quotes.
fn unquoted_space(s: &str) -> Option<usize> {
    let mut quoted = false;
    s.bytes().position(|b| {
        if b == b'"' {
            quoted = !quoted;
        }
        b == b' ' && !quoted
    })
}

/// Iterator over the space-separated parameters of a text, with their byte offsets.
#[derive(Clone, Debug)]
pub(crate) struct Tokens<'a> {
    full_len: usize,
    rest: &'a str,
}

impl<'a> Tokens<'a> {
    /// Splits `s` into parameters.
    pub(crate) fn new(s: &'a str) -> Self {
        Tokens {
            full_len: s.len(),
            rest: s,
        }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest.trim_start_matches(' ');
        if rest.is_empty() {
            self.rest = rest;
            return None;
        }
        // `rest` is a suffix of the original text, so this is its offset there.
        let offset = self.full_len.saturating_sub(rest.len());
        let (token, tail) = match unquoted_space(rest) {
            // A space is ASCII, so `i` is on a character boundary.
            Some(i) => rest.split_at_checked(i).unwrap_or((rest, "")),
            None => (rest, ""),
        };
        self.rest = tail;
        Some((offset, token))
    }
}

/// Offsets of the standalone, unquoted `--` parameters in `s`.
pub(crate) fn separators(s: &str) -> impl Iterator<Item = usize> + '_ {
    Tokens::new(s)
        .filter(|&(_, token)| token == SEPARATOR)
        .map(|(offset, _)| offset)
}

/// Splits a printable-ASCII line into boot and init arguments, each without surrounding spaces.
///
/// Rejects unbalanced quotes, a second separator, and init arguments without boot arguments.
pub(crate) fn split_line(line: &str, base: usize) -> Result<(&str, &str)> {
    check_quotes(line, base)?;
    let mut seps = separators(line);
    let Some(sep) = seps.next() else {
        return Ok((line.trim_matches(' '), ""));
    };
    if let Some(second) = seps.next() {
        return Err(Error::DuplicateSeparator {
            offset: base.saturating_add(second),
        });
    }
    let boot = line.get(..sep).unwrap_or("").trim_matches(' ');
    let init = line
        .get(sep.saturating_add(SEPARATOR.len())..)
        .unwrap_or("")
        .trim_matches(' ');
    if boot.is_empty() && !init.is_empty() {
        return Err(Error::NoBootArgsInserted);
    }
    Ok((boot, init))
}

/// Length of the rendered command line, without its NUL terminator.
pub(crate) fn rendered_len(boot: &str, init: &str) -> usize {
    if init.is_empty() {
        boot.len()
    } else {
        boot.len()
            .saturating_add(SEPARATOR_WITH_SPACES.len())
            .saturating_add(init.len())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn tokens_respect_quotes_and_offsets() {
        let toks: Vec<_> = Tokens::new("  a=\"b c\"  d -- \"--\" e ").collect();
        assert_eq!(
            toks,
            vec![
                (2, "a=\"b c\""),
                (11, "d"),
                (13, "--"),
                (16, "\"--\""),
                (21, "e")
            ]
        );
        assert_eq!(Tokens::new("   ").next(), None);
        assert_eq!(separators("a -- b").collect::<Vec<_>>(), vec![2]);
        assert_eq!(separators("a \"-- b\"").count(), 0);
    }

    #[test]
    fn printable_text_reports_first_bad_byte() {
        assert_eq!(printable_text(b"ok", 0), Ok("ok"));
        assert_eq!(
            printable_text(b"a\x7fb", 10),
            Err(Error::ControlByte {
                offset: 11,
                value: 0x7f
            })
        );
        assert_eq!(
            printable_text(b"ab\xff", 0),
            Err(Error::NonAscii {
                offset: 2,
                value: 0xff
            })
        );
    }
}
