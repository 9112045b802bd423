#!/usr/bin/python3
# Differential test of `sealrun import docker`: for each profile in
# profiles/ and several capability sets and kernel versions, the policy
# sealrun converts and compiles must decide every (syscall, args) vector
# exactly as the filter libseccomp builds from the same profile the way
# moby's loader and runc's matchCall() do (built here through Debian's
# python3-seccomp bindings, hence /usr/bin/python3).  Both BPF programs run
# through the compiler's interpreter (bpf_verdicts); libseccomp's sees each
# argument as the kernel reads it (an int argument's low 32 bits, -k): on
# the high bits of such arguments sealrun deliberately differs from
# libseccomp, which compares bits the kernel ignores.  Then profiles that
# must be refused are checked for their one-line error naming the JSON path.
# Usage: docker_differential.py SOURCE_DIR BUILD_DIR.  Exit 77 = skipped.
import json, os, random, subprocess, sys, tempfile

from import_support import dirs, seccomp_or_skip

seccomp = seccomp_or_skip()
from seccomp import ALLOW, KILL, KILL_PROCESS, TRAP, LOG, NOTIFY, ERRNO, TRACE, Arg, SyscallFilter

src, build, sealrun = dirs()
verdicts = os.path.join(build, "tests", "import", "bpf_verdicts")
# Our own profiles, written to cover every field, and Docker's real default
# profile (moby/, Apache-2.0, see moby/NOTICE).
profile_paths = sorted(os.path.join(src, "tests", "import", "profiles", n)
                       for n in os.listdir(os.path.join(src, "tests", "import", "profiles")) if n.endswith(".json"))
profile_paths.append(os.path.join(src, "tests", "import", "moby", "default.json"))
OPS = {"SCMP_CMP_EQ": seccomp.EQ, "SCMP_CMP_NE": seccomp.NE, "SCMP_CMP_LT": seccomp.LT,
       "SCMP_CMP_LE": seccomp.LE, "SCMP_CMP_GT": seccomp.GT, "SCMP_CMP_GE": seccomp.GE,
       "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ}
GOARCH = "amd64"  # the tests run on x86_64 (sealrun's filter is native-only)

def action(name, errno_ret):
    # runc's getAction(): errnoRet defaults to EPERM for ERRNO and TRACE.
    e = 1 if errno_ret is None else errno_ret
    return {"SCMP_ACT_KILL": lambda: KILL, "SCMP_ACT_KILL_THREAD": lambda: KILL,
            "SCMP_ACT_KILL_PROCESS": lambda: KILL_PROCESS, "SCMP_ACT_TRAP": lambda: TRAP,
            "SCMP_ACT_ERRNO": lambda: ERRNO(e), "SCMP_ACT_TRACE": lambda: TRACE(e),
            "SCMP_ACT_ALLOW": lambda: ALLOW, "SCMP_ACT_LOG": lambda: LOG,
            "SCMP_ACT_NOTIFY": lambda: NOTIFY}[name]()

def version(text):
    parts = [int(x) for x in text.split("-")[0].split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))

def moby_applies(call, caps, kernel):
    # moby's setupSeccomp(): excludes first (any match skips), then includes (all must match).
    ex, inc = call.get("excludes") or {}, call.get("includes") or {}
    if ex.get("arches") and GOARCH in ex["arches"]: return False
    if any(c in caps for c in ex.get("caps") or []): return False
    if ex.get("minKernel") and version(kernel) >= version(ex["minKernel"]): return False
    if inc.get("arches") and GOARCH not in inc["arches"]: return False
    if any(c not in caps for c in inc.get("caps") or []): return False
    if inc.get("minKernel") and version(kernel) < version(inc["minKernel"]): return False
    return True

def libseccomp_filter(profile, caps, kernel, path):
    default = action(profile["defaultAction"], profile.get("defaultErrnoRet"))
    f = SyscallFilter(default)
    for call in profile.get("syscalls") or []:
        if not moby_applies(call, caps, kernel): continue
        act = action(call["action"], call.get("errnoRet"))
        if act == default: continue  # runc: "this rule is redundant"
        names = call.get("names") or ([call["name"]] if call.get("name") else [])
        conds = [Arg(a["index"], OPS[a["op"]], a.get("value", 0), a.get("valueTwo", 0)) for a in call.get("args") or []]
        indexes = [a["index"] for a in call.get("args") or []]
        for name in names:
            if seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) == -1: continue  # unknown: runc skips
            if not conds: f.add_rule(act, name)
            elif len(set(indexes)) < len(indexes):
                for c in conds: f.add_rule(act, name, c)  # runc: same index twice, one rule each
            else: f.add_rule(act, name, *conds)
    with open(path, "wb") as out:
        f.export_bpf(out)

