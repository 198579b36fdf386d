// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The [`Cmdline`] builder and parser.

use std::ffi::CString;
use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::limits::{INITIAL_RESERVE, MAX_CMDLINE_CAPACITY};
use crate::scan::{self, SEPARATOR_WITH_SPACES, Tokens};

/// A guest-physical address as [`Cmdline::add_virtio_mmio_device`] takes it.
///
/// Upstream's method takes a `vm_memory::GuestAddress`. This crate does not need vm-memory for
/// building command lines, so the method is generic over this trait instead: it is implemented for
/// plain `u64` addresses and, with the `vm-memory` feature, for `vm_memory::GuestAddress`, so code
/// written for upstream (`cl.add_virtio_mmio_device(0x1000, GuestAddress(0xd000_0000), 5, None)`)
/// compiles unchanged.
pub trait RawAddress {
    /// The address as a number.
    fn raw_address(&self) -> u64;
}

impl RawAddress for u64 {
    fn raw_address(&self) -> u64 {
        *self
    }
}

#[cfg(feature = "vm-memory")]
impl RawAddress for vm_memory::GuestAddress {
    fn raw_address(&self) -> u64 {
        self.0
    }
}

/// A Linux kernel command line: boot arguments for the kernel, then optionally ` -- ` and
/// arguments for init, within a fixed capacity that counts the NUL terminator.
///
/// Every way in validates, so a `Cmdline` always holds printable ASCII with balanced double quotes,
/// no stray `--`, and fits its capacity; rendering it with [`Cmdline::as_cstring`] and parsing the
/// result with [`Cmdline::try_from`] gives back an equal `Cmdline`.
///
/// Two `Cmdline`s are equal when they render to the same text (their boot and init arguments are
/// equal); capacity is not compared, as upstream.
///
/// ```
/// use kernel_cmdline::Cmdline;
///
/// let mut cl = Cmdline::new(64)?;
/// cl.insert("console", "ttyS0")?;
/// cl.insert_str("quiet")?;
/// cl.insert_init_args("--verbose")?;
/// assert_eq!(cl.as_cstring()?.as_bytes_with_nul(), b"console=ttyS0 quiet -- --verbose\0");
/// assert_eq!(cl.len(), 32);
/// assert_eq!(cl.capacity(), 64);
/// # Ok::<(), kernel_cmdline::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Cmdline {
    boot_args: String,
    init_args: String,
    capacity: usize,
}

/// Checks a capacity given to [`Cmdline::new`] or [`Cmdline::try_from`].
fn check_capacity(capacity: usize) -> Result<()> {
    if capacity == 0 {
        return Err(Error::InvalidCapacity);
    }
    if capacity > MAX_CMDLINE_CAPACITY {
        return Err(Error::CapacityTooLarge {
            capacity,
            max: MAX_CMDLINE_CAPACITY,
        });
    }
    Ok(())
}

/// Checks a parameter key (upstream's rules, plus non-empty).
fn check_key(key: &str) -> Result<()> {
    if !scan::all_printable(key) {
        Err(Error::InvalidAscii)
    } else if key.contains(' ') {
        Err(Error::HasSpace)
    } else if key.contains('=') {
        Err(Error::HasEquals)
    } else if key.is_empty() {
        Err(Error::EmptyKey)
    } else {
        Ok(())
    }
}

/// Checks a parameter value: quotes only as its first and last characters, and spaces only if
/// it is quoted.
fn check_value(value: &str) -> Result<()> {
    if !scan::all_printable(value) {
        return Err(Error::InvalidAscii);
    }
    let inner = value
        .get(1..value.len().saturating_sub(1))
        .unwrap_or_default();
    if inner.contains('"') {
        return Err(Error::InvalidQuote);
    }
    let quoted = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
    if value.contains(' ') && !quoted {
        return Err(Error::NoQuoteSpace);
    }
    Ok(())
}

/// Removes leading and trailing ASCII whitespace, returning the rest and how much was removed in
/// front.
/// Moves the offset an error reports by `base` bytes (for errors found in a piece of the input).
fn shift_offset(e: Error, base: usize) -> Error {
    match e {
        Error::UnbalancedQuote { offset } => Error::UnbalancedQuote {
            offset: offset.saturating_add(base),
        },
        Error::DuplicateSeparator { offset } => Error::DuplicateSeparator {
            offset: offset.saturating_add(base),
        },
        Error::UnexpectedSeparator { offset } => Error::UnexpectedSeparator {
            offset: offset.saturating_add(base),
        },
        other => other,
    }
}

