package httpapi

// ProductServices are the services of products and inventory, wired in cmd/bursar.
type ProductServices struct{}

// productRoutes registers the /products routes (being built).
func (s *Server) productRoutes(rt *router) {}
