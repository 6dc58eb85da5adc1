package eviction

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// thresholdsEqual compares two lists regardless of order, as
// helpers_test.go thresholdsEqual does, minimum reclaim included.
func thresholdsEqual(t *testing.T, want, got []Threshold) {
	t.Helper()
	require.Len(t, got, len(want), "got %v", got)
	same := func(a, b Threshold) bool {
		if (a.MinReclaim == nil) != (b.MinReclaim == nil) {
			return false
		}
		return a.GracePeriod == b.GracePeriod && a.Signal == b.Signal && compareThresholdValue(a.Value, b.Value) &&
			(a.MinReclaim == nil || compareThresholdValue(*a.MinReclaim, *b.MinReclaim))
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || same(w, g)
		}
		require.True(t, found, "missing %+v in %+v", w, got)
	}
}

// helpers_test.go TestParseThresholdConfig, with the flags as the
// configuration file's maps.
func TestParseThresholdConfig(t *testing.T) {
	grace := 30 * time.Second
	q := quantityMustParse
	cases := map[string]struct {
		cfg     ThresholdConfig
		wantErr string
		want    []Threshold
	}{
		"no values": {},
		"all flag values": {
			cfg: ThresholdConfig{
				Hard: map[string]string{"memory.available": "150Mi"}, Soft: map[string]string{"memory.available": "300Mi"},
				SoftGracePeriod: map[string]string{"memory.available": "30s"}, MinimumReclaim: map[string]string{"memory.available": "0"},
				EnforcePodsAllocatable: true,
			},
			want: []Threshold{
				{Signal: SignalMemoryAvailable, Value: ThresholdValue{Quantity: q("150Mi")}, MinReclaim: &ThresholdValue{Quantity: q("0")}},
				{Signal: SignalAllocatableMemoryAvailable, Value: ThresholdValue{Quantity: q("150Mi")}, MinReclaim: &ThresholdValue{Quantity: q("0")}},
				{Signal: SignalMemoryAvailable, Value: ThresholdValue{Quantity: q("300Mi")}, GracePeriod: grace, MinReclaim: &ThresholdValue{Quantity: q("0")}},
			},
		},
		"all flag values in percentages": {
			cfg: ThresholdConfig{
				Hard: map[string]string{"memory.available": "10%"}, Soft: map[string]string{"memory.available": "30%"},
				SoftGracePeriod: map[string]string{"memory.available": "30s"}, MinimumReclaim: map[string]string{"memory.available": "5%"},
			},
			want: []Threshold{
				{Signal: SignalMemoryAvailable, Value: ThresholdValue{Percentage: 0.1}, MinReclaim: &ThresholdValue{Percentage: 0.05}},
				{Signal: SignalMemoryAvailable, Value: ThresholdValue{Percentage: 0.3}, GracePeriod: grace, MinReclaim: &ThresholdValue{Percentage: 0.05}},
			},
		},
		"disk flag values": {
			cfg: ThresholdConfig{
				Hard:            map[string]string{"imagefs.available": "150Mi", "nodefs.available": "100Mi"},
				Soft:            map[string]string{"imagefs.available": "300Mi", "nodefs.available": "200Mi"},
				SoftGracePeriod: map[string]string{"imagefs.available": "30s", "nodefs.available": "30s"},
				MinimumReclaim:  map[string]string{"imagefs.available": "2Gi", "nodefs.available": "1Gi"},
			},
			want: []Threshold{
				{Signal: SignalImageFsAvailable, Value: ThresholdValue{Quantity: q("150Mi")}, MinReclaim: &ThresholdValue{Quantity: q("2Gi")}},
				{Signal: SignalNodeFsAvailable, Value: ThresholdValue{Quantity: q("100Mi")}, MinReclaim: &ThresholdValue{Quantity: q("1Gi")}},
				{Signal: SignalImageFsAvailable, Value: ThresholdValue{Quantity: q("300Mi")}, GracePeriod: grace, MinReclaim: &ThresholdValue{Quantity: q("2Gi")}},
				{Signal: SignalNodeFsAvailable, Value: ThresholdValue{Quantity: q("200Mi")}, GracePeriod: grace, MinReclaim: &ThresholdValue{Quantity: q("1Gi")}},
			},
		},
		"disk flag values in percentages": {
			cfg: ThresholdConfig{
				Hard:            map[string]string{"imagefs.available": "15%", "nodefs.available": "10.5%"},
				Soft:            map[string]string{"imagefs.available": "30%", "nodefs.available": "20.5%"},
				SoftGracePeriod: map[string]string{"imagefs.available": "30s", "nodefs.available": "30s"},
				MinimumReclaim:  map[string]string{"imagefs.available": "10%", "nodefs.available": "5%"},
			},
			want: []Threshold{
				{Signal: SignalImageFsAvailable, Value: ThresholdValue{Percentage: 0.15}, MinReclaim: &ThresholdValue{Percentage: 0.1}},
				{Signal: SignalNodeFsAvailable, Value: ThresholdValue{Percentage: 0.105}, MinReclaim: &ThresholdValue{Percentage: 0.05}},
				{Signal: SignalImageFsAvailable, Value: ThresholdValue{Percentage: 0.3}, GracePeriod: grace, MinReclaim: &ThresholdValue{Percentage: 0.1}},
				{Signal: SignalNodeFsAvailable, Value: ThresholdValue{Percentage: 0.205}, GracePeriod: grace, MinReclaim: &ThresholdValue{Percentage: 0.05}},
			},
		},
		"inode flag values": {
			cfg: ThresholdConfig{
				Hard:            map[string]string{"imagefs.inodesFree": "150Mi", "nodefs.inodesFree": "100Mi"},
				Soft:            map[string]string{"imagefs.inodesFree": "300Mi", "nodefs.inodesFree": "200Mi"},
				SoftGracePeriod: map[string]string{"imagefs.inodesFree": "30s", "nodefs.inodesFree": "30s"},
				MinimumReclaim:  map[string]string{"imagefs.inodesFree": "2Gi", "nodefs.inodesFree": "1Gi"},
			},
			want: []Threshold{
				{Signal: SignalImageFsInodesFree, Value: ThresholdValue{Quantity: q("150Mi")}, MinReclaim: &ThresholdValue{Quantity: q("2Gi")}},
				{Signal: SignalNodeFsInodesFree, Value: ThresholdValue{Quantity: q("100Mi")}, MinReclaim: &ThresholdValue{Quantity: q("1Gi")}},
				{Signal: SignalImageFsInodesFree, Value: ThresholdValue{Quantity: q("300Mi")}, GracePeriod: grace, MinReclaim: &ThresholdValue{Quantity: q("2Gi")}},
				{Signal: SignalNodeFsInodesFree, Value: ThresholdValue{Quantity: q("200Mi")}, GracePeriod: grace, MinReclaim: &ThresholdValue{Quantity: q("1Gi")}},
			},
		},
		"0% and 100% are ignored": {
			cfg: ThresholdConfig{Hard: map[string]string{"memory.available": "0%", "nodefs.available": "100%"}},
		},
		"invalid-signal":                  {cfg: ThresholdConfig{Hard: map[string]string{"mem.available": "150Mi"}}, wantErr: "unsupported eviction signal mem.available"},
		"hard-signal-negative":            {cfg: ThresholdConfig{Hard: map[string]string{"memory.available": "-150Mi"}}, wantErr: "eviction threshold memory.available must be positive: -150Mi"},
		"hard-signal-negative-percentage": {cfg: ThresholdConfig{Hard: map[string]string{"memory.available": "-15%"}}, wantErr: "eviction percentage threshold memory.available must be >= 0%: -15%"},
		"hard-signal-over-100-percent":    {cfg: ThresholdConfig{Hard: map[string]string{"memory.available": "150%"}}, wantErr: "eviction percentage threshold memory.available must be <= 100%: 150%"},
		"soft-signal-negative":            {cfg: ThresholdConfig{Soft: map[string]string{"memory.available": "-150Mi"}}, wantErr: "eviction threshold memory.available must be positive: -150Mi"},
		"valid-and-invalid-signal":        {cfg: ThresholdConfig{Hard: map[string]string{"memory.available": "150Mi", "invalid.foo": "150Mi"}}, wantErr: "unsupported eviction signal invalid.foo"},
		"soft-no-grace-period":            {cfg: ThresholdConfig{Soft: map[string]string{"memory.available": "150Mi"}}, wantErr: "grace period must be specified for the soft eviction threshold memory.available"},
		"soft-neg-grace-period": {
			cfg:     ThresholdConfig{Soft: map[string]string{"memory.available": "150Mi"}, SoftGracePeriod: map[string]string{"memory.available": "-30s"}},
			wantErr: "invalid eviction grace period specified: -30s, must be a positive value",
		},
		"neg-reclaim": {cfg: ThresholdConfig{MinimumReclaim: map[string]string{"memory.available": "-300Mi"}}, wantErr: "negative eviction minimum reclaim specified for memory.available"},
		"zero-percent-reclaim": {
			cfg:     ThresholdConfig{MinimumReclaim: map[string]string{"memory.available": "0%"}},
			wantErr: "eviction percentage minimum reclaim memory.available must be positive: 0%",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ParseThresholdConfig(c.cfg)
			if c.wantErr != "" {
				require.EqualError(t, err, c.wantErr)
				return
			}
			require.NoError(t, err)
			thresholdsEqual(t, c.want, got)
		})
	}
}

