package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"
)

// A counted list used to be two statements, the count and then the page; on PostgreSQL each is a
// round trip (issue 6). Now the count rides along as the page's first column: the page query
// gets "(count) AS total" prepended, and since the count does not refer to the rows, both
// engines run it once per statement. Only a page without rows (an empty list, or a page past
// the end) asks for the count again, alone.

// withCount returns list, a query beginning "SELECT ", with count's value as its first column.
func withCount(list, count string) string {
	return "SELECT (" + count + "), " + strings.TrimPrefix(list, "SELECT ")
}

// shiftParams renumbers the $n placeholders of q to $(n+by), for a query whose arguments follow
// another's n in one statement.
func shiftParams(q string, by int) string {
	var b strings.Builder
	b.Grow(len(q) + 8)
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c != '$' || i+1 == len(q) || q[i+1] < '0' || q[i+1] > '9' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(q[i+1 : j])
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n + by))
		i = j - 1
	}
	return b.String()
}

// countedRow scans a row of a withCount query: the count into total, the rest into dest. A
// NULL count (a scalar subquery that found no row: the list's subject, such as a budget the
// caller cannot see, does not exist for them) sets missing.
type countedRow struct {
	rows    *sql.Rows
	total   *int
	missing bool
	count   sql.NullInt64
	dest    []any
}

func (r *countedRow) Scan(dest ...any) error {
	r.dest = append(append(r.dest[:0], &r.count), dest...)
	if err := r.rows.Scan(r.dest...); err != nil {
		return err
	}
	*r.total, r.missing = int(r.count.Int64), !r.count.Valid
	return nil
}

// ValuesList renders the VALUES rows of a multi-row INSERT: "($1, …, $cols), (…)" for rows rows,
// or "(?, …), (…)" unless numbered (modernc binds "?" by position, faster than "$n" by name in
// statements with thousands of placeholders).
func ValuesList(rows, cols int, numbered bool) string {
	var b strings.Builder
	b.Grow(rows * cols * 6)
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			if !numbered {
				b.WriteByte('?')
				continue
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(r*cols + c + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}
