package behavior

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// idioms are the scripts of the acceptance list with the Script each runs.
var idioms = []struct {
	name   string
	script string
	want   Script
}{
	{"liveness seed", "touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600",
		Script{Touch("/tmp/healthy"), Sleep(30 * s), Remove("/tmp/healthy"), Sleep(600 * s)}},
	{"touch", "touch /tmp/healthy", Script{Touch("/tmp/healthy")}},
	{"touch several", "touch /a /b", Script{Group(Touch("/a"), Touch("/b"))}},
	{"touch from /bin", "/bin/touch /a", Script{Touch("/a")}},
	{"rm -f", "rm -f /a", Script{Remove("/a")}},
	{"rm -r", "rm -r /a", Script{And(FileExists("/a"), Remove("/a"))}},
	{"rm -rf", "rm -rf /a", Script{Remove("/a")}},
	{"rm -fr", "rm -fr /a", Script{Remove("/a")}},
	{"rm -f -r", "rm -f -r /a", Script{Remove("/a")}},
	{"rm -rf several", "rm -rf /a /b", Script{Group(Remove("/a"), Remove("/b"))}},
	{"rm fails on a missing file", "rm /a", Script{And(FileExists("/a"), Remove("/a"))}},
	{"rm --", "rm -f -- -a", Script{Remove("-a")}},
	{"sleep seconds", "sleep 30", Script{Sleep(30 * s)}},
	{"sleep fraction", "sleep 0.5", Script{Sleep(500 * time.Millisecond)}},
	{"sleep s", "sleep 3s", Script{Sleep(3 * s)}},
	{"sleep m", "sleep 2m", Script{Sleep(2 * time.Minute)}},
	{"sleep h", "sleep 1.5h", Script{Sleep(90 * time.Minute)}},
	{"sleep d", "sleep 1d", Script{Sleep(24 * time.Hour)}},
	{"sleep adds its arguments", "sleep 1m 30s", Script{Sleep(90 * s)}},
	{"sleep infinity", "sleep infinity", Script{Forever(Sleep(time.Hour))}},
	{"sleep a century", "sleep 9999999999", Script{Forever(Sleep(time.Hour))}},
	{"exit", "exit 3", Script{Exit(3)}},
	{"exit keeps 8 bits", "exit 300", Script{Exit(44)}},
	{"echo", "echo hello world", Script{Echo("hello world")}},
	{"echo nothing", "echo", Script{Echo("")}},
	{"echo quoted spaces", `echo "a  b"`, Script{Echo("a  b")}},
	{"echo > file", "echo ok > /tmp/ready", Script{WriteFile("/tmp/ready", "ok")}},
	{"echo >file", "echo ok >/tmp/ready", Script{WriteFile("/tmp/ready", "ok")}},
	{"echo >> file", "echo ok >> /tmp/log", Script{WriteFile("/tmp/log", "ok")}},
	{"redirection first", "> /tmp/ready echo ok", Script{WriteFile("/tmp/ready", "ok")}},
	{"echo > /dev/null", "echo ok > /dev/null", Script{True()}},
	{"echo > /dev/stderr", "echo ok > /dev/stderr", Script{Echo("ok")}},
	{"true", "true", Script{True()}},
	{"false", "false", Script{False()}},
	{"colon", ":", Script{True()}},
	{"colon ignores its arguments", ": keep going", Script{True()}},
	{"semicolons", "true; false", Script{True(), False()}},
	{"newlines", "touch /a\n\nsleep 1\n", Script{Touch("/a"), Sleep(s)}},
	{"and", "test -f /a && echo yes", Script{And(FileExists("/a"), Echo("yes"))}},
	{"or", "cat /a || exit 1", Script{Or(Cat("/a"), Exit(1))}},
	{"and-or binds from the left", "true && false || exit 2", Script{Or(And(True(), False()), Exit(2))}},
	{"newline after &&", "true &&\n  exit 1", Script{And(True(), Exit(1))}},
	{"while true", "while true; do echo hello; sleep 10;done",
		Script{Forever(Echo("hello"), Sleep(10*s))}},
	{"while :", "while :; do sleep 1; done", Script{Forever(Sleep(s))}},
	{"until false", "until false; do sleep 1; done", Script{Forever(Sleep(s))}},
	{"until", "until nslookup myservice.default.svc.cluster.local; do echo waiting for myservice; sleep 2; done",
		Script{Until(Resolve("myservice.default.svc.cluster.local"), Echo("waiting for myservice"), Sleep(2*s))}},
	{"while", "while test -f /tmp/lock; do sleep 1; done", Script{While(FileExists("/tmp/lock"), Sleep(s))}},
	{"while on lines", "while [ -e /tmp/lock ]\ndo\n  sleep 1\ndone", Script{While(FileExists("/tmp/lock"), Sleep(s))}},
	{"condition of two commands", "until touch /a; ls /b; do sleep 1; done",
		Script{Until(Group(Touch("/a"), Ls("/b")), Sleep(s))}},
	{"busy loop parses", "while true; do echo spin; done", Script{Forever(Echo("spin"))}},
	{"nested loops", "while true; do until cat /a; do sleep 1; done; rm -f /a; done",
		Script{Forever(Until(Cat("/a"), Sleep(s)), Remove("/a"))}},
	{"nslookup", "nslookup kubernetes.default", Script{Resolve("kubernetes.default")}},
	{"the namespace file", "nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local",
		Script{Resolve("mydb." + NamespaceSubstitution + ".svc.cluster.local")}},
	{"the namespace file quoted", `nslookup "mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"`,
		Script{Resolve("mydb." + NamespaceSubstitution)}},
	{"cat", "cat /tmp/healthy", Script{Cat("/tmp/healthy")}},
	{"env prints and succeeds", "env; sleep 3600", Script{True(), Sleep(3600 * s)}},
	{"date with a format", "date +%s", Script{True()}},
	{"hostname from /bin", "/bin/hostname", Script{True()}},
	{"test -f", "test -f /a", Script{FileExists("/a")}},
	{"test -e", "test -e /a", Script{FileExists("/a")}},
	{"[ -f ]", "[ -f /a ]", Script{FileExists("/a")}},
	{"[ -e ]", "[ -e /a ]", Script{FileExists("/a")}},
	{"ls", "ls /a", Script{Ls("/a")}},
	{"group", "{ touch /a; sleep 1; }", Script{Group(Touch("/a"), Sleep(s))}},
	{"group in and-or", "cat /a || { echo missing; exit 1; }",
		Script{Or(Cat("/a"), Group(Echo("missing"), Exit(1)))}},
	{"closer after done", "{ while true; do sleep 1; done }", Script{Group(Forever(Sleep(s)))}},
	{"single quotes", `echo 'a "b" $c \d'`, Script{Echo(`a "b" $c \d`)}},
	{"double quotes", `echo "a \"b\" \$c \d 'e'"`, Script{Echo(`a "b" $c \d 'e'`)}},
	{"backslash", `echo a\ b\$`, Script{Echo("a b$")}},
	{"continuation", "touch \\\n  /a", Script{Touch("/a")}},
	{"continuation in double quotes", "echo \"a\\\nb\"", Script{Echo("ab")}},
	{"comment lines", "# start\ntouch /a # create it\n  # done", Script{Touch("/a")}},
	{"hash inside a word", "echo a#b", Script{Echo("a#b")}},
	{"lone dollar", "echo $ a$", Script{Echo("$ a$")}},
	{"empty", "", nil},
	{"blank and comments", "  \n# nothing\n", nil},
}

