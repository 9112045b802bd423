#!/usr/bin/python3
# `sealrun import systemd @GROUP` against the installed systemd: for every
# group `systemd-analyze syscall-filter` lists, the syscalls of the imported
# policy must be exactly systemd's (nested groups resolved from systemd's
# own listing), less the names this architecture does not have, which
# systemd skips too.  Each difference is printed with its reason; any other
# difference fails, naming scripts/update-systemd-groups.
# Usage: systemd_groups.py SOURCE_DIR BUILD_DIR.  Exit 77 = skipped.
import os, shutil, subprocess, sys

from import_support import dirs, seccomp_or_skip

seccomp = seccomp_or_skip()  # what libseccomp knows on this architecture
src, build, sealrun = dirs()
if not shutil.which("systemd-analyze"):
    print("SKIP: systemd-analyze is not installed (Debian package systemd)")
    sys.exit(77)
if not os.access(sealrun, os.X_OK):
    print("SKIP: %s is not built" % sealrun)
    sys.exit(77)

def parse(text):
    groups, current = {}, None
    for line in text.splitlines():
        if line.startswith("@"):
            current = groups.setdefault(line.strip(), [])
        elif line.startswith("    ") and not line.strip().startswith("#") and current is not None:
            current.append(line.strip())
        elif not line.strip() or line.startswith("#"):
            current = None if line.startswith("#") else current
    return groups

def resolve(groups, name, seen=None):
    seen = set() if seen is None else seen
    if name in seen: return set()
    seen.add(name)
    out = set()
    for m in groups.get(name, []):
        out |= resolve(groups, m, seen) if m.startswith("@") else {m}
    return out

def known_here(name):
    try:
        return seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) >= 0
    except Exception:
        return False

version = subprocess.run(["systemd-analyze", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
table_header = open(os.path.join(src, "launcher", "import", "systemd-groups.txt")).readline().strip()
analyze = subprocess.run(["systemd-analyze", "--no-pager", "syscall-filter"], capture_output=True, text=True)
groups = parse(analyze.stdout)
if len(groups) < 10:
    print("FAIL: systemd-analyze syscall-filter listed %d groups:\n%s" % (len(groups), analyze.stderr))
    sys.exit(1)
failed = False
print("installed: %s; table: %s" % (version, open(os.path.join(src, "launcher", "import", "systemd-groups.txt")).readlines()[1].strip("# \n")))
for group in groups:
    r = subprocess.run([sealrun, "import", "systemd", group], capture_output=True, text=True)
    ours = {l.split(":")[0] for l in r.stdout.splitlines() if l.endswith(": 1")}
    theirs = resolve(groups, group)
    not_here = sorted(n for n in theirs - ours if not known_here(n))
    unexplained = sorted(theirs - ours - set(not_here))
    extra = sorted(ours - theirs)
    if r.returncode != 0 or unexplained or extra:
        failed = True
        print("FAIL: %s: exit %d; in systemd only: %s; in sealrun only: %s\n  (regenerate the table with "
              "scripts/update-systemd-groups if the installed systemd is newer)" % (group, r.returncode,
              " ".join(unexplained) or "-", " ".join(extra) or "-"))
        continue
    print("%s: %d syscalls agree%s" % (group, len(ours), "; not on this architecture (systemd skips them too): "
          + " ".join(not_here) if not_here else ""))
sys.exit(1 if failed else 0)
