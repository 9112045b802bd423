#!/usr/bin/env python3
"""readme_commands.py SOURCE_DIR BUILD_DIR: run README.md (and docs/*.md) and
check what they show.

Each document is run on its own, from a fresh stand-in root.  The rules (a
document's fenced blocks, in order):

  ```sh / ```bash / ```shell   commands: run, in document order, as ONE bash
                               script under `set -euo pipefail`, so a block
                               sees the variables and working directory the
                               blocks before it left.
  ```sh setup                  NOT run (README.md's set-up block, exactly
                               one: scripts/bootstrap and scripts/test build
                               and test this very tree; CI runs them itself).
  ```sh debian                 NOT run (README.md only, at most one: builds
                               the .deb packages and installs them system-
                               wide; scripts/test-debian-package runs it in a
                               fresh Debian 12 root).
  ```text                      directly after a command block (only blank
                               lines between): everything that block prints,
                               stdout and stderr together, exactly.  A line
                               that is only `...` stands for any number of
                               lines (none included); `...` inside a line
                               stands for any text on that line.  A command
                               block with no ```text block after it must
                               print nothing.
  <!-- file: NAME -->          on the line before a fenced block (```c, ...):
                               the block is written to NAME in the working
                               directory at that point of the script.
  ```console / ```shell-session  refused: say ```sh (+ ```text) or ```sh setup.
  anything else (```c without a file marker, tables...) is not run.

How it runs: from a stand-in repository root in a fresh temp dir whose
`build` is BUILD_DIR and whose other entries link to SOURCE_DIR, so the
documents' `$PWD/build/...` paths mean the build under test; BUILD_DIR/launcher
is also first on PATH.  TMPDIR, HOME and XDG_CACHE_HOME point into the temp dir (the tour's
`mktemp -d` lands there and is removed with it), stdin is /dev/null, LC_ALL=C.
In a SEALRUN_SANITIZE build a `cc` wrapper adding the sanitizer flags comes
first on PATH: the sanitized libsealfd needs their runtime.

Links are checked too: every relative link [text](path) outside code
blocks names a file or directory of the tree, and every `identifier` in the
text of a link to a C file is a function defined in that file (so the
guarantees README.md lists keep pointing at the tests that prove them).

Fails (exit 1) naming the document's line when a block exits non-zero or
prints anything other than what the document shows; "SKIP: ..." and exit 77 only when
a tool the tour needs is missing.
"""
import difflib
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

SHELL_LANGS = {"sh", "bash", "shell"}
REFUSED_LANGS = {"console", "shell-session", "sh-session"}
FENCE = re.compile(r"^(`{3,})\s*(.*)$")
FILE_MARKER = re.compile(r"^<!--\s*file:\s*(\S+)\s*-->\s*$")


