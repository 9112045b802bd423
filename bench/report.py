#!/usr/bin/env python3
"""Turn the raw results of bench/run into Markdown tables (stdlib only).

    report.py OUT_DIR BIG_BINARY_BYTES

OUT_DIR holds cases.tsv, launch/round-R-CASE.json and big/round-R-CASE.json
(hyperfine --export-json: /bin/true and one case, paired in one call),
syscall.jsonl, sizes.tsv, load.txt and strace/CASE.txt (strace -c), as
bench/run writes them.

A ratio is the median over rounds of (case median / /bin/true median in the
same hyperfine call), so drift between rounds cancels out; the range shown
is the lowest and highest per-round ratio.  Differences (cost per MiB)
pair two cases by round number.
"""
import glob
import json
import os
import statistics
import sys

BASELINE = "true"


def load_cases(out):
        cases = []
        with open(os.path.join(out, "cases.tsv")) as f:
                for line in f:
                        group, cid, label, goal, cmd, why = line.rstrip("\n").split("\t")
                        cases.append(dict(group=group, id=cid, label=label, goal=goal, cmd=cmd, why=why))
        return cases


def load_rounds(out, group):
        """[{"true": [seconds...], case id: [seconds...]}], one per hyperfine call."""
        calls = []
        for path in sorted(glob.glob(os.path.join(out, group, "round-*.json"))):
                with open(path) as f:
                        data = json.load(f)
                calls.append({r["command"]: r["times"] for r in data["results"]})
        return calls


def by_round(out, group):
        """{round number: {case id: median seconds}}, for differences of cases."""
        rounds = {}
        for path in glob.glob(os.path.join(out, group, "round-*.json")):
                r = int(os.path.basename(path).split("-")[1])
                with open(path) as f:
                        for res in json.load(f)["results"]:
                                if res["command"] != BASELINE:
                                        rounds.setdefault(r, {})[res["command"]] = res["median"]
        return list(rounds.values())


def ratio_stats(rounds, cid):
        ratios = [statistics.median(r[cid]) / statistics.median(r[BASELINE])
                  for r in rounds if cid in r and BASELINE in r]
        if not ratios:
                return None
        return statistics.median(ratios), min(ratios), max(ratios)


def min_ratio(rounds, cid):
        """Fastest case run / fastest /bin/true run over all paired calls: the
        least disturbed by other load on a shared machine (a lower bound)."""
        case = [t for r in rounds for t in r.get(cid, [])]
        base = [t for r in rounds if cid in r for t in r.get(BASELINE, [])]
        return min(case) / min(base) if case and base else float("nan")


def goal_verdict(goal, ratio, fastest=None):
        """met / NOT met when the median ratio and the fastest-run ratio agree;
        on a busy machine they can straddle the limit: then say so."""
        if goal.startswith("<=+"):
                return f"≤ +{goal[3:]}: " + ("pending" if ratio is None else "see the note below")
        if not goal.startswith("<="):
                return ""
        try:
                limit = float(goal[2:].split()[0])
        except ValueError:
                return ""
        head = f"≤ {limit:.2f}×: "
        if ratio is None:
                return head + "pending"
        if fastest is None or fastest != fastest:
                return head + ("met" if ratio <= limit else "NOT met")
        if ratio <= limit and fastest <= limit:
                return head + "met"
        if ratio > limit and fastest > limit:
                return head + "NOT met"
        return head + "unclear (median and fastest disagree: busy machine)"


def ms(seconds):
        return f"{seconds * 1e3:.3f}"


def launch_table(cases, rounds, group):
        rows = ["| case | median ms | × /bin/true (range over rounds) | × of fastest runs | goal |",
                "|---|---:|---:|---:|---|"]
        ratios = {}
        for c in (c for c in cases if c["group"] == group):
                if c["why"]:
                        rows.append(f"| {c['label']} | n/a | n/a ({c['why']}) | | {goal_verdict(c['goal'], None)} |")
                        continue
                times = [t for r in rounds for t in r.get(c["id"], [])]
                st = (1.0, 1.0, 1.0) if c["id"] == BASELINE else ratio_stats(rounds, c["id"])
                if not times or st is None:
                        rows.append(f"| {c['label']} | n/a | n/a (no completed round) | | |")
                        continue
                fastest = min_ratio(rounds, c["id"])
                ratios[c["id"]] = (st[0], fastest)
                goal = "" if c["goal"].startswith("<=+") else goal_verdict(c["goal"], st[0], fastest)
                rows.append(f"| {c['label']} | {ms(statistics.median(times))} | "
                            f"{st[0]:.2f}× ({st[1]:.2f}–{st[2]:.2f}) | {fastest:.2f}× | {goal} |")
        base = [t for r in rounds for t in r.get(BASELINE, [])]
        if base and statistics.median(base) > 1.5 * min(base):
                rows += ["", f"**Busy machine:** /bin/true's median ({ms(statistics.median(base))} ms) is "
                         f"{statistics.median(base) / min(base):.1f}× its fastest run ({ms(min(base))} ms); "
                         "median ratios are unreliable in this run, trust \"× of fastest runs\" more."]
        return rows, ratios