fn trim_ascii_whitespace(s: &str) -> (&str, usize) {
    let start = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let lead = s.len().saturating_sub(start.len());
    (
        start.trim_end_matches(|c: char| c.is_ascii_whitespace()),
        lead,
    )
}

/// A size the way the kernel's `memparse` reads it: the number and the largest exact K/M/G
/// suffix.
fn size_with_suffix(size: u64) -> (u64, &'static str) {
    match size.trailing_zeros() {
        30.. => (size.checked_shr(30).unwrap_or_default(), "G"),
        20.. => (size.checked_shr(20).unwrap_or_default(), "M"),
        10.. => (size.checked_shr(10).unwrap_or_default(), "K"),
        _ => (size, ""),
    }
}

/// Which part of the command line inserted text goes to.
#[derive(Clone, Copy)]
enum Part {
    Boot,
    Init,
}

impl Cmdline {
    /// Creates an empty command line that may grow to `capacity` bytes, NUL terminator included.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCapacity`] if `capacity` is 0; [`Error::CapacityTooLarge`] if it is above
    /// [`MAX_CMDLINE_CAPACITY`].
    ///
    /// ```
    /// use kernel_cmdline::{Cmdline, Error};
    ///
    /// let cl = Cmdline::new(2048)?;
    /// assert!(cl.is_empty());
    /// assert_eq!(Cmdline::new(0), Err(Error::InvalidCapacity));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn new(capacity: usize) -> Result<Cmdline> {
        check_capacity(capacity)?;
        Ok(Cmdline {
            // Room for a typical line up front (the kernel's own limit is 2048 on x86); larger
            // capacities grow on demand.
            boot_args: String::with_capacity(capacity.min(INITIAL_RESERVE)),
            init_args: String::new(),
            capacity,
        })
    }

    /// Appends the boot argument `key=val`.
    ///
    /// # Errors
    ///
    /// For the key: [`Error::InvalidAscii`], [`Error::HasSpace`], [`Error::HasEquals`],
    /// [`Error::EmptyKey`]. For the value: [`Error::InvalidAscii`], [`Error::InvalidQuote`] (a
    /// quote other than the first or last character), [`Error::NoQuoteSpace`] (a space in an
    /// unquoted value), [`Error::UnbalancedQuote`]. Then [`Error::TooLarge`] if it does not fit.
    /// The command line is unchanged on error.
    ///
    /// ```
    /// use kernel_cmdline::Cmdline;
    ///
    /// let mut cl = Cmdline::new(100)?;
    /// cl.insert("root", "/dev/vda")?;
    /// cl.insert("dyndbg", "\"file x.c +p\"")?;
    /// assert_eq!(cl.as_cstring()?.as_bytes(), b"root=/dev/vda dyndbg=\"file x.c +p\"");
    /// # Ok::<(), kernel_cmdline::Error>(())
    /// ```
    pub fn insert<T: AsRef<str>>(&mut self, key: T, val: T) -> Result<()> {
        let key = key.as_ref();
        let val = val.as_ref();
        check_key(key)?;
        check_value(val)?;
        if key.contains('"') || val.bytes().filter(|&b| b == b'"').count() % 2 != 0 {
            // A quote in the key, or a lone one in the value, can unbalance or shift the quoting
            // of the whole parameter: the general path scans it (and reports where).
            return self.insert_str(format!("{key}={val}"));
        }
        // Checked above: printable, a quote-free key and a value that is unquoted without spaces
        // or quoted as a whole — one parameter with balanced quotes, and never `--`.
        self.push_boot_param(&[key, "=", val])
    }

    /// Appends the boot argument `key=val1,val2,...`.
    ///
    /// # Errors
    ///
    /// As [`Cmdline::insert`], checking every value, and [`Error::MissingVal`] if `vals` is empty.
    ///
    /// ```
    /// use kernel_cmdline::Cmdline;
    ///
    /// let mut cl = Cmdline::new(100)?;
    /// cl.insert_multiple("isolcpus", &["1", "2"])?;
    /// assert_eq!(cl.as_cstring()?.as_bytes(), b"isolcpus=1,2");
    /// # Ok::<(), kernel_cmdline::Error>(())
    /// ```
    pub fn insert_multiple<T: AsRef<str>>(&mut self, key: T, vals: &[T]) -> Result<()> {
        let key = key.as_ref();
        check_key(key)?;
        if vals.is_empty() {
            return Err(Error::MissingVal(key.to_string()));
        }
        let mut param = String::from(key);
        for (i, val) in vals.iter().enumerate() {
            let val = val.as_ref();
            check_value(val)?;
            param.push(if i == 0 { '=' } else { ',' });
            param.push_str(val);
        }
        self.insert_str(param)
    }

    /// Appends text to the boot arguments, after a space if there are some already.
    ///
    /// Leading and trailing ASCII whitespace is dropped; text that is empty after that changes
    /// nothing. The text may hold several parameters.
    ///
    /// A standalone `--` in the text splits it, as the kernel would: what follows becomes the init
    /// arguments. That is allowed once, while there are no init arguments yet, so VMMs that pass
    /// a user's whole `"boot args -- init args"` line through `insert_str` (as they could with
    /// upstream) keep working.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidAscii`] for bytes outside printable ASCII (so tabs and newlines inside
    /// the text are refused), [`Error::UnbalancedQuote`], [`Error::UnexpectedSeparator`] for a
    /// `--` when init arguments already exist, [`Error::DuplicateSeparator`] for a second `--`,
    /// [`Error::TooLarge`]. The command line is unchanged on error.
    ///
    /// ```
    /// use kernel_cmdline::{Cmdline, Error};
    ///
    /// let mut cl = Cmdline::new(100)?;
    /// cl.insert_str("noapic  nopci\n")?;
    /// assert_eq!(cl.as_cstring()?.as_bytes(), b"noapic  nopci");
    /// cl.insert_str("a -- b")?;
    /// assert_eq!(cl.as_cstring()?.as_bytes(), b"noapic  nopci a -- b");
    /// assert_eq!(cl.insert_str("c -- d"), Err(Error::UnexpectedSeparator { offset: 2 }));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn insert_str<T: AsRef<str>>(&mut self, slug: T) -> Result<()> {
        let slug = slug.as_ref();
        if self.init_args.is_empty() && scan::all_printable(slug) {
            if let Some(sep) = scan::separators(slug).next() {
                let boot = slug.get(..sep).unwrap_or_default();
                let init_at = sep.saturating_add(scan::SEPARATOR.len());
                let init = slug.get(init_at..).unwrap_or_default();
                // Both parts or neither: work on a copy.
                let mut next = self.clone();
                next.append(boot, Part::Boot)?;
                next.append(init, Part::Init)
                    .map_err(|e| shift_offset(e, init_at))?;
                *self = next;
                return Ok(());
            }
        }
        self.append(slug, Part::Boot)
    }

    /// Appends text to the init arguments (rendered after ` -- `), after a space if there are some
    /// already.
    ///
    /// Leading and trailing ASCII whitespace is dropped; text that is empty after that changes
    /// nothing.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidAscii`], [`Error::UnbalancedQuote`], [`Error::DuplicateSeparator`] for a
    /// standalone `--` (it would be a second separator), [`Error::TooLarge`]. Offsets are into
    /// `slug`. The command line is unchanged on error.
    ///
    /// ```
    /// use kernel_cmdline::Cmdline;
    ///
    /// let mut cl = Cmdline::new(100)?;
    /// cl.insert_str("console=hvc0")?;
    /// cl.insert_init_args("single")?;
    /// assert_eq!(cl.as_cstring()?.as_bytes(), b"console=hvc0 -- single");
    /// # Ok::<(), kernel_cmdline::Error>(())
    /// ```
    pub fn insert_init_args<T: AsRef<str>>(&mut self, slug: T) -> Result<()> {
        self.append(slug.as_ref(), Part::Init)
    }

    /// Appends one boot parameter, the concatenation of `pieces`, that the caller has already
    /// checked: printable ASCII, no unquoted space, balanced quotes, not the separator. Only the
    /// capacity is checked here; the command line is unchanged on error.
    fn push_boot_param(&mut self, pieces: &[&str]) -> Result<()> {
        let param_len = pieces
            .iter()
            .try_fold(0usize, |len, piece| len.checked_add(piece.len()))
            .ok_or(Error::TooLarge)?;
        let separator = usize::from(!self.boot_args.is_empty());
        let new_size = param_len
            .checked_add(separator)
            .and_then(|added| added.checked_add(self.len()))
            .and_then(|len| len.checked_add(1))
            .ok_or(Error::TooLarge)?;
        if new_size > self.capacity {
            return Err(Error::TooLarge);
        }
        if separator != 0 {
            self.boot_args.push(' ');
        }
        for piece in pieces {
            self.boot_args.push_str(piece);
        }
        Ok(())
    }

    /// Validates `slug` and appends it to one part of the command line.
    fn append(&mut self, slug: &str, part: Part) -> Result<()> {
        let (text, lead) = trim_ascii_whitespace(slug);
        if !scan::all_printable(text) {
            return Err(Error::InvalidAscii);
        }
        if text.is_empty() {
            return Ok(());
        }
        scan::check_quotes(text, lead)?;
        if let Some(sep) = scan::separators(text).next() {
            let offset = lead.saturating_add(sep);
            return Err(match part {
                Part::Boot => Error::UnexpectedSeparator { offset },
                Part::Init => Error::DuplicateSeparator { offset },
            });
        }

        let target = match part {
            Part::Boot => &self.boot_args,
            Part::Init => &self.init_args,
        };
        let added = if target.is_empty() {
            match part {
                Part::Boot => Some(text.len()),
                Part::Init => text.len().checked_add(SEPARATOR_WITH_SPACES.len()),
            }
        } else {
            text.len().checked_add(1)
        };
        let new_size = added
            .and_then(|added| added.checked_add(self.len()))
            .and_then(|len| len.checked_add(1))
            .ok_or(Error::TooLarge)?;
        if new_size > self.capacity {
            return Err(Error::TooLarge);
        }

        let target = match part {
            Part::Boot => &mut self.boot_args,
            Part::Init => &mut self.init_args,
        };
        if !target.is_empty() {
            target.push(' ');
        }
        target.push_str(text);
        Ok(())
    }

    /// Renders the command line as the NUL-terminated string the kernel reads.
    ///
    /// # Errors
    ///
    /// [`Error::NoBootArgsInserted`] if there are init arguments but no boot arguments.
    ///
    /// ```
    /// use kernel_cmdline::Cmdline;
    ///
    /// let mut cl = Cmdline::new(20)?;
    /// cl.insert_str("foo")?;
    /// cl.insert_init_args("bar")?;
    /// assert_eq!(cl.as_cstring()?.as_bytes_with_nul(), b"foo -- bar\0");
    /// # Ok::<(), kernel_cmdline::Error>(())
    /// ```
    pub fn as_cstring(&self) -> Result<CString> {
        if self.boot_args.is_empty() && !self.init_args.is_empty() {
            return Err(Error::NoBootArgsInserted);
        }
        // One more byte for the NUL `CString::new` appends, so it does not reallocate.
        let mut text = String::with_capacity(self.len().saturating_add(1));
        text.push_str(&self.boot_args);
        if !self.init_args.is_empty() {
            text.push_str(SEPARATOR_WITH_SPACES);
            text.push_str(&self.init_args);
        }
        CString::new(text).map_err(|_| Error::NullTerminator)
    }

    /// Appends `virtio_mmio.device=<size>@<baseaddr>:<irq>[:<id>]`, describing one virtio MMIO
    /// device to the kernel; call once per device.
    ///
    /// `size` is written with the largest exact `K`, `M` or `G` suffix and `baseaddr` in hex, as
    /// the kernel's `virtio_mmio.device=` parameter reads them. `baseaddr` is any [`RawAddress`]:
    /// a `u64`, or with the `vm-memory` feature a `vm_memory::GuestAddress` as upstream takes.
    ///
    /// # Errors
    ///
    /// [`Error::MmioSize`] if `size` is 0; [`Error::TooLarge`] if it does not fit.
    ///
    /// ```
    /// use kernel_cmdline::Cmdline;
    ///
    /// let mut cl = Cmdline::new(100)?;
    /// cl.add_virtio_mmio_device(0x1000, 0xd000_0000_u64, 5, Some(42))?;
    /// assert_eq!(cl.as_cstring()?.as_bytes(), b"virtio_mmio.device=4K@0xd0000000:5:42");
    /// # Ok::<(), kernel_cmdline::Error>(())
    /// ```
    pub fn add_virtio_mmio_device<A: RawAddress>(
        &mut self,
        size: u64,
        baseaddr: A,
        irq: u32,
        id: Option<u32>,
    ) -> Result<()> {
        if size == 0 {
            return Err(Error::MmioSize);
        }
        let (size, suffix) = size_with_suffix(size);
        let mut param = String::with_capacity(64);
        // Writing to a String cannot fail.
        let _ = write!(
            param,
            "virtio_mmio.device={size}{suffix}@{:#x}:{irq}",
            baseaddr.raw_address()
        );
        if let Some(id) = id {
            let _ = write!(param, ":{id}");
        }
        // Digits, hex, `K`/`M`/`G`, `@`, `:` and `.`: one printable parameter.
        self.push_boot_param(&[&param])
    }

    /// Parses an existing command line, `<boot args>` or `<boot args> -- <init args>`, into a
    /// `Cmdline` of the given capacity.
    ///
    /// The first standalone `--` outside double quotes separates the parts, as in the kernel.
    /// Leading and trailing ASCII whitespace (such as the newline ending `/proc/cmdline`) is
    /// dropped, as are the spaces around the separator; the spacing inside each part is kept.
    ///
    /// Stricter than upstream, which accepts any text: the line must be printable ASCII with
    /// balanced quotes and at most one separator, so what the kernel sees is what was parsed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCapacity`] if `capacity` is 0 or smaller than the line plus its NUL;
    /// [`Error::CapacityTooLarge`]; [`Error::ControlByte`] (NUL included) and
    /// [`Error::NonAscii`]; [`Error::UnbalancedQuote`]; [`Error::DuplicateSeparator`];
    /// [`Error::NoBootArgsInserted`] if the line starts with the separator. Offsets are into
    /// `cmdline_raw`.
    ///
    /// ```
    /// use kernel_cmdline::{Cmdline, Error};
    ///
    /// let cl = Cmdline::try_from("console=ttyS0 a=\"x -- y\" -- init=1\n", 100)?;
    /// assert_eq!(cl.boot_args(), "console=ttyS0 a=\"x -- y\"");
    /// assert_eq!(cl.init_args(), "init=1");
    /// assert_eq!(
    ///     Cmdline::try_from("a -- b -- c", 100),
    ///     Err(Error::DuplicateSeparator { offset: 7 })
    /// );
    /// # Ok::<(), Error>(())
    /// ```
    pub fn try_from(cmdline_raw: &str, capacity: usize) -> Result<Cmdline> {
        check_capacity(capacity)?;
        let (text, lead) = trim_ascii_whitespace(cmdline_raw);
        let text = scan::printable_text(text.as_bytes(), lead)?;
        let (boot, init) = scan::split_line(text, lead)?;
        if scan::rendered_len(boot, init) >= capacity {
            return Err(Error::InvalidCapacity);
        }
        Ok(Cmdline {
            boot_args: boot.to_string(),
            init_args: init.to_string(),
            capacity,
        })
    }

    /// The capacity: the most bytes the rendered command line may take, NUL terminator included.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Length in bytes of the rendered command line, not counting the NUL terminator; always less
    /// than [`Cmdline::capacity`].
    pub fn len(&self) -> usize {
        scan::rendered_len(&self.boot_args, &self.init_args)
    }

    /// Whether there are neither boot nor init arguments.
    pub fn is_empty(&self) -> bool {
        self.boot_args.is_empty() && self.init_args.is_empty()
    }

    /// The boot arguments: the part the kernel parses, before ` -- `.
    pub fn boot_args(&self) -> &str {
        &self.boot_args
    }

    /// The init arguments: the part after ` -- `, passed to init; empty if there are none.
    pub fn init_args(&self) -> &str {
        &self.init_args
    }

    /// Iterates over the boot arguments, in order.
    ///
    /// ```
    /// use kernel_cmdline::Cmdline;
    ///
    /// let cl = Cmdline::try_from("ro root=/dev/vda1 a=\"b c\"", 100)?;
    /// let keys: Vec<&str> = cl.params().map(|p| p.key()).collect();
    /// assert_eq!(keys, ["ro", "root", "a"]);
    /// # Ok::<(), kernel_cmdline::Error>(())
    /// ```
    pub fn params(&self) -> Params<'_> {
        Params {
            tokens: Tokens::new(&self.boot_args),
        }
    }

    /// Iterates over the init arguments, in order.
    pub fn init_params(&self) -> Params<'_> {
        Params {
            tokens: Tokens::new(&self.init_args),
        }
    }

    /// The last boot argument whose key is `key`, the one that takes effect for most kernel
    /// parameters. Keys are compared exactly (the kernel also treats `-` and `_` alike).
    ///
    /// ```
    /// use kernel_cmdline::Cmdline;
    ///
    /// let cl = Cmdline::try_from("console=tty0 quiet console=ttyS0", 100)?;
    /// assert_eq!(cl.get("console").and_then(|p| p.value()), Some("ttyS0"));
    /// assert_eq!(cl.get("quiet").map(|p| p.value()), Some(None));
    /// assert_eq!(cl.get("root"), None);
    /// # Ok::<(), kernel_cmdline::Error>(())
    /// ```
    pub fn get<T: AsRef<str>>(&self, key: T) -> Option<Param<'_>> {
        let key = key.as_ref();
        self.params().filter(|p| p.key() == key).last()
    }

    /// Removes every boot argument whose key is `key`, returning how many were removed.
    ///
    /// The remaining boot arguments are re-joined with single spaces. Init arguments are not
    /// touched.
    ///
    /// ```
    /// use kernel_cmdline::Cmdline;
    ///
    /// let mut cl = Cmdline::try_from("console=tty0 quiet console=ttyS0 -- console", 100)?;
    /// assert_eq!(cl.remove("console"), 2);
    /// assert_eq!(cl.as_cstring()?.as_bytes(), b"quiet -- console");
    /// # Ok::<(), kernel_cmdline::Error>(())
    /// ```
    pub fn remove<T: AsRef<str>>(&mut self, key: T) -> usize {
        let key = key.as_ref();
        let mut removed = 0_usize;
        let mut kept = String::with_capacity(self.boot_args.len());
        for param in self.params() {
            if param.key() == key {
                removed = removed.saturating_add(1);
                continue;
            }
            if !kept.is_empty() {
                kept.push(' ');
            }
            kept.push_str(param.as_str());
        }
        if removed > 0 {
            self.boot_args = kept;
        }
        removed
    }
}

