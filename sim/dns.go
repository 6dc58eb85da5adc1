package sim

import (
	"strings"

	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/apiserver"
)

// clusterDNS answers lookups from pods as cluster DNS (CoreDNS with the
// kubernetes plugin) does, from the Services the API server holds: a
// Service resolves in the short forms svc, svc.ns, svc.ns.svc and the full
// svc.ns.svc.cluster.local.
type clusterDNS struct{ api *apiserver.Server }

// Resolves reports whether name, looked up from a pod in namespace ns,
// resolves.
func (d clusterDNS) Resolves(ns, name string) bool {
	name = strings.TrimSuffix(name, ".")
	name = strings.TrimSuffix(name, ".cluster.local")
	name = strings.TrimSuffix(name, ".svc")
	svc, svcNS, ok := strings.Cut(name, ".")
	if !ok {
		svcNS = ns
	}
	return d.api.Service(types.NamespacedName{Namespace: svcNS, Name: svc}) != nil
}
