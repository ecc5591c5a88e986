package inventory_test

import (
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

func costIn(q int64, cost, retail string) inventory.CostInput {
	return inventory.CostInput{Quantity: opt.Of(q), EffectiveDate: opt.Of("2025-06-01"), CostPrice: opt.Of(cents(cost)),
		RetailPrice: opt.Of(cents(retail))}
}

// TestCostHistory: markup and weighted average computed when not sent (or sent null or 0),
// kept when sent; PATCH recomputes only what is sent null or 0; the product's own cost price
// is not touched (business-api.md §2.9, §5, S23, S36).
func TestCostHistory(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		p := w.product(t, w.owner, "Caneta", 0, true)
		var last *inventory.Cost
		for _, c := range []string{"25", "33", "41"} {
			last = must(w.svc.CreateCost(ctx, w.member, p.ID, costIn(53, c, "50")))(t)
		}
		if show(last.AverageCost) != "33.00" || show(last.Markup) != "21.95" { // 9/41 = 21.951…
			t.Fatalf("third entry %+v", last)
		}
		c := must(w.svc.CreateCost(ctx, w.owner, p.ID, costIn(1, "25.60", "35")))(t)
		if show(c.Markup) != "36.72" {
			t.Fatalf("markup %s", show(c.Markup))
		}
		in := costIn(1, "25.60", "35")
		in.Markup, in.AverageCost = opt.Of(cents("30")), opt.Of(cents("12.34"))
		c = must(w.svc.CreateCost(ctx, w.owner, p.ID, in))(t)
		if show(c.Markup) != "30.00" || show(c.AverageCost) != "12.34" {
			t.Fatalf("sent markup and average: %+v", c)
		}
		in.Markup, in.AverageCost = opt.Of(money.Cents(0)), opt.Null[money.Cents]()
		c = must(w.svc.CreateCost(ctx, w.owner, p.ID, in))(t)
		// (53×(25+33+41) + 3×25.60) / 162 = 5323.80 / 162 = 32.8629…
		if show(c.Markup) != "36.72" || show(c.AverageCost) != "32.86" {
			t.Fatalf("zero and null are computed: %+v", c)
		}

		// PATCH: no recomputation unless asked.
		first := must3(w.svc.ListCosts(ctx, w.owner, p.ID, business.Page{Limit: 50}))(t)[0]
		got := must(w.svc.UpdateCost(ctx, w.owner, p.ID, first.ID, inventory.CostInput{RetailPrice: opt.Of(cents("100"))}))(t)
		if show(got.Markup) != "100.00" || show(got.AverageCost) != "25.00" || got.RetailPrice != cents("100") {
			t.Fatalf("patch recomputed: %+v (was %+v)", got, first)
		}
		got = must(w.svc.UpdateCost(ctx, w.owner, p.ID, first.ID, inventory.CostInput{Markup: opt.Null[money.Cents](),
			CostPrice: opt.Of(cents("20")), AverageCost: opt.Of(money.Cents(0))}))(t)
		if show(got.Markup) != "400.00" || show(got.AverageCost) != "20.00" {
			t.Fatalf("patch with null markup and 0 average: %+v", got)
		}
		if pr := must(w.svc.Product(ctx, w.owner, p.ID))(t); pr.CostPrice != nil {
			t.Fatalf("product cost price %v", pr.CostPrice)
		}

		// Validation, and the product first.
		bad := costIn(-1, "1", "1")
		bad.Markup = opt.Of(cents("1000"))
		bad.EffectiveDate = opt.Of("01/06/2025")
		_, err := w.svc.CreateCost(ctx, w.owner, p.ID, bad)
		wantErr(t, err, apperr.Invalid, "", "quantity", "Ensure this value is greater than or equal to 1.")
		wantErr(t, err, apperr.Invalid, "", "markup", "Ensure that there are no more than 3 digits before the decimal point.")
		wantErr(t, err, apperr.Invalid, "", "effective_date", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
		_, err = w.svc.CreateCost(ctx, w.owner, p.ID, costIn(0, "1", "1"))
		wantErr(t, err, apperr.Invalid, "", "quantity", "Ensure this value is greater than or equal to 1.")
		_, err = w.svc.CreateCost(ctx, w.owner, p.ID, inventory.CostInput{})
		for _, f := range []string{"quantity", "effective_date", "cost_price", "retail_price"} {
			wantErr(t, err, apperr.Invalid, "", f, apperr.MsgRequired)
		}
		_, err = w.svc.CreateCost(ctx, w.other, p.ID, costIn(1, "1", "1"))
		wantErr(t, err, apperr.NotFound, inventory.MsgProductNotFound, "", "")
		_, err = w.svc.Cost(ctx, w.other, p.ID, first.ID)
		wantErr(t, err, apperr.NotFound, inventory.MsgProductNotFound, "", "")
		q := w.product(t, w.owner, "Lápis", 0, true)
		_, err = w.svc.Cost(ctx, w.owner, q.ID, first.ID)
		wantErr(t, err, apperr.NotFound, inventory.MsgCostNotFound, "", "")

		if err := w.svc.DeleteCost(ctx, w.owner, p.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		err = w.svc.DeleteCost(ctx, w.owner, p.ID, first.ID)
		wantErr(t, err, apperr.NotFound, inventory.MsgCostNotFound, "", "")
	})
}
