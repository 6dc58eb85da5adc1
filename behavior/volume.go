package behavior

import (
	"slices"
	"strings"
)

// Volume is the data of one pod volume: the files its containers see
// under their mount points and the bytes written there. The containers of
// a pod share the same *Volume, so what one writes another reads; it
// outlives a container's restart and goes with the pod (emptyDir), or
// with the node (hostPath).
type Volume struct {
	// Name is the pod's name for the volume.
	Name string
	// Memory marks a tmpfs (emptyDir medium: Memory, /dev/shm): its bytes
	// are memory, charged to the container that wrote them.
	Memory bool
	// Capacity bounds what may be written (a tmpfs's size); 0 is no bound
	// of its own (the node's disk bounds it).
	Capacity int64
	// ReadOnly volumes (configMap, secret, downwardAPI, projected) refuse
	// writes: "Read-only file system".
	ReadOnly bool

	files map[string]string // relative path → content
	disk  map[string]int64  // relative path → bytes written
	// charges is who holds each path's bytes of a tmpfs.
	charges map[string]*Container
	bytes   int64
}

// NewVolume returns an empty volume.
func NewVolume(name string, memory bool) *Volume {
	// Its maps are made on the first write: most volumes of most pods (the
	// /dev/shm every pod has) are never written (issue 10).
	return &Volume{Name: name, Memory: memory}
}

func (v *Volume) putFile(rel, content string) {
	if v.files == nil {
		v.files = map[string]string{}
	}
	v.files[rel] = content
}

// SetFile writes a file of the volume (a key of a ConfigMap, a downward
// API item), relative to the mount point.
func (v *Volume) SetFile(rel, content string) { v.putFile(clean(rel), content) }

// RemoveFile removes a file of the volume.
func (v *Volume) RemoveFile(rel string) { delete(v.files, clean(rel)) }

// File is the content of a file of the volume.
func (v *Volume) File(rel string) (string, bool) {
	c, ok := v.files[clean(rel)]
	return c, ok
}

// Files lists the volume's files relative to its root, sorted.
func (v *Volume) Files() []string {
	out := make([]string, 0, len(v.files))
	for f := range v.files {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// UsedBytes is what the volume holds: the bytes written to it and its
// files' contents.
func (v *Volume) UsedBytes() int64 {
	n := v.bytes
	for f, c := range v.files {
		if _, sized := v.disk[f]; !sized {
			n += int64(len(c))
		}
	}
	return n
}

// Inodes is the number of files in the volume.
func (v *Volume) Inodes() int64 {
	n := int64(len(v.files))
	for f := range v.disk {
		if _, ok := v.files[f]; !ok {
			n++
		}
	}
	return n
}

// Clear empties the volume (a new pod's emptyDir starts empty).
func (v *Volume) Clear() {
	for rel := range v.disk {
		v.setBytes(rel, 0, nil)
	}
	clear(v.files)
}

func clean(rel string) string { return strings.Trim(rel, "/") }

// setBytes sets the bytes held at rel, moving the charge of a tmpfs to
// writer.
func (v *Volume) setBytes(rel string, n int64, writer *Container) {
	old := v.disk[rel]
	if v.Memory {
		if prev := v.charges[rel]; prev != nil {
			prev.tmpfs -= old
		}
		if writer != nil && n > 0 {
			if v.charges == nil {
				v.charges = map[string]*Container{}
			}
			v.charges[rel] = writer
			writer.tmpfs += n
		} else {
			delete(v.charges, rel)
		}
	}
	v.bytes += n - old
	if n == 0 {
		delete(v.disk, rel)
		return
	}
	if v.disk == nil {
		v.disk = map[string]int64{}
	}
	v.disk[rel] = n
}

// Mount is a volume as a container sees it: at Path, possibly read-only.
type Mount struct {
	Path     string
	Volume   *Volume
	ReadOnly bool
	// SubPath mounts a directory of the volume instead of its root.
	SubPath string
}

// location is where a path of a container lives: a mounted volume and
// the path inside it, or the container's own root filesystem.
type location struct {
	vol      *Volume
	rel      string
	readOnly bool
}

// locate finds the mount a path falls under: the one with the longest
// mount path that is the path or one of its parents.
func (c *Container) locate(path string) location {
	best := -1
	for i, m := range c.mounts {
		if (path == m.Path || strings.HasPrefix(path, strings.TrimSuffix(m.Path, "/")+"/")) &&
			(best < 0 || len(m.Path) > len(c.mounts[best].Path)) {
			best = i
		}
	}
	if best < 0 {
		return location{}
	}
	m := c.mounts[best]
	rel := strings.TrimPrefix(strings.TrimPrefix(path, m.Path), "/")
	if m.SubPath != "" {
		rel = clean(m.SubPath + "/" + rel)
	}
	return location{vol: m.Volume, rel: rel, readOnly: m.ReadOnly || m.Volume.ReadOnly}
}

// getFile reads a file wherever it lives.
func (c *Container) getFile(path string) (string, bool) {
	if l := c.locate(path); l.vol != nil {
		return l.vol.File(l.rel)
	}
	return c.files.get(path)
}

// putFile writes a file; false on a read-only filesystem.
func (c *Container) putFile(path, content string) bool {
	if l := c.locate(path); l.vol != nil {
		if l.readOnly {
			return false
		}
		l.vol.putFile(clean(l.rel), content)
		return true
	}
	c.files.put(path, content)
	return true
}

// removePath removes a file and everything under it (rm -rf); false on a
// read-only filesystem.
func (c *Container) removePath(path string) bool {
	if l := c.locate(path); l.vol != nil {
		if l.readOnly {
			return false
		}
		rel := clean(l.rel)
		under := func(f string) bool { return rel == "" || f == rel || strings.HasPrefix(f, rel+"/") }
		for f := range l.vol.files {
			if under(f) {
				delete(l.vol.files, f)
			}
		}
		for f := range l.vol.disk {
			if under(f) {
				l.vol.setBytes(f, 0, nil)
			}
		}
		return true
	}
	prefix := strings.TrimSuffix(path, "/") + "/"
	c.files.removeIf(func(f string) bool { return f == path || strings.HasPrefix(f, prefix) })
	for f := range c.disk {
		if f == path || strings.HasPrefix(f, prefix) {
			c.setDisk(f, 0)
		}
	}
	return true
}

// Mounts are the container's volume mounts.
func (c *Container) Mounts() []Mount { return c.mounts }

// mountedFiles lists the files of the mounted volumes as the container
// sees them.
func (c *Container) mountedFiles() []string {
	var out []string
	for _, m := range c.mounts {
		prefix := strings.TrimSuffix(m.Path, "/") + "/"
		sub := clean(m.SubPath)
		for _, f := range m.Volume.Files() {
			if sub != "" {
				if !strings.HasPrefix(f, sub+"/") {
					continue
				}
				f = strings.TrimPrefix(f, sub+"/")
			}
			out = append(out, prefix+f)
		}
	}
	return out
}

// TmpfsCharge is how much of a memory-backed volume the container is
// charged for: the bytes it wrote there.
func (c *Container) TmpfsCharge(v *Volume) int64 {
	var n int64
	for rel, who := range v.charges {
		if who == c {
			n += v.disk[rel]
		}
	}
	return n
}
