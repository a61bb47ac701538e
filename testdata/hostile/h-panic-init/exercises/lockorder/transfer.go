// Panics in init, before any check runs.
package lockorder

func init() { panic("boom") }

func Transfer(from, to *Account, amount int) error { return nil }

func Audit(accounts ...*Account) int { return 0 }
