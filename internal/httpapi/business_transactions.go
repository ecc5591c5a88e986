package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
)

// Financial transactions (business-api.md §2.5, §1.6–§1.7).

type finRefOut struct {
	ID   *string `json:"id"`
	Name *string `json:"name"`
}

type finContactRefOut struct {
	Name *string `json:"name"`
	ID   *string `json:"id"`
}

type finNameRefOut struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type finTransactionOut struct {
	ID          string           `json:"id"`
	Description string           `json:"description"`
	Amount      money.Cents      `json:"amount"`
	Type        finance.Type     `json:"type"`
	Timestamp   string           `json:"timestamp"`
	Category    finRefOut        `json:"category"`
	Operator    finNameRefOut    `json:"operator"`
	Account     finNameRefOut    `json:"account"`
	Contact     finContactRefOut `json:"contact"`
	Payment     *string          `json:"payment"`
	Linked      *string          `json:"linked"`
}

// finTransactionItem is one item of a page of transactions, {"transaction": {…}}: a struct, not
// a one-key map, which encoding/json would sort and reflect over for each of the 50 items.
type finTransactionItem struct {
	Transaction finTransactionOut `json:"transaction"`
}

func finTransactionJSON(a *business.Actor, t *finance.Transaction) finTransactionOut {
	out := finTransactionOut{ID: t.ID, Description: t.Description, Amount: t.Amount, Type: t.Type,
		Timestamp: bizStamp(a, t.Timestamp), Operator: finNameRefOut(t.Operator), Account: finNameRefOut(t.Account),
		Payment: t.PaymentID, Linked: t.LinkedID}
	if t.Category != nil {
		out.Category = finRefOut{ID: &t.Category.ID, Name: &t.Category.Name}
	}
	if t.Contact != nil {
		out.Contact = finContactRefOut{Name: &t.Contact.Name, ID: &t.Contact.ID}
	}
	return out
}

var finTransactionKeys = []string{"type", "amount", "description", "account", "category", "contact", "payment", "send_to"}

func (s *Server) finCreateTransaction(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	b, err := s.bizBody(w, r, finTransactionKeys...)
	if err != nil {
		return err
	}
	in := finance.TransactionInput{Type: b.Text("type"), Description: b.Text("description"),
		Amount: b.Money("amount", finance.MaxAmountDigits), Account: b.Text("account"), Category: b.Text("category"),
		Contact: b.Text("contact"), Payment: b.Text("payment"), To: b.Text("send_to")}
	if err := b.Err(); err != nil {
		return err
	}
	t, err := s.biz.Finance.CreateTransaction(r.Context(), a, in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "transaction", finTransactionJSON(a, t))
}

func (s *Server) finGetTransaction(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	t, err := s.biz.Finance.Transaction(r.Context(), a, bizPathID(r, "transaction_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "transaction", finTransactionJSON(a, t))
}

type finDeletedOut struct {
	ID      string `json:"id"`
	Deleted bool   `json:"deleted"`
}

func (s *Server) finDeleteTransaction(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	txID := bizPathID(r, "transaction_id")
	if err := s.biz.Finance.DeleteTransaction(r.Context(), a, txID); err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "transaction", finDeletedOut{ID: txID, Deleted: true})
}

// finListTransactions is GET /finance/transactions, with the filters of §1.6–§1.7 (no filter:
// the plain list).
func (s *Server) finListTransactions(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	q := finance.Query{Search: bizQueryOpt(r, "search"), Bank: bizFilterOpt(r, "bank"), Date: bizFilterOpt(r, "date"),
		StartDate: bizFilterOpt(r, "start_date"), EndDate: bizFilterOpt(r, "end_date")}
	ts, total, err := s.biz.Finance.ListTransactions(r.Context(), a, q, bp)
	if err != nil {
		return err
	}
	items := make([]finTransactionItem, len(ts))
	for i := range ts {
		items[i] = finTransactionItem{finTransactionJSON(a, &ts[i])}
	}
	return writePage(s, w, r, p, total, items)
}
