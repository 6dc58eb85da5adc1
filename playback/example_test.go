package playback_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/podsim/podsim/playback"
)

// Two rows of a watch played at a million times real time (so the example
// finishes at once): each is flushed on its own through kubectl's tab
// writer, which widens the STATUS column when ContainerCreating arrives and
// keeps it wide.
func ExamplePlay() {
	table := playback.Table{
		Header: []string{"NAME", "READY", "STATUS", "RESTARTS", "AGE"},
		Rows: []playback.Row{
			{At: 0, Cells: []string{"web", "0/1", "Pending", "0", "0s"}},
			{At: 40 * time.Millisecond, Cells: []string{"web", "0/1", "ContainerCreating", "0", "0s"}},
			{At: 3 * time.Second, Cells: []string{"web", "1/1", "Running", "0", "3s"}},
		},
	}
	err := playback.Play(context.Background(), os.Stdout, table, playback.Options{Speed: 1e6, End: time.Minute, Clock: clock.New()})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// NAME   READY   STATUS    RESTARTS   AGE
	// web    0/1     Pending   0          0s
	// web    0/1     ContainerCreating   0          0s
	// web    1/1     Running             0          3s
}