// helpers_test.go TestAddAllocatableThresholds.
func TestAddAllocatableThresholds(t *testing.T) {
	q := quantityMustParse
	zero := &ThresholdValue{Quantity: q("0")}
	imagefs := Threshold{Signal: SignalImageFsAvailable, Value: ThresholdValue{Quantity: q("150Mi")}, MinReclaim: zero}
	soft := Threshold{Signal: SignalMemoryAvailable, Value: ThresholdValue{Quantity: q("150Mi")}, GracePeriod: 10, MinReclaim: zero}
	hard := Threshold{Signal: SignalMemoryAvailable, Value: ThresholdValue{Quantity: q("150Mi")}, MinReclaim: zero}
	hard2 := Threshold{Signal: SignalMemoryAvailable, Value: ThresholdValue{Quantity: q("200Mi")}, MinReclaim: &ThresholdValue{Quantity: q("1Gi")}}
	twin := func(t Threshold) Threshold { t.Signal = SignalAllocatableMemoryAvailable; return t }
	cases := map[string]struct{ in, want []Threshold }{
		"non-memory-signal":                          {[]Threshold{imagefs}, []Threshold{imagefs}},
		"memory-signal-with-grace":                   {[]Threshold{soft}, []Threshold{soft}},
		"memory-signal-without-grace":                {[]Threshold{hard}, []Threshold{twin(hard), hard}},
		"memory-signal-without-grace-two-thresholds": {[]Threshold{hard, hard2}, []Threshold{twin(hard), hard, twin(hard2), hard2}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) { thresholdsEqual(t, c.want, addAllocatableThresholds(c.in)) })
	}
}

