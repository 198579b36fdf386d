// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Compressed arm64 / riscv64 images (Image.gz/.zst/.lz4/.xz, EFI zboot) through
//! `PE::load_compressed`: errors before the first write leave memory untouched, errors after it
//! name what was written, and a load writes exactly the payload's independent decode plus BSS.
//! The invariants live in `fuzz_checks::check_pe_compressed`, which the stable replay tests run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_checks::check_pe_compressed(data);
});
