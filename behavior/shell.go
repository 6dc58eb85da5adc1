package behavior

import (
	"errors"
	"fmt"
	"strings"
)

// CommandError is returned when a command line cannot be read: a script
// uses a construct podsim does not model, a command it does not know, or a
// container whose image and command leave what it runs unknown. podsim
// never guesses what such a command does, because a guess would make the
// simulation tell a wrong story with confidence.
//
// Error explains what was not understood and quotes it; callers wrap it with
// the container's name and a hint on how to describe the behaviour instead.
type CommandError struct {
	// Command is the command line or script that could not be read, as the
	// shell would show it; empty when there is no command (an unknown image
	// run without one).
	Command string
	// Reason says what was not understood, quoting the word or construct.
	Reason string
}

func (e *CommandError) Error() string {
	if e.Command == "" {
		return "podsim cannot tell what the container runs: " + e.Reason
	}
	return fmt.Sprintf("podsim cannot read the command %q: %s", e.Command, e.Reason)
}

// failf makes a CommandError whose Command the outermost reader fills in.
func failf(format string, args ...any) *CommandError {
	return &CommandError{Reason: fmt.Sprintf(format, args...)}
}

// withCommand sets the command line of a CommandError that has none yet.
func withCommand(err error, command string) error {
	var ce *CommandError
	if errors.As(err, &ce) && ce.Command == "" {
		ce.Command = command
	}
	return err
}

// ParseShell reads a shell script made of the idioms podsim understands and
// returns the Script it runs. An empty script (or one of comments only)
// yields an empty Script, which exits 0 at once as sh does given an
// empty script.
//
// The idioms are those Kubernetes documentation and blog posts put in a
// container's command: touch, rm [-f|-r|-rf], sleep (seconds, fractions,
// s/m/h/d suffixes, infinity), exit N, echo … [> FILE | >> FILE], true,
// false, :, cat, ls, test -e|-f, [ -e|-f … ], nslookup; lists with ;,
// newlines, && and ||; while/until loops; { …; } groups; single and double
// quotes, backslashes, continuation lines and # comments. Anything else —
// pipes, background jobs, variables, command substitution, globs, other
// redirections, if/for/case, functions, trap, exec, unknown commands — is a
// *CommandError that quotes it.
func ParseShell(script string) (Script, error) {
	s, err := parseShell(script, nil)
	return s, withCommand(err, script)
}

// ParseShellWith is ParseShell for a script that may also run the given
// programs, such as a Spec's Commands, found as a container finds them: by
// the whole command line, else by the program ("/app/migrate").
func ParseShellWith(script string, commands map[string]Script) (Script, error) {
	lookup := func(argv []string) (Script, bool, error) {
		if s, ok := commands[strings.Join(argv, " ")]; ok {
			return s, true, nil
		}
		s, ok := commands[argv[0]]
		return s, ok, nil
	}
	s, err := parseShell(script, lookup)
	return s, withCommand(err, script)
}

// lookupFunc finds a program that is not built in — a command a Spec
// describes, the server of an image — by its argument vector.
type lookupFunc func(argv []string) (s Script, ok bool, err error)

// maxDepth bounds the nesting of groups and loops, so that a hostile
// script cannot exhaust the stack.
const maxDepth = 64

type parser struct {
	lx     lexer
	tok    token
	depth  int
	lookup lookupFunc
}

func parseShell(script string, lookup lookupFunc) (Script, error) {
	p := &parser{lx: lexer{src: script}, lookup: lookup}
	if err := p.advance(); err != nil {
		return nil, err
	}
	s, err := p.list("")
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.unexpected()
	}
	if len(s) == 0 {
		return nil, nil
	}
	return s, nil
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	p.tok = t
	return err
}

func (p *parser) unexpected() error {
	return failf("syntax error: unexpected %s", p.tok.describe())
}

// reserved reports whether the current token is the reserved word w: an
// unquoted word, as sh recognises reserved words only where a command starts.
func (p *parser) reserved(w string) bool {
	return p.tok.kind == tokWord && !p.tok.quoted && p.tok.text == w
}

// closers are the reserved words that end a list.
var closers = []string{"do", "done", "}", "then", "elif", "else", "fi", "esac"}

func (p *parser) atCloser() bool {
	for _, w := range closers {
		if p.reserved(w) {
			return true
		}
	}
	return false
}

