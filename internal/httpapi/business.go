package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// BusinessServices are the Business family's domain services, wired in cmd/bursar.
type BusinessServices struct {
	Business *business.Service
	Finance  *finance.Service
}

// businessRoutes registers the Business family's routes (business-api.md §2, routes 4–22).
// Permissions are resolved by the business domain before each handler runs (s.as).
func (s *Server) businessRoutes(rt *router) {
	owner, ownerBiz, staff := business.NeedOwner, business.NeedOwnerBusiness, business.NeedStaff

	rt.public("POST /accounts", s.bizSignUpOwner)
	rt.authed("DELETE /accounts", s.asActor(owner, s.bizCloseAccount))
	rt.authed("GET /owner", s.asActor(owner, s.bizGetOwner))
	rt.authed("PATCH /owner", s.asActor(owner, s.bizPatchOwner))

	rt.authed("GET /business", s.asActor(ownerBiz, s.bizGetBusiness))
	rt.authed("POST /business", s.bizCreateBusiness)
	rt.authed("PATCH /business", s.asActor(ownerBiz, s.bizPatchBusiness))
	rt.authed("DELETE /business", s.asActor(ownerBiz, s.bizDeleteBusiness))
	rt.authed("GET /business/settings", s.asActor(ownerBiz, s.bizGetSettings))
	rt.authed("PATCH /business/settings", s.asActor(ownerBiz, s.bizPatchSettings))

	rt.authed("GET /members", s.asActor(ownerBiz, s.bizListMembers))
	rt.authed("POST /members", s.asActor(ownerBiz, s.bizCreateMember))
	rt.authed("GET /members/{member_id}", s.asActor(ownerBiz, s.bizGetMember))
	rt.authed("PATCH /members/{member_id}", s.asActor(ownerBiz, s.bizPatchMember))
	rt.authed("DELETE /members/{member_id}", s.asActor(ownerBiz, s.bizDeleteMember))

	rt.authed("GET /contacts", s.asActor(staff, s.bizListContacts))
	for _, k := range []business.Kind{business.CustomerKind, business.SupplierKind} {
		base := "/contacts/" + bizContactPath[k]
		rt.authed("GET "+base, s.asActor(staff, s.bizListContactsOf(k)))
		rt.authed("POST "+base, s.asActor(staff, s.bizCreateContact(k)))
		rt.authed("GET "+base+"/{contact_id}", s.asActor(staff, s.bizGetContact(k)))
		rt.authed("PATCH "+base+"/{contact_id}", s.asActor(staff, s.bizPatchContact(k)))
		rt.authed("DELETE "+base+"/{contact_id}", s.asActor(staff, s.bizDeleteContact(k)))
	}

	rt.authed("GET /finance/accounts", s.asActor(ownerBiz, s.finListAccounts))
	rt.authed("POST /finance/accounts", s.asActor(ownerBiz, s.finCreateAccount))
	rt.authed("GET /finance/accounts/{account_id}", s.asActor(ownerBiz, s.finGetAccount))
	rt.authed("PATCH /finance/accounts/{account_id}", s.asActor(ownerBiz, s.finPatchAccount))
	rt.authed("DELETE /finance/accounts/{account_id}", s.asActor(ownerBiz, s.finDeleteAccount))

	rt.authed("GET /finance/categories", s.asActor(staff, s.finListCategories))
	rt.authed("POST /finance/categories", s.asActor(staff, s.finCreateCategory))
	rt.authed("GET /finance/categories/{category_id}", s.asActor(staff, s.finGetCategory))
	rt.authed("PATCH /finance/categories/{category_id}", s.asActor(staff, s.finPatchCategory))
	rt.authed("DELETE /finance/categories/{category_id}", s.asActor(staff, s.finDeleteCategory))

	rt.authed("GET /finance/transactions", s.asActor(staff, s.finListTransactions))
	rt.authed("POST /finance/transactions", s.asActor(staff, s.finCreateTransaction))
	rt.authed("GET /finance/transactions/{transaction_id}", s.asActor(staff, s.finGetTransaction))
	rt.authed("DELETE /finance/transactions/{transaction_id}", s.asActor(staff, s.finDeleteTransaction))
}