class Block:
    def __init__(self, line, info, text, file_name):
        self.line = line  # 1-based line of the opening fence
        words = info.split()
        self.lang = words[0] if words else ""
        self.words = words[1:]
        self.text = text
        self.file_name = file_name
        self.expected = None  # the ```text block that follows, if any


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def parse_blocks(doc, readme_path):
    """Fenced blocks, each with whether only blank lines separate it from the previous one."""
    with open(readme_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = []
    i = 0
    prev_end = -1  # index of the previous closing fence
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        ticks, info = m.group(1), m.group(2).strip()
        start = i
        body = []
        i += 1
        while i < len(lines) and lines[i].strip() != ticks:
            body.append(lines[i])
            i += 1
        if i == len(lines):
            fail(f"{doc}:{start + 1}: fenced block never closed")
        # A file marker is the last non-blank line before the fence.
        j = start - 1
        while j >= 0 and lines[j].strip() == "":
            j -= 1
        marker = FILE_MARKER.match(lines[j]) if j >= 0 else None
        adjacent = prev_end >= 0 and all(l.strip() == "" for l in lines[prev_end + 1:start])
        b = Block(start + 1, info, "\n".join(body) + "\n", marker.group(1) if marker else None)
        blocks.append((b, adjacent))
        prev_end = i
        i += 1
    return blocks


def plan(doc, readme_path):
    """The steps to run: command blocks (with expected output) and files to write."""
    steps = []
    n_setup = n_debian = 0
    last_cmd = None
    for b, adjacent in parse_blocks(doc, readme_path):
        if b.lang in REFUSED_LANGS:
            fail(f"{doc}:{b.line}: ```{b.lang} block: write the commands in ```sh "
                 "and their output in a ```text block after it (see the rules in this test)")
        if b.lang in SHELL_LANGS:
            if "setup" in b.words or "debian" in b.words:
                n_setup += "setup" in b.words
                n_debian += "debian" in b.words
                last_cmd = None
                continue
            if b.words:
                fail(f"{doc}:{b.line}: unknown marker {' '.join(b.words)!r} on a ```{b.lang} block")
            steps.append(("run", b))
            last_cmd = b
            continue
        if b.lang == "text":
            if last_cmd is None or not adjacent:
                fail(f"{doc}:{b.line}: ```text block that does not directly follow a "
                     "```sh block: its output would never be checked")
            last_cmd.expected = b
            last_cmd = None
            continue
        last_cmd = None
        if b.file_name:
            steps.append(("file", b))
    if doc != "README.md" and (n_setup or n_debian):
        fail(f"{doc}: ```sh setup and ```sh debian blocks belong in README.md only")
    if n_debian > 1:
        fail(f"{doc}: expected at most one ```sh debian block, found {n_debian}")
    if doc == "README.md" and n_setup != 1:
        fail(f"{doc}: expected exactly one ```sh setup block, found {n_setup}")
    if not any(kind == "run" for kind, _ in steps):
        fail(f"{doc}: no command block to run")
    return steps


def write_script(steps, state):
    out = ["set -euo pipefail", ""]
    for n, (kind, b) in enumerate(steps):
        if kind == "file":
            delim = "README_FILE_EOF"
            if delim in b.text:
                fail(f"{doc}:{b.line}: block contains {delim}")
            out += [f"cat > {b.file_name} <<'{delim}'", b.text.rstrip("\n"), delim, ""]
            continue
        out += [f"printf '%s\\n' {n} > '{state}/current'",
                "{", b.text.rstrip("\n"), f"}} > '{state}/out.{n}' 2>&1", ""]
    out += [f"printf 'done\\n' > '{state}/current'", ""]
    return "\n".join(out)


def expected_regex(text):
    parts = []
    for line in text.rstrip("\n").split("\n"):
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*".join(re.escape(p) for p in line.split("...")) + r"\n")
    return re.compile("".join(parts))


def output_of(state, n):
    try:
        with open(f"{state}/out.{n}", encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def show(title, text):
    print(f"--- {title}")
    print(text if text.endswith("\n") or not text else text + "\n", end="")
    print("---")


def main():
    if len(sys.argv) != 3:
        print("usage: readme_commands.py SOURCE_DIR BUILD_DIR")
        return 2
    src, build = (os.path.abspath(p) for p in sys.argv[1:3])
    sealrun = os.path.join(build, "launcher", "sealrun")
    if not os.access(sealrun, os.X_OK):
        fail(f"{sealrun} is not built")
    for tool in ("bash", "jq", "cc", "sha256sum", "gzip"):
        if shutil.which(tool) is None:
            print(f"SKIP: {tool} not found (the README tour needs it)")
            return 77
    if not os.access("/bin/busybox", os.X_OK):
        print("SKIP: /bin/busybox not found (busybox-static; the tour execs it sealed)")
        return 77

    docs = ["README.md"] + sorted(os.path.relpath(p, src) for p in glob.glob(os.path.join(src, "docs", "*.md")))
    for doc in docs:
        run_document(src, build, doc)
    return 0


LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")


def check_links(src, doc):
    """Relative links name existing paths; `names` linked to a .c file are its functions."""
    n = 0
    in_code = False
    with open(os.path.join(src, doc), encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if FENCE.match(line.rstrip("\n")):
                in_code = not in_code
                continue
            if in_code:
                continue
            for text, target in LINK.findall(line):
                if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                    continue
                path = os.path.normpath(os.path.join(src, os.path.dirname(doc), target.split("#")[0]))
                if not os.path.exists(path):
                    fail(f"{doc}:{lineno}: link to {target}, which does not exist")
                n += 1
                if not path.endswith(".c"):
                    continue
                with open(path, encoding="utf-8") as c:
                    code = c.read()
                for name in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", text):
                    if not re.search(r"^[A-Za-z_].*\b" + name + r"\s*\(", code, re.M):
                        fail(f"{doc}:{lineno}: {target} defines no function {name}()")
    return n


def run_document(src, build, doc):
    n_links = check_links(src, doc)
    steps = plan(doc, os.path.join(src, doc))
    tmp = tempfile.mkdtemp(prefix="sealrun-readme-")
    try:
        repo = os.path.join(tmp, "repo")
        state = os.path.join(tmp, "state")
        bindir = os.path.join(tmp, "bin")
        for d in (repo, state, bindir, os.path.join(tmp, "tmp"), os.path.join(tmp, "home")):
            os.mkdir(d)
        for entry in os.listdir(src):
            if entry != "build" and not entry.startswith("."):
                os.symlink(os.path.join(src, entry), os.path.join(repo, entry))
        os.symlink(build, os.path.join(repo, "build"))

        path = [os.path.join(build, "launcher"), os.environ.get("PATH", "/usr/bin:/bin")]
        try:
            with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
                sanitized = "SEALRUN_SANITIZE:BOOL=ON" in f.read()
        except FileNotFoundError:
            sanitized = False
        if sanitized:
            cc = shutil.which("cc")
            with open(os.path.join(bindir, "cc"), "w") as f:
                f.write(f'#!/bin/sh\nexec {cc} -fsanitize=address,undefined "$@"\n')
            os.chmod(os.path.join(bindir, "cc"), 0o755)
            path.insert(0, bindir)

        script = write_script(steps, state)
        with open(os.path.join(tmp, "readme.sh"), "w") as f:
            f.write(script)
        env = {k: v for k, v in os.environ.items() if k.startswith(("ASAN_", "UBSAN_", "LSAN_"))}
        # XDG_CACHE_HOME too: as root the filter cache would otherwise be
        # /var/cache/sealrun (sealrun(1), FILTER CACHE).
        env.update(PATH=":".join(path), HOME=os.path.join(tmp, "home"),
                   TMPDIR=os.path.join(tmp, "tmp"), XDG_CACHE_HOME=os.path.join(tmp, "cache"), LC_ALL="C")
        try:
            proc = subprocess.run(["bash", os.path.join(tmp, "readme.sh")], cwd=repo, env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=180)
        except subprocess.TimeoutExpired:
            fail(f"the commands of {doc} did not finish in 180 s")

        with open(os.path.join(state, "current")) as f:
            current = f.read().strip()
        if proc.returncode != 0 or current != "done":
            if current.isdigit():
                b = steps[int(current)][1]
                show(f"{doc}:{b.line}: this block", b.text)
                show("printed", output_of(state, int(current)))
                fail(f"{doc}:{b.line}: the command block exited with status {proc.returncode}")
            show("bash printed", proc.stdout.decode(errors="replace"))
            fail(f"the script of {doc} failed (status {proc.returncode}) outside any block")

        n_checked = 0
        for n, (kind, b) in enumerate(steps):
            if kind != "run":
                continue
            got = output_of(state, n)
            want = b.expected.text if b.expected else ""
            ok = expected_regex(want).fullmatch(got) if want.strip() else got == ""
            if not ok:
                show(f"{doc}:{b.line}: block", b.text)
                diff = difflib.unified_diff(want.splitlines(), got.splitlines(),
                                            f"{doc} (shown)", "printed", lineterm="")
                show("diff (`...` lines in the document match anything)", "\n".join(diff))
                where = b.expected.line if b.expected else b.line
                fail(f"{doc}:{where}: the output the document shows is not what the "
                     "commands print" + ("" if b.expected else " (no ```text block: must print nothing)"))
            n_checked += 1
        print(f"ok: {n_checked} command blocks of {doc} ran and printed what it shows; {n_links} links checked")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
