package bench

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Timeline breaks the waves of one phase of a kept run down into their parts,
// from the provider's log (-tf-log provider:trace, which has terraform-plugin-go's
// "Received request" and "Served request" lines with the provider's own
// timestamps) and the emulator's request log.
//
// In a phase that writes (rpc ApplyResourceChange), a wave is the calls one
// POST answers: those received before it was sent and after the previous one
// was. From one POST's answer to the next the time goes to:
//
//   - terraform: the previous POST answered → the wave's last call received
//     (Terraform's work between waves, the provider's CPU in its calls, and
//     any caller the engine still held), of which
//   - answer: the previous POST answered → the first of its calls served,
//   - held: the first → the last of its calls served;
//   - engine: the last call received → the POST sent, of which
//   - gather: the last call received → the round's GET sent (zero when the
//     GET was sent before the last call came),
//   - get: the round's GET (the one right before the POST),
//   - mutate: the round's GET answered → the POST sent;
//   - post: the POST.
//
// terraform + engine + post is the cycle, POST answer to POST answer.
// Confirming GETs (those not followed by a POST) are counted, with how many
// overlapped a round's GET or POST.
//
// In a phase that only reads (ReadResource), a wave is the calls one GET
// answers: spread (first → last call received), window (last call → GET),
// get, answer (GET answered → last call served) and terraform (last call
// served → the next call received).
func Timeline(dir, phase, rpc string) (string, error) {
	calls, err := readCalls(filepath.Join(dir, "terraform-"+phase+".log"), rpc)
	if err != nil {
		return "", err
	}
	reqs, err := readRequests(filepath.Join(dir, "requests-"+phase+".tsv"))
	if err != nil {
		return "", err
	}
	if len(calls) == 0 || len(reqs) == 0 {
		return "", fmt.Errorf("%s: no %s calls or no requests logged (run with -tf-log provider:trace)", phase, rpc)
	}
	if slices.ContainsFunc(reqs, func(r loggedRequest) bool { return r.method == "POST" }) {
		return writeTimeline(phase, rpc, calls, reqs), nil
	}
	return readTimeline(phase, rpc, calls, reqs), nil
}

