package controllerutil

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/utils/dump"
)

// ComputeHash is the pod-template-hash of a template
// (controller_utils.go ComputeHash): FNV-32a of the template as
// k8s.io/utils/dump.ForHash prints it (pkg/util/hash DeepHashObject), the
// collision count appended as eight little-endian bytes when set, the
// decimal sum then safe-encoded with apimachinery's rand.SafeEncodeString.
//
// The printed form covers every field of the Go struct, so the hash depends
// on the k8s.io/api version podsim is built with: a real cluster of another
// version, whose PodTemplateSpec has other fields, names the same template
// differently.
func ComputeHash(template *corev1.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	_, _ = io.WriteString(h, dump.ForHash(*template))
	if collisionCount != nil {
		b := make([]byte, 8)
		binary.LittleEndian.PutUint32(b, uint32(*collisionCount))
		h.Write(b)
	}
	return rand.SafeEncodeString(fmt.Sprint(h.Sum32()))
}
