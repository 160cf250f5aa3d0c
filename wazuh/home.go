package wazuh

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoHome means the Wazuh installation directory could not be found.
var ErrNoHome = errors.New("wazuh home not found")

// Home returns the Wazuh installation directory (usually /var/ossec) for an
// integration executable installed as <home>/integrations/<name>.
func Home(executable string) (string, error) {
	dir := filepath.Dir(filepath.Clean(executable))
	if filepath.Base(dir) != "integrations" {
		return "", fmt.Errorf("wazuh: %w: %q is not inside <home>/integrations", ErrNoHome, executable)
	}
	return filepath.Dir(dir), nil
}

// FindHome returns the Wazuh installation directory: $WAZUH_HOME when set
// (for tests and unusual installs), else the directory above the executable's
// integrations folder. Because integratord starts integrations from the Wazuh
// home with a relative argv[0] ("integrations/custom-x"), that is tried too
// when the executable was reached through a link from elsewhere.
func FindHome() (string, error) {
	if h := os.Getenv("WAZUH_HOME"); h != "" {
		return filepath.Clean(h), nil
	}
	exe, err := os.Executable()
	if err == nil {
		if h, err := Home(exe); err == nil {
			return h, nil
		}
	}
	if len(os.Args) > 0 && os.Args[0] != "" {
		if arg0, err := filepath.Abs(os.Args[0]); err == nil {
			if h, err := Home(arg0); err == nil {
				return h, nil
			}
		}
	}
	return "", fmt.Errorf("wazuh: %w: executable %q is not inside <home>/integrations and WAZUH_HOME is not set", ErrNoHome, exe)
}
