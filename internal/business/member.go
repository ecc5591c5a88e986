package business

import (
	"context"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// MsgMemberNotFound answers a member id that is not the caller's business's.
const MsgMemberNotFound = "Member not found."

// MemberInput is the body of POST and PATCH /members[/{id}]. Password is write-only: the
// login's password, set by the owner (conventions S19).
type MemberInput struct {
	Name, CPF, DateOfBirth, Role, HireDate opt.Opt[string]
	Salary                                 opt.Opt[money.Cents]
	Phone, Email                           opt.Opt[string]
	HasAccess, IsActive                    opt.Opt[bool]
	Password                               opt.Opt[string]
}

// applyMember validates in onto m (business-api.md §2.3).
func applyMember(f apperr.Fields, m *Member, in MemberInput, mode field.Mode) {
	if v, ok := field.Required(f, "name", in.Name, 150, mode); ok {
		m.Name = v
	}
	if v, ok := field.Nullable(f, "cpf", in.CPF, 11, mode); ok {
		m.CPF = v
	}
	if v, ok := field.Date(f, "date_of_birth", in.DateOfBirth, mode); ok {
		m.DateOfBirth = v
	}
	if v, ok := field.Nullable(f, "role", in.Role, 150, mode); ok {
		m.Role = v
	}
	if v, ok := field.Date(f, "hire_date", in.HireDate, mode); ok {
		m.HireDate = v
	}
	if v, ok := field.Money(f, "salary", in.Salary, 8, mode); ok {
		m.Salary = v
	}
	if v, ok := field.Required(f, "phone", in.Phone, 11, mode); ok {
		m.Phone = v
	}
	if v, ok := field.Email(f, "email", in.Email, mode); ok {
		m.Email = v
	}
	if v, ok := field.Bool(in.HasAccess, false, mode); ok {
		m.HasAccess = v
	}
	if v, ok := field.Bool(in.IsActive, true, mode); ok {
		m.IsActive = v
	}
}

// CreateMember adds a member to the caller's business. With access, a login is created in the
// same transaction: username its phone, staff, the password the owner sent or none (S19).
func (s *Service) CreateMember(ctx context.Context, a *Actor, in MemberInput) (*Member, error) {
	m := &Member{ID: id.New(), BusinessID: a.BusinessID, CreatedAt: s.clock.Now()}
	f := apperr.Fields{}
	applyMember(f, m, in, field.Create)
	login, err := s.checkLogin(ctx, f, m, nil, in.Password)
	if err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.store.BusinessTx(ctx, func(tx Store) error {
		if err := s.syncLogin(ctx, tx, m, login); err != nil {
			return err
		}
		return tx.CreateMember(ctx, m)
	})
	if err != nil {
		return nil, loginErr(err)
	}
	return s.store.Member(ctx, a.BusinessID, m.ID)
}

// Member returns a member of the caller's business.
func (s *Service) Member(ctx context.Context, a *Actor, memberID string) (*Member, error) {
	m, err := s.store.Member(ctx, a.BusinessID, memberID)
	return m, notFound(err, MsgMemberNotFound)
}

// ListMembers lists the caller's business's members, active or not, in creation order.
func (s *Service) ListMembers(ctx context.Context, a *Actor, p Page) ([]Member, int, error) {
	return s.store.ListMembers(ctx, a.BusinessID, p)
}

// UpdateMember changes a member. Its login follows: it is created when access is granted to a
// member without one, deactivated when access is withdrawn or the member deactivated, and
// keeps the member's name, e-mail and phone (S19).
func (s *Service) UpdateMember(ctx context.Context, a *Actor, memberID string, in MemberInput) (*Member, error) {
	m, err := s.Member(ctx, a, memberID)
	if err != nil {
		return nil, err
	}
	f := apperr.Fields{}
	applyMember(f, m, in, field.Patch)
	login, err := s.checkLogin(ctx, f, m, m.CredentialID, in.Password)
	if err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.store.BusinessTx(ctx, func(tx Store) error {
		// Apply the (already validated) patch to the row as it is now, not as first read.
		cur, err := tx.Member(ctx, a.BusinessID, memberID)
		if err != nil {
			return notFound(err, MsgMemberNotFound)
		}
		applyMember(apperr.Fields{}, cur, in, field.Patch)
		m = cur
		if err := s.syncLogin(ctx, tx, m, login); err != nil {
			return err
		}
		return tx.UpdateMember(ctx, m)
	})
	if err != nil {
		return nil, loginErr(err)
	}
	return s.store.Member(ctx, a.BusinessID, m.ID)
}

// DeactivateMember marks a member and its login inactive (a soft delete; defect 25: a member
// without login is simply deactivated).
func (s *Service) DeactivateMember(ctx context.Context, a *Actor, memberID string) (*Member, error) {
	var out *Member
	err := s.store.BusinessTx(ctx, func(tx Store) error {
		m, err := tx.Member(ctx, a.BusinessID, memberID)
		if err != nil {
			return notFound(err, MsgMemberNotFound)
		}
		m.IsActive = false
		if err := s.syncLogin(ctx, tx, m, nil); err != nil {
			return err
		}
		out = m
		return tx.UpdateMember(ctx, m)
	})
	return out, err
}

// pendingLogin is a checked login change: the password hash to set, if any.
type pendingLogin struct {
	hash    string
	setHash bool
}

// checkLogin validates what the member's login will be made of, when it has or gets one: the
// phone and e-mail free among other users, the password within the policy. credential is the
// current login's id (nil: none).
func (s *Service) checkLogin(ctx context.Context, f apperr.Fields, m *Member, credential *string, pw opt.Opt[string]) (*pendingLogin, error) {
	if !m.HasAccess && credential == nil {
		return nil, nil // no login now or after: a password has nothing to apply to
	}
	self := ""
	if credential != nil {
		self = *credential
	}
	hash, err := s.auth.CheckLogin(ctx, f, self, auth.LoginInput{Name: m.Name, Email: m.Email, Phone: m.Phone, Password: pw})
	if err != nil || len(f) > 0 {
		return nil, err
	}
	h, err := hash()
	if err != nil {
		return nil, err
	}
	return &pendingLogin{hash: h, setHash: pw.Has() || credential == nil}, nil
}

// syncLogin makes the member's login match the member, inside tx: created when the member has
// access and no login, otherwise updated (active only while the member is active with access).
func (s *Service) syncLogin(ctx context.Context, tx Store, m *Member, login *pendingLogin) error {
	active := m.IsActive && m.HasAccess
	if m.CredentialID == nil {
		if !m.HasAccess || login == nil {
			return nil
		}
		u := s.auth.NewLogin(auth.LoginInput{Name: m.Name, Email: m.Email, Phone: m.Phone}, login.hash)
		u.IsActive = active
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		m.CredentialID = &u.ID
		return nil
	}
	u, err := tx.UserByID(ctx, *m.CredentialID)
	if err != nil {
		return err
	}
	phone := m.Phone
	u.Name, u.Email, u.Username, u.IsActive = m.Name, m.Email, &phone, active
	if err := tx.UpdateUser(ctx, u); err != nil {
		return err
	}
	if login != nil && login.setHash {
		return tx.SetPasswordHash(ctx, u.ID, login.hash)
	}
	return nil
}

// loginErr reports a login's username clash (a race the checks did not see) under phone, the
// member field it comes from.
func loginErr(err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || e.Fields["username"] == nil {
		return err
	}
	return &apperr.Error{Kind: apperr.Invalid, Message: e.Message, Err: e,
		Fields: map[string][]string{"phone": {"user with this phone already exists."}}}
}

// notFound replaces a NotFound error by one with the resource's message.
func notFound(err error, msg string) error {
	if apperr.IsKind(err, apperr.NotFound) {
		return &apperr.Error{Kind: apperr.NotFound, Message: msg, Err: err}
	}
	return err
}
