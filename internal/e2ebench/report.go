package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

type reportInput struct {
	cfg      config
	subjects []*subject
	sizes    [][2]string
	hitInfo  string
	load     [2]string // /proc/loadavg before and after the measured runs
}

func report(w io.Writer, in reportInput) error {
	fmt.Fprintf(w, "machine:  %d CPUs (nproc), %s, %s %s/%s\n", runtime.NumCPU(), cpuModel(), goVersion(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "load:     %s before, %s after (1, 5, 15 min)\n", in.load[0], in.load[1])
	fmt.Fprintf(w, "runs:     %d of each kind, interleaved in seeded random order (seed %d), after %d warm-up rounds\n", in.cfg.n, in.cfg.seed, in.cfg.warmup)
	switch {
	case in.cfg.bin != "":
		fmt.Fprintf(w, "measured: %s\n", in.cfg.bin)
	case in.cfg.strip:
		fmt.Fprintln(w, "measured: custom-opencti built from the working tree with -ldflags='-s -w'")
	default:
		fmt.Fprintln(w, "measured: custom-opencti built from the working tree")
	}
	if in.cfg.against != "" {
		fmt.Fprintf(w, "against:  %s\n", in.cfg.against)
	}
	fmt.Fprintf(w, "hit:      %s\n\n", in.hitInfo)
	fmt.Fprintln(w, "| binary | size |")
	fmt.Fprintln(w, "|---|---|")
	for _, s := range in.sizes {
		fmt.Fprintf(w, "| %s | %s |\n", s[0], s[1])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| run | wall median | wall p95 | wall − fake's answer, median | fake's answer median | CPU mean | page faults median | peak RSS median | peak RSS max |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	var floor int64
	for _, s := range in.subjects {
		walls := durations(s.samples, wallOf)
		var cpu time.Duration
		rss := make([]int64, len(s.samples))
		faults := make([]int64, len(s.samples))
		for i, x := range s.samples {
			cpu += x.cpu
			rss[i] = x.rssKiB
			faults[i] = x.minflt
			floor = max(floor, x.floorRSSKiB)
		}
		slices.Sort(rss)
		slices.Sort(faults)
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %d | %s | %s |\n", s.name,
			ms(quantile(walls, 0.5)), ms(quantile(walls, 0.95)), ms(clientMedian(s)), ms(quantile(durations(s.samples, fakeOf), 0.5)),
			ms(cpu/time.Duration(len(s.samples))), quantile(faults, 0.5), mib(quantile(rss, 0.5)), mib(rss[len(rss)-1]))
	}
	fmt.Fprintf(w, "\n(peak RSS cannot read below the launcher's own, %s; CPU is user+system from the child's rusage, which the kernel accounts by scheduler ticks: compare means of many runs only)\n\n", mib(floor))

	median := func(s *subject) time.Duration { return quantile(durations(s.samples, wallOf), 0.5) }
	var base, baseClient time.Duration
	for _, s := range in.subjects {
		if s.role == "baseline" {
			base, baseClient = median(s), clientMedian(s)
		}
	}
	var ratio float64
	var maxRSS int64
	for _, s := range in.subjects {
		if s.role == "baseline" {
			continue
		}
		r := float64(median(s)) / float64(base)
		fmt.Fprintf(w, "median(%s) / median(baseline) = %.2f; without the fake's answer: %.2f\n", s.name, r, float64(clientMedian(s))/float64(baseClient))
		if s.role == "integration" {
			ratio = r
		}
		if s.role == "integration" || s.prog == in.subjects[0].prog {
			for _, x := range s.samples {
				maxRSS = max(maxRSS, x.rssKiB)
			}
		}
	}
	fmt.Fprintf(w, "\ntargets (measured binary): ratio ≤ %.1f: %s (%.2f); peak RSS ≤ %s: %s (max %s); one HTTP request per hit alert: met (checked on every run)\n",
		targetRatio, met(ratio <= targetRatio), ratio, mib(targetRSSKiB), met(maxRSS <= targetRSSKiB), mib(maxRSS))
	return nil
}

// loadAverage is the first three fields of /proc/loadavg, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func wallOf(x sample) time.Duration { return x.wall }

func fakeOf(x sample) time.Duration { return x.fake }

// clientMedian is the median of the wall time less the fake's answering
// time: what the program itself costs, however slow the fake.
func clientMedian(s *subject) time.Duration {
	return quantile(durations(s.samples, func(x sample) time.Duration { return x.wall - x.fake }), 0.5)
}

func durations(s []sample, f func(sample) time.Duration) []time.Duration {
	d := make([]time.Duration, len(s))
	for i, x := range s {
		d[i] = f(x)
	}
	slices.Sort(d)
	return d
}

// quantile is the nearest-rank quantile of sorted values.
func quantile[T any](sorted []T, q float64) T {
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "CPU model unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "CPU model unknown"
}

// goVersion is the toolchain that built the programs.
func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}
