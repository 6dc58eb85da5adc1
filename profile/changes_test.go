package profile

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Every switch of Profile has a row in Changes, and every row names a
// switch: a behaviour without a row would have no documented value per
// version, and a row without a switch would be read by nobody.
func TestEveryFieldHasARow(t *testing.T) {
	rows := map[string]bool{}
	for _, c := range Changes {
		require.False(t, rows[c.Field], "two rows for %s", c.Field)
		rows[c.Field] = true
		require.NotEmpty(t, c.Behaviour, c.Field)
		require.NotEmpty(t, c.Where, c.Field)
		require.Equal(t, FirstMinor, c.Steps[0].Since, "%s: the first step starts at 1.%d", c.Field, FirstMinor)
		for i := 1; i < len(c.Steps); i++ {
			require.Greater(t, c.Steps[i].Since, c.Steps[i-1].Since, "%s: steps in order", c.Field)
		}
	}
	for _, f := range LeafFields() {
		require.True(t, rows[f], "profile field %s has no row in profile.Changes: add one (changes.go) with the release that changed it, and a row in docs/versions.md", f)
	}
	p := &Profile{}
	require.NoError(t, apply(p, LastMinor))
}

// The package functions (lifecycle.RulesFor, workloadsFor, …) and the rows
// of Changes give the same value of every switch the functions set, for
// every version. (A switch the functions never set — zero in every version
// — lives in Changes alone.)
func TestRowsAgreeWithFunctions(t *testing.T) {
	byFunc := map[string]*Profile{}
	byRows := map[string]*Profile{}
	for _, v := range Supported {
		var err error
		byFunc[v], err = fromFunctions(v)
		require.NoError(t, err)
		byRows[v], err = For(v)
		require.NoError(t, err)
	}
	for _, field := range LeafFields() {
		set := false
		for _, v := range Supported {
			f, err := fieldOf(reflectValue(byFunc[v]), field)
			require.NoError(t, err)
			set = set || !f.IsZero()
		}
		if !set {
			continue
		}
		for _, v := range Supported {
			fn, _ := fieldOf(reflectValue(byFunc[v]), field)
			row, _ := fieldOf(reflectValue(byRows[v]), field)
			require.Equal(t, fn.Interface(), row.Interface(), "%s in %s: the package function and the row of Changes differ", field, v)
		}
	}
}

// Versions × rows: a few rows checked at the versions on either side of
// their change, from the release notes each names.
func TestRowsByVersion(t *testing.T) {
	tests := []struct {
		field string
		want  map[int]any
	}{
		{"CreatedEventColon", map[int]any{25: false, 32: false, 33: true, 37: true}},
		{"CrashLoopResetAfter", map[int]any{25: time.Duration(0), 31: time.Duration(0), 32: 600 * time.Second, 37: 600 * time.Second}},
		{"NodeMonitorGracePeriod", map[int]any{25: 40 * time.Second, 31: 40 * time.Second, 32: 50 * time.Second}},
		{"Lifecycle.PhaseInitPendingYieldsToStarted", map[int]any{28: false, 29: true, 30: true, 31: false, 37: false}},
		{"Disruption.FitErrorDoublePeriod", map[int]any{25: true, 29: true, 30: false}},
		{"Eviction.ImmediateGracePeriodSeconds", map[int]any{30: int64(0), 31: int64(1)}},
		{"SidecarContainers", map[int]any{28: false, 29: true}},
		{"CrashLoopRetryAtExpiry", map[int]any{25: false, 34: false, 35: true, 37: true}},
		{"ContainerEventsWithoutName", map[int]any{33: false, 34: false, 35: true}},
		{"ObservedGeneration", map[int]any{33: false, 34: true}},
		{"Gates.KubeletCrashLoopBackOffMax", map[int]any{31: GateAbsent, 32: GateOff, 34: GateOff, 35: GateOn}},
		{"Gates.ReduceDefaultCrashLoopBackOffDecay", map[int]any{32: GateAbsent, 33: GateOff, 37: GateOff}},
		{"APIFields.ContainerStopSignals", map[int]any{32: GateAbsent, 33: GateOff, 37: GateOff}},
		{"APIFields.UserNamespacesSupport", map[int]any{25: GateOff, 32: GateOff, 33: GateOn}},
		{"Workloads.DefaultPodReplacementPolicy", map[int]any{28: false, 29: true}},
	}
	for _, tc := range tests {
		for minor, want := range tc.want {
			t.Run(fmt.Sprintf("%s/1.%d", tc.field, minor), func(t *testing.T) {
				p, err := For(fmt.Sprintf("1.%d", minor))
				require.NoError(t, err)
				f, err := fieldOf(reflectValue(p), tc.field)
				require.NoError(t, err)
				require.Equal(t, want, f.Interface())
			})
		}
	}
}

func reflectValue(p *Profile) reflect.Value { return reflect.ValueOf(p).Elem() }
