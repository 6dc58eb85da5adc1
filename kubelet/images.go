package kubelet

import (
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/imageref"
)

// Image errors, the Waiting reasons a container shows
// (pkg/kubelet/images/types.go).
var (
	ErrImagePullBackOff = errors.New("ImagePullBackOff")
	ErrImagePull        = errors.New("ErrImagePull")
	ErrImageNeverPull   = errors.New("ErrImageNeverPull")
	ErrInvalidImageName = errors.New("InvalidImageName")
)

// imageStore is a node's image cache and its image puller. Pulls are
// serial, one at a time in request order, as with the kubelet's default
// serializeImagePulls=true (pkg/kubelet/images/puller.go).
type imageStore struct {
	k       *Kubelet
	present map[string]bool
	// sizes are the present images' sizes on the node's disk, detected
	// when each pulled image arrived (gc.go).
	sizes    map[string]int64
	detected map[string]time.Duration
	pulls    map[string]int // pulls started per image, for the duration sequence
	queue    []*pullRequest
	busy     bool
}

type pullRequest struct {
	image    string // as written in the pod spec
	ref      string // normalized reference
	queuedAt time.Duration
	done     func(err error, pullTime time.Duration)
}

func newImageStore(k *Kubelet, images []string) *imageStore {
	s := &imageStore{k: k, present: map[string]bool{}, sizes: map[string]int64{}, detected: map[string]time.Duration{}, pulls: map[string]int{}}
	for _, img := range images {
		if ref, err := imageref.Parse(img); err == nil {
			s.present[ref.String()] = true
			s.sizes[ref.String()] = k.cfg.imageSize(img)
		}
	}
	return s
}

// pull queues a pull of image; done runs when it ends.
func (s *imageStore) pull(image, ref string, done func(err error, pullTime time.Duration)) {
	s.queue = append(s.queue, &pullRequest{image: image, ref: ref, queuedAt: s.k.eng.Now(), done: done})
	s.next()
}

func (s *imageStore) next() {
	if s.busy || len(s.queue) == 0 {
		return
	}
	req := s.queue[0]
	s.queue = s.queue[1:]
	s.busy = true
	env := &s.k.cfg
	spec := env.image(req.image)
	n := s.pulls[req.ref]
	s.pulls[req.ref] = n + 1
	d := env.Timing.DefaultPull
	if len(spec.Pulls) > 0 {
		d = spec.Pulls[min(n, len(spec.Pulls)-1)]
	}
	if spec.PullTime != nil {
		d = spec.PullTime.Draw(s.k.eng.Stream("image-pull/" + s.k.name + "/" + req.ref))
	}
	var err error
	if (spec.PullError != "" && spec.FailPulls == 0) || n < spec.FailPulls {
		msg := spec.PullError
		if msg == "" {
			msg = notFoundPullError(req.ref)
		}
		err = errors.New(msg)
	}
	start := s.k.eng.Now()
	s.k.eng.After(d, engine.PriorityRuntime, func() {
		s.busy = false
		if err == nil {
			s.present[req.ref] = true
			s.sizes[req.ref] = env.imageSize(req.image)
			s.k.imagesMoved() // stats_cache.go
			if _, ok := s.detected[req.ref]; !ok {
				s.detected[req.ref] = s.k.eng.Now()
			}
		}
		req.done(err, s.k.eng.Now()-start)
		s.next()
	})
}

// notFoundPullError is containerd's answer for an image the registry does
// not have.
func notFoundPullError(ref string) string {
	return fmt.Sprintf("rpc error: code = NotFound desc = failed to pull and unpack image %q: failed to resolve reference %q: %s: not found", ref, ref, ref)
}

