package kubelet

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
)

// terminationOrdering makes sidecars wait for the regular containers and
// for the sidecars declared after them (kuberuntime_termination_order.go).
type terminationOrdering struct {
	k        *Kubelet
	waitsFor map[string][]string
	done     map[string]bool
	waiting  map[string]func()
}

func newTerminationOrdering(k *Kubelet, p *corev1.Pod, running []*container) *terminationOrdering {
	o := &terminationOrdering{k: k, waitsFor: map[string][]string{}, done: map[string]bool{}, waiting: map[string]func(){}}
	isRunning := map[string]bool{}
	for _, ct := range running {
		isRunning[ct.name] = true
	}
	var regular []string
	for _, c := range p.Spec.Containers {
		regular = append(regular, c.Name)
		o.done[c.Name] = !isRunning[c.Name]
	}
	prev := ""
	for i := len(p.Spec.InitContainers) - 1; i >= 0; i-- {
		c := p.Spec.InitContainers[i]
		if !podutil.IsRestartableInit(&c) {
			continue
		}
		deps := append([]string{}, regular...)
		if prev != "" {
			deps = append(deps, prev)
		}
		o.waitsFor[c.Name] = deps
		o.done[c.Name] = !isRunning[c.Name]
		prev = c.Name
	}
	return o
}

// waitForTurn calls done once everything the container waits for has
// stopped, or after limit.
func (o *terminationOrdering) waitForTurn(name string, limit time.Duration, done func()) {
	if o.ready(name) {
		done()
		return
	}
	fired := false
	once := func() {
		if !fired {
			fired = true
			delete(o.waiting, name)
			done()
		}
	}
	o.waiting[name] = once
	o.k.eng.After(limit, engine.PriorityRuntime, once)
}

func (o *terminationOrdering) ready(name string) bool {
	for _, d := range o.waitsFor[name] {
		if !o.done[d] {
			return false
		}
	}
	return true
}

func (o *terminationOrdering) terminated(name string) {
	o.done[name] = true
	for _, n := range podutil.SortedKeys(o.waiting) {
		if o.ready(n) {
			o.waiting[n]()
		}
	}
}
