package sweep

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseSet(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Param
		wantErr string
	}{
		{in: "Pod/liveness:spec.containers[0].livenessProbe.periodSeconds=5,10,20",
			want: Param{Path: "Pod/liveness:spec.containers[0].livenessProbe.periodSeconds", Values: []string{"5", "10", "20"}}},
		{in: "environment.images[centos].startTime={uniform: {min: 0s, max: 5s}}, {constant: 1s}",
			want: Param{Path: "environment.images[centos].startTime", Values: []string{"{uniform: {min: 0s, max: 5s}}", "{constant: 1s}"}}},
		{in: `behaviors[web/app].script="sleep 1, then exit",'x,y'`,
			want: Param{Path: "behaviors[web/app].script", Values: []string{`"sleep 1, then exit"`, `'x,y'`}}},
		{in: "environment.images[nginx:1.25.2].pullTime.constant=1s",
			want: Param{Path: "environment.images[nginx:1.25.2].pullTime.constant", Values: []string{"1s"}}},
		{in: "periodSeconds", wantErr: `--set "periodSeconds": want PATH=VALUE[,VALUE…]`},
		{in: "=5", wantErr: `--set "=5": want PATH=VALUE[,VALUE…]`},
		{in: "a.b=1,,2", wantErr: `--set "a.b=1,,2": value 2 is empty`},
		{in: "a.b={x: 1", wantErr: `--set "a.b={x: 1": unbalanced quotes or brackets in the values`},
		{in: "a[.b=1", wantErr: `--set "a[.b=1": unclosed [ in "a[.b"`},
		{in: "Pod/web:=1", wantErr: `--set "Pod/web:=1": no field path`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSet(tc.in)
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// Points enumerate the grid with the first dimension slowest; runs go
// seed by seed within a point.
func TestPlanEnumeration(t *testing.T) {
	p := &Plan{Seeds: Seeds{First: 10, Count: 3}, Grid: []Param{
		{Path: "a", Values: []string{"1", "2"}},
		{Path: "b", Values: []string{"x", "y", "z"}},
	}}
	require.Equal(t, 6, p.Points())
	require.Equal(t, 18, p.Runs())
	var points [][]string
	for i := range p.Points() {
		points = append(points, p.Point(i))
	}
	require.Equal(t, [][]string{{"1", "x"}, {"1", "y"}, {"1", "z"}, {"2", "x"}, {"2", "y"}, {"2", "z"}}, points)
	point, seed := p.Run(7)
	require.Equal(t, 2, point)
	require.Equal(t, uint64(11), seed)
	require.Equal(t, uint64(12), p.Seeds.Last())
	require.Equal(t, 1, (&Plan{Seeds: Seeds{Count: 1}}).Points(), "no grid is one point")
}

func TestPlanCheck(t *testing.T) {
	require.NoError(t, (&Plan{Seeds: Seeds{First: 1, Count: 1000}}).Check())
	require.EqualError(t, (&Plan{Seeds: Seeds{First: 1, Count: 0}}).Check(), "seeds: 0: must be at least 1")
	require.EqualError(t, (&Plan{Seeds: Seeds{First: ^uint64(0), Count: 2}}).Check(), "seeds: 2 from 18446744073709551615 go past the largest seed")
	big := &Plan{Seeds: Seeds{First: 1, Count: 1000}, Grid: []Param{
		{Path: "a", Values: make([]string, 100)}, {Path: "b", Values: make([]string, 1000)},
	}}
	require.EqualError(t, big.Check(), "100000000 runs: a sweep runs at most 10000000")
}

func TestNameParams(t *testing.T) {
	grid := []Param{
		{Path: "Pod/a:spec.containers[0].livenessProbe.periodSeconds"},
		{Path: "Pod/b:spec.containers[0].livenessProbe.periodSeconds"},
		{Path: "Pod/a:spec.containers[0].livenessProbe.failureThreshold"},
		{Path: "environment.images[centos]"},
	}
	NameParams(grid)
	require.Equal(t, "Pod/a:spec.containers[0].livenessProbe.periodSeconds", grid[0].Name, "two dimensions would share a name")
	require.Equal(t, "Pod/b:spec.containers[0].livenessProbe.periodSeconds", grid[1].Name)
	require.Equal(t, "failureThreshold", grid[2].Name)
	require.Equal(t, "images", grid[3].Name, "the last key written plainly")
}

func TestShards(t *testing.T) {
	s, err := ParseShard("2/4")
	require.NoError(t, err)
	require.Equal(t, Shard{Index: 2, Count: 4}, s)
	require.Equal(t, "2/4", s.String())
	var mine []int
	for i := range 12 {
		if s.Has(i) {
			mine = append(mine, i)
		}
	}
	require.Equal(t, []int{2, 6, 10}, mine)
	require.True(t, Shard{}.Has(7), "the zero shard is the whole sweep")
	require.Equal(t, "", Shard{}.String())
	for _, bad := range []string{"4/4", "-1/4", "1/0", "1", "a/b", "1/4/2"} {
		_, err := ParseShard(bad)
		require.EqualError(t, err, `--shard "`+bad+`": want i/N with 0 ≤ i < N, such as 0/4`)
	}
}
