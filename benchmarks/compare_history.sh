#!/bin/bash
# Cold and warm `history --json` of two portplan installs against the cat-file floor, in one
# run on one repository. Each round runs every row once, old and new in turn, so a change in
# the machine's load hits both alike; the fastest of N rounds counts for each row.
#   benchmarks/compare_history.sh REPO OLD_PORTPLAN NEW_PORTPLAN [N]
set -euo pipefail
repo=$1 old=$2 new=$3 n=${4:-3}
cd "$repo"
list=$(mktemp)
trap 'rm -f "$list"' EXIT
git rev-list --first-parent HEAD -- ports.yaml | sed 's/$/:ports.yaml/' > "$list"
secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
declare -A best
keep() { if [ -z "${best[$1]:-}" ] || [ "$(echo "$2 < ${best[$1]}" | bc)" = 1 ]; then best[$1]=$2; fi; }
for _ in $(seq "$n"); do
  keep floor "$(secs sh -c "git cat-file --batch < '$list'")"
  for who in old new; do
    bin=$old; [ "$who" = new ] && bin=$new
    rm -rf .git/portplan
    keep "$who cold" "$(secs "$bin" history --json)"
    keep "$who warm" "$(secs "$bin" history --json)"
  done
done
printf '%-28s %8.2f s %6.1fx\n' "cat-file --batch (floor)" "${best[floor]}" 1
for row in "old cold" "old warm" "new cold" "new warm"; do
  printf '%-28s %8.2f s %6.1fx\n' "$row history --json" "${best[$row]}" \
    "$(echo "${best[$row]} / ${best[floor]}" | bc -l)"
done