func TestParseShellIdioms(t *testing.T) {
	for _, tc := range idioms {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseShell(tc.script)
			require.NoError(t, err)
			require.Equal(t, tc.want.String(), got.String())
			require.Equal(t, tc.want, got)
		})
	}
}

func TestParseShellRuns(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		files    []string
		env      fakeEnv
		wantCode int // -1: still running at 1 h
		wantAt   time.Duration
		wantOut  string
		wantFile string // a file that must exist at the end, with its content
		content  string
	}{
		{"last status", "true; false", nil, nil, 1, 0, "", "", ""},
		{"and-or", "test -f /a && exit 3 || exit 4", nil, nil, 4, 0, "", "", ""},
		{"and-or with the file", "test -f /a && exit 3 || exit 4", []string{"/a"}, nil, 3, 0, "", "", ""},
		{"rm of a missing file fails", "rm /a", nil, nil, 1, 0, "", "", ""},
		{"rm -f of a missing file succeeds", "rm -f /a", nil, nil, 0, 0, "", "", ""},
		{"rm of a present file", "rm /a && test -e /a", []string{"/a"}, nil, 1, 0, "", "", ""},
		{"sleeps add up", "sleep 1; sleep 0.5; exit 2", nil, nil, 2, 1500 * time.Millisecond, "", "", ""},
		{"until waits for the service", "until nslookup svc; do echo waiting; sleep 2; done", nil, fakeEnv{}, -1, 0, "", "", ""},
		{"until ends when it resolves", "until nslookup svc; do sleep 2; done; echo up", nil, fakeEnv{"svc": true}, 0, 0, "up\n", "", ""},
		{"sleep infinity", "sleep infinity", nil, nil, -1, 0, "", "", ""},
		{"echo to a file", "echo ready > /tmp/r", nil, nil, 0, 0, "", "/tmp/r", "ready\n"},
		{"echo >> keeps the last line", "echo a >> /log; echo b >> /log", nil, nil, 0, 0, "", "/log", "b\n"},
		{"group status", "cat /a || { echo missing; exit 7; }", nil, nil, 7, 0, "cat: /a: No such file or directory\nmissing\n", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			script, err := ParseShell(tc.script)
			require.NoError(t, err)
			inst := (&Spec{Main: script, Files: tc.files}).Start(0)
			now := time.Duration(0)
			for now < time.Hour {
				next, err := inst.Main.Advance(now, tc.env)
				require.NoError(t, err)
				if next == Never {
					break
				}
				now = next
			}
			code, exited := inst.Main.Exited()
			if tc.wantCode < 0 {
				require.False(t, exited, "must still be running")
				return
			}
			require.True(t, exited)
			require.Equal(t, tc.wantCode, code)
			require.Equal(t, tc.wantAt, now)
			require.Equal(t, tc.wantOut, inst.Main.Output())
			if tc.wantFile != "" {
				require.Equal(t, tc.content, func() string { c, _ := inst.Container.files.get(tc.wantFile); return c }())
			}
		})
	}
}

