package sim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// Content types of successful answers.
const (
	graphContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"
	mdeContentType   = "application/json; charset=utf-8"
)

// respond cuts the result to the row cap, serialises it in the API's
// shape, refuses it with 400 when it is larger than the result size
// limit, and sends it, damaged if a reset or malformed fault is pending.
func (x *exchange) respond(res *engine.Result, elapsed time.Duration) {
	rowCap, maxBytes := x.s.faults.limits()
	x.call.Scanned, x.call.Skipped = res.Stats.Scanned, res.Stats.Skipped
	rows := res.Rows
	if len(rows) > rowCap {
		rows = rows[:rowCap]
	}
	var body []byte
	var fits bool
	contentType := graphContentType
	if x.api == graphAPI {
		body = append(body, `{"@odata.context":`...)
		body = appendString(body, x.s.url+"/"+x.version()+"/$metadata#microsoft.graph.security.huntingQueryResults")
		body = append(body, ',')
		body, fits = appendResult(body, graphKeys, res.Columns, rows, clampLimit(maxBytes))
		body = append(body, '}')
	} else {
		contentType = mdeContentType
		var tail []byte
		tail, fits = appendResult(nil, mdeKeys, res.Columns, rows, clampLimit(maxBytes))
		body = append(body, `{"Stats":`...)
		body = appendStats(body, elapsed, len(rows), len(tail))
		body = append(body, ',')
		body = append(body, tail...)
		body = append(body, '}')
	}
	if !fits || int64(len(body)) > maxBytes {
		x.fail(http.StatusBadRequest, codeBadRequest, codeBadRequest, fmt.Sprintf(
			"The query result exceeded the allowed result size (%d bytes). Return fewer rows or columns, "+
				"for example with summarize, project or take, and run it again.", maxBytes))
		return
	}
	x.call.Rows = len(rows)
	switch x.s.faults.takeCorruption() {
	case reset:
		x.call.Fault = "reset"
		x.breakOff(contentType, body)
	case malformed:
		x.call.Fault = "malformed"
		x.write(http.StatusOK, contentType, body[:len(body)/2])
	default:
		x.write(http.StatusOK, contentType, body)
	}
}

// version is "v1.0" or "beta", from the request path.
func (x *exchange) version() string {
	if hasPrefixFold(x.r.URL.Path, "/beta/") {
		return "beta"
	}
	return "v1.0"
}

// clampLimit turns the byte limit into a slice length bound.
func clampLimit(n int64) int {
	return int(min(n, int64(^uint(0)>>1)))
}

// appendStats writes the MDE API's Stats object: execution time in
// seconds, CPU time in .NET TimeSpan form and the result's row count and
// size.
func appendStats(b []byte, elapsed time.Duration, rows, size int) []byte {
	b = append(b, `{"ExecutionTime":`...)
	b = strconv.AppendFloat(b, elapsed.Seconds(), 'f', 7, 64)
	b = append(b, `,"resource_usage":{"cache":{"memory":{"hits":0,"misses":0,"total":0},"disk":{"hits":0,"misses":0,"total":0}},"cpu":{"user":`...)
	b = appendTimespan(b, elapsed)
	b = append(b, `,"kernel":"00:00:00","total cpu":`...)
	b = appendTimespan(b, elapsed)
	b = append(b, `},"memory":{"peak_per_node":`...)
	b = strconv.AppendInt(b, int64(size), 10)
	b = append(b, `}},"dataset_statistics":[{"table_row_count":`...)
	b = strconv.AppendInt(b, int64(rows), 10)
	b = append(b, `,"table_size":`...)
	b = strconv.AppendInt(b, int64(size), 10)
	return append(b, `}]}`...)
}

// breakOff takes the connection over, announces the whole body, sends
// half of it and closes the connection.
func (x *exchange) breakOff(contentType string, body []byte) {
	conn, rw, err := http.NewResponseController(x.w).Hijack()
	if err != nil {
		// Not hijackable (never the case on this HTTP/1.1 server): abort
		// the response, which also drops the connection.
		x.record(http.StatusOK, 0)
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	var head strings.Builder
	head.WriteString("HTTP/1.1 200 OK\r\n")
	for _, kv := range [][2]string{
		{"Content-Type", contentType},
		{"Content-Length", strconv.Itoa(len(body))},
		{"request-id", x.requestID},
		{"client-request-id", x.clientRequestID},
	} {
		head.WriteString(kv[0] + ": " + kv[1] + "\r\n")
	}
	head.WriteString("\r\n")
	x.record(http.StatusOK, len(body)/2)
	rw.WriteString(head.String())
	rw.Write(body[:len(body)/2])
	rw.Flush()
}
