// Goroutine benchmarks in Go: the peer of goroutines.cpp (same three
// benchmarks, same output).
package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

const million = 1000000

func report(name string, start time.Time, ops int, check int) {
	ns := float64(time.Since(start).Nanoseconds())
	fmt.Printf("%s: %.1f ns/op (check %d)\n", name, ns/float64(ops), check)
}

func skynet(out chan int, num, size, div int) {
	if size == 1 {
		out <- num
		return
	}
	results := make(chan int)
	for i := 0; i < div; i++ {
		go skynet(results, num+i*(size/div), size/div, div)
	}
	sum := 0
	for i := 0; i < div; i++ {
		sum += <-results
	}
	out <- sum
}

func main() {
	start := time.Now()
	switch os.Args[1] {
	case "skynet":
		out := make(chan int)
		go skynet(out, 0, million, 10)
		report("skynet", start, million, <-out)
	case "spawn":
		var wg sync.WaitGroup
		wg.Add(million)
		for i := 0; i < million; i++ {
			go func() { wg.Done() }()
		}
		wg.Wait()
		report("spawn", start, million, million)
	case "pingpong":
		ping, pong := make(chan int), make(chan int)
		go func() {
			for i := 0; i < million; i++ {
				pong <- (<-ping) + 1
			}
		}()
		value := 0
		for i := 0; i < million; i++ {
			ping <- value
			value = <-pong
		}
		report("pingpong", start, million, value)
	}
}
