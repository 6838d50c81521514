package pgbed

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/e2e"
)

// batchRows is how many rows one INSERT statement carries.
const batchRows = 1000

// create makes table name in schema public with the plugin's columns and
// their Steampipe types.
func (b *Bed) create(ctx context.Context, name string) error {
	var defs []string
	for _, c := range b.tables[name].Columns {
		t, err := sqlType(c.Type)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", name, c.Name, err)
		}
		defs = append(defs, quoteIdent(c.Name)+" "+t)
	}
	_, err := b.DB().ExecContext(ctx, "create table public."+quoteIdent(name)+" ("+strings.Join(defs, ", ")+")")
	return err
}

// fill reads every column of table name through the plugin, with quals,
// and inserts the rows. The values travel as text in a JSON array and go
// through each column type's input function, as in the FDW.
func (b *Bed) fill(ctx context.Context, name string, quals []e2e.Qual) error {
	var cols, casts []string
	for i, c := range b.tables[name].Columns {
		t, _ := sqlType(c.Type) // checked by create
		cols = append(cols, c.Name)
		casts = append(casts, fmt.Sprintf("(r ->> %d)::%s", i, t))
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	insert := fmt.Sprintf("insert into public.%s (%s) select %s from jsonb_array_elements($1::text::jsonb) as r",
		quoteIdent(name), strings.Join(quoted, ", "), strings.Join(casts, ", "))
	var batch [][]any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		j, err := json.Marshal(batch)
		if err != nil {
			return err
		}
		batch = batch[:0]
		_, err = b.DB().ExecContext(ctx, insert, string(j))
		return err
	}
	err := b.scan(ctx, name, cols, quals, func(r *proto.Row) error {
		row := make([]any, len(cols))
		for i, c := range cols {
			v, err := fdwText(r.Columns[c])
			if err != nil {
				return fmt.Errorf("%s.%s: %w", name, c, err)
			}
			row[i] = v
		}
		if batch = append(batch, row); len(batch) == batchRows {
			return flush()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgbed: read %s through the plugin: %w", name, err)
	}
	return flush()
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
