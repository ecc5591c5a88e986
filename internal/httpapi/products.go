package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/inventory"
)

// ProductServices are the services of products and inventory, wired in cmd/bursar.
type ProductServices struct {
	Inventory *inventory.Service
}

// productRoutes registers the /products routes (business-api.md §2.7–§2.10, routes 31–41).
// Their patterns overlap in ways ServeMux refuses (/products/{product_id}/costs against
// /products/inventory/{inventory_id}, …), so /products and /products/{rest...} go to one
// handler that matches the path by segment in the spec's precedence order (prodRoutes.match), answers
// 404 and 405 (with Allow) before authentication like the mux (S3), then authorises the
// caller like every Business route.
func (s *Server) productRoutes(rt *router) {
	routes := s.newProdRoutes()
	h := s.handle(func(w http.ResponseWriter, r *http.Request) error { return s.prodDispatch(routes, w, r) })
	rt.mux.Handle("/products", h)
	rt.mux.Handle("/products/{rest...}", h)
	for _, r := range routes.all() {
		for m := range r.methods {
			rt.patterns = append(rt.patterns, m+" "+r.pattern)
		}
	}
}

// prodEndpoint is one method of a products route: the permission it needs and its handler.
type prodEndpoint struct {
	need business.Need
	h    bizActorHandler
}

// prodRoute is a products route: its pattern (for logs and metrics) and its methods.
type prodRoute struct {
	pattern string
	methods map[string]prodEndpoint
}

// allow lists the route's methods as ServeMux does: sorted, HEAD with GET.
func (r *prodRoute) allow() string {
	var ms []string
	for m := range r.methods {
		ms = append(ms, m)
	}
	if r.methods[http.MethodGet].h != nil {
		ms = append(ms, http.MethodHead)
	}
	slices.Sort(ms)
	return strings.Join(ms, ", ")
}

// prodRoutes are the routes under /products, by name.
type prodRoutes struct {
	products, product, categories, category, costs, cost *prodRoute
	inventories, inventory, movements, movement          *prodRoute
}

// all returns every products route.
func (rs *prodRoutes) all() []*prodRoute {
	return []*prodRoute{rs.products, rs.product, rs.categories, rs.category, rs.costs, rs.cost,
		rs.inventories, rs.inventory, rs.movements, rs.movement}
}

func (s *Server) newProdRoutes() *prodRoutes {
	staff, owner := business.NeedStaff, business.NeedOwnerBusiness
	type eps = map[string]prodEndpoint
	route := func(pattern string, methods eps) *prodRoute { return &prodRoute{pattern: pattern, methods: methods} }
	return &prodRoutes{
		products: route("/products", eps{"GET": {staff, s.prodList}, "POST": {staff, s.prodCreate}}),
		product: route("/products/{product_id}", eps{"GET": {staff, s.prodGet}, "PATCH": {staff, s.prodPatch},
			"DELETE": {staff, s.prodDelete}}),
		categories: route("/products/categories", eps{"GET": {staff, s.prodListCategories},
			"POST": {staff, s.prodCreateCategory}}),
		category: route("/products/categories/{category_id}", eps{"GET": {staff, s.prodGetCategory},
			"PATCH": {staff, s.prodPatchCategory}, "DELETE": {staff, s.prodDeleteCategory}}),
		costs: route("/products/{product_id}/costs", eps{"GET": {staff, s.prodListCosts},
			"POST": {staff, s.prodCreateCost}}),
		cost: route("/products/{product_id}/costs/{cost_id}", eps{"GET": {staff, s.prodGetCost},
			"PATCH": {staff, s.prodPatchCost}, "DELETE": {staff, s.prodDeleteCost}}),
		inventories: route("/products/inventory", eps{"GET": {owner, s.invList}}),
		inventory: route("/products/inventory/{inventory_id}", eps{"GET": {owner, s.invGet},
			"PATCH": {owner, s.invPatch}}),
		movements: route("/products/inventory/{inventory_id}/transactions", eps{"GET": {owner, s.invListMovements},
			"POST": {owner, s.invCreateMovement}}),
		movement: route("/products/inventory/transactions/{transaction_id}", eps{"GET": {owner, s.invGetMovement},
			"PATCH": {owner, s.invPatchMovement}, "DELETE": {owner, s.invDeleteMovement}}),
	}
}

// match finds the route of the path segments after /products, in the precedence of
// business-api.md §2 ("Routing precedence"): /products/inventory… first (and there
// transactions/{id} before {id}/transactions), then /products/categories…, then
// /products/{id}/costs…, then /products and /products/{id}. The literals inventory and
// categories are never product ids. It returns the route and its path values.
func (rs *prodRoutes) match(segs []string) (*prodRoute, map[string]string) {
	n := len(segs)
	switch {
	case n == 0:
		return rs.products, nil
	case segs[0] == "inventory":
		switch {
		case n == 1:
			return rs.inventories, nil
		case n == 3 && segs[1] == "transactions":
			return rs.movement, map[string]string{"transaction_id": segs[2]}
		case n == 2:
			return rs.inventory, map[string]string{"inventory_id": segs[1]}
		case n == 3 && segs[2] == "transactions":
			return rs.movements, map[string]string{"inventory_id": segs[1]}
		}
	case segs[0] == "categories":
		switch n {
		case 1:
			return rs.categories, nil
		case 2:
			return rs.category, map[string]string{"category_id": segs[1]}
		}
	case n >= 2 && segs[1] == "costs":
		switch n {
		case 2:
			return rs.costs, map[string]string{"product_id": segs[0]}
		case 3:
			return rs.cost, map[string]string{"product_id": segs[0], "cost_id": segs[2]}
		}
	case n == 1:
		return rs.product, map[string]string{"product_id": segs[0]}
	}
	return nil, nil
}

// prodSegments splits the escaped path after /products into unescaped segments, so that an
// encoded slash stays inside its segment.
func prodSegments(r *http.Request) ([]string, bool) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/products")
	rest = strings.TrimPrefix(rest, "/")
	if rest == "" {
		return nil, true
	}
	segs := strings.Split(rest, "/")
	for i, sg := range segs {
		v, err := url.PathUnescape(sg)
		if err != nil {
			return nil, false
		}
		segs[i] = v
	}
	return segs, true
}

// prodDispatch serves every /products request: 404 for a path no route matches and 405 with
// Allow for a method the route lacks, both before authentication (S3); then the caller is
// authenticated and authorised for the endpoint (403, or 404 without a business).
func (s *Server) prodDispatch(routes *prodRoutes, w http.ResponseWriter, r *http.Request) error {
	info := infoFrom(r.Context())
	segs, ok := prodSegments(r)
	var route *prodRoute
	var vals map[string]string
	if ok {
		route, vals = routes.match(segs)
	}
	if route == nil {
		info.pattern = "not_found"
		return apperr.ErrNotFound()
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	ep, ok := route.methods[method]
	if !ok {
		w.Header().Set("Allow", route.allow())
		info.pattern = "method_not_allowed"
		return apperr.New(apperr.MethodNotAllowed, `Method "`+r.Method+`" not allowed.`)
	}
	info.pattern = r.Method + " " + route.pattern
	for k, v := range vals {
		r.SetPathValue(k, v)
	}
	return s.requireUser(s.asActor(ep.need, ep.h))(w, r)
}
