package lifecycle

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// bracketed writes what fmt's %s of the list writes.
func TestBracketedIsFmtOfTheList(t *testing.T) {
	for _, names := range [][]string{{}, {"app"}, {"app", "sidecar"}, {"a b", "", "c"}} {
		require.Equal(t, fmt.Sprintf("%s", names), bracketed(names))
	}
}