func TestParseShellBusyLoopFailsAtRunTime(t *testing.T) {
	script, err := ParseShell("while true; do echo spin; done")
	require.NoError(t, err)
	_, err = (&Spec{Main: script}).Start(0).Main.Advance(0, nil)
	require.ErrorIs(t, err, ErrBusyLoop)
}

// shellErrors are scripts podsim refuses, with the exact message of each.
var shellErrors = []struct {
	script string
	reason string
}{
	// operators
	{"ls /a | grep a", `unknown command "grep"`},
	{"ls /a |& grep a", `pipes of standard error are not supported: "|&"`},
	{"case x in a) ;; esac", `case statements are not supported: "case"`},
	{"echo a;; echo b", `case statements are not supported: ";;"`},
	{"(sleep 1)", `subshells are not supported: "("`},
	{"echo )", `syntax error: unexpected ")"`},
	{"((n=1))", `arithmetic commands are not supported: "(("`},
	// redirections
	{"cat /a 2>&1", `redirections other than echo's > and >> are not supported: "2>&1"`},
	{"cat /a 2>/dev/null", `redirections other than echo's > and >> are not supported: "2>/dev/null"`},
	{"echo a >&2", `redirections other than echo's > and >> are not supported: ">&2"`},
	{"echo a &> /f", `redirections other than echo's > and >> are not supported: "&>"`},
	{"echo a >| /f", `redirections other than echo's > and >> are not supported: ">|"`},
	{"cat < /a", `redirections other than echo's > and >> are not supported: "<"`},
	{"cat <<EOF", `redirections other than echo's > and >> are not supported: "<<EOF"`},
	{"cat /a > /b", `redirections are supported only on echo: "cat /a > /b"`},
	{"while true; do sleep 1; done > /f", `redirections are supported only on echo: ">"`},
	{"> /f", `a redirection without a command is not supported: "> /f"`},
	{"echo a > /f > /g", `more than one redirection is not supported: ">"`},
	{"echo a >", `syntax error: unexpected end of script after ">"`},
	{"echo a > ; true", `syntax error: unexpected ";" after ">"`},
	// expansions
	{"echo $HOME", `variables are not supported: "$HOME"`},
	{`echo "$HOME"`, `variables are not supported: "$HOME"`},
	{"echo ${HOME:-/}", `variables are not supported: "${HOME:-/}"`},
	{"exit $1", `variables are not supported: "$1"`},
	{"exit $?", `variables are not supported: "$?"`},
	{"echo $(date)", `command substitution is not supported: "$(date)"`},
	{`echo "$(cat /a)"`, `command substitution is not supported: "$(cat /a)"`},
	{"echo $((1+2))", `arithmetic expansion is not supported: "$((1+2))"`},
	{"echo `date`", "command substitution is not supported: \"`date`\""},
	{"echo \"`date`\"", "command substitution is not supported: \"`date`\""},
	{"echo $'a\\n'", `$'…' quoting is not supported: "$'a\\n'"`},
	{"cat ~/a", `tilde expansion is not supported: "~/a"`},
	{"rm -rf /tmp/*", `glob patterns are not supported: "/tmp/*"`},
	{"cat /a?", `glob patterns are not supported: "/a?"`},
	{"cat /a[12]", `glob patterns are not supported: "/a[12]"`},
	{"A=1 sleep 1", `variable assignments are not supported: "A=1"`},
	{"echo $ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ", `variables are not supported: "$ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLM…"`},
	// constructs
	{"if true; then sleep 1; fi", `if statements are not supported: "if"`},
	{"for i in 1 2; do sleep 1; done", `for loops are not supported: "for"`},
	{"select x in a; do :; done", `select loops are not supported: "select"`},
	{"function f { :; }", `function definitions are not supported: "function"`},
	{"f() { :; }", `function definitions are not supported: "f()"`},
	{"! true", `negation is not supported: "!"`},
	{"[[ -f /a ]]", `[[ … ]] tests are not supported: "[["`},
	{"time sleep 1", `the time keyword is not supported: "time"`},
	{"coproc sleep 1", `coprocesses are not supported: "coproc"`},
	// syntax
	{"; true", `syntax error: unexpected ";"`},
	{"true;; ", `case statements are not supported: ";;"`},
	{"true; ; true", `syntax error: unexpected ";"`},
	{"&& true", `syntax error: unexpected "&&"`},
	{"true &&", `syntax error: unexpected end of script after "&&"`},
	{"true ||\n", `syntax error: unexpected end of script after "||"`},
	{"done", `syntax error: unexpected "done"`},
	{"echo 'a", `syntax error: unterminated single quote`},
	{`echo "a`, `syntax error: unterminated double quote`},
	{"{ true;", `syntax error: unexpected end of script, expected "}"`},
	{"{ true }", `syntax error: unexpected end of script, expected "}"`},
	{"{ }", `syntax error: unexpected "}"`},
	{"while true; do sleep 1", `syntax error: unexpected end of script, expected "done"`},
	{"while true", `syntax error: unexpected end of script, expected "do"`},
	{"while do sleep 1; done", `syntax error: unexpected "do"`},
	{"while true; do done", `syntax error: unexpected "done"`},
	{"while true; do sleep 1; } ", `syntax error: unexpected "}"`},
	{"{ true; } echo", `syntax error: unexpected "echo"`},
	{"then", `syntax error: unexpected "then"`},
	{strings.Repeat("{ ", 65) + "true;" + strings.Repeat(" }", 65), `groups and loops nested more than 64 deep are not supported`},
	// commands
	{"exec sleep 600", `the shell builtin "exec" is not supported: it replaces the shell with another program`},
	{"cd /tmp", `the shell builtin "cd" is not supported`},
	{"python app.py", `"python app.py" is not supported: podsim cannot tell what a Python program does, except python -m http.server; describe it in the Scenario's behaviors`},
	{"unknownprog 1", `unknown command "unknownprog"`},
	{"env sleep 1", `"env sleep 1" is not supported: podsim reads env with no arguments`},
	{"./sleep 1", `unknown command "./sleep"`},
	{"'while' true", `unknown command "while"`},
	{"sh -c 'sleep 1'", `a shell inside the script is not supported: "sh -c sleep 1"`},
	{"exit -1", `"exit -1" is not supported: podsim reads exit N`},
	{"exit x", `"exit x" is not supported: podsim reads exit N`},
	{"exit 1 2", `"exit 1 2" is not supported: podsim reads exit N`},
	{"sleep", `"sleep" is not supported: podsim reads sleep N[s|m|h|d]… or sleep infinity`},
	{"sleep abc", `"sleep abc" is not supported: podsim reads sleep N[s|m|h|d]… or sleep infinity`},
	{"sleep -1", `"sleep -1" is not supported: podsim reads sleep N[s|m|h|d]… or sleep infinity`},
	{"sleep 0x10", `"sleep 0x10" is not supported: podsim reads sleep N[s|m|h|d]… or sleep infinity`},
	{"sleep nan", `"sleep nan" is not supported: podsim reads sleep N[s|m|h|d]… or sleep infinity`},
	{"sleep 10x", `"sleep 10x" is not supported: podsim reads sleep N[s|m|h|d]… or sleep infinity`},
	{"touch", `"touch" is not supported: podsim reads touch FILE…`},
	{"touch -c /a", `"touch -c /a" is not supported: podsim reads touch FILE…`},
	{"rm", `"rm" is not supported: podsim reads rm [-f] [-r] FILE… (several files only with -f)`},
	{"rm -i /a", `"rm -i /a" is not supported: podsim reads rm [-f] [-r] FILE… (several files only with -f)`},
	{"rm /a /b", `"rm /a /b" is not supported: podsim reads rm [-f] [-r] FILE… (several files only with -f)`},
	{"cat", `"cat" is not supported: podsim reads cat FILE`},
	{"cat /a /b", `"cat /a /b" is not supported: podsim reads cat FILE`},
	{"cat -n /a", `"cat -n /a" is not supported: podsim reads cat FILE`},
	{"ls -l /a", `"ls -l /a" is not supported: podsim reads ls FILE`},
	{"test -d /a", `"test -d /a" is not supported: podsim reads test -e FILE or test -f FILE`},
	{"[ -f /a", `"[ -f /a" is not supported: podsim reads [ -e FILE ] or [ -f FILE ]`},
	{"nslookup", `"nslookup" is not supported: podsim reads nslookup NAME`},
	{"nslookup a 10.0.0.10", `"nslookup a 10.0.0.10" is not supported: podsim reads nslookup NAME`},
}