func obsOf(available string) observation {
	return observation{available: quantityMustParse(available)}
}

func obsWith(available, capacity string) observation {
	return observation{available: quantityMustParse(available), capacity: quantityMustParse(capacity)}
}

// helpers_test.go TestThresholdsMet and TestPercentageThresholdsMet.
func TestThresholdsMet(t *testing.T) {
	hard := Threshold{Signal: SignalMemoryAvailable, Value: ThresholdValue{Quantity: quantityMustParse("1Gi")}, MinReclaim: &ThresholdValue{Quantity: quantityMustParse("500Mi")}}
	pct := []Threshold{
		{Signal: SignalMemoryAvailable, Value: ThresholdValue{Percentage: 0.2}, MinReclaim: &ThresholdValue{Percentage: 0.05}},
		{Signal: SignalNodeFsAvailable, Value: ThresholdValue{Percentage: 0.3}},
	}
	cases := map[string]struct {
		enforceMinReclaim bool
		thresholds        []Threshold
		obs               Observations
		want              []Threshold
	}{
		"empty":                              {},
		"threshold-met-memory":               {false, []Threshold{hard}, Observations{SignalMemoryAvailable: obsOf("500Mi")}, []Threshold{hard}},
		"threshold-not-met":                  {false, []Threshold{hard}, Observations{SignalMemoryAvailable: obsOf("2Gi")}, nil},
		"threshold-met-with-min-reclaim":     {true, []Threshold{hard}, Observations{SignalMemoryAvailable: obsOf("1.05Gi")}, []Threshold{hard}},
		"threshold-not-met-with-min-reclaim": {true, []Threshold{hard}, Observations{SignalMemoryAvailable: obsOf("2Gi")}, nil},
		"no observation":                     {false, []Threshold{hard}, Observations{}, nil},
		"BothMet": {false, pct, Observations{
			SignalMemoryAvailable: obsWith("100Mi", "1000Mi"), SignalNodeFsAvailable: obsWith("100Gi", "1000Gi")}, pct},
		"NoneMet": {false, pct, Observations{
			SignalMemoryAvailable: obsWith("300Mi", "1000Mi"), SignalNodeFsAvailable: obsWith("400Gi", "1000Gi")}, nil},
		"DiskMet": {false, pct, Observations{
			SignalMemoryAvailable: obsWith("300Mi", "1000Mi"), SignalNodeFsAvailable: obsWith("100Gi", "1000Gi")}, pct[1:]},
		"MemoryMet": {false, pct, Observations{
			SignalMemoryAvailable: obsWith("100Mi", "1000Mi"), SignalNodeFsAvailable: obsWith("400Gi", "1000Gi")}, pct[:1]},
		"MemoryMetWithMinReclaim":    {true, pct, Observations{SignalMemoryAvailable: obsWith("225Mi", "1000Mi")}, pct[:1]},
		"MemoryNotMetWithMinReclaim": {true, pct, Observations{SignalMemoryAvailable: obsWith("300Mi", "1000Mi")}, nil},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			thresholdsEqual(t, c.want, thresholdsMet(c.thresholds, c.obs, c.enforceMinReclaim))
		})
	}
}

