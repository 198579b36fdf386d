// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Starting QEMU (TCG) on a prepared guest and watching its serial console.
//!
//! QEMU gets firmware (our stub, or OpenSBI) and `-device loader,file=...,addr=...,force-raw=on`
//! blobs — never `-kernel`/`-initrd`. The console (`-serial stdio`) is read line by line on a
//! thread; QEMU is killed as soon as the [`Matcher`] passes, or when the case's timeout expires.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::console::Matcher;
use crate::fixtures::cache::{Need, ensure};
use crate::util;

/// A file QEMU copies into guest memory at reset.
#[derive(Clone, Debug)]
pub(crate) struct Blob {
    /// What it is (`kernel`, `initrd`, `zero-page`, ...).
    pub(crate) label: String,
    /// The file.
    pub(crate) path: PathBuf,
    /// Guest-physical address of its first byte.
    pub(crate) addr: u64,
    /// Its length.
    pub(crate) len: u64,
}

/// Everything one QEMU run needs.
#[derive(Clone, Debug)]
pub(crate) struct Launch {
    /// `qemu-system-x86_64`, `qemu-system-aarch64`, ...
    pub(crate) qemu: &'static str,
    /// Machine, CPU, memory and firmware arguments (shared with `dumpdtb` where a DTB is needed).
    pub(crate) machine: Vec<String>,
    /// Extra arguments after the machine ones (`-dtb FILE`).
    pub(crate) extra: Vec<String>,
    /// Memory contents placed by `-device loader`.
    pub(crate) blobs: Vec<Blob>,
    /// Give up after this long.
    pub(crate) timeout: Duration,
}

impl Launch {
    /// The full command.
    pub(crate) fn command(&self) -> Command {
        let mut cmd = Command::new(self.qemu);
        cmd.args(&self.machine).args(&self.extra);
        for b in &self.blobs {
            cmd.arg("-device").arg(format!(
                "loader,file={},addr={:#x},force-raw=on",
                b.path.display(),
                b.addr
            ));
        }
        cmd.args([
            "-display",
            "none",
            "-monitor",
            "none",
            "-serial",
            "stdio",
            "-no-reboot",
        ]);
        cmd
    }
}

/// How a run ended.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The pass condition held (QEMU was then stopped).
    pub(crate) passed: bool,
    /// From QEMU's start to the pass (or to the end of the run).
    pub(crate) elapsed: Duration,
    /// The console as matched.
    pub(crate) matcher: Matcher,
    /// QEMU's exit status when it exited by itself.
    pub(crate) exit: Option<ExitStatus>,
    /// The timeout expired.
    pub(crate) timed_out: bool,
    /// What QEMU printed on stderr.
    pub(crate) stderr: String,
}

/// Runs `launch`, feeding console lines to `matcher`; with `echo`, also copies them to stdout
/// as they arrive.
pub(crate) fn run(launch: &Launch, mut matcher: Matcher, echo: bool) -> Result<Outcome, String> {
    let mut cmd = launch.command();
    if echo {
        eprintln!("$ {}", util::display(&cmd));
    }
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", launch.qemu))?;

    let stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let mut buf = Vec::new();
        while r.read_until(b'\n', &mut buf).is_ok_and(|n| n > 0) {
            if tx.send(String::from_utf8_lossy(&buf).into_owned()).is_err() {
                break;
            }
            buf.clear();
        }
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });

    let deadline = start + launch.timeout;
    let mut passed = false;
    let mut timed_out = false;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if echo {
                    let mut out = std::io::stdout().lock();
                    let _ = out.write_all(line.trim_end_matches(['\r', '\n']).as_bytes());
                    let _ = out.write_all(b"\n");
                    let _ = out.flush();
                }
                matcher.feed(&line);
                if matcher.passed() {
                    passed = true;
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                timed_out = true;
                break;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let elapsed = start.elapsed();
    // Stop QEMU if it is still running (pass or timeout); a run that ended by itself has exited.
    let exit = match child.try_wait() {
        Ok(Some(status)) => Some(status),
        _ => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    };
    let _ = reader.join();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Outcome {
        passed,
        elapsed,
        matcher,
        exit,
        timed_out,
        stderr,
    })
}

/// Installs the QEMU system emulator for `qemu` (and the firmware packages in `extra`) from
/// Debian when missing.
pub(crate) fn ensure_host(qemu: &'static str, extra: &[Need]) -> Result<(), String> {
    let package = match qemu {
        "qemu-system-x86_64" => "qemu-system-x86",
        "qemu-system-aarch64" => "qemu-system-arm",
        "qemu-system-riscv64" => "qemu-system-misc",
        other => return Err(format!("no Debian package known for {other}")),
    };
    let mut needs = vec![Need::Cmd(qemu, package)];
    needs.extend_from_slice(extra);
    ensure(&needs).map(|_| ())
}