// bizActorHandler is a handler of a business-scoped route: it gets the authorised caller.
type bizActorHandler func(w http.ResponseWriter, r *http.Request, a *business.Actor) error

// asActor authorises the authenticated user for need (403/404 otherwise) and runs h as them.
func (s *Server) asActor(need business.Need, h bizActorHandler) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.biz.Business.Authorize(r.Context(), userFrom(r.Context()), need)
		if err != nil {
			return err
		}
		// A deactivated business is read-only but for /business itself, where its owner
		// reactivates it, and the owner's own account and profile (defect 8).
		if need != business.NeedOwner && r.Method != http.MethodGet && r.Method != http.MethodHead && !isBusinessPath(r.URL.Path) {
			if err := a.Writable(); err != nil {
				return err
			}
		}
		return h(w, r, a)
	}
}

// isBusinessPath reports whether path is /business or /business/settings (trailing slash optional).
func isBusinessPath(path string) bool {
	path = strings.TrimSuffix(path, "/")
	return path == "/business" || path == "/business/settings"
}

// bizReadOnly are the keys a Business-family client may echo back: accepted, ignored, never a
// 400 (conventions "Unknown body fields").
var bizReadOnly = []string{"id", "business", "owner", "user", "credential", "operator", "linked", "balance",
	"amount_paid", "outstanding_balance", "status", "paid_at", "payment_type", "amount_spent",
	"number_of_orders", "created_at", "updated_at", "date"}

// bizBody reads a Business-family body: an empty body, or a key neither accepted nor
// read-only, is 400 Required parameter missing or invalid. (business-api.md §1.11).
func (s *Server) bizBody(w http.ResponseWriter, r *http.Request, accepted ...string) (*Body, error) {
	b, err := s.readBody(w, r)
	if err != nil {
		return nil, err
	}
	unknown := b.Unknown(append(slices.Clip(accepted), bizReadOnly...)...)
	if len(unknown) > 0 || b.Empty() {
		return nil, errParamInvalid(unknown)
	}
	return b, nil
}

// bizPathID reads an id path parameter in canonical form; a malformed one is kept as it is and
// simply matches nothing (404).
func bizPathID(r *http.Request, name string) string {
	v := r.PathValue(name)
	if c, ok := id.Normalize(v); ok {
		return c
	}
	return v
}

// bizQueryOpt reads a query parameter: absent, or present (possibly empty: an empty search is
// 400 Provide a search term., conventions S9).
func bizQueryOpt(r *http.Request, name string) opt.Opt[string] {
	if vs, ok := r.URL.Query()[name]; ok {
		return opt.Of(vs[0])
	}
	return opt.Opt[string]{}
}

// bizFilterOpt reads a filter parameter (bank, date, start_date, end_date): an empty one, as
// clients that always send every filter do (?date=&bank=), is ignored like a missing one
// (conventions S35; issue 4: empty query parameters are tolerated).
func bizFilterOpt(r *http.Request, name string) opt.Opt[string] {
	if v := r.URL.Query().Get(name); v != "" {
		return opt.Of(v)
	}
	return opt.Opt[string]{}
}

// bizPage reads ?page= as the domain's page.
func bizPage(r *http.Request) (Page, business.Page, error) {
	p, err := pageOf(r)
	return p, business.Page{Limit: p.Limit, Offset: p.Offset}, err
}

// bizStamp renders a Business timestamp in the business's zone (conventions S26).
func bizStamp(a *business.Actor, t time.Time) string { return t.In(a.Location).Format(timeFormat) }

// bizDate renders the local date of a Business timestamp.
func bizDate(a *business.Actor, t time.Time) string { return t.In(a.Location).Format("2006-01-02") }

// bizWrap answers one object wrapped in its resource key (business-api.md §1.9).
func bizWrap(w http.ResponseWriter, status int, key string, v any) error {
	return writeJSON(w, status, map[string]any{key: v})
}

// bizUnknownUnderDetails is the error of a sign-up body's unknown keys: they go under details, not invalid
// (business-api.md §1.4).
func bizUnknownUnderDetails(unknown []string) *apperr.Error {
	f := map[string][]string{}
	for _, k := range unknown {
		f[k] = []string{"Unknown field."}
	}
	return &apperr.Error{Kind: apperr.Invalid, Message: "Required parameter missing or invalid.", Fields: f}
}
