#!/usr/bin/env python3
"""man_examples.py SOURCE_DIR BUILD_DIR: every EXAMPLE in the man pages works as printed.

- libsealfd(3): the C code of its EXAMPLE section compiles with -Wall -Werror
  against the public header alone (sealfd.h must bring what its contract
  needs, e.g. the -errno codes of <errno.h>).
- sealrun.policy(5): the policy of its EXAMPLE section passes `sealrun check`
  as it stands, with no file that is not shipped; and in its section WRITING
  A POLICY FOR A NEW PROGRAM, every example file (a block whose first line
  is `# NAME.policy: ...` or `# NAME.workload: ...`) is written under NAME,
  side by side, and passes `sealrun check` there (policies first, then the
  workloads, which include them).
Fails (exit 1) naming the page and what went wrong.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def unescape(roff):
    """The text an .EX block shows, from its roff source."""
    out = []
    for line in roff.splitlines():
        if line.startswith((".", "'")):
            continue
        line = line.replace("\\e", "\x00").replace("\\-", "-").replace("\\(aq", "'")
        out.append(line.replace("\x00", "\\"))
    return "\n".join(out) + "\n"


def example_blocks(page, section=r"EXAMPLES?"):
    with open(page) as f:
        text = f.read()
    m = re.search(r"^\.SH " + section + r"\n(.*?)(?=^\.SH )", text, re.M | re.S)
    if not m:
        return []
    return [unescape(b) for b in re.findall(r"^\.EX\n(.*?)^\.EE", m.group(1), re.M | re.S)]


def fail(msg):
    print(f"FAIL: {msg}")
    return 1


def check_libsealfd(src, build, work):
    blocks = example_blocks(os.path.join(src, "man", "libsealfd.3"))
    code = [b for b in blocks if "#include" in b]
    if not code:
        return fail("libsealfd.3: no C code in its EXAMPLE section")
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        print("SKIP: no C compiler on PATH")
        return 0
    failures = 0
    for i, block in enumerate(code):
        path = os.path.join(work, f"example{i}.c")
        with open(path, "w") as f:
            f.write(block)
        r = subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-c",
                            "-I", os.path.join(src, "core", "include"), path, "-o", path + ".o"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            failures += fail(f"libsealfd.3: EXAMPLE block {i + 1} does not compile:\n{r.stdout}")
    if failures == 0:
        print(f"libsealfd.3: {len(code)} EXAMPLE block(s) compile against sealfd.h alone")
    return failures


def check_policy_5(src, build, work):
    blocks = example_blocks(os.path.join(src, "man", "sealrun.policy.5"))
    policies = [b for b in blocks if "@default" in b or re.search(r"^\w+: ", b, re.M)]
    if not policies:
        return fail("sealrun.policy.5: no policy in its EXAMPLE section")
    sealrun = os.path.join(build, "launcher", "sealrun")
    failures = 0
    for i, block in enumerate(policies):
        path = os.path.join(work, "jq.policy")
        with open(path, "w") as f:
            f.write(block)
        r = subprocess.run([sealrun, "check", path], cwd=work,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            failures += fail(f"sealrun.policy.5: the EXAMPLE policy fails `sealrun check`:\n{r.stdout}")
    if failures == 0:
        print(f"sealrun.policy.5: {len(policies)} EXAMPLE policy(ies) pass sealrun check")
    return failures


WRITING = "WRITING A POLICY FOR A NEW PROGRAM"
NAMED_FILE = re.compile(r"^# ([A-Za-z0-9_.-]+\.(policy|workload)):")


def check_writing_5(src, build, work):
    """The files the walk-through shows are real: written side by side, each passes check."""
    blocks = example_blocks(os.path.join(src, "man", "sealrun.policy.5"), WRITING)
    files = {}
    for b in blocks:
        m = NAMED_FILE.match(b)
        if m and m.group(1) in files:
            return fail(f"sealrun.policy.5: {WRITING} shows two files named {m.group(1)}: which is checked?")
        if m:
            files[m.group(1)] = b
    kinds = {name.rsplit(".", 1)[1] for name in files}
    if kinds != {"policy", "workload"}:
        return fail(f"sealrun.policy.5: {WRITING} shows no example policy and workload "
                    f"(blocks starting '# NAME.policy:' / '# NAME.workload:'), found {sorted(files)}")
    d = os.path.join(work, "writing")
    os.mkdir(d)
    for name, text in files.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    sealrun = os.path.join(build, "launcher", "sealrun")
    failures = 0
    for name in sorted(files, key=lambda n: (n.endswith(".workload"), n)):
        r = subprocess.run([sealrun, "check", name], cwd=d,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0 or r.stdout:
            failures += fail(f"sealrun.policy.5: {WRITING}: {name} does not pass `sealrun check` "
                             f"cleanly (exit {r.returncode}):\n{r.stdout}")
    if failures == 0:
        print(f"sealrun.policy.5: {WRITING}: {', '.join(sorted(files))} pass sealrun check")
    return failures


def main():
    if len(sys.argv) != 3:
        print("usage: man_examples.py SOURCE_DIR BUILD_DIR")
        return 2
    src, build = (os.path.abspath(p) for p in sys.argv[1:3])
    with tempfile.TemporaryDirectory() as work:
        n = check_libsealfd(src, build, work) + check_policy_5(src, build, work) + check_writing_5(src, build, work)
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
