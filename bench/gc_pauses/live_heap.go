// A large live heap and a steady stream of garbage, in Go: the peer of
// live_heap.cpp (bench/gc_pauses/compare.py runs both).
package main

import (
	"fmt"
	"os"
	"strconv"
)

const listLength = 16

type Node struct {
	next    *Node
	payload [6]int64
}

func makeList(seed int64) *Node {
	var head *Node
	for i := 0; i < listLength; i++ {
		node := &Node{next: head}
		node.payload[0] = seed + int64(i)
		head = node
	}
	return head
}

func sum(list *Node) int64 {
	var total int64
	for ; list != nil; list = list.next {
		total += list.payload[0]
	}
	return total
}

func main() {
	liveMegabytes, rounds := int64(1024), int64(4)
	if len(os.Args) > 1 {
		liveMegabytes, _ = strconv.ParseInt(os.Args[1], 10, 64)
	}
	if len(os.Args) > 2 {
		rounds, _ = strconv.ParseInt(os.Args[2], 10, 64)
	}
	lists := (liveMegabytes << 20) / (listLength * 56)
	heads := make([]*Node, lists)
	for i := int64(0); i < lists; i++ {
		heads[i] = makeList(i)
	}
	random := uint64(88172645463325252)
	for replaced := int64(0); replaced < lists*rounds; replaced++ {
		random ^= random << 13
		random ^= random >> 7
		random ^= random << 17
		index := random % uint64(lists)
		heads[index] = makeList(int64(index))
	}
	var total int64
	for _, head := range heads {
		total += sum(head)
	}
	fmt.Printf("%d lists, checksum %d\n", lists, total)
}
