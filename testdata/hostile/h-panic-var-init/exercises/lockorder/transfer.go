// Panics during package initialisation without func init: a package-level
// variable's initializer runs before any check, and no static rule forbids it.
package lockorder

var _ = func() int { panic("boom") }()

func Transfer(from, to *Account, amount int) error { return nil }

func Audit(accounts ...*Account) int { return 0 }
