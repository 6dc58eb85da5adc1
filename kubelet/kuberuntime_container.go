package kubelet

import (
	"errors"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/podsim/podsim/behavior"
	"github.com/podsim/podsim/engine"
	"github.com/podsim/podsim/internal/podutil"
	"github.com/podsim/podsim/lifecycle"
	"github.com/podsim/podsim/trace"
)

// Start errors, the Waiting reasons a container shows
// (kuberuntime_container.go, kubecontainer sync_result.go).
var (
	errCreateContainerConfig = errors.New("CreateContainerConfigError")
	errPostStartHook         = errors.New("PostStartHookError")
)

// podEnv is what a process in the pod can ask of the cluster and of the
// node: names, and the disk space left.
type podEnv struct {
	dns Resolver
	ns  string
	k   *Kubelet
}

// DiskSpaceLeft is the node disk's free space (behavior.SpaceEnv).
func (e podEnv) DiskSpaceLeft() int64 { return e.k.diskSpaceLeft() }

// Resolves answers a DNS lookup; a name built from the pod's namespace
// file gets the namespace in its place.
func (e podEnv) Resolves(name string) bool {
	return e.dns.Resolves(e.ns, strings.ReplaceAll(name, behavior.NamespaceSubstitution, e.ns))
}

func (k *Kubelet) containerSpec(kp *kpod, name string) *corev1.Container {
	if cs := kp.spec.byName(name); cs != nil {
		return cs.api
	}
	return nil
}

// startContainer is kuberuntime startContainer: image, create, start, and
// the postStart hook, which runs to its end before the sync goes on.
func (k *Kubelet) startContainer(kp *kpod, snap *podSnapshot, c *corev1.Container, done func(err error, msg string)) {
	ref := containerRefFor(kp.pod, c.Name)
	fail := func(err error, msg, eventMsg string) {
		k.event(ref, corev1.EventTypeWarning, "Failed", "Error: "+eventMsg)
		done(err, msg)
	}
	k.ensureImage(kp, c, func(err error, msg string) {
		if err != nil {
			fail(err, msg, err.Error())
			return
		}
		restarts := int32(0)
		if cs := snap.newest(c.Name); cs != nil {
			restarts = cs.restartCount + 1
		}
		if msg := k.configError(kp, c); msg != "" {
			fail(errCreateContainerConfig, msg, msg)
			return
		}
		t := k.cfg.Timing
		k.eng.After(t.ContainerCreate, engine.PriorityRuntime, func() {
			cs := kp.spec.byName(c.Name)
			ct := k.rt.createContainer(kp.uid, c.Name, cs.hash, cs.image.String(), cs.imageID, restarts, podEnv{k.cfg.DNS, kp.pod.Namespace, k})
			ct.pod = kp.key
			created := "Created container " + c.Name
			switch {
			case k.prof.ContainerEventsWithoutName:
				// kuberuntime_container.go startContainer since PR #134043.
				created = "Container created"
			case k.prof.CreatedEventColon:
				created = "Created container: " + c.Name
			}
			k.event(ref, corev1.EventTypeNormal, "Created", created)
			k.eng.After(t.ContainerStart, engine.PriorityRuntime, func() {
				k.rt.start(ct, &cs.behavior, k.mountsFor(kp, c), k.appStartDelay(kp, cs))
				started := "Started container " + c.Name
				if k.prof.ContainerEventsWithoutName {
					started = "Container started"
				}
				k.event(ref, corev1.EventTypeNormal, "Started", started)
				h := podutil.LifecycleHandler(c, true)
				if h == nil {
					done(nil, "")
					return
				}
				k.runtimeRecord(ct, "postStart hook started", hookAction("PostStart", trace.HookStarted, 0))
				hookStart := k.eng.Now()
				k.runHook(kp, ct, c, h, "PostStart", 0, func(hookMsg string, err error) {
					if err == nil {
						k.runtimeRecord(ct, fmt.Sprintf("postStart hook finished after %v", k.eng.Now()-hookStart), hookAction("PostStart", trace.HookFinished, k.eng.Now()-hookStart))
						done(nil, "")
						return
					}
					k.runtimeRecord(ct, fmt.Sprintf("postStart hook failed: %v", err), hookAction("PostStart", trace.HookFailed, k.eng.Now()-hookStart))
					text := hookMsg
					if k.prof.GenericHookFailureEvents {
						text = "PostStartHook failed"
					}
					k.event(ref, corev1.EventTypeWarning, "FailedPostStartHook", text)
					k.killContainer(kp, ct, "FailedPostStartHook", lifecycle.KillReasonFailedPostStartHook, nil, nil, func() {
						done(errPostStartHook, hookMsg)
					})
				})
			})
		})
	})
}

