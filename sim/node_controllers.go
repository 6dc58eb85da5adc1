package sim

import (
	"github.com/podsim/podsim/controllers/nodelifecycle"
	"github.com/podsim/podsim/internal/record"
)

// nodeControllers are kube-controller-manager's controllers of nodes: the
// node lifecycle controller (heartbeats, conditions and taints).
type nodeControllers struct {
	lifecycle *nodelifecycle.Controller
}

func (c *Cluster) startNodeControllers() error {
	var err error
	c.nc.lifecycle, err = nodelifecycle.New(nodelifecycle.Config{
		Engine: c.eng, Client: c.api, Profile: c.profile,
		Events: c.events.NewRecorder(record.Source{Component: nodelifecycle.Component}),
	})
	return err
}
