package apiserver

import "fmt"

// Name generation (k8s.io/apiserver/pkg/storage/names/generate.go).
const (
	maxNameLength          = 63
	randomLength           = 5
	maxGeneratedNameLength = maxNameLength - randomLength
	// generateNameAttempts: a generated name that is taken is drawn again,
	// up to 8 times in all (RetryGenerateName, GA in 1.32; earlier the
	// create failed with AlreadyExists).
	generateNameAttempts = 8
)

// alphanums are the characters of generated names: no vowels, so that no
// word is spelt by chance (k8s.io/apimachinery/pkg/util/rand).
const alphanums = "bcdfghjklmnpqrstvwxz2456789"

// GenerateName is names.SimpleNameGenerator.GenerateName with the run's
// seeded "names" stream in place of the process-wide random source: base,
// cut to 58 characters, and five random characters of alphanums, drawn as
// utilrand.String draws them (five bits at a time from a 63-bit value,
// values past the alphabet skipped).
func (s *Server) GenerateName(base string) string {
	if len(base) > maxGeneratedNameLength {
		base = base[:maxGeneratedNameLength]
	}
	r := s.eng.Stream("names")
	const idxBits, idxMask, perInt = 5, 1<<5 - 1, 63 / 5
	b := make([]byte, randomLength)
	v := r.Int64() & (1<<63 - 1)
	remaining := perInt
	for i := 0; i < randomLength; {
		if remaining == 0 {
			v, remaining = r.Int64()&(1<<63-1), perInt
		}
		if idx := int(v & idxMask); idx < len(alphanums) {
			b[i] = alphanums[idx]
			i++
		}
		v >>= idxBits
		remaining--
	}
	return fmt.Sprintf("%s%s", base, b)
}

// generateNameFor gives an object without a name one from its
// generateName, drawing again while taken is true of the name. It returns
// an error when every attempt was taken, as the API server answers then.
func (s *Server) generateNameFor(kind, generateName string, taken func(string) bool) (string, error) {
	var name string
	for range generateNameAttempts {
		name = s.GenerateName(generateName)
		if !taken(name) {
			return name, nil
		}
	}
	return "", fmt.Errorf("%s %q already exists, the server was not able to generate a unique name for the object", kind, name)
}
