package main

import "runtime/debug"

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version (go install …@v1.2.3) or "devel" is used.
var version = ""

func currentVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func userAgent() string { return "wazuh-opencti/" + currentVersion() }
