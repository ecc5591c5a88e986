package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
)

// Inventories and their movements (inventory transactions), owner only (business-api.md
// §2.10; defects 6, 9, 21, 24; conventions S24).

// invReadOnly are an inventory's keys a client may echo back: accepted, ignored (conventions
// "Unknown body fields").
var invReadOnly = []string{"quantity", "reserved", "product"}

type invProductOut struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// invOut is the predecessor's inventory object, exactly its keys (S33).
type invOut struct {
	ID       string        `json:"id"`
	Quantity int64         `json:"quantity"`
	Reserved int64         `json:"reserved"`
	Location *string       `json:"location"`
	Product  invProductOut `json:"product"`
}

func invJSON(inv *inventory.Inventory) invOut {
	return invOut{ID: inv.ID, Quantity: inv.Quantity, Reserved: inv.Reserved, Location: inv.Location,
		Product: invProductOut{ID: inv.ProductID, Name: inv.ProductName}}
}

type invRefOut struct {
	ID      string `json:"id"`
	Product string `json:"product"` // the product's name
}

// invMovementOut is the predecessor's inventory transaction object, exactly its keys (S33).
type invMovementOut struct {
	ID          string      `json:"id"`
	Type        string      `json:"type"`
	Date        string      `json:"date"`
	Quantity    int64       `json:"quantity"`
	UnitCost    money.Cents `json:"unit_cost"`
	UnitPrice   money.Cents `json:"unit_price"`
	Description *string     `json:"description"`
	Inventory   invRefOut   `json:"inventory"`
}

func invMovementJSON(a *business.Actor, m *inventory.Movement) invMovementOut {
	return invMovementOut{ID: m.ID, Type: string(m.Type), Date: bizStamp(a, m.Date), Quantity: m.Quantity,
		UnitCost: m.UnitCost, UnitPrice: m.UnitPrice, Description: m.Description,
		Inventory: invRefOut{ID: m.InventoryID, Product: m.ProductName}}
}

func (s *Server) invList(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	invs, total, err := s.prod.Inventory.ListInventories(r.Context(), a, bp)
	if err != nil {
		return err
	}
	items := make([]map[string]invOut, len(invs))
	for i := range invs {
		items[i] = map[string]invOut{"inventory": invJSON(&invs[i])}
	}
	return writePage(s, w, r, p, total, items)
}

func (s *Server) invGet(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	inv, err := s.prod.Inventory.Inventory(r.Context(), a, bizPathID(r, "inventory_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "inventory", invJSON(inv))
}

// invPatch is PATCH /products/inventory/{id}: only location; quantity, reserved and product
// are read-only.
func (s *Server) invPatch(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	b, err := s.bizBody(w, r, append([]string{"location"}, invReadOnly...)...)
	if err != nil {
		return err
	}
	in := inventory.InventoryInput{Location: b.Text("location")}
	if err := b.Err(); err != nil {
		return err
	}
	inv, err := s.prod.Inventory.UpdateInventory(r.Context(), a, bizPathID(r, "inventory_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "inventory", invJSON(inv))
}

func (s *Server) invListMovements(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	ms, total, err := s.prod.Inventory.ListMovements(r.Context(), a, bizPathID(r, "inventory_id"), bp)
	if err != nil {
		return err
	}
	items := make([]map[string]invMovementOut, len(ms))
	for i := range ms {
		items[i] = map[string]invMovementOut{"transaction": invMovementJSON(a, &ms[i])}
	}
	return writePage(s, w, r, p, total, items)
}

// invCreateMovement is POST /products/inventory/{id}/transactions.
func (s *Server) invCreateMovement(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	b, err := s.bizBody(w, r, "type", "quantity", "unit_cost", "unit_price", "description")
	if err != nil {
		return err
	}
	in := inventory.MovementInput{Type: b.Text("type"), Quantity: b.Int("quantity"),
		UnitCost: b.Money("unit_cost", inventory.PriceDigits), UnitPrice: b.Money("unit_price", inventory.PriceDigits),
		Description: b.Text("description")}
	if err := b.Err(); err != nil {
		return err
	}
	m, err := s.prod.Inventory.CreateMovement(r.Context(), a, bizPathID(r, "inventory_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "transaction", invMovementJSON(a, m))
}

func (s *Server) invGetMovement(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	m, err := s.prod.Inventory.Movement(r.Context(), a, bizPathID(r, "transaction_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "transaction", invMovementJSON(a, m))
}

// invPatchMovement is PATCH /products/inventory/transactions/{id}: type (and inventory) are
// not accepted keys, so a movement never changes direction or inventory (defects 2, 21).
func (s *Server) invPatchMovement(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	b, err := s.bizBody(w, r, "quantity", "unit_cost", "unit_price", "description")
	if err != nil {
		return err
	}
	in := inventory.MovementPatch{Quantity: b.Int("quantity"), UnitCost: b.Money("unit_cost", inventory.PriceDigits),
		UnitPrice: b.Money("unit_price", inventory.PriceDigits), Description: b.Text("description")}
	if err := b.Err(); err != nil {
		return err
	}
	m, err := s.prod.Inventory.UpdateMovement(r.Context(), a, bizPathID(r, "transaction_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "transaction", invMovementJSON(a, m))
}

func (s *Server) invDeleteMovement(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	movementID := bizPathID(r, "transaction_id")
	if err := s.prod.Inventory.DeleteMovement(r.Context(), a, movementID); err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "transaction", finDeletedOut{ID: movementID, Deleted: true})
}
