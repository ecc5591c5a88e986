package httpapi

import (
	"net/http"
	"strings"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// A product's cost history (business-api.md §2.9; defect 11; conventions S23, S36).

// prodCostKeys are a cost entry's keys; product is read-only (set from the path), accepted and
// ignored like the other echoed keys (conventions "Unknown body fields").
var prodCostKeys = []string{"quantity", "effective_date", "cost_price", "retail_price", "markup", "average_cost", "product"}

// prodCostOut is the predecessor's cost object, exactly its keys (S33).
type prodCostOut struct {
	ID            string       `json:"id"`
	EffectiveDate string       `json:"effective_date"`
	Quantity      int64        `json:"quantity"`
	CostPrice     money.Cents  `json:"cost_price"`
	AverageCost   *money.Cents `json:"average_cost"`
	RetailPrice   money.Cents  `json:"retail_price"`
	Markup        *money.Cents `json:"markup"`
	Product       string       `json:"product"`
}

func prodCostJSON(c *inventory.Cost) prodCostOut {
	return prodCostOut{ID: c.ID, EffectiveDate: c.EffectiveDate, Quantity: c.Quantity, CostPrice: c.CostPrice,
		AverageCost: c.AverageCost, RetailPrice: c.RetailPrice, Markup: c.Markup, Product: c.ProductID}
}

// prodMoneyOrBlank reads an amount where a blank string means null: "empty" markup and average
// cost are computed (business-api.md §2.9).
func prodMoneyOrBlank(b *Body, name string, maxWhole int) opt.Opt[money.Cents] {
	if v, set, null := b.field(name); set && !null {
		if s, isString, ok := scalarText(v); ok && isString && strings.TrimSpace(s) == "" {
			return opt.Null[money.Cents]()
		}
	}
	return b.Money(name, maxWhole)
}

func (s *Server) prodCostInput(w http.ResponseWriter, r *http.Request) (inventory.CostInput, error) {
	b, err := s.bizBody(w, r, prodCostKeys...)
	if err != nil {
		return inventory.CostInput{}, err
	}
	in := inventory.CostInput{Quantity: b.Int("quantity"), EffectiveDate: b.Text("effective_date"),
		CostPrice: b.Money("cost_price", inventory.PriceDigits), RetailPrice: b.Money("retail_price", inventory.PriceDigits),
		Markup: prodMoneyOrBlank(b, "markup", inventory.MarkupDigits), AverageCost: prodMoneyOrBlank(b, "average_cost", inventory.PriceDigits)}
	return in, b.Err()
}

func (s *Server) prodListCosts(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	cs, total, err := s.prod.Inventory.ListCosts(r.Context(), a, bizPathID(r, "product_id"), bp)
	if err != nil {
		return err
	}
	items := make([]map[string]prodCostOut, len(cs))
	for i := range cs {
		items[i] = map[string]prodCostOut{"cost": prodCostJSON(&cs[i])}
	}
	return writePage(s, w, r, p, total, items)
}

func (s *Server) prodCreateCost(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.prodCostInput(w, r)
	if err != nil {
		return err
	}
	c, err := s.prod.Inventory.CreateCost(r.Context(), a, bizPathID(r, "product_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "cost", prodCostJSON(c))
}

func (s *Server) prodGetCost(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	c, err := s.prod.Inventory.Cost(r.Context(), a, bizPathID(r, "product_id"), bizPathID(r, "cost_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "cost", prodCostJSON(c))
}

func (s *Server) prodPatchCost(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.prodCostInput(w, r)
	if err != nil {
		return err
	}
	c, err := s.prod.Inventory.UpdateCost(r.Context(), a, bizPathID(r, "product_id"), bizPathID(r, "cost_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "cost", prodCostJSON(c))
}

func (s *Server) prodDeleteCost(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	costID := bizPathID(r, "cost_id")
	if err := s.prod.Inventory.DeleteCost(r.Context(), a, bizPathID(r, "product_id"), costID); err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "cost", finDeletedOut{ID: costID, Deleted: true})
}
