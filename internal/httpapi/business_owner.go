package httpapi

import (
	"net/http"
	"slices"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
)

// Sign-up, account closing, the owner profile, the business and its settings
// (business-api.md §2.1–§2.2, conventions S26).

var bizSignUpKeys = []string{"name", "email", "username", "password"}

// bizSignUpOwner is POST /accounts: a staff user and its owner record. Unknown keys are listed
// under details, not invalid (business-api.md §1.4).
func (s *Server) bizSignUpOwner(w http.ResponseWriter, r *http.Request) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	if b.Empty() {
		return errParamInvalid(nil)
	}
	if unknown := b.Unknown(slices.Concat(bizSignUpKeys, accountIgnored, bizReadOnly)...); len(unknown) > 0 {
		return bizUnknownUnderDetails(unknown)
	}
	in := auth.SignUpInput{Name: b.Text("name"), Email: b.Text("email"), Username: b.Text("username"),
		Password: b.Password("password")}
	if err := b.Err(); err != nil {
		return err
	}
	u, err := s.biz.Business.SignUp(r.Context(), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "user", s.userOut(u))
}

type bizClosedUserOut struct {
	ID       string `json:"id"`
	IsActive bool   `json:"is_active"`
}

func (s *Server) bizCloseAccount(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	u, err := s.biz.Business.CloseAccount(r.Context(), a, userFrom(r.Context()))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "user", bizClosedUserOut{ID: u.ID, IsActive: u.IsActive})
}

type bizOwnerOut struct {
	ID    string  `json:"id"`
	Name  *string `json:"name"`
	Email *string `json:"email"`
	Phone *string `json:"phone"`
}

func bizOwnerJSON(o *business.Owner) bizOwnerOut {
	return bizOwnerOut{ID: o.ID, Name: o.Name, Email: o.Email, Phone: o.Phone}
}

func (s *Server) bizGetOwner(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	o, err := s.biz.Business.Owner(r.Context(), a)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "owner", bizOwnerJSON(o))
}

func (s *Server) bizPatchOwner(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	b, err := s.bizBody(w, r, "name", "email", "phone")
	if err != nil {
		return err
	}
	in := business.OwnerInput{Name: b.Text("name"), Email: b.Text("email"), Phone: b.Text("phone")}
	if err := b.Err(); err != nil {
		return err
	}
	o, err := s.biz.Business.UpdateOwner(r.Context(), a, in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "owner", bizOwnerJSON(o))
}

// bizBusinessOut is the predecessor's business object, exactly its keys (S33: no timezone).
type bizBusinessOut struct {
	ID        string  `json:"id"`
	LegalName string  `json:"legal_name"`
	TradeName string  `json:"trade_name"`
	CNPJ      string  `json:"cnpj"`
	IE        string  `json:"ie"`
	IM        string  `json:"im"`
	IsActive  bool    `json:"is_active"`
	Postcode  string  `json:"postcode"`
	City      string  `json:"city"`
	State     string  `json:"state"`
	Address   string  `json:"address"`
	Phone     string  `json:"phone"`
	Email     *string `json:"email"`
}

func bizBusinessJSON(b *business.Business) bizBusinessOut {
	return bizBusinessOut{ID: b.ID, LegalName: b.LegalName, TradeName: b.TradeName, CNPJ: b.CNPJ, IE: b.IE, IM: b.IM,
		IsActive: b.IsActive, Postcode: b.Postcode, City: b.City, State: b.State, Address: b.Address,
		Phone: b.Phone, Email: b.Email}
}

var bizBusinessKeys = []string{"legal_name", "trade_name", "cnpj", "ie", "im", "postcode", "city", "state",
	"address", "phone", "email", "is_active", "timezone"}

func (s *Server) bizBusinessInput(w http.ResponseWriter, r *http.Request) (business.BusinessInput, error) {
	b, err := s.bizBody(w, r, bizBusinessKeys...)
	if err != nil {
		return business.BusinessInput{}, err
	}
	in := business.BusinessInput{LegalName: b.Text("legal_name"), TradeName: b.Text("trade_name"),
		CNPJ: b.Text("cnpj"), IE: b.Text("ie"), IM: b.Text("im"), Postcode: b.Text("postcode"),
		City: b.Text("city"), State: b.Text("state"), Address: b.Text("address"), Phone: b.Text("phone"),
		Email: b.Text("email"), IsActive: b.Bool("is_active"), Timezone: b.Text("timezone")}
	return in, b.Err()
}

func (s *Server) bizGetBusiness(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	b, err := s.biz.Business.Business(r.Context(), a)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "business", bizBusinessJSON(b))
}

// bizCreateBusiness is POST /business: any authenticated user who is not a member may create one
// business (S11); the domain decides.
func (s *Server) bizCreateBusiness(w http.ResponseWriter, r *http.Request) error {
	in, err := s.bizBusinessInput(w, r)
	if err != nil {
		return err
	}
	b, err := s.biz.Business.CreateBusiness(r.Context(), userFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "business", bizBusinessJSON(b))
}

func (s *Server) bizPatchBusiness(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.bizBusinessInput(w, r)
	if err != nil {
		return err
	}
	b, err := s.biz.Business.UpdateBusiness(r.Context(), a, in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "business", bizBusinessJSON(b))
}

func (s *Server) bizDeleteBusiness(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	b, err := s.biz.Business.DeactivateBusiness(r.Context(), a)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "business", map[string]bool{"is_active": b.IsActive})
}

type bizSettingsOut struct {
	Timezone string `json:"timezone"`
}

func (s *Server) bizGetSettings(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	b, err := s.biz.Business.Business(r.Context(), a)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "settings", bizSettingsOut{Timezone: b.Timezone})
}

func (s *Server) bizPatchSettings(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	b, err := s.bizBody(w, r, "timezone")
	if err != nil {
		return err
	}
	tz := b.Text("timezone")
	if err := b.Err(); err != nil {
		return err
	}
	biz, err := s.biz.Business.UpdateTimezone(r.Context(), a, tz)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "settings", bizSettingsOut{Timezone: biz.Timezone})
}
