package sim_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/podsim/podsim/internal/seeds"
	"github.com/podsim/podsim/trace"
)

// A trace streamed as the run goes, keeping no record, is the same JSON
// Lines as the whole trace written at the end.
func TestTraceStreamsWithoutKeepingRecords(t *testing.T) {
	whole := func() []byte {
		s := seeds.Liveness(87)
		c, err := s.Build()
		require.NoError(t, err)
		require.NoError(t, c.RunUntil(s.Until))
		var b bytes.Buffer
		require.NoError(t, trace.WriteJSONL(&b, c.Trace(), c.Profile().Lifecycle))
		return b.Bytes()
	}()

	s := seeds.Liveness(87)
	c, err := s.Build()
	require.NoError(t, err)
	tr := c.Trace()
	tr.Header.Duration = s.Until // the header is written first: the planned duration
	var b bytes.Buffer
	stream, err := trace.NewJSONLStream(&b, tr.Header, c.Profile().Lifecycle)
	require.NoError(t, err)
	tr.StreamTo(stream)
	require.NoError(t, c.RunUntil(s.Until))
	require.NoError(t, stream.Err())
	require.Zero(t, tr.Len(), "no record kept")
	require.Equal(t, tr.Discarded, stream.Written())
	require.Equal(t, string(whole), b.String())
}
