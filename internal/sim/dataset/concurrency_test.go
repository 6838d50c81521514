package dataset

import (
	"reflect"
	"sync"
	"testing"
)

// Scans of one dataset may run concurrently and agree with a lone scan.
func TestConcurrentScans(t *testing.T) {
	d := newTest(t)
	want := scan(t, d, "DeviceProcessEvents")
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !reflect.DeepEqual(scan(t, d, "DeviceProcessEvents"), want) {
				errs <- "concurrent scan differs"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
