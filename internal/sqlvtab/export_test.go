package sqlvtab

// SetMemoBudget sets the memory a statement keeps for finished scans and
// returns a function that restores it.
func SetMemoBudget(n int64) (restore func()) {
	old := memoMaxBytes
	memoMaxBytes = n
	return func() { memoMaxBytes = old }
}
