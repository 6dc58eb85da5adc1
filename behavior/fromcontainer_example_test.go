package behavior_test

import (
	"fmt"

	"github.com/podsim/podsim/behavior"
)

// The container of the liveness example, read from its manifest: centos has
// no ENTRYPOINT, so the args are the command line, and /bin/sh as PID 1
// ignores SIGTERM.
func ExampleFromContainer() {
	spec, err := behavior.FromContainer("centos", nil,
		[]string{"/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec.Main)
	fmt.Println(spec.Stop == behavior.IgnoreStop(), spec.Userland)

	nginx, _ := behavior.FromContainer("nginx:1.25.2", nil, nil)
	fmt.Println(nginx.Main)

	_, err = behavior.FromContainer("centos", []string{"sh", "-c", "./app"}, nil)
	fmt.Println(err)
	// Output:
	// touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
	// true gnu
	// serve :80/ 200; while true; do sleep 3600; done
	// podsim cannot read the command "sh -c ./app": unknown command "./app"
}

func ExampleParseShell() {
	script, err := behavior.ParseShell("until nslookup myservice; do echo waiting; sleep 2; done")
	fmt.Println(script, err)

	_, err = behavior.ParseShell("curl -s localhost | grep ok")
	fmt.Println(err)
	// Output:
	// until nslookup myservice; do echo waiting; sleep 2; done <nil>
	// podsim cannot read the command "curl -s localhost | grep ok": unknown command "curl"
}
