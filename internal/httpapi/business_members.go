package httpapi

import (
	"net/http"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/money"
)

// Members of the caller's business (business-api.md §2.3, conventions S19).

type bizCredentialOut struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

type bizMemberOut struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	CPF         *string           `json:"cpf"`
	DateOfBirth *string           `json:"date_of_birth"`
	Role        *string           `json:"role"`
	HireDate    *string           `json:"hire_date"`
	Salary      *money.Cents      `json:"salary"`
	Phone       string            `json:"phone"`
	Email       string            `json:"email"`
	HasAccess   bool              `json:"has_access"`
	IsActive    bool              `json:"is_active"`
	Credential  *bizCredentialOut `json:"credential"`
}

func bizMemberJSON(m *business.Member) bizMemberOut {
	out := bizMemberOut{ID: m.ID, Name: m.Name, CPF: m.CPF, DateOfBirth: m.DateOfBirth, Role: m.Role,
		HireDate: m.HireDate, Salary: m.Salary, Phone: m.Phone, Email: m.Email, HasAccess: m.HasAccess,
		IsActive: m.IsActive}
	if m.CredentialID != nil {
		out.Credential = &bizCredentialOut{ID: *m.CredentialID, Username: m.CredentialUsername}
	}
	return out
}

var bizMemberKeys = []string{"name", "cpf", "date_of_birth", "role", "hire_date", "salary", "phone", "email",
	"has_access", "is_active", "password"}

func (s *Server) bizMemberInput(w http.ResponseWriter, r *http.Request) (business.MemberInput, error) {
	b, err := s.bizBody(w, r, bizMemberKeys...)
	if err != nil {
		return business.MemberInput{}, err
	}
	in := business.MemberInput{Name: b.Text("name"), CPF: b.Text("cpf"), DateOfBirth: b.Text("date_of_birth"),
		Role: b.Text("role"), HireDate: b.Text("hire_date"), Salary: b.Money("salary", 8), Phone: b.Text("phone"),
		Email: b.Text("email"), HasAccess: b.Bool("has_access"), IsActive: b.Bool("is_active"),
		Password: b.Password("password")}
	return in, b.Err()
}

func (s *Server) bizListMembers(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	p, bp, err := bizPage(r)
	if err != nil {
		return err
	}
	ms, total, err := s.biz.Business.ListMembers(r.Context(), a, bp)
	if err != nil {
		return err
	}
	items := make([]map[string]bizMemberOut, len(ms))
	for i := range ms {
		items[i] = map[string]bizMemberOut{"member": bizMemberJSON(&ms[i])}
	}
	return writePage(s, w, r, p, total, items)
}

func (s *Server) bizCreateMember(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.bizMemberInput(w, r)
	if err != nil {
		return err
	}
	m, err := s.biz.Business.CreateMember(r.Context(), a, in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusCreated, "member", bizMemberJSON(m))
}

func (s *Server) bizGetMember(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	m, err := s.biz.Business.Member(r.Context(), a, bizPathID(r, "member_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "member", bizMemberJSON(m))
}

func (s *Server) bizPatchMember(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	in, err := s.bizMemberInput(w, r)
	if err != nil {
		return err
	}
	m, err := s.biz.Business.UpdateMember(r.Context(), a, bizPathID(r, "member_id"), in)
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "member", bizMemberJSON(m))
}

// bizDeleteMember answers under member, not the predecessor's transaction (defect 25).
func (s *Server) bizDeleteMember(w http.ResponseWriter, r *http.Request, a *business.Actor) error {
	m, err := s.biz.Business.DeactivateMember(r.Context(), a, bizPathID(r, "member_id"))
	if err != nil {
		return err
	}
	return bizWrap(w, http.StatusOK, "member", bizClosedUserOut{ID: m.ID, IsActive: m.IsActive})
}
