package scheduler

import (
	"math"

	corev1 "k8s.io/api/core/v1"

	"github.com/podsim/podsim/internal/podutil"
)

// maxNodeScore is framework.MaxNodeScore.
const maxNodeScore = 100

// Score plugin weights of the default profile
// (pkg/scheduler/apis/config/v1/default_plugins.go).
const (
	weightTaintToleration  = 3
	weightNodeAffinity     = 2
	weightNodeResourcesFit = 1
	weightBalanced         = 1
)

// minFeasibleNodesToFind and minFeasibleNodesPercentageToFind bound how
// many feasible nodes an attempt looks for before it stops filtering
// (pkg/scheduler/schedule_one.go).
const (
	minFeasibleNodesToFind           = 100
	minFeasibleNodesPercentageToFind = 5
)

// numFeasibleNodesToFind follows schedule_one.go with the default
// percentageOfNodesToScore (0, adaptive): all nodes below 100, else
// 50% − nodes/125 of them (at least 5%), and never fewer than 100.
func numFeasibleNodesToFind(numAllNodes int) int {
	if numAllNodes < minFeasibleNodesToFind {
		return numAllNodes
	}
	percentage := 50 - numAllNodes/125
	if percentage < minFeasibleNodesPercentageToFind {
		percentage = minFeasibleNodesPercentageToFind
	}
	n := numAllNodes * percentage / 100
	if n < minFeasibleNodesToFind {
		return minFeasibleNodesToFind
	}
	return n
}

// scoreNodes gives each feasible node the weighted sum of the default
// score plugins that podsim models and returns the index of the best; a
// tie goes to the first in the order the nodes were examined, where
// selectHost picks one of the tied nodes at random. Not modelled:
// ImageLocality, PodTopologySpread's default constraints and preferred
// inter-pod affinity.
func scoreNodes(pi *podInfo, feasible []*nodeInfo) int {
	if len(feasible) == 1 {
		return 0
	}
	// The taint and node-affinity scores are normalized over the feasible
	// nodes; most pods and nodes have neither, and skip the pass.
	var taints, affinity []int64
	var maxTaints, maxAffinity int64
	prefTols := preferNoScheduleTolerations(pi.pod.Spec.Tolerations)
	preferred := preferredNodeTerms(pi.pod)
	for i, ni := range feasible {
		if len(ni.node.Spec.Taints) > 0 {
			if taints == nil {
				taints = make([]int64, len(feasible))
			}
			taints[i] = countIntolerablePreferNoSchedule(ni.node.Spec.Taints, prefTols)
			maxTaints = max(maxTaints, taints[i])
		}
		if len(preferred) > 0 {
			if affinity == nil {
				affinity = make([]int64, len(feasible))
			}
			for _, t := range preferred {
				if t.Weight != 0 && nodeMatchesTerm(&t.Preference, ni.node) {
					affinity[i] += int64(t.Weight)
				}
			}
			maxAffinity = max(maxAffinity, affinity[i])
		}
	}
	at := func(s []int64, i int) int64 {
		if s == nil {
			return 0
		}
		return s[i]
	}
	best, bestScore := 0, int64(math.MinInt64)
	for i, ni := range feasible {
		score := weightNodeResourcesFit*leastAllocatedScore(pi, ni) + weightBalanced*balancedAllocationScore(pi, ni) +
			weightTaintToleration*normalize(at(taints, i), maxTaints, true) + weightNodeAffinity*normalize(at(affinity, i), maxAffinity, false)
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// leastAllocatedScore is NodeResourcesFit's default LeastAllocated
// strategy over cpu and memory, weight 1 each, on the non-zero requests
// (noderesources/least_allocated.go).
func leastAllocatedScore(pi *podInfo, ni *nodeInfo) int64 {
	least := func(requested, capacity int64) int64 {
		if capacity == 0 || requested > capacity {
			return 0
		}
		return (capacity - requested) * maxNodeScore / capacity
	}
	var score, weights int64
	if ni.alloc.milliCPU != 0 {
		score += least(ni.nonZeroRequested.milliCPU+pi.nonZero.milliCPU, ni.alloc.milliCPU)
		weights++
	}
	if ni.alloc.memory != 0 {
		score += least(ni.nonZeroRequested.memory+pi.nonZero.memory, ni.alloc.memory)
		weights++
	}
	if weights == 0 {
		return 0
	}
	return score / weights
}

// balancedAllocationScore is NodeResourcesBalancedAllocation
// (noderesources/balanced_allocation.go): 100 × (1 − the standard deviation
// of the cpu and memory fractions requested), skipped for a pod that
// requests nothing.
func balancedAllocationScore(pi *podInfo, ni *nodeInfo) int64 {
	if pi.req.milliCPU == 0 && pi.req.memory == 0 {
		return 0
	}
	if ni.alloc.milliCPU == 0 || ni.alloc.memory == 0 {
		// One resource or none: no spread, a standard deviation of 0.
		return maxNodeScore
	}
	cpu := min(float64(ni.requested.milliCPU+pi.req.milliCPU)/float64(ni.alloc.milliCPU), 1)
	mem := min(float64(ni.requested.memory+pi.req.memory)/float64(ni.alloc.memory), 1)
	std := math.Abs((cpu - mem) / 2)
	return int64((1 - std) * maxNodeScore)
}

// normalize is pluginhelper.DefaultNormalizeScore.
func normalize(score, maxScore int64, reverse bool) int64 {
	if maxScore == 0 {
		if reverse {
			return maxNodeScore
		}
		return 0
	}
	s := maxNodeScore * score / maxScore
	if reverse {
		return maxNodeScore - s
	}
	return s
}

// preferNoScheduleTolerations are the tolerations that may tolerate a
// PreferNoSchedule taint (taint_toleration.go getAllTolerationPreferNoSchedule).
func preferNoScheduleTolerations(tols []corev1.Toleration) []corev1.Toleration {
	var out []corev1.Toleration
	for _, t := range tols {
		if t.Effect == "" || t.Effect == corev1.TaintEffectPreferNoSchedule {
			out = append(out, t)
		}
	}
	return out
}

func countIntolerablePreferNoSchedule(taints []corev1.Taint, tols []corev1.Toleration) int64 {
	var n int64
	for _, t := range taints {
		if t.Effect == corev1.TaintEffectPreferNoSchedule && !podutil.ToleratesTaint(tols, t) {
			n++
		}
	}
	return n
}

func preferredNodeTerms(p *corev1.Pod) []corev1.PreferredSchedulingTerm {
	if a := p.Spec.Affinity; a != nil && a.NodeAffinity != nil {
		return a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution
	}
	return nil
}
