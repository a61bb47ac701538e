#!/usr/bin/env bash
# bench/batch.sh: how fast grader batch grades a class, next to a naive loop
# and a cold build cache (issue 4's performance targets).
#
#   bench/batch.sh [N...]          # default: 20
#   bench/batch.sh 20 40           # batch at 20 and 40 students: is it linear?
#
# It generates N submissions from the course's solutions, its mutants
# (exercises/*/testdata/mutants) and its unchanged stubs, each exercise
# picking its variant independently, then times, in one run:
#   batch  grader batch --jobs $(nproc) on the N submissions, with a build
#          cache warm for the course (the one all its students share), not
#          for their files: every size gets files of its own (see gen);
#   naive  for N more submissions like those and each exercise,
#          go test -race -tags grader -count=1 with the student file laid
#          over the course (-overlay), sequentially, with the same warm cache;
#          -count=1 because a grader must run the checks, not replay a
#          cached result;
#   cold   the first submission alone, go test -race for its four exercises
#          with an empty GOCACHE: what a container per submission pays.
# Then prints the times, submissions per minute and the ratios. The
# targets on a 2-core machine: batch >= 60 submissions/min, >= 1.5x the
# naive loop, >= 20x the cold cache per submission, and linear in N.
#
# BENCH_OUT=DIR keeps the first batch's output folder there.
# BENCH_REF=HEAD benchmarks that commit (a snapshot in a temporary folder)
# rather than the working tree. NAIVE=0 skips the naive loop and the cold run (batch only). BATCH_FLAGS
# adds flags to grader batch (e.g. --no-reuse). The sandbox is used when
# grader batch finds one; otherwise the bench passes --unsafe (the
# submissions are the course's own files).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
sizes=("${@:-20}")
naive=${NAIVE:-1}
work=$(mktemp -d "${TMPDIR:-/tmp}/asynclab-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$PWD
if [[ -n ${BENCH_REF:-} ]]; then
  # A snapshot of a commit, safe from edits in progress in the checkout.
  mkdir "$work/src"
  git archive "$BENCH_REF" | tar -x -C "$work/src"
  root=$work/src
  cd "$root"
fi
# The shared cache: the user's own, as grader batch uses it (warmed below).
GOCACHE="${BENCH_GOCACHE:-$(go env GOCACHE)}"
export GOCACHE
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

exercises=(gather ascompleted queue lockorder)
declare -A file=([gather]=gather.go [ascompleted]=ascompleted.go [queue]=queue.go [lockorder]=transfer.go)

# variants of an exercise: its solution, its stub, its mutants.
variants() {
  local e=$1
  echo "$root/solutions/$e/${file[$e]}"
  echo "$root/exercises/$e/${file[$e]}"
  ls "$root/exercises/$e/testdata/mutants/"*.go
}

# gen DIR N TAG: N submissions sNNN/exercises/<e>/<file>. Submission i
# takes, for exercise number k, variant (i + 5k) mod count: deterministic,
# every variant once before any repeats (an exercise has 17 to 28
# variants: its solution, its stub, its mutants). Each file but the stub
# starts with a line naming TAG and the student and a few blank lines, as
# each student's own file differs from the others': the compiler sees new
# code, as in a real class, and not what an earlier run (or size) left in
# the build cache. The blank lines move every declaration, as a real
# student's file does: a package's export data holds its declarations'
# positions, and the packages that import it (the bundle, the test main)
# are recompiled only when that changes; a line added at the end left
# them cached from earlier runs of the bench, which flattered a grader
# that keeps students' builds in the shared cache.
# The stub stays as it is: a student who did not do an exercise hands it
# in unchanged, and batch grades those once.
gen() {
  local dir=$1 n=$2 tag=$3 i k e v
  mkdir -p "$dir"
  for k in "${!exercises[@]}"; do
    e=${exercises[$k]}
    mapfile -t vs < <(variants "$e")
    for ((i = 0; i < n; i++)); do
      local d="$dir/$(printf 's%03d' "$i")/exercises/$e"
      mkdir -p "$d"
      v=${vs[$(((i + 5 * k) % ${#vs[@]}))]}
      if [[ $v != "$root/exercises/$e/${file[$e]}" ]]; then
        { printf '// bench %s, student %d\n' "$tag" "$i"
          printf '%*s' $((RANDOM % 64 + 1)) '' | tr ' ' '\n'
          cat "$v"; } >"$d/${file[$e]}"
      else
        cp "$v" "$d/${file[$e]}"
      fi
    done
  done
}

secs() { date +%s.%N; }
since() { echo "$(secs) - $1" | bc -l; }
fmt() { printf '%.1f' "$1"; }

go build -o "$work/grader" ./cmd/grader
flags=(--jobs "$(nproc)")
if ! "$work/grader" batch --help >/dev/null 2>&1; then echo "no grader batch" >&2; exit 2; fi
# Without a sandbox, batch refuses to run: these are the course's own files.
# The probe is one student with gather's stub (a batch with no student at
# all exits 2, as it should).
probe=$(mktemp -d "$work/probe.XXXX")
mkdir -p "$probe/one/s1/exercises/gather"
cp "$root/exercises/gather/gather.go" "$probe/one/s1/exercises/gather/"
if ! "$work/grader" batch --out "$probe/out" "$probe/one" >/dev/null 2>&1; then
  flags+=(--unsafe)
fi
# shellcheck disable=SC2206
flags+=(${BATCH_FLAGS:-})
isolation=$({ "$work/grader" batch "${flags[@]}" --out "$probe/out2" "$probe/one" 2>&1 || true; } | sed -n 's/^grading with isolation: //p')

echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), isolation: ${isolation:-?}"
echo "warming the shared build cache (not timed)…"
# grader batch builds with -trimpath and a -modfile copy, go test without:
# their cache entries differ, so each gets its own warm-up.
for e in "${exercises[@]}"; do
  go test -race -tags grader -count=1 -run '^$' "./exercises/$e" >/dev/null
done
mkdir -p "$work/warm/stub"
for e in "${exercises[@]}"; do
  mkdir -p "$work/warm/stub/exercises/$e"
  cp "$root/exercises/$e/${file[$e]}" "$work/warm/stub/exercises/$e/"
done
"$work/grader" batch "${flags[@]}" --out "$work/warm-out" "$work/warm" >/dev/null 2>&1 || true

tag=$(date +%s)

declare -A batchT
for n in "${sizes[@]}"; do
  subs="$work/subs-$n"
  gen "$subs" "$n" "$tag-$n"
  t0=$(secs)
  "$work/grader" batch "${flags[@]}" --out "$work/out-$n" "$subs" 2>"$work/batch-$n.log" || { cat "$work/batch-$n.log" >&2; exit 1; }
  batchT[$n]=$(since "$t0")
  reused=$(sed -n 's/^\([0-9]*\) exercise verdicts reused.*/\1/p' "$work/batch-$n.log")
  echo "batch  N=$n: $(fmt "${batchT[$n]}")s, $(fmt "$(echo "$n * 60 / ${batchT[$n]}" | bc -l)") submissions/min (${reused:-0} exercise verdicts reused from identical files, the course's other exercises, missing, included)"
done

if [[ -n ${BENCH_OUT:-} ]]; then
  # Keep the first batch's output (results, grades, report.html).
  rm -rf "$BENCH_OUT" && cp -r "$work/out-${sizes[0]}" "$BENCH_OUT"
fi

if [[ $naive == 1 ]]; then
  n=${sizes[0]}
  subs="$work/subs-naive"
  gen "$subs" "$n" "$tag-naive" # new files: nothing of the batch's is cached
  t0=$(secs)
  for s in "$subs"/*/; do
    for e in "${exercises[@]}"; do
      printf '{"Replace":{"%s":"%s"}}' "$root/exercises/$e/${file[$e]}" "$s/exercises/$e/${file[$e]}" >"$work/overlay.json"
      go test -race -tags grader -count=1 -overlay "$work/overlay.json" "./exercises/$e" >/dev/null 2>&1 || true
    done
  done
  naiveT=$(since "$t0")
  echo "naive  N=$n: $(fmt "$naiveT")s, $(fmt "$(echo "$n * 60 / $naiveT" | bc -l)") submissions/min"

  first=$(ls -d "$subs"/*/ | head -1)
  t0=$(secs)
  for e in "${exercises[@]}"; do
    printf '{"Replace":{"%s":"%s"}}' "$root/exercises/$e/${file[$e]}" "$first/exercises/$e/${file[$e]}" >"$work/overlay.json"
    GOCACHE="$work/gocache-cold" go test -race -tags grader -count=1 -overlay "$work/overlay.json" "./exercises/$e" >/dev/null 2>&1 || true
  done
  coldT=$(since "$t0")
  per=$(echo "${batchT[$n]} / $n" | bc -l)
  echo "cold   1 submission, empty GOCACHE: $(fmt "$coldT")s"
  echo
  echo "batch vs naive loop:     $(fmt "$(echo "$naiveT / ${batchT[$n]}" | bc -l)")x  (target >= 1.5x)"
  echo "batch vs cold cache:     $(fmt "$(echo "$coldT / $per" | bc -l)")x per submission at N=$n  (target >= 20x)"
  if ((${#sizes[@]} > 1)); then
    b=${sizes[-1]}
    echo "                         $(fmt "$(echo "$coldT * $b / ${batchT[$b]}" | bc -l)")x per submission at N=$b"
  fi
fi
for n in "${sizes[@]}"; do
  echo "batch throughput:        $(fmt "$(echo "$n * 60 / ${batchT[$n]}" | bc -l)") submissions/min at N=$n  (target >= 60)"
done
if ((${#sizes[@]} > 1)); then
  a=${sizes[0]} b=${sizes[-1]}
  echo "growth N=$a → N=$b:       time x$(fmt "$(echo "${batchT[$b]} / ${batchT[$a]}" | bc -l)") for students x$(fmt "$(echo "$b / $a" | bc -l)")  (linear: at most the same)"
  echo "marginal:                $(fmt "$(echo "($b - $a) * 60 / (${batchT[$b]} - ${batchT[$a]})" | bc -l)") submissions/min from N=$a to N=$b (start-up excluded)"
fi
