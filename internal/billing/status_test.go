package billing

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/money"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestDerive: the one status rule (conventions S27, defect 19), paid first, then overdue.
func TestDerive(t *testing.T) {
	tests := []struct {
		total, paid money.Cents
		due, today  string
		want        Status
	}{
		{10000, 0, "2025-06-25", "2025-06-25", Pending},          // due today is not overdue
		{10000, 0, "2025-06-26", "2025-06-25", Pending},          // due tomorrow
		{10000, 2500, "2025-06-25", "2025-06-25", PartiallyPaid}, // §5: 25 of 100
		{10000, 0, "2025-06-24", "2025-06-25", Overdue},
		{10000, 2500, "2025-06-24", "2025-06-25", Overdue}, // overdue wins over partially paid
		{10000, 10000, "2025-06-24", "2025-06-25", Paid},   // paid wins over overdue
		{10000, 10000, "2025-06-26", "2025-06-25", Paid},
		{5000, 10000, "2025-06-26", "2025-06-25", Paid},    // never stored, but never "pending"
		{10000, 9999, "2024-12-31", "2025-01-01", Overdue}, // across a year end
		{10000, 1, "2025-01-01", "2024-12-31", PartiallyPaid},
	}
	for _, tc := range tests {
		if got := Derive(tc.total, tc.paid, tc.due, tc.today); got != tc.want {
			t.Errorf("Derive(%s, %s, due %s, today %s) = %s, want %s", tc.total, tc.paid, tc.due, tc.today, got, tc.want)
		}
	}
}

// TestDeriveInBusinessZones: "today" is the business's date (S26), so the same instant makes a
// payment due on 24 June overdue in one zone and not yet in another.
func TestDeriveInBusinessZones(t *testing.T) {
	tests := []struct {
		now  string // UTC
		zone string
		want Status
	}{
		{"2025-06-25T02:00:00Z", "UTC", Overdue},
		{"2025-06-25T02:00:00Z", "America/Recife", Pending},     // 23:00 on the 24th
		{"2025-06-25T03:00:00Z", "America/Recife", Overdue},     // local midnight
		{"2025-06-24T14:59:59Z", "Asia/Tokyo", Pending},         // 23:59:59 on the 24th
		{"2025-06-24T15:00:00Z", "Asia/Tokyo", Overdue},         // local midnight
		{"2025-06-25T11:59:00Z", "Pacific/Honolulu", Overdue},   // 01:59 on the 25th
		{"2025-06-25T09:59:00Z", "Pacific/Honolulu", Pending},   // 23:59 on the 24th
		{"2025-06-25T10:00:00Z", "Pacific/Kiritimati", Overdue}, // UTC+14: already the 26th
	}
	for _, tc := range tests {
		now, err := time.Parse(time.RFC3339, tc.now)
		if err != nil {
			t.Fatal(err)
		}
		today := Today(now, zone(t, tc.zone))
		if got := Derive(10000, 0, "2025-06-24", today); got != tc.want {
			t.Errorf("at %s in %s (today %s): %s, want %s", tc.now, tc.zone, today, got, tc.want)
		}
	}
}

// TestPayAndUnpay: the settle rules (§2.6, S22, defects 14 and 19) with paid_at the business's
// date of the payment.
func TestPayAndUnpay(t *testing.T) {
	recife := zone(t, "America/Recife")
	at := time.Date(2025, 6, 26, 1, 30, 0, 0, time.UTC) // 22:30 on the 25th in Recife
	p := &Payment{ID: "P", Kind: Receivable, Total: 10000, DueAt: "2025-06-30", Status: Pending}
	if err := p.Pay(2500, at, recife, "amount"); err != nil {
		t.Fatal(err)
	}
	if p.Paid != 2500 || p.Outstanding() != 7500 || p.Status != PartiallyPaid || p.PaidAt != nil || !p.UpdatedAt.Equal(at) {
		t.Fatalf("after 25 of 100: %+v", p)
	}
	err := p.Pay(7501, at, recife, "amount")
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid || e.Fields["amount"][0] != "Ensure this value is less than or equal to the outstanding balance (75.00)." {
		t.Fatalf("over-payment: %v", err)
	}
	if p.Paid != 2500 {
		t.Fatalf("a refused payment changed the amount paid: %s", p.Paid)
	}
	if err := p.Pay(0, at, recife, "amount"); err == nil {
		t.Fatal("zero accepted")
	}
	if err := p.Pay(7500, at, recife, "amount"); err != nil {
		t.Fatal(err)
	}
	if p.Status != Paid || p.PaidAt == nil || *p.PaidAt != "2025-06-25" || p.Outstanding() != 0 {
		t.Fatalf("paid in full: %+v (paid_at %v); want paid on the local date 2025-06-25", p, p.PaidAt)
	}
	// Taking a transaction back after the due date leaves the payment overdue (defect 19).
	later := time.Date(2025, 7, 2, 12, 0, 0, 0, time.UTC)
	p.Unpay(7500, later, recife)
	if p.Paid != 2500 || p.Status != Overdue || p.PaidAt != nil {
		t.Fatalf("after deleting the last settle: %+v", p)
	}
	p.Unpay(2500, later, recife)
	if p.Paid != 0 || p.Status != Overdue {
		t.Fatalf("after deleting every settle: %+v", p)
	}
	q := &Payment{ID: "Q", Kind: Payable, Total: 100, DueAt: "2025-06-30"}
	q.Unpay(0, later, recife)
	if q.Status != Overdue {
		t.Fatalf("re-derived status %s", q.Status)
	}
}

func TestSettleDescription(t *testing.T) {
	p := &Payment{ID: "01JYM6QVGZBSTGMECFQV138WAA", Kind: Receivable, Notes: "Invoice 12"}
	if got := p.SettleDescription(); got != "Invoice 12 | Ref. Receivable ID 01JYM6QVGZBSTGMECFQV138WAA" {
		t.Fatalf("got %q", got)
	}
	p.Kind, p.Notes = Payable, strings.Repeat("é", 500)
	got := p.SettleDescription()
	if utf8.RuneCountInString(got) != 255 || !strings.HasSuffix(got, "é | Ref. Payable ID 01JYM6QVGZBSTGMECFQV138WAA") {
		t.Fatalf("long notes: %d characters, %q", utf8.RuneCountInString(got), got)
	}
}
