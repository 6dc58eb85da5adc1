package sim

import (
	"github.com/podsim/podsim/internal/imageref"
	"github.com/podsim/podsim/kubelet"
)

// DefaultImageSizeBytes is the size the Pulled event reports for an image
// whose ImageEnv does not give one: a small image, as busybox is.
const DefaultImageSizeBytes = kubelet.DefaultImageSizeBytes

// ImageReference returns an image reference as the kubelet pulls it, with
// the default registry and tag filled in ("nginx" is
// docker.io/library/nginx:latest), or, for a reference the runtime cannot
// parse, the error a container using it shows as InvalidImageName.
func ImageReference(image string) (string, error) { return imageref.Reference(image) }

// ImageKey finds the key of images that describes an image, the rule by
// which Environment.Images (and a scenario's environment.images) apply: the
// reference as written ("nginx:1.25.2"), else a key with the same full
// reference ("docker.io/library/nginx:1.25.2"), else a key naming the
// image's repository with neither tag nor digest ("nginx" for any tag or
// digest of docker.io/library/nginx). Keys are tried in sorted order, so the
// answer never depends on map order.
func ImageKey[V any](images map[string]V, image string) (string, bool) {
	return imageref.Key(images, image)
}
