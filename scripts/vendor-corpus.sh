#!/usr/bin/env bash
# How tests/corpus/ was made: each chart exactly as upstream has it at a pinned commit, with the
# repository's LICENSE and a SOURCE file. MIRROR holds bare clones named owner+name/repo (as the
# project's search tool fetches them). Subcharts that live in the same repository are vendored
# into the parent's charts/ as a published package would hold them; those from other
# repositories are left out on purpose (grafana, redis-ha), so the missing-dependency path runs.
set -euo pipefail
MIRROR=${MIRROR:-/work/.mirror}
OUT=${OUT:-$(cd "$(dirname "$0")/.." && pwd)/tests/corpus}

vendor() {  # vendor NAME OWNER/REPO PATH LICENSE [DEST]
  local name=$1 repo=$2 path=$3 license=$4 dest=${5:-$OUT/$1}
  local git="$MIRROR/${repo/\//+}/repo" commit
  commit=$(git -C "$git" rev-parse --verify HEAD^{commit})
  rm -rf "$dest" && mkdir -p "$dest"
  if [ "$path" = . ]; then  # the repository is the chart
    git -C "$git" archive "$commit" | tar -x -C "$dest"
  else
    git -C "$git" archive "$commit" "$path" | tar -x -C "$dest" --strip-components="$(awk -F/ '{print NF}' <<<"$path")"
  fi
  git -C "$git" show "$commit:$license" >"$dest/LICENSE"
  printf 'repository: https://github.com/%s\npath: %s\ncommit: %s\n' "$repo" "$path" "$commit" >"$dest/SOURCE"
}

PC=prometheus-community/helm-charts
vendor ingress-nginx kubernetes/ingress-nginx charts/ingress-nginx LICENSE
vendor kube-prometheus-stack $PC charts/kube-prometheus-stack LICENSE
for sub in kube-state-metrics prometheus-node-exporter prometheus-windows-exporter; do
  vendor "$sub" $PC "charts/$sub" LICENSE "$OUT/kube-prometheus-stack/charts/$sub"
done
vendor prometheus $PC charts/prometheus LICENSE
for sub in alertmanager kube-state-metrics prometheus-node-exporter prometheus-pushgateway; do
  vendor "$sub" $PC "charts/$sub" LICENSE "$OUT/prometheus/charts/$sub"
done
vendor prometheus-node-exporter $PC charts/prometheus-node-exporter LICENSE
vendor postgresql bitnami/charts bitnami/postgresql LICENSE.md
vendor common bitnami/charts bitnami/common LICENSE.md "$OUT/postgresql/charts/common"
vendor redis bitnami/charts bitnami/redis LICENSE.md
vendor argo-cd argoproj/argo-helm charts/argo-cd LICENSE
vendor metrics-server kubernetes-sigs/metrics-server charts/metrics-server LICENSE
# added 2026-12-01: charts whose first runs showed false findings (now fixed) or a slow path
vendor fluent-bit fluent/helm-charts charts/fluent-bit LICENSE
vendor external-dns kubernetes-sigs/external-dns charts/external-dns LICENSE.md
vendor jenkins jenkinsci/helm-charts charts/jenkins LICENSE
vendor descheduler kubernetes-sigs/descheduler charts/descheduler LICENSE
vendor kyverno kyverno/kyverno charts/kyverno LICENSE
vendor cert-manager cert-manager/cert-manager deploy/charts/cert-manager LICENSE
# added in the second sweep: charts that showed false findings (now fixed)
vendor longhorn longhorn/longhorn chart LICENSE
vendor consul hashicorp/consul-k8s charts/consul LICENSE
vendor cluster-autoscaler kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler LICENSE
# third sweep: an APIService behind `.Capabilities.APIVersions.Has "apiregistration.k8s.io/v1"`,
# init containers that source libraries from their image
vendor prometheus-adapter $PC charts/prometheus-adapter LICENSE
vendor nginx bitnami/charts bitnami/nginx LICENSE.md
vendor common bitnami/charts bitnami/common LICENSE.md "$OUT/nginx/charts/common"
# fourth sweep: charts no check was written against, to measure precision on unseen charts
vendor velero vmware-tanzu/helm-charts charts/velero LICENSE
vendor sealed-secrets bitnami-labs/sealed-secrets helm/sealed-secrets LICENSE
vendor vault hashicorp/vault-helm . LICENSE
vendor traefik traefik/traefik-helm-chart traefik LICENSE
vendor keda kedacore/charts keda LICENSE
vendor external-secrets external-secrets/external-secrets deploy/charts/external-secrets LICENSE
vendor opentelemetry-collector open-telemetry/opentelemetry-helm-charts charts/opentelemetry-collector LICENSE
