package extract

import (
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// osquery: hash and address columns of osquery results. Differential
// results are in data.osquery.columns, snapshot results in
// data.osquery.snapshot[]. Rows with action "removed" are not looked up:
// they were looked up when they were added.
func osquery(c *collector, a *wazuh.Alert) {
	if !a.HasGroup("osquery") && !a.HasGroup("osquery_file") && a.Location != "osquery" {
		return
	}
	action, _ := str(a.Field("data.osquery.action"))
	if strings.EqualFold(strings.TrimSpace(action), "removed") {
		c.note("rows removed from a result are not looked up")
		return
	}
	osqueryRow(c, "data.osquery.columns", a.Field("data.osquery.columns"))
	for _, row := range a.Field("data.osquery.snapshot").Array() {
		osqueryRow(c, "data.osquery.snapshot", row)
	}
}

// osqueryRow reads one result row: the md5, sha1 and sha256 columns of
// the hash and file tables as one file; remote_address, address and
// local_address of the socket and hosts tables as addresses.
func osqueryRow(c *collector, field string, row wazuh.Value) {
	c.hashes(field, row, [4]string{"md5", "sha1", "sha256", ""})
	for _, col := range [...]string{"remote_address", "address", "local_address"} {
		c.addressValue(field+"."+col, row.Get(col), RoleAddress)
	}
}
