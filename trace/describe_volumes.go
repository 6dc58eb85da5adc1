package trace

import (
	"fmt"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

func supportedVolume(v corev1.VolumeSource) bool {
	return v.HostPath != nil || v.EmptyDir != nil || v.GitRepo != nil || v.Secret != nil || v.ConfigMap != nil ||
		v.NFS != nil || v.PersistentVolumeClaim != nil || v.DownwardAPI != nil || v.Projected != nil ||
		v.CSI != nil || v.Image != nil
}

func (d describer) describeVolumes(volumes []corev1.Volume, w *prefixWriter, space string) {
	if len(volumes) == 0 {
		w.write(level0, "%sVolumes:\t<none>\n", space)
		return
	}
	w.write(level0, "%sVolumes:\n", space)
	for _, v := range volumes {
		nameIndent := ""
		if len(space) > 0 {
			nameIndent = " "
		}
		w.write(level1, "%s%v:\n", nameIndent, v.Name)
		// The order of the cases is kubectl's.
		switch s := v.VolumeSource; {
		case s.HostPath != nil:
			hostPathType := "<none>"
			if s.HostPath.Type != nil {
				hostPathType = string(*s.HostPath.Type)
			}
			w.write(level2, "Type:\tHostPath (bare host directory volume)\n"+
				"    Path:\t%v\n"+
				"    HostPathType:\t%v\n",
				s.HostPath.Path, hostPathType)
		case s.EmptyDir != nil:
			sizeLimit := "<unset>"
			if s.EmptyDir.SizeLimit != nil && s.EmptyDir.SizeLimit.Cmp(resource.Quantity{}) > 0 {
				sizeLimit = fmt.Sprintf("%v", s.EmptyDir.SizeLimit)
			}
			w.write(level2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"+
				"    Medium:\t%v\n"+
				"    SizeLimit:\t%v\n",
				s.EmptyDir.Medium, sizeLimit)
		case s.GitRepo != nil:
			w.write(level2, "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n"+
				"    Repository:\t%v\n"+
				"    Revision:\t%v\n",
				s.GitRepo.Repository, s.GitRepo.Revision)
		case s.Secret != nil:
			optional := s.Secret.Optional != nil && *s.Secret.Optional
			w.write(level2, "Type:\tSecret (a volume populated by a Secret)\n"+
				"    SecretName:\t%v\n"+
				"    Optional:\t%v\n",
				s.Secret.SecretName, optional)
		case s.ConfigMap != nil:
			optional := s.ConfigMap.Optional != nil && *s.ConfigMap.Optional
			w.write(level2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n"+
				"    Name:\t%v\n"+
				"    Optional:\t%v\n",
				s.ConfigMap.Name, optional)
		case s.NFS != nil:
			w.write(level2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"+
				"    Server:\t%v\n"+
				"    Path:\t%v\n"+
				"    ReadOnly:\t%v\n",
				s.NFS.Server, s.NFS.Path, s.NFS.ReadOnly)
		case s.PersistentVolumeClaim != nil:
			w.write(level2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"+
				"    ClaimName:\t%v\n"+
				"    ReadOnly:\t%v\n",
				s.PersistentVolumeClaim.ClaimName, s.PersistentVolumeClaim.ReadOnly)
		case s.DownwardAPI != nil:
			w.write(level2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
			for _, m := range s.DownwardAPI.Items {
				if m.FieldRef != nil {
					w.write(level3, "%v -> %v\n", m.FieldRef.FieldPath, m.Path)
				}
				if m.ResourceFieldRef != nil {
					w.write(level3, "%v -> %v\n", m.ResourceFieldRef.Resource, m.Path)
				}
			}
		case s.Projected != nil:
			d.printProjectedVolumeSource(s.Projected, w)
		case s.CSI != nil:
			readOnly := s.CSI.ReadOnly != nil && *s.CSI.ReadOnly
			w.write(level2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"+
				"    Driver:\t%v\n"+
				"    FSType:\t%v\n"+
				"    ReadOnly:\t%v\n",
				s.CSI.Driver, stringValue(s.CSI.FSType), readOnly)
			printCSIVolumeAttributes(w, "VolumeAttributes", s.CSI.VolumeAttributes)
		case s.Image != nil:
			w.write(level2, "Type:\tImage (a container image or OCI artifact)\n"+
				"    Reference:\t%v\n"+
				"    PullPolicy:\t%v\n",
				s.Image.Reference, s.Image.PullPolicy)
		}
	}
}

// printProjectedVolumeSource prints the sources in order. Before 1.33 kubectl
// formatted the Optional pointers with %v: <nil> when unset, and the
// pointer's address (which varies from run to run) when set; podsim prints
// the fixed stand-in 0xc000000000 for the address.
func (d describer) printProjectedVolumeSource(p *corev1.ProjectedVolumeSource, w *prefixWriter) {
	w.write(level2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
	for _, s := range p.Sources {
		switch {
		case s.Secret != nil:
			if d.minor >= 33 {
				optional := s.Secret.Optional != nil && *s.Secret.Optional
				w.write(level2, "SecretName:\t%v\n"+
					"    Optional:\t%v\n",
					s.Secret.Name, optional)
			} else {
				w.write(level2, "SecretName:\t%v\n"+
					"    SecretOptionalName:\t%v\n",
					s.Secret.Name, pointerString(s.Secret.Optional))
			}
		case s.DownwardAPI != nil:
			w.write(level2, "DownwardAPI:\ttrue\n")
		case s.ConfigMap != nil:
			if d.minor >= 33 {
				optional := s.ConfigMap.Optional != nil && *s.ConfigMap.Optional
				w.write(level2, "ConfigMapName:\t%v\n"+
					"    Optional:\t%v\n",
					s.ConfigMap.Name, optional)
			} else {
				w.write(level2, "ConfigMapName:\t%v\n"+
					"    ConfigMapOptional:\t%v\n",
					s.ConfigMap.Name, pointerString(s.ConfigMap.Optional))
			}
		case s.ServiceAccountToken != nil:
			var seconds int64
			if s.ServiceAccountToken.ExpirationSeconds != nil {
				seconds = *s.ServiceAccountToken.ExpirationSeconds
			}
			w.write(level2, "TokenExpirationSeconds:\t%d\n", seconds)
		}
	}
}

// pointerString is what %v prints for a *bool, with a fixed stand-in for
// the address.
func pointerString(p *bool) string {
	if p == nil {
		return "<nil>"
	}
	return "0xc000000000"
}

func printCSIVolumeAttributes(w *prefixWriter, title string, attributes map[string]string) {
	w.write(level2, "%s:%s", title, "\t")
	if len(attributes) == 0 {
		w.writeLine("<none>")
		return
	}
	for i, k := range slices.Sorted(maps.Keys(attributes)) {
		if i != 0 {
			w.write(level2, "%s", "")
			w.write(level2, "%s", "\t")
		}
		line := fmt.Sprintf("%s=%s", k, attributes[k])
		if len(line) > maxAnnotationLen {
			w.write(level2, "%s...\n", line[:maxAnnotationLen])
		} else {
			w.write(level2, "%s\n", line)
		}
	}
}
