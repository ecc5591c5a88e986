package inventory

import (
	"math/big"

	"github.com/bursar/bursar/internal/money"
)

// MaxMarkup is the smallest markup a cost entry cannot hold: decimal(5,2) stops at 999.99
// (conventions S23).
const MaxMarkup money.Cents = 100000

// Markup returns (retail − cost) / cost × 100, a percentage in hundredths rounded half-up (away
// from zero) to 2 places, computed exactly on integer cents (defect 11). It is nil unless both
// prices are above zero, and nil when it would be MaxMarkup or more (S23).
func Markup(cost, retail money.Cents) *money.Cents {
	if cost <= 0 || retail <= 0 {
		return nil
	}
	num := new(big.Int).Mul(big.NewInt(int64(retail-cost)), big.NewInt(10000))
	m, ok := divRound(num, big.NewInt(int64(cost)))
	if !ok || m >= MaxMarkup || m <= -MaxMarkup {
		return nil
	}
	return &m
}

// AverageCost returns the weighted average cost of entries, Σ cost × quantity / Σ quantity,
// rounded half-up to 2 places, computed exactly (defect 11). It is nil when the quantities add
// up to 0.
func AverageCost(entries []CostBasis) *money.Cents {
	num, den := new(big.Int), new(big.Int)
	var term big.Int
	for _, e := range entries {
		q := big.NewInt(e.Quantity)
		num.Add(num, term.Mul(big.NewInt(int64(e.CostPrice)), q))
		den.Add(den, q)
	}
	if den.Sign() <= 0 {
		return nil
	}
	avg, ok := divRound(num, den)
	if !ok {
		return nil
	}
	return &avg
}

// divRound returns num / den (den > 0) rounded half away from zero, and false when the result
// does not fit in Cents.
func divRound(num, den *big.Int) (money.Cents, bool) {
	abs := new(big.Int).Abs(num)
	twice := new(big.Int).Lsh(den, 1)
	q := abs.Lsh(abs, 1).Add(abs, den)
	q.Quo(q, twice)
	if num.Sign() < 0 {
		q.Neg(q)
	}
	if !q.IsInt64() {
		return 0, false
	}
	return money.Cents(q.Int64()), true
}
