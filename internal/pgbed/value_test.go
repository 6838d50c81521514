package pgbed

import (
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func TestFDWText(t *testing.T) {
	ts := func(s string) *proto.Column {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return &proto.Column{Value: &proto.Column_TimestampValue{TimestampValue: timestamppb.New(v)}}
	}
	js := func(s string) *proto.Column {
		return &proto.Column{Value: &proto.Column_JsonValue{JsonValue: []byte(s)}}
	}
	for _, c := range []struct {
		in   *proto.Column
		want any
	}{
		{&proto.Column{Value: &proto.Column_NullValue{}}, nil},
		{&proto.Column{Value: &proto.Column_StringValue{StringValue: "a'b"}}, "a'b"},
		{&proto.Column{Value: &proto.Column_IntValue{IntValue: -42}}, "-42"},
		{&proto.Column{Value: &proto.Column_DoubleValue{DoubleValue: 1e21}}, "1000000000000000000000"},
		{&proto.Column{Value: &proto.Column_BoolValue{BoolValue: true}}, "true"},
		{ts("2026-11-23T09:41:00.1234567+01:00"), "2026-11-23T08:41:00.1234567Z"},
		{ts("2026-11-23T09:41:00.1200000Z"), "2026-11-23T09:41:00.12Z"},
		{ts("2026-11-23T09:41:00Z"), "2026-11-23T09:41:00Z"},
		{js(`{"b": 9007199254740993, "a": "<x>"}`), `{"a":"\u003cx\u003e","b":9007199254740992}`},
		{js(`["a\u0000b", "c\\u0000d"]`), `["ab","c\\u0000d"]`},
	} {
		got, err := fdwText(c.in)
		if err != nil {
			t.Errorf("%v: %v", c.in, err)
		} else if got != c.want {
			t.Errorf("%v: got %#v, want %#v", c.in, got, c.want)
		}
	}
}
