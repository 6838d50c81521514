package pgbed

import (
	"reflect"
	"testing"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

func TestReferences(t *testing.T) {
	tables := map[string]*proto.TableSchema{
		"defender_email_events": {}, "defender_email_url_info": {}, "defender_hunting_query": {},
	}
	for _, c := range []struct {
		sql     string
		tables  []string
		hunting []huntingQuery
	}{
		{"select * from defender_email_url_info u join Defender_Email_Events e using (x) -- defender_hunting_query",
			[]string{"defender_email_events", "defender_email_url_info"}, nil},
		{"select 'defender_email_events' /* defender_email_url_info */ from \"defender_email_events\"",
			[]string{"defender_email_events"}, nil},
		{"select data from defender_hunting_query where query = 'T | where A == ''x''' and timespan = 'P7D'",
			[]string{"defender_hunting_query"}, []huntingQuery{{"T | where A == 'x'", "P7D"}}},
		{"select * from defender_hunting_query h where h.query = 'A' union all select * from defender_hunting_query where query = 'B'",
			[]string{"defender_hunting_query"}, []huntingQuery{{"A", ""}, {"B", ""}}},
	} {
		r, err := references(c.sql, tables)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if !reflect.DeepEqual(r.tables, c.tables) || !reflect.DeepEqual(r.hunting, c.hunting) {
			t.Errorf("%s:\ngot  %v %v\nwant %v %v", c.sql, r.tables, r.hunting, c.tables, c.hunting)
		}
	}
	if _, err := references("select * from defender_hunting_query where query like 'x%'", tables); err == nil {
		t.Error("no error for defender_hunting_query without query = '...'")
	}
}