def goal_met(d, d_fast, limit=0.05):
        """A +limit× goal from the median and the fastest-run differences."""
        return ("met" if d <= limit and d_fast <= limit else
                "NOT met" if d > limit and d_fast > limit else
                "unclear (median and fastest disagree: busy machine)")


def launch_notes(ratios):
        """ratios: case id -> (median ratio, fastest-run ratio)."""
        def both(cid):
                return f"{ratios[cid][0]:.2f}× (fastest runs: {ratios[cid][1]:.2f}×)"

        def delta(a, b):
                return (f"{ratios[a][0] - ratios[b][0]:+.2f}× "
                        f"(fastest runs: {ratios[a][1] - ratios[b][1]:+.2f}×)")

        def delta_goal(a, b, what):
                d = ratios[a][0] - ratios[b][0]
                d_fast = ratios[a][1] - ratios[b][1]
                verdict = ("met" if d <= 0.05 and d_fast <= 0.05 else
                           "NOT met" if d > 0.05 and d_fast > 0.05 else
                           "unclear (median and fastest disagree: busy machine)")
                return f"- {what}: {delta(a, b)} — goal ≤ +0.05×: {verdict}"

        notes = []
        for warm, compiled, what in (("sr-warm-65", "sr-cached-65", "by path"),
                                     ("sr-warm-sealed-65", "sr-cached-sealed-65", "sealed exec + pin")):
                if warm in ratios and compiled in ratios:
                        notes.append(delta_goal(warm, compiled, f"`seccomp include` with a warm filter cache vs "
                                                f"the same filter precompiled, {what}"))
        if "floor" in ratios:
                notes.append(f"- The two-exec floor (bench/floor.c) measures {both('floor')}; "
                             "issue 7 quotes 1.55×.")
        if "bwrap" in ratios:
                notes.append(f"- bubblewrap measures {both('bwrap')}; issue 7 quotes 3.35×.")
        if "sr-path-65" in ratios and "sr-path-300" in ratios:
                notes.append(f"- 300 vs 65 rules, both compiled at launch: {delta('sr-path-300', 'sr-path-65')} "
                             "(the +0.05× goal is for a reused filter).")
        if "sr-cached-65" in ratios and "sr-cached-300" in ratios:
                verdict = goal_met(ratios["sr-cached-300"][0] - ratios["sr-cached-65"][0],
                                   ratios["sr-cached-300"][1] - ratios["sr-cached-65"][1])
                notes.append(f"- 300 vs 65 rules, reused filter: {delta('sr-cached-300', 'sr-cached-65')} "
                             "— goal ≤ +0.05×: " + verdict)
        else:
                notes.append("- Goal 300 vs 65 rules with a reused filter ≤ +0.05×: pending "
                             "(no filter reuse path yet).")
        if "sr-cached-65" in ratios and "sr-cached-65-landlock" in ratios:
                notes.append(f"- a 10-rule Landlock ruleset vs none, reused 65-rule filter: "
                             f"{delta('sr-cached-65-landlock', 'sr-cached-65')} — goal ≤ +0.05×: "
                             + goal_met(ratios["sr-cached-65-landlock"][0] - ratios["sr-cached-65"][0],
                                        ratios["sr-cached-65-landlock"][1] - ratios["sr-cached-65"][1]))
        return notes


def diff_per_mib(rounds, a, b, mib):
        """Median over rounds of (median a - median b) / MiB, in ms."""
        vals = [(r[a] - r[b]) / mib * 1e3 for r in rounds if a in r and b in r]
        return statistics.median(vals) if vals else None


