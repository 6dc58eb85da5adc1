package behavior

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// One script, however many Specs copy it, compiles to one Program; a
// different script, or a longer one on the same array, to another. The
// programs run as Compile's would.
func TestProgramCacheSharesAScriptsProgram(t *testing.T) {
	main := Script{Touch("/tmp/healthy"), Sleep(time.Hour), Exit(3)}
	a := Spec{Main: main[:2]}
	b := a // a copy, as every pod of a template holds
	var ps ProgramCache
	pa, pb := ps.Compile(a.Main), ps.Compile(b.Main)
	require.Same(t, pa, pb)
	require.Equal(t, Compile(a.Main), pa)
	longer := ps.Compile(main)
	require.NotSame(t, pa, longer)
	require.Equal(t, Compile(main), longer)
	other := ps.Compile(Script{Touch("/tmp/healthy"), Sleep(time.Hour)})
	require.NotSame(t, pa, other, "an equal script on another array is compiled again")

	inst := b.StartProgram(0, nil, pb)
	_, err := inst.Main.Advance(time.Second, nil)
	require.NoError(t, err)
	require.True(t, inst.Container.HasFile("/tmp/healthy"))
}

func TestProgramCacheSharesExecPrograms(t *testing.T) {
	var ps ProgramCache
	spec := Spec{Commands: map[string]Script{"check": {Exit(1)}}}
	c1, c2 := spec.Start(0).Container, spec.Start(0).Container
	p1, err := ps.CompileExec(c1, []string{"cat", "/tmp/healthy"})
	require.NoError(t, err)
	p2, err := ps.CompileExec(c2, []string{"cat", "/tmp/healthy"})
	require.NoError(t, err)
	require.Same(t, p1, p2, "the containers of one spec share a command's program")
	own, err := ps.CompileExec(c1, []string{"check"})
	require.NoError(t, err)
	require.NotSame(t, p1, own)
	other := (&Spec{Commands: map[string]Script{"check": {Exit(0)}}}).Start(0).Container
	theirs, err := ps.CompileExec(other, []string{"check"})
	require.NoError(t, err)
	require.NotSame(t, own, theirs, "another image's Commands compile on their own")
	_, err = ps.CompileExec(c1, []string{"frobnicate"})
	require.Error(t, err)
}
