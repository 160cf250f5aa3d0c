package extract

import (
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// isPacketbeatDNS reports whether the alert is a Packetbeat DNS
// transaction: data.method QUERY with a data.dns object.
func isPacketbeatDNS(a *wazuh.Alert) bool {
	m, ok := str(a.Field("data.method"))
	return ok && strings.EqualFold(strings.TrimSpace(m), "QUERY") && a.Field("data.dns").Exists()
}

// packetbeatDNS: the question name and the A, AAAA and CNAME answers of a
// Packetbeat DNS transaction.
func packetbeatDNS(c *collector, a *wazuh.Alert) {
	if !c.isPacketbeatDNS(a) {
		return
	}
	c.name(a, "data.dns.question.name", RoleQuery)
	const field = "data.dns.answers"
	for _, ans := range a.Field(field).Array() {
		t, _ := str(ans.Get("type"))
		switch strings.ToUpper(strings.TrimSpace(t)) {
		case "A", "AAAA":
			c.addressValue(field, ans.Get("data"), RoleAnswer)
		case "CNAME":
			c.nameValues(field, ans.Get("data"), RoleAnswer)
		}
	}
}
