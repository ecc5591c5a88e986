package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
)

// BillingServices are the services of payables and receivables, wired in cmd/bursar. Finance
// records the transactions that settle payments.
type BillingServices struct {
	Billing *billing.Service
	Finance *finance.Service
}

// billPath and billParam name each kind's routes and id parameter.
var (
	billPath  = map[billing.Kind]string{billing.Receivable: "/receivables", billing.Payable: "/payables"}
	billParam = map[billing.Kind]string{billing.Receivable: "receivable_id", billing.Payable: "payable_id"}
)

// billingRoutes registers the payables and receivables routes (business-api.md §2.6, routes
// 23–30), all for staff. The list also searches (conventions S9).
func (s *Server) billingRoutes(rt *router) {
	staff := business.NeedStaff
	for _, k := range []billing.Kind{billing.Receivable, billing.Payable} {
		base, one := billPath[k], billPath[k]+"/{"+billParam[k]+"}"
		rt.authed("GET "+base, s.asActor(staff, s.billList(k)))
		rt.authed("POST "+base, s.asActor(staff, s.billCreate(k)))
		rt.authed("GET "+one, s.asActor(staff, s.billGet(k)))
		rt.authed("PATCH "+one, s.asActor(staff, s.billPatch(k)))
		rt.authed("DELETE "+one, s.asActor(staff, s.billDelete(k)))
		rt.authed("POST "+one+"/settle", s.asActor(staff, s.billSettle(k)))
	}
}

// billPaymentOut is a payment as the predecessor rendered it: contact and category by name
// (category null when unset, defect 32).
type billPaymentOut struct {
	ID                 string       `json:"id"`
	Contact            string       `json:"contact"`
	Category           *string      `json:"category"`
	IssuedAt           string       `json:"issued_at"`
	DueAt              string       `json:"due_at"`
	PaidAt             *string      `json:"paid_at"`
	UpdatedAt          string       `json:"updated_at"`
	TotalAmount        money.Cents  `json:"total_amount"`
	AmountPaid         money.Cents  `json:"amount_paid"`
	OutstandingBalance money.Cents  `json:"outstanding_balance"`
	PaymentType        billing.Kind `json:"payment_type"`
	PaymentMethod      *string      `json:"payment_method"`
	Status             string       `json:"status"`
	Recurrence         string       `json:"recurrence"`
	InstallmentCount   *int64       `json:"installment_count"`
	DueWeekday         *string      `json:"due_weekday"`
	DueDayOfMonth      *int64       `json:"due_day_of_month"`
	Reference          *string      `json:"reference"`
	Notes              string       `json:"notes"`
}

func billPaymentJSON(a *business.Actor, p *billing.Payment) billPaymentOut {
	return billPaymentOut{ID: p.ID, Contact: p.ContactName, Category: p.CategoryName, IssuedAt: p.IssuedAt,
		DueAt: p.DueAt, PaidAt: p.PaidAt, UpdatedAt: bizStamp(a, p.UpdatedAt), TotalAmount: p.Total,
		AmountPaid: p.Paid, OutstandingBalance: p.Outstanding(), PaymentType: p.Kind, PaymentMethod: p.Method,
		Status: string(p.Status), Recurrence: string(p.Recurrence), InstallmentCount: p.InstallmentCount,
		DueWeekday: p.DueWeekday, DueDayOfMonth: p.DueDayOfMonth, Reference: p.Reference, Notes: p.Notes}
}

// billKeys are the keys a payment body may hold besides the read-only ones.
var billKeys = []string{"contact", "category", "issued_at", "due_at", "total_amount", "notes", "reference",
	"payment_method", "recurrence", "installment_count", "due_day_of_month", "due_weekday"}

