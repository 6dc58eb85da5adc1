package behavior

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The lexer splits a script into words and operators as sh does (POSIX
// "Token Recognition"), removing quotes. It refuses, at the character where
// it meets them, the expansions podsim does not perform — variables, command
// substitution, globs, tildes — and every operator other than ; && || > >>,
// so that nothing it returns means something else to a real shell.

// NamespaceSubstitution is the one command substitution podsim reads. The
// Kubernetes docs' init-container example finds the pod's namespace by
// reading the service account's namespace file, which a pod has unless
// it turns off automountServiceAccountToken (the projected volume of
// plugin/pkg/admission/serviceaccount/admission.go). The word keeps it as written;
// the cluster puts the pod's namespace in its place when the command asks
// it something (Env.Resolves).
const NamespaceSubstitution = "$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokWord
	tokNewline
	tokSemi   // ;
	tokAnd    // &&
	tokOr     // ||
	tokGreat  // >
	tokDGreat // >>
	tokLParen // (
	tokRParen // )
	tokAmp    // & (a background job)
	tokPipe   // |
)

type token struct {
	kind   tokenKind
	text   string // a word after quote removal
	raw    string // the token as written, for messages
	quoted bool   // part of the word was quoted or escaped, so it is never a reserved word
}

// describe names the token in a syntax error, as sh's "unexpected …" does.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of script"
	case tokNewline:
		return "newline"
	}
	return fmt.Sprintf("%q", t.raw)
}

type lexer struct {
	src string
	pos int
}

func (l *lexer) at(i int) byte {
	if l.pos+i < len(l.src) {
		return l.src[l.pos+i]
	}
	return 0
}

// skipBlanks passes spaces, tabs, backslash-newline continuations and a
// comment, which starts only where a token could start (`a#b` is a word).
func (l *lexer) skipBlanks() {
	for l.pos < len(l.src) {
		switch c := l.src[l.pos]; {
		case c == ' ' || c == '\t':
			l.pos++
		case c == '\\' && l.at(1) == '\n':
			l.pos += 2
		case c == '#':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		default:
			return
		}
	}
}

func (l *lexer) op(kind tokenKind, raw string) (token, error) {
	l.pos += len(raw)
	return token{kind: kind, raw: raw}, nil
}

func (l *lexer) next() (token, error) {
	l.skipBlanks()
	if l.pos >= len(l.src) {
		return token{kind: tokEOF}, nil
	}
	switch l.src[l.pos] {
	case '\n':
		return l.op(tokNewline, "\n")
	case ';':
		if l.at(1) == ';' {
			return token{}, failf("case statements are not supported: %q", ";;")
		}
		return l.op(tokSemi, ";")
	case '&':
		switch l.at(1) {
		case '&':
			return l.op(tokAnd, "&&")
		case '>':
			return token{}, badRedirection(l.operatorRun())
		}
		return l.op(tokAmp, "&")
	case '|':
		if l.at(1) == '|' {
			return l.op(tokOr, "||")
		}
		if l.at(1) == '&' {
			return token{}, failf("pipes of standard error are not supported: %q", "|&")
		}
		return l.op(tokPipe, "|")
	case '>':
		n := 1
		if l.at(1) == '>' {
			n = 2
		}
		if c := l.at(n); c == '&' || c == '|' {
			return token{}, badRedirection(l.operatorRun())
		}
		if n == 2 {
			return l.op(tokDGreat, ">>")
		}
		return l.op(tokGreat, ">")
	case '<':
		return token{}, badRedirection(l.operatorRun())
	case '(':
		if l.at(1) == '(' {
			return token{}, failf("arithmetic commands are not supported: %q", "((")
		}
		return l.op(tokLParen, "(")
	case ')':
		return l.op(tokRParen, ")")
	}
	return l.word()
}

// operatorRun is the operator at pos with what follows it up to a blank,
// e.g. `2>&1` or `</dev/null`, to quote in a message.
func (l *lexer) operatorRun() string {
	end := l.pos
	for end < len(l.src) && !strings.ContainsRune(" \t\n;", rune(l.src[end])) {
		end++
	}
	return snippet(l.src[l.pos:end])
}

func badRedirection(op string) error {
	return failf("redirections other than echo's > and >> are not supported: %q", op)
}

// isMeta reports the characters that end an unquoted word.
func isMeta(c byte) bool {
	return strings.IndexByte(" \t\n;&|<>()", c) >= 0
}

