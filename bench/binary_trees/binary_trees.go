// binary-trees, the Benchmarks Game's rules, in Go: the peer of
// binary_trees.cpp (scripts/bench.sh binary-trees builds and runs both).
package main

import (
	"fmt"
	"os"
	"strconv"
)

type Node struct{ left, right *Node }

func bottomUp(depth int) *Node {
	if depth <= 0 {
		return &Node{}
	}
	left := bottomUp(depth - 1)
	return &Node{left, bottomUp(depth - 1)}
}

func (n *Node) check() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.check() + n.right.check()
}

func main() {
	const minDepth = 4
	requested := 21
	if len(os.Args) > 1 {
		requested, _ = strconv.Atoi(os.Args[1])
	}
	maxDepth := requested
	if minDepth+2 > maxDepth {
		maxDepth = minDepth + 2
	}
	stretch := bottomUp(maxDepth + 1)
	fmt.Printf("stretch tree of depth %d\t check: %d\n", maxDepth+1, stretch.check())
	longLived := bottomUp(maxDepth)
	for depth := minDepth; depth <= maxDepth; depth += 2 {
		iterations := 1 << uint(maxDepth-depth+minDepth)
		sum := 0
		for i := 0; i < iterations; i++ {
			sum += bottomUp(depth).check()
		}
		fmt.Printf("%d\t trees of depth %d\t check: %d\n", iterations, depth, sum)
	}
	fmt.Printf("long lived tree of depth %d\t check: %d\n", maxDepth, longLived.check())
}
