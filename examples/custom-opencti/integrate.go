package main

import (
	"io"

	"github.com/wazuh-opencti/wazuh-opencti/opencti/enrich"
)

// program is the integration's file name in <home>/integrations.
const program = "custom-opencti"

// integrate is the entry point wazuh-integratord uses. It returns the exit
// status. home is the Wazuh home; "" finds it from the executable's path.
func integrate(args []string, stderr io.Writer, home string) int {
	return enrich.Program{Name: program, UserAgent: userAgent(), Home: home, Stderr: stderr}.Main(args)
}
