package sim

import (
	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/profile"
)

// Profile is the set of kubelet and control-plane behaviours that differ
// between the supported Kubernetes versions (profile.Profile).
type Profile = profile.Profile

// SupportedVersions are the Kubernetes minor versions podsim can follow.
// 1.25 is the version the seed observations were recorded on; 1.37 is the
// newest and the default.
var SupportedVersions = profile.Supported

// DefaultVersion is the version a simulation follows unless told otherwise.
const DefaultVersion = profile.Default

// ProfileFor returns the profile of a supported version such as "1.25" or
// "v1.33".
func ProfileFor(version string) (*Profile, error) { return profile.For(version) }

// ErrInvariant is wrapped by every invariant violation that
// Config.CheckInvariants finds.
var ErrInvariant = apiserver.ErrInvariant

// Taint keys and the toleration the DefaultTolerationSeconds admission
// plugin gives every pod for them.
const (
	DefaultTolerationSeconds = apiserver.DefaultTolerationSeconds
	TaintNodeNotReady        = apiserver.TaintNodeNotReady
	TaintNodeUnreachable     = apiserver.TaintNodeUnreachable
)
