package extract

import (
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// fim: the hashes of a file that file integrity monitoring saw added or
// modified. The file observable carries hashes only (see the package
// documentation). Deleted files are not looked up: the file is gone, and
// its hashes were looked up when it was added or last modified. Registry
// entries are not files: the hashes of a registry value are of its data.
func fim(c *collector, a *wazuh.Alert) {
	path, hasPath := str(a.Field("syscheck.path"))
	if !a.HasGroup("syscheck_file") && !(a.Location == "syscheck" && hasPath) {
		return
	}
	if isRegistry(a, path) {
		c.note("registry entries are not files")
		return
	}
	switch fimEvent(a) {
	case "added", "modified":
	case "deleted":
		c.note("deleted files are not looked up")
		return
	default:
		return
	}
	c.hashes("syscheck", a.Field("syscheck"), [4]string{"md5_after", "sha1_after", "sha256_after", ""})
}

// isRegistry reports whether a FIM alert is about a Windows registry key
// or value rather than a file.
func isRegistry(a *wazuh.Alert, path string) bool {
	for _, g := range a.Rule.Groups {
		if strings.HasPrefix(g, "syscheck_registry") {
			return true
		}
	}
	if len(path) >= 5 && strings.EqualFold(path[:5], "HKEY_") {
		return true
	}
	return a.Field("syscheck.value_name").Exists()
}

// fimEvent is the syscheck event ("added", "modified", "deleted"), from
// syscheck.event or else from the rule groups.
func fimEvent(a *wazuh.Alert) string {
	if e, ok := str(a.Field("syscheck.event")); ok {
		return strings.ToLower(strings.TrimSpace(e))
	}
	for _, ev := range [...]string{"added", "modified", "deleted"} {
		if a.HasGroup("syscheck_entry_" + ev) {
			return ev
		}
	}
	return ""
}