def big_notes(rounds, mib):
        cat = diff_per_mib(rounds, "cat-big", "cat-empty", mib)
        shm = diff_per_mib(rounds, "cat-shm-big", "cat-shm-empty", mib)
        rows = [f"Cost per MiB of the {mib:.1f} MiB binary (difference of paired medians / size). "
                "The goal is against `cat > /dev/null`, which only reads; `cat > /dev/shm/F` also "
                "fills new shmem pages, as a sealed copy must.", "",
                "| what | ms per MiB | × cat > /dev/null | × cat > /dev/shm | goal |",
                "|---|---:|---:|---:|---|"]

        def row(label, v, goal=False):
                if v is None:
                        rows.append(f"| {label} | n/a | | | {'≤ 1.20× cat: pending' if goal else ''} |")
                        return
                rel = f"{v / cat:.2f}×" if cat else ""
                rel_shm = f"{v / shm:.2f}×" if shm else ""
                verdict = ""
                if goal and cat:
                        verdict = "≤ 1.20× cat: " + ("met" if v / cat <= 1.2 else "NOT met")
                rows.append(f"| {label} | {v:.3f} | {rel} | {rel_shm} | {verdict} |")

        row("cat BIN > /dev/null (minus cat /dev/null)", cat)
        row("cat BIN > /dev/shm/F (minus the same of /dev/null)", shm)
        row("sha256sum BIN (coreutils, minus cat /dev/null)", diff_per_mib(rounds, "sha-big", "cat-empty", mib))
        row("openssl dgst -sha256 BIN (libcrypto, minus cat /dev/null)",
            diff_per_mib(rounds, "openssl-big", "cat-empty", mib))
        row("sealrun sealed exec (minus the same by path)",
            diff_per_mib(rounds, "big-sealed", "big-path", mib), goal=True)
        row("sealrun sealed exec + SHA-256 pin (minus by path)",
            diff_per_mib(rounds, "big-sealed-pinned", "big-path", mib))
        return rows


def syscall_table(out):
        """Entries of one label (one per round) merge: the fastest batch of all,
        and the median of the per-run medians."""
        rows = ["| case | ns per call: fastest batch | median of runs | overhead vs no filter "
                "(fastest / median) | BPF insns | runs |",
                "|---|---:|---:|---:|---:|---:|"]
        path = os.path.join(out, "syscall.jsonl")
        if not os.path.exists(path):
                return rows
        merged = {}
        with open(path) as f:
                for line in f:
                        if line.strip():
                                e = json.loads(line)
                                merged.setdefault(e["label"], []).append(e)
        base = {}
        for label, entries in merged.items():
                results = [e["result"] for e in entries if "result" in e]
                if not results:
                        rows.append(f"| {label} | n/a ({entries[0]['na']}) | | | | |")
                        continue
                fastest = min(r["ns_min"] for r in results)
                median = statistics.median(r["ns_median"] for r in results)
                sc, filt = results[0]["syscall"], results[0]["filter"]
                if not filt:
                        base[sc] = (fastest, median)
                over = ""
                if filt and sc in base:
                        over = f"{fastest - base[sc][0]:+.1f} / {median - base[sc][1]:+.1f} ns"
                insns = results[0]["filter_insns"] or ""
                rows.append(f"| {label} | {fastest:.1f} | {median:.1f} | {over} | {insns} | {len(results)} |")
        return rows


def strace_counts(path):
        """{syscall: calls} and the total from one `strace -c` summary."""
        counts, total = {}, None
        with open(path) as f:
                for line in f:
                        parts = line.split()
                        if len(parts) >= 5 and parts[0][0].isdigit() and parts[3].isdigit():
                                name = parts[-1]
                                if name == "total":
                                        total = int(parts[3])
                                else:
                                        counts[name] = int(parts[3])
        return counts, total


def strace_table(cases, out):
        """Syscalls of each sealrun launch, the launcher's and the target's
        together (strace -f -c), with the names that occur most."""
        rows = ["| case | syscalls | rt_sigaction | prctl | most frequent others |",
                "|---|---:|---:|---:|---|"]
        for c in cases:
                path = os.path.join(out, "strace", c["id"] + ".txt")
                if c["group"] != "launch" or not os.path.exists(path):
                        continue
                counts, total = strace_counts(path)
                if total is None:
                        rows.append(f"| {c['label']} | n/a (strace failed) | | | |")
                        continue
                others = sorted(((n, k) for k, n in counts.items() if k not in ("rt_sigaction", "prctl")),
                                reverse=True)[:4]
                rows.append(f"| {c['label']} | {total} | {counts.get('rt_sigaction', 0)} | "
                            f"{counts.get('prctl', 0)} | {', '.join(f'{k} {n}' for n, k in others)} |")
        none = os.path.join(out, "strace", "none.txt")
        if os.path.exists(none):
                rows.append(f"| all | n/a ({open(none).read().strip()}) | | | |")
        return rows


