// Package fanin is the exercise on many producers feeding one consumer:
// merging several streams of values into one, the Go version of several
// asyncio producers putting into one asyncio.Queue, or of one `async for`
// over several async generators at once. You write Merge in fanin.go; this
// file is given and must not be changed.
package fanin
