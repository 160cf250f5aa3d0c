package enrich

import (
	"context"

	"github.com/wazuh-opencti/wazuh-opencti/extract"
	"github.com/wazuh-opencti/wazuh-opencti/opencti"
	"github.com/wazuh-opencti/wazuh-opencti/stix"
	"github.com/wazuh-opencti/wazuh-opencti/wazuh"
)

// Looker looks observables up in OpenCTI; *opencti.Client is one.
type Looker interface {
	Lookup(ctx context.Context, obs []stix.Observable) (*opencti.LookupResult, error)
}

// Pipeline enriches one alert from start to end: extract, look up, build
// events. It is what the reference integration runs for each alert; a user's
// binary with extractors of its own runs the same.
type Pipeline struct {
	Extractors *extract.Set
	Client     Looker
	Config     Config
}

// Outcome is what a Pipeline did with one alert.
type Outcome struct {
	// Extraction is what the extractors found; when it has no findings
	// nothing was looked up and Extraction.Skipped says why.
	Extraction extract.Result
	// Result is the lookup's result (partial when Err is set); nil when
	// nothing was looked up.
	Result *opencti.LookupResult
	// Events are the events to send: those built from Result and, when the
	// lookup failed, an error event last.
	Events []Event
	// Err is the lookup's error.
	Err error
}

// Run enriches alert. The context bounds the lookup.
func (p Pipeline) Run(ctx context.Context, alert *wazuh.Alert) Outcome {
	out := Outcome{Extraction: p.Extractors.Extract(alert)}
	if len(out.Extraction.Findings) == 0 {
		return out
	}
	out.Result, out.Err = p.Client.Lookup(ctx, out.Extraction.Observables())
	out.Events = p.Config.Build(alert, out.Extraction.Findings, out.Result)
	if out.Err != nil {
		out.Events = append(out.Events, p.Config.ErrorEvent(alert, Explain(out.Err).Error()))
	}
	return out
}
