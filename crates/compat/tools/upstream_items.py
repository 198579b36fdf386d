#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
"""Lists the public items of rust-vmm linux-loader 0.13.2 and 0.14.0 from their sources.

Run by hand (the outputs are committed; see crates/compat/README.md for the exact commands):

    python3 crates/compat/tools/upstream_items.py <registry src dir> > tests/upstream_items.txt
    python3 crates/compat/tools/upstream_items.py --rust <registry src dir> > tests/upstream_paths.rs

Each output line is `<versions> <kind> <path>[: <type>]`, where versions is `0.13.2`, `0.14.0` or
`both`, kind is one of mod/const/static/type/struct/union/enum/trait/fn/variant/field/method, and
the path is the one a VMM writes (`loader::elf::start_info::hvm_start_info`). Field lines carry
the field's type with bindgen's C aliases resolved (`__u8` -> `u8`). Items reachable through
upstream's glob re-exports (`loader::*` re-exports `elf::*`, `configurator::*` re-exports
`x86_64::*`) are listed at the glob's path as well. Only the reading of upstream's text is done
here; which item our umbrella provides, and how, is the test's business.
"""

import re
import sys
from pathlib import Path

# Upstream source file -> the module paths it is reachable at (first is canonical).
MODULES = {
    "src/lib.rs": [""],
    "src/cmdline/mod.rs": ["cmdline"],
    "src/configurator/mod.rs": ["configurator"],
    "src/configurator/x86_64/linux.rs": ["configurator::linux"],
    "src/configurator/x86_64/pvh.rs": ["configurator::pvh"],
    "src/configurator/fdt.rs": ["configurator::fdt"],
    "src/loader/mod.rs": ["loader"],
    "src/loader/elf/mod.rs": ["loader::elf", "loader"],
    "src/loader/bzimage/mod.rs": ["loader::bzimage", "loader"],
    "src/loader/pe/mod.rs": ["loader::pe", "loader"],
    "src/loader_gen/x86_64/bootparam.rs": ["bootparam", "loader::bootparam"],
    "src/loader_gen/x86_64/elf.rs": ["elf"],
    "src/loader_gen/x86_64/start_info.rs": ["start_info", "loader::elf::start_info", "loader::start_info"],
}
# Module declarations that upstream makes public (`pub mod` or reached through `pub use`).
MODS = ["cmdline", "configurator", "configurator::linux", "configurator::pvh", "configurator::fdt",
        "loader", "loader::elf", "loader::bzimage", "loader::pe", "loader::bootparam",
        "loader::elf::start_info", "loader::start_info", "bootparam", "elf", "start_info"]

C_TYPES = {
    "__u8": "u8", "__u16": "u16", "__u32": "u32", "__u64": "u64",
    "__s8": "i8", "__s16": "i16", "__s32": "i32", "__s64": "i64",
    "::std::os::raw::c_uchar": "u8", "::std::os::raw::c_ushort": "u16",
    "::std::os::raw::c_uint": "u32", "::std::os::raw::c_ulonglong": "u64",
    "::std::os::raw::c_schar": "i8", "::std::os::raw::c_short": "i16",
    "::std::os::raw::c_int": "i32", "::std::os::raw::c_longlong": "i64",
    "::std::os::raw::c_char": "i8", "::std::os::raw::c_ulong": "u64", "::std::os::raw::c_long": "i64",
}

ITEM = re.compile(
    r"^pub (?:(?:const )?(?:unsafe )?(fn)|(const|static|type|struct|union|enum|trait|mod)) "
    r"(?:mut )?([A-Za-z_][A-Za-z0-9_]*)"
)
USE = re.compile(r"^pub use [a-z_:]+::(\{[^}]*\}|[A-Za-z_0-9]+);")
FIELD = re.compile(r"^    pub (r#)?([A-Za-z_][A-Za-z0-9_]*): (.+),\s*(//.*)?$")
METHOD = re.compile(r"^    pub (?:const )?fn ([A-Za-z_][A-Za-z0-9_]*)")
VARIANT = re.compile(r"^    ([A-Z][A-Za-z0-9_]*)\b")


def resolve(ty):
    ty = ty.strip()
    for c, r in sorted(C_TYPES.items(), key=lambda kv: -len(kv[0])):
        ty = re.sub(r"(?<![A-Za-z0-9_:])" + re.escape(c) + r"(?![A-Za-z0-9_])", r, ty)
    return re.sub(r"(\d+)usize", r"\1", ty)


