#!/bin/sh
# Launcher for `helm seatrial ...` (see plugin.yaml). Helm exports HELM_BIN, HELM_NAMESPACE,
# HELM_KUBECONTEXT and HELM_PLUGIN_DIR before running it.
set -eu

# Render with the invoking helm unless the user chose otherwise: an exported
# SEATRIAL_HELM_BIN (empty = the embedded engine) or an explicit --helm-bin wins.
if [ -z "${SEATRIAL_HELM_BIN+set}" ] && [ -n "${HELM_BIN:-}" ]; then
    SEATRIAL_HELM_BIN=$HELM_BIN
    export SEATRIAL_HELM_BIN
fi

# `explain` reads the cluster helm points at: helm's -n and --kube-context, unless the user
# gave seatrial's own -n/--namespace/--context.
subcommand=""
has_ns=0
has_ctx=0
for arg in "$@"; do
    case $arg in
        -n|-n*|--namespace|--namespace=*) has_ns=1 ;;
        --context|--context=*) has_ctx=1 ;;
        -*) ;;
        *) [ -n "$subcommand" ] || subcommand=$arg ;;
    esac
done
if [ "$subcommand" = explain ]; then
    if [ "$has_ns" = 0 ] && [ -n "${HELM_NAMESPACE:-}" ]; then
        set -- "$@" --namespace "$HELM_NAMESPACE"
    fi
    # a context only when helm was given one: --context makes explain read the live cluster
    if [ "$has_ctx" = 0 ] && [ -n "${HELM_KUBECONTEXT:-}" ]; then
        set -- "$@" --context "$HELM_KUBECONTEXT"
    fi
fi

# SEATRIAL_CMD may name the program (e.g. "/opt/venv/bin/seatrial" or "python3 -m seatrial.cli").
if [ -n "${SEATRIAL_CMD:-}" ]; then
    # shellcheck disable=SC2086  # split on purpose: a command with arguments
    exec $SEATRIAL_CMD "$@"
fi
if ! command -v seatrial >/dev/null 2>&1; then
    echo "helm seatrial: the seatrial command is not on PATH (pipx install git+https://github.com/seatrial/seatrial)," \
        "or set SEATRIAL_CMD" >&2
    exit 2
fi
exec seatrial "$@"
