package apiserver

import (
	"reflect"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// No silent guess: every field of a pod's spec that is set and that podsim
// does not act on is a warning with its path, so that a manifest that
// loads never prints a confident wrong result without a word.
//
// UnsimulatedFields walks the set fields of the spec by reflection, with
// their JSON paths, against two explicit lists: simulatedFields, the paths
// podsim acts on (a path covers everything under it), and notSimulated,
// the paths it knows it ignores, with what a real cluster would do. A set
// field on neither list is "not simulated" too: a field podsim has not
// been taught is never taken to be simulated. docs/fidelity.md is the
// same lists, for people; TestFidelityDocListsEveryPath keeps them equal.

// simulatedFields are the spec paths podsim acts on. "[*]" stands for any
// index of a list; a path covers the fields under it.
var simulatedFields = []string{
	// the pod
	"spec.containers", "spec.initContainers", // each container's own fields below
	"spec.volumes[*].name", "spec.volumes[*].emptyDir", "spec.volumes[*].hostPath",
	"spec.volumes[*].configMap", "spec.volumes[*].secret", "spec.volumes[*].downwardAPI",
	"spec.volumes[*].projected",
	"spec.restartPolicy", "spec.terminationGracePeriodSeconds", "spec.activeDeadlineSeconds",
	"spec.nodeName", "spec.nodeSelector", "spec.affinity", "spec.tolerations",
	"spec.schedulerName", "spec.schedulingGates", "spec.priorityClassName", "spec.priority",
	"spec.preemptionPolicy", "spec.overhead", "spec.readinessGates",
	"spec.serviceAccountName", "spec.serviceAccount", "spec.enableServiceLinks",
	"spec.dnsPolicy", "spec.resources",
	// a container
	"name", "image", "command", "args", "ports", "env", "envFrom", "resources",
	"restartPolicy", "volumeMounts", "livenessProbe", "readinessProbe", "startupProbe",
	"lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
}

// notSimulated are the paths podsim reads but does not act on, with what a
// real cluster does with them.
var notSimulated = map[string]string{
	"spec.securityContext":                  "the process runs with no user, group or kernel confinement (fsGroup ownership, runAsNonRoot refusal, seccomp and AppArmor are not simulated)",
	"spec.hostNetwork":                      "the pod gets an address of the pod network, not the node's",
	"spec.hostPID":                          "the containers do not see the node's processes",
	"spec.hostIPC":                          "not simulated",
	"spec.hostUsers":                        "user namespaces are not simulated",
	"spec.shareProcessNamespace":            "each container's processes are apart: killall and kill reach only the container's own main process",
	"spec.dnsConfig":                        "name resolution uses only the cluster's Services",
	"spec.hostAliases":                      "no /etc/hosts entries are added",
	"spec.imagePullSecrets":                 "pulls succeed or fail as the Scenario's environment.images says, whatever the credentials",
	"spec.runtimeClassName":                 "one container runtime runs every pod",
	"spec.topologySpreadConstraints":        "the scheduler's PodTopologySpread plugin is not simulated",
	"spec.os":                               "every node and pod is Linux",
	"spec.resourceClaims":                   "dynamic resource allocation is not simulated",
	"spec.setHostnameAsFQDN":                "not simulated",
	"spec.automountServiceAccountToken":     "no service account token volume is mounted",
	"spec.ephemeralContainers":              "ephemeral containers are not simulated",
	"spec.volumes[*].persistentVolumeClaim": "persistent volumes are not simulated: the volume mounts as an empty directory",
	"spec.volumes[*].ephemeral":             "generic ephemeral volumes are not simulated: the volume mounts as an empty directory",
	"spec.volumes[*].image":                 "image volumes are not simulated: the volume mounts as an empty directory",
	"securityContext":                       "the process runs with no user, capability or privilege confinement",
	"workingDir":                            "relative paths in commands are taken from /",
	"stdin":                                 "the process's standard input is always empty",
	"stdinOnce":                             "the process's standard input is always empty",
	"tty":                                   "no terminal is attached: a shell with no script still reads an empty input and exits",
	"resizePolicy":                          "in-place resize is not simulated",
	"volumeDevices":                         "block volumes are not simulated",
	"restartPolicyRules":                    "container restart rules are not simulated",
}

// UnsimulatedFields are the set fields of the pod's spec that podsim does
// not act on, in spec order, each with what is not simulated.
func UnsimulatedFields(p *corev1.Pod) []FieldWarning {
	if p == nil {
		return nil
	}
	var out []FieldWarning
	walkSet(reflect.ValueOf(p.Spec), "spec", "spec", &out)
	return out
}

// walkSet visits the set fields of v: path is the field's JSON path with
// indexes, pattern the same with [*] for every index (and, inside a
// container, relative to the container).
func walkSet(v reflect.Value, path, pattern string, out *[]FieldWarning) {
	if isContainerList(pattern) {
		for i := 0; i < v.Len(); i++ {
			walkStruct(v.Index(i), path+"["+strconv.Itoa(i)+"]", "", out)
		}
		return
	}
	if covered(pattern) {
		return
	}
	if why, ok := notSimulated[pattern]; ok {
		*out = append(*out, FieldWarning{Field: path, Message: "not simulated: " + why})
		return
	}
	if !listedUnder(pattern) {
		// Nothing under it is on either list: the field as a whole is not
		// simulated (spec.volumes[0].nfs, not each of its fields).
		*out = append(*out, FieldWarning{Field: path, Message: "not simulated"})
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		walkSet(v.Elem(), path, pattern, out)
	case reflect.Struct:
		walkStruct(v, path, pattern, out)
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkSet(v.Index(i), path+"["+strconv.Itoa(i)+"]", pattern+"[*]", out)
		}
	}
}

// listedUnder reports whether a path on either list lies under pattern.
func listedUnder(pattern string) bool {
	under := func(s string) bool {
		return strings.HasPrefix(s, pattern+".") || strings.HasPrefix(s, pattern+"[")
	}
	if pattern == "spec" || slices.ContainsFunc(simulatedFields, under) {
		return true
	}
	for k := range notSimulated {
		if under(k) {
			return true
		}
	}
	return false
}

// walkStruct visits the set fields of a struct by their JSON names.
func walkStruct(v reflect.Value, path, pattern string, out *[]FieldWarning) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if v.Field(i).IsZero() || name == "-" {
			continue
		}
		if name == "" && f.Anonymous {
			walkStruct(v.Field(i), path, pattern, out) // inline: a volume's source
			continue
		}
		if name == "" {
			continue
		}
		p, pat := path+"."+name, name
		if pattern != "" {
			pat = pattern + "." + name
		}
		walkSet(v.Field(i), p, pat, out)
	}
}

func isContainerList(pattern string) bool {
	return pattern == "spec.containers" || pattern == "spec.initContainers"
}

// covered reports whether a simulated path covers pattern (it or a parent).
func covered(pattern string) bool {
	return slices.ContainsFunc(simulatedFields, func(s string) bool {
		return !isContainerList(s) && (pattern == s || strings.HasPrefix(pattern, s+".") || strings.HasPrefix(pattern, s+"["))
	})
}

// SimulatedFieldPaths and NotSimulatedFieldPaths are the two lists, sorted,
// for docs/fidelity.md.
func SimulatedFieldPaths() []string { return slices.Sorted(slices.Values(simulatedFields)) }

// NotSimulatedFieldPaths are the paths podsim knows it does not act on,
// sorted, with what is not simulated.
func NotSimulatedFieldPaths() map[string]string {
	out := make(map[string]string, len(notSimulated))
	for k, v := range notSimulated {
		out[k] = v
	}
	return out
}
