package layout

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// gonum/plot and its fonts are for pictures: only package chart imports
// them, so that the simulation, the scenario runner and a program that
// draws nothing do not build them (the command line and the examples get
// them through chart).
func TestOnlyChartImportsPlot(t *testing.T) {
	readSources(t)
	graph := importGraph(t)
	require.Contains(t, graph, Module+"/chart")
	for pkg, imports := range graph {
		rel, ours := rel(pkg)
		if !ours || rel == "chart" {
			continue
		}
		for _, imp := range imports {
			if strings.HasPrefix(imp, "gonum.org/v1/plot") {
				t.Errorf("%s imports %s: draw through package chart instead", rel, imp)
			}
		}
	}
}