// writeTimeline is Timeline for a phase that writes.
func writeTimeline(phase, rpc string, calls []call, reqs []loggedRequest) string {
	type wave struct {
		get, post *loggedRequest
		calls     []call
	}
	var waves []wave
	inRound := func(j int) bool { // a POST, or the GET right before one
		return reqs[j].method == "POST" || j+1 < len(reqs) && reqs[j+1].method == "POST"
	}
	confirms, overlapping := 0, 0
	for i := range reqs {
		switch {
		case reqs[i].method == "POST":
			w := wave{post: &reqs[i]}
			if i > 0 && reqs[i-1].method == "GET" {
				w.get = &reqs[i-1]
			}
			waves = append(waves, w)
		case !inRound(i):
			confirms++
			for j := range reqs {
				if inRound(j) && reqs[j].start.Before(reqs[i].end) && reqs[i].start.Before(reqs[j].end) {
					overlapping++
					break
				}
			}
		}
	}
	// A call joins the first POST sent after it was received.
	for _, c := range calls {
		if i := slices.IndexFunc(waves, func(w wave) bool { return w.post.start.After(c.received) }); i >= 0 {
			waves[i].calls = append(waves[i].calls, c)
		}
	}
	parts := []string{"terraform", "answer", "held", "engine", "gather", "get", "mutate", "post"}
	top := map[string]bool{"terraform": true, "engine": true, "post": true}
	samples := map[string][]time.Duration{}
	var cycles []time.Duration
	nonEmpty := 0
	for i, w := range waves {
		if len(w.calls) == 0 {
			continue
		}
		nonEmpty++
		last := w.calls[0].received
		for _, c := range w.calls {
			last = maxTime(last, c.received)
		}
		add := func(part string, from, to time.Time) { samples[part] = append(samples[part], to.Sub(from)) }
		if i > 0 && len(waves[i-1].calls) > 0 {
			prev := waves[i-1]
			first, lastServed := prev.calls[0].served, prev.calls[0].served
			for _, c := range prev.calls {
				first, lastServed = minTime(first, c.served), maxTime(lastServed, c.served)
			}
			add("terraform", prev.post.end, last)
			add("answer", prev.post.end, first)
			add("held", first, lastServed)
			cycles = append(cycles, w.post.end.Sub(prev.post.end))
		}
		add("engine", last, w.post.start)
		if w.get != nil {
			add("gather", last, maxTime(last, w.get.start))
			add("get", w.get.start, w.get.end)
			add("mutate", w.get.end, w.post.start)
		}
		add("post", w.post.start, w.post.end)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s calls in %d waves (POSTs), %d requests, %d confirming GETs (%d overlapping a round's requests); median and mean per wave:\n\n",
		phase, len(calls), rpc, nonEmpty, len(reqs), confirms, overlapping)
	b.WriteString("| part | median | mean | share of the cycle's mean |\n|---|--:|--:|--:|\n")
	for _, p := range parts {
		s := samples[p]
		if len(s) == 0 {
			continue
		}
		name := p
		if !top[p] {
			name = "– " + p
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.0f %% |\n", name, msText(median(s)), msText(mean(s)), 100*float64(mean(s))/float64(max(mean(cycles), 1)))
	}
	fmt.Fprintf(&b, "| **cycle** (POST answered → next POST answered) | %s | %s | |\n", msText(median(cycles)), msText(mean(cycles)))
	return b.String()
}

// readTimeline is Timeline for a phase that only reads.
func readTimeline(phase, rpc string, calls []call, reqs []loggedRequest) string {
	var gets []loggedRequest
	for _, r := range reqs {
		if r.method == "GET" {
			gets = append(gets, r)
		}
	}
	// A call joins the first GET sent after it was received.
	waves := make([][]call, len(gets))
	for _, c := range calls {
		if i := slices.IndexFunc(gets, func(r loggedRequest) bool { return r.start.After(c.received) }); i >= 0 {
			waves[i] = append(waves[i], c)
		}
	}
	parts := []string{"spread", "window", "get", "answer", "terraform"}
	samples := map[string][]time.Duration{}
	nonEmpty := 0
	for i, get := range gets {
		w := waves[i]
		if len(w) == 0 {
			continue
		}
		nonEmpty++
		first, last, served := w[0].received, w[0].received, w[0].served
		for _, c := range w {
			first, last = minTime(first, c.received), maxTime(last, c.received)
			served = maxTime(served, c.served)
		}
		add := func(part string, from, to time.Time) { samples[part] = append(samples[part], to.Sub(from)) }
		add("spread", first, last)
		add("window", last, get.start)
		add("get", get.start, get.end)
		add("answer", get.end, served)
		if j, _ := slices.BinarySearchFunc(calls, served, func(c call, t time.Time) int { return c.received.Compare(t) }); j < len(calls) {
			add("terraform", served, calls[j].received)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s calls answered by %d GETs, %d requests; median and mean per GET:\n\n", phase, len(calls), rpc, nonEmpty, len(reqs))
	b.WriteString("| part | median | mean |\n|---|--:|--:|\n")
	for _, p := range parts {
		if s := samples[p]; len(s) > 0 {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", p, msText(median(s)), msText(mean(s)))
		}
	}
	return b.String()
}

type call struct{ received, served time.Time }

var (
	logTimestamp = regexp.MustCompile(`\btimestamp=(\S+)`)
	logReqID     = regexp.MustCompile(`\btf_req_id=(\S+)`)
)

// readCalls returns the calls of rpc in the provider's log, by time received.
func readCalls(path, rpc string) ([]call, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	byID := map[string]*call{}
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := sc.Text()
		received := strings.Contains(line, "Received request:")
		if !received && !strings.Contains(line, "Served request:") || !strings.Contains(line, "tf_rpc="+rpc+" ") && !strings.HasSuffix(line, "tf_rpc="+rpc) {
			continue
		}
		ts, id := logTimestamp.FindStringSubmatch(line), logReqID.FindStringSubmatch(line)
		if ts == nil || id == nil {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, ts[1])
		if err != nil {
			continue
		}
		c := byID[id[1]]
		if c == nil {
			c = &call{}
			byID[id[1]] = c
			order = append(order, id[1])
		}
		if received {
			c.received = t
		} else {
			c.served = t
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var calls []call
	for _, id := range order {
		if c := byID[id]; !c.received.IsZero() && !c.served.IsZero() {
			calls = append(calls, *c)
		}
	}
	slices.SortFunc(calls, func(a, b call) int { return a.received.Compare(b.received) })
	return calls, nil
}

// readRequests reads a log written by requestLog.write, by arrival.
func readRequests(path string) ([]loggedRequest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var reqs []loggedRequest
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 {
			continue
		}
		if len(f) != 6 {
			return nil, errors.New(path + ": malformed line " + strconv.Itoa(i+1))
		}
		start, err1 := time.Parse(time.RFC3339Nano, f[0])
		from, err2 := strconv.ParseFloat(f[1], 64)
		to, err3 := strconv.ParseFloat(f[2], 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, i+1, err)
		}
		if f[4] != "/v1/" && f[4] != "/v1" {
			continue // only the domain endpoint
		}
		status, _ := strconv.Atoi(f[5])
		reqs = append(reqs, loggedRequest{start: start, end: start.Add(time.Duration((to - from) * float64(time.Millisecond))), method: f[3], path: f[4], status: status})
	}
	slices.SortFunc(reqs, func(a, b loggedRequest) int { return a.start.Compare(b.start) })
	return reqs, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(d))
	return s[len(s)/2]
}

func mean(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return sum / time.Duration(len(d))
}

func msText(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }
