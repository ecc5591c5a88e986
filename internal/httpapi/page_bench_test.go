package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/money"
)

// BenchmarkWritePage50 encodes one full page (50 cash flows) of GET /cash-flows/ with its links,
// as the handler does.
//
//	go test -run '^$' -bench WritePage -benchmem ./internal/httpapi/
func BenchmarkWritePage50(b *testing.B) {
	s := &Server{}
	cat := "01JYM6QVGZBSTGMECFQV138WAA"
	items := make([]cashFlowItemJSON, PageSize)
	for i := range items {
		items[i] = cashFlowItemJSON{ID: fmt.Sprintf("01JYM6QVGZBSTGMECFQV13%04d", i), Name: fmt.Sprintf("Groceries %d", i),
			Amount: money.Cents(123456 + i), Type: budgets.Expense, Category: &cat, Description: "weekly shop at the market",
			Budget: "01JYM6QVGZBSTGMECFQV138WAB"}
	}
	r := httptest.NewRequest(http.MethodGet, "/cash-flows/?budget=01JYM6QVGZBSTGMECFQV138WAB", nil)
	p := Page{Number: 1, Limit: PageSize}
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		if err := writePage(s, w, r, p, 1_000_000, items); err != nil {
			b.Fatal(err)
		}
	}
}
