// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! `cargo xtask fixtures`.

pub(crate) fn run(_args: &[String]) -> Result<(), String> {
    Err("not yet".into())
}
