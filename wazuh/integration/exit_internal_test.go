package integration

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

func TestAlertError(t *testing.T) {
	for err, want := range map[error]int{
		fmt.Errorf("open: %w", fs.ErrNotExist):   wazuh.ExitFileNotFound,
		fmt.Errorf("open: %w", fs.ErrPermission): wazuh.ExitFileNotFound,
		fmt.Errorf("x: %w", wazuh.ErrEmptyAlert): wazuh.ExitInvalidJSON,
		errors.New("read: is a directory"):       wazuh.ExitInvalidJSON,
	} {
		if got := ExitCode(alertError(err)); got != want {
			t.Errorf("alertError(%v): exit %d, want %d", err, got, want)
		}
	}
}
