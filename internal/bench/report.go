package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// Report is the outcome of a bench run. Its JSON field names are stable: scripts compare runs
// with them.
type Report struct {
	Label       string    `json:"label,omitempty"`
	URL         string    `json:"url"` // the server measured (--target when set)
	StartedAt   time.Time `json:"started_at"`
	Connections int       `json:"connections"`
	DurationS   float64   `json:"duration_s"`
	WarmupS     float64   `json:"warmup_s"`
	Machine     Machine   `json:"machine"`
	Data        DataInfo  `json:"data"`
	ServerPID   int       `json:"server_pid,omitempty"`
	Scenarios   []Result  `json:"scenarios"`
	Skipped     []Skipped `json:"skipped,omitempty"`
}

// DataInfo is the size of the prepared data set.
type DataInfo struct {
	RunID           string `json:"run_id"`
	Users           int    `json:"users"`
	BudgetsPerUser  int    `json:"budgets_per_user"`
	HotCategories   int    `json:"hot_categories"`
	HotCashFlows    int    `json:"hot_cash_flows"`
	DirectCashFlows bool   `json:"direct_cash_flows"` // cash flows and transactions loaded through SQL
	HotBudget       string `json:"hot_budget,omitempty"`
	Transactions    int    `json:"transactions"` // of the business's ledger, when prepared
}

// Result is one scenario's measurement.
type Result struct {
	Name      string            `json:"name"`
	Requests  int               `json:"requests"`
	Errors    int               `json:"errors"`
	RPS       float64           `json:"rps"` // every answered request, failed ones included
	ElapsedS  float64           `json:"elapsed_s"`
	LatencyMS LatencyMS         `json:"latency_ms"`
	ByStatus  map[string]int    `json:"errors_by_status"`         // "500": n; "transport": no answer
	Examples  map[string]string `json:"error_examples,omitempty"` // first answer per failure key
	Server    *ProcUsage        `json:"server,omitempty"`         // nil when the server is not local
	ClientCPU float64           `json:"client_cpu_pct"`           // the load generator itself, of one core
	// MachineCPU is the whole machine's busy time, of one core (−1: unknown); what it holds
	// beyond the server and the generator is other processes competing for the CPUs.
	MachineCPU float64 `json:"machine_cpu_pct"`
	// DBCPU is the CPU of the database server's processes on this machine (--db-process), of
	// one core; 0 when there are none (SQLite runs inside the server).
	DBCPU float64 `json:"db_cpu_pct"`
	Check *Check  `json:"check,omitempty"` // the scenario's consistency check
}

