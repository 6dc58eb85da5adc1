// Package imageref parses container image references as the kubelet and
// the container runtime do (github.com/distribution/reference's grammar,
// with Docker Hub's defaults), and matches them against the keys of a
// table of images.
package imageref

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Ref is a parsed image reference [domain/]path[:tag][@digest].
type Ref struct {
	Domain, Path, Tag, Digest string
}

// The grammar of github.com/distribution/reference (reference.go), which
// the kubelet uses through docker's parsers to apply the default tag.
var (
	pathComponent = `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
	domainRe      = regexp.MustCompile(`^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$`)
	pathRe        = regexp.MustCompile(`^` + pathComponent + `(?:/` + pathComponent + `)*$`)
	tagRe         = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)
	digestRe      = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$`)
)

// Parse parses an image reference and applies the default tag
// "latest" when it has neither tag nor digest (pkg/util/parsers
// ParseImageName). An unparseable reference is the runtime's
// InvalidImageName.
func Parse(image string) (Ref, error) {
	var ref Ref
	if remote := normalizedRemote(image); strings.ToLower(remote) != remote {
		return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format: repository name (%s) must be lowercase", image, remote)
	}
	rest := image
	if i := strings.Index(rest, "@"); i >= 0 {
		ref.Digest = rest[i+1:]
		rest = rest[:i]
		if !digestRe.MatchString(ref.Digest) {
			return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format", image)
		}
	}
	if i := strings.LastIndex(rest, ":"); i >= 0 && !strings.Contains(rest[i+1:], "/") {
		ref.Tag = rest[i+1:]
		rest = rest[:i]
		if !tagRe.MatchString(ref.Tag) {
			return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format", image)
		}
	}
	if first, after, ok := strings.Cut(rest, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first) {
		ref.Domain, rest = first, after
		if !domainRe.MatchString(ref.Domain) {
			return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format", image)
		}
	}
	if rest == "" || !pathRe.MatchString(rest) {
		return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format", image)
	}
	ref.Path = rest
	if ref.Tag == "" && ref.Digest == "" {
		ref.Tag = "latest"
	}
	return ref, nil
}

// normalizedRemote is the repository path ParseNormalizedNamed checks for
// upper case before anything else (distribution/reference normalize.go,
// splitDockerDomain): Docker Hub's library/ prefix included, up to the
// first colon.
func normalizedRemote(image string) string {
	domain, remainder := "docker.io", image
	if i := strings.IndexByte(image, '/'); i >= 0 {
		if first := image[:i]; strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first {
			domain, remainder = first, image[i+1:]
		}
	}
	if (domain == "docker.io" || domain == "index.docker.io") && !strings.Contains(remainder, "/") {
		remainder = "library/" + remainder
	}
	remote, _, _ := strings.Cut(remainder, ":")
	return remote
}

// String is the normalized reference the runtime reports, e.g.
// docker.io/library/centos:latest.
func (r Ref) String() string {
	domain, path := r.Domain, r.Path
	if domain == "" {
		domain = "docker.io"
		if !strings.Contains(path, "/") {
			path = "library/" + path
		}
	}
	s := domain + "/" + path
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// Reference returns an image reference as the kubelet pulls it, with
// the default registry and tag filled in ("nginx" is
// docker.io/library/nginx:latest), or, for a reference the runtime cannot
// parse, the error a container using it shows as InvalidImageName.
func Reference(image string) (string, error) {
	ref, err := Parse(image)
	if err != nil {
		return "", err
	}
	return ref.String(), nil
}

// Key finds the key of images that describes an image, the rule by
// which Environment.Images (and a scenario's environment.images) apply: the
// reference as written ("nginx:1.25.2"), else a key with the same full
// reference ("docker.io/library/nginx:1.25.2"), else a key naming the
// image's repository with neither tag nor digest ("nginx" for any tag or
// digest of docker.io/library/nginx). Keys are tried in sorted order, so the
// answer never depends on map order.
func Key[V any](images map[string]V, image string) (string, bool) {
	if _, ok := images[image]; ok {
		return image, true
	}
	ref, err := Parse(image)
	if err != nil {
		return "", false
	}
	full, repo := ref.String(), ref.Repository()
	keys := slices.Sorted(maps.Keys(images))
	for _, k := range keys {
		if kr, err := Parse(k); err == nil && kr.String() == full {
			return k, true
		}
	}
	for _, k := range keys {
		if kr, err := Parse(k); err == nil && !strings.ContainsAny(k[strings.LastIndexByte(k, '/')+1:], ":@") && kr.Repository() == repo {
			return k, true
		}
	}
	return "", false
}

// Repository is the normalized reference without tag or digest:
// docker.io/library/nginx.
func (r Ref) Repository() string {
	return Ref{Domain: r.Domain, Path: r.Path}.String()
}

// ID is the image digest reference the runtime reports for an image
// (docker.io/library/centos@sha256:…): a digest derived from the
// reference, as stable as the run.
func ID(r Ref) string {
	domain, path := r.Domain, r.Path
	if domain == "" {
		domain = "docker.io"
		if !strings.Contains(path, "/") {
			path = "library/" + path
		}
	}
	h := sha256.Sum256([]byte(fmt.Sprint("image", domain, path, r.Tag)))
	return domain + "/" + path + "@sha256:" + hex.EncodeToString(h[:])
}