// ensureImage is EnsureImageExists (pkg/kubelet/images/image_manager.go):
// pull policy, presence, the per-pod pull back-off, the pull itself and
// its events. done receives an error from the list above and its message.
func (k *Kubelet) ensureImage(kp *kpod, ctr *corev1.Container, done func(err error, msg string)) {
	ref := containerRefFor(kp.pod, ctr.Name)
	cs := kp.spec.byName(ctr.Name)
	parsed := cs.image
	if cs.imageBad {
		_, perr := imageref.Parse(cs.api.Image) // the error compilePodSpec had
		msg := fmt.Sprintf("Failed to apply default image tag %q: %v", ctr.Image, perr)
		k.event(ref, corev1.EventTypeWarning, "InspectFailed", msg)
		done(ErrInvalidImageName, msg)
		return
	}
	norm := parsed.String()
	present := k.rt.images.present[norm]
	switch {
	case ctr.ImagePullPolicy == corev1.PullNever && !present:
		msg := fmt.Sprintf("Container image %q is not present with pull policy of Never", ctr.Image)
		k.event(ref, corev1.EventTypeWarning, "ErrImageNeverPull", msg)
		done(ErrImageNeverPull, msg)
		return
	case ctr.ImagePullPolicy == corev1.PullNever || (ctr.ImagePullPolicy == corev1.PullIfNotPresent && present):
		msg := fmt.Sprintf("Container image %q already present on machine", ctr.Image)
		if k.prof.PulledPresentAccessible {
			// images/image_manager.go EnsureImageExists with
			// KubeletEnsureSecretPulledImages: the pull manager found the
			// pod may use the image (podsim models no pull secrets, so it
			// always may).
			msg = fmt.Sprintf("Container image %q already present on machine and can be accessed by the pod", ctr.Image)
		}
		k.event(ref, corev1.EventTypeNormal, "Pulled", msg)
		done(nil, "")
		return
	}
	key := string(kp.uid) + "_" + ctr.Image
	now := k.eng.Now()
	if k.imageBackoff.IsInBackOffSinceUpdate(key, now) {
		msg := fmt.Sprintf("Back-off pulling image %q", ctr.Image)
		k.event(ref, corev1.EventTypeNormal, "BackOff", msg)
		done(ErrImagePullBackOff, msg)
		return
	}
	k.event(ref, corev1.EventTypeNormal, "Pulling", fmt.Sprintf("Pulling image %q", ctr.Image))
	start := now
	k.rt.images.pull(ctr.Image, norm, func(err error, pullTime time.Duration) {
		now := k.eng.Now()
		if err != nil {
			k.event(ref, corev1.EventTypeWarning, "Failed", fmt.Sprintf("Failed to pull image %q: %v", ctr.Image, err))
			k.imageBackoff.Next(key, now, now)
			done(ErrImagePull, err.Error())
			return
		}
		total := now - start
		var msg string
		switch {
		case k.prof.PulledImageSize:
			msg = fmt.Sprintf("Successfully pulled image %q in %v (%v including waiting). Image size: %v bytes.",
				ctr.Image, pullTime.Truncate(time.Millisecond), total.Truncate(time.Millisecond), k.cfg.imageSize(ctr.Image))
		case k.prof.PulledIncludingWaiting:
			msg = fmt.Sprintf("Successfully pulled image %q in %v (%v including waiting)", ctr.Image, pullTime, total)
		default:
			msg = fmt.Sprintf("Successfully pulled image %q in %v", ctr.Image, total)
		}
		k.event(ref, corev1.EventTypeNormal, "Pulled", msg)
		k.imageBackoff.GC(now)
		done(nil, "")
	})
}

// image is how pulling an image behaves: its entry in Images by ImageKey's
// rule, or the zero ImageEnv (Timing.DefaultPull, success).
func (e *Config) image(image string) ImageEnv {
	if k, ok := imageref.Key(e.Images, image); ok {
		return e.Images[k]
	}
	return ImageEnv{}
}

// DefaultImageSizeBytes is the size the Pulled event reports for an image
// whose ImageEnv does not give one: a small image, as busybox is.
const DefaultImageSizeBytes = 4 << 20

// imageSize is the size an image reports.
func (e *Config) imageSize(image string) int64 {
	if spec := e.image(image); spec.SizeBytes > 0 {
		return spec.SizeBytes
	}
	return DefaultImageSizeBytes
}
