package httpapi

// budgetsRoutes registers the Budgets family's routes (being written by the budgets helper).
func (s *Server) budgetsRoutes(rt *router) {}
