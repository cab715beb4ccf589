#!/usr/bin/env bash
# Mutation testing: mutmut changes the code of the modules named in pyproject.toml [tool.mutmut]
# one small edit at a time and runs the tests that reach it; a mutant the tests let pass "survives".
# Prints the score (killed / (killed + survived); mutants marked `# pragma: no mutate` are not made).
#   tests/mutation.sh                          every module of only_mutate (long: when the machine is free)
#   tests/mutation.sh builder/output.py        one module (or folder), mutated in a scratch copy
#   tests/mutation.sh builder/text/ 'builder.text.mora*'   ... and only the mutants whose names match
# Mutants that cannot be killed are marked in the code with `# pragma: no mutate` and a reason.
# MUTATION_JOBS sets mutmut's parallel children (default 1: the machine is shared); MUTATION_SAMPLE=N
# tests a seeded random sample of N mutants of the module instead of all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${MUTATION_JOBS:-1}"
module="${1:-}"
shift || true
work="$(mktemp -d "${TMPDIR:-/tmp}/mutation.XXXXXX")"
trap 'rm -rf "$work"' EXIT
git ls-files -z | xargs -0 -I{} cp --parents {} "$work"/
cd "$work"
# mutmut reads its configuration from the current folder when a mutant is first reached; the CLI
# tests run from a project folder, so read it before any test changes folder
printf '\ntry:\n    from mutmut.configuration import config as _mutmut_config\n    _mutmut_config()\nexcept ImportError:\n    pass\n' >> tests/conftest.py
if [ -n "$module" ]; then  # only this module, and only the fast tests written for it
  python - "$module" <<'PY'
import re, sys
from pathlib import Path
TESTS = {  # module -> the in-process tests that check it (the whole selection makes each mutant slow)
    "builder/output.py": ["test_atomic_output", "test_output"],
    "builder/cache.py": ["test_cache", "test_known_hashes", "test_output"],
    "builder/text": ["test_linebreak", "test_justify", "test_ruby_mora", "test_font_parsing", "test_opentype",
                     "test_font_subsets", "test_phrase_store"],
    "builder/content": ["test_error_positions", "test_bad_inputs", "test_reuse", "test_second_survey", "test_content_limits"],
    "builder/layout/charts.py": ["test_chart_oracles", "test_chart_geometry", "test_chart_looks", "test_second_survey"],
}
path = Path("pyproject.toml")
module = sys.argv[1].rstrip("/")
pattern = f'"{module}/*"' if Path(module).is_dir() else f'"{module}"'
text = re.sub(r"only_mutate = \[[^\]]*\]", f"only_mutate = [{pattern}]", path.read_text(), flags=re.S)
if module in TESTS:
    files = ", ".join(f'"tests/{name}.py"' for name in TESTS[module])
    text = re.sub(r"pytest_add_cli_args_test_selection = \[[^\]]*\]", f"pytest_add_cli_args_test_selection = [{files}]",
                  text, flags=re.S)
path.write_text(text)
PY
fi
if [ -n "${MUTATION_SAMPLE:-}" ] && [ "$#" -eq 0 ]; then
  # a seeded random sample of N mutants (a module with thousands takes hours on a shared machine):
  # the first run only makes the mutants and maps tests to functions
  nice -n 15 python -m mutmut run --max-children "$jobs" "no.such.mutant" >/dev/null 2>&1 || true
  mapfile -t sample < <(python - "$MUTATION_SAMPLE" <<'PY'
import random, subprocess, sys
out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], capture_output=True, text=True).stdout
names = sorted(line.strip().rpartition(": ")[0] for line in out.splitlines() if ": " in line)
for name in random.Random(16).sample(names, min(int(sys.argv[1]), len(names))):
    print(name)
PY
)
  set -- "${sample[@]}"
  echo "a sample of $# mutants (MUTATION_SAMPLE, seed 16)"
fi
nice -n 15 python -m mutmut run --max-children "$jobs" "$@" >/dev/null 2>&1 || true
python - "$@" <<'PY'
import fnmatch, subprocess, sys

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
    print("  survived:", name)
PY
if [ -n "${MUTATION_KEEP:-}" ]; then  # keep the scratch copy to read survivors: mutmut show NAME there
  trap - EXIT
  echo "mutants kept in $work"
fi
