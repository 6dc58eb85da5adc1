package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/podsim/podsim/internal/textdiff"
)

// YAMLDiff shows the difference between two values as a "-want +got" line
// diff of their YAML, aligned by longest common subsequence. The values are
// written through their JSON field names and in their fields' order, so an
// expectation's diff reads like the scenario file that wrote it:
//
//	  phase: Running
//	- ready: 0/1
//	+ ready: 1/1
//
// It returns "" when both write the same YAML.
func YAMLDiff(want, got any) string {
	return textdiff.Lines(ToYAML(want), ToYAML(got))
}

// ToYAML writes v as YAML through its JSON form: JSON field names, fields in
// declaration order, map keys sorted, and no quotes where YAML needs none.
func ToYAML(v any) string {
	j, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<cannot write %T: %v>\n", v, err)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(j, &node); err != nil {
		return fmt.Sprintf("<cannot write %T: %v>\n", v, err)
	}
	plainStyle(&node)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return fmt.Sprintf("<cannot write %T: %v>\n", v, err)
	}
	_ = enc.Close()
	if s := b.String(); s != "{}\n" && s != "null\n" {
		return s
	}
	return ""
}

// plainStyle drops the JSON styles (double quotes, flow collections) that
// decoding JSON leaves on the nodes, so the encoder writes block YAML and
// quotes only what needs quoting.
func plainStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		plainStyle(c)
	}
}