def sizes_table(out):
        rows = ["| policy | BPF instructions |", "|---|---:|"]
        path = os.path.join(out, "sizes.tsv")
        if not os.path.exists(path):
                return rows
        with open(path) as f:
                entries = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        reasons = {why for _, insns, why in entries if not insns}
        if entries and len(reasons) == 1 and all(not insns for _, insns, _ in entries):
                # Nothing compiled, all for one reason: one row, not 48.
                return rows + [f"| all {len(entries)} ({', '.join(n for n, _, _ in entries[:3])}, …) "
                               f"| n/a ({reasons.pop()}) |"]
        for name, insns, why in entries:
                rows.append(f"| {name} | {insns if insns else 'n/a (' + why + ')'} |")
        return rows


def supervised_table(out):
        """Median and range of ns per call for each supervised case, in µs."""
        path = os.path.join(out, "supervised.tsv")
        if not os.path.exists(path):
                return ["n/a"]
        runs, why = {}, {}
        for line in open(path):
                label, ns, reason = (line.rstrip("\n").split("\t") + ["", ""])[:3]
                runs.setdefault(label, [])
                if ns:
                        runs[label].append(float(ns) / 1000)
                elif reason:
                        why[label] = reason
        rows = ["| getppid() decided by the policy's default (2000 a run) | median µs per call | range | runs |",
                "|---|---:|---:|---:|"]
        for label, v in runs.items():
                if not v:
                        rows.append(f"| {label} | n/a ({why.get(label, 'no run printed a result')}) | | 0 |")
                        continue
                v.sort()
                rows.append(f"| {label} | {statistics.median(v):.2f} | {v[0]:.2f}–{v[-1]:.2f} | {len(v)} |")
        return rows


def main():
        out, big_bytes = sys.argv[1], int(sys.argv[2])
        cases = load_cases(out)
        mib = big_bytes / (1 << 20)
        lines = ["### Launch time (paired with /bin/true)", ""]
        launch_rounds = load_rounds(out, "launch")
        rows, ratios = launch_table(cases, launch_rounds, "launch")
        lines += rows + [""] + launch_notes(ratios)
        lines += ["", f"### Executing a {mib:.1f} MiB binary", ""]
        big_rounds = load_rounds(out, "big")
        rows, _ = launch_table(cases, big_rounds, "big")
        lines += rows + [""] + big_notes(by_round(out, "big"), mib)
        lines += ["", "### Syscalls per launch (strace -f -c: sealrun and /bin/true together)", ""]
        lines += strace_table(cases, out)
        lines += ["", "### The kernel's cost of the launch steps (bench/launch_steps.c)", ""]
        ls = os.path.join(out, "launch_steps.md")
        lines += [open(ls).read().rstrip("\n")] if os.path.exists(ls) else ["n/a"]
        lines += ["", "### Seccomp runtime overhead (bench/syscall_cost.c)", ""] + syscall_table(out)
        # A seccomp filter can switch on speculative-store-bypass mitigation
        # for the task, which shows up as overhead here: say which applies.
        ssb = "/sys/devices/system/cpu/vulnerabilities/spec_store_bypass"
        if os.path.exists(ssb):
                lines += ["", f"spec_store_bypass: {open(ssb).read().strip()}"]
        # bench-filter-load prints Markdown already.
        lines += ["", "### Attaching a filter: the kernel's cost by length (bench/filter_load.c)", ""]
        fl = os.path.join(out, "filter_load.md")
        lines += [open(fl).read().rstrip("\n")] if os.path.exists(fl) else ["n/a"]
        lines += ["", "### Supervised calls: an explained denial, a learned call (bench/explain_cost.c)", ""]
        lines += supervised_table(out)
        lines += ["", "### Compiled filter size (`sealrun compile --default-action trap`)", ""]
        lines += sizes_table(out)
        # bench-load prints Markdown already.
        lines += ["", "### The libsealfd load benchmark (bench-load)", ""]
        load = os.path.join(out, "load.txt")
        lines += [open(load).read().rstrip("\n")] if os.path.exists(load) else ["n/a"]
        print("\n".join(lines))


if __name__ == "__main__":
        main()