// Check is the outcome of a scenario's consistency check (e.g. no lost update).
type Check struct {
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// failedChecks is an error naming the scenarios whose check failed, or nil.
func (rep *Report) failedChecks() error {
	var failed []string
	for _, r := range rep.Scenarios {
		if r.Check != nil && !r.Check.OK {
			failed = append(failed, r.Name+": "+r.Check.Detail)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("bench: check failed: %s", strings.Join(failed, "; "))
	}
	return nil
}

// LatencyMS holds latency percentiles in milliseconds.
type LatencyMS struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func newResult(name string, s *sample, elapsed time.Duration) Result {
	l := summarize(s.lat)
	return Result{
		Name: name, Requests: len(s.lat), Errors: s.errors.total(), RPS: rate(len(s.lat), elapsed),
		ElapsedS:  elapsed.Seconds(),
		LatencyMS: LatencyMS{P50: ms(l.P50), P90: ms(l.P90), P99: ms(l.P99), Max: ms(l.Max)},
		ByStatus:  s.errors, Examples: s.examples,
	}
}

func (r *runner) newReport(skipped []Skipped) *Report {
	c := r.cfg
	rep := &Report{
		Label: c.Label, URL: c.measured(), StartedAt: time.Now().UTC().Truncate(time.Second), Connections: c.Connections,
		DurationS: c.Duration.Seconds(), WarmupS: c.Warmup.Seconds(), Machine: machine(r.procRoot),
		Data: DataInfo{RunID: r.data.RunID, Users: len(r.data.Users), BudgetsPerUser: budgetsPerUser(r.data),
			HotCategories: len(r.data.Categories), HotCashFlows: r.data.Flows.Count,
			DirectCashFlows: c.Direct != "", HotBudget: r.data.Hot},
		Scenarios: []Result{}, Skipped: skipped,
	}
	if b := r.data.Business; b != nil {
		rep.Data.Transactions = b.Loaded.Count
	}
	return rep
}

// budgetsPerUser is how many budgets each user created (0 when none were prepared).
func budgetsPerUser(d *Data) int {
	if len(d.Budgets) == 0 {
		return 0
	}
	return len(d.Budgets[0])
}

func (rep *Report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// writeTable prints the report as an aligned table.
func (rep *Report) writeTable(w io.Writer) error {
	m := rep.Machine
	label := ""
	if rep.Label != "" {
		label = " [" + rep.Label + "]"
	}
	fmt.Fprintf(w, "bursar bench%s: %s, %d connections, %s per scenario (+%s warm-up)\n", label, rep.URL,
		rep.Connections, time.Duration(rep.DurationS*float64(time.Second)), time.Duration(rep.WarmupS*float64(time.Second)))
	fmt.Fprintf(w, "machine: %d CPUs (%s), %s MiB, %s %s\n", m.CPUs, m.CPUModel, thousands(m.MemMiB), m.Go, m.OS)
	d := rep.Data
	fmt.Fprintf(w, "data: run %s, %d users × %d budgets, hot budget %d categories, %s cash flows", d.RunID, d.Users,
		d.BudgetsPerUser, d.HotCategories, thousands(d.HotCashFlows))
	if d.DirectCashFlows {
		fmt.Fprint(w, " (loaded through SQL)")
	}
	if d.Transactions > 0 {
		fmt.Fprintf(w, "; business ledger %s transactions", thousands(d.Transactions))
	}
	fmt.Fprintln(w)
	if rep.ServerPID != 0 {
		fmt.Fprintf(w, "server: pid %d (CPU %% is of one core; db: the database's processes; other: the rest of the machine)\n", rep.ServerPID)
	}
	fmt.Fprintln(w)
	rows := [][]string{{"scenario", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "srv cpu", "srv rss MiB",
		"db cpu", "gen cpu", "other cpu"}}
	for _, r := range rep.Scenarios {
		srvCPU, srvRSS, dbCPU, other := "-", "-", "-", "-"
		if r.DBCPU > 0 {
			dbCPU = fmt.Sprintf("%.0f%%", r.DBCPU)
		}
		if r.Server != nil {
			srvCPU = fmt.Sprintf("%.0f%%", r.Server.CPUPercent)
			srvRSS = fmt.Sprintf("%.0f peak, %.0f end", r.Server.RSSPeakMiB, r.Server.RSSEndMiB)
			if r.MachineCPU >= 0 {
				other = fmt.Sprintf("%.0f%%", max(0, r.MachineCPU-r.Server.CPUPercent-r.DBCPU-r.ClientCPU))
			}
		}
		rows = append(rows, []string{r.Name, thousands(int(r.RPS + 0.5)), fmt.Sprintf("%.2f", r.LatencyMS.P50),
			fmt.Sprintf("%.2f", r.LatencyMS.P90), fmt.Sprintf("%.2f", r.LatencyMS.P99), fmt.Sprintf("%.1f", r.LatencyMS.Max),
			errorText(r), srvCPU, srvRSS, dbCPU, fmt.Sprintf("%.0f%%", r.ClientCPU), other})
	}
	if _, err := io.WriteString(w, alignTable(rows)); err != nil {
		return err
	}
	for _, r := range rep.Scenarios {
		for _, k := range slices.Sorted(maps.Keys(r.Examples)) {
			fmt.Fprintf(w, "%s, first %s: %s\n", r.Name, k, strings.TrimSpace(r.Examples[k]))
		}
	}
	for _, r := range rep.Scenarios {
		if r.Check != nil {
			fmt.Fprintf(w, "%s, check: %s\n", r.Name, r.Check.Detail)
		}
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "skipped %s: %s\n", s.Name, s.Reason)
	}
	return nil
}

// alignTable renders rows as columns two spaces apart: the first left-aligned, the others
// right-aligned.
func alignTable(rows [][]string) string {
	var width []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell))
			switch {
			case i == 0:
				b.WriteString(cell + pad)
			default:
				b.WriteString("  " + pad + cell)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// errorText is "0", or the failures by status: "12 (429×10 500×2)".
func errorText(r Result) string {
	if r.Errors == 0 {
		return "0"
	}
	keys := slices.Sorted(maps.Keys(r.ByStatus))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, r.ByStatus[k])
	}
	return fmt.Sprintf("%s (%s)", thousands(r.Errors), strings.Join(parts, " "))
}

// listScenarios prints every scenario with what it does.
func listScenarios(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range scenarios {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, s.Family, s.About)
	}
	return tw.Flush()
}
