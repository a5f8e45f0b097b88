#!/usr/bin/env bash
set -o errexit
set -o nounset
set -o pipefail

action="${1:-}"

install_artifacts() {
	for shim in ${SHIMS}; do
		echo "installing shim ${shim}"
	done
	echo "debug=${DEBUG}"
}

cleanup_artifacts() {
	echo "Cleaning up Kata Containers"
	for shim in ${SHIMS}; do
		rm -f "/host/opt/kata/bin/containerd-shim-kata-${shim}-v2"
	done
}

case "${action}" in
install) install_artifacts ;;
cleanup) cleanup_artifacts ;;
*) echo "usage: $0 install|cleanup" >&2; exit 2 ;;
esac
