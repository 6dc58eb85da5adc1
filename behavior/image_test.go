package behavior

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestKnownImageReferences(t *testing.T) {
	tests := []struct {
		ref      string
		name     string // "" when unknown
		userland Userland
	}{
		{"nginx", "nginx", GNU},
		{"nginx:1.25.2", "nginx", GNU},
		{"docker.io/library/nginx:1.25.2", "nginx", GNU},
		{"nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31", "nginx", GNU},
		{"nginx:1.25-alpine", "nginx", BusyBox},
		{"docker.io/library/busybox", "busybox", BusyBox},
		{"busybox:1.28", "busybox", BusyBox},
		{"registry.k8s.io/busybox", "busybox", BusyBox},
		{"alpine:3.19", "alpine", BusyBox},
		{"centos", "centos", GNU},
		{"ubuntu:22.04", "ubuntu", GNU},
		{"debian:bookworm-slim", "debian", GNU},
		{"httpd:2.4", "httpd", GNU},
		{"redis:7", "redis", GNU},
		{"redis:7-alpine", "redis", BusyBox},
		{"localhost:5000/redis:7", "redis", GNU},
		{"registry.k8s.io/pause:3.9", "pause", GNU},
		{"k8s.gcr.io/pause", "pause", GNU},
		{"bitnami/nginx", "", GNU},
		{"myapp:1.0", "", GNU},
		{"", "", GNU},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			img, ok := KnownImage(tc.ref)
			require.Equal(t, tc.name != "", ok)
			require.Equal(t, tc.name, img.Name)
			require.Equal(t, tc.userland, ImageUserland(tc.ref))
			if ok {
				require.Equal(t, tc.userland, img.Userland)
				require.Equal(t, tc.userland, img.Default.Userland)
			}
		})
	}
}

func TestKnownImages(t *testing.T) {
	require.Equal(t, []string{"alpine", "busybox", "centos", "debian",
		"e2e-test-images/agnhost", "e2e-test-images/busybox", "e2e-test-images/nginx", "etcd",
		"google-samples/hello-app", "google-samples/node-hello", "goproxy", "httpd",
		"kubernetes-e2e-test-images/agnhost", "mysql", "nginx", "pause", "perl", "polinux/stress",
		"postgres", "python", "redis", "ubuntu", "vish/stress"}, KnownImages())
	for _, name := range KnownImages() {
		img, ok := KnownImage(name)
		require.True(t, ok, name)
		require.Equal(t, name, img.Name)
	}
}

func TestKnownImageEntrypointAndCmd(t *testing.T) {
	tests := []struct {
		name       string
		entrypoint []string
		cmd        []string
	}{
		{"nginx", []string{"/docker-entrypoint.sh"}, []string{"nginx", "-g", "daemon off;"}},
		{"httpd", nil, []string{"httpd-foreground"}},
		{"redis", []string{"docker-entrypoint.sh"}, []string{"redis-server"}},
		{"busybox", nil, []string{"sh"}},
		{"alpine", nil, []string{"/bin/sh"}},
		{"centos", nil, []string{"/bin/bash"}},
		{"ubuntu", nil, []string{"bash"}},
		{"debian", nil, []string{"bash"}},
		{"pause", []string{"/pause"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, ok := KnownImage(tc.name)
			require.True(t, ok)
			require.Equal(t, tc.entrypoint, img.Entrypoint)
			require.Equal(t, tc.cmd, img.Cmd)
		})
	}
}

// The Default of each image, run: what it serves and how it stops.
func TestKnownImageDefaults(t *testing.T) {
	tests := []struct {
		name     string
		http     bool // answers 200 on / and 404 elsewhere on port
		port     int  // listens on it; 0: none
		exitsAt  time.Duration
		stopAt   time.Duration // exit after SIGTERM at 10 s; Never: ignores it
		stopCode int
	}{
		{"nginx", true, 80, Never, 10*s + 100*time.Millisecond, 0},
		{"httpd", true, 80, Never, 10*s + 100*time.Millisecond, 0},
		{"redis", false, 6379, Never, 10*s + 100*time.Millisecond, 0},
		{"pause", false, 0, Never, 10 * s, 0},
		{"busybox", false, 0, 0, 0, 0},
		{"alpine", false, 0, 0, 0, 0},
		{"centos", false, 0, 0, 0, 0},
		{"ubuntu", false, 0, 0, 0, 0},
		{"debian", false, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, _ := KnownImage(tc.name)
			inst := img.Default.Start(0)
			next, err := inst.Main.Advance(0, nil)
			require.NoError(t, err)
			_, exited := inst.Main.Exited()
			if tc.exitsAt == 0 {
				require.True(t, exited, "a shell with no script and no tty exits at once")
				code, _ := inst.Main.Exited()
				require.Equal(t, 0, code)
				return
			}
			require.False(t, exited)
			require.Equal(t, time.Hour, next, "a server sleeps until stopped")
			if tc.port != 0 {
				require.True(t, inst.Container.Listening(tc.port))
			}
			if tc.http {
				code, up := inst.Container.HTTPStatus(tc.port, "/")
				require.True(t, up)
				require.Equal(t, 200, code)
				code, _ = inst.Container.HTTPStatus(tc.port, "/missing")
				require.Equal(t, 404, code)
			}
			at := inst.Main.Signal(SIGTERM, 10*s)
			require.Equal(t, tc.stopAt, at)
			_, err = inst.Main.Advance(at, nil)
			require.NoError(t, err)
			code, exited := inst.Main.Exited()
			require.True(t, exited)
			require.Equal(t, tc.stopCode, code)
			require.Zero(t, inst.Main.Signaled(), "it exits by itself, not by the signal")
		})
	}
}

func TestKnownImageIsACopy(t *testing.T) {
	img, _ := KnownImage("nginx")
	img.Default.Files[0] = "/changed"
	img.Cmd[0] = "changed"
	again, _ := KnownImage("nginx")
	require.Equal(t, []string{"/etc/nginx/nginx.conf", "/usr/share/nginx/html/index.html"}, again.Default.Files)
	require.Equal(t, "nginx", again.Cmd[0])
}

func TestSplitRef(t *testing.T) {
	for ref, want := range map[string][2]string{
		"nginx":                               {"nginx", ""},
		"nginx:1.25.2":                        {"nginx", "1.25.2"},
		"localhost/nginx":                     {"nginx", ""},
		"localhost:5000/team/app:v1@sha256:x": {"team/app", "v1"},
		"quay.io/library/redis":               {"redis", ""},
		"team/app:v1":                         {"team/app", "v1"},
	} {
		name, tag := splitRef(ref)
		require.Equal(t, want, [2]string{name, tag}, ref)
	}
}
