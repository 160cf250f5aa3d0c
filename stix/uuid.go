package stix

import (
	"crypto/sha1"
	"encoding/hex"
)

// scoNamespace is the UUIDv5 namespace of deterministic cyber-observable
// identifiers (STIX 2.1 section 2.9): 00abedb4-aa42-466c-9c01-fed23315a9b7.
var scoNamespace = [16]byte{
	0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c,
	0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
}

// deterministicID returns "<typ>--<UUIDv5(namespace, name)>" where name is
// the canonical (JCS) JSON of the contributing properties.
func deterministicID(typ string, name []byte) string {
	h := sha1.New()
	h.Write(scoNamespace[:])
	h.Write(name)
	var sum [sha1.Size]byte
	u := h.Sum(sum[:0])[:16]
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return formatUUID(typ, u)
}

// formatUUID returns "<typ>--" followed by the 16 bytes of u in the
// 8-4-4-4-12 hex form.
func formatUUID(typ string, u []byte) string {
	b := make([]byte, 0, len(typ)+2+36)
	b = append(b, typ...)
	b = append(b, "--"...)
	b = hex.AppendEncode(b, u[0:4])
	b = append(b, '-')
	b = hex.AppendEncode(b, u[4:6])
	b = append(b, '-')
	b = hex.AppendEncode(b, u[6:8])
	b = append(b, '-')
	b = hex.AppendEncode(b, u[8:10])
	b = append(b, '-')
	b = hex.AppendEncode(b, u[10:16])
	return string(b)
}
