package queue

import "errors"

// ErrClosed is returned by Put on a closed queue, and by Get on a closed
// queue once every item put before Close has been taken.
var ErrClosed = errors.New("queue: closed")
