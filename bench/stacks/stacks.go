// Go's side of bench/stacks (see stacks.cpp):
//
//	stacks parked N    N goroutines blocked on a channel
//	stacks growth KIB  a new goroutine recurses through KIB KiB of frames
//	                   and returns, 2000 times
//
// Prints "NAME: VALUE UNIT (check C)".
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
)

func residentBytes() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var pages, resident int64
	fmt.Sscan(string(data), &pages, &resident)
	return resident * int64(syscall.Getpagesize())
}

func parked(count int) {
	never := make(chan int)
	var started sync.WaitGroup
	started.Add(count)
	runtime.GC()
	before := residentBytes()
	for i := 0; i < count; i++ {
		go func() {
			started.Done()
			<-never
		}()
	}
	started.Wait()
	time.Sleep(100 * time.Millisecond)
	perGoroutine := (residentBytes() - before) / int64(count)
	fmt.Printf("parked: %.1f bytes/goroutine (check %d)\n", float64(perGoroutine), count)
	os.Exit(0)
}

// A frame of 128 bytes that stays on the stack.
//
//go:noinline
func recurse(depth int64) int64 {
	var frame [14]int64
	frame[depth%14] = depth
	if depth == 0 {
		return 0
	}
	return recurse(depth-1) + frame[depth%14]
}

func growth(kib int64) {
	const runs = 2000
	depth := kib * 1024 / 128
	var check int64
	start := time.Now()
	for run := 0; run < runs; run++ {
		done := make(chan struct{})
		go func() {
			check = recurse(depth)
			close(done)
		}()
		<-done
	}
	ns := float64(time.Since(start).Nanoseconds()) / runs
	fmt.Printf("growth: %.1f ns/goroutine (check %d)\n", ns, check)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: stacks parked|growth N")
		os.Exit(2)
	}
	n, _ := strconv.ParseInt(os.Args[2], 10, 64)
	switch os.Args[1] {
	case "parked":
		parked(int(n))
	case "growth":
		growth(n)
	default:
		fmt.Fprintln(os.Stderr, "unknown benchmark", os.Args[1])
		os.Exit(2)
	}
}
