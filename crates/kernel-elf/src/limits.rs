// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! Named limits. Each bounds how many bytes an untrusted ELF header can make the loader read or
//! allocate before anything is validated; each says why it is that number.

/// Most program headers (`e_phnum`) an image may declare.
///
/// An x86 vmlinux has five or six (Debian's 6.1 amd64 kernel: four `PT_LOAD`, one `PT_NOTE`);
/// 256 leaves ample room for unusual linker scripts while capping the program-header read at
/// 14 KiB (256 × 56 bytes), where `e_phnum`'s full range would allow 3.5 MiB. It also rejects
/// `PN_XNUM` (0xffff, "count stored in section header 0"), which no kernel uses.
pub const MAX_PROGRAM_HEADERS: u16 = 256;

/// Most bytes one `PT_NOTE` segment may hold.
///
/// Notes are read into a heap buffer to be scanned for the PVH entry. A vmlinux's notes (build
/// id, Xen notes, build salt) total a few hundred bytes; 64 KiB is two orders of magnitude more,
/// yet keeps the read small however large `p_filesz` claims to be.
pub const MAX_NOTE_SEGMENT_BYTES: u64 = 64 * 1024;

/// Most `PT_NOTE` segments scanned for the PVH entry.
///
/// Together with [`MAX_NOTE_SEGMENT_BYTES`] this bounds the note bytes read per load (1 MiB);
/// real kernels have one or two note segments.
pub const MAX_NOTE_SEGMENTS: usize = 16;

/// Most bytes read from the start of a stream before the load is planned: the ELF header and the
/// program header table must lie inside them.
///
/// A vmlinux's program headers follow the 64-byte ELF header directly (Debian's 6.1: 0x40 +
/// 5 × 56 bytes), so 64 KiB — the stream chunk size, and room for [`MAX_PROGRAM_HEADERS`]
/// entries anywhere in the first 50 KiB — is ample; a stream cannot seek back, so a table beyond
/// it is refused rather than buffered.
pub const MAX_STREAM_HEADER_BYTES: u64 = 64 * 1024;