// list reads commands separated by ; and newlines up to the reserved word
// end (which it leaves for the caller), or to the end of the script when
// end is "".
func (p *parser) list(end string) (Script, error) {
	var out Script
	for {
		for p.tok.kind == tokNewline {
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		switch {
		case p.tok.kind == tokEOF && end == "":
			return out, nil
		case p.tok.kind == tokEOF:
			return nil, failf("syntax error: unexpected end of script, expected %q", end)
		case p.atCloser() && p.tok.text == end:
			return out, nil
		case p.atCloser():
			return nil, p.unexpected()
		}
		st, err := p.andOr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind == tokAmp {
			// CMD &: a background job (shell_jobs.go), then the list goes on.
			if st, err = background(st); err != nil {
				return nil, err
			}
			p.tok.kind = tokSemi
		}
		out = append(out, st)
		switch p.tok.kind {
		case tokSemi, tokNewline:
			if err := p.advance(); err != nil {
				return nil, err
			}
		case tokEOF:
		case tokGreat, tokDGreat:
			return nil, failf("redirections are supported only on echo: %q", p.tok.raw)
		default:
			// `{ …; done }`: a closer may follow a compound command directly.
			if !p.atCloser() {
				return nil, p.unexpected()
			}
		}
	}
}

// andOr reads commands joined by && and ||, which bind equally and from
// the left: a && b || c is (a && b) || c.
func (p *parser) andOr() (Stmt, error) {
	left, err := p.pipeline()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tokAnd || p.tok.kind == tokOr {
		and, op := p.tok.kind == tokAnd, p.tok.raw
		if err := p.advance(); err != nil {
			return nil, err
		}
		for p.tok.kind == tokNewline { // a line may end after && or ||
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		if p.tok.kind == tokEOF {
			return nil, failf("syntax error: unexpected end of script after %q", op)
		}
		right, err := p.pipeline()
		if err != nil {
			return nil, err
		}
		if and {
			left = And(left, right)
		} else {
			left = Or(left, right)
		}
	}
	return left, nil
}

// pipeline reads commands joined by |. podsim runs them one after the
// other, the data between them unmodelled: the pipeline ends when its last
// command does, with its status, and a command that never ends (tail -F)
// holds the pipeline forever, as it does in sh (see Fidelity notes).
func (p *parser) pipeline() (Stmt, error) {
	first, err := p.command()
	if err != nil {
		return nil, err
	}
	stages := Script{first}
	for p.tok.kind == tokPipe {
		if err := p.advance(); err != nil {
			return nil, err
		}
		for p.tok.kind == tokNewline { // a line may end after |
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		if p.tok.kind == tokEOF {
			return nil, failf("syntax error: unexpected end of script after %q", "|")
		}
		next, err := p.command()
		if err != nil {
			return nil, err
		}
		stages = append(stages, next)
	}
	if len(stages) == 1 {
		return first, nil
	}
	return Group(stages...), nil
}

// unsupportedWords are the reserved words and keywords of constructs podsim
// does not model, with what to call them in the error.
var unsupportedWords = map[string]string{
	"if":       "if statements are",
	"for":      "for loops are",
	"case":     "case statements are",
	"select":   "select loops are",
	"function": "function definitions are",
	"!":        "negation is",
	"[[":       "[[ … ]] tests are",
	"time":     "the time keyword is",
	"coproc":   "coprocesses are",
}

func (p *parser) command() (Stmt, error) {
	switch p.tok.kind {
	case tokWord:
		if p.tok.quoted {
			break
		}
		switch w := p.tok.text; w {
		case "{":
			return p.group()
		case "while", "until":
			return p.loop()
		default:
			if what, ok := unsupportedWords[w]; ok {
				return nil, failf("%s not supported: %q", what, w)
			}
		}
	case tokGreat, tokDGreat:
	case tokLParen:
		return nil, failf("subshells are not supported: %q", "(")
	default:
		return nil, p.unexpected()
	}
	return p.simple()
}

func (p *parser) enter() error {
	if p.depth++; p.depth > maxDepth {
		return failf("groups and loops nested more than %d deep are not supported", maxDepth)
	}
	return p.advance()
}

// group reads { list; }.
func (p *parser) group() (Stmt, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	body, err := p.list("}")
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return nil, p.unexpected()
	}
	p.depth--
	return Group(body...), p.advance()
}

// loop reads while|until list; do list; done. `while true` and `until
// false` are Forever, the loop of a container that runs until killed.
func (p *parser) loop() (Stmt, error) {
	until := p.tok.text == "until"
	if err := p.enter(); err != nil {
		return nil, err
	}
	cond, err := p.list("do")
	if err != nil {
		return nil, err
	}
	if len(cond) == 0 {
		return nil, p.unexpected()
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	body, err := p.list("done")
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return nil, p.unexpected()
	}
	p.depth--
	if err := p.advance(); err != nil {
		return nil, err
	}
	if len(cond) == 1 && isStatus(cond[0], until) {
		return Forever(body...), nil
	}
	c := cond[0]
	if len(cond) > 1 {
		c = Group(cond...)
	}
	if until {
		return Until(c, body...), nil
	}
	return While(c, body...), nil
}

// isStatus reports whether st is `false` (fails) or `true`/`:` (succeeds).
func isStatus(st Stmt, fails bool) bool {
	s, ok := st.(simple)
	return ok && s.op == opStatus && (s.n != 0) == fails
}

// simple reads a simple command: words, and at most one > or >> redirection.
func (p *parser) simple() (Stmt, error) {
	var words []token
	var redir *redirect
	for {
		switch p.tok.kind {
		case tokWord:
			words = append(words, p.tok)
			if err := p.advance(); err != nil {
				return nil, err
			}
			continue
		case tokGreat, tokDGreat:
			op := p.tok.raw
			if redir != nil {
				return nil, failf("more than one redirection is not supported: %q", op)
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.tok.kind != tokWord {
				return nil, failf("syntax error: unexpected %s after %q", p.tok.describe(), op)
			}
			redir = &redirect{op: op, path: p.tok.text}
			if err := p.advance(); err != nil {
				return nil, err
			}
			continue
		case tokLParen:
			if len(words) == 1 {
				return nil, failf("function definitions are not supported: %q", words[0].raw+"()")
			}
			return nil, p.unexpected()
		}
		break
	}
	if len(words) == 0 {
		return nil, failf("a redirection without a command is not supported: %q", redir.op+" "+redir.path)
	}
	if isAssignment(words[0].raw) {
		return nil, failf("variable assignments are not supported: %q", snippet(words[0].raw))
	}
	argv := make([]string, len(words))
	for i, w := range words {
		argv[i] = w.text
	}
	return readCommand(argv, redir, true, p.lookup)
}

// isAssignment reports whether a command's first word, as written, is
// NAME=value, which sh reads as setting a variable.
func isAssignment(raw string) bool {
	name, _, ok := strings.Cut(raw, "=")
	if !ok || name == "" || isDigit(name[0]) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c != '_' && !isLetter(c) && !isDigit(c) {
			return false
		}
	}
	return true
}
