// Package semaphore is the exercise on asyncio.Semaphore: limit how many
// tasks run at once. You write Semaphore (NewSemaphore, Acquire,
// TryAcquire, Release) and FetchAll in semaphore.go; this file is given
// and must not be changed.
package semaphore