// helpers_test.go TestThresholdsUpdatedStats.
func TestThresholdsUpdatedStats(t *testing.T) {
	th := Threshold{Signal: SignalMemoryAvailable}
	at := func(d time.Duration) Observations {
		return Observations{SignalMemoryAvailable: {available: quantityMustParse("1"), time: d}}
	}
	cases := map[string]struct {
		obs, last Observations
		want      []Threshold
	}{
		"empty":               {Observations{}, Observations{}, nil},
		"no-time":             {Observations{SignalMemoryAvailable: {}}, Observations{}, []Threshold{th}},
		"no-last-observation": {at(time.Hour), Observations{}, []Threshold{th}},
		"time-machine":        {at(time.Hour), at(time.Hour + time.Minute), nil},
		"same-observation":    {at(time.Hour), at(time.Hour), nil},
		"new-observation":     {at(time.Hour + time.Minute), at(time.Hour), []Threshold{th}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ts := []Threshold{th}
			if name == "empty" {
				ts = nil
			}
			thresholdsEqual(t, c.want, thresholdsUpdatedStats(ts, c.obs, c.last))
		})
	}
}

// helpers_test.go TestThresholdsFirstObservedAt and TestThresholdsMetGracePeriod.
func TestThresholdsObservedAtAndGrace(t *testing.T) {
	now := 10 * time.Minute
	hard := Threshold{Signal: SignalMemoryAvailable, Value: ThresholdValue{Quantity: quantityMustParse("1Gi")}}
	soft := Threshold{Signal: SignalMemoryAvailable, Value: ThresholdValue{Quantity: quantityMustParse("2Gi")}, GracePeriod: time.Minute}

	first := thresholdsFirstObservedAt([]Threshold{hard}, observedAt{}, now)
	require.Equal(t, now, first.at[keyOf(hard)], "no-previous-observation")
	old := thresholdsFirstObservedAt([]Threshold{hard}, observedAt{at: map[thresholdKey]time.Duration{keyOf(hard): now - time.Minute}}, now)
	require.Equal(t, now-time.Minute, old.at[keyOf(hard)], "previous-observation")
	require.Empty(t, thresholdsFirstObservedAt(nil, old, now).at, "a threshold no longer met is forgotten")

	grace := func(t Threshold, at time.Duration) observedAt {
		return observedAt{order: []Threshold{t}, at: map[thresholdKey]time.Duration{keyOf(t): at}}
	}
	require.Empty(t, thresholdsMetGracePeriod(observedAt{}, now), "empty")
	thresholdsEqual(t, []Threshold{hard}, thresholdsMetGracePeriod(grace(hard, now), now))               // hard-threshold-met
	require.Empty(t, thresholdsMetGracePeriod(grace(soft, now), now), "soft-threshold-not-met")          // soft-threshold-not-met
	thresholdsEqual(t, []Threshold{soft}, thresholdsMetGracePeriod(grace(soft, now-2*time.Minute), now)) // soft-threshold-met
}

