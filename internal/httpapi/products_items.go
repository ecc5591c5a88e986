package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// Products of the caller's business: list and search (one route, S9), create, get, patch,
// soft delete (business-api.md §2.7, §1.6; conventions S37).

var prodKeys = []string{"name", "sku", "barcode", "brand", "category", "supplier", "cost_price", "retail_price",
	"discounted_price", "unit", "stock", "is_available", "track_stock", "is_active"}

// prodOut is the predecessor's product object, exactly its keys (S33).
type prodOut struct {
	ID              string       `json:"id"`
	Name            string       `json:"name"`
	SKU             *string      `json:"sku"`
	Barcode         *string      `json:"barcode"`
	Brand           *string      `json:"brand"`
	Category        *string      `json:"category"` // the category's name
	Supplier        []string     `json:"supplier"`
	CostPrice       *money.Cents `json:"cost_price"`
	RetailPrice     *money.Cents `json:"retail_price"`
	DiscountedPrice *money.Cents `json:"discounted_price"`
	Unit            *string      `json:"unit"`
	Stock           int64        `json:"stock"`
	IsAvailable     bool         `json:"is_available"`
	TrackStock      bool         `json:"track_stock"`
	IsActive        bool         `json:"is_active"`
}

func prodJSON(p *inventory.Product) prodOut {
	sup := p.SupplierIDs
	if sup == nil {
		sup = []string{}
	}
	return prodOut{ID: p.ID, Name: p.Name, SKU: p.SKU, Barcode: p.Barcode, Brand: p.Brand, Category: p.CategoryName,
		Supplier: sup, CostPrice: p.CostPrice, RetailPrice: p.RetailPrice, DiscountedPrice: p.DiscountedPrice,
		Unit: p.Unit, Stock: p.Stock, IsAvailable: p.IsAvailable, TrackStock: p.TrackStock, IsActive: p.IsActive}
}

// prodIDList reads a field holding one id or a list of ids (S37); null is Null.
func prodIDList(b *Body, name string) opt.Opt[[]string] {
	v, set, null := b.field(name)
	if !set || null {
		return opt.Opt[[]string]{Set: set, Null: null}
	}
	if s, isString, ok := scalarText(v); ok && isString {
		return opt.Of([]string{strings.TrimSpace(s)})
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		b.errs.Add(name, fmt.Sprintf("Expected a list of items but got type %q.", prodJSONKind(v)))
		return opt.Opt[[]string]{Set: true}
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, isString, ok := scalarText(it)
		if !ok || !isString {
			b.errs.Add(name, fmt.Sprintf("Incorrect type. Expected pk value, received %s.", prodJSONKind(it)))
			continue
		}
		out = append(out, strings.TrimSpace(s))
	}
	return opt.Of(out)
}

// prodJSONKind names the JSON type of v as DRF's messages do.
func prodJSONKind(v json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return "value"
	}
	if _, ok := x.(map[string]any); ok {
		return "dict"
	}
	return jsonKind(x)
}

// prodInput reads a product body. On PATCH, stock is only noted as present: any stock key is
// refused by the domain, whatever its value (business-api.md §2.7).
func (s *Server) prodInput(w http.ResponseWriter, r *http.Request, patch bool) (inventory.ProductInput, error) {
	b, err := s.bizBody(w, r, prodKeys...)
	if err != nil {
		return inventory.ProductInput{}, err
	}
	in := inventory.ProductInput{Name: b.Text("name"), SKU: b.Text("sku"), Barcode: b.Text("barcode"),
		Brand: b.Text("brand"), Category: b.Text("category"), Unit: b.Text("unit"), Supplier: prodIDList(b, "supplier"),
		CostPrice: b.Money("cost_price", inventory.PriceDigits), RetailPrice: b.Money("retail_price", inventory.PriceDigits),
		DiscountedPrice: b.Money("discounted_price", inventory.PriceDigits), IsAvailable: b.Bool("is_available"),
		TrackStock: b.Bool("track_stock"), IsActive: b.Bool("is_active")}
	if patch {
		in.Stock = opt.Opt[int64]{Set: b.Has("stock")}
	} else {
		in.Stock = b.Int("stock")
	}
	return in, b.Err()
}

// prodList is GET /products: the list, or with search the search (S9).
func (s *Server) prodList(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	ps, total, err := s.prod.Inventory.ListProducts(r.Context(), a, bizQueryOpt(r, "search"), bp)
	if err != nil {
		return err
	}
	items := make([]map[string]prodOut, len(ps))
	for i := range ps {
		items[i] = map[string]prodOut{"product": prodJSON(&ps[i])}
	}
	return writePage(s, w, r, p, total, items)
}

func (s *Server) prodCreate(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.prodInput(w, r, false)
	if err != nil {
		return err
	}
	p, err := s.prod.Inventory.CreateProduct(r.Context(), a, in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "product", prodJSON(p))
}

func (s *Server) prodGet(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, err := s.prod.Inventory.Product(r.Context(), a, bizPathID(r, "product_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "product", prodJSON(p))
}

// prodPatch is PATCH /products/{id}. A stock key is refused before the other fields' type
// errors: the domain answers it first.
func (s *Server) prodPatch(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.prodInput(w, r, true)
	if err != nil && !in.Stock.Set {
		return err
	}
	p, err := s.prod.Inventory.UpdateProduct(r.Context(), a, bizPathID(r, "product_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "product", prodJSON(p))
}

func (s *Server) prodDelete(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, err := s.prod.Inventory.DeactivateProduct(r.Context(), a, bizPathID(r, "product_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "product", finIdActiveOut{ID: p.ID, IsActive: p.IsActive})
}
