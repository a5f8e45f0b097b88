#!/usr/bin/env bash
# pre-commit entry for the `seatrial-check` hook: `pre-commit-charts.sh [SEATRIAL OPTIONS] FILES`.
# Maps each changed file to the outermost directory above it holding a Chart.yaml (a subchart
# under charts/ is checked with its parent) and runs `seatrial check` once per chart.
# Exit status: the highest of the runs (0 clean, 1 findings, 2 usage or input error).
set -uo pipefail

seatrial=${SEATRIAL_CMD:-seatrial}
if ! command -v "${seatrial%% *}" >/dev/null 2>&1; then
    echo "seatrial-check: the seatrial command is not on PATH (pipx install git+https://github.com/seatrial/seatrial)" >&2
    exit 2
fi

# options come first (pre-commit puts `args` before the file names); these take a value
options=()
while [ $# -gt 0 ]; do
    case $1 in
        --) shift; break ;;
        -f|--values|--set|--kube-versions|--helm-bin|--format|-o|--output|--fail-on|--config|\
        --only|--disable|--platform|--registry-mirror|--plain-http|--script-path|--max-probes|\
        --render-timeout|--color|--set-string|--set-json|--set-file|-n|--namespace|\
        --release-name|-a|--api-versions|--version)
            [ $# -ge 2 ] || { echo "seatrial-check: $1 needs a value" >&2; exit 2; }
            options+=("$1" "$2"); shift 2 ;;
        -*) options+=("$1"); shift ;;
        *) break ;;
    esac
done

charts=()
for file in "$@"; do
    dir=$(dirname -- "$file")
    root=""
    while :; do
        [ -f "$dir/Chart.yaml" ] && root=$dir
        [ "$dir" = "." ] || [ "$dir" = "/" ] && break
        dir=$(dirname -- "$dir")
    done
    [ -n "$root" ] || continue
    seen=0
    for c in "${charts[@]+"${charts[@]}"}"; do [ "$c" = "$root" ] && seen=1; done
    [ "$seen" = 1 ] || charts+=("$root")
done

status=0
for chart in "${charts[@]+"${charts[@]}"}"; do
    [ "${#charts[@]}" -gt 1 ] && echo "== $chart"
    # shellcheck disable=SC2086  # SEATRIAL_CMD may be "python3 -m seatrial.cli"
    # the repository's own charts: their .seatrial.yaml applies in full
    $seatrial check "$chart" --trust-chart-config "${options[@]+"${options[@]}"}"
    rc=$?
    [ "$rc" -gt "$status" ] && status=$rc
done
exit "$status"
