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
	osqueryRow(c, &osqueryColumns, a.Field("data.osquery.columns"))
	for _, row := range a.Field("data.osquery.snapshot").Array() {
		osqueryRow(c, &osquerySnapshot, row)
	}
}

// osqueryPaths are the fields of a result row, spelled out so that no path
// is built per alert.
type osqueryPaths struct {
	row       string
	addresses [3]struct{ column, field string }
}

func newOsqueryPaths(row string) osqueryPaths {
	p := osqueryPaths{row: row}
	for i, col := range [...]string{"remote_address", "address", "local_address"} {
		p.addresses[i].column, p.addresses[i].field = col, row+"."+col
	}
	return p
}

var (
	osqueryColumns  = newOsqueryPaths("data.osquery.columns")
	osquerySnapshot = newOsqueryPaths("data.osquery.snapshot")
)

// osqueryRow reads one result row: the md5, sha1 and sha256 columns of
// the hash and file tables as one file; remote_address, address and
// local_address of the socket and hosts tables as addresses.
func osqueryRow(c *collector, p *osqueryPaths, row wazuh.Value) {
	if !row.Exists() {
		return
	}
	c.hashes(p.row, row, [4]string{"md5", "sha1", "sha256", ""})
	for _, col := range p.addresses {
		c.addressValue(col.field, row.Get(col.column), RoleAddress)
	}
}
