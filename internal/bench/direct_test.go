package bench

import (
	"testing"

	"github.com/bursar/bursar/internal/money"
)

func TestFlowAt(t *testing.T) {
	cats := []string{"A", "B"}
	var sum Totals
	for i := range 12 {
		f := flowAt(i, cats)
		if f.amount < 100 || f.amount > 99999 {
			t.Fatalf("flow %d amount %s outside 1.00–999.99", i, f.amount)
		}
		if want := map[bool]int{true: 1, false: 2}[i%3 == 0]; f.typ != want {
			t.Fatalf("flow %d type %d, want %d: a third are incomes", i, f.typ, want)
		}
		if (f.category == "") != (i%4 == 3) {
			t.Fatalf("flow %d category %q: every fourth has none", i, f.category)
		}
		sum.add(f.totals())
	}
	if sum.Count != 12 || sum.Incomes+sum.Expenses != total(12) {
		t.Fatalf("totals %+v", sum)
	}
	if f := flowAt(5, nil); f.category != "" {
		t.Fatalf("no categories: got %q", f.category)
	}
}

func total(n int) money.Cents {
	var c money.Cents
	for i := range n {
		c += flowAt(i, nil).amount
	}
	return c
}
