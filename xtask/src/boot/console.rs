// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The pass condition, as a pure function of console lines.
//!
//! A boot passes when the serial console has shown, in this order of importance:
//! 1. the kernel banner (`Linux version ...`),
//! 2. a `Command line: ` (x86) or `Kernel command line: ` (every arch) line whose text is exactly
//!    the command line we wrote into guest memory — so the kernel read *our* bytes, marker included,
//! 3. the init marker printed by the initramfs's `/init`, and the run's random marker echoed by
//!    init from its argv or environment.
//!
//! Only lines from init's start on count for (3): the kernel itself prints the marker earlier (the
//! command line, and "Unknown kernel command line parameters ... passed to user space").

use std::collections::VecDeque;

/// What `/init` in the initramfs prints once it runs (see `xtask/src/fixtures/initramfs.rs`).
pub(crate) const INIT_MARKER: &str = "LINUX-LOADER-INIT-OK";

/// The kernel's banner prefix (`init/version.c`).
const BANNER: &str = "Linux version ";
/// What precedes the command line in the kernel's log: x86 `setup_arch` prints
/// `Command line:`, `start_kernel` on every arch `Kernel command line:`.
const CMDLINE_PREFIXES: [&str; 2] = ["Command line: ", "Kernel command line: "];
/// Printed by the kernel right before it executes init (`init/main.c`, `run_init_process`).
const RUN_INIT: &str = "as init process";

/// How many console lines a failure report shows.
pub(crate) const TAIL_LINES: usize = 40;

/// Tracks one boot's console against the pass condition.
#[derive(Debug)]
pub(crate) struct Matcher {
    cmdline: String,
    marker: String,
    banner: Option<String>,
    cmdline_line: Option<String>,
    init_started: bool,
    init_line: Option<String>,
    echo_line: Option<String>,
    tail: VecDeque<String>,
}

impl Matcher {
    /// A matcher for a boot with command line `cmdline` carrying the random `marker`.
    pub(crate) fn new(cmdline: &str, marker: &str) -> Self {
        Self {
            cmdline: cmdline.to_owned(),
            marker: marker.to_owned(),
            banner: None,
            cmdline_line: None,
            init_started: false,
            init_line: None,
            echo_line: None,
            tail: VecDeque::with_capacity(TAIL_LINES),
        }
    }

    /// Feeds one console line (without its newline; a trailing `\r` is ignored).
    pub(crate) fn feed(&mut self, raw: &str) {
        let line = raw.trim_end_matches(['\r', '\n']);
        if self.tail.len() == TAIL_LINES {
            self.tail.pop_front();
        }
        self.tail.push_back(line.to_owned());

        if self.banner.is_none() && line.contains(BANNER) {
            self.banner = Some(line.to_owned());
        }
        let cmdline_text = CMDLINE_PREFIXES
            .iter()
            .find_map(|p| line.find(p).map(|at| &line[at + p.len()..]));
        if self.cmdline_line.is_none() && cmdline_text.is_some_and(|t| t.trim_end() == self.cmdline)
        {
            self.cmdline_line = Some(line.to_owned());
        }
        if line.contains(RUN_INIT) || line.contains(INIT_MARKER) {
            self.init_started = true;
        }
        if self.init_line.is_none() && line.contains(INIT_MARKER) {
            self.init_line = Some(line.to_owned());
        }
        if self.init_started
            && self.echo_line.is_none()
            && line.contains(&self.marker)
            && cmdline_text.is_none()
        {
            self.echo_line = Some(line.to_owned());
        }
    }

    /// Whether every part of the pass condition has been seen.
    pub(crate) fn passed(&self) -> bool {
        self.banner.is_some()
            && self.cmdline_line.is_some()
            && self.init_line.is_some()
            && self.echo_line.is_some()
    }

    /// The lines that satisfied the condition (for the report), in condition order.
    pub(crate) fn matched(&self) -> Vec<&str> {
        [
            &self.banner,
            &self.cmdline_line,
            &self.init_line,
            &self.echo_line,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect()
    }

    /// What is still missing, for a failure message.
    pub(crate) fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.banner.is_none() {
            out.push("kernel banner");
        }
        if self.cmdline_line.is_none() {
            out.push("`Command line:` equal to ours");
        }
        if self.init_line.is_none() {
            out.push(INIT_MARKER);
        }
        if self.echo_line.is_none() {
            out.push("marker echoed by init");
        }
        out
    }

