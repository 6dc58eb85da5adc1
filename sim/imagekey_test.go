package sim_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/sim"
)

func TestImageKey(t *testing.T) {
	const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		keys  []string
		image string
		want  string // "" for no match
	}{
		{[]string{"nginx:1.25.2"}, "nginx:1.25.2", "nginx:1.25.2"},
		{[]string{"docker.io/library/nginx:1.25.2"}, "nginx:1.25.2", "docker.io/library/nginx:1.25.2"},
		{[]string{"nginx:1.25.2"}, "docker.io/library/nginx:1.25.2", "nginx:1.25.2"},
		{[]string{"nginx"}, "nginx:1.25.2", "nginx"},
		{[]string{"nginx"}, "docker.io/library/nginx:1.25.2", "nginx"},
		{[]string{"nginx"}, "nginx@" + digest, "nginx"},
		{[]string{"nginx"}, "nginx", "nginx"},
		{[]string{"nginx:latest"}, "nginx", "nginx:latest"},
		{[]string{"nginx:1.25"}, "nginx:1.25.2", ""},
		{[]string{"registry.k8s.io/pause"}, "registry.k8s.io/pause:3.9", "registry.k8s.io/pause"},
		{[]string{"localhost:5000/app"}, "localhost:5000/app:v2", "localhost:5000/app"},
		{[]string{"nginx"}, "redis:7", ""},
		{[]string{"nginx"}, "Nginx:1.25.2", ""},
		// The exact key wins, then the full reference, then the repository.
		{[]string{"nginx", "nginx:1.25.2"}, "docker.io/library/nginx:1.25.2", "nginx:1.25.2"},
		{[]string{"nginx", "nginx:1.25.2", "docker.io/library/nginx:1.25.2"}, "docker.io/library/nginx:1.25.2", "docker.io/library/nginx:1.25.2"},
		// Two keys for one repository: the first in sorted order.
		{[]string{"nginx", "docker.io/library/nginx"}, "nginx:1.25.2", "docker.io/library/nginx"},
	}
	for _, tc := range tests {
		images := map[string]int{}
		for _, k := range tc.keys {
			images[k] = 1
		}
		got, ok := sim.ImageKey(images, tc.image)
		require.Equal(t, tc.want != "", ok, "ImageKey(%v, %q)", tc.keys, tc.image)
		require.Equal(t, tc.want, got, "ImageKey(%v, %q)", tc.keys, tc.image)
	}
}
