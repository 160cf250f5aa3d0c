// Package samples locates the sample Wazuh alerts that tests read from the
// directory named by the WAZUH_SAMPLE_ALERTS environment variable (CI sets it
// to ../shared/alerts). Tests skip, naming the variable, when it is unset.
package samples

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// EnvVar names the environment variable that points at the sample alerts.
const EnvVar = "WAZUH_SAMPLE_ALERTS"

// Dir returns the sample alert directory, or skips the test when EnvVar is
// unset. A set variable naming a missing directory fails the test.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv(EnvVar)
	if dir == "" {
		tb.Skipf("%s is not set: set it to the sample alert directory (../shared/alerts) to run this test", EnvVar)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		tb.Fatalf("%s=%q is not a directory", EnvVar, dir)
	}
	return dir
}

// Files returns the paths of every sample alert (*.json), sorted, skipping
// the test when EnvVar is unset and failing it when there are none.
func Files(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(Dir(tb), "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Fatalf("%s=%q holds no *.json alerts", EnvVar, os.Getenv(EnvVar))
	}
	slices.Sort(files)
	return files
}
