// The first step of a memory-safety escape with allowed imports only: one
// goroutine writes two pointer types into an interface variable, another
// reads it until it sees one type's word with the other's pointer. From
// there the code can read and write any memory, call any function (raw
// system calls included) and print forged test2json events. The race
// detector's halt_on_error ends the binary at the first racy access.
package gather

import "context"

type view interface{ get() int }

type small struct{ a int }

type big struct{ a, b, c int }

func (s *small) get() int { return s.a }
func (b *big) get() int   { return b.c }

var shared view

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) {
	s, b := &small{1}, &big{2, 3, 4}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			shared = s
			shared = b
		}
	}()
	defer close(done)
	for range 1 << 30 {
		if v := shared; v != nil && v.get() == 0 {
			break // a torn read: *small's method on *big, or the other way
		}
	}
	return nil, nil
}
