package sweep

import (
	"strings"
	"testing"
)

// ParseSet and patch read what a user types; neither may panic, and a
// patched file is YAML that can be read again.
func FuzzSetAndPatch(f *testing.F) {
	f.Add("Pod/web:spec.containers[app].livenessProbe.periodSeconds=5,10", webFile)
	f.Add("environment.images[nginx:1.25.2].startTime={uniform: {min: 0s, max: 5s}},{constant: 1s}", webFile)
	f.Add("duration=1m", "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n")
	f.Add("a[0][x].b='q,r'", "- [1, 2]\n")
	f.Fuzz(func(t *testing.T, set, file string) {
		p, err := ParseSet(set)
		if err != nil {
			return
		}
		for _, v := range p.Values {
			out, err := patch([]byte(file), []Param{p}, []string{v})
			if err != nil {
				continue
			}
			if _, err := patch(out, nil, nil); err != nil {
				t.Fatalf("the patched file does not read back: %v\n%s", err, out)
			}
		}
	})
}

// ReadJSONL reads files from other machines: it may refuse them, never
// panic.
func FuzzReadJSONL(f *testing.F) {
	f.Add(`{"schema":"podsim.sweep/v1","file":"f","sha256":"","seeds":{"first":1,"count":1},"grid":[],"runs":1,"shard":"0/1"}
{"run":0,"seed":1,"point":0,"params":{},"pods":[{"namespace":"default","pod":"p","ready_s":1,"first_restart_s":null,"restarts":0,"liveness_detection_s":null,"readiness_detection_s":null}]}
`)
	f.Add("not json\n")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := ReadJSONL("f", strings.NewReader(text))
		if err != nil {
			return
		}
		Merge([]*Results{r}, []string{"f"})
	})
}
