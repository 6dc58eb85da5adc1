package trace

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRuntimeActionJSON(t *testing.T) {
	grace, code := int64(30), 137
	for _, tc := range []struct {
		act  RuntimeAction
		want string
	}{
		{RuntimeAction{Kind: RuntimeSignal, Signal: "SIGTERM", GracePeriodSeconds: &grace}, `{"kind":"signal","signal":"SIGTERM","gracePeriodSeconds":30}`},
		{RuntimeAction{Kind: RuntimeExit, Signal: "SIGKILL", ExitCode: &code}, `{"kind":"exit","signal":"SIGKILL","exitCode":137}`},
		{RuntimeAction{Kind: RuntimeHook, Hook: "PreStop", HookResult: HookStarted}, `{"kind":"hook","hook":"PreStop","hookResult":"started"}`},
		{RuntimeAction{Kind: RuntimeHook, Hook: "PreStop", HookResult: HookFinished, Duration: 1500 * time.Millisecond}, `{"kind":"hook","hook":"PreStop","hookResult":"finished","durationMs":1500}`},
	} {
		b, err := json.Marshal(tc.act)
		require.NoError(t, err)
		require.JSONEq(t, tc.want, string(b))
	}
	require.Equal(t, "SIGKILL", SignalName(9))
	require.Equal(t, "signal 12", SignalName(12))
}