func (l *lexer) word() (token, error) {
	start := l.pos
	var b strings.Builder
	quoted, glob, bracket := false, false, false
	for l.pos < len(l.src) && !isMeta(l.src[l.pos]) {
		c := l.src[l.pos]
		switch {
		case c == '\\':
			switch l.at(1) {
			case 0: // a trailing backslash stays, as in bash
				b.WriteByte('\\')
				l.pos++
			case '\n':
				l.pos += 2
			default:
				_, size := utf8.DecodeRuneInString(l.src[l.pos+1:])
				b.WriteString(l.src[l.pos+1 : l.pos+1+size])
				l.pos += 1 + size
				quoted = true
			}
		case c == '\'':
			end := strings.IndexByte(l.src[l.pos+1:], '\'')
			if end < 0 {
				return token{}, failf("syntax error: unterminated single quote")
			}
			b.WriteString(l.src[l.pos+1 : l.pos+1+end])
			l.pos += end + 2
			quoted = true
		case c == '"':
			if err := l.doubleQuoted(&b); err != nil {
				return token{}, err
			}
			quoted = true
		case strings.HasPrefix(l.src[l.pos:], NamespaceSubstitution):
			b.WriteString(NamespaceSubstitution)
			l.pos += len(NamespaceSubstitution)
		case c == '$':
			if err := l.dollar(false); err != nil {
				return token{}, err
			}
			b.WriteByte('$')
			l.pos++
		case c == '`':
			return token{}, failf("command substitution is not supported: %q", l.backquoted())
		case c == '~' && l.pos == start:
			return token{}, failf("tilde expansion is not supported: %q", l.rawWord(start))
		default:
			switch c {
			case '*', '?':
				glob = true
			case '[':
				bracket = true
			case ']':
				glob = glob || bracket
			}
			b.WriteByte(c)
			l.pos++
		}
	}
	raw := l.src[start:l.pos]
	if c := l.at(0); (c == '>' || c == '<') && isDigits(raw) {
		l.pos = start
		return token{}, badRedirection(l.operatorRun())
	}
	if glob {
		return token{}, failf("glob patterns are not supported: %q", snippet(raw))
	}
	return token{kind: tokWord, text: b.String(), raw: raw, quoted: quoted}, nil
}

// doubleQuoted reads "…" at pos into b. Inside double quotes a backslash
// escapes only $ ` " \ and newline, and $ and ` still expand.
func (l *lexer) doubleQuoted(b *strings.Builder) error {
	l.pos++
	for l.pos < len(l.src) {
		switch c := l.src[l.pos]; c {
		case '"':
			l.pos++
			return nil
		case '\\':
			switch n := l.at(1); n {
			case '$', '`', '"', '\\':
				b.WriteByte(n)
				l.pos += 2
			case '\n':
				l.pos += 2
			default:
				b.WriteByte('\\')
				l.pos++
			}
		case '$':
			if strings.HasPrefix(l.src[l.pos:], NamespaceSubstitution) {
				b.WriteString(NamespaceSubstitution)
				l.pos += len(NamespaceSubstitution)
				continue
			}
			if err := l.dollar(true); err != nil {
				return err
			}
			b.WriteByte('$')
			l.pos++
		case '`':
			return failf("command substitution is not supported: %q", l.backquoted())
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
	return failf("syntax error: unterminated double quote")
}

// dollar checks the $ at pos: an expansion is an error; a $ that starts
// none (before a blank, an operator or the end) is a literal dollar sign.
func (l *lexer) dollar(inDouble bool) error {
	n := l.at(1)
	switch {
	case n == '(' && l.at(2) == '(':
		return failf("arithmetic expansion is not supported: %q", l.balanced('(', ')'))
	case n == '(':
		return failf("command substitution is not supported: %q", l.balanced('(', ')'))
	case n == '{':
		return failf("variables are not supported: %q", l.balanced('{', '}'))
	case n == '_' || isLetter(n):
		end := l.pos + 2
		for end < len(l.src) && (l.src[end] == '_' || isLetter(l.src[end]) || isDigit(l.src[end])) {
			end++
		}
		return failf("variables are not supported: %q", snippet(l.src[l.pos:end]))
	case isDigit(n) || n != 0 && strings.IndexByte("?#@*!-$", n) >= 0:
		return failf("variables are not supported: %q", l.src[l.pos:l.pos+2])
	case (n == '\'' || n == '"') && !inDouble:
		return failf("%s quoting is not supported: %q", "$"+string(n)+"…"+string(n), l.rawWord(l.pos))
	}
	return nil
}

// balanced is the text from pos (a $) to the closer that balances the
// opener after it, or to the end of the script, shortened for a message.
func (l *lexer) balanced(open, close byte) string {
	depth := 0
	for i := l.pos + 1; i < len(l.src); i++ {
		switch l.src[i] {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return snippet(l.src[l.pos : i+1])
			}
		}
	}
	return snippet(l.src[l.pos:])
}

// backquoted is the `…` at pos, for a message.
func (l *lexer) backquoted() string {
	if end := strings.IndexByte(l.src[l.pos+1:], '`'); end >= 0 {
		return snippet(l.src[l.pos : l.pos+end+2])
	}
	return snippet(l.src[l.pos:])
}

// rawWord is the unquoted run of word characters from start, for a message.
func (l *lexer) rawWord(start int) string {
	end := start
	for end < len(l.src) && !isMeta(l.src[end]) {
		end++
	}
	return snippet(l.src[start:end])
}

// snippet shortens what an error quotes, so that one bad word in a long
// script does not make an unreadable message.
func snippet(s string) string {
	const limit = 40
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
