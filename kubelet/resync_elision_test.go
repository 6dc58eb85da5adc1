package kubelet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/podsim/podsim/apiserver"
	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/record"
	"github.com/podsim/podsim/profile"
	"github.com/podsim/podsim/trace"
)

// resyncNode is one kubelet with three idle pods; wake, if set, runs at at
// with priority prio (an API delivery sorts before the sync tick of its
// instant, a scenario action after it).
func resyncNode(t *testing.T, noElision bool, at time.Duration, prio engine.Priority, wake func(k *Kubelet)) (*engine.Engine, *Kubelet) {
	t.Helper()
	eng := engine.New(1)
	prof, err := profile.For("1.33")
	require.NoError(t, err)
	tr := &trace.Trace{}
	api := apiserver.New(apiserver.Config{Engine: eng, Profile: prof, Trace: tr, WatchLatency: 10 * time.Millisecond})
	idle := behavior.Spec{Main: behavior.Script{behavior.Sleep(time.Hour)}}
	k, err := New(Config{
		Node:   &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}},
		Engine: eng, Profile: prof, Client: api, Trace: tr, DNS: noResolver{},
		Events:        record.NewBroadcaster(eng, api, tr, prof.EventReportingController),
		PresentImages: []string{"busybox:1.36"},
		Behaviors:     func(*corev1.Pod) map[string]behavior.Spec { return map[string]behavior.Spec{"app": idle} },
		Timing: Timing{
			SandboxCreate: 750 * time.Millisecond, SandboxStop: 100 * time.Millisecond,
			ContainerCreate: 100 * time.Millisecond, ContainerStart: 300 * time.Millisecond,
			VolumeTeardown: 100 * time.Millisecond, DefaultPull: 2 * time.Second,
			RelistPhase: 600 * time.Millisecond, SyncTickPhase: 300 * time.Millisecond,
		},
		Network:        Network{PodCIDR: "10.244.0.0/24"},
		ResyncInterval: time.Minute,
		NoElision:      noElision,
	})
	require.NoError(t, err)
	for _, name := range []string{"a", "b", "c"} {
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "app", Image: "busybox:1.36"}}}}
		require.NoError(t, api.CreatePod(pod, "user", "created"))
	}
	if wake != nil {
		eng.At(at, prio, func() { wake(k) })
	}
	return eng, k
}

// resyncState is what a pod worker keeps of its resyncs: when the last
// one ended, what it was, when the next is due, and the next draw of its
// jitter stream.
type resyncState struct {
	LastSync, ActiveAt, Due time.Duration
	ActiveCause             string
	NextDraw                uint64
}

func stateOf(k *Kubelet, kp *kpod) resyncState {
	s := resyncState{LastSync: kp.w.lastSync, Due: -1}
	if kp.w.active != nil {
		s.ActiveAt, s.ActiveCause = kp.w.active.at, kp.w.active.cause
	}
	if q, ok := k.workQueue[kp.uid]; ok {
		s.Due = q.due
	}
	src := kp.jitter // a copy: the draw does not move the pod's stream
	s.NextDraw = src.Uint64()
	return s
}

// A pod woken at the very instant of one of its skipped resyncs has that
// resync behind it if the sync tick of the instant has run — the waking
// event is a scenario action, after the tick — and ahead of it if not (a
// watch delivery, before the tick); either way its worker is where
// ticking would have left it.
func TestUnparkedResyncIsWhereTickingLeavesIt(t *testing.T) {
	// Where the parked resyncs fall: the first each pod skips after 3 minutes.
	eng, k := resyncNode(t, false, 0, 0, nil)
	require.NoError(t, eng.RunUntil(3*time.Minute))
	for i, kp := range k.order {
		require.True(t, kp.resyncParked, "pod %s parks", kp.key)
		first := k.syncTickAtOrAfter(kp.resyncDue)
		for _, prio := range []engine.Priority{engine.PriorityAPI, engine.PriorityAction} {
			var got [2]resyncState
			for j, noElision := range []bool{false, true} {
				eng, k := resyncNode(t, noElision, first, prio, func(k *Kubelet) {
					kp := k.order[i]
					k.resyncWake(kp)
					got[j] = stateOf(k, kp)
				})
				require.NoError(t, eng.RunUntil(first+time.Second))
				_ = k
			}
			require.Equal(t, got[1], got[0], "pod %s woken at %v with priority %d: elided (got) against ticked (want)", kp.key, first, prio)
			require.Equal(t, prio == engine.PriorityAction, got[0].LastSync == first, "the resync of the instant ran before the wake only after the tick")
		}
	}
}

// The same, woken between two runs of the engine (a caller of the Go API
// between RunUntil calls): every event of the instant has fired, the sync
// tick's included.
func TestUnparkedResyncBetweenRuns(t *testing.T) {
	eng, k := resyncNode(t, false, 0, 0, nil)
	require.NoError(t, eng.RunUntil(3*time.Minute))
	for i, kp := range k.order {
		first := k.syncTickAtOrAfter(kp.resyncDue)
		var got [2]resyncState
		for j, noElision := range []bool{false, true} {
			eng, k := resyncNode(t, noElision, 0, 0, nil)
			require.NoError(t, eng.RunUntil(first))
			kp := k.order[i]
			k.resyncWake(kp)
			got[j] = stateOf(k, kp)
		}
		require.Equal(t, got[1], got[0], "pod %s woken after RunUntil(%v): elided (got) against ticked (want)", kp.key, first)
		require.Equal(t, first, got[0].LastSync)
	}
}
