#!/usr/bin/env bats

load _helpers

target=templates/gateway-resources-clusterrolebinding.yaml

@test "gatewayresources/ClusterRoleBinding: enabled by default" {
    cd `chart_dir`
    local actual=$(helm template \
        -s $target \
        . | tee /dev/stderr |
        yq 'length > 0' | tee /dev/stderr)
    [ "$actual" = "true" ]
}

@test "gatewayresources/ClusterRoleBinding: disabled with connectInject.enabled=false" {
    cd `chart_dir`
    assert_empty helm template \
        -s $target \
        --set 'connectInject.enabled=false' \
        . 
}

