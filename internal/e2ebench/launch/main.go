// Command launch starts one program, waits for it and prints what it cost:
// wall time from the fork to the exit, CPU time and peak RSS from the
// child's rusage. The end-to-end benchmark starts every measured program
// through it.
//
// It exists because of how Linux reports a child's peak RSS: exec carries
// the high-water mark of the memory the process had before exec into the
// rusage, and a Go parent forks with CLONE_VM, so a child of a large parent
// (the benchmark, which also serves the fake OpenCTI) reports at least the
// parent's RSS. A parent this small keeps that floor far below what any
// measured program uses; it prints its own peak RSS (VmHWM: its rusage would
// again include its parent's) so the report can show the floor.
//
// Usage:
//
//	launch DIR PROG [ARG...]
//
// PROG runs with working directory DIR (a relative PROG is found from
// there, as wazuh-integratord's relative "integrations/NAME" is), argv[0]
// PROG, this environment, stdin /dev/null and stdout and stderr this
// process's stderr. One line goes to stdout:
//
//	wall_ns=N user_ns=N sys_ns=N maxrss_kib=N minflt=N status=N self_maxrss_kib=N
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: launch DIR PROG [ARG...]")
		os.Exit(2)
	}
	dir, argv := os.Args[1], os.Args[2:]
	devnull, err := syscall.Open(os.DevNull, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		fail(err)
	}
	attr := &syscall.ProcAttr{
		Dir:   dir,
		Env:   os.Environ(),
		Files: []uintptr{uintptr(devnull), 2, 2},
	}

	start := time.Now()
	pid, err := syscall.ForkExec(argv[0], argv, attr)
	if err != nil {
		fail(err)
	}
	var ws syscall.WaitStatus
	var ru syscall.Rusage
	for {
		_, err = syscall.Wait4(pid, &ws, 0, &ru)
		if err != syscall.EINTR {
			break
		}
	}
	wall := time.Since(start)
	if err != nil {
		fail(err)
	}

	status := ws.ExitStatus()
	if ws.Signaled() {
		status = 128 + int(ws.Signal())
	}
	fmt.Printf("wall_ns=%d user_ns=%d sys_ns=%d maxrss_kib=%d minflt=%d status=%d self_maxrss_kib=%d\n",
		wall.Nanoseconds(), ru.Utime.Nano(), ru.Stime.Nano(), ru.Maxrss, ru.Minflt, status, selfHWM())
}

// selfHWM is this process's peak RSS in KiB, from /proc/self/status.
func selfHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "launch: %v\n", err)
	os.Exit(1)
}
