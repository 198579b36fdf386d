// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause

//! The firmware stubs that put a vCPU into a boot protocol's entry state, and the descriptor
//! that tells the x86 stub which state.
//!
//! x86: `fixtures/boot/x86-stub.S` (+ `x86-stub.ld`) assembled with GNU `as`/`ld`/`objcopy`
//! into a 64 KiB flat `-bios` image. One image serves every case: it reads a [`Descriptor`] the
//! harness places at [`DESC_ADDR`] with its own `-device loader` blob (harness data, not a boot
//! structure). arm64: six instructions and two literals at the flash base, encoded here.

use std::path::{Path, PathBuf};
use std::process::Command;

use vm_memory::GuestAddress;

use crate::util;

/// Where the x86 stub reads its descriptor (physical; below the real-mode IVT/BDA user area).
pub(crate) const DESC_ADDR: u64 = 0x800;
/// `"LLBD"` little-endian: the descriptor's magic.
pub(crate) const DESC_MAGIC: u32 = u32::from_le_bytes(*b"LLBD");
/// Size of the encoded descriptor.
pub(crate) const DESC_SIZE: usize = 24;
/// Physical memory the x86 stub itself uses at run time, as `[start, end)`: the descriptor at
/// 0x800 and the long-mode page tables at 0x9000..0xF000 (PML4, PDPT, four PDs mapping 4 GiB
/// with 2 MiB pages). The layout planner gets them as occupied ranges.
pub(crate) const X86_STUB_RANGES: [(u64, u64); 2] =
    [(DESC_ADDR, DESC_ADDR + DESC_SIZE as u64), (0x9000, 0xf000)];
/// Size of a flat `-bios` image for `-M pc` (mapped at 0xF0000 and below 4 GiB).
pub(crate) const X86_BIOS_SIZE: u64 = 0x1_0000;

/// The x86 entry state the stub establishes (the descriptor's `mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum X86Mode {
    /// Linux 32-bit boot protocol: flat protected mode, `%esi` = zero page.
    Linux32 = 1,
    /// PVH: protected mode, paging off, `%ebx` = `hvm_start_info`.
    Pvh = 2,
    /// Linux 64-bit boot protocol: long mode, identity map, `%rsi` = zero page.
    Linux64 = 3,
}

/// What the x86 stub reads at [`DESC_ADDR`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Descriptor {
    /// Which entry state.
    pub(crate) mode: X86Mode,
    /// Where to jump.
    pub(crate) entry: GuestAddress,
    /// The register argument: zero page (Linux) or `hvm_start_info` (PVH).
    pub(crate) arg: GuestAddress,
}

impl Descriptor {
    /// The wire form: u32 magic, u32 mode, u64 entry, u64 arg, little-endian.
    pub(crate) fn to_bytes(self) -> [u8; DESC_SIZE] {
        let mut out = [0u8; DESC_SIZE];
        out[0..4].copy_from_slice(&DESC_MAGIC.to_le_bytes());
        out[4..8].copy_from_slice(&(self.mode as u32).to_le_bytes());
        out[8..16].copy_from_slice(&self.entry.0.to_le_bytes());
        out[16..24].copy_from_slice(&self.arg.0.to_le_bytes());
        out
    }
}

/// Builds the x86 `-bios` image from the committed sources into `out_dir`; returns its path.
pub(crate) fn build_x86_stub(out_dir: &Path) -> Result<PathBuf, String> {
    let src = util::workspace_root().join("fixtures/boot");
    let (asm, script) = (src.join("x86-stub.S"), src.join("x86-stub.ld"));
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let (obj, elf, bin) = (
        out_dir.join("x86-stub.o"),
        out_dir.join("x86-stub.elf"),
        out_dir.join("x86-stub.bin"),
    );
    quiet(Command::new("as").arg("--64").arg("-o").arg(&obj).arg(&asm))?;
    quiet(
        Command::new("ld")
            .args(["-m", "elf_x86_64", "-nostdlib", "-T"])
            .arg(&script)
            .arg("-o")
            .arg(&elf)
            .arg(&obj),
    )?;
    quiet(
        Command::new("objcopy")
            .args(["-O", "binary", "--pad-to", "0x100000", "--gap-fill", "0xff"])
            .arg(&elf)
            .arg(&bin),
    )?;
    let len = std::fs::metadata(&bin)
        .map_err(|e| format!("{}: {e}", bin.display()))?
        .len();
    if len != X86_BIOS_SIZE {
        return Err(format!(
            "{} is {len:#x} bytes, expected {X86_BIOS_SIZE:#x}: check x86-stub.ld",
            bin.display()
        ));
    }
    Ok(bin)
}

