// Package sweep runs one scenario many times — over many seeds, and over a
// grid of parameters such as a probe's periodSeconds × failureThreshold or a
// distribution's parameters — and summarizes what the runs measured: time
// to Ready, time to the first restart, the number of restarts, how long the
// kubelet took to act on a failing probe. It is what `podsim sweep` does.
//
// # A plan
//
// A [Plan] is a scenario file, a range of [Seeds] and a grid of [Param]s
// (each a field of the file and its values, see [ParseSet]). Every point
// of the grid runs every seed; run i is point i / Seeds.Count with seed
// Seeds.First + i % Seeds.Count. Each point's file is the original with the
// point's values set (the YAML is patched, then loaded as `podsim run`
// loads a file), loaded once and shared, read-only, by that point's runs.
//
// # Parallel, and still deterministic
//
// [Execute] runs Options.Parallel simulations at once, one goroutine each,
// from start to end: a simulation never waits for another and shares no
// mutable state with it, so the cores are kept busy. Each run's result is
// put at its run number, not in the order runs finish, so the results —
// and every byte written from them — are the same on one core or many,
// under any scheduling. Summaries are computed in run order too: floating
// point sums do not depend on which run finished first.
//
// # Many machines
//
// A [Shard] i/N holds the runs whose number is i modulo N. N machines (or
// the N pods of a Kubernetes Indexed Job, each given its
// JOB_COMPLETION_INDEX) each run one shard and write its [Results] as JSON
// Lines; [Merge] checks that the shards are of the same sweep (the file's
// SHA-256, the seeds, the grid and the run length), that none is missing
// or given twice and that every run is there once, and gives the results
// the whole sweep would have given on one machine: [Results.WriteJSONL]
// writes them byte for byte as the unsharded run does, and the summary is
// the same.
//
// # What is measured
//
// [Measure] reads the metrics of each pod from a run's trace ([PodMetrics]
// says exactly how each is defined); [Summarize] gives, per point, pod and
// metric, the number of runs where it happened, the mean, the extremes and
// empirical quantiles, with gonum's stat package (stat.Mean and
// stat.Quantile with stat.Empirical on sorted data, so each quantile is a
// value some run gave). [WriteTable] prints them for people, [WriteCSV] and
// [Results.WriteJSONL] give every run to notebooks.
package sweep
