package defender

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
)

// The SDK forces a garbage collection and returns memory to the OS after
// every 100 rows it streams (debug.FreeOSMemory, unless
// STEAMPIPE_FREE_MEM_INTERVAL says otherwise). That bounds the plugin's
// resident memory, but a forced collection every 100 rows is about half of
// the SDK's cost per row. The plugin turns it off (see DefaultFreeMemory)
// and bounds memory with a soft memory limit instead: the runtime collects
// as the heap nears the limit, and returns memory to the OS to stay under
// it.
//
// The limit cannot be a constant: the SDK's query cache allocates its
// shards up front, a few hundred MiB of heap (sized from Steampipe's
// max_cache_size_mb) that is mostly never touched and so not resident. The
// limit is therefore set at the start of every scan to the memory the
// runtime holds for live data then, plus memoryHeadroom for the garbage of
// streaming rows.

// memoryHeadroom is the garbage allowed above live memory between
// collections. With the SDK's default cache, 48 MiB keeps the peak
// resident set of a 100,000-row scan of every column near 110 MiB
// (docs/performance.md).
const memoryHeadroom = 48 << 20

// freeMemEnv is the SDK's variable for its forced collections.
const freeMemEnv = "STEAMPIPE_FREE_MEM_INTERVAL"

// DefaultFreeMemory turns off the SDK's forced collection every 100 rows,
// unless the user set STEAMPIPE_FREE_MEM_INTERVAL (then the user's
// setting stands and no memory limit is set). main calls it before
// serving.
func DefaultFreeMemory() {
	if _, set := os.LookupEnv(freeMemEnv); set {
		return
	}
	os.Setenv(freeMemEnv, "0")
	memoryLimited = true
}

// memoryLimited is set when the plugin bounds memory itself.
var memoryLimited bool

// limitSamples are the runtime metrics BoundMemory reads.
var limitSamples = []metrics.Sample{
	{Name: "/memory/classes/total:bytes"},
	{Name: "/memory/classes/heap/released:bytes"},
	{Name: "/memory/classes/heap/free:bytes"},
	{Name: "/memory/classes/heap/objects:bytes"},
	{Name: "/gc/heap/live:bytes"},
}

// BoundMemory, called at the start of every scan, sets the soft memory
// limit to the memory the Go runtime holds for live data now plus
// memoryHeadroom. The limit counts the same classes as the runtime does:
// everything mapped and not released, with the heap's objects counted as
// the live heap of the last collection. It does nothing unless
// DefaultFreeMemory turned the SDK's forced collections off.
func BoundMemory() {
	if !memoryLimited {
		return
	}
	s := make([]metrics.Sample, len(limitSamples))
	copy(s, limitSamples)
	metrics.Read(s)
	v := func(i int) int64 {
		if s[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(s[i].Value.Uint64())
	}
	total, released, free, objects, live := v(0), v(1), v(2), v(3), v(4)
	base := total - released - free - objects + live
	debug.SetMemoryLimit(base + memoryHeadroom)
}
