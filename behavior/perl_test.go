package behavior

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestPiString(t *testing.T) {
	require.Equal(t, "3.14159", piString(6))
	require.Equal(t, "3.1415926535897932384626433832795028841971693993751", piString(50))
	require.Len(t, piString(2000), 2001)
}

// The documentation's pi Job: compute, print, exit 0, in about 10 s.
func TestPerlBpi(t *testing.T) {
	for _, tc := range []struct {
		name    string
		command []string
		ok      bool
	}{
		{"the docs' command", []string{"perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"}, true},
		{"switches apart", []string{"perl", "-Mbignum=bpi", "-w", "-l", "-e", "print bpi(2000)"}, true},
		{"another program", []string{"perl", "-e", "print 1"}, false},
		{"no module", []string{"perl", "-wle", "print bpi(2000)"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := FromContainer("perl:5.34.0", tc.command, nil)
			if !tc.ok {
				require.ErrorContains(t, err, "podsim knows one perl program")
				return
			}
			require.NoError(t, err)
			require.Equal(t, Script{subprocess(Script{Sleep(10 * time.Second), Echo(piString(2000)), Exit(0)})}, spec.Main)
		})
	}
}