func TestParseShellErrors(t *testing.T) {
	for _, tc := range shellErrors {
		t.Run(tc.script, func(t *testing.T) {
			s, err := ParseShell(tc.script)
			require.Nil(t, s)
			var ce *CommandError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tc.script, ce.Command)
			require.Equal(t, tc.reason, ce.Reason)
			require.Equal(t, fmt.Sprintf("podsim cannot read the command %q: %s", tc.script, tc.reason), err.Error())
		})
	}
}

func TestCommandErrorWithoutCommand(t *testing.T) {
	err := &CommandError{Reason: "no command"}
	require.Equal(t, "podsim cannot tell what the container runs: no command", err.Error())
}

func TestExecShell(t *testing.T) {
	tests := []struct {
		name     string
		userland Userland
		files    []string
		commands map[string]Script
		argv     []string
		wantCode int
		wantOut  string
	}{
		{"gnu cat in sh -c", GNU, nil, nil, []string{"sh", "-c", "cat /tmp/healthy"}, 1, "cat: /tmp/healthy: No such file or directory\n"},
		{"busybox cat in /bin/sh -c", BusyBox, nil, nil, []string{"/bin/sh", "-c", "cat /tmp/healthy"}, 1, "cat: can't open '/tmp/healthy': No such file or directory\n"},
		{"bash -c with and", GNU, []string{"/ready"}, nil, []string{"bash", "-c", "test -f /ready && echo ok"}, 0, "ok\n"},
		{"ash -c exit", BusyBox, nil, nil, []string{"ash", "-c", "exit 3", "name", "arg"}, 3, ""},
		{"dash -c or", GNU, nil, nil, []string{"/usr/bin/dash", "-c", "ls /a || exit 0"}, 0, "ls: cannot access '/a': No such file or directory\n"},
		{"sh alone exits 0", GNU, nil, nil, []string{"sh"}, 0, ""},
		{"a script calls a Command", GNU, nil, map[string]Script{"/healthz.sh": {Echo("fine"), Exit(0)}},
			[]string{"sh", "-c", "/healthz.sh && echo done"}, 0, "fine\ndone\n"},
		{"a Command's exit is its status, not the shell's", GNU, nil, map[string]Script{"/check": {Exit(3), Echo("never")}},
			[]string{"sh", "-c", "/check || /check; echo status kept; false || /check"}, 3, "status kept\n"},
		{"a Command without an exit", GNU, nil, map[string]Script{"/quiet": {}},
			[]string{"sh", "-c", "/quiet && exit 4"}, 4, ""},
		{"a Command by its whole line wins", GNU, nil, map[string]Script{"sh -c curl localhost": {Exit(0)}},
			[]string{"sh", "-c", "curl localhost"}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := (&Spec{Userland: tc.userland, Files: tc.files, Commands: tc.commands}).Start(0).Container
			p, err := c.Exec(tc.argv, 0)
			require.NoError(t, err)
			next, err := p.Advance(0, nil)
			require.NoError(t, err)
			require.Equal(t, Never, next)
			code, exited := p.Exited()
			require.True(t, exited)
			require.Equal(t, tc.wantCode, code)
			require.Equal(t, tc.wantOut, p.Output())
		})
	}
}

