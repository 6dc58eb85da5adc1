package sweep

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const webFile = `# a comment that stays
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.25.2
    livenessProbe:
      httpGet: {path: /, port: 80}
      periodSeconds: 10
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 2m
`

func TestPatch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		file   string
		path   string
		value  string
		want   string
		errMsg string
	}{
		{name: "a manifest's field, its list element by index",
			file: webFile, path: "Pod/web:spec.containers[0].livenessProbe.periodSeconds", value: "5",
			want: `# a comment that stays
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.25.2
      livenessProbe:
        httpGet: {path: /, port: 80}
        periodSeconds: 5
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 2m
`},
		{name: "a list element by name, a field that was not there",
			file: webFile, path: "Pod/default/web:spec.containers[app].livenessProbe.failureThreshold", value: "1",
			want: `# a comment that stays
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.25.2
      livenessProbe:
        httpGet: {path: /, port: 80}
        periodSeconds: 10
        failureThreshold: 1
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 2m
`},
		{name: "the Scenario document, mappings made on the way, a key with a colon",
			file: webFile, path: "environment.images[nginx:1.25.2].startTime", value: "{uniform: {min: 0s, max: 5s}}",
			want: `# a comment that stays
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.25.2
      livenessProbe:
        httpGet: {path: /, port: 80}
        periodSeconds: 10
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 2m
environment:
  images:
    nginx:1.25.2:
      startTime: {uniform: {min: 0s, max: 5s}}
`},
		{name: "a file without a Scenario document gets one",
			file: "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: app, image: nginx}]\n",
			path: "duration", value: "1m",
			want: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: app, image: nginx}]
---
apiVersion: podsim.dev/v1alpha1
kind: Scenario
duration: 1m
`},
		{name: "no such manifest", file: webFile, path: "Pod/api:spec.restartPolicy", value: "Never",
			errMsg: `Pod/api:spec.restartPolicy: the file has no Pod "api"`},
		{name: "no such list element", file: webFile, path: "Pod/web:spec.containers[3].image", value: "busybox",
			errMsg: `Pod/web:spec.containers[3].image: spec.containers has no [3]`},
		{name: "no such container", file: webFile, path: "Pod/web:spec.containers[db].image", value: "busybox",
			errMsg: `Pod/web:spec.containers[db].image: spec.containers has no [db]`},
		{name: "through a scalar", file: webFile, path: "duration.seconds", value: "1",
			errMsg: `duration.seconds: duration has no seconds`},
		{name: "a value that is not YAML", file: webFile, path: "duration", value: "{a: [}",
			errMsg: `duration: value "{a: [}" is not YAML`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := patch([]byte(tc.file), []Param{{Path: tc.path}}, []string{tc.value})
			if tc.errMsg != "" {
				require.EqualError(t, err, tc.errMsg)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, string(got))
		})
	}
}
