package hunting

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

// benchStart is the time of the first benchmark row; rows are 1 ms apart.
var benchStart = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// wideTail builds the 59 columns after Timestamp of a row shaped like a
// Device* table: GUIDs, paths, longs above 2^53, bools, dynamic values and
// empty strings, ending with the closing brace.
func wideTail(i int) []byte {
	var b bytes.Buffer
	for c := 1; c < 60; c++ {
		switch c % 6 {
		case 0:
			fmt.Fprintf(&b, `,"Col%02d":"a1b2c3d4-0000-4000-8000-%012d"`, c, i)
		case 1:
			fmt.Fprintf(&b, `,"Col%02d":"C:\\Windows\\System32\\svchost.exe"`, c)
		case 2:
			fmt.Fprintf(&b, `,"Col%02d":%d`, c, 9007199254740993+int64(i))
		case 3:
			fmt.Fprintf(&b, `,"Col%02d":true`, c)
		case 4:
			fmt.Fprintf(&b, `,"Col%02d":{"Tags":["a","b"],"Count":%d}`, c, i%7)
		default:
			fmt.Fprintf(&b, `,"Col%02d":""`, c)
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// sampleTails are distinct row tails that rowsReader cycles through, so
// that building the body costs the benchmark little.
var sampleTails = func() [][]byte {
	tails := make([][]byte, 1024)
	for i := range tails {
		tails[i] = wideTail(i)
	}
	return tails
}()

// rowsReader streams a response of n rows without holding it in memory.
type rowsReader struct {
	n, i int
	buf  []byte
	done bool
}

func newRowsReader(n int) *rowsReader {
	return &rowsReader{n: n, buf: []byte(`{"@odata.context":"x","schema":[{"name":"Timestamp","type":"DateTime"}],"results":[`)}
}

func (r *rowsReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		switch {
		case r.done:
			return 0, io.EOF
		case r.i == r.n:
			r.buf, r.done = []byte("]}"), true
		default:
			if r.i > 0 {
				r.buf = append(r.buf[:0], ',')
			}
			r.buf = append(r.buf, `{"Timestamp":"`...)
			r.buf = benchStart.Add(time.Duration(r.i)*time.Millisecond).AppendFormat(r.buf, "2006-01-02T15:04:05.0000000Z")
			r.buf = append(r.buf, '"')
			r.buf = append(r.buf, sampleTails[r.i%len(sampleTails)]...)
			r.i++
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func bodySize(n int) int64 {
	size, _ := io.Copy(io.Discard, newRowsReader(n))
	return size
}

const benchRows = 100000

func BenchmarkDecode100kRows60Cols(b *testing.B) {
	size := bodySize(benchRows)
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	var ms runtime.MemStats
	for b.Loop() {
		seen := 0
		n, err := decodeResults(newRowsReader(benchRows), func(Row) error {
			if seen++; seen%20000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		})
		if err != nil || n != benchRows {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.Logf("body %.1f MB for %d rows; largest heap in use while decoding %.1f MB", float64(size)/1e6, benchRows, float64(peak)/1e6)
}

func BenchmarkRunOverTLS100kRows60Cols(b *testing.B) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.Copy(w, newRowsReader(benchRows))
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, HTTPClient: srv.Client(), RowCap: 200000,
		Token: func(context.Context, bool) (string, error) { return "t", nil }})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(bodySize(benchRows))
	b.ReportAllocs()
	render := func(Slice, int64) (string, error) { return "T | sort by Timestamp asc", nil }
	for b.Loop() {
		st, err := c.Run(context.Background(), Request{Render: render, TimeColumn: "Timestamp", Order: Asc}, func(Row) error { return nil })
		if err != nil || st.Rows != benchRows {
			b.Fatal(st, err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
