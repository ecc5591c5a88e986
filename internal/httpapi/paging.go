package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bursar/bursar/internal/apperr"
)

// PageSize is the number of items in a page of every list (conventions "Lists").
const PageSize = 50

// Page is the slice of a list a request asks for.
type Page struct {
	Number int
	Limit  int
	Offset int
}

func errInvalidPage() *apperr.Error { return apperr.New(apperr.NotFound, "Invalid page.") }

// pageOf reads ?page= (1-based, default 1). Anything but a positive integer is 404 Invalid page.
// (conventions S8).
func pageOf(r *http.Request) (Page, error) {
	n := 1
	if v := r.URL.Query().Get("page"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		if err != nil || n < 1 || n > 1<<31/PageSize {
			return Page{}, errInvalidPage()
		}
	}
	return Page{Number: n, Limit: PageSize, Offset: (n - 1) * PageSize}, nil
}

// pageBody is the list envelope.
type pageBody[T any] struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  []T     `json:"results"`
}

// writePage answers one page of a list of total items. Page 1 always exists; a later page
// past the end is 404 Invalid page. (conventions S8).
func writePage[T any](s *Server, w http.ResponseWriter, r *http.Request, p Page, total int, items []T) error {
	if p.Number > 1 && p.Offset >= total {
		return errInvalidPage()
	}
	if items == nil {
		items = []T{}
	}
	body := pageBody[T]{Count: total, Results: items}
	if p.Offset+len(items) < total {
		l := s.pageLink(r, p.Number+1)
		body.Next = &l
	}
	if p.Number > 1 {
		l := s.pageLink(r, p.Number-1)
		body.Previous = &l
	}
	return writeJSON(w, http.StatusOK, body)
}

// pageLink is the absolute URL of page n of this list: the other query parameters kept in order,
// page last, and no page at all for page 1 (conventions S8).
func (s *Server) pageLink(r *http.Request, n int) string {
	base := s.cfg.PublicURL
	if base == "" {
		base = "http://" + r.Host
	}
	var parts []string
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		if kv == "" {
			continue
		}
		k, _, _ := strings.Cut(kv, "=")
		if key, err := url.QueryUnescape(k); err == nil && key == "page" {
			continue
		}
		parts = append(parts, kv)
	}
	if n > 1 {
		parts = append(parts, "page="+strconv.Itoa(n))
	}
	link := base + infoFrom(r.Context()).path
	if len(parts) > 0 {
		link += "?" + strings.Join(parts, "&")
	}
	return link
}
