"""A container's field is looked for among the lines of that container in the template: a
`command:` the first container of the file writes is not the one of a later container whose
own `command:` comes from an action (postgresql's diagnostic mode)."""

from __future__ import annotations

from seatrial.objects.parse import parse_objects
from seatrial.render.locate import locate

TEMPLATE = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      initContainers:
        {{- if .Values.tls }}
        - name: init-certs
          image: busybox
          command:
            - /bin/sh
        {{- end }}
      containers:
        - name: db
          image: postgres
          {{- if .Values.diagnosticMode.enabled }}
          command: {{- toYaml .Values.diagnosticMode.command | nindent 12 }}
          {{- else if .Values.command }}
          command: {{- toYaml .Values.command | nindent 12 }}
          {{- end }}
          {{- if .Values.diagnosticMode.enabled }}
          args: {{- toYaml .Values.diagnosticMode.args | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: data
              readOnly: true
            - name: certs
              readOnly: true
"""

# diagnosticMode.enabled=true, tls=false: the init container is gone
RENDERED = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      initContainers:
      containers:
        - name: db
          image: postgres
          command:
            - sleep
          args:
            - infinity
          volumeMounts:
            - name: data
              readOnly: true
            - name: certs
              readOnly: true
"""

FILES = {"templates/sts.yaml": TEMPLATE}
CONTAINER = ("spec", "template", "spec", "containers", 0)


def _line(path: tuple[str | int, ...]) -> tuple[int | None, str]:
    (obj,) = parse_objects(RENDERED, "templates/sts.yaml", is_template=True)
    loc = locate(obj, path, FILES)
    return loc.line, loc.note


def test_a_field_is_found_in_its_own_container() -> None:
    assert _line((*CONTAINER, "args")) == (24, "")
    # the second `readOnly: true` of the container is its second in the template
    assert _line((*CONTAINER, "volumeMounts", 1, "readOnly")) == (30, "")
    assert _line((*CONTAINER, "image")) == (17, "")


def test_two_lines_of_the_container_could_have_rendered_it() -> None:
    """Either branch writes `command:`: no line is guessed, the note says which container
    (line 12, the init container's, was given before)."""
    assert _line((*CONTAINER, "command")) == (
        None,
        "2 lines of the container at line 16 could have produced it",
    )