// configError is the kubelet's check of a container's environment sources
// (kubelet_pods.go makeEnvironmentVariables): a ConfigMap or Secret that is
// missing, or lacks a key, and is not optional.
func (k *Kubelet) configError(kp *kpod, c *corev1.Container) string {
	ns := kp.pod.Namespace
	cm := func(name, key string, optional *bool) string {
		m := k.api.ConfigMap(types.NamespacedName{Namespace: ns, Name: name})
		ok := m != nil
		if optional != nil && *optional {
			return ""
		}
		if !ok {
			return fmt.Sprintf("configmap %q not found", name)
		}
		if _, ok := m.Data[key]; key != "" && !ok {
			if _, ok := m.BinaryData[key]; !ok {
				return fmt.Sprintf("couldn't find key %s in ConfigMap %s/%s", key, ns, name)
			}
		}
		return ""
	}
	sec := func(name, key string, optional *bool) string {
		s := k.api.Secret(types.NamespacedName{Namespace: ns, Name: name})
		ok := s != nil
		if optional != nil && *optional {
			return ""
		}
		if !ok {
			return fmt.Sprintf("secret %q not found", name)
		}
		if _, ok := s.Data[key]; key != "" && !ok {
			if _, ok := s.StringData[key]; !ok {
				return fmt.Sprintf("couldn't find key %s in Secret %s/%s", key, ns, name)
			}
		}
		return ""
	}
	for _, ef := range c.EnvFrom {
		if r := ef.ConfigMapRef; r != nil {
			if msg := cm(r.Name, "", r.Optional); msg != "" {
				return msg
			}
		}
		if r := ef.SecretRef; r != nil {
			if msg := sec(r.Name, "", r.Optional); msg != "" {
				return msg
			}
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			continue
		}
		if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
			if msg := cm(r.Name, r.Key, r.Optional); msg != "" {
				return msg
			}
		}
		if r := e.ValueFrom.SecretKeyRef; r != nil {
			if msg := sec(r.Name, r.Key, r.Optional); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// killContainer is kuberuntime killContainer: the Killing event, preStop
// (its whole seconds deducted from the grace period), a sidecar's wait for
// its turn, the 2 s floor, then StopContainer. The grace period comes from
// setTerminationGracePeriod; an override (pod termination, eviction)
// replaces it before preStop since about 1.28 and after preStop before.
func (k *Kubelet) killContainer(kp *kpod, ct *container, message, reason string, override *int64, ord *terminationOrdering, done func()) {
	spec := k.containerSpec(kp, ct.name)
	grace := lifecycle.ContainerGracePeriod(kp.pod, spec, reason)
	if message == "" {
		message = "Stopping container " + ct.name
	}
	k.event(containerRefFor(kp.pod, ct.name), corev1.EventTypeNormal, "Killing", message)
	before := k.prof.GraceOverrideBeforePreStop
	if override != nil && before {
		grace = *override
	}
	finish := func() {
		if grace < lifecycle.MinimumGracePeriodSeconds {
			grace = lifecycle.MinimumGracePeriodSeconds
		}
		if override != nil && !before {
			grace = *override
		}
		k.rt.stopContainer(ct, grace, func() {
			if ord != nil {
				ord.terminated(ct.name)
			}
			done()
		})
	}
	afterPreStop := func() {
		if ord == nil || grace <= 0 {
			finish()
			return
		}
		start := k.eng.Now()
		ord.waitForTurn(ct.name, engine.Seconds(grace), func() {
			grace -= int64((k.eng.Now() - start) / time.Second)
			finish()
		})
	}
	h := podutil.LifecycleHandler(spec, false)
	if h == nil || grace <= 0 || ct.state != lifecycle.StateRunning {
		afterPreStop()
		return
	}
	start := k.eng.Now()
	limit := engine.Seconds(grace)
	k.runtimeRecord(ct, fmt.Sprintf("preStop hook started (grace period %ds)", grace), hookAction("PreStop", trace.HookStarted, 0))
	k.runHook(kp, ct, spec, h, "PreStop", limit, func(hookMsg string, err error) {
		took := (k.eng.Now() - start) / time.Second * time.Second
		switch {
		case err != nil:
			k.runtimeRecord(ct, fmt.Sprintf("preStop hook failed after %v: %v", took, err), hookAction("PreStop", trace.HookFailed, k.eng.Now()-start))
		case took >= limit:
			k.runtimeRecord(ct, fmt.Sprintf("preStop hook still running when the grace period (%ds) ran out", grace), hookAction("PreStop", trace.HookTimedOut, k.eng.Now()-start))
		default:
			k.runtimeRecord(ct, fmt.Sprintf("preStop hook finished after %v", took), hookAction("PreStop", trace.HookFinished, k.eng.Now()-start))
		}
		if err != nil {
			text := hookMsg
			if k.prof.GenericHookFailureEvents {
				text = "PreStopHook failed"
			}
			k.event(containerRefFor(kp.pod, ct.name), corev1.EventTypeWarning, "FailedPreStopHook", text)
		}
		grace -= int64((k.eng.Now() - start) / time.Second)
		afterPreStop()
	})
}

// killPod stops every running container of the pod in parallel, then its
// sandbox (kuberuntime KillPod). With sidecars, they stop after the regular
// containers, in reverse order (kuberuntime_termination_order.go).
func (k *Kubelet) killPod(kp *kpod, override *int64, done func()) {
	var running []*container
	for _, ct := range k.rt.containers[kp.uid] {
		if ct.state == lifecycle.StateRunning {
			running = append(running, ct)
		}
	}
	var ord *terminationOrdering
	if k.prof.SidecarContainers && podutil.HasSidecars(kp.pod) {
		ord = newTerminationOrdering(k, kp.pod, running)
	}
	left := len(running)
	stopSandbox := func() { k.stopSandbox(kp, done) }
	if left == 0 {
		stopSandbox()
		return
	}
	for _, ct := range running {
		k.killContainer(kp, ct, "", lifecycle.KillReasonUnknown, override, ord, func() {
			left--
			if left == 0 {
				stopSandbox()
			}
		})
	}
}

// createSandbox is RunPodSandbox: the sandbox with its network (the CNI
// ADD, and the network plugin's own effects), then PodReadyToStartContainers.
// When the node has no address left, the CNI ADD fails and so does the
// sandbox: done gets the runtime's error.
func (k *Kubelet) createSandbox(kp *kpod, attempt int, done func(error)) {
	ip, err := k.ipam.allocate()
	k.eng.After(k.cfg.Timing.SandboxCreate, engine.PriorityRuntime, func() {
		if err != nil {
			done(fmt.Errorf("rpc error: code = Unknown desc = failed to setup network for sandbox %q: plugin type=\"bridge\" failed (add): %w",
				runtimeID("sandbox", kp.uid, attempt), err))
			return
		}
		sb := k.rt.createSandbox(kp.uid, attempt, ip)
		if k.cfg.Network.Plugin == NetworkCalico {
			k.api.UpdatePod(kp.key, kp.uid, "calico", "CNI ADD", func(p *corev1.Pod) {
				if p.Annotations == nil {
					p.Annotations = map[string]string{}
				}
				p.Annotations["cni.projectcalico.org/containerID"] = sb.id
				p.Annotations["cni.projectcalico.org/podIP"] = ip + "/32"
				p.Annotations["cni.projectcalico.org/podIPs"] = ip + "/32"
			})
		}
		done(nil)
	})
}

// stopSandbox is StopPodSandbox, with the CNI DEL.
func (k *Kubelet) stopSandbox(kp *kpod, done func()) {
	ready := false
	for _, sb := range k.rt.sandboxes[kp.uid] {
		ready = ready || sb.ready
	}
	if !ready {
		done()
		return
	}
	k.eng.After(k.cfg.Timing.SandboxStop, engine.PriorityRuntime, func() {
		for _, sb := range k.rt.sandboxes[kp.uid] {
			if sb.ready {
				k.ipam.release(sb.ip)
			}
		}
		k.rt.stopSandboxes(kp.uid)
		if k.cfg.Network.Plugin == NetworkCalico {
			k.api.UpdatePod(kp.key, kp.uid, "calico", "CNI DEL", func(p *corev1.Pod) {
				if p.Annotations == nil {
					return
				}
				p.Annotations["cni.projectcalico.org/podIP"] = ""
				p.Annotations["cni.projectcalico.org/podIPs"] = ""
			})
		}
		done()
	})
}

// runHook runs a lifecycle handler in the container and calls done with
// its failure message (the kubelet's handler error text) when it ends, or
// when limit passes first (preStop: the kubelet stops waiting, the hook
// runs on). limit 0 means wait for the end (postStart).
func (k *Kubelet) runHook(kp *kpod, ct *container, c *corev1.Container, h *corev1.LifecycleHandler, kind string, limit time.Duration, done func(string, error)) {
	eng := k.eng
	finished := false
	finish := func(msg string, err error) {
		if !finished {
			finished = true
			done(msg, err)
		}
	}
	if limit > 0 {
		eng.After(limit, engine.PriorityRuntime, func() { finish("", nil) })
	}
	switch {
	case h.Exec != nil:
		p, err := ct.inst.Container.Exec(h.Exec.Command, eng.Now())
		if err != nil {
			k.eng.Fail(fmt.Errorf("pod %s container %q %s hook: %w", kp.key, c.Name, kind, err))
			return
		}
		k.drive(p, ct, func() {
			code, _ := p.Exited()
			if code == 0 {
				finish("", nil)
				return
			}
			cmd := strings.Join(h.Exec.Command, " ")
			herr := fmt.Errorf("command '%s' exited with %d: %s", cmd, code, p.Output())
			finish(fmt.Sprintf("Exec lifecycle hook (%v) for Container %q in Pod %q failed - error: %v, message: %q", h.Exec.Command, c.Name, podutil.FormatPod(kp.pod), herr, p.Output()), herr)
		})
	case h.HTTPGet != nil:
		port := resolvePort(h.HTTPGet.Port.IntValue(), h.HTTPGet.Port.StrVal, c)
		if _, up := ct.inst.Container.HTTPStatus(port, h.HTTPGet.Path); !up {
			herr := fmt.Errorf("Get %q: dial tcp %s:%d: connect: connection refused", fmt.Sprintf("http://%s:%d%s", k.podIP(kp), port, h.HTTPGet.Path), k.podIP(kp), port)
			finish(fmt.Sprintf("HTTP lifecycle hook (%s) for Container %q in Pod %q failed - error: %v", h.HTTPGet.Path, c.Name, podutil.FormatPod(kp.pod), herr), herr)
			return
		}
		finish("", nil)
	case h.Sleep != nil:
		eng.After(engine.Seconds(h.Sleep.Seconds), engine.PriorityRuntime, func() { finish("", nil) })
	default:
		finish("", nil)
	}
}

// drive runs an exec session to its end, calling done when it exits.
func (k *Kubelet) drive(p *behavior.Process, ct *container, done func()) {
	env := ct.env
	eng := k.eng
	var step func()
	step = func() {
		next, err := p.Advance(eng.Now(), env)
		if err != nil {
			k.eng.Fail(err)
			return
		}
		k.podChangedByUID(ct) // a hook may write what a parked probe reads
		k.statsMoved(ct.podUID)
		if ct.inst.Container.TakeMainWake() {
			// The session signalled the main process (nginx -s quit):
			// run it now, as the signal may end it.
			k.rt.advance(ct)
		}
		if _, exited := p.Exited(); exited {
			done()
			return
		}
		if next != behavior.Never {
			eng.At(next, engine.PriorityRuntime, step).SetOwner(ct)
		}
	}
	step()
}

func resolvePort(num int, name string, c *corev1.Container) int {
	if name == "" {
		return num
	}
	for _, p := range c.Ports {
		if p.Name == name {
			return int(p.ContainerPort)
		}
	}
	return 0
}

func (k *Kubelet) podIP(kp *kpod) string {
	if sbs := k.rt.sandboxes[kp.uid]; len(sbs) > 0 {
		return sbs[len(sbs)-1].ip
	}
	return ""
}