def candidates(profile):
    values = {0, 1, 2, 3, 0xffffffff, 0x100000000, 0xffffffffffffffff, 0x7fffffffffffffff}
    for call in profile.get("syscalls") or []:
        for a in call.get("args") or []:
            for v in (a.get("value", 0), a.get("valueTwo", 0)):
                for d in (v, v - 1, v + 1, v ^ (1 << 32), v | (1 << 40), ~v):
                    values.add(d & 0xffffffffffffffff)
                for b in range(64):
                    if v >> b & 1:
                        values.update({1 << b, v & ~(1 << b), (v & ~(1 << b)) | (1 << (b + 1) % 64)})
    return sorted(values)

def vectors(profile, rng):
    # 300 calls for each syscall some entry compares arguments of, 20 for the rest.
    names, compared = {"getppid", "setsid", "kill", "clone3", "getpid"}, set()
    for call in profile.get("syscalls") or []:
        these = call.get("names") or ([call["name"]] if call.get("name") else [])
        names.update(these)
        if call.get("args"): compared.update(these)
    cands = candidates(profile)
    out = []
    for name in sorted(names):
        nr = seccomp.resolve_syscall(seccomp.Arch.NATIVE, name)
        if nr < 0: continue
        for _ in range(300 if name in compared else 20):
            out.append([nr] + [rng.choice(cands) for _ in range(6)])
    return out

def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)

def compare(profile_path, caps, kernel, work, rng):
    profile = json.load(open(profile_path))
    policy, ours, theirs = (os.path.join(work, n) for n in ("p.policy", "ours.bpf", "theirs.bpf"))
    cmd = [sealrun, "import", "docker", profile_path, "--kernel", kernel, "-o", policy]
    for c in caps: cmd += ["--cap", c]
    r = run(cmd)
    if r.returncode != 0:
        return ["import failed: %s" % r.stderr.strip()]
    deny = ["--denylist"] if profile["defaultAction"] == "SCMP_ACT_ALLOW" else []
    r = run([sealrun, "compile", *deny, policy, "-o", ours])
    if r.returncode != 0:
        return ["compile failed: %s\n%s" % (r.stderr.strip(), open(policy).read())]
    libseccomp_filter(profile, caps, kernel, theirs)
    vs = vectors(profile, rng)
    text = "".join("%d %s\n" % (v[0], " ".join(hex(x) for x in v[1:])) for v in vs)
    r = run([verdicts, ours, "-k", theirs], input=text)
    bad = []
    for v, line in zip(vs, r.stdout.splitlines()):
        a, b = line.split()
        if a != b:
            bad.append("nr %d args %s: sealrun %s, libseccomp %s" % (v[0], [hex(x) for x in v[1:]], a, b))
    if r.returncode != 0 or len(r.stdout.splitlines()) != len(vs):
        bad.append("bpf_verdicts failed: %s" % r.stderr)
    return bad[:10] + ["... vectors compared: %d" % len(vs)] if bad else len(vs)

def differential(work):
    rng = random.Random(14)
    # Docker's default capability set, as a container gets it.
    docker_caps = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
                   "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
                   "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]
    configs = [([], "6.18"), (["CAP_SYS_ADMIN"], "4.7"), (["CAP_SYS_ADMIN", "CAP_SYS_CHROOT", "CAP_NET_ADMIN"], "5.10"),
               (["CAP_SYS_CHROOT", "CAP_DAC_READ_SEARCH", "CAP_SYS_PTRACE"], "6.1.0"), (docker_caps, "6.1"),
               (docker_caps + ["CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_BPF", "CAP_PERFMON", "CAP_SYS_TIME"], "6.18")]
    failures, total = 0, 0
    for path in profile_paths:
        name = os.path.relpath(path, os.path.join(src, "tests", "import"))
        for caps, kernel in configs:
            result = compare(path, caps, kernel, work, rng)
            if isinstance(result, int):
                total += result
                continue
            failures += 1
            print("FAIL: %s with caps %s, kernel %s:" % (name, caps or "none", kernel))
            for line in result: print("  " + line)
    print("docker differential: %d vectors agreed, %d profile/config runs failed" % (total, failures))
    return failures == 0 and total > 0