def parse(text):
    """Yields (kind, name, detail) for the public items of one file, skipping #[cfg(test)] mods."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#[cfg(test)]"):
            break  # upstream's test modules sit at the end of each file
        m = ITEM.match(line)
        if m:
            kind = m.group(2) or m.group(1)
            name = m.group(3)
            detail = None
            if kind in ("const", "static"):
                t = re.match(r"^pub (?:const|static) (?:mut )?[A-Za-z0-9_]+: ([^=]+)=", line)
                detail = resolve(t.group(1)) if t else None
            yield kind, name, detail
            if kind in ("struct", "union", "enum") and line.rstrip().endswith("{"):
                i += 1
                while i < len(lines) and not lines[i].startswith("}"):
                    body = lines[i]
                    f = FIELD.match(body)
                    v = VARIANT.match(body)
                    if kind != "enum" and f:
                        raw = "r#" if f.group(1) else ""
                        yield "field", f"{name}.{raw}{f.group(2)}", resolve(f.group(3))
                    elif kind == "enum" and v and not body.lstrip().startswith("//"):
                        yield "variant", f"{name}::{v.group(1)}", None
                    i += 1
        m = USE.match(line)
        if m:
            names = m.group(1).strip("{}")
            for n in names.split(","):
                n = n.strip()
                if n and n != "*":
                    yield "use", n, None
        impl = re.match(r"^impl(?:<[^>]*>)? ([A-Za-z_][A-Za-z0-9_]*)(?:<[^>]*>)? \{", line)
        if impl:
            owner = impl.group(1)
            i += 1
            while i < len(lines) and not lines[i].startswith("}"):
                mm = METHOD.match(lines[i])
                if mm:
                    yield "method", f"{owner}::{mm.group(1)}", None
                i += 1
        i += 1


def items(root):
    out = {}
    for rel, paths in MODULES.items():
        text = (root / rel).read_text()
        for kind, name, detail in parse(text):
            for j, mod in enumerate(paths):
                if j > 0 and kind in ("field", "method", "variant"):
                    continue  # members are listed once, at the canonical path
                if j > 0 and mod == "loader" and name == "Error":
                    continue  # loader's own Error shadows the glob-imported ones
                path = f"{mod}::{name}" if mod else name
                out[(kind if kind != "mod" else "mod", path)] = detail
    for m in MODS:
        out[("mod", m)] = None
    out.pop(("mod", "loader_gen"), None)
    return out


def main():
    base = Path(sys.argv[1])
    versions = {v: items(base / f"linux-loader-{v}") for v in ("0.13.2", "0.14.0")}
    a, b = versions["0.13.2"], versions["0.14.0"]
    keys = sorted(set(a) | set(b), key=lambda k: (k[1].split("::")[0], k[1], k[0]))
    print("# Public items of rust-vmm linux-loader 0.13.2 and 0.14.0, read from their sources by")
    print("# crates/compat/tools/upstream_items.py. Format: <versions> <kind> <path>[: <type>].")
    for k in keys:
        kind, path = k
        if k in a and k in b:
            ver = "both" if a[k] == b[k] else None
            if ver is None:
                print(f"0.13.2 {kind} {path}: {a[k]}")
                print(f"0.14.0 {kind} {path}: {b[k]}")
                continue
            detail = a[k]
        else:
            ver = "0.13.2" if k in a else "0.14.0"
            detail = a.get(k) if k in a else b.get(k)
        print(f"{ver} {kind} {path}" + (f": {detail}" if detail else ""))




# ---------------------------------------------------------------------------------------------
# `--rust`: the path test. Every item above becomes a `use` line (grouped per module), every
# constant a typed binding, every struct field a typed read, every enum variant a match arm, every
# method a function-path expression. Items listed in SKIP are left out with their reason printed
# beside them; types that differ between the versions follow PREFER.

# path (or path prefix ending in `*`) -> why the umbrella does not provide it.
SKIP = {
    # The three places where 0.13.2 and 0.14.0 cannot both hold (boot-params-x86's CHANGELOG,
    # "Compatibility"): the e820 type field, the subarch type and (in PREFER_CONST) the types of
    # the constants.
    "bootparam::boot_e820_entry.r#type": "0.14.0 renamed 0.13.2's `type_`; `type_` wins, as in "
    "both versions' `hvm_memmap_table_entry` and in the VMMs that write it",
    "bootparam::x86_hardware_subarch::*": "0.14.0 made the 0.13.2 `u32` alias an enum; the alias "
    "wins (`hardware_subarch` is a `u32` field in both), with the `X86_SUBARCH_*` constants",
    # bindgen artefacts of 0.13.2 that 0.14.0 dropped and that are not boot-protocol layouts.
    "bootparam::setup_data.data": "0.13.2's bindgen flexible array; `setup_data` is the 16-byte "
    "header here and in 0.14.0 (the payload follows it in guest memory)",
    "bootparam::__IncompleteArrayField*": "bindgen's flexible-array helper (only `setup_data.data` "
    "used it); dropped by 0.14.0",
    "bootparam::edd_device_params__bindgen_*": "bindgen's anonymous unions; the fields are byte "
    "arrays here and in 0.14.0",
    "bootparam::__kernel_fd_set": "POSIX type bindgen pulled in from <linux/posix_types.h>; not "
    "boot protocol; dropped by 0.14.0",
    "bootparam::__kernel_fsid_t": "POSIX type bindgen pulled in from <linux/posix_types.h>; not "
    "boot protocol; dropped by 0.14.0",
    "bootparam::edd": "the kernel's internal EDD copy (<linux/edd.h>), never in the zero page; "
    "dropped by 0.14.0",
    "bootparam::jailhouse_setup_data*": "payload of the Jailhouse hypervisor's own setup_data "
    "node, written by its loader, not a VMM; dropped by 0.14.0",
}
# (kind, path) -> the version whose type the umbrella has, for items whose type differs.
PREFER = {
    # The same array types, 0.14.0 spelling the length with the kernel's constant.
    ("field", "bootparam::boot_params.e820_table"): "0.14.0",
    ("field", "bootparam::boot_params.edd_mbr_sig_buffer"): "0.14.0",
    ("field", "bootparam::boot_params.eddbuf"): "0.14.0",
    # 0.13.2's bindgen unions are byte arrays in 0.14.0 and here (the kernel reads them as bytes;
    # a union would need unsafe to read).
    ("field", "bootparam::edd_device_params.device_path"): "0.14.0",
    ("field", "bootparam::edd_device_params.interface_path"): "0.14.0",
}
# Constants whose type differs follow 0.14.0 (see crates/boot-params-x86/CHANGELOG.md).
PREFER_CONST = "0.14.0"
# Turbofish for generic methods (a method path with its generics left open cannot be named).
TURBOFISH = {
    "cmdline::Cmdline::insert": "::<&str>",
    "cmdline::Cmdline::insert_multiple": "::<&str>",
    "cmdline::Cmdline::insert_str": "::<&str>",
    "cmdline::Cmdline::insert_init_args": "::<&str>",
    # Ours is generic over the address type (a `GuestAddress`, or a plain `u64` without
    # vm-memory); upstream takes `GuestAddress`, which calls still infer.
    "cmdline::Cmdline::add_virtio_mmio_device": "::<GuestAddress>",
    "configurator::BootParams::new": "::<u64>",
    "configurator::BootParams::set_sections": "::<u64>",
    "configurator::BootParams::add_section": "::<u64>",
    "configurator::BootParams::set_modules": "::<u64>",
    "configurator::BootParams::add_module": "::<u64>",
}
# Types the field lists name that are not upstream items.
EXTERNAL = "use vm_memory::{GuestAddress, GuestUsize};"


def skipped(path):
    if path.startswith("loader::bootparam::"):
        path = path[len("loader::"):]
    for pat, why in SKIP.items():
        if path == pat or (pat.endswith("*") and path.startswith(pat[:-1])):
            return why
    return None


def rust(base):
    vs = {v: items(base / f"linux-loader-{v}") for v in ("0.13.2", "0.14.0")}
    keys = set(vs["0.13.2"]) | set(vs["0.14.0"])

    def versions(k):
        return [v for v in vs if k in vs[v]]

    def detail(k):
        d = {v: vs[v][k] for v in versions(k)}
        if len(set(d.values())) == 1:
            return next(iter(d.values())), None
        pick = PREFER.get(k) or (PREFER_CONST if k[0] in ("const", "static") else None)
        if pick is None:
            print(f"types differ for {k}: {d}; add a PREFER entry", file=sys.stderr)
            pick = "0.14.0"
        other = [v for v in d if v != pick][0]
        return d[pick], f"{other}: `{d[other]}`; {pick} wins"

    mods = sorted({p.rsplit("::", 1)[0] if "::" in p else "" for (k, p) in keys
                   if k not in ("field", "method", "variant")} | {""})
    out = []
    w = out.append
    counts = {v: sum(1 for (k, p) in vs[v] if not skipped(p)) for v in vs}
    totals = {v: len(vs[v]) for v in vs}
    w("// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause")
    w("")
    w("//! Every public path of rust-vmm linux-loader 0.13.2 and 0.14.0, named against our umbrella.")
    w("//!")
    w("//! GENERATED by `python3 crates/compat/tools/upstream_items.py --rust <registry src dir>` from")
    w("//! upstream's sources, then `rustfmt --edition 2024`; do not edit by hand (change SKIP/PREFER")
    w("//! in the script and rerun; see the compat README).")
    w(f"//! Items: 0.13.2 has {totals['0.13.2']}, 0.14.0 has {totals['0.14.0']} (modules, items, struct fields,")
    w(f"//! enum variants and methods, each reachable path counted); {counts['0.13.2']} and")
    w(f"//! {counts['0.14.0']} of them resolve here. The rest are listed below with the reason: 0.13.2's")
    w("//! bindgen artefacts that 0.14.0 dropped (and their fields), and the e820 `r#type` field and")
    w("//! `x86_hardware_subarch` enum variants of 0.14.0, which cannot coexist with 0.13.2's.")
    w("//! Each upstream module is a module here, so a missing name, a constant or field")
    w("//! of another type, a missing enum variant or method fails to compile. Where the two versions")
    w("//! disagree on a type, the comment beside the check names the loser.")
    w("")
    w("#![allow(unused_imports, dead_code, non_snake_case)]")
    w("// Unit variants are matched as `V { .. }` so one pattern fits every variant shape.")
    w("#![allow(clippy::unneeded_struct_pattern, clippy::match_single_binding)]")
    w("")
    for mod in mods:
        members = sorted({(k, p) for (k, p) in keys if (p.rsplit("::", 1)[0] if "::" in p else "") == mod
                          and k not in ("field", "method", "variant")}, key=lambda kp: kp[1])
        if not members:
            continue
        modname = "m_" + (mod.replace("::", "_") or "root")
        target = "linux_loader" + ("::" + mod if mod else "")
        w(f"/// `linux_loader::{mod}`" if mod else "/// `linux_loader` (crate root)")
        w(f"mod {modname} {{")
        w(f"    {EXTERNAL}")
        names, skips = [], []
        seen = set()
        for k, p in members:
            name = p.rsplit("::", 1)[-1]
            why = skipped(p)
            tag = "/".join(versions((k, p)))
            if why:
                skips.append(f"    // {name} ({tag}): {why}")
            elif name not in seen:
                names.append(name)
            seen.add(name)
        w(f"    use {target}::{{")
        for n in names:
            w(f"        {n},")
        w("    };")
        for s in sorted(set(skips)):
            w(s)
        # Constants: typed bindings.
        consts = [(k, p) for (k, p) in members if k in ("const", "static") and not skipped(p)]
        if consts:
            w("")
            w("    fn constants() {")
            for k, p in consts:
                ty, note = detail((k, p))
                name = p.rsplit("::", 1)[-1]
                w(f"        let _: {ty} = {name};" + (f" // {note}" if note else ""))
            w("    }")
        # Fields, variants, methods of this module's types (canonical path only).
        for k, p in members:
            if k not in ("struct", "union", "enum") or skipped(p):
                continue
            tname = p.rsplit("::", 1)[-1]
            fields = sorted((kk, pp) for (kk, pp) in keys if kk == "field" and pp.startswith(p + "."))
            if fields:
                w("")
                arg = "_x" if k == "union" else "x"
                w(f"    fn fields_{tname}({arg}: &{tname}) {{")
                for kk, pp in fields:
                    fname = pp.split(".", 1)[1]
                    why = skipped(pp)
                    tag = "/".join(versions((kk, pp)))
                    if why:
                        w(f"        // .{fname} ({tag}): {why}")
                        continue
                    ty, note = detail((kk, pp))
                    note = f" // {note}" if note else ""
                    if k == "union":
                        # Reading a union field is unsafe; building one from a field is not.
                        w(f"        let _ = |v: {ty}| {tname} {{ {fname}: v }};{note}")
                    else:
                        w(f"        let _: {ty} = x.{fname};{note}")
                w("    }")
            variants = sorted(pp for (kk, pp) in keys if kk == "variant" and pp.startswith(p + "::"))
            if variants:
                w("")
                w(f"    fn variants_{tname}(x: &{tname}) {{")
                w("        match x {")
                for pp in variants:
                    why = skipped(pp)
                    vname = pp.rsplit("::", 1)[-1]
                    if why:
                        w(f"            // {vname}: {why}")
                    else:
                        w(f"            {tname}::{vname} {{ .. }} => {{}}")
                w("            #[allow(unreachable_patterns)]")
                w("            _ => {}")
                w("        }")
                w("    }")
            methods = sorted(pp for (kk, pp) in keys if kk == "method" and pp.startswith(p + "::"))
            live = [pp for pp in methods if not skipped(pp)]
            if methods:
                w("")
                w(f"    fn methods_{tname}() {{")
                for pp in methods:
                    why = skipped(pp)
                    mname = pp.rsplit("::", 1)[-1]
                    if why:
                        w(f"        // {mname}: {why}")
                    else:
                        w(f"        let _ = {tname}::{mname}{TURBOFISH.get(pp, '')};")
                w("    }")
        w("}")
        w("")
    w("#[test]")
    w("fn every_upstream_path_resolves() {")
    w("    // Compiling this file is the test; this body only makes it show up in `cargo test`.")
    w("}")
    print("\n".join(out))


if __name__ == "__main__" and len(sys.argv) > 2 and sys.argv[1] == "--rust":
    rust(Path(sys.argv[2]))
elif __name__ == "__main__":
    main()