// helpers_test.go TestNodeConditions, TestNodeConditionsLastObservedAt,
// TestNodeConditionsObservedSince, TestHasNodeConditions.
func TestNodeConditionHelpers(t *testing.T) {
	require.Empty(t, nodeConditions(nil))
	require.Equal(t, []corev1.NodeConditionType{corev1.NodeMemoryPressure}, nodeConditions([]Threshold{{Signal: SignalMemoryAvailable}, {Signal: SignalAllocatableMemoryAvailable}}))
	require.Equal(t, []corev1.NodeConditionType{corev1.NodeDiskPressure, corev1.NodePIDPressure},
		nodeConditions([]Threshold{{Signal: SignalImageFsAvailable}, {Signal: SignalNodeFsInodesFree}, {Signal: SignalPIDAvailable}}))

	now := time.Hour
	old := now - time.Minute
	mp := corev1.NodeMemoryPressure
	require.Equal(t, map[corev1.NodeConditionType]time.Duration{mp: now}, nodeConditionsLastObservedAt([]corev1.NodeConditionType{mp}, nil, now), "no-previous-observation")
	require.Equal(t, map[corev1.NodeConditionType]time.Duration{mp: now}, nodeConditionsLastObservedAt([]corev1.NodeConditionType{mp}, map[corev1.NodeConditionType]time.Duration{mp: old}, now), "previous-observation")
	require.Equal(t, map[corev1.NodeConditionType]time.Duration{mp: old}, nodeConditionsLastObservedAt(nil, map[corev1.NodeConditionType]time.Duration{mp: old}, now), "old-observation")

	seen := map[corev1.NodeConditionType]time.Duration{mp: old}
	require.Equal(t, []corev1.NodeConditionType{mp}, nodeConditionsObservedSince(seen, 2*time.Minute, now), "in-period")
	require.Empty(t, nodeConditionsObservedSince(seen, 30*time.Second, now), "out-of-period")
	require.Empty(t, nodeConditionsObservedSince(seen, time.Minute, now), "a period of exactly the age has passed")

	require.True(t, hasNodeCondition([]corev1.NodeConditionType{corev1.NodeReady, corev1.NodeDiskPressure, mp}, mp))
	require.False(t, hasNodeCondition([]corev1.NodeConditionType{corev1.NodeReady, corev1.NodeDiskPressure}, mp))
}