/// Runs a build tool, showing its output only when it fails.
fn quiet(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot start `{}`: {e}", util::display(cmd)))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{}` failed with {}:\n{}{}",
            util::display(cmd),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The arm64 stub for the `virt` flash base: `x0` = DTB, `x1`-`x3` = 0, branch to `entry`
/// (Documentation/arm64/booting.rst). Six instructions, then the two addresses as literals.
pub(crate) fn arm64_stub(dtb: GuestAddress, entry: GuestAddress) -> Vec<u8> {
    const LDR_X0_LIT_24: u32 = 0x5800_0000 | (24 / 4) << 5; // ldr x0, .+24
    const MOV_X1_XZR: u32 = 0xaa1f_03e1; // orr x1, xzr, xzr
    const MOV_X2_XZR: u32 = 0xaa1f_03e2;
    const MOV_X3_XZR: u32 = 0xaa1f_03e3;
    const LDR_X4_LIT_16: u32 = 0x5800_0000 | (16 / 4) << 5 | 4; // ldr x4, .+16
    const BR_X4: u32 = 0xd61f_0080; // br x4
    let mut out = Vec::with_capacity(40);
    for insn in [
        LDR_X0_LIT_24,
        MOV_X1_XZR,
        MOV_X2_XZR,
        MOV_X3_XZR,
        LDR_X4_LIT_16,
        BR_X4,
    ] {
        out.extend_from_slice(&insn.to_le_bytes());
    }
    out.extend_from_slice(&dtb.0.to_le_bytes()); // at 24
    out.extend_from_slice(&entry.0.to_le_bytes()); // at 32
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_wire_form() {
        let d = Descriptor {
            mode: X86Mode::Linux64,
            entry: GuestAddress(0x100_0200),
            arg: GuestAddress(0x1_0000),
        };
        let b = d.to_bytes();
        assert_eq!(&b[0..4], b"LLBD");
        assert_eq!(u32::from_le_bytes(b[4..8].try_into().unwrap()), 3);
        assert_eq!(u64::from_le_bytes(b[8..16].try_into().unwrap()), 0x100_0200);
        assert_eq!(u64::from_le_bytes(b[16..24].try_into().unwrap()), 0x1_0000);
        assert_eq!(X86Mode::Linux32 as u32, 1);
        assert_eq!(X86Mode::Pvh as u32, 2);
    }

    #[test]
    fn descriptor_matches_the_assembly_source() {
        // The stub and the harness must agree on the address, magic and modes.
        let src = std::fs::read_to_string(util::workspace_root().join("fixtures/boot/x86-stub.S"))
            .unwrap();
        for needle in [
            ".equ BOOT_DESC, 0x800",
            ".equ DESC_MAGIC, 0x44424c4c",
            ".equ MODE_LINUX32, 1",
            ".equ MODE_PVH, 2",
            ".equ MODE_LINUX64, 3",
            ".equ PAGE_TABLES, 0x9000",
        ] {
            assert!(src.contains(needle), "x86-stub.S lacks `{needle}`");
        }
        assert_eq!(DESC_MAGIC, 0x4442_4c4c);
        assert!(src.contains("PD0 + 0x3000"), "four PDs end at 0xf000");
        assert_eq!(X86_STUB_RANGES, [(0x800, 0x818), (0x9000, 0xf000)]);
    }

    #[test]
    fn x86_stub_reset_vector_is_a_16_bit_far_jump() {
        // The BOOTLAB pitfall: assembled as 32-bit code, the jump would land at 0:0.
        let dir = util::workspace_root().join("target/boot-lab/stub-test");
        let bin = std::fs::read(build_x86_stub(&dir).unwrap()).unwrap();
        assert_eq!(bin.len() as u64, X86_BIOS_SIZE);
        // ljmp $0xf000, $entry16 (entry16 is the first byte of the ROM, offset 0).
        assert_eq!(&bin[0xfff0..0xfff5], &[0xea, 0x00, 0x00, 0x00, 0xf0]);
        assert_eq!(&bin[0..2], &[0xfa, 0xfc], "entry16 starts with cli; cld");
    }

    #[test]
    fn arm64_stub_encoding() {
        let s = arm64_stub(GuestAddress(0x4800_0000), GuestAddress(0x4020_0000));
        let words: Vec<u32> = s[..24]
            .chunks(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        // Encodings as GNU as (aarch64-linux-gnu-as) emits them.
        assert_eq!(
            words,
            [
                0x5800_00c0,
                0xaa1f_03e1,
                0xaa1f_03e2,
                0xaa1f_03e3,
                0x5800_0084,
                0xd61f_0080
            ]
        );
        assert_eq!(
            u64::from_le_bytes(s[24..32].try_into().unwrap()),
            0x4800_0000
        );
        assert_eq!(
            u64::from_le_bytes(s[32..40].try_into().unwrap()),
            0x4020_0000
        );
    }
}