impl PartialEq for Cmdline {
    /// Compares the rendered text (boot and init arguments); capacity is ignored.
    fn eq(&self, other: &Self) -> bool {
        self.boot_args == other.boot_args && self.init_args == other.init_args
    }
}

impl Eq for Cmdline {}

impl TryFrom<Cmdline> for Vec<u8> {
    type Error = Error;

    /// The rendered command line with its NUL terminator, as [`Cmdline::as_cstring`] gives it.
    fn try_from(cmdline: Cmdline) -> Result<Vec<u8>> {
        cmdline.as_cstring().map(CString::into_bytes_with_nul)
    }
}

/// One parameter of a command line, such as `ro`, `root=/dev/vda1` or `a="b c"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param<'a> {
    raw: &'a str,
}

impl<'a> Param<'a> {
    /// The parameter as written.
    pub fn as_str(&self) -> &'a str {
        self.raw
    }

    /// The part before the first `=`, or the whole parameter if it has none.
    pub fn key(&self) -> &'a str {
        self.raw.split_once('=').map_or(self.raw, |(key, _)| key)
    }

    /// The part after the first `=` as written (double quotes kept), or `None` for a flag such as
    /// `ro`.
    pub fn value(&self) -> Option<&'a str> {
        self.raw.split_once('=').map(|(_, value)| value)
    }
}

/// Iterator over the parameters of one part of a [`Cmdline`], from [`Cmdline::params`] or
/// [`Cmdline::init_params`].
#[derive(Clone, Debug)]
pub struct Params<'a> {
    tokens: Tokens<'a>,
}

impl<'a> Iterator for Params<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        self.tokens.next().map(|(_, raw)| Param { raw })
    }
}
