package engine_test

import (
	"fmt"
	"time"

	"github.com/podsim/podsim/engine"
)

// A kubelet-style loop: a timer that re-arms itself every second, beside a
// one-shot action. At the same instant, lower priorities run first, so the
// action (PriorityAction) sees the loop's work at 2s already done.
func Example() {
	e := engine.New(1)
	var relist *engine.Timer
	relist = e.NewTimer(engine.PriorityNormal, func() {
		fmt.Println(e.Now(), "relist")
		relist.ResetAfter(time.Second)
	})
	relist.Reset(0)
	e.At(2*time.Second, engine.PriorityAction, func() { fmt.Println(e.Now(), "action") })
	if err := e.RunUntil(3 * time.Second); err != nil {
		fmt.Println(err)
	}
	fmt.Println("stopped at", e.Now())
	// Output:
	// 0s relist
	// 1s relist
	// 2s relist
	// 2s action
	// 3s relist
	// stopped at 3s
}

// Named streams are independent: drawing from one does not move another.
func ExampleEngine_Stream() {
	a, b := engine.New(7), engine.New(7)
	a.Stream("uid").Uint64() // an extra draw in one stream only
	fmt.Println(a.Stream("kubelet/node-1/jitter").IntN(1000) == b.Stream("kubelet/node-1/jitter").IntN(1000))
	// Output: true
}
