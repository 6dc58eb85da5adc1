package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// The table the program prints. A probe that may fail once restarts the
// container soonest; each period more of threshold delays the restart by a
// period; the kill itself takes the 30 s grace period, as /bin/sh ignores
// SIGTERM.
func TestTable(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, run(&b))
	require.Equal(t, `PERIOD   THRESHOLD   FIRST FAILURE   FIRST RESTART   RESTARTS IN 5m
5s       1           35.04s          1m5.6s          4
5s       3           35.04s          1m15.6s         3
10s      3           40.04s          1m30.6s         3
10s      6           40.04s          2m0.6s          2
`, b.String())
}