    /// The last [`TAIL_LINES`] console lines.
    pub(crate) fn tail(&self) -> impl Iterator<Item = &str> {
        self.tail.iter().map(String::as_str)
    }
}

/// A fresh random marker: 16 hex digits from the OS's random source (the clock and pid when
/// that is unavailable — uniqueness per run is all that matters).
pub(crate) fn fresh_marker() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 8];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !from_os {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mixed = (nanos as u64) ^ (u64::from(std::process::id()) << 32);
        bytes = mixed.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMD: &str = "console=ttyS0 LLMARKER=00c0ffee -- ll-00c0ffee";

    fn feed_all(m: &mut Matcher, lines: &[&str]) {
        for l in lines {
            m.feed(l);
        }
    }

    #[test]
    fn passes_on_banner_cmdline_and_init_echo() {
        let mut m = Matcher::new(CMD, "00c0ffee");
        feed_all(
            &mut m,
            &[
                "[    0.000000] Linux version 6.1.0 (gcc) #1 SMP\r",
                "[    0.000000] Command line: console=ttyS0 LLMARKER=00c0ffee -- ll-00c0ffee\r",
                "[    0.1] Unknown kernel command line parameters \"LLMARKER=00c0ffee\", will be passed to user space.",
                "[    0.9] Run /init as init process",
            ],
        );
        assert!(!m.passed());
        assert_eq!(m.missing(), vec![INIT_MARKER, "marker echoed by init"]);
        feed_all(
            &mut m,
            &[
                "LINUX-LOADER-INIT-OK",
                "argc=2",
                "argv[0]=/init",
                "argv[1]=ll-00c0ffee",
            ],
        );
        assert!(m.passed());
        assert_eq!(m.matched().len(), 4);
        assert_eq!(m.matched()[3], "argv[1]=ll-00c0ffee");
    }

    #[test]
    fn kernel_echo_of_marker_before_init_does_not_count() {
        let mut m = Matcher::new(CMD, "00c0ffee");
        feed_all(
            &mut m,
            &[
                "Linux version 6.1.0",
                "Kernel command line: console=ttyS0 LLMARKER=00c0ffee -- ll-00c0ffee",
                "Unknown kernel command line parameters \"LLMARKER=00c0ffee\"",
                "LINUX-LOADER-INIT-OK",
            ],
        );
        assert!(!m.passed());
        assert_eq!(m.missing(), vec!["marker echoed by init"]);
        // Init's own line may carry both the init marker and the echo.
        let mut m = Matcher::new(CMD, "00c0ffee");
        feed_all(
            &mut m,
            &[
                "[    0.000000] Linux version 6.1.0",
                "[    0.000000] Kernel command line: console=ttyS0 LLMARKER=00c0ffee -- ll-00c0ffee",
                "LINUX-LOADER-INIT-OK env LLMARKER=00c0ffee",
            ],
        );
        assert!(m.passed());
    }

    #[test]
    fn a_different_command_line_fails() {
        let mut m = Matcher::new(CMD, "00c0ffee");
        feed_all(
            &mut m,
            &[
                "Linux version 6.1.0",
                "Command line: console=ttyS0 LLMARKER=00c0ffee -- ll-00c0ffee extra",
                "Command line: console=ttyS0 LLMARKER=00c0ffe",
                "LINUX-LOADER-INIT-OK LLMARKER=00c0ffee",
            ],
        );
        assert!(!m.passed());
        assert_eq!(m.missing(), vec!["`Command line:` equal to ours"]);
    }

    #[test]
    fn keeps_the_last_forty_lines() {
        let mut m = Matcher::new(CMD, "00c0ffee");
        for i in 0..100 {
            m.feed(&format!("line {i}\r"));
        }
        let tail: Vec<&str> = m.tail().collect();
        assert_eq!(tail.len(), TAIL_LINES);
        assert_eq!(tail[0], "line 60");
        assert_eq!(tail[39], "line 99");
    }

    #[test]
    fn markers_are_fresh_hex() {
        let (a, b) = (fresh_marker(), fresh_marker());
        assert_eq!(a.len(), 16);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
