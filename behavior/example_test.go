package behavior_test

import (
	"fmt"
	"time"

	"github.com/podsim/podsim/behavior"
)

// The container of the classic liveness example: it creates /tmp/healthy,
// removes it after 30 s and sleeps. An exec probe running `cat /tmp/healthy`
// sees the file vanish.
func Example() {
	spec := behavior.Spec{
		Main: behavior.Script{
			behavior.Touch("/tmp/healthy"),
			behavior.Sleep(30 * time.Second),
			behavior.Remove("/tmp/healthy"),
			behavior.Sleep(600 * time.Second),
		},
		Stop:     behavior.IgnoreStop(), // /bin/sh as PID 1
		Userland: behavior.GNU,          // centos
	}
	run := spec.Start(0)
	probe := func(at time.Duration) {
		next, _ := run.Main.Advance(at, nil)
		p, _ := run.Container.Exec([]string{"cat", "/tmp/healthy"}, at)
		p.Advance(at, nil)
		code, _ := p.Exited()
		fmt.Printf("%v: cat exits %d %q (process next runs at %v)\n", at, code, p.Output(), next)
	}
	probe(0)
	probe(30 * time.Second)
	// Output:
	// 0s: cat exits 0 "" (process next runs at 30s)
	// 30s: cat exits 1 "cat: /tmp/healthy: No such file or directory\n" (process next runs at 10m30s)
}
