// Package wazuh is the Wazuh side of a custom integration written in Go: the
// alert that wazuh-integratord hands over, the arguments it passes, the
// analysisd queue socket that takes events back, and the integrations.log
// that integrations write. It knows nothing of OpenCTI and imports nothing
// else of this module, so any Wazuh integration can be built on it.
//
// # How integratord runs an integration
//
// An <integration> block in ossec.conf names a program that must live in
// <home>/integrations (usually /var/ossec/integrations) and whose name starts
// with "custom-". Install it owned by root, group wazuh, mode 0750:
// integratord refuses a file the wazuh user can write. For every alert that
// passes the block's filters (<level>, <group>, <rule_id>, <event_location>)
// integratord writes the alert to /tmp/<name>-<epoch>-<random>.alert, runs
// the program, waits for it, and deletes the file. The block must set
// <alert_format>json</alert_format>: the file is then one compact JSON line
// (without it integratord writes a few shell-style key='value' lines that
// this package does not read). integratord runs one integration at a time
// and has no timeout, so an integration that hangs stalls every other one.
//
// The arguments (see ParseInvocation) are the alert file, <api_key>,
// <hook_url>, and "debug" when integrator.debug is set in
// local_internal_options.conf; Wazuh 4.7 adds the path of a file holding the
// <options> text, and 4.8 adds <timeout> and <retries>. Unset values arrive
// as empty arguments. ReadAlertFile and DecodeAlert read the alert;
// ReadOptions reads the options.
//
// # Answering through the queue socket
//
// Results go back as new events on analysisd's queue, the UNIX datagram
// socket <home>/queue/sockets/queue (see Queue). Each datagram is a header
// and a JSON object:
//
//	1:[004] (WS-FIN-0231) 10.40.12.31->opencti:{"integration":"opencti",...}
//
// or "1:opencti:{...}" for the manager's own alerts. The text between "1:" and
// the next unescaped ':' becomes the new alert's agent and location, so ':'
// and '|' in it are escaped (see Header). analysisd reads at most 65,535
// bytes per datagram and cuts the rest, so longer events are refused here,
// never sent truncated. Rules then match the event with
// <field name="integration">opencti</field>. Such an event becomes an alert
// that can reach the integration again: Alert.IsIntegrationEvent tells it not
// to act on its own output.
//
// # Logging
//
// Integrations log to <home>/logs/integrations.log (OpenLog); NewLogHandler
// writes lines in the style of ossec.log for log/slog, drops debug records
// unless debug is on, and never writes the API key. What a failing
// integration prints last on stdout or stderr, with its exit status, is what
// integratord puts in ossec.log ("Unable to run integration ... Exit status
// was: N"), so print one clear line before exiting non-zero. Exit codes
// follow Wazuh's own integrations: see ExitMissingModule and the constants
// after it.
package wazuh

// Exit codes of Wazuh's own integrations (its virustotal integration uses 3
// for a bad checksum; no Go integration needs it). 127 is reserved: it is how
// integratord reports a program it could not execute.
const (
	ExitOK            = 0
	ExitMissingModule = 1 // a required component is missing
	ExitBadArguments  = 2 // the arguments or options are wrong
	ExitNoResponse    = 4 // the remote API did not answer
	ExitSocketFailure = 5 // the queue socket could not be written
	ExitFileNotFound  = 6 // the alert file does not exist
	ExitInvalidJSON   = 7 // the alert is not valid JSON
)
