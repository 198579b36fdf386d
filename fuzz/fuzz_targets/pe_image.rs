// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! arm64 / riscv64 Image (and EFI stub headers): Ok writes the file then zeroes up to image_size at base + text_offset, Err writes nothing.
//! The invariants live in `fuzz_checks::check_pe_image`, which the stable replay tests also run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_checks::check_pe_image(data);
});
