package inventory_test

import (
	"testing"

	"github.com/bursar/bursar/internal/inventory"
	"github.com/bursar/bursar/internal/money"
)

func cents(s string) money.Cents {
	c, err := money.Parse(s)
	if err != nil {
		panic(err)
	}
	return c
}

func show(c *money.Cents) string {
	if c == nil {
		return "null"
	}
	return c.String()
}

// TestMarkup: (retail − cost) / cost × 100 on integer cents, half-up (away from zero) to 2
// places; null unless both prices are above 0, and null from 1000.00 on (S23, defect 11).
func TestMarkup(t *testing.T) {
	cases := []struct {
		name, cost, retail, want string
	}{
		{"§5: cost 25.6, retail 35", "25.60", "35", "36.72"}, // 36.71875
		{"same price", "10", "10", "0.00"},
		{"a third", "3", "4", "33.33"},                                    // 33.333…
		{"two thirds", "3", "5", "66.67"},                                 // 66.666…
		{"half a hundredth rounds up", "200", "200.01", "0.01"},           // 0.005
		{"half-up, not half-even", "200", "200.05", "0.03"},               // 0.025
		{"below half rounds down", "1600", "1600.01", "0.00"},             // 0.000625
		{"negative half rounds away from zero", "200", "199.99", "-0.01"}, // −0.005
		{"selling at a loss", "100", "1", "-99.00"},
		{"largest that fits", "100", "1099.99", "999.99"},
		{"rounding reaches 1000", "200", "2199.99", "null"}, // 999.995
		{"exactly 1000", "1", "11", "null"},
		{"far beyond", "0.01", "10", "null"},
		{"no cost", "0", "35", "null"},
		{"no retail", "25.60", "0", "null"},
		{"largest prices", "99999999.99", "99999999.99", "0.00"},
		{"tiny cost, large margin under 1000", "0.10", "1.09", "990.00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := show(inventory.Markup(cents(tc.cost), cents(tc.retail))); got != tc.want {
				t.Fatalf("Markup(%s, %s) = %s, want %s", tc.cost, tc.retail, got, tc.want)
			}
		})
	}
}

// TestAverageCost: Σ cost × quantity / Σ quantity, exact, half-up to 2 places (defect 11: the
// predecessor divided in binary floating point).
func TestAverageCost(t *testing.T) {
	type e = inventory.CostBasis
	cases := []struct {
		name    string
		entries []e
		want    string
	}{
		{"§5: three entries of 53 at 25, 33, 41", []e{{cents("25"), 53}, {cents("33"), 53}, {cents("41"), 53}}, "33.00"},
		{"one entry", []e{{cents("12.34"), 7}}, "12.34"},
		{"float would give 1.00", []e{{cents("1.00"), 1}, {cents("1.01"), 1}}, "1.01"}, // 1.005
		{"half a cent rounds up", []e{{cents("0.01"), 1}, {cents("0"), 1}}, "0.01"},
		{"three quarters of a cent", []e{{cents("0.01"), 3}, {cents("0"), 1}}, "0.01"},
		{"a third of a cent", []e{{cents("0.01"), 1}, {cents("0"), 2}}, "0.00"},
		{"weighted", []e{{cents("10"), 1}, {cents("20"), 3}}, "17.50"},
		{"repeating", []e{{cents("0.10"), 1}, {cents("0.20"), 2}}, "0.17"}, // 0.1666…
		{"zero quantity ignored", []e{{cents("99"), 0}, {cents("5"), 2}}, "5.00"},
		{"beyond int64 products", []e{{cents("99999999.99"), inventory.MaxQuantity}, {cents("99999999.98"), inventory.MaxQuantity}}, "99999999.99"}, // x.985 → up
		{"no quantity", []e{{cents("10"), 0}}, "null"},
		{"no entries", nil, "null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := show(inventory.AverageCost(tc.entries)); got != tc.want {
				t.Fatalf("AverageCost(%v) = %s, want %s", tc.entries, got, tc.want)
			}
		})
	}
}
