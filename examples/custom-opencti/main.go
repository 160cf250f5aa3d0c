// Command custom-opencti is the reference Wazuh integration of this module:
// it looks up the indicators of compromise in a Wazuh alert in OpenCTI and
// sends what it finds back to Wazuh as new events.
//
// wazuh-integratord runs it as
//
//	custom-opencti ALERT_FILE API_KEY HOOK_URL [debug] [OPTIONS_FILE] [TIMEOUT] [RETRIES]
//
// and people run its subcommands:
//
//	custom-opencti explain [-json] ALERT_FILE...   what would be looked up, offline
//	custom-opencti check -url URL [-token-file F]  reach OpenCTI and verify the token
//	custom-opencti demo [-json] [-log]             the whole pipeline on built-in data
//	custom-opencti -version
//
// See README.md beside this file for installing it on a Wazuh manager, its
// options, the events it writes and its exit statuses.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses. They follow Wazuh's own integrations where those define
// one (2: bad arguments).
const (
	exitOK       = 0
	exitFailure  = 1
	exitBadUsage = 2
	// exitNoResponse is Wazuh's "no response from the API".
	exitNoResponse = 4
)

const usage = `usage:
  custom-opencti ALERT_FILE API_KEY HOOK_URL [debug] [OPTIONS_FILE] [TIMEOUT] [RETRIES]
                                        run as wazuh-integratord does
  custom-opencti explain [-json] ALERT_FILE...
                                        show what would be looked up in each alert, offline
  custom-opencti check -url URL [-token-file FILE] [-ca-file FILE] [-insecure]
                                        reach OpenCTI, verify the token ($OPENCTI_TOKEN), run a lookup
  custom-opencti demo [-json] [-log]    run the pipeline on built-in data, nothing installed
  custom-opencti -version               print the version
`

// run dispatches on the first argument: a subcommand, or else the
// integratord invocation. It returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitBadUsage
	}
	switch args[0] {
	case "explain":
		return explain(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "check":
		return check(args[1:], stdout, stderr)
	case "demo":
		return demo(args[1:], stdout, stderr)
	case "-version", "--version", "version":
		fmt.Fprintf(stdout, "custom-opencti %s\n", currentVersion())
		return exitOK
	default:
		return integrate(args, stderr, "")
	}
}