// helpers_test.go TestParsePercentage and TestCompareThresholdValue.
func TestParsePercentageAndCompare(t *testing.T) {
	for in, want := range map[string]struct {
		err   bool
		value float32
	}{"blah": {err: true}, "25.5%": {value: 0.255}, "foo%": {err: true}, "12%345": {err: true}} {
		v, err := parsePercentage(in)
		require.Equal(t, want.err, err != nil, in)
		require.Equal(t, want.value, v, in)
	}
	n := func(v int64) ThresholdValue {
		return ThresholdValue{Quantity: resource.NewQuantity(v, resource.BinarySI)}
	}
	p := func(v float32) ThresholdValue { return ThresholdValue{Percentage: v} }
	for i, c := range []struct {
		a, b  ThresholdValue
		equal bool
	}{{n(123), n(123), true}, {n(123), n(456), false}, {n(123), p(0.1), false}, {p(0.1), p(0.1), true}, {p(0.2), p(0.1), false}} {
		require.Equal(t, c.equal, compareThresholdValue(c.a, c.b), "case %d", i)
		require.Equal(t, c.equal, compareThresholdValue(c.b, c.a), "case %d reversed", i)
	}
}

// helpers_test.go TestSortByEvictionPriority and TestGetReclaimableThreshold.
func TestSortByEvictionPriority(t *testing.T) {
	sigs := func(ts []Threshold) []Signal {
		out := make([]Signal, len(ts))
		for i, th := range ts {
			out[i] = th.Signal
		}
		return out
	}
	cases := map[string]struct{ in, want []Signal }{
		"empty threshold list":     {nil, []Signal{}},
		"memory first":             {[]Signal{SignalNodeFsAvailable, SignalPIDAvailable, SignalMemoryAvailable}, []Signal{SignalMemoryAvailable, SignalNodeFsAvailable, SignalPIDAvailable}},
		"allocatable memory first": {[]Signal{SignalNodeFsAvailable, SignalPIDAvailable, SignalAllocatableMemoryAvailable}, []Signal{SignalAllocatableMemoryAvailable, SignalNodeFsAvailable, SignalPIDAvailable}},
		// Both memory signals are "less" than each other: insertion sort
		// moves the later one ahead, as the kubelet's sort.Sort does.
		"both memory signals": {[]Signal{SignalMemoryAvailable, SignalAllocatableMemoryAvailable}, []Signal{SignalAllocatableMemoryAvailable, SignalMemoryAvailable}},
	}
	for name, c := range cases {
		ts := make([]Threshold, len(c.in))
		for i, s := range c.in {
			ts[i] = Threshold{Signal: s}
		}
		sortByEvictionPriority(ts)
		if diff := cmp.Diff(c.want, sigs(ts)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	got, res, ok := reclaimableThreshold([]Threshold{{Signal: "unknown"}, {Signal: SignalPIDAvailable}})
	require.True(t, ok)
	require.Equal(t, SignalPIDAvailable, got.Signal)
	require.Equal(t, ResourcePids, res)
	_, _, ok = reclaimableThreshold(nil)
	require.False(t, ok)
}

// GetThresholdQuantity truncates a share of the capacity to whole bytes;
// the share is a float32, so 15% is a little more than 0.15.
func TestQuantity(t *testing.T) {
	require.Equal(t, "3221225600", Quantity(ThresholdValue{Percentage: 0.15}, quantityMustParse("20Gi")).String())
	require.Equal(t, "100Mi", Quantity(ThresholdValue{Quantity: quantityMustParse("100Mi")}, quantityMustParse("1Gi")).String())
	require.Equal(t, "10%", ThresholdValue{Percentage: 0.1}.String())
}
