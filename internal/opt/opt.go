// Package opt holds the three states of a field in a request body: absent, null, or a value.
// PATCH needs all three ("category": null clears, an absent category keeps).
package opt

// Opt is one request field.
type Opt[T any] struct {
	Set  bool // the key was present
	Null bool // the key was present with JSON null
	V    T    // the value when Set && !Null
}

// Of returns a present, non-null Opt holding v.
func Of[T any](v T) Opt[T] { return Opt[T]{Set: true, V: v} }

// Null returns a present Opt holding null.
func Null[T any]() Opt[T] { return Opt[T]{Set: true, Null: true} }

// Has reports whether the field holds a value (present and not null).
func (o Opt[T]) Has() bool { return o.Set && !o.Null }

// Or returns the value, or def when the field is absent or null.
func (o Opt[T]) Or(def T) T {
	if o.Has() {
		return o.V
	}
	return def
}