func TestExecShellErrors(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"sh", "-c", "curl -f localhost | grep ok"},
			`podsim cannot read the command "sh -c 'curl -f localhost | grep ok'": unknown command "curl"; describe what it does as a command of the container's behaviour`},
		{[]string{"/bin/sh", "-c", "curl localhost"},
			`podsim cannot read the command "/bin/sh -c 'curl localhost'": unknown command "curl"; describe what it does as a command of the container's behaviour`},
		{[]string{"sh", "-ec", "true"},
			`podsim cannot read the command "sh -ec true": the shell option "-ec" is not supported: podsim reads sh -c SCRIPT; describe what it does as a command of the container's behaviour`},
		{[]string{"bash", "/probe.sh"},
			`podsim cannot read the command "bash /probe.sh": running a script file is not supported: "/probe.sh"; describe what it does as a command of the container's behaviour`},
		{[]string{"sh", "-c"},
			`podsim cannot read the command "sh -c": sh -c needs a script; describe what it does as a command of the container's behaviour`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.argv, " "), func(t *testing.T) {
			_, err := (&Spec{}).Start(0).Container.Exec(tc.argv, 0)
			var ce *CommandError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tc.want, err.Error())
		})
	}
}

// FuzzParseShell checks that no script makes the reader panic, that every
// failure is a *CommandError naming the script, and that every script it
// accepts compiles and runs.
func FuzzParseShell(f *testing.F) {
	for _, tc := range idioms {
		f.Add(tc.script)
	}
	for _, tc := range shellErrors {
		f.Add(tc.script)
	}
	f.Fuzz(func(t *testing.T, script string) {
		got, err := ParseShell(script)
		if err != nil {
			var ce *CommandError
			if !errors.As(err, &ce) || ce.Command != script || ce.Reason == "" {
				t.Fatalf("ParseShell(%q): error %v (%T) is not a CommandError naming the script", script, err, err)
			}
			return
		}
		again, err := ParseShell(script)
		if err != nil || again.String() != got.String() {
			t.Fatalf("ParseShell(%q) is not deterministic", script)
		}
		inst := (&Spec{Main: got}).Start(0)
		now := time.Duration(0)
		for range 50 {
			next, err := inst.Main.Advance(now, fakeEnv{"a": true})
			if err != nil {
				if !errors.Is(err, ErrBusyLoop) {
					t.Fatalf("running %q: %v", script, err)
				}
				return
			}
			if next == Never {
				return
			}
			if next < now {
				t.Fatalf("running %q: time went back from %v to %v", script, now, next)
			}
			now = next
		}
	})
}
