package stochastic_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/podsim/podsim/stochastic"
)

// Image pulls whose median is 2 s and whose slow tail reaches several
// seconds, drawn from a seeded source: the same seed always gives the same
// pulls.
func ExampleLogNormal() {
	pull := stochastic.LogNormal{Median: 2 * time.Second, Sigma: 0.4}
	if err := pull.Check(); err != nil {
		fmt.Println(err)
		return
	}
	src := rand.NewPCG(1, 2) // in a simulation: an engine stream
	for range 3 {
		fmt.Println(pull.Draw(src).Round(time.Millisecond))
	}
	fmt.Println(pull)
	// Output:
	// 2.328s
	// 2.061s
	// 2.167s
	// logNormal{median: 2s, sigma: 0.4}
}

// Check explains a parameter that makes no sense, in the words of a
// Kubernetes field error, so that a scenario file can put its path in front.
func ExampleUniform_Check() {
	fmt.Println(stochastic.Uniform{Min: 5 * time.Second, Max: 2 * time.Second}.Check())
	// Output: max: Invalid value: "2s": must be greater than min (5s)
}
