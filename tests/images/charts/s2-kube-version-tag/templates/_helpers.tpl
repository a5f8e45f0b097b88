{{- define "crdjob.jobsTagKubeVersion" -}}
{{- print "v" .Capabilities.KubeVersion.Major "." (.Capabilities.KubeVersion.Minor | replace "+" "") -}}
{{- end -}}

{{- define "crdjob.jobsImage" -}}
{{- printf "%s/%s:%s" .Values.jobs.image.registry .Values.jobs.image.repository (default (include "crdjob.jobsTagKubeVersion" .) .Values.jobs.image.tag) -}}
{{- end -}}
