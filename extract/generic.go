package extract

import "github.com/wazuh-opencti/wazuh-opencti/wazuh"

// genericAddresses: the source and destination addresses that Wazuh's
// decoders (sshd, web servers, firewalls, JSON logs) write as data.srcip
// and data.dstip, or data.src_ip and data.dest_ip. Alerts of the suricata
// and packetbeat-dns extractors are left to them, so removing one of those
// from a Set really stops looking at that source.
func genericAddresses(c *collector, a *wazuh.Alert) {
	if c.isSuricata(a) || c.isPacketbeatDNS(a) {
		return
	}
	c.address(a, "data.srcip", RoleSource)
	c.address(a, "data.dstip", RoleDestination)
	c.address(a, "data.src_ip", RoleSource)
	c.address(a, "data.dest_ip", RoleDestination)
}
