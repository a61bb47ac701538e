// Generic functions that instantiate 2^20 times: type-checking is quick,
// compiling takes seconds per level. Each compile may use a minute of CPU
// (grader.BuildLimits.ProcessCPU).
package gather

import "context"

type P0[T any] struct{ a, b T }

func F0[T any](x T) int { return F1[P0[T]](P0[T]{x, x}) + F1[[2]T]([2]T{x, x}) }

type P1[T any] struct{ a, b T }

func F1[T any](x T) int { return F2[P1[T]](P1[T]{x, x}) + F2[[2]T]([2]T{x, x}) }

type P2[T any] struct{ a, b T }

func F2[T any](x T) int { return F3[P2[T]](P2[T]{x, x}) + F3[[2]T]([2]T{x, x}) }

type P3[T any] struct{ a, b T }

func F3[T any](x T) int { return F4[P3[T]](P3[T]{x, x}) + F4[[2]T]([2]T{x, x}) }

type P4[T any] struct{ a, b T }

func F4[T any](x T) int { return F5[P4[T]](P4[T]{x, x}) + F5[[2]T]([2]T{x, x}) }

type P5[T any] struct{ a, b T }

func F5[T any](x T) int { return F6[P5[T]](P5[T]{x, x}) + F6[[2]T]([2]T{x, x}) }

type P6[T any] struct{ a, b T }

func F6[T any](x T) int { return F7[P6[T]](P6[T]{x, x}) + F7[[2]T]([2]T{x, x}) }

type P7[T any] struct{ a, b T }

func F7[T any](x T) int { return F8[P7[T]](P7[T]{x, x}) + F8[[2]T]([2]T{x, x}) }

type P8[T any] struct{ a, b T }

func F8[T any](x T) int { return F9[P8[T]](P8[T]{x, x}) + F9[[2]T]([2]T{x, x}) }

type P9[T any] struct{ a, b T }

func F9[T any](x T) int { return F10[P9[T]](P9[T]{x, x}) + F10[[2]T]([2]T{x, x}) }

type P10[T any] struct{ a, b T }

func F10[T any](x T) int { return F11[P10[T]](P10[T]{x, x}) + F11[[2]T]([2]T{x, x}) }

type P11[T any] struct{ a, b T }

func F11[T any](x T) int { return F12[P11[T]](P11[T]{x, x}) + F12[[2]T]([2]T{x, x}) }

type P12[T any] struct{ a, b T }

func F12[T any](x T) int { return F13[P12[T]](P12[T]{x, x}) + F13[[2]T]([2]T{x, x}) }

type P13[T any] struct{ a, b T }

func F13[T any](x T) int { return F14[P13[T]](P13[T]{x, x}) + F14[[2]T]([2]T{x, x}) }

type P14[T any] struct{ a, b T }

func F14[T any](x T) int { return F15[P14[T]](P14[T]{x, x}) + F15[[2]T]([2]T{x, x}) }

type P15[T any] struct{ a, b T }

func F15[T any](x T) int { return F16[P15[T]](P15[T]{x, x}) + F16[[2]T]([2]T{x, x}) }

type P16[T any] struct{ a, b T }

func F16[T any](x T) int { return F17[P16[T]](P16[T]{x, x}) + F17[[2]T]([2]T{x, x}) }

type P17[T any] struct{ a, b T }

func F17[T any](x T) int { return F18[P17[T]](P17[T]{x, x}) + F18[[2]T]([2]T{x, x}) }

type P18[T any] struct{ a, b T }

func F18[T any](x T) int { return F19[P18[T]](P18[T]{x, x}) + F19[[2]T]([2]T{x, x}) }

type P19[T any] struct{ a, b T }

func F19[T any](x T) int { return F20[P19[T]](P19[T]{x, x}) + F20[[2]T]([2]T{x, x}) }

func F20[T any](x T) int { return 1 }

var N = F0[int](1)

func Gather[T any](ctx context.Context, tasks ...Task[T]) ([]T, error) { return nil, nil }
