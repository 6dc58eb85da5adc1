package scenarios_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every bundled scenario names its Kubernetes version, so that its golden
// file does not change when the default version moves on (the default is
// the newest version podsim follows, and it moves with each release).
func TestBundledScenariosPinTheirVersion(t *testing.T) {
	for _, file := range bundled(t) {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		require.True(t, strings.Contains(string(data), "\nkubernetesVersion: "),
			"%s: add kubernetesVersion: \"1.33\" (or the version its golden was made on) to its Scenario document", file)
	}
}
