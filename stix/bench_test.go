package stix

import "testing"

// The integration runs once per alert, so constructors, identifiers and
// pattern parsing are on its path; these benchmarks keep them honest.

func BenchmarkNewIPAddr(b *testing.B) {
	for b.Loop() {
		if _, err := NewIPAddr("2001:db8::7"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewDomainNameASCII(b *testing.B) {
	for b.Loop() {
		if _, err := NewDomainName("Telemetry.Example.COM."); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewDomainNameIDN(b *testing.B) {
	for b.Loop() {
		if _, err := NewDomainName("bücher.example"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFileID(b *testing.B) {
	f, _ := NewFile("invoice.pdf.exe", Hash{SHA256, sha256Empty})
	for b.Loop() {
		_ = f.ID()
	}
}

func BenchmarkParsePattern(b *testing.B) {
	const p = "[file:hashes.'SHA-256' = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' OR file:name = 'a.exe'] AND [ipv4-addr:value = '198.51.100.0/24']"
	for b.Loop() {
		q, err := ParsePattern(p)
		if err != nil {
			b.Fatal(err)
		}
		_ = q.String()
	}
}
