package extract

// Builtins returns every built-in extractor, in the order Default runs
// them (the order of the table in the package documentation). Each call
// returns a new slice.
func Builtins() []Extractor {
	return []Extractor{
		&builtin{"sysmon-hashes", sysmonHashes},
		&builtin{"sysmon-network", sysmonNetwork},
		&builtin{"sysmon-dns", sysmonDNS},
		&builtin{"suricata", suricata},
		&builtin{"packetbeat-dns", packetbeatDNS},
		&builtin{"fim", fim},
		&builtin{"osquery", osquery},
		&builtin{"audit-urls", auditURLs},
		&builtin{"generic-addresses", genericAddresses},
	}
}
