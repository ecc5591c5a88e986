package business

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// Messages of contacts and of search (business-api.md §1.4, §2.4; conventions S9).
const (
	MsgCustomerNotFound = "Customer not found."
	MsgSupplierNotFound = "Supplier not found."
	MsgSearchMissing    = "Provide a search term."
	MsgSearchShort      = "Enter at least 3 characters."
)

// Genders are the values a customer's gender may take ("unkown" is the predecessor's spelling,
// which its clients send and expect).
var Genders = []string{"male", "female", "unkown"}

// ContactInput is the body of POST and PATCH of customers and suppliers. Name and Alias carry
// a supplier's legal_name and trade_name; the HTTP layer accepts only the keys of the kind.
type ContactInput struct {
	Code, Name, Alias, CPF, Gender, CNPJ, IE, IM        opt.Opt[string]
	Phone, Email, Postcode, City, State, Address, Notes opt.Opt[string]
	IsActive                                            opt.Opt[bool]
}

// applyContact validates in onto c according to c.Kind.
func applyContact(f apperr.Fields, c *Contact, in ContactInput, m field.Mode) {
	nullable := func(name string, v opt.Opt[string], max int, dst **string) {
		if x, ok := field.Nullable(f, name, v, max, m); ok {
			*dst = x
		}
	}
	nullable("code", in.Code, 50, &c.Code)
	if c.Kind == CustomerKind {
		if v, ok := field.Required(f, "name", in.Name, 150, m); ok {
			c.Name = v
		}
		nullable("alias", in.Alias, 150, &c.Alias)
		nullable("cpf", in.CPF, 11, &c.CPF)
		if v, ok := field.Choice(f, "gender", in.Gender, Genders, m); ok {
			c.Gender = v
		}
	} else {
		if v, ok := field.Required(f, "legal_name", in.Name, 150, m); ok {
			c.Name = v
		}
		nullable("trade_name", in.Alias, 150, &c.Alias)
		nullable("cnpj", in.CNPJ, 14, &c.CNPJ)
		nullable("ie", in.IE, 14, &c.IE)
		nullable("im", in.IM, 14, &c.IM)
	}
	if v, ok := field.Bool(in.IsActive, true, m); ok {
		c.IsActive = v
	}
	nullable("phone", in.Phone, 11, &c.Phone)
	if v, ok := field.NullableEmail(f, "email", in.Email, m); ok {
		c.Email = v
	}
	nullable("postcode", in.Postcode, 8, &c.Postcode)
	nullable("city", in.City, 150, &c.City)
	nullable("state", in.State, 2, &c.State)
	nullable("address", in.Address, 150, &c.Address)
	nullable("notes", in.Notes, 0, &c.Notes)
}

// Fold is how searched text is compared: case-insensitively, the same way on every engine.
func Fold(s string) string { return strings.ToLower(s) }

// SearchKey is what a contact search looks in (business-api.md §1.6): code, name, alias and
// cpf of a customer; code, legal name, trade name and cnpj of a supplier. Fields are separated
// by a newline, which a search term never contains.
func (c *Contact) SearchKey() string {
	parts := []string{deref(c.Code), c.Name, deref(c.Alias), deref(c.CPF), deref(c.CNPJ)}
	return Fold(strings.Join(parts, "\n"))
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func contactNotFound(k Kind) string {
	if k == CustomerKind {
		return MsgCustomerNotFound
	}
	return MsgSupplierNotFound
}

// CreateContact adds a customer or supplier to the caller's business.
func (s *Service) CreateContact(ctx context.Context, a *Actor, k Kind, in ContactInput) (*Contact, error) {
	now := s.clock.Now()
	c := &Contact{ID: id.New(), BusinessID: a.BusinessID, Kind: k, CreatedAt: now, UpdatedAt: now}
	f := apperr.Fields{}
	applyContact(f, c, in, field.Create)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := s.store.CreateContact(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Contact returns a customer or supplier of the caller's business.
func (s *Service) Contact(ctx context.Context, a *Actor, k Kind, contactID string) (*Contact, error) {
	c, err := s.store.Contact(ctx, a.BusinessID, k, contactID)
	return c, notFound(err, contactNotFound(k))
}

// UpdateContact changes a customer or supplier; updated_at follows every save.
func (s *Service) UpdateContact(ctx context.Context, a *Actor, k Kind, contactID string, in ContactInput) (*Contact, error) {
	return s.changeContact(ctx, a, k, contactID, func(f apperr.Fields, c *Contact) { applyContact(f, c, in, field.Patch) })
}

// DeactivateContact marks a customer or supplier inactive (a soft delete).
func (s *Service) DeactivateContact(ctx context.Context, a *Actor, k Kind, contactID string) (*Contact, error) {
	return s.changeContact(ctx, a, k, contactID, func(_ apperr.Fields, c *Contact) { c.IsActive = false })
}

func (s *Service) changeContact(ctx context.Context, a *Actor, k Kind, contactID string, change func(apperr.Fields, *Contact)) (*Contact, error) {
	var out *Contact
	err := s.store.BusinessTx(ctx, func(tx Store) error {
		c, err := tx.Contact(ctx, a.BusinessID, k, contactID)
		if err != nil {
			return notFound(err, contactNotFound(k))
		}
		f := apperr.Fields{}
		change(f, c)
		if err := f.Err(); err != nil {
			return err
		}
		c.UpdatedAt = s.clock.Now()
		out = c
		return tx.UpdateContact(ctx, c)
	})
	return out, err
}

// ListContacts lists the caller's business's contacts of kind k (0: customers, then
// suppliers), inactive ones included. A search present is at least 3 characters (S9) and
// matches §1.6's fields case-insensitively.
func (s *Service) ListContacts(ctx context.Context, a *Actor, k Kind, search opt.Opt[string], p Page) ([]Contact, int, error) {
	term, err := SearchTerm(search)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListContacts(ctx, a.BusinessID, k, Fold(term), p)
}

// SearchTerm checks a search parameter (conventions S9): absent is no search (""), present
// and empty is MsgSearchMissing, shorter than 3 characters MsgSearchShort. Newlines are
// removed (they separate searched fields).
func SearchTerm(v opt.Opt[string]) (string, error) {
	if !v.Set {
		return "", nil
	}
	t := strings.ReplaceAll(strings.TrimSpace(v.V), "\n", "")
	switch {
	case t == "":
		return "", apperr.New(apperr.Invalid, MsgSearchMissing)
	case utf8.RuneCountInString(t) < 3:
		return "", apperr.New(apperr.Invalid, MsgSearchShort)
	}
	return t, nil
}
