package behavior

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// piDocumentedTime is how long the Kubernetes documentation says its pi
// Job's bpi(2000) takes (concepts/workloads/controllers/job): "It takes
// around 10s to complete."
const piDocumentedTime = 10 * time.Second

// readPerl reads the one perl program podsim knows, the documentation's
// Job one-liner `perl -Mbignum=bpi -wle 'print bpi(N)'`
// (controllers/job.yaml, image perl:5.34.0): it computes π to N digits,
// prints them and exits 0. The computation takes 10 s for N = 2000, as the
// page says; podsim assumes it grows with N² (bignum's series arithmetic),
// and takes at least 100 ms. Any other perl command line is refused.
func readPerl(argv []string) (Stmt, error) {
	n, ok := bpiDigits(argv[1:])
	if !ok {
		return nil, failf("podsim knows one perl program, the Kubernetes documentation's `perl -Mbignum=bpi -wle 'print bpi(2000)'`; say what %q does with a behavior.Spec", shellJoin(argv))
	}
	d := time.Duration(float64(piDocumentedTime) * float64(n) * float64(n) / (2000 * 2000))
	return subprocess(Script{Sleep(max(d, 100*time.Millisecond)), Echo(piString(n)), Exit(0)}), nil
}

var bpiProgram = regexp.MustCompile(`^\s*print\s+bpi\(\s*(\d{1,5})\s*\)\s*;?\s*$`)

// bpiDigits reads -Mbignum=bpi -wle 'print bpi(N)' (the -w, -l and -e
// switches bundled or apart) and returns N.
func bpiDigits(args []string) (int, bool) {
	module, program := false, ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-Mbignum=bpi":
			module = true
		case strings.HasPrefix(a, "-") && strings.HasSuffix(a, "e") && strings.Trim(a[1:], "wle") == "" && i+1 < len(args):
			program = args[i+1]
			i++
		case strings.HasPrefix(a, "-") && strings.Trim(a[1:], "wl") == "":
		default:
			return 0, false
		}
	}
	m := bpiProgram.FindStringSubmatch(program)
	if !module || m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil && n > 0
}

// piString is π to n significant digits, rounded, as bignum's bpi(n)
// prints it: "3.14159…". It uses Machin's formula in integer arithmetic.
func piString(n int) string {
	guard := 10
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n+guard)), nil)
	arctan := func(x int64) *big.Int { // scale·arctan(1/x)
		sum, term := new(big.Int), new(big.Int).Quo(scale, big.NewInt(x))
		x2 := big.NewInt(x * x)
		for k := int64(0); term.Sign() != 0; k++ {
			t := new(big.Int).Quo(term, big.NewInt(2*k+1))
			if k%2 == 0 {
				sum.Add(sum, t)
			} else {
				sum.Sub(sum, t)
			}
			term.Quo(term, x2)
		}
		return sum
	}
	pi := new(big.Int).Mul(big.NewInt(16), arctan(5))
	pi.Sub(pi, new(big.Int).Mul(big.NewInt(4), arctan(239)))
	// Keep n significant digits (one before the point), rounded.
	div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(guard+1)), nil)
	pi.Add(pi, new(big.Int).Quo(div, big.NewInt(2)))
	pi.Quo(pi, div)
	s := pi.String()
	if n == 1 {
		return s
	}
	return s[:1] + "." + s[1:]
}
