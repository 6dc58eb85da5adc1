package probe

// Result is a probe result as the kubelet's results manager stores it
// (pkg/kubelet/prober/results/results_manager.go).
type Result int8

const (
	Unknown Result = iota - 1
	Success
	Failure
)

func (r Result) String() string {
	switch r {
	case Success:
		return "Success"
	case Failure:
		return "Failure"
	}
	return "UNKNOWN"
}

// Update is a change of a stored result, which the kubelet acts on.
type Update struct {
	ContainerID string
	Result      Result
}

// Results caches the latest result per container ID for one kind of probe
// and reports only changes, as the kubelet's results manager does: setting
// the value already stored publishes nothing, and removing publishes nothing.
type Results struct {
	cache   map[string]Result
	pending []Update
}

// NewResults returns an empty cache.
func NewResults() *Results { return &Results{cache: map[string]Result{}} }

// Set stores r for a container and queues an update if it changed.
func (m *Results) Set(containerID string, r Result) {
	if prev, ok := m.cache[containerID]; ok && prev == r {
		return
	}
	m.cache[containerID] = r
	m.pending = append(m.pending, Update{ContainerID: containerID, Result: r})
}

// Get returns the stored result of a container.
func (m *Results) Get(containerID string) (Result, bool) {
	r, ok := m.cache[containerID]
	return r, ok
}

// Remove forgets a container's result without publishing anything.
func (m *Results) Remove(containerID string) { delete(m.cache, containerID) }

// Drain returns and clears the queued updates, oldest first.
func (m *Results) Drain() []Update {
	out := m.pending
	m.pending = nil
	return out
}
