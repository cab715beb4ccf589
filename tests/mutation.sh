#!/usr/bin/env bash
# Mutation testing: mutmut changes the code of the modules named in pyproject.toml [tool.mutmut]
# one small edit at a time and runs the tests that reach it; a mutant the tests let pass "survives".
# Prints the score (killed / (killed + survived), mutants marked equivalent excluded).
#   tests/mutation.sh                    every module (long: run it when the machine is free)
#   tests/mutation.sh 'builder.cache*'   the mutants of one module (mutmut's name patterns)
# Mutants that cannot be killed are marked in the code with `# pragma: no mutate` and a reason.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${MUTATION_JOBS:-1}"
nice -n 15 python -m mutmut run --max-children "$jobs" "$@" >/dev/null 2>&1 || true
python - "$@" <<'PY'
import fnmatch, json, subprocess, sys
from pathlib import Path

patterns = sys.argv[1:] or ["*"]
out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], capture_output=True, text=True).stdout
counts, survivors = {}, []
for line in out.splitlines():
    name, _, status = line.strip().rpartition(": ")
    if not name or not any(fnmatch.fnmatch(name, p) for p in patterns):
        continue
    counts[status] = counts.get(status, 0) + 1
    if status == "survived":
        survivors.append(name)
killed = counts.get("killed", 0) + counts.get("timeout", 0) + counts.get("segfault", 0)
survived = counts.get("survived", 0)
total = killed + survived
print("mutants:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
print(f"mutation score: {killed}/{total} = {100 * killed / total:.1f} %" if total else "mutation score: no mutants tested")
for name in survivors:
    print("  survived:", name, "(see: python -m mutmut show", name + ")")
PY
