#!/usr/bin/env python3
"""man_pages.py SOURCE_DIR BUILD_DIR: the man pages render cleanly and are complete.

For every page in man/ (NAME.[1-8]):
  - `groff -ww -man -z -Tutf8` (plus -t when the page's first line asks for
    tbl, as man does) prints nothing on stderr: no warning at all;
  - when man-db is installed, `man --warnings=w -l` at 80 columns prints
    nothing on stderr either (what a user sees: line-breaking, preprocessors);
  - its .TH footer names "sealrun VERSION" with CMake's project(VERSION).
Completeness, on the rendered text (so \\- and fonts do not matter):
  - sealrun.1 has a COMMANDS entry for every command `sealrun --help`
    lists, and mentions every --option of `sealrun --help` and of each
    `sealrun CMD --help`, and every short option (-o, -q, ...) those list;
  - libsealfd.3 names every function sealfd.h exports (SEALFD_PUBLIC);
  - sealrun.policy.5 documents every workload directive the parser's
    table in launcher/directives.c knows.
The pages the project promises must exist: sealrun.1, sealrun.policy.5 and
libsealfd.3.
Fails (exit 1) with the page and the problem; "SKIP: ..." and exit 77 only
when groff itself is missing.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

failures = []


def problem(msg):
    print(f"FAIL: {msg}")
    failures.append(msg)


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=dict(os.environ, LC_ALL="C"), **kw)


def project_version(src):
    with open(os.path.join(src, "CMakeLists.txt")) as f:
        m = re.search(r"project\(\s*\w+\s+VERSION\s+([0-9][0-9.]*)", f.read())
    if not m:
        print("FAIL: no project(... VERSION x.y.z) in CMakeLists.txt")
        sys.exit(1)
    return m.group(1)


def render(page):
    """Plain ASCII text, one line per paragraph (no breaks, so no hyphenation)."""
    r = run(["groff", "-man", "-Tascii", "-P-cbou", "-rLL=4000n"] + preprocessors(page) + [page])
    return r.stdout


def preprocessors(page):
    with open(page, errors="replace") as f:
        first = f.readline()
    m = re.match(r"^'\\\"\s*([a-z]+)", first)
    flags = {"t": "-t", "e": "-e", "p": "-p", "r": "-R", "g": "-g"}
    return [flags[c] for c in (m.group(1) if m else "") if c in flags]


def check_renders(page, version):
    name = os.path.basename(page)
    r = run(["groff", "-ww", "-man", "-z", "-Tutf8"] + preprocessors(page) + [page])
    if r.returncode != 0 or r.stderr:
        problem(f"{name}: groff -ww -man -z printed warnings (exit {r.returncode}):\n{r.stderr}")
    if shutil.which("man"):
        env = dict(os.environ, LC_ALL="C", MANWIDTH="80", MAN_DISABLE_SECCOMP="1")
        r = subprocess.run(["man", "--warnings=w", "-l", page], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, env=env)
        if r.returncode != 0 or r.stderr:
            problem(f"{name}: man --warnings=w -l printed warnings (exit {r.returncode}):\n{r.stderr}")
    with open(page, errors="replace") as f:
        th = next((l for l in f if l.startswith(".TH ")), None)
    if th is None:
        problem(f"{name}: no .TH line")
    elif f'"sealrun {version}"' not in th:
        problem(f"{name}: .TH does not name \"sealrun {version}\" (CMake project VERSION): {th.strip()}")


def word_re(word):
    return re.compile(r"(?<![A-Za-z0-9_-])" + re.escape(word) + r"(?![A-Za-z0-9_-])")


def check_sealrun_1(page, sealrun):
    text = render(page)
    top = run([sealrun, "--help"])
    if top.returncode != 0 or not top.stdout:
        problem(f"sealrun --help failed (exit {top.returncode}): {top.stderr}")
        return
    commands = []
    in_commands = False
    for line in top.stdout.splitlines():
        if line.strip() == "Commands:":
            in_commands = True
        elif in_commands:
            m = re.match(r"^\s+([a-z][a-z0-9-]*)\s", line)
            if not m:
                break
            commands.append(m.group(1))
    if not commands:
        problem("sealrun --help lists no commands under 'Commands:'")
    m = re.search(r"^COMMANDS\n(.*?)^\S", text, re.M | re.S)
    section = m.group(1) if m else ""
    for cmd in commands:
        if not re.search(r"^\s+" + re.escape(cmd) + r"(\s|$)", section, re.M):
            problem(f"sealrun.1: COMMANDS has no entry for '{cmd}' (listed by sealrun --help)")

    helps = {"sealrun --help": top.stdout}
    for cmd in commands:
        r = run([sealrun, cmd, "--help"])
        if r.returncode != 0 or not r.stdout:
            problem(f"sealrun {cmd} --help failed (exit {r.returncode}): {r.stderr}")
        helps[f"sealrun {cmd} --help"] = r.stdout
    n = 0
    for origin, help_text in helps.items():
        options = set(re.findall(r"(?<![A-Za-z0-9_-])--[a-z][a-z0-9-]*", help_text))
        for line in help_text.splitlines():
            if re.match(r"^\s+-", line):
                options.update(re.findall(r"(?<![A-Za-z0-9_-])-[A-Za-z](?![A-Za-z0-9_-])", line))
        for opt in sorted(options):
            n += 1
            if not word_re(opt).search(text):
                problem(f"sealrun.1 does not mention {opt} (listed by {origin})")
    print(f"sealrun.1: {len(commands)} commands, {n} options from {len(helps)} --help texts checked")


def check_libsealfd_3(page, src):
    text = render(page)
    with open(os.path.join(src, "core", "include", "sealfd.h")) as f:
        header = f.read()
    functions = re.findall(r"SEALFD_PUBLIC\s[^;(]*?\b(sealfd_[a-z0-9_]+)\s*\(", header)
    if not functions:
        problem("sealfd.h: no SEALFD_PUBLIC function found (did the header change its marker?)")
    for fn in functions:
        if not word_re(fn).search(text):
            problem(f"libsealfd.3 does not name {fn}() (exported by sealfd.h)")
    print(f"libsealfd.3: {len(functions)} exported functions checked")



def check_policy_5(page, src):
    """Every directive of the workload parser's table is documented."""
    with open(os.path.join(src, "launcher", "directives.c")) as f:
        table = f.read()
    directives = re.findall(r'\{ ?"([a-z-]+)", (?:do|directive)_', table)
    if not directives:
        problem("launcher/directives.c: no directive table found (the check needs updating)")
    text = render(page)
    for name in directives:
        if not re.search(r"(^|\s)" + re.escape(name) + r"(\s|$)", text, re.M):
            problem(f"{os.path.basename(page)}: workload directive '{name}' is not documented")

