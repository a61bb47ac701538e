// Package event is the exercise on asyncio.Event: a flag that goroutines
// can wait for. Set raises the flag and wakes every goroutine waiting for
// it, Clear lowers it again, IsSet reads it, and Wait blocks until it is
// raised (or until the caller's context ends).
//
// You write the Event type and its methods in event.go. This file is given
// and must not be changed: it only holds this description of the package.
package event
