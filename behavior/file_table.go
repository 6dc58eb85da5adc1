package behavior

// fileTable is a container's root filesystem, path → content. Most
// containers hold a few files (their image's and a health file): a slice of
// pairs holds those in 32 B each, where a map's first group was 288 B a
// container (issue 10). Past fewFiles entries it becomes a map. Its order
// is no one's business: readers sort or look up.
type fileTable struct {
	few  []fileEntry
	many map[string]string
}

type fileEntry struct{ path, content string }

// fewFiles is where a linear scan stops being cheaper than a map.
const fewFiles = 8

func (t *fileTable) len() int {
	if t.many != nil {
		return len(t.many)
	}
	return len(t.few)
}

func (t *fileTable) get(path string) (string, bool) {
	if t.many != nil {
		c, ok := t.many[path]
		return c, ok
	}
	for i := range t.few {
		if t.few[i].path == path {
			return t.few[i].content, true
		}
	}
	return "", false
}

func (t *fileTable) put(path, content string) {
	if t.many != nil {
		t.many[path] = content
		return
	}
	for i := range t.few {
		if t.few[i].path == path {
			t.few[i].content = content
			return
		}
	}
	if len(t.few) < fewFiles {
		t.few = append(t.few, fileEntry{path, content})
		return
	}
	t.many = make(map[string]string, 2*fewFiles)
	for _, e := range t.few {
		t.many[e.path] = e.content
	}
	t.few = nil
	t.many[path] = content
}

// removeIf removes every file whose path drop accepts.
func (t *fileTable) removeIf(drop func(path string) bool) {
	if t.many != nil {
		for f := range t.many {
			if drop(f) {
				delete(t.many, f)
			}
		}
		return
	}
	kept := t.few[:0]
	for _, e := range t.few {
		if !drop(e.path) {
			kept = append(kept, e)
		}
	}
	clear(t.few[len(kept):]) // no strings kept alive past the end
	t.few = kept
}

// paths appends the paths to out, in no particular order.
func (t *fileTable) paths(out []string) []string {
	if t.many != nil {
		for f := range t.many {
			out = append(out, f)
		}
		return out
	}
	for _, e := range t.few {
		out = append(out, e.path)
	}
	return out
}