def main():
    if len(sys.argv) != 3:
        print("usage: man_pages.py SOURCE_DIR BUILD_DIR")
        return 2
    src, build = (os.path.abspath(p) for p in sys.argv[1:3])
    if shutil.which("groff") is None:
        print("SKIP: groff not found (Debian: groff-base)")
        return 77
    sealrun = os.path.join(build, "launcher", "sealrun")
    if not os.access(sealrun, os.X_OK):
        print(f"FAIL: {sealrun} is not built")
        return 1
    version = project_version(src)
    mandir = os.path.join(src, "man")
    pages = sorted(glob.glob(os.path.join(mandir, "*.[1-8]")))
    for promised in ("sealrun.1", "sealrun.policy.5", "libsealfd.3"):
        if not os.path.exists(os.path.join(mandir, promised)):
            problem(f"man/{promised} does not exist (issue 6 promises it)")
    for page in pages:
        check_renders(page, version)
    if os.path.exists(os.path.join(mandir, "sealrun.1")):
        check_sealrun_1(os.path.join(mandir, "sealrun.1"), sealrun)
    if os.path.exists(os.path.join(mandir, "libsealfd.3")):
        check_libsealfd_3(os.path.join(mandir, "libsealfd.3"), src)
    if os.path.exists(os.path.join(mandir, "sealrun.policy.5")):
        check_policy_5(os.path.join(mandir, "sealrun.policy.5"), src)
    if failures:
        print(f"FAIL: {len(failures)} problem(s) in the man pages, listed above")
        return 1
    print(f"ok: {len(pages)} pages render without warnings and are complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