func (s *Server) billInput(w http.ResponseWriter, r *http.Request) (billing.Input, error) {
	b, err := s.bizBody(w, r, billKeys...)
	if err != nil {
		return billing.Input{}, err
	}
	in := billing.Input{Contact: b.Text("contact"), Category: b.Text("category"), IssuedAt: b.Text("issued_at"),
		DueAt: b.Text("due_at"), Notes: b.Text("notes"), Reference: b.Text("reference"),
		Method: b.Text("payment_method"), Recurrence: b.Text("recurrence"), DueWeekday: b.Text("due_weekday"),
		Total: b.Money("total_amount", billing.MaxTotalDigits), InstallmentCount: b.Int("installment_count"),
		DueDayOfMonth: b.Int("due_day_of_month")}
	return in, b.Err()
}

// billList is GET /receivables and /payables: the list, searched with search and filtered on
// due_at with date, start_date and end_date (§1.6–§1.7, S9).
func (s *Server) billList(k billing.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		p, bp, err := bizPage(r)
		if err != nil {
			return err
		}
		q := billing.Query{Search: bizQueryOpt(r, "search"), Date: bizFilterOpt(r, "date"),
			StartDate: bizFilterOpt(r, "start_date"), EndDate: bizFilterOpt(r, "end_date")}
		ps, total, err := s.bill.Billing.List(r.Context(), a, k, q, bp)
		if err != nil {
			return err
		}
		items := make([]map[string]billPaymentOut, len(ps))
		for i := range ps {
			items[i] = map[string]billPaymentOut{"payment": billPaymentJSON(a, &ps[i])}
		}
		return writePage(s, w, r, p, total, items)
	}
}

func (s *Server) billCreate(k billing.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		in, err := s.billInput(w, r)
		if err != nil {
			return err
		}
		p, err := s.bill.Billing.Create(r.Context(), a, k, in)
		if err != nil {
			return err
		}
		return bizWrap(w, http.StatusCreated, "payment", billPaymentJSON(a, p))
	}
}

func (s *Server) billGet(k billing.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		p, err := s.bill.Billing.Payment(r.Context(), a, k, bizPathID(r, billParam[k]))
		if err != nil {
			return err
		}
		return bizWrap(w, http.StatusOK, "payment", billPaymentJSON(a, p))
	}
}

func (s *Server) billPatch(k billing.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		in, err := s.billInput(w, r)
		if err != nil {
			return err
		}
		p, err := s.bill.Billing.Update(r.Context(), a, k, bizPathID(r, billParam[k]), in)
		if err != nil {
			return err
		}
		return bizWrap(w, http.StatusOK, "payment", billPaymentJSON(a, p))
	}
}

// billDelete answers {"payment": {"id": "<id>", "deleted": true}}; a payment that transactions
// settle is 409 (defect 22).
func (s *Server) billDelete(k billing.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		pid := bizPathID(r, billParam[k])
		if err := s.bill.Billing.Delete(r.Context(), a, k, pid); err != nil {
			return err
		}
		return bizWrap(w, http.StatusOK, "payment", finDeletedOut{ID: pid, Deleted: true})
	}
}

// billSettleKeys are the keys of a settle body: amount and account are read, the other
// transaction keys are accepted and overwritten (§2.6).
var billSettleKeys = []string{"amount", "account", "type", "description", "category", "contact", "payment", "send_to"}

// billSettle is POST /receivables/{id}/settle and /payables/{id}/settle: 201 with the
// transaction, its payment set (defect 18).
func (s *Server) billSettle(k billing.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		b, err := s.bizBody(w, r, billSettleKeys...)
		if err != nil {
			return err
		}
		in := finance.SettleInput{Amount: b.Money("amount", finance.MaxAmountDigits), Account: b.Text("account")}
		if err := b.Err(); err != nil {
			return err
		}
		t, err := s.bill.Finance.Settle(r.Context(), a, k, bizPathID(r, billParam[k]), in)
		if err != nil {
			return err
		}
		return bizWrap(w, http.StatusCreated, "transaction", finTransactionJSON(a, t))
	}
}
