package scenarios

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// malformedCase is one case of TestMalformed: a scenario file, named, and
// the exact text of the error it must be refused with.
type malformedCase struct {
	name string
	in   string
	want string
}

// malformedCases are scenario files that must be refused, each with the
// exact text of the error a user sees. The tables are kept by topic in
// malformed_*_test.go.
var malformedCases = slices.Concat(
	malformedYAMLCases,
	malformedObjectCases,
	malformedScenarioCases,
	malformedDistributionCases,
	malformedActionCases,
	malformedExpectCases,
	malformedNodeExpectCases,
	malformedBehaviorCases,
	malformedDisruptionCases,
	malformedNodeActionCases,
)

// TestMalformed holds the loader to its word: every problem is refused
// with the file, the line, the object and the field path, in the words of
// the Kubernetes API's validation where there are such words.
func TestMalformed(t *testing.T) {
	require.GreaterOrEqual(t, len(malformedCases), 30)
	for _, tc := range malformedCases {
		t.Run(tc.name, func(t *testing.T) {
			// parse, not Parse: a panic must fail the test, not become an error.
			s, err := parse("t.yaml", []byte(tc.in))
			require.Nil(t, s)
			require.Error(t, err)
			require.Equal(t, tc.want, err.Error())
			var list ErrorList
			require.ErrorAs(t, err, &list)
			for _, e := range list {
				require.Equal(t, "t.yaml", e.File)
			}
		})
	}
}
