// Package chart draws a podsim trace as a picture: one lane per pod, time
// running left to right, so that a crash loop, a slow start or a pod that
// never became Ready shows at a glance.
//
// # What a lane shows
//
//   - A band coloured by the pod's phase (Pending, Running, Succeeded,
//     Failed), with kubectl's STATUS written in it wherever it changes and
//     there is room: ContainerCreating, CrashLoopBackOff, Terminating, ….
//   - Above the band, a strip that is dark while the pod's Ready condition
//     is True and light while it is not.
//   - A black line across the band at each restart: where kubectl's
//     RESTARTS goes up.
//   - Below the band, the events the components reported about the pod: an
//     orange triangle for a Warning (Unhealthy, BackOff, Failed, …), a grey
//     dot for a Normal one (Scheduled, Pulled, Started, …).
//   - A black square where the pod was deleted.
//
// The lanes are [trace.Intervals]: the same table `podsim run -o csv`
// writes.
//
// # Determinism
//
// The drawing uses gonum.org/v1/plot with the Liberation fonts that gonum
// carries in Go code, so no font of the machine is read, and text is
// measured the same everywhere. [WriteSVG] embeds the font it uses, so the
// file looks the same in every viewer. The same trace gives the same SVG
// bytes, run after run (a golden test checks it), and the same PNG bytes.
//
// # Weight
//
// gonum/plot brings about 40 modules with it. podsim keeps it here, out of
// the simulation: sim, scenarios and trace do not import this package; the
// command line and the examples do.
package chart
