package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/money"
)

// Customers and suppliers of the caller's business, and the combined list that also searches
// (business-api.md §2.4, §1.6; conventions S9).

var (
	bizContactPath = map[business.Kind]string{business.CustomerKind: "customers", business.SupplierKind: "suppliers"}
	bizContactKey  = map[business.Kind]string{business.CustomerKind: "customer", business.SupplierKind: "supplier"}
	bizCommonKeys  = []string{"code", "is_active", "phone", "email", "postcode", "city", "state", "address", "notes"}
	bizContactKeys = map[business.Kind][]string{
		business.CustomerKind: append([]string{"name", "alias", "cpf", "gender"}, bizCommonKeys...),
		business.SupplierKind: append([]string{"legal_name", "trade_name", "cnpj", "ie", "im"}, bizCommonKeys...),
	}
)

type bizCustomerOut struct {
	ID             string      `json:"id"`
	Code           *string     `json:"code"`
	Name           string      `json:"name"`
	Alias          *string     `json:"alias"`
	Gender         *string     `json:"gender"`
	CPF            *string     `json:"cpf"`
	IsActive       bool        `json:"is_active"`
	Notes          *string     `json:"notes"`
	Phone          *string     `json:"phone"`
	Email          *string     `json:"email"`
	Postcode       *string     `json:"postcode"`
	City           *string     `json:"city"`
	State          *string     `json:"state"`
	Address        *string     `json:"address"`
	AmountSpent    money.Cents `json:"amount_spent"`
	NumberOfOrders int64       `json:"number_of_orders"`
	CreatedAt      string      `json:"created_at"`
	UpdatedAt      string      `json:"updated_at"`
}

type bizSupplierOut struct {
	ID        string  `json:"id"`
	Code      *string `json:"code"`
	LegalName string  `json:"legal_name"`
	TradeName *string `json:"trade_name"`
	CNPJ      *string `json:"cnpj"`
	IE        *string `json:"ie"`
	IM        *string `json:"im"`
	IsActive  bool    `json:"is_active"`
	Notes     *string `json:"notes"`
	Phone     *string `json:"phone"`
	Email     *string `json:"email"`
	Postcode  *string `json:"postcode"`
	City      *string `json:"city"`
	State     *string `json:"state"`
	Address   *string `json:"address"`
	CreatedAt string  `json:"created_at"`
	UpdatedAt string  `json:"updated_at"`
}

// bizContactJSON renders a contact as its kind's object; updated_at is a date (business-api.md
// §2.4), both in the business's zone.
func bizContactJSON(a *business.Actor, c *business.Contact) any {
	created, updated := bizStamp(a, c.CreatedAt), bizDate(a, c.UpdatedAt)
	if c.Kind == business.CustomerKind {
		return bizCustomerOut{ID: c.ID, Code: c.Code, Name: c.Name, Alias: c.Alias, Gender: c.Gender, CPF: c.CPF,
			IsActive: c.IsActive, Notes: c.Notes, Phone: c.Phone, Email: c.Email, Postcode: c.Postcode,
			City: c.City, State: c.State, Address: c.Address, AmountSpent: c.AmountSpent,
			NumberOfOrders: c.NumberOfOrders, CreatedAt: created, UpdatedAt: updated}
	}
	return bizSupplierOut{ID: c.ID, Code: c.Code, LegalName: c.Name, TradeName: c.Alias, CNPJ: c.CNPJ, IE: c.IE,
		IM: c.IM, IsActive: c.IsActive, Notes: c.Notes, Phone: c.Phone, Email: c.Email, Postcode: c.Postcode,
		City: c.City, State: c.State, Address: c.Address, CreatedAt: created, UpdatedAt: updated}
}

// bizListContacts is GET /contacts: customers then suppliers; with search it searches (S9).
func (s *Server) bizListContacts(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	return s.bizWriteContacts(w, r, a, 0)
}

func (s *Server) bizListContactsOf(k business.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		return s.bizWriteContacts(w, r, a, k)
	}
}

func (s *Server) bizWriteContacts(w http.ResponseWriter, r *http.Request, a *business.Actor, k business.Kind) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	search := bizQueryOpt(r, "search")
	if k != 0 {
		search.Set = false // the per-kind lists do not search
	}
	cs, total, err := s.biz.Business.ListContacts(r.Context(), a, k, search, bp)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(cs))
	for i := range cs {
		items[i] = map[string]any{bizContactKey[cs[i].Kind]: bizContactJSON(a, &cs[i])}
	}
	return writePage(s, w, r, p, total, items)
}

func (s *Server) bizContactInput(w http.ResponseWriter, r *http.Request, k business.Kind) (business.ContactInput, error) {
	b, err := s.bizBody(w, r, bizContactKeys[k]...)
	if err != nil {
		return business.ContactInput{}, err
	}
	in := business.ContactInput{Code: b.Text("code"), CPF: b.Text("cpf"), Gender: b.Text("gender"),
		CNPJ: b.Text("cnpj"), IE: b.Text("ie"), IM: b.Text("im"), Phone: b.Text("phone"), Email: b.Text("email"),
		Postcode: b.Text("postcode"), City: b.Text("city"), State: b.Text("state"), Address: b.Text("address"),
		Notes: b.Text("notes"), IsActive: b.Bool("is_active")}
	if k == business.CustomerKind {
		in.Name, in.Alias = b.Text("name"), b.Text("alias")
	} else {
		in.Name, in.Alias = b.Text("legal_name"), b.Text("trade_name")
	}
	return in, b.Err()
}

func (s *Server) bizCreateContact(k business.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		in, err := s.bizContactInput(w, r, k)
		if err != nil {
			return err
		}
		c, err := s.biz.Business.CreateContact(r.Context(), a, k, in)
		if err != nil {
			return err
		}
		return bizWrap(w, http.StatusCreated, bizContactKey[k], bizContactJSON(a, c))
	}
}

func (s *Server) bizGetContact(k business.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		c, err := s.biz.Business.Contact(r.Context(), a, k, bizPathID(r, "contact_id"))
		if err != nil {
			return err
		}
		return bizWrap(w, http.StatusOK, bizContactKey[k], bizContactJSON(a, c))
	}
}

func (s *Server) bizPatchContact(k business.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		in, err := s.bizContactInput(w, r, k)
		if err != nil {
			return err
		}
		c, err := s.biz.Business.UpdateContact(r.Context(), a, k, bizPathID(r, "contact_id"), in)
		if err != nil {
			return err
		}
		return bizWrap(w, http.StatusOK, bizContactKey[k], bizContactJSON(a, c))
	}
}

// bizDeleteContact answers {"customer": {"is_active": false}} (or supplier), as the predecessor.
func (s *Server) bizDeleteContact(k business.Kind) bizActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
		c, err := s.biz.Business.DeactivateContact(r.Context(), a, k, bizPathID(r, "contact_id"))
		if err != nil {
			return err
		}
		return bizWrap(w, http.StatusOK, bizContactKey[k], map[string]bool{"is_active": c.IsActive})
	}
}
