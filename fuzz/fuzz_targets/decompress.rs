// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Decompressors (gzip, zstd, LZ4 frame and legacy, xz, lzma, bzip2, lzop): bounded output, the
//! same result whatever the read size, exact expected_size, and streaming into guest memory
//! through loader-core's executor writes exactly the output or, on an early end, only inside its
//! segment. The invariants live in `fuzz_checks::check_decompress`, which the stable replay tests
//! also run.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_checks::check_decompress(data);
});