# Profiles that cannot be converted: exit 1, one line naming the place.
REFUSED = [
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_BITS"}]}]}',
     ".syscalls[0].args[0].op: unknown operator 'SCMP_CMP_BITS'"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}',
     ".syscalls[0].args[0].index: 6 is above the largest allowed value, 5"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", 3], "action": "SCMP_ACT_ALLOW"}]}',
     ".syscalls[0].names[1]: expected string, not int"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 0, "value": -1, "op": "SCMP_CMP_EQ"}]}]}',
     ".syscalls[0].args[0].value: expected an unsigned integer, not -1"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "name": "read", "action": "SCMP_ACT_ALLOW"}]}',
     ".syscalls[0]: both 'name' and 'names'"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}, {"names": ["read"], "action": "SCMP_ACT_ERRNO",'
     ' "errnoRet": 5, "args": [{"index": 1, "value": 1, "op": "SCMP_CMP_EQ"}]}]}',
     ".syscalls[1]: 'read' gets return 5 here and 1 from .syscalls[0], both under conditions"),
    ('{"defaultAction": "SCMP_ACT_KILL_PROCESS", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",'
     ' "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]}',
     ".syscalls[0]: 'read' gets return 1 under a condition and the default kill-process otherwise"),
    ('{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_KILL_PROCESS"}]}',
     ".syscalls[0].action: kill-process under the default SCMP_ACT_ALLOW"),
    ('{"defaultAction": "SCMP_ACT_LOG"}', ".defaultAction: SCMP_ACT_LOG: a policy file cannot have a permissive"),
    ('{"defaultAction": "SCMP_ACT_NOTIFY"}', ".defaultAction: SCMP_ACT_NOTIFY cannot be the default action"),
    ('{"syscalls": []}', ".defaultAction: missing"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_TRACE"}]}',
     ".syscalls[0].errnoRet: SCMP_ACT_TRACE with message 1"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 4095}',
     ".defaultErrnoRet: 4095 is above the largest allowed value, 4094"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "archMap": ['
     '{"architecture": "SCMP_ARCH_X86_64"}]}', ".: both 'architectures' and 'archMap'"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_VAX"]}',
     ".architectures[0]: unknown architecture 'SCMP_ARCH_VAX'"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",'
     ' "includes": {"minKernel": "four"}}]}', ".syscalls[0].includes.minKernel: expected a kernel version"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 0, "value": 1.5, "op": "SCMP_CMP_EQ"}]}]}',
     ".syscalls[0].args[0].value: expected int, not double"),
    ('{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [}', "2:15: malformed JSON"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "x": ' + "[" * 100 + "]" * 100 + "}", "1:105: malformed JSON: nesting too deep"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 0, "value": 18446744073709551616, "op": "SCMP_CMP_EQ"}]}]}',
     "1:175: malformed JSON: a number out of the 64-bit range"),
    ('[]', ".: expected object, not array"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["fcntl"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 1, "value": 4294967298, "op": "SCMP_CMP_EQ"}]}]}',
     ".syscalls[0].args: 'fcntl' argument 1: the kernel reads only its low 32 bits, where 0x100000002 cannot"),
    ('{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["fcntl"], "action": "SCMP_ACT_ALLOW",'
     ' "args": [{"index": 1, "value": 1099511627776, "valueTwo": 1099511627776, "op": "SCMP_CMP_MASKED_EQ"}]}]}',
     ".syscalls[0].args: 'fcntl' argument 1: the kernel reads only its low 32 bits"),
]

def refusals(work):
    ok = True
    path = os.path.join(work, "bad.json")
    for text, expected in REFUSED:
        with open(path, "w") as f: f.write(text)
        r = run([sealrun, "import", "docker", path])
        lines = [l for l in r.stderr.splitlines() if ": note: " not in l]
        want = "sealrun: %s: %s" % (path, expected)
        if r.returncode != 1 or len(lines) != 1 or not lines[0].startswith(want) or r.stdout:
            print("FAIL: %r\n  expected exit 1 and '%s...'\n  got %d: %r" % (text[:80], want, r.returncode, r.stderr))
            ok = False
    print("docker refusals: %d profiles checked" % len(REFUSED))
    return ok

if not os.access(sealrun, os.X_OK) or not os.access(verdicts, os.X_OK):
    print("SKIP: %s or %s is not built" % (sealrun, verdicts))
    sys.exit(77)
with tempfile.TemporaryDirectory() as work:
    good = differential(work)
    good = refusals(work) and good
sys.exit(0 if good else 1)
