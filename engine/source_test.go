package engine

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSourceDrawsWhatStreamDraws(t *testing.T) {
	for _, name := range []string{"a", "kubelet/n1/pod/u1/resync"} {
		e := New(42)
		r := e.Stream(name)
		src := e.Source(name)
		for range 5 {
			require.Equal(t, r.Float64(), Float64(&src), name)
		}
	}
}
