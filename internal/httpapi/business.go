package httpapi

// BusinessServices are the Business family's domain services, wired in cmd/bursar.
type BusinessServices struct{}

// businessRoutes registers the Business family's routes.
func (s *Server) businessRoutes(rt *router) {}
