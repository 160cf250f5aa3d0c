package stix_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

func ExampleNewIPv4Addr() {
	ip, err := stix.NewIPv4Addr(" 198.51.100.3 ")
	if err != nil {
		panic(err)
	}
	fmt.Println(ip.Value())
	fmt.Println(ip.ID())
	fmt.Println(ip.Pattern())

	block, _ := stix.NewIPv4Addr("198.51.100.77/24") // host bits are cleared
	fmt.Println(block.Value(), block.IsCIDR())

	_, err = stix.NewIPv4Addr("198.51.100.256")
	fmt.Println(errors.Is(err, stix.ErrInvalidValue))
	// Output:
	// 198.51.100.3
	// ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4
	// [ipv4-addr:value = '198.51.100.3']
	// 198.51.100.0/24 true
	// true
}

func ExampleNewIPAddr() {
	for _, s := range []string{"::ffff:203.0.113.9", "2001:DB8:0:0::7"} {
		o, err := stix.NewIPAddr(s)
		if err != nil {
			panic(err)
		}
		fmt.Println(o.Type(), o)
	}
	// Output:
	// ipv4-addr 203.0.113.9
	// ipv6-addr 2001:db8::7
}

func ExampleNewDomainName() {
	for _, s := range []string{"Example.COM.", "bücher.example", "_dmarc.example.com"} {
		d, err := stix.NewDomainName(s)
		if err != nil {
			panic(err)
		}
		fmt.Println(d.Value(), d.ID())
	}
	_, err := stix.NewDomainName("ws-fin-0231") // one label: use NewHostname
	var ve *stix.ValueError
	if errors.As(err, &ve) {
		fmt.Println(ve.Reason)
	}
	// Output:
	// example.com domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7
	// xn--bcher-kva.example domain-name--2756bcd2-4f67-5280-b058-56605b46834f
	// _dmarc.example.com domain-name--8a62552d-25db-5d21-b12d-26cf799b102a
	// a single label: not a fully qualified name
}

