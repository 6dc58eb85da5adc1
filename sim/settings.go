package sim

// settingsView is the environment as the trace header shows it: field names
// as the scenario format spells them and durations as Go writes them
// ("750ms"), so a notebook reading the header sees what a scenario file
// would say.
type settingsView struct {
	Timing         map[string]string    `json:"timing"`
	Images         map[string]imageView `json:"images,omitempty"`
	Network        networkView          `json:"network"`
	ResyncInterval string               `json:"resyncInterval"`
	Kubelet        *kubeletView         `json:"kubelet,omitempty"`
}

type imageView struct {
	Pulls     []string `json:"pulls,omitempty"`
	SizeBytes int64    `json:"sizeBytes,omitempty"`
	PullError string   `json:"pullError,omitempty"`
	FailPulls int      `json:"failPulls,omitempty"`
	// The distributions, as stochastic.Duration's String writes them.
	PullTime     string `json:"pullTime,omitempty"`
	StartTime    string `json:"startTime,omitempty"`
	ProbeLatency string `json:"probeLatency,omitempty"`
}

type networkView struct {
	Plugin  string `json:"plugin"`
	PodCIDR string `json:"podCIDR"`
}

// view returns the resolved environment for the trace header. Maps are
// fine here: encoding/json writes map keys sorted.
func (e Environment) view() settingsView {
	t := e.Timing
	v := settingsView{
		Timing: map[string]string{
			"scheduling":        t.Scheduling.String(),
			"watch":             t.Watch.String(),
			"sandboxCreate":     t.SandboxCreate.String(),
			"sandboxStop":       t.SandboxStop.String(),
			"containerCreate":   t.ContainerCreate.String(),
			"containerStart":    t.ContainerStart.String(),
			"volumeTeardown":    t.VolumeTeardown.String(),
			"defaultPull":       t.DefaultPull.String(),
			"relistPhase":       t.RelistPhase.String(),
			"syncTickPhase":     t.SyncTickPhase.String(),
			"housekeepingPhase": t.HousekeepingPhase.String(),
		},
		Network:        networkView{Plugin: e.Network.Plugin, PodCIDR: e.Network.PodCIDR},
		ResyncInterval: e.ResyncInterval.String(),
		Kubelet:        kubeletSettingsView(e.Kubelet),
	}
	if len(e.Images) > 0 {
		v.Images = make(map[string]imageView, len(e.Images))
		for ref, img := range e.Images {
			iv := imageView{SizeBytes: img.SizeBytes, PullError: img.PullError, FailPulls: img.FailPulls,
				PullTime: distributionString(img.PullTime), StartTime: distributionString(img.StartTime), ProbeLatency: distributionString(img.ProbeLatency)}
			for _, d := range img.Pulls {
				iv.Pulls = append(iv.Pulls, d.String())
			}
			v.Images[ref] = iv
		}
	}
	return v
}
