package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// newUID returns a random-looking, seeded UUID (version 4 layout).
func (c *Cluster) newUID() string {
	r := c.eng.Stream("uid")
	a, b := r.Uint64(), r.Uint64()
	a = (a &^ (0xf << 12)) | (4 << 12)   // version 4
	b = (b &^ (0x3 << 62)) | (0x2 << 62) // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// runtimeID is a 64-hex-digit identifier derived from its parts, as stable
// as the inputs: the same run gives the same container IDs.
func runtimeID(parts ...any) string {
	h := sha256.Sum256([]byte(fmt.Sprint(parts...)))
	return hex.EncodeToString(h[:])
}

// imageRef is a parsed image reference [domain/]path[:tag][@digest].
type imageRef struct {
	domain, path, tag, digest string
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

// parseImage parses an image reference and applies the default tag
// "latest" when it has neither tag nor digest (pkg/util/parsers
// ParseImageName). An unparseable reference is the runtime's
// InvalidImageName.
func parseImage(image string) (imageRef, error) {
	var ref imageRef
	if remote := normalizedRemote(image); strings.ToLower(remote) != remote {
		return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format: repository name (%s) must be lowercase", image, remote)
	}
	rest := image
	if i := strings.Index(rest, "@"); i >= 0 {
		ref.digest = rest[i+1:]
		rest = rest[:i]
		if !digestRe.MatchString(ref.digest) {
			return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format", image)
		}
	}
	if i := strings.LastIndex(rest, ":"); i >= 0 && !strings.Contains(rest[i+1:], "/") {
		ref.tag = rest[i+1:]
		rest = rest[:i]
		if !tagRe.MatchString(ref.tag) {
			return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format", image)
		}
	}
	if first, after, ok := strings.Cut(rest, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first) {
		ref.domain, rest = first, after
		if !domainRe.MatchString(ref.domain) {
			return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format", image)
		}
	}
	if rest == "" || !pathRe.MatchString(rest) {
		return ref, fmt.Errorf("couldn't parse image name %q: invalid reference format", image)
	}
	ref.path = rest
	if ref.tag == "" && ref.digest == "" {
		ref.tag = "latest"
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
func (r imageRef) String() string {
	domain, path := r.domain, r.path
	if domain == "" {
		domain = "docker.io"
		if !strings.Contains(path, "/") {
			path = "library/" + path
		}
	}
	s := domain + "/" + path
	if r.tag != "" {
		s += ":" + r.tag
	}
	if r.digest != "" {
		s += "@" + r.digest
	}
	return s
}

// ImageReference returns an image reference as the kubelet pulls it, with
// the default registry and tag filled in ("nginx" is
// docker.io/library/nginx:latest), or, for a reference the runtime cannot
// parse, the error a container using it shows as InvalidImageName.
func ImageReference(image string) (string, error) {
	ref, err := parseImage(image)
	if err != nil {
		return "", err
	}
	return ref.String(), nil
}

// ImageKey finds the key of images that describes an image, the rule by
// which Environment.Images (and a scenario's environment.images) apply: the
// reference as written ("nginx:1.25.2"), else a key with the same full
// reference ("docker.io/library/nginx:1.25.2"), else a key naming the
// image's repository with neither tag nor digest ("nginx" for any tag or
// digest of docker.io/library/nginx). Keys are tried in sorted order, so the
// answer never depends on map order.
func ImageKey[V any](images map[string]V, image string) (string, bool) {
	if _, ok := images[image]; ok {
		return image, true
	}
	ref, err := parseImage(image)
	if err != nil {
		return "", false
	}
	full, repo := ref.String(), ref.repository()
	keys := slices.Sorted(maps.Keys(images))
	for _, k := range keys {
		if kr, err := parseImage(k); err == nil && kr.String() == full {
			return k, true
		}
	}
	for _, k := range keys {
		if kr, err := parseImage(k); err == nil && !strings.ContainsAny(k[strings.LastIndexByte(k, '/')+1:], ":@") && kr.repository() == repo {
			return k, true
		}
	}
	return "", false
}

// repository is the normalized reference without tag or digest:
// docker.io/library/nginx.
func (r imageRef) repository() string {
	return imageRef{domain: r.domain, path: r.path}.String()
}