func ExampleNewFile() {
	sha256, err := stix.NewHash(stix.SHA256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")
	if err != nil {
		panic(err)
	}
	md5, _ := stix.NewHash(stix.MD5, "d41d8cd98f00b204e9800998ecf8427e")
	f, err := stix.NewFile("empty.txt", sha256, md5)
	if err != nil {
		panic(err)
	}
	fmt.Println(f)
	// The identifier uses the MD5 (the preferred hash) and the name.
	fmt.Println(f.ID())
	fmt.Println(f.Pattern())
	for _, e := range f.Equalities() {
		fmt.Println(e)
	}
	// Output:
	// MD5=d41d8cd98f00b204e9800998ecf8427e
	// file--e0bd38d4-aa9a-5e4a-89f0-baea3484613e
	// [file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' OR file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']
	// [file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']
	// [file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']
}

func ExampleEquality_String() {
	e := stix.Equality{ObjectType: stix.TypeFile, Path: "name", Value: `C:\Users\o'brien\a.exe`}
	fmt.Println(e)
	// Output:
	// [file:name = 'C:\\Users\\o\'brien\\a.exe']
}

func ExampleParseObservable() {
	o, err := stix.ParseObservable([]byte(`{"type":"url","spec_version":"2.1","value":"HTTPS://Evil.Example/Login?next=/"}`))
	if err != nil {
		panic(err)
	}
	u := o.(stix.URL)
	fmt.Println(u.Value(), u.Host())
	// Output:
	// https://evil.example/Login?next=/ evil.example
}

func ExampleParsePattern() {
	p, err := stix.ParsePattern(`[file:hashes.'SHA-256'='E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' OR (file:'name' = 'a.exe' AND file:size > 1024)]`)
	if err != nil {
		panic(err)
	}
	fmt.Println(p)
	for _, c := range p.Comparisons() {
		fmt.Println(c.Path, c.Operator, c.Value)
	}

	_, err = stix.ParsePattern("[file:name = 'a.exe'")
	fmt.Println(err)
	_, err = stix.ParsePattern("[file:name = 'a.exe'] WITHIN 60 SECONDS")
	fmt.Println(errors.Is(err, stix.ErrUnsupported))
	// Output:
	// [file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' OR file:name = 'a.exe' AND file:size > 1024]
	// file:hashes.'SHA-256' = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'
	// file:name = 'a.exe'
	// file:size > 1024
	// stix: invalid pattern at offset 20: expected AND, OR or ']', found the end of the pattern
	// true
}

func ExamplePattern_Equivalent() {
	queried, _ := stix.NewDomainName("c2.example.org")
	for _, pattern := range []string{
		"[domain-name:value='c2.example.org']",
		"[domain-name:'value' = 'c2.example.org']",
		"[domain-name:value = 'c2.example.org' OR domain-name:value = 'c3.example.org']",
	} {
		p, err := stix.ParsePattern(pattern)
		if err != nil {
			panic(err)
		}
		q, _ := stix.ParsePattern(queried.Pattern())
		fmt.Println(p.Equivalent(q))
	}
	// Output:
	// true
	// true
	// false
}

func ExamplePattern_Equalities() {
	p, err := stix.ParsePattern("[ipv4-addr:value = '198.51.100.7'] OR [file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E' AND file:name = 'x.exe']")
	if err != nil {
		panic(err)
	}
	fmt.Println("equalities:")
	for _, e := range p.Equalities() {
		fmt.Println(e)
	}
	fmt.Println("alternatives:")
	for _, e := range p.Alternatives() {
		fmt.Println(e)
	}
	// Output:
	// equalities:
	// [ipv4-addr:value = '198.51.100.7']
	// [file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']
	// [file:name = 'x.exe']
	// alternatives:
	// [ipv4-addr:value = '198.51.100.7']
}

func ExampleDecodeBundle() {
	const data = `{
	  "type": "bundle",
	  "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
	  "objects": [
	    {"type": "indicator", "spec_version": "2.1", "id": "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
	     "created": "2024-03-01T12:30:45.123Z", "modified": "2024-03-01T12:30:45.123Z",
	     "name": "C2 domain", "pattern": "[domain-name:value = 'c2.example.org']", "pattern_type": "stix",
	     "valid_from": "2024-03-01T12:30:45Z", "x_opencti_score": 80},
	    {"type": "domain-name", "spec_version": "2.1", "id": "domain-name--44e7c539-1d97-5c97-b567-f6b693bd515f",
	     "value": "c2.example.org"}
	  ]
	}`
	b, err := stix.DecodeBundle(strings.NewReader(data))
	if err != nil {
		panic(err)
	}
	for _, o := range b.Objects {
		switch o.Type {
		case "indicator":
			ind, err := o.Indicator()
			if err != nil {
				panic(err)
			}
			fmt.Println(ind.Name, ind.Pattern, string(ind.Custom["x_opencti_score"]))
		default:
			obs, err := o.Observable()
			if err != nil {
				panic(err)
			}
			fmt.Println(obs.Type(), obs, obs.ID() == o.ID)
		}
	}

	_, err = stix.DecodeBundle(strings.NewReader(`{"type": "indicator"}`))
	fmt.Println(err)
	// Output:
	// C2 domain [domain-name:value = 'c2.example.org'] 80
	// domain-name c2.example.org true
	// stix: bundle: invalid STIX bundle: type is "indicator", not "bundle"
}

func ExampleIndicator_MarshalJSON() {
	d, _ := stix.NewDomainName("c2.example.org")
	at := time.Date(2024, 3, 1, 12, 30, 45, 0, time.UTC)
	ind := stix.Indicator{
		ID:          "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
		Created:     at,
		Modified:    at,
		Pattern:     d.Pattern(),
		PatternType: "stix",
		ValidFrom:   at,
	}
	data, err := ind.MarshalJSON()
	if err != nil {
		panic(err)
	}
	fmt.Println(string(data))
	// Output:
	// {"type":"indicator","spec_version":"2.1","id":"indicator--a932fcc6-e032-476c-826f-cb970a5a1ade","created":"2024-03-01T12:30:45.000Z","modified":"2024-03-01T12:30:45.000Z","pattern":"[domain-name:value = 'c2.example.org']","pattern_type":"stix","valid_from":"2024-03-01T12:30:45.000Z"}
}
