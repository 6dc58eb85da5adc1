package scenarios_test

import (
	"reflect"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/scenarios"
	"github.com/podsim/podsim/trace"
)

// exact compares everything, unexported fields too, and times by their
// instant, monotonic reading and location; quantities by value and format,
// since printing one caches its string in it (resource.Quantity.String).
var exact = []cmp.Option{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmp.Comparer(func(a, b time.Time) bool { return a == b }),
	cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 && a.Format == b.Format }),
}

// A trace keeps each object as a delta against its version before and
// rebuilds it when read: every record of every scenario file, read back,
// is equal (exact: nil and empty differ, unexported fields count) to the record as the components added it.
func TestTraceRebuildsEveryRecord(t *testing.T) {
	ran, rebuilt := 0, 0
	for _, file := range elisionFiles(t) {
		s, err := scenarios.Load(file)
		if err != nil {
			continue // a manifest podsim does not run as is
		}
		t.Run(file, func(t *testing.T) {
			ran++
			c, err := s.Build(scenarios.Options{})
			require.NoError(t, err)
			tr := c.Trace()
			built := tr.Records()
			var added []trace.Record
			tr.Forward = trace.SinkFunc(func(r trace.Record) { added = append(added, r) })
			require.NoError(t, c.RunUntil(s.End(scenarios.Options{})))
			require.Equal(t, len(built)+len(added), tr.Len())
			all := append(built, added...)
			for i, r := range tr.All() {
				if diff := cmp.Diff(all[i], r, exact...); diff != "" {
					t.Fatalf("record %d (%s %s %s/%s at %v) differs as read back (-added +read):\n%s", i, r.Kind, r.Op, r.Namespace, r.Name, r.T, diff)
				}
				if r.Pod != nil && i >= len(built) && r.Pod != added[i-len(built)].Pod {
					rebuilt++
				}
			}
		})
	}
	require.GreaterOrEqual(t, ran, len(bundled(t)), "every bundled scenario ran")
	require.Greater(t, rebuilt, 500, "pods were rebuilt from deltas (else this test compares a thing with itself)")
	t.Logf("%d files, %d pod versions rebuilt from deltas", ran, rebuilt)
}
