"""Template lines that differ only in the values they print are told apart by the values
the object was rendered with (render/locate.py `_printing`), and a container item by the
list holding it (`_item_named`): velero's kubectl image, keda's registry branch."""

from __future__ import annotations

from typing import Any

from seatrial.objects.model import K8sObject
from seatrial.objects.parse import parse_objects
from seatrial.render.locate import locate

TEMPLATE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: cleanup
spec:
  template:
    spec:
      imagePullSecrets:
        {{- range .Values.pullSecrets }}
        - name: {{ . }}
        {{- end }}
      initContainers:
        {{- range .Values.resources }}
        - name: delete-{{ . }}
          {{- if $.Values.kubectl.tag }}
          image: "{{ $.Values.kubectl.repository }}:{{ $.Values.kubectl.tag }}"
          {{- else }}
          image: "{{ $.Values.kubectl.repository }}:{{ template "kube.version" $ }}"
          {{- end }}
        {{- end }}
      containers:
        - name: kubectl
          {{- $registry := .Values.registry | default "" }}
          {{- if $registry }}
          image: "{{ $registry }}/{{ .Values.kubectl.repository }}:1.0"
          {{- else }}
          image: "{{ .Values.kubectl.repository }}:1.0"
          {{- end }}
"""
VALUES = 'kubectl:\n  repository: registry.k8s.io/kubectl\n  tag: ""\nregistry: null\n'


def _job(tag: str, values: dict[str, Any] | None, *, own: str = "registry.k8s.io/kubectl"):
    rendered = f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: cleanup
spec:
  template:
    spec:
      imagePullSecrets:
        - name: delete-restore
      initContainers:
        - name: delete-restore
          image: "registry.k8s.io/kubectl:{tag}"
      containers:
        - name: kubectl
          image: "{own}:1.0"
"""
    (obj,) = parse_objects(rendered, "templates/cleanup.yaml", is_template=True)
    if values is not None:
        obj.rendered_with(values)
    return obj


FILES = {"templates/cleanup.yaml": TEMPLATE, "values.yaml": VALUES}
INIT_IMAGE = ("spec", "template", "spec", "initContainers", 0, "image")
IMAGE = ("spec", "template", "spec", "containers", 0, "image")


def test_the_branch_whose_printed_values_fit_is_the_line() -> None:
    # kubectl.tag unset: the `else` branch computed the tag (line 18)
    assert locate(_job("v1.30.14", {}), INIT_IMAGE, FILES).line == 18
    # kubectl.tag set by the cell: the `if` branch printed it, but the helper of the `else`
    # branch could print `v9` as well: no line is guessed
    assert locate(_job("v9", {"kubectl": {"tag": "v9"}}), INIT_IMAGE, FILES).line is None


def test_without_the_values_the_lines_stay_apart() -> None:
    loc = locate(_job("v1.30.14", None), INIT_IMAGE, FILES)
    assert loc.line is None
    assert "could have produced it" in loc.note


def test_a_registry_branch_is_told_apart_by_the_repository_it_prints() -> None:
    assert locate(_job("x", {}), IMAGE, FILES).line == 27
    with_registry = _job("x", {"registry": "ghcr.io"}, own="ghcr.io/registry.k8s.io/kubectl")
    assert locate(with_registry, IMAGE, FILES).line == 25


def test_a_subchart_template_prints_nothing_known() -> None:
    files = {"charts/sub/templates/cleanup.yaml": TEMPLATE, "values.yaml": VALUES}
    rendered = _job("v1.30.14", {}).text
    (obj,) = parse_objects(rendered, "charts/sub/templates/cleanup.yaml", is_template=True)
    obj.rendered_with({})
    assert locate(obj, INIT_IMAGE, files).line is None


def test_values_are_recorded_once() -> None:
    obj: K8sObject = _job("v1", {"a": 1})
    obj.rendered_with({"b": 2})
    assert obj.values == {"a": 1}


POD_TPL = """\
{{- define "app.pod" -}}
containers:
  - name: {{ .Chart.Name }}
    env:
      - name: {{ .Values.envName }}
    image: {{ include "app.image" .Values.image | quote }}
{{- if .Values.reloader }}
  - name: reloader
    image: {{ include "app.image" .Values.reloaderImage }}
{{- end }}
{{- end -}}
"""
DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ include "app.fullname" . }}
spec:
  template:
    spec:
      {{- include "app.pod" . | nindent 6 }}
"""
POD_RENDERED = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: X
          image: "registry/app:1"
        - name: reloader
          image: registry/reloader:2
"""


def test_a_container_written_in_a_named_template_is_found_there() -> None:
    """fluent-bit: the pod spec is `_pod.tpl`'s; `metadata.name:` in the DaemonSet's own file
    is no container's `- name:` line."""
    files = {"templates/daemonset.yaml": DAEMONSET, "templates/_pod.tpl": POD_TPL}
    (obj,) = parse_objects(POD_RENDERED, "templates/daemonset.yaml", is_template=True)
    first = ("spec", "template", "spec", "containers", 0, "image")
    second = ("spec", "template", "spec", "containers", 1, "image")
    assert (locate(obj, first, files).file, locate(obj, first, files).line) == (
        "templates/_pod.tpl",
        6,
    )
    assert (locate(obj, second, files).file, locate(obj, second, files).line) == (
        "templates/_pod.tpl",
        9,
    )


def test_a_helper_item_that_also_fits_does_not_take_the_object_s_own_container() -> None:
    """ingress-nginx: `- name: {{ .name }}` of a helper fits `- name: controller` as well as
    the Deployment's own `- name: {{ .Values.containerName }}` under `containers:`."""
    helpers = '{{- define "modules" -}}\n- name: {{ .name }}\n  image: {{ .image }}\n{{- end -}}\n'
    own = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: c\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: {{ .Values.containerName }}\n"
        "          image: {{ .Values.image }}\n          ports:\n"
        "            - name: {{ .Values.portName }}\n"
    )
    rendered = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: c\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: controller\n          image: r/c:1\n"
        "          ports:\n            - name: http\n"
    )
    files = {"templates/deployment.yaml": own, "templates/_helpers.tpl": helpers}
    (obj,) = parse_objects(rendered, "templates/deployment.yaml", is_template=True)
    loc = locate(obj, ("spec", "template", "spec", "containers", 0, "image"), files)
    assert (loc.file, loc.line) == ("templates/deployment.yaml", 10)
