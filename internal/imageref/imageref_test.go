package imageref

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseImage(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
		err      string
	}{
		{in: "centos", want: "docker.io/library/centos:latest"},
		{in: "nginx:1.25.2", want: "docker.io/library/nginx:1.25.2"},
		{in: "busybox:latest", want: "docker.io/library/busybox:latest"},
		{in: "registry.k8s.io/pause:3.9", want: "registry.k8s.io/pause:3.9"},
		{in: "localhost:5000/team/app", want: "localhost:5000/team/app:latest"},
		{in: "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", want: "docker.io/library/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{in: "Registry/UPPER", bad: true},
		{in: "nginx:", bad: true},
		{in: "Nginx:1.25.2", bad: true, err: `couldn't parse image name "Nginx:1.25.2": invalid reference format: repository name (library/Nginx) must be lowercase`},
		{in: "quay.io/Org/app", bad: true, err: `couldn't parse image name "quay.io/Org/app": invalid reference format: repository name (Org/app) must be lowercase`},
		{in: "", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			ref, err := Parse(tc.in)
			if tc.bad {
				require.Error(t, err)
				if tc.err != "" {
					require.Equal(t, tc.err, err.Error())
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, ref.String())
		})
	}
}
